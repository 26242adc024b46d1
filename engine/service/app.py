"""The ASGI application: routes of the verdict service, built by :func:`create_app`.

    POST /v1/evaluations            {"faits": {...}, "date": "YYYY-MM-DD"} -> the verdict + decision_id
    POST /v1/evaluations/batch      [ {...}, ... ] -> [decision or problem, ...] in order
    GET  /v1/policies               ids, versions, revisions, what each overlay extends
    GET  /v1/policies/{id}/parameters?date=YYYY-MM-DD
    POST /v1/policies/reload        Authorization: Bearer $CLEA_RELOAD_TOKEN (or send SIGHUP)
    GET  /v1/health
    GET  /openapi.json

Start-up loads the policies and opens the log: a broken folder raises PolicyError, an unusable log
DecisionLogError, a broken accounts file AccountsError, before anything is served.
"""
from __future__ import annotations

import asyncio
import hmac
import re
from contextlib import asynccontextmanager
from functools import partial
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from ..errors import Issue, PolicyError
from ..evaluation import evaluate, prepare, today_in_paris
from ..limits import RELOAD_TIMEOUT
from ..policy import load_policies, schemas_dir
from ..reports.ics import verdict_ics
from ..reports.timeline import INLINE_STYLES
from . import openapi, pages
from .account_book import AccountBook
from .compact_json import CompactJSONResponse
from .decision_log import open_log
from .decisions import DecisionService
from .edge import Edge, caller, content_hashes
from .guessing import Guessing, too_many_attempts
from .health import Health, policy_summary
from .log_years import logged_days
from .problems import Problem, http_problem, install_handlers, invalid_request
from .reload import PolicyHolder, ReloadUnavailable
from .requests import DATE_SCHEMA, batch_request, query_date, read_json
from .serial import SerialExecutor
from .sessions import SessionStore
from .settings import Settings
from .workers import WorkerBoard

DOCS_ASSETS = "/docs/assets"
EVALUATION_PARAMETERS = [
    {"name": "explain", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
     "description": "chaque action, frais, changement de statut et constat porte son `explication`"},
    {"name": "acteur", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "avec Accept: text/calendar, les seules échéances de cet acteur"},
]


def _version() -> str:
    try:
        return version("clea-rules")
    except PackageNotFoundError:
        return "0"


def load_checked(directory, in_service=None, *, log=None):
    """Read and check every policy of the folder. At a reload, the new set is compared with the one in service: the
    past it priced and counted stays as it was (engine/policy/history.py); at start and at each reload, each policy
    is also compared with its last publication (engine/policy/versions/publications.py), and, given the decision
    log, its years with the dossiers already evaluated (engine/service/log_years.py)."""
    baseline = in_service.snapshots if in_service is not None else None
    return load_policies(directory, baseline=baseline, today=today_in_paris(), published=True,
                         evaluated=logged_days(log) if log is not None else None)


def compile_all(policies):
    """Compile every policy (on the engine thread): a reload fails here, not on its first evaluation."""
    for policy in policies:
        prepare(policy)
    return policies


def _caller(request: Request) -> dict:
    return caller(request.scope, request.headers)


def docs_policy(html: str) -> str:
    """The Content-Security-Policy of /docs: Swagger UI's own files, its one inline script (by its hash), its inline
    styles and data: images, and fetching /openapi.json; never framed."""
    hashes = content_hashes(re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL))
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _reloaded_since(worker: dict, since: str) -> bool:
    return ((worker.get("dernier_rechargement") or {}).get("le") or "") >= since


