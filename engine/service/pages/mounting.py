"""The pages mounted on the service's app: their routes, the style sheet and icons, and the error pages."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import changes, evaluate, home, impact, parameters, proposals, reglement, signin
from . import decisions as journal
from .site import STATIC_DIR, STATIC_URL, PageError, Site

_API_PREFIXES = ("/v1/", "/openapi.json", "/docs")


def install(app: FastAPI, *, holder, settings, decisions, engine, guessing, sessions=None, accounts=None,
            reload=None) -> Site:
    site = Site(holder, settings, guessing, sessions, accounts)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="statique")
    # the pages: who is signed in, first (with accounts configured, someone must be); the journal and the sign-in
    # say themselves who may open them
    router = APIRouter(include_in_schema=False, dependencies=[Depends(site.reader)])
    for module in (home, parameters, reglement, changes):
        module.add_routes(router, site)
    evaluate.add_routes(router, site, decisions)
    impact.add_routes(router, site, engine)
    app.include_router(router)
    own = APIRouter(include_in_schema=False)
    signin.add_routes(own, site)
    journal.add_routes(own, site)
    proposals.add_routes(own, site, engine, reload)
    app.include_router(own)
    _install_error_pages(app, site)
    signin.install_forbidden(app, site)
    return site


def _wants_page(request: Request) -> bool:
    return (not request.url.path.startswith(_API_PREFIXES)
            and "text/html" in request.headers.get("accept", ""))


_Handler = Callable[[Request, Exception], Awaitable[Response]]


def _handler(app: FastAPI, kind: type[Exception]) -> _Handler:
    """The API's own (asynchronous) handler of an exception, installed before the pages (engine/service/app.py)."""
    found = app.exception_handlers.get(kind)
    if found is None:
        raise RuntimeError(f"the API handles {kind.__name__} before the pages are installed")
    return cast(_Handler, found)


def _install_error_pages(app: FastAPI, site: Site) -> None:
    api_handler, unexpected_handler = _handler(app, StarletteHTTPException), _handler(app, Exception)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError):
        return site.error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if _wants_page(request):
            if exc.status_code == 404:
                return site.error(PageError(404, "Page introuvable",
                                            "Cette adresse ne correspond à aucune page. Les pages sont listées "
                                            "dans la navigation en haut de chaque page."))
            if exc.status_code == 405:
                return site.error(PageError(405, "Méthode non permise", "Cette page ne s'utilise pas ainsi."))
        return await api_handler(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        answer = await unexpected_handler(request, exc)   # logs it, with its traceback, on the server's side
        if not _wants_page(request):
            return answer
        return site.error(PageError(500, "Erreur interne", "Une erreur inattendue est survenue ; elle a été "
                                    "journalisée par le service. Réessayez, ou signalez-la à son administrateur."))
