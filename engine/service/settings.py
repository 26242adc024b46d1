"""The service's settings: from the environment (CLEA_*), overridden by ``clea serve`` options.

| variable | meaning | default |
|---|---|---|
| CLEA_POLICIES | the policy folder | the project's ``policies/`` |
| CLEA_LOG | the decision log (SQLite file) | ``clea-decisions.sqlite3`` |
| CLEA_LOG_MAX_SIZE | cap on the log's size (``500M``, ``2G``); writes past it fail with 503 | none |
| CLEA_LOG_MASK | comma-separated JSON paths masked in the log (replaces the default list) | names, e-mails, addresses… |
| CLEA_MAX_BODY | the largest request body accepted (``1M``, ``256K``); larger ones get 413 | ``1M`` |
| CLEA_RELOAD_TOKEN | the bearer token of POST /v1/policies/reload; unset: the endpoint is disabled | unset |
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .masking import DEFAULT_PATHS

DEFAULT_POLICIES = Path(__file__).resolve().parents[2] / "policies"

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def parse_size(text: str) -> int:
    """'512' -> 512, '64K' -> 65536, '1M' -> 1048576 (binary units; 'KiB', 'MB' also accepted)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"invalid size {text!r}: expected a number of bytes, optionally followed by K, M or G")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


@dataclass(frozen=True)
class Settings:
    policies_dir: Path = DEFAULT_POLICIES
    log_path: Path = Path("clea-decisions.sqlite3")
    log_max_bytes: int | None = None
    mask_paths: tuple[str, ...] = DEFAULT_PATHS
    max_body_bytes: int = 1024 ** 2
    reload_token: str | None = None

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        """Raises ValueError on a malformed value."""
        env = os.environ if env is None else env
        settings = cls()
        if env.get("CLEA_POLICIES"):
            settings = replace(settings, policies_dir=Path(env["CLEA_POLICIES"]))
        if env.get("CLEA_LOG"):
            settings = replace(settings, log_path=Path(env["CLEA_LOG"]))
        if env.get("CLEA_LOG_MAX_SIZE"):
            settings = replace(settings, log_max_bytes=parse_size(env["CLEA_LOG_MAX_SIZE"]))
        if env.get("CLEA_LOG_MASK") is not None:
            paths = tuple(path.strip() for path in env["CLEA_LOG_MASK"].split(",") if path.strip())
            settings = replace(settings, mask_paths=paths)
        if env.get("CLEA_MAX_BODY"):
            settings = replace(settings, max_body_bytes=parse_size(env["CLEA_MAX_BODY"]))
        return replace(settings, reload_token=env.get("CLEA_RELOAD_TOKEN") or None)
