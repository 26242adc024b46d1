"""Décisions: the decision log, searchable by the day recorded, SIREN and status, and each decision's verdict page
(facts and verdict as logged: personal data masked). Protected by the journal's own token (CLEA_JOURNAL_TOKEN).

    GET  /decisions?du=&au=&siren=&statut=&page=     the list, newest first
    GET  /decisions/{decision_id}                    the verdict page of a logged decision
    GET  /decisions/connexion, POST (jeton)          give the token once; a server-side session for the day
    POST /decisions/deconnexion                      closes the session: every copy of its cookie opens nothing
"""
from __future__ import annotations

import asyncio
import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...policy import PolicySet
from ..decision_log import DecisionLogError
from ..decision_search import Filters, find, search
from ..guessing import too_many_attempts
from . import access
from .site import PageError, Site, parse_day
from .verdict import verdict_view

RUBRIQUE = "/decisions"
PAGE_SIZE = 50
_SIREN = re.compile(r"^\d{9}$")
_NO_TOKEN = ("Le journal des décisions n'est pas consultable ici",
             ("Aucun jeton n'est configuré pour ce service : démarrez clea serve avec la variable d'environnement "
              "CLEA_JOURNAL_TOKEN pour ouvrir l'accès au journal (un secret distinct de celui du rechargement)."))


def _safe_next(target: str | None) -> str:
    """Where to go after giving the token: a page of the journal only (never another site)."""
    return target if target and target.startswith("/decisions") and not target.startswith("//") else "/decisions"


def _statuses(policies: PolicySet) -> list[tuple[str, str]]:
    """(code, title) of every status of the policies in service, for the search's choice (the code stays the URL's
    value), by title."""
    titles: dict[str, str] = {}
    for policy in policies:
        for status in policy.status_model.values:
            titles.setdefault(status, policy.labels.status(status))
    return sorted(titles.items(), key=lambda item: item[1])


def _worded(rows: list[dict], policies: PolicySet) -> list[dict]:
    """The journal's rows as a person reads them: a status by its title, a policy by its name (a policy no longer
    in service keeps its identifier, a status then its code)."""
    out = []
    for row in rows:
        policy = policies.get(row["politique_id"]) if row.get("politique_id") in policies.ids() else None
        out.append({**row, "statut_titre": policy.labels.status(row["statut"]) if policy and row.get("statut")
                    else row.get("statut"), "politique_titre": policy.title if policy else row.get("politique_id")})
    return out


def add_routes(router: APIRouter, site: Site) -> None:
    token = site.settings.journal_token

    async def require(request: Request):
        if not token:
            raise PageError(403, *_NO_TOKEN)
        if not await access.allowed(request, token, site.sessions):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/decisions/connexion?" + urlencode({"suite": target}), status_code=303)
        return None

    @router.get("/decisions/connexion")
    async def login_form(suite: str | None = None):
        if not token:
            raise PageError(403, *_NO_TOKEN)
        return site.render("connexion.html", rubrique=RUBRIQUE, suite=_safe_next(suite), erreur=None)

    @router.post("/decisions/connexion")
    async def login(request: Request):
        if not token:
            raise PageError(403, *_NO_TOKEN)
        form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
        site.check_form(request, form)
        target = _safe_next(str(form.get("suite") or ""))
        client = request.client.host if request.client else "?"
        wait = site.guessing.retry_after(client, request.url.path)
        if wait is not None:
            problem = too_many_attempts(wait)
            return site.render("connexion.html", rubrique=RUBRIQUE, status=429, suite=target, headers=problem.headers,
                               erreur=f"Trop de jetons invalides venant de cette adresse : réessayez dans {wait} s.")
        if not access.token_matches(str(form.get("jeton") or ""), token):
            if str(form.get("jeton") or "").strip():
                await asyncio.sleep(site.guessing.failed(client, request.url.path))
            return site.render("connexion.html", rubrique=RUBRIQUE, status=401, suite=target,
                               erreur="Ce jeton n'ouvre pas le journal. Vérifiez-le et réessayez.")
        site.guessing.succeeded(client)
        if site.sessions is None:
            raise PageError(403, *_NO_TOKEN)
        session_id = await run_in_threadpool(site.sessions.open, access.subject(token))
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(access.COOKIE, session_id, max_age=access.LIFETIME, path="/decisions",
                            httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    @router.post("/decisions/deconnexion")
    async def logout(request: Request):
        form = await request.form(max_files=0, max_fields=2, max_part_size=4096)
        site.check_form(request, form)
        session_id = request.cookies.get(access.COOKIE)
        if session_id and site.sessions is not None:
            await run_in_threadpool(site.sessions.close, session_id)
        response = RedirectResponse("/decisions/connexion", status_code=303)
        response.delete_cookie(access.COOKIE, path="/decisions")
        return response

    @router.get("/decisions")
    async def journal(request: Request, du: str | None = None, au: str | None = None, siren: str | None = None,
                      statut: str | None = None, page: int = 1):
        denied = await require(request)
        if denied:
            return denied
        siren = (siren or "").replace(" ", "") or None
        if siren and not _SIREN.match(siren):
            raise PageError(422, "SIREN invalide", "Le SIREN recherché s'écrit avec 9 chiffres.")
        filters = Filters(parse_day(du, "du"), parse_day(au, "au"), siren, statut or None)
        page = max(1, page)
        try:
            rows, more = await run_in_threadpool(search, site.settings.log_path, filters,
                                                 limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        except DecisionLogError:
            rows, more = [], False
        query = {key: value for key, value in (("du", du), ("au", au), ("siren", siren), ("statut", statut)) if value}
        return site.render("decisions.html", rubrique=RUBRIQUE, decisions=_worded(rows, site.policies()),
                           filtres=filters, statuts=_statuses(site.policies()),
                           page=page, suivante=urlencode({**query, "page": page + 1}) if more else None,
                           precedente=urlencode({**query, "page": page - 1}) if page > 1 else None,
                           recherche=bool(query))

    @router.get("/decisions/{decision_id}")
    async def decision(request: Request, decision_id: str):
        denied = await require(request)
        if denied:
            return denied
        try:
            record = await run_in_threadpool(find, site.settings.log_path, decision_id)
        except DecisionLogError:
            record = None
        if record is None:
            raise PageError(404, "Décision introuvable", f"Aucune décision n° {decision_id[:80]} dans le journal.")
        verdict = record["verdict"]
        policies = site.policies()
        policy = policies.get(verdict["politique"]["id"] if verdict["politique"]["id"] in policies.ids()
                              else site.default_policy_id())
        return site.render("verdict.html", rubrique=RUBRIQUE, journal=record,
                           **verdict_view(verdict, record["faits"], policy, decision_id=record["decision_id"],
                                        policies=policies))
