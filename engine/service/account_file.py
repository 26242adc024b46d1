"""The accounts file (YAML, e.g. ``comptes.yaml``), which the administrator manages with ``clea account``:

    comptes:
      - identifiant: marie.durand
        nom: Marie Durand
        roles: [proposition]
        politiques: [ma_politique]
        mot_de_passe: $argon2id$v=19$m=65536,t=3,p=4$...

Read whole and checked: every problem is a French ``file:line: path: message`` (AccountsError), and a file with one
is used not at all. Written whole, atomically (a temporary file beside it, then os.replace; mode 0600): a reader
sees the old file or the new one, never half of it. Writers take a lock on the folder, one after the other.
"""
from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..documents import Document, parse_yaml, read_text
from ..errors import EngineError, Issue, json_path
from .accounts import ROLES, Account
from .passwords import well_formed

MAX_BYTES = 4 * 1024 * 1024
MAX_ACCOUNTS = 10_000
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
KEYS = ("identifiant", "nom", "roles", "politiques", "mot_de_passe")
HEADER = ("# Comptes des pages de clea serve : géré par `clea account` (add, list, remove, roles, password).\n"
          "# Les mots de passe n'y sont que hachés (Argon2id). Fichier réservé à l'administrateur (mode 0600).\n")


class AccountsError(EngineError):
    """The accounts file cannot be used: every problem found in it."""


@dataclass(frozen=True)
class Entry:
    """An account as the file keeps it: the account and the hash of its password."""

    account: Account
    password_hash: str


def identifier_problem(identifier: str) -> str | None:
    if IDENTIFIER.match(identifier):
        return None
    return (f"identifiant invalide « {identifier[:80]} » : de 1 à 64 caractères parmi les minuscules sans accent, "
            "les chiffres et . _ @ -, en commençant par une lettre ou un chiffre")


def roles_problems(roles: list[str], policies: list[str]) -> list[tuple[str, str]]:
    """(field, message) for roles and policies that do not go together; roles must be known ones."""
    problems = [(f"roles[{n}]", f"rôle inconnu « {role} » : rôles possibles : {', '.join(ROLES)}")
                for n, role in enumerate(roles) if role not in ROLES]
    if not roles:
        problems.append(("roles", f"au moins un rôle parmi : {', '.join(ROLES)}"))
    if "proposition" in roles and not policies:
        problems.append(("politiques", "le rôle proposition demande la liste des politiques où proposer"))
    if policies and "proposition" not in roles:
        problems.append(("politiques", "les politiques ne limitent que le rôle proposition, absent ici"))
    return problems


