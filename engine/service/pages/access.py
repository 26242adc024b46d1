"""Who may read the decision log through the pages: whoever holds the service's token (CLEA_RELOAD_TOKEN, the one
that protects the reload). A browser gives it once on a form and keeps a signed, expiring cookie (HttpOnly,
SameSite=Strict) that never contains the token itself; other clients may send ``Authorization: Bearer``."""
from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import Request

COOKIE = "clea_journal"
LIFETIME = 8 * 3600   # seconds: a working day


def _signature(token: str, expires: int) -> str:
    return hmac.new(token.encode(), f"journal:{expires}".encode(), hashlib.sha256).hexdigest()


def session_cookie(token: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + LIFETIME)
    return f"{expires}.{_signature(token, expires)}"


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.strip().encode(), token.encode())


def allowed(request: Request, token: str | None, now: float | None = None) -> bool:
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token_matches(given, token):
        return True
    expires, _, signature = request.cookies.get(COOKIE, "").partition(".")
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature.encode(), _signature(token, int(expires)).encode())
