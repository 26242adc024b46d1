"""Making a proposal and changing it before a decision: written into a working copy, checked, kept with its history.

A proposal that does not validate is not kept: its problems come back by form field (`ProposalInvalid.fields`).
A second open proposal on the same parameter is refused (`ProposalRefused`): two values voted side by side would
each be checked against a base the other changes, and the one published second would undo the first — the
board settles on one, and the other is withdrawn first.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..limits import MAX_FORM_REASON, MAX_FORM_TEXT
from ..policy import Policy, PolicySet
from ..wording import short_date
from .checks import Runner, changed_files, check, conflicting, direct, stale_files
from .model import (
    CASE_UPDATED,
    CORRECTION,
    NEW_VALUE,
    PROPOSED,
    REFUSAL,
    RENEWED,
    WITHDRAWAL,
    CaseUpdate,
    Change,
    Event,
    Person,
    Proposal,
    now_utc,
)
from .store import CHECKS, ProposalStore, file_hashes
from .writing import WriteError, add_dated_value, replace_dated_value, set_value

PARAMETERS_FILE = "parametres.yaml"
_ISO_DAY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


class ProposalInvalid(Exception):
    """The form's problems, by field name ('' for the whole proposal); each message French."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class ProposalRefused(Exception):
    """An action that cannot be taken on a proposal (French message)."""


def _day(text: str, field: str, problems: dict[str, list[str]]) -> date | None:
    try:
        if _ISO_DAY.fullmatch(text or ""):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    problems.setdefault(field, []).append("une date est attendue (JJ/MM/AAAA)")
    return None


def normalised_value(policy: Policy, parameter: str, text: str, problems: dict[str, list[str]]) -> str:
    """The value as the file writes it: an amount with two decimals ("350.00"), a count or delay as a whole number."""
    unit = policy.parameters[parameter].unit
    cleaned = (text or "").strip().replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    if unit in policy.head.currencies:
        try:
            amount = Decimal(cleaned.removesuffix("HT"))
        except InvalidOperation:
            problems.setdefault("valeur", []).append("un montant est attendu, par exemple 350 ou 350,00")
            return ""
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            problems.setdefault("valeur", []).append("un montant positif, au centime près, est attendu")
            return ""
        return f"{amount.quantize(Decimal('0.01'))}"
    if not cleaned.isdigit():
        problems.setdefault("valeur", []).append("un nombre entier est attendu, par exemple 20")
        return ""
    return str(int(cleaned))


def read_change(policy: Policy, parameter: str, form: dict[str, str]) -> Change:
    """The change a form asks for, or ProposalInvalid with each field's problems."""
    problems: dict[str, list[str]] = {}
    kind = CORRECTION if form.get("nature") == CORRECTION else NEW_VALUE
    value = normalised_value(policy, parameter, form.get("valeur", ""), problems)
    since = _day(form.get("depuis", ""), "depuis", problems)
    decision_date = None
    if kind == NEW_VALUE:
        decision_date = _day(form.get("decision_date", ""), "decision_date", problems)
        if not form.get("decision_reference", "").strip():
            problems.setdefault("decision_reference", []).append(
                "nommez la décision qui fixe la valeur (l'organe qui l'a prise, sa date, son numéro)")
        if since and decision_date and decision_date > since:
            problems.setdefault("decision_date", []).append(
                f"la décision ({short_date(decision_date.isoformat())}) est postérieure à la date d'effet "
                f"({short_date(since.isoformat())}) : une valeur prend effet au plus tôt le jour de sa décision")
    elif not form.get("motif", "").strip():
        problems.setdefault("motif", []).append("dites pourquoi la valeur est corrigée (ex. « erreur de saisie »)")
    reference, motive = (_text(form, name, problems) for name in ("decision_reference", "motif"))
    if problems:
        raise ProposalInvalid(problems)
    return Change(kind, parameter, value, since.isoformat() if since else "", reference,
                  decision_date.isoformat() if decision_date else "", motive)


def _text(form: dict[str, str], field: str, problems: dict[str, list[str]]) -> str:
    """A form's text, whole: one longer than MAX_FORM_TEXT is refused at its field, never cut."""
    text = form.get(field, "").strip()
    problem = _too_long(text, MAX_FORM_TEXT, "ce texte est conservé tel quel dans la politique")
    if problem:
        problems.setdefault(field, []).append(problem)
    return text


