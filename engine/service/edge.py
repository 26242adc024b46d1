"""The service's edge: what every request and every answer goes through, before any route.

- **Who is calling.** The peer's address is the caller's, unless the peer is one of the reverse proxies the
  operator names (``CLEA_TRUSTED_PROXIES``): then ``X-Forwarded-For`` (its last address that is not a trusted
  proxy) and ``X-Forwarded-Proto`` are believed, and so is ``X-Client-Id`` (:func:`caller`). From anyone else
  they are the caller's own claims.
- **Security headers** on every answer: a Content-Security-Policy (``default-src 'none'`` plus what the pages
  need: their own style sheet and icon, forms to themselves; /docs gets its own, app.py), ``frame-ancestors
  'none'`` and ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (no address
  leaves for another site; ``no-referrer`` would make browsers send ``Origin: null`` with the pages' own forms),
  and HSTS when the scheme is https.
- **Cross-site writes.** The API's evaluations accept only ``application/json`` (415 otherwise: no form or
  ``text/plain`` body of another site reaches the engine); a page's POST from another origin (``Origin``,
  ``Sec-Fetch-Site``) is refused (403), and every page answer gives the browser its anti-forgery value
  (engine/service/forgery.py).
- **Request heads**: at most MAX_HEADERS header lines (431 beyond).
"""
from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from html import escape
from typing import Any
from urllib.parse import urlsplit

from ..limits import MAX_HEADERS
from . import forgery
from .problems import MEDIA_TYPE, Problem
from .settings import Network

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]



def content_hashes(texts) -> str:
    """'sha256-…' sources of a Content-Security-Policy for these inline texts (a <style> or a style attribute)."""
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'" for text in texts)


def pages_policy(inline_styles=()) -> str:
    """The pages' policy: no script at all, their own style sheet and icon, the inline styles they write (by hash),
    forms sent to themselves only, never framed."""
    styles = f" 'unsafe-hashes' {content_hashes(inline_styles)}" if inline_styles else ""
    return (f"default-src 'none'; style-src 'self'{styles}; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")

JSON_BODIES = ("/v1/evaluations", "/v1/evaluations/batch")
_NOT_PAGES = ("/v1/", "/openapi.json", "/docs", "/statique/")
_SAFE = ("GET", "HEAD", "OPTIONS")
PROXIED = "clea_proxied"


def trusted(address: str | None, proxies: tuple[Network, ...]) -> bool:
    if not address or not proxies:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def caller(scope: Scope, headers: Mapping[str, str]) -> dict:
    """The decision log's ``appelant`` and ``adresse``: X-Client-Id as given when a trusted proxy sent it (the proxy
    vouches for it), prefixed ``declare:`` otherwise (a claim nobody checked); the address as resolved above."""
    client_id = headers.get("x-client-id")
    if client_id:
        client_id = client_id[:200] if scope.get("state", {}).get(PROXIED) else "declare:" + client_id[:192]
    client = scope.get("client")
    return {"appelant": client_id or None, "adresse": client[0] if client else None}


class Edge:
    def __init__(self, app: ASGIApp, *, proxies: tuple[Network, ...] = (), inline_styles=()) -> None:
        self.app = app
        self.proxies = proxies
        self.policy = pages_policy(inline_styles).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope["headers"]
        if len(raw) > MAX_HEADERS:
            await _refuse(send, 431, "en-tetes-trop-nombreux", "Trop d'en-têtes",
                          f"Une requête porte au plus {MAX_HEADERS} en-têtes, celle-ci {len(raw)}.")
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in raw}
        self._resolve(scope, headers)
        refusal = _refusal(scope, headers)
        if refusal:
            await _refuse(send, *refusal, page="text/html" in headers.get("accept", ""))
            return
        given = _cookie(headers.get("cookie", ""), forgery.COOKIE)
        value = given if given and forgery.well_formed(given) else forgery.new_value()
        reset = forgery.current.set(value)
        page = not scope["path"].startswith(_NOT_PAGES)
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _security_headers(secure, self.policy)
                         if name not in present]
                if page and value != given:
                    extra.append((b"set-cookie", _form_cookie(value, secure)))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            forgery.current.reset(reset)

    def _resolve(self, scope: Scope, headers: dict[str, str]) -> None:
        """The caller's address and scheme, from a trusted proxy's X-Forwarded-* headers only."""
        peer = scope.get("client")
        proxied = trusted(peer[0] if peer else None, self.proxies)
        scope.setdefault("state", {})[PROXIED] = proxied
        if not proxied:
            return
        forwarded = [part.strip() for part in headers.get("x-forwarded-for", "").split(",") if part.strip()]
        while forwarded and trusted(forwarded[-1], self.proxies):
            forwarded.pop()
        if forwarded:
            scope["client"] = (forwarded[-1][:64], 0)
        proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto


def _refusal(scope: Scope, headers: dict[str, str]) -> tuple[int, str, str, str] | None:
    method, path = scope["method"], scope["path"]
    if method == "POST" and path in JSON_BODIES:
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            return (415, "type-non-supporte", "Type de contenu non supporté",
                    f"Le corps doit être du JSON (Content-Type: application/json), pas {media[:80] or 'rien'}.")
    if method not in _SAFE and not path.startswith("/v1/"):
        origin = headers.get("origin")
        foreign = origin is not None and (origin == "null" or urlsplit(origin).netloc.lower()
                                          != headers.get("host", "").lower())
        if foreign or headers.get("sec-fetch-site") == "cross-site":
            return (403, "origine-refusee", "Origine refusée",
                    ("Ce formulaire a été envoyé depuis un autre site : il n'est accepté que depuis les pages de "
                     "ce service."))
    return None


def _security_headers(secure: bool, policy: bytes = pages_policy().encode()) -> list[tuple[bytes, bytes]]:
    headers = [(b"content-security-policy", policy), (b"x-content-type-options", b"nosniff"),
               (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin")]
    if secure:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers


def _form_cookie(value: str, secure: bool) -> bytes:
    return (f"{forgery.COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")).encode()


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip()
    return None


async def _refuse(send: Send, status: int, kind: str, title: str, detail: str, page: bool = False) -> None:
    """A refusal before any route: a problem document, or for a browser a short page in French."""
    if page:
        body = (f'<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>{escape(title)}</title>'
                f'<h1>{escape(title)}</h1><p>{escape(detail)}</p><p><a href="/">Retour à l\'accueil</a></p>').encode()
        media = b"text/html; charset=utf-8"
    else:
        body = json.dumps(Problem(status, kind, title, detail).as_dict(), ensure_ascii=True).encode("ascii")
        media = MEDIA_TYPE.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", media),
                            (b"content-length", str(len(body)).encode()), *_security_headers(False)]})
    await send({"type": "http.response.body", "body": body})