def _strings(value: object, where: tuple, document: Document, issues: list[Issue]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        issues.append(_issue(document, where, "une liste de textes attendue, par exemple [lecture]"))
        return []
    if len(set(value)) != len(value):
        issues.append(_issue(document, where, "un même élément y figure deux fois"))
    return list(value)


def _issue(document: Document, where: tuple, message: str) -> Issue:
    return Issue(json_path(where), message, document.source, document.line_of(where))


def _entry(item: object, n: int, document: Document, issues: list[Issue]) -> Entry | None:
    where: tuple = ("comptes", n)
    if not isinstance(item, dict):
        issues.append(_issue(document, where, "un compte s'écrit comme un objet (identifiant, nom, roles, "
                                              "politiques, mot_de_passe)"))
        return None
    before = len(issues)
    issues += [_issue(document, (*where, key), f"clé inconnue : clés possibles : {', '.join(KEYS)}")
               for key in item if key not in KEYS]
    issues += [_issue(document, where, f"{key} manquant") for key in KEYS if key not in item and key != "politiques"]
    identifier, name, stored = item.get("identifiant"), item.get("nom"), item.get("mot_de_passe")
    if "identifiant" in item:
        problem = identifier_problem(identifier) if isinstance(identifier, str) else "l'identifiant est un texte"
        if problem:
            issues.append(_issue(document, (*where, "identifiant"), problem))
    if "nom" in item and (not isinstance(name, str) or not name.strip() or len(name) > 200):
        issues.append(_issue(document, (*where, "nom"), "le nom de la personne, de 1 à 200 caractères"))
    if "mot_de_passe" in item and not well_formed(stored):
        issues.append(_issue(document, (*where, "mot_de_passe"), "pas un mot de passe haché par clea account "
                                                                 "(Argon2) : fixez-le avec clea account password"))
    roles = _strings(item.get("roles"), (*where, "roles"), document, issues) if "roles" in item else []
    policies = _strings(item.get("politiques", []), (*where, "politiques"), document, issues)
    if "roles" in item:
        issues += [_issue(document, (*where, *_parts(field)), message)
                   for field, message in roles_problems(roles, policies)]
    if len(issues) > before:
        return None
    account = Account(str(identifier), str(name).strip(), frozenset(roles), frozenset(policies))
    return Entry(account, str(stored))


def _parts(field: str) -> tuple:
    name, _, index = field.partition("[")
    return (name, int(index.rstrip("]"))) if index else (name,)


def parse_accounts(text: str, source: str) -> dict[str, Entry]:
    """The accounts of a file's text, by identifier; raises AccountsError with every problem."""
    document, issues = parse_yaml(text, source, aliases=False)
    if document is None or issues:
        raise AccountsError(issues)
    data = document.data if document.data is not None else {"comptes": []}
    if not isinstance(data, dict) or not isinstance(data.get("comptes"), list):
        raise AccountsError([Issue("", "un fichier de comptes commence par « comptes: » suivi de la liste des "
                                       "comptes", source, 1)])
    issues += [_issue(document, (key,), "clé inconnue : le fichier ne contient que « comptes »")
               for key in data if key != "comptes"]
    if len(data["comptes"]) > MAX_ACCOUNTS:
        raise AccountsError([_issue(document, ("comptes",), f"plus de {MAX_ACCOUNTS} comptes")])
    entries: dict[str, Entry] = {}
    for n, item in enumerate(data["comptes"]):
        entry = _entry(item, n, document, issues)
        if entry is None:
            continue
        if entry.account.identifiant in entries:
            issues.append(_issue(document, ("comptes", n, "identifiant"),
                                 f"l'identifiant « {entry.account.identifiant} » est déjà celui d'un autre compte"))
        entries[entry.account.identifiant] = entry
    if issues:
        raise AccountsError(issues)
    return entries


def read_accounts(path: Path) -> dict[str, Entry]:
    """The accounts of the file at ``path``; raises AccountsError (a missing file is one of its problems)."""
    text, issues = read_text(path, limit=MAX_BYTES, regular_only=True)
    if text is None:
        raise AccountsError(issues)
    return parse_accounts(text, str(path))


def accounts_text(entries: dict[str, Entry]) -> str:
    """The file's text for these accounts (in the order given), as parse_accounts reads it back."""
    items = [{"identifiant": entry.account.identifiant, "nom": entry.account.nom,
              "roles": [role for role in ROLES if role in entry.account.roles],
              **({"politiques": sorted(entry.account.politiques)} if entry.account.politiques else {}),
              "mot_de_passe": entry.password_hash} for entry in entries.values()]
    return HEADER + yaml.safe_dump({"comptes": items}, allow_unicode=True, sort_keys=False, width=200,
                                   default_flow_style=None)


def write_accounts(path: Path, entries: dict[str, Entry]) -> None:
    """Replace the file by these accounts, atomically, readable by its owner only (0600)."""
    text = accounts_text(entries)
    parse_accounts(text, str(path))         # never writes what it could not read back
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@contextmanager
def changing(path: Path) -> Iterator[None]:
    """Hold the folder's lock while the file is read, changed and written: two administrators' changes at once are
    made one after the other, neither lost."""
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)