def _too_long(text: str, limit: int, kept: str) -> str | None:
    """Why a text past its limit is refused (a text is kept whole or refused, never cut), or None."""
    return f"{len(text)} caractères pour {limit} au plus : {kept}, abrégez-le" if len(text) > limit else None


def _write(copy: Path, policy: Policy, serving: Path, change: Change, today: date) -> str:
    """The change written into the copy's parameters file; returns that file's name relative to the copy."""
    relative = f"{policy.directory.relative_to(serving).as_posix()}/{PARAMETERS_FILE}"
    path = copy / relative
    keys = tuple(change.parameter.split("."))
    value: str | int = change.value if policy.parameters[change.parameter].unit in policy.head.currencies \
        else int(change.value)
    text = path.read_text(encoding="utf-8")
    if change.kind == NEW_VALUE:
        entry = {"depuis": date.fromisoformat(change.since), "valeur": value,
                 "decision": {"date": date.fromisoformat(change.decision_date), "reference": change.decision_reference}}
        text = add_dated_value(text, keys, entry)
    else:
        text = replace_dated_value(text, keys, change.since,
                                   {"valeur": value, "correction": {"motif": change.motive, "date": today}})
    path.write_text(text, encoding="utf-8")
    return relative


def _field_of(issue: dict) -> str:
    path = str(issue.get("chemin", ""))
    for name, field in ((".decision", "decision_date"), (".depuis", "depuis"), (".valeur", "valeur")):
        if name in path:
            return field
    return ""


