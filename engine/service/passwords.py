"""Passwords of the accounts: hashed with Argon2id (argon2-cffi's PasswordHasher, its recommended parameters),
never stored nor logged as typed. A fingerprint of the stored hash names it in a session, so that a new password
closes every session opened under the old one."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024       # longer ones are refused unread: hashing stays bounded
HASH_PREFIX = "$argon2"

_HASHER = PasswordHasher()


def password_problem(password: str) -> str | None:
    """Why a new password is refused (French), or None."""
    if len(password) < MIN_LENGTH:
        return f"le mot de passe doit compter au moins {MIN_LENGTH} caractères ({len(password)} donnés)"
    if len(password) > MAX_LENGTH:
        return f"le mot de passe dépasse {MAX_LENGTH} caractères"
    if not password.strip():
        return "le mot de passe ne peut pas être fait que d'espaces"
    return None


def hash_password(password: str, hasher: PasswordHasher = _HASHER) -> str:
    return hasher.hash(password)


def well_formed(stored: object) -> bool:
    return isinstance(stored, str) and stored.startswith(HASH_PREFIX) and len(stored) < 512


@lru_cache(maxsize=1)
def _decoy() -> str:
    return _HASHER.hash("un mot de passe qui n'ouvre rien")


def verify(stored: str | None, password: str) -> bool:
    """Does ``password`` match the stored hash? With no hash (an unknown account) a decoy is checked all the same,
    so that the time of the answer does not tell which accounts exist."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored if stored is not None else _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def fingerprint(stored: str) -> str:
    """A short, stable name of a stored hash (not the hash itself): what a session is opened under."""
    return hashlib.sha256(stored.encode()).hexdigest()[:16]
