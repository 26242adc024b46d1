"""The service's settings: from the environment (CLEA_*), overridden by ``clea serve`` options.

| variable | meaning | default |
|---|---|---|
| CLEA_POLICIES | the policy folder | the shipped policies (engine/shipped.py: the project's ``policies/``) |
| CLEA_LOG | the decision log: a SQLite file, or ``postgresql://user@host/base`` | ``clea-decisions.sqlite3`` |
| CLEA_LOG_MAX_SIZE | cap on the log's size (``500M``, ``2G``); writes past it fail with 503 | none |
| CLEA_LOG_MASK | comma-separated JSON paths masked in the log, beside the fields the schemas mark as personal data | none |
| CLEA_MAX_BODY | the largest request body accepted (``1M``, ``256K``); larger ones get 413 | ``1M`` |
| CLEA_MAX_BATCH | the most evaluation requests in one batch; more get 413 | 100 |
| CLEA_MAX_CONNECTIONS | connections served at once; more get 503 | 1000 |
| CLEA_HEADER_TIMEOUT | seconds to send a request's line and headers; then the connection is closed | 10 |
| CLEA_BODY_TIMEOUT | seconds to send a request's body; then 408 | 30 |
| CLEA_RELOAD_TOKEN | the bearer token of POST /v1/policies/reload; unset: the endpoint is disabled | unset |
| CLEA_JOURNAL_TOKEN | the bearer token other systems send to read the decision journal's pages (/decisions) | unset |
| CLEA_ACCOUNTS | the accounts file of the pages (``clea account``); unset: public pages, journal closed to browsers | unset |
| CLEA_PROPOSALS | the state folder of proposed changes (engine/proposals/store.py) | ``clea-propositions`` beside a SQLite log (in the working folder with PostgreSQL) |
| CLEA_PROPOSALS_DOSSIERS | the dossiers (JSON lines) a proposal's impact is measured on | the decision log's recent dossiers |
| CLEA_TRUSTED_PROXIES | comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For, X-Forwarded-Proto and X-Client-Id are believed | none |

A token is refused at start when it is an example of the documentation (``change-me``…) or shorter than
MIN_TOKEN_LENGTH, and the journal's token must differ from the reload's (two secrets, two uses).
"""
from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..limits import BODY_TIMEOUT, HEADER_TIMEOUT, MAX_BATCH_ITEMS, MAX_BODY_BYTES, MAX_CONNECTIONS
from ..shipped import policies_folder
from .decision_log import log_target
from .masking import DEFAULT_PATHS

DEFAULT_POLICIES = policies_folder()

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def parse_size(text: str) -> int:
    """'512' -> 512, '64K' -> 65536, '1M' -> 1048576 (binary units; 'KiB', 'MB' also accepted)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"taille invalide {text!r} : un nombre d'octets attendu, suivi ou non de K, M ou G")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def parse_count(text: str, name: str) -> int:
    """A positive whole number, or ValueError naming the setting."""
    if not str(text).strip().isdigit() or int(text) < 1:
        raise ValueError(f"{name}: expected a whole number of at least 1, not {text!r}")
    return int(text)


def parse_seconds(text: str, name: str) -> float:
    """A positive number of seconds, or ValueError naming the setting."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 86400:
        raise ValueError(f"{name}: expected a number of seconds above 0, not {text!r}")
    return value


# tokens a documentation or a habit suggests: refused at start, never served
EXAMPLE_TOKENS = frozenset({"change-me", "changeme", "change_me", "secret", "password", "motdepasse", "jeton", "token"})
MIN_TOKEN_LENGTH = 12


def check_token(value: str | None, name: str) -> str | None:
    """A token from the environment, or ValueError when it is an example or too short to resist guessing."""
    if not value:
        return None
    if value.strip().lower() in EXAMPLE_TOKENS:
        raise ValueError(f"{name} vaut {value!r}, l'exemple de la documentation : choisissez un secret "
                         "(par exemple : openssl rand -hex 32)")
    if len(value) < MIN_TOKEN_LENGTH:
        raise ValueError(f"{name} est trop court ({len(value)} caractères, au moins {MIN_TOKEN_LENGTH}) : "
                         "choisissez un secret (par exemple : openssl rand -hex 32)")
    return value


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str, name: str) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/8' -> the networks; ValueError naming the setting on anything else."""
    networks = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{name}: {part!r} n'est ni une adresse IP ni un réseau (10.0.0.0/8)") from None
    return tuple(networks)