def head_commit(serving: Path) -> str:
    done = subprocess.run(["git", "-C", str(serving), "rev-parse", "HEAD"], capture_output=True, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def propose(store: ProposalStore, policies: PolicySet, author: Person, policy_id: str, parameter: str,
            form: dict[str, str], today: date, runner: Runner = direct) -> Proposal:
    """A new proposal, written, checked and kept; ProposalInvalid (by field) or ProposalRefused otherwise."""
    policy = policies.get(policy_id)
    change = read_change(policy, parameter, form)
    with store.lock():
        other = conflicting(store, policy_id, parameter)
        if other is not None:
            raise ProposalRefused(f"la proposition n° {other.id} de {other.author.name}, encore ouverte, modifie "
                                  "déjà ce paramètre : elle doit être approuvée, refusée ou retirée avant qu'une "
                                  "autre le modifie")
        proposal_id = store.next_id()
        copy = store.new_copy(proposal_id)
        base = file_hashes(store.policies)
        try:
            _write(copy, policy, store.policies, change, today)
        except WriteError as error:
            store.discard(proposal_id)
            raise ProposalInvalid({"": [str(error)]}) from None
        checks = check(copy, store.policies, today, runner)
        if not checks["valide"]:
            store.discard(proposal_id)
            fields: dict[str, list[str]] = {}
            for issue in checks["erreurs"]:
                fields.setdefault(_field_of(issue), []).append(issue["message"])
            raise ProposalInvalid(fields)
        proposal = Proposal(proposal_id, author, now_utc(), policy_id, change, head_commit(store.policies), base,
                            history=(Event(PROPOSED, author, now_utc()),), changed=changed_files(copy, base))
        store.save(proposal)
        store.write_json(proposal_id, CHECKS, checks)
        return proposal


def open_proposal(store: ProposalStore, proposal_id: str) -> Proposal:
    proposal = store.get(proposal_id)
    if proposal is None:
        raise ProposalRefused(f"aucune proposition n° {proposal_id}")
    if not proposal.open:
        raise ProposalRefused(f"la proposition n° {proposal.id} est {proposal.state_label} : elle ne change plus")
    return proposal


def update_case(store: ProposalStore, proposal_id: str, who: Person, file: str, today: date,
                difference: int | None = None, runner: Runner = direct) -> Proposal:
    """The expected values of a broken case (of one of its differences, or of all) set to what the proposal's
    verdict gives."""
    with store.lock():
        proposal = open_proposal(store, proposal_id)
        checks = store.read_json(proposal_id, CHECKS) or {}
        case: dict = next((c for c in checks.get("cas", {}).get("echoues", []) if c["fichier"] == file), {"ecarts": []})
        chosen = case["ecarts"] if difference is None else case["ecarts"][difference:difference + 1]
        corrections = [correction for found in chosen for correction in found["corrections"]]
        if not corrections:
            raise ProposalRefused("ce cas n'a plus de valeur attendue à mettre à jour ainsi : rechargez la page")
        copy = store.copy_of(proposal_id)
        path = copy / file
        text = path.read_text(encoding="utf-8")
        updates = []
        for correction in corrections:
            try:
                text = set_value(text, tuple(correction["chemin"]), correction["apres"])
            except WriteError as error:
                raise ProposalRefused(str(error)) from None
            updates.append(CaseUpdate(file, tuple(correction["chemin"]), correction["avant"], correction["apres"]))
        path.write_text(text, encoding="utf-8")
        checks = check(copy, store.policies, today, runner)
        detail = f"« {case['nom'] or case['fichier']} » : " + " ; ".join(c.get("texte") or f"{c['avant']} → {c['apres']}"
                                                                    for c in corrections)
        proposal = proposal.with_event(Event(CASE_UPDATED, who, now_utc(), detail=detail),
                                       cases=(*proposal.cases, *updates),
                                       changed=changed_files(copy, proposal.base_files))
        store.save(proposal)
        store.write_json(proposal_id, CHECKS, checks)
        return proposal


def refresh_checks(store: ProposalStore, proposal_id: str, today: date, runner: Runner = direct) -> dict:
    """The checks made again (after the serving folder moved on, or when they were never kept)."""
    checks = check(store.copy_of(proposal_id), store.policies, today, runner)
    store.write_json(proposal_id, CHECKS, checks)
    return checks


def close(store: ProposalStore, proposal_id: str, who: Person, what: str, motive: str) -> Proposal:
    """A proposal refused (by an approver, with a motive) or withdrawn (by its author)."""
    motive = motive.strip()
    with store.lock():
        proposal = open_proposal(store, proposal_id)
        if what == WITHDRAWAL and who.identifier != proposal.author.identifier:
            raise ProposalRefused("seul son auteur retire une proposition ; un approbateur la refuse")
        if what == REFUSAL and not motive:
            raise ProposalRefused("dites pourquoi la proposition est refusée (motif)")
        problem = _too_long(motive, MAX_FORM_REASON, "il est conservé tel quel dans l'historique de la "
                            "proposition")
        if problem:
            raise ProposalRefused(f"motif de {problem}")
        proposal = proposal.with_event(Event(what, who, now_utc(), motive=motive),
                                       state="refusee" if what == REFUSAL else "retiree")
        store.save(proposal)
        return proposal


def is_stale(store: ProposalStore, proposal: Proposal) -> list[str]:
    return stale_files(proposal, store.policies) if proposal.open else []



def renew(store: ProposalStore, policies: PolicySet, proposal_id: str, who: Person, today: date,
          runner: Runner = direct) -> Proposal:
    """A stale proposal made again on the serving folder of now: its change and its case updates written again into
    a fresh working copy, checked again; its base becomes the serving folder of now."""
    with store.lock():
        proposal = open_proposal(store, proposal_id)
        if not stale_files(proposal, store.policies):
            raise ProposalRefused("la proposition est déjà faite sur la version en service")
        copy = store.new_copy(proposal_id)
        base = file_hashes(store.policies)
        try:
            _write(copy, policies.get(proposal.policy), store.policies, proposal.change, today)
            for update in proposal.cases:
                path = copy / update.file
                path.write_text(set_value(path.read_text(encoding="utf-8"), update.path, update.after), encoding="utf-8")
        except (WriteError, OSError) as error:
            raise ProposalRefused(f"la proposition ne s'écrit plus sur la version en service : {error} ; "
                                  "retirez-la et proposez à nouveau") from None
        checks = check(copy, store.policies, today, runner)
        proposal = replace(proposal, base_commit=head_commit(store.policies), base_files=base,
                           changed=changed_files(copy, base)).with_event(Event(RENEWED, who, now_utc()))
        store.save(proposal)
        store.write_json(proposal_id, CHECKS, checks)
        return proposal
