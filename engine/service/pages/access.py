"""Who may open a page: the account signed in on this browser (engine/service/accounts.py), through a server-side
session (engine/service/sessions.py) whose cookie (HttpOnly, SameSite=Strict, Secure over https) holds a random
identifier, never a password; signing out revokes every copy of the cookie. Other systems reading the decision
journal send ``Authorization: Bearer $CLEA_JOURNAL_TOKEN`` instead (no session, no account)."""
from __future__ import annotations

import hmac

from fastapi import Request, Response

from ..accounts import SESSION_COOKIE
from ..sessions import LIFETIME

COOKIE = SESSION_COOKIE

__all__ = ["COOKIE", "LIFETIME", "bearer_matches", "forget", "keep", "safe_next", "token_matches"]


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), token.encode())


def bearer_matches(request: Request, token: str | None) -> bool:
    """Does the request carry ``Authorization: Bearer <token>`` (another system's call)?"""
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and token_matches(given, token)


def keep(response: Response, request: Request, session_id: str) -> None:
    """Give the browser its session's cookie, for every page of the service."""
    response.set_cookie(COOKIE, session_id, max_age=LIFETIME, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def forget(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")


def safe_next(target: str | None, default: str = "/") -> str:
    """Where to go after signing in: a page of this service only (a path), never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return default
    if any(ord(char) < 32 for char in target) or target.startswith(("/connexion", "/deconnexion")):
        return default
    return target
