"""Proposals of a change, as pages (engine/proposals/ does the work; this module only routes and checks roles).

    GET|POST /politiques/{id}/parametres/{parametre}/proposer   the form; a valid one becomes a proposal (role
                                                                proposition on that policy)
    GET  /propositions                      the history: proposals and publications, each linked to its diff
    GET  /propositions/{n}                  what it changes, its checks, its cases, its impact, the decisions
    POST /propositions/{n}/cas              a broken case's expected values updated (proposition)
    POST /propositions/{n}/refaire          a stale one made again on the serving folder of now (proposition)
    POST /propositions/{n}/impact           its impact measured in the background (proposition or approbation)
    POST /propositions/{n}/approuver        approved and published (approbation, not its author)
    POST /propositions/{n}/refuser          refused with a motive (approbation)
    POST /propositions/{n}/retirer          withdrawn (its author)
Every form carries the anti-forgery value; a person without the role gets the 403 page.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...evaluation import today_in_paris
from ...limits import MAX_FORM_REASON, MAX_FORM_TEXT, RELOAD_TIMEOUT
from ...proposals import (
    REFUSAL,
    WITHDRAWAL,
    Person,
    ProposalInvalid,
    ProposalRefused,
    ProposalStore,
    PublishError,
    Unavailable,
    approve,
    close,
    propose,
    renew,
    unavailable_reason,
    update_case,
)
from ...proposals.impact import start
from ..accounts import Account, require, signed_in
from ..decision_log import DecisionLogError
from ..decision_search import recent_facts
from . import proposal_views as views
from .site import PageError, Site, parse_day

RUBRIQUE = "/propositions"
POPULATION = 2000           # dossiers the impact is measured on, at most
NO_ACCOUNTS = ("Les propositions de changement demandent des comptes : l'administrateur crée les comptes avec "
               "« clea account add » et démarre clea serve avec --accounts FICHIER.")


def _person(account: Account) -> Person:
    return Person(account.identifiant, account.nom)


def add_routes(router: APIRouter, site: Site, engine, reload) -> None:
    store = ProposalStore(site.settings.proposals_folder(), site.holder.directory)

    async def account(request: Request, role: str, policy: str | None = None) -> Account:
        if site.accounts is None:
            raise PageError(403, "Propositions indisponibles", NO_ACCOUNTS)
        found = require(await signed_in(request), role, policy)
        try:
            await run_in_threadpool(store.check_available)
        except Unavailable as exc:
            raise PageError(503, "Propositions indisponibles", str(exc)) from None
        return found

    async def form_of(request: Request) -> dict[str, str]:
        form = await request.form(max_files=0, max_fields=12, max_part_size=4096)
        site.check_form(request, form)
        return {key: str(value) for key, value in form.items() if isinstance(value, str)}

    def proposal_of(proposal_id: str):
        found = store.get(proposal_id)
        if found is None:
            raise PageError(404, f"Aucune proposition n° {proposal_id[:20]}", "Les propositions sont listées sur la "
                                                                               "page Propositions.")
        return found

    def parameter_of(policy_id: str, parameter_id: str):
        policy = site.policy(policy_id)
        if parameter_id not in policy.snapshot.parameters:
            raise PageError(404, "Aucun paramètre de ce nom dans cette politique",
                            "Un paramètre se modifie dans la politique qui l'écrit (une extension hérite ceux de sa "
                            "base) : la page Paramètres propose chacun.")
        return policy

    def render_form(policy, parameter_id: str, form: dict, errors: dict | None = None, status: int = 200):
        return site.render("proposition_nouvelle.html", rubrique=RUBRIQUE, status=status, politique=policy,
                           parametre=policy.parameters[parameter_id], valeurs=views.existing_values(policy, parameter_id),
                           en_vigueur=views.value_words(policy, parameter_id, _in_force(policy, parameter_id)),
                           champs=views.form_values(form), erreurs=errors or {},
                           libelles=views.FIELD_LABELS, longueur_max=MAX_FORM_TEXT)

    @router.get("/politiques/{policy_id}/parametres/{parameter_id}/proposer")
    async def new_form(request: Request, policy_id: str, parameter_id: str):
        await account(request, "proposition", policy_id)
        return render_form(parameter_of(policy_id, parameter_id), parameter_id, {})

    @router.post("/politiques/{policy_id}/parametres/{parameter_id}/proposer")
    async def create(request: Request, policy_id: str, parameter_id: str):
        who = await account(request, "proposition", policy_id)
        form = await form_of(request)
        policy = parameter_of(policy_id, parameter_id)
        try:
            made = await run_in_threadpool(propose, store, site.policies(), _person(who), policy_id, parameter_id,
                                           form, today_in_paris(), engine.call_sync)
        except ProposalInvalid as invalid:
            return render_form(policy, parameter_id, form, invalid.fields, status=422)
        except ProposalRefused as refused:
            return render_form(policy, parameter_id, form, {"": [str(refused)]}, status=409)
        return RedirectResponse(f"/propositions/{made.id}", status_code=303)

    @router.get("/propositions")
    async def history(request: Request):
        if site.accounts is not None:
            require(await signed_in(request), "lecture")
        reason = NO_ACCOUNTS if site.accounts is None else await run_in_threadpool(unavailable_reason,
                                                                                   site.holder.directory)
        if reason:      # said on the page itself (the navigation leads here): what the administrator does
            return site.render("propositions.html", rubrique=RUBRIQUE, indisponible=reason, propositions=[],
                               publications=[])
        await account(request, "lecture")
        policies = site.policies()
        rows = [views.summary(p, policies) for p in await run_in_threadpool(store.all)]
        published = await run_in_threadpool(views.publications, policies, site.holder.directory)
        return site.render("propositions.html", rubrique=RUBRIQUE, propositions=rows, publications=published)

    @router.get("/propositions/{proposal_id}")
    async def page(request: Request, proposal_id: str, message: str | None = None):
        who = await account(request, "lecture")
        proposal = proposal_of(proposal_id)
        policies = site.policies()
        if proposal.policy not in policies.ids() or proposal.change.parameter not in policies.get(proposal.policy).parameters:
            raise PageError(404, f"La proposition n° {proposal.id} porte sur un paramètre qui n'est plus en service",
                            "Sa politique ou son paramètre a été retiré des politiques en service depuis.")
        shown = await run_in_threadpool(views.detail, store, proposal, policies)
        return site.render("proposition.html", rubrique=RUBRIQUE, **shown, moi=who,
                           peut_proposer=who.may("proposition", proposal.policy),
                           peut_approuver=who.may("approbation") and who.identifiant != proposal.author.identifier,
                           message=_MESSAGES.get(message or ""), longueur_motif=MAX_FORM_REASON)

    def back(proposal_id: str, message: str) -> RedirectResponse:
        return RedirectResponse(f"/propositions/{proposal_id}?message={message}", status_code=303)

    async def refused_page(request: Request, proposal_id: str, error: Exception, status: int = 409):
        """An action refused (or a publication undone): why, and the way back to the proposal."""
        return site.render("proposition_refus.html", rubrique=RUBRIQUE, status=status, numero=proposal_id,
                           raison=str(error))

    @router.post("/propositions/{proposal_id}/cas")
    async def case(request: Request, proposal_id: str):
        proposal = proposal_of(proposal_id)
        who = await account(request, "proposition", proposal.policy)
        form = await form_of(request)
        try:
            await run_in_threadpool(update_case, store, proposal_id, _person(who), form.get("fichier", ""),
                                    today_in_paris(), None, engine.call_sync)
        except ProposalRefused as error:
            return await refused_page(request, proposal_id, error)
        return back(proposal_id, "cas")

    @router.post("/propositions/{proposal_id}/refaire")
    async def renewal(request: Request, proposal_id: str):
        proposal = proposal_of(proposal_id)
        who = await account(request, "proposition", proposal.policy)
        await form_of(request)
        try:
            await run_in_threadpool(renew, store, site.policies(), proposal_id, _person(who), today_in_paris(),
                                    engine.call_sync)
        except ProposalRefused as error:
            return await refused_page(request, proposal_id, error)
        return back(proposal_id, "refaite")

    @router.post("/propositions/{proposal_id}/impact")
    async def impact(request: Request, proposal_id: str):
        proposal = proposal_of(proposal_id)
        who = await account(request, "lecture")
        if not (who.may("proposition", proposal.policy) or who.may("approbation")):
            require(who, "approbation")
        form = await form_of(request)
        day = parse_day(form.get("date"), "date") or today_in_paris()
        lines = await run_in_threadpool(_population, site)
        if not lines:
            raise PageError(422, "Aucun dossier pour mesurer l'impact",
                            "Le journal des décisions n'a encore aucun dossier, et aucun fichier de dossiers n'est "
                            "configuré (clea serve --proposals-dossiers FICHIER).")
        await run_in_threadpool(start, store, proposal_id, site.policies(), lines, day, engine.call_sync)
        return back(proposal_id, "impact")

    @router.post("/propositions/{proposal_id}/approuver")
    async def approval(request: Request, proposal_id: str):
        who = await account(request, "approbation")
        await form_of(request)
        loop = asyncio.get_running_loop()

        def reload_all() -> None:
            asyncio.run_coroutine_threadsafe(reload(), loop).result(timeout=RELOAD_TIMEOUT * 3)
        try:
            await run_in_threadpool(lambda: approve(store, proposal_id, _person(who), today=today_in_paris(),
                                                    reload=reload_all, runner=engine.call_sync))
        except ProposalRefused as error:
            return await refused_page(request, proposal_id, error)
        except PublishError as error:
            return await refused_page(request, proposal_id, error, 500)
        return back(proposal_id, "publiee")

    @router.post("/propositions/{proposal_id}/refuser")
    async def refusal(request: Request, proposal_id: str):
        who = await account(request, "approbation")
        form = await form_of(request)
        try:
            await run_in_threadpool(close, store, proposal_id, _person(who), REFUSAL, form.get("motif", ""))
        except ProposalRefused as error:
            return await refused_page(request, proposal_id, error)
        return back(proposal_id, "refusee")

    @router.post("/propositions/{proposal_id}/retirer")
    async def withdrawal(request: Request, proposal_id: str):
        proposal = proposal_of(proposal_id)
        who = await account(request, "proposition", proposal.policy)
        form = await form_of(request)
        try:
            await run_in_threadpool(close, store, proposal_id, _person(who), WITHDRAWAL, form.get("motif", ""))
        except ProposalRefused as error:
            return await refused_page(request, proposal_id, error)
        return back(proposal_id, "retiree")


_MESSAGES = {"cas": "Les valeurs attendues du cas ont été mises à jour dans la proposition ; les contrôles ont été "
                    "refaits.", "impact": "Le calcul de l'impact a commencé.",
             "publiee": "La proposition est approuvée et publiée : les politiques en service ont été rechargées.",
             "refusee": "La proposition est refusée.", "retiree": "La proposition est retirée.",
             "refaite": "La proposition est refaite sur la version en service ; ses contrôles ont été refaits."}


def _in_force(policy, parameter_id: str):
    entry = policy.parameters[parameter_id].entry_at(today_in_paris())
    return entry.value if entry else None


def _population(site: Site) -> list[bytes]:
    """The dossiers the impact is measured on: the configured file, else the decision log's recent dossiers."""
    configured: Path | None = site.settings.proposals_dossiers
    if configured is not None:
        try:
            with open(configured, "rb") as source:
                return [line.strip() for line in source if line.strip()][:POPULATION]
        except OSError as exc:
            raise PageError(500, "Fichier de dossiers illisible", f"{configured} : {exc.strerror}") from None
    try:
        return [facts.encode("utf-8") for facts in recent_facts(site.settings.log_path, POPULATION)]
    except DecisionLogError:
        return []