def create_app(settings: Settings, board: WorkerBoard | None = None) -> FastAPI:
    """The service; ``board``: the state shared with the other workers of ``clea serve --workers N``."""
    engine = SerialExecutor("clea-engine")
    log_writer = SerialExecutor("clea-log")
    try:
        accounts = AccountBook(settings.accounts_path) if settings.accounts_path else None
        holder = PolicyHolder(settings.policies_dir, load=partial(load_checked, log=settings.log_path),
                              compile=compile_all, engine=engine)
        log = open_log(settings.log_path, mask_paths=settings.mask_paths, max_bytes=settings.log_max_bytes)
        sessions = SessionStore(settings.log_path) if accounts is not None else None
    except BaseException:
        engine.shutdown()
        log_writer.shutdown()
        raise
    health = Health(holder=holder, engine=engine, log=log, log_writer=log_writer, board=board or WorkerBoard(),
                    accounts=accounts)
    holder.on_reload = health.publish
    decisions = DecisionService(evaluate=evaluate, holder=holder, engine=engine, log=log, log_writer=log_writer,
                                on_log=health.log_written)
    guessing = Guessing()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        holder.install_sighup()
        health.publish()
        try:
            yield
        finally:
            health.board.withdraw()
            holder.remove_sighup()
            engine.shutdown()
            log_writer.shutdown()
            log.close()

    app = FastAPI(title="clea-rules", version=_version(), lifespan=lifespan,
                  description="Verdicts de conformité : faits en entrée, verdict en sortie.",
                  docs_url=None, redoc_url=None)
    # /docs is served with its own Swagger UI files (swagger-ui-bundle-v2): it works without any network
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")
    app.add_middleware(Edge, proxies=settings.trusted_proxies, inline_styles=INLINE_STYLES)

    @app.get("/docs", include_in_schema=False)
    async def docs():
        page = get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="clea-rules — API",
                                   swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png")
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body).decode())
        return page
    install_handlers(app)
    app.state.engine, app.state.holder = engine, holder
    app.state.accounts, app.state.sessions = accounts, sessions

    @app.post("/v1/evaluations", response_class=JSONResponse, summary="Évaluer un dossier",
              openapi_extra={"requestBody": {"required": True, "content": openapi.json_body("DemandeEvaluation")},
                             "parameters": EVALUATION_PARAMETERS,
                             "responses": {"200": {"description": "la décision ; avec Accept: text/calendar, les "
                                                                  "échéances ouvertes en iCalendar",
                                                   "content": {**openapi.json_body("Decision"),
                                                               "text/calendar": {"schema": {"type": "string"}}}},
                                           **openapi.problems(400, 408, 413, 415, 422, 431, 503)}})
    async def evaluate_one(request: Request):
        body = await read_json(request, settings.max_body_bytes, settings.body_timeout)
        if not isinstance(body, dict):
            raise invalid_request([Issue("", "une demande d'évaluation est un objet JSON")])
        explain = _flag(request, "explain")
        [result] = await decisions.decide([body], _caller(request), explain=explain)
        if isinstance(result, Problem):
            raise result
        if _wants_calendar(request):
            policy = holder.current.get(result["politique"]["id"])
            actor = request.query_params.get("acteur")
            return Response(verdict_ics(result, policy, actor=actor), media_type="text/calendar; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="echeances.ics"',
                                     "X-Decision-Id": result["decision_id"]})
        return CompactJSONResponse(result)

    @app.post("/v1/evaluations/batch", response_class=JSONResponse, summary="Évaluer un lot de dossiers",
              openapi_extra={"requestBody": {"required": True, "content": openapi.json_body("DemandeLot")},
                             "responses": {"200": {"description": "une décision ou un problème par demande, dans l'ordre",
                                                   "content": openapi.json_body("ResultatLot")},
                                           **openapi.problems(400, 408, 413, 415, 422, 431, 503)}})
    async def evaluate_batch(request: Request):
        items = batch_request(await read_json(request, settings.max_body_bytes, settings.body_timeout),
                              settings.max_batch_items)
        results = await decisions.decide(items, _caller(request))
        return CompactJSONResponse([result.as_dict() if isinstance(result, Problem) else result for result in results])

    @app.get("/v1/policies", summary="Politiques en service")
    async def list_policies():
        return {"politiques": policy_summary(holder.current)}

    @app.get("/v1/policies/{policy_id}/parameters", summary="Paramètres en vigueur à une date",
             responses=openapi.problems(404, 422),
             openapi_extra={"parameters": [
                 {"name": "date", "in": "query", "required": False,
                  "schema": {**DATE_SCHEMA, "description": "par défaut, aujourd'hui à Paris"}}]})
    async def parameters(policy_id: str, request: Request):
        date = request.query_params.get("date")     # described above, checked by the one date rule
        policies = holder.current
        if policy_id not in policies.ids():
            raise http_problem(404, f"Aucune politique {policy_id!r} en service.")
        day = query_date(date) if date is not None else today_in_paris()
        policy = policies.get(policy_id)
        values = await engine.call(policy.parameters_at, day)
        return {"politique": policy.describe(), "date": day.isoformat(), "parametres": values}

    @app.post("/v1/policies/reload", summary="Recharger les politiques",
              responses=openapi.problems(401, 403, 409, 429, 503))
    async def reload_policies(request: Request):
        await check_token(request, settings.reload_token, guessing)
        try:
            fresh = await holder.reload()
            app.openapi_schema = None       # the event catalogue may have changed
        except PolicyError as exc:
            raise Problem(409, "politique-invalide", "Politiques invalides : rechargement refusé",
                          "Les politiques précédentes restent en service.", issues=exc.issues) from exc
        except ReloadUnavailable as exc:
            raise Problem(503, "rechargement-impossible", "Rechargement impossible",
                          f"{exc} ; les politiques précédentes restent en service.",
                          headers={"Retry-After": "60"}) from exc
        answer = {"recharge": True, "politiques": policy_summary(fresh)}
        workers = await reload_others()
        if workers is not None:
            answer["travailleurs"] = workers
        return answer

    async def reload_others() -> list[dict] | None:
        """The other workers of `clea serve --workers N` follow this one's reload (None: there are none)."""
        if not health.board.reload_others():
            return None
        return await health.board.wait_for_peers(holder.last_reload.at or "", RELOAD_TIMEOUT, _reloaded_since)

    async def reload_everywhere() -> None:
        """A publication's reload (engine/proposals/publishing.py): this worker, then every other one."""
        await holder.reload()
        app.openapi_schema = None
        await reload_others()

    @app.get("/v1/health", summary="État du service", responses=openapi.problems(503))
    async def health_state():
        body, status = await health.report()
        return JSONResponse(body, status_code=status)

    openapi.install(app, schemas_dir(), lambda: holder.current, settings.max_batch_items)
    pages.install(app, holder=holder, settings=settings, decisions=decisions, engine=engine, guessing=guessing,
                  sessions=sessions, accounts=accounts, reload=reload_everywhere)
    return app