@dataclass(frozen=True)
class Settings:
    policies_dir: Path = DEFAULT_POLICIES
    log_path: Path | str = Path("clea-decisions.sqlite3")     # a SQLite file, or a postgresql:// URL
    log_max_bytes: int | None = None
    mask_paths: tuple[str, ...] = DEFAULT_PATHS
    max_body_bytes: int = MAX_BODY_BYTES
    max_batch_items: int = MAX_BATCH_ITEMS
    max_connections: int = MAX_CONNECTIONS
    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    reload_token: str | None = None
    journal_token: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    accounts_path: Path | None = None
    proposals_path: Path | None = None          # None: derived from the log's location (proposals_folder)
    proposals_dossiers: Path | None = None      # None: the decision log's recent dossiers

    def proposals_folder(self) -> Path:
        """Where proposals are kept: the setting, else `clea-propositions` beside a SQLite log."""
        if self.proposals_path is not None:
            return self.proposals_path
        return (self.log_path.parent if isinstance(self.log_path, Path) else Path(".")) / "clea-propositions"

    @classmethod
    def from_env(cls, env=None) -> Settings:
        """Raises ValueError on a malformed value."""
        env = os.environ if env is None else env
        settings = cls()
        if env.get("CLEA_POLICIES"):
            settings = replace(settings, policies_dir=Path(env["CLEA_POLICIES"]))
        if env.get("CLEA_LOG"):
            settings = replace(settings, log_path=log_target(env["CLEA_LOG"]))
        if env.get("CLEA_LOG_MAX_SIZE"):
            settings = replace(settings, log_max_bytes=parse_size(env["CLEA_LOG_MAX_SIZE"]))
        if env.get("CLEA_LOG_MASK") is not None:
            paths = tuple(path.strip() for path in env["CLEA_LOG_MASK"].split(",") if path.strip())
            settings = replace(settings, mask_paths=paths)
        if env.get("CLEA_MAX_BODY"):
            settings = replace(settings, max_body_bytes=parse_size(env["CLEA_MAX_BODY"]))
        if env.get("CLEA_MAX_BATCH"):
            settings = replace(settings, max_batch_items=parse_count(env["CLEA_MAX_BATCH"], "CLEA_MAX_BATCH"))
        if env.get("CLEA_MAX_CONNECTIONS"):
            settings = replace(settings, max_connections=parse_count(env["CLEA_MAX_CONNECTIONS"],
                                                                     "CLEA_MAX_CONNECTIONS"))
        if env.get("CLEA_HEADER_TIMEOUT"):
            settings = replace(settings, header_timeout=parse_seconds(env["CLEA_HEADER_TIMEOUT"], "CLEA_HEADER_TIMEOUT"))
        if env.get("CLEA_BODY_TIMEOUT"):
            settings = replace(settings, body_timeout=parse_seconds(env["CLEA_BODY_TIMEOUT"], "CLEA_BODY_TIMEOUT"))
        if env.get("CLEA_TRUSTED_PROXIES"):
            settings = replace(settings, trusted_proxies=parse_networks(env["CLEA_TRUSTED_PROXIES"],
                                                                        "CLEA_TRUSTED_PROXIES"))
        if env.get("CLEA_ACCOUNTS"):
            settings = replace(settings, accounts_path=Path(env["CLEA_ACCOUNTS"]))
        if env.get("CLEA_PROPOSALS"):
            settings = replace(settings, proposals_path=Path(env["CLEA_PROPOSALS"]))
        if env.get("CLEA_PROPOSALS_DOSSIERS"):
            settings = replace(settings, proposals_dossiers=Path(env["CLEA_PROPOSALS_DOSSIERS"]))
        reload_token = check_token(env.get("CLEA_RELOAD_TOKEN"), "CLEA_RELOAD_TOKEN")
        journal_token = check_token(env.get("CLEA_JOURNAL_TOKEN"), "CLEA_JOURNAL_TOKEN")
        if journal_token and journal_token == reload_token:
            raise ValueError("CLEA_JOURNAL_TOKEN et CLEA_RELOAD_TOKEN sont le même secret : le journal et le "
                             "rechargement demandent chacun le sien")
        return replace(settings, reload_token=reload_token, journal_token=journal_token)
