"""Errors as RFC 9457 problem details (``application/problem+json``), never a stack trace.

Every error the service answers goes through :class:`Problem`: a status, a stable ``type`` URI, a title and,
when the client can fix something, ``erreurs``: one ``{"chemin", "message"}`` entry per problem, with its JSON
path in the request body. The HTTP status is chosen here, at the edge, and nowhere in the engine.
"""
from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Issue, json_path
from ..limits import MAX_PROBLEMS

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:clea-rules:probleme:"

logger = logging.getLogger("clea.service")


class Problem(Exception):
    """An error answer: raise it anywhere in a request, the handler below writes it out."""

    def __init__(self, status: int, kind: str, title: str, detail: str | None = None, *,
                 issues: list[Issue] | None = None, omitted: int = 0, headers: dict | None = None):
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        issues = issues or []
        self.issues = issues[:MAX_PROBLEMS]
        self.omitted = omitted + len(issues) - len(self.issues)
        self.headers = headers

    def as_dict(self) -> dict:
        body = {"type": TYPE_PREFIX + self.kind, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.issues:
            body["erreurs"] = [issue.as_dict() for issue in self.issues]
        if self.omitted:
            body["erreurs_non_listees"] = self.omitted
        return body

    def response(self, instance: str | None = None) -> JSONResponse:
        body = self.as_dict()
        if instance:
            body["instance"] = instance
        return _ProblemResponse(body, status_code=self.status, media_type=MEDIA_TYPE, headers=self.headers)


class _ProblemResponse(JSONResponse):
    """Escaped to ASCII: whatever a message quotes from the request (even a lone surrogate) can be sent."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def join_path(prefix: str, path: str) -> str:
    """join_path('faits', 'evenements[3].date') -> 'faits.evenements[3].date'; join_path('faits', '') -> 'faits'."""
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def invalid_request(issues: list[Issue], omitted: int = 0) -> Problem:
    return Problem(422, "requete-invalide", "Requête invalide",
                   "Le corps de la requête ne respecte pas le schéma attendu.", issues=issues, omitted=omitted)


def invalid_facts(issues: list[Issue], omitted: int = 0) -> Problem:
    """FactsError issues, placed in the envelope: under ``faits``, except the evaluation date's own."""
    # the engine reports the evaluation date (not part of the facts, whose root has no "date") as path "date"
    placed = [issue if issue.path == "date" else Issue(join_path("faits", issue.path), issue.message,
                                                         issue.file, issue.line)
              for issue in issues]
    return Problem(422, "faits-invalides", "Faits invalides",
                   "Les faits ne respectent pas le schéma ; chaque erreur indique son chemin.", issues=placed,
                   omitted=omitted)


_GENERIC = {
    400: ("requete-mal-formee", "Requête mal formée"),
    408: ("delai-depasse", "Requête trop lente"),
    401: ("non-authentifie", "Authentification requise"),
    403: ("interdit", "Accès refusé"),
    404: ("introuvable", "Ressource introuvable"),
    405: ("methode-non-permise", "Méthode non permise"),
    413: ("corps-trop-volumineux", "Corps de requête trop volumineux"),
    415: ("type-non-supporte", "Type de contenu non supporté"),
}


def http_problem(status: int, detail: str | None = None, headers: dict | None = None) -> Problem:
    kind, title = _GENERIC.get(status, ("erreur-http", "Erreur HTTP"))
    return Problem(status, kind, title, detail, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Route every error raised in a request (ours, Starlette's, FastAPI's, unexpected) to a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return exc.response(request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != _default_phrase(exc.status_code) else None
        return http_problem(exc.status_code, detail, getattr(exc, "headers", None)).response(request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        issues = [Issue(json_path(err.get("loc", ())), err.get("msg", "invalid")) for err in exc.errors()]
        return invalid_request(issues).response(request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return Problem(500, "erreur-interne", "Erreur interne",
                       "Une erreur inattendue est survenue ; elle a été journalisée côté serveur.").response(
            request.url.path)


def _default_phrase(status: int) -> str:
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