def _flag(request: Request, name: str) -> bool:
    """?explain=true (or 1, oui); anything else is an argument error, not silently false."""
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "1", "oui"):
        return True
    if value.lower() in ("false", "0", "non", ""):
        return False
    raise invalid_request([Issue(name, f"{value!r} : true ou false attendu")])


def _wants_calendar(request: Request) -> bool:
    """Accept: text/calendar (the open due dates as iCalendar) rather than JSON, by the q-values (RFC 9110):
    calendar when it is preferred strictly to JSON; a tie, or no Accept, is JSON."""
    weights = accepted(request.headers.get("accept", ""))
    calendar = weights.get("text/calendar", weights.get("text/*", 0.0))
    json_weight = weights.get("application/json", weights.get("application/*", weights.get("*/*", 0.0)))
    return calendar > 0 and calendar > json_weight


def accepted(header: str) -> dict[str, float]:
    """'text/calendar, application/json;q=0.1' -> {'text/calendar': 1.0, 'application/json': 0.1}."""
    weights: dict[str, float] = {}
    for item in header.split(",")[:50]:
        media, *parameters = [part.strip() for part in item.split(";")]
        if not media:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(1.0, max(0.0, float(value)))
                except ValueError:
                    weight = 0.0
        weights[media.lower()] = max(weight, weights.get(media.lower(), 0.0))
    return weights


async def check_token(request: Request, expected: str | None, guessing: Guessing) -> None:
    """The reload's bearer token; repeated failures from one client are slowed down, then refused (429)."""
    if not expected:
        raise http_problem(403, "Rechargement par HTTP désactivé : CLEA_RELOAD_TOKEN n'est pas défini "
                                "(envoyez SIGHUP au processus).")
    client = request.client.host if request.client else "?"
    wait = guessing.retry_after(client, request.url.path)
    if wait is not None:
        raise too_many_attempts(wait)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        if given.strip():       # a token was tried (no token at all guesses nothing)
            await asyncio.sleep(guessing.failed(client, request.url.path))
        raise http_problem(401, "Jeton de rechargement absent ou invalide.", headers={"WWW-Authenticate": "Bearer"})
    guessing.succeeded(client)

