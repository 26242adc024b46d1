"""Décisions: the decision log, searchable by the day recorded, SIREN and status, and each decision's verdict page
(facts and verdict as logged: personal data masked). For an account with the role ``instruction``
(engine/service/accounts.py); other systems send ``Authorization: Bearer $CLEA_JOURNAL_TOKEN``.

    GET  /decisions?du=&au=&siren=&statut=&page=     the list, newest first
    GET  /decisions/{decision_id}                    the verdict page of a logged decision
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ...policy import PolicySet
from ..accounts import require, signed_in
from ..decision_log import DecisionLogError
from ..decision_search import Filters, find, search
from . import access
from .site import PageError, Site, parse_day
from .verdict import verdict_view

RUBRIQUE = "/decisions"
PAGE_SIZE = 50
_SIREN = re.compile(r"^\d{9}$")


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
    async def require_reader(request: Request) -> None:
        """Another system's bearer token (CLEA_JOURNAL_TOKEN), else an account with the role ``instruction``."""
        account = await signed_in(request)
        if not access.bearer_matches(request, site.settings.journal_token):
            require(account, "instruction")

    @router.get("/decisions")
    async def journal(request: Request, du: str | None = None, au: str | None = None, siren: str | None = None,
                      statut: str | None = None, page: int = 1):
        await require_reader(request)
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
        await require_reader(request)
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
