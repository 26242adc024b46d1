"""The pages mounted on the service's app: their routes, the style sheet and icons, and the error pages."""
from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import changes, evaluate, home, impact, parameters, reglement
from . import decisions as journal
from .site import STATIC_DIR, STATIC_URL, PageError, Site

_API_PREFIXES = ("/v1/", "/openapi.json", "/docs")


def install(app: FastAPI, *, holder, settings, decisions, engine) -> Site:
    site = Site(holder, settings)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="statique")
    router = APIRouter(include_in_schema=False)
    for module in (home, parameters, reglement, changes, journal):
        module.add_routes(router, site)
    evaluate.add_routes(router, site, decisions)
    impact.add_routes(router, site, engine)
    app.include_router(router)
    _install_error_pages(app, site)
    return site


def _wants_page(request: Request) -> bool:
    return (not request.url.path.startswith(_API_PREFIXES)
            and "text/html" in request.headers.get("accept", ""))


def _install_error_pages(app: FastAPI, site: Site) -> None:
    api_handler = app.exception_handlers.get(StarletteHTTPException)
    unexpected_handler = app.exception_handlers.get(Exception)

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
