"""Who may read the decision log through the pages: whoever holds the journal's token (CLEA_JOURNAL_TOKEN, a secret
of its own: not the reload's). A browser gives it once on a form and gets a server-side session (engine/service/
sessions.py): its cookie (HttpOnly, SameSite=Strict, Secure over https) holds a random identifier, never the token,
and closing the session revokes every copy of the cookie. Other clients may send ``Authorization: Bearer``."""
from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..decision_log import DecisionLogError
from ..sessions import LIFETIME, SessionStore

COOKIE = "clea_journal"

__all__ = ["COOKIE", "LIFETIME", "allowed", "subject", "token_matches"]


@lru_cache(maxsize=8)
def subject(token: str) -> str:
    """Whom a session opens the pages for: the journal, under this token (one shared token today; accounts later).
    A slow hash of the token, so that a new CLEA_JOURNAL_TOKEN closes the sessions opened under the old one, and
    the log's database holds nothing a weak token could be checked against quickly."""
    return "journal:" + hashlib.pbkdf2_hmac("sha256", token.encode(), b"clea-journal-session", 200_000)[:12].hex()


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), token.encode())


async def allowed(request: Request, token: str | None, sessions: SessionStore | None) -> bool:
    if not token or sessions is None:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token_matches(given, token):
        return True
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return False
    try:
        return await run_in_threadpool(sessions.subject, session_id) == subject(token)
    except DecisionLogError:
        return False
