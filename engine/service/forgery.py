"""Anti-forgery for the pages' forms: a form is accepted only from a page this service sent to this browser.

Every page answer makes sure the browser holds a random value in the cookie ``clea_formulaire`` (HttpOnly,
SameSite=Strict); every form carries the same value in a hidden field ``jeton_formulaire``. A page of another
site can neither read the cookie nor make the browser send it with a cross-site POST, so its forged form fails
the comparison (403). The edge (engine/service/edge.py) also refuses a POST whose ``Origin`` is another site's.
"""
from __future__ import annotations

import hmac
import re
import secrets
from contextvars import ContextVar

COOKIE = "clea_formulaire"
FIELD = "jeton_formulaire"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

# the value of the request being answered (set by the edge, read by the templates)
current: ContextVar[str] = ContextVar("clea_form_token", default="")


def well_formed(value: str | None) -> bool:
    return bool(value) and _WELL_FORMED.match(value or "") is not None


def new_value() -> str:
    return secrets.token_urlsafe(32)


def form_token() -> str:
    """The hidden field's value for the page being rendered."""
    return current.get()


def genuine(cookie: str | None, field: object) -> bool:
    """Does a submitted form carry the browser's own value?"""
    return well_formed(cookie) and isinstance(field, str) and hmac.compare_digest(field.encode(), (cookie or "").encode())
