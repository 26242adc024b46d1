"""A proposal of a change to a policy: what it changes, on which base, and what happened to it (who, when).

A proposal is kept as JSON (engine/proposals/store.py); these frozen objects are what the rest of the code reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

OPEN, PUBLISHED, REFUSED, WITHDRAWN = "ouverte", "publiee", "refusee", "retiree"
NEW_VALUE, CORRECTION = "nouvelle_valeur", "correction"
# what happened to a proposal, in the words of its history
PROPOSED, CASE_UPDATED, APPROVED, REFUSAL, WITHDRAWAL = "proposee", "cas_mis_a_jour", "approuvee", "refusee", "retiree"
RENEWED = "refaite"

STATE_LABELS = {OPEN: "ouverte", PUBLISHED: "approuvée et publiée", REFUSED: "refusée", WITHDRAWN: "retirée"}
KIND_LABELS = {NEW_VALUE: "nouvelle valeur datée", CORRECTION: "correction d'une valeur"}
EVENT_LABELS = {PROPOSED: "proposée", CASE_UPDATED: "cas mis à jour", APPROVED: "approuvée et publiée",
                REFUSAL: "refusée", WITHDRAWAL: "retirée", RENEWED: "refaite sur la version en service"}


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Person:
    """Who acted: the account's identifier and the name shown."""

    identifier: str
    name: str

    def as_dict(self) -> dict:
        return {"identifiant": self.identifier, "nom": self.name}

    @classmethod
    def from_dict(cls, data: dict) -> Person:
        return cls(str(data["identifiant"]), str(data.get("nom") or data["identifiant"]))


@dataclass(frozen=True)
class Change:
    """The change asked: a new dated value of a parameter, or the correction of one (the value of `since`)."""

    kind: str
    parameter: str
    value: str                      # as written in the file: "350.00" for an amount, "25" for a delay
    since: str                      # ISO day the value applies from (for a correction: the value corrected)
    decision_reference: str = ""
    decision_date: str = ""
    motive: str = ""                # a correction's reason

    def as_dict(self) -> dict:
        return {"nature": self.kind, "parametre": self.parameter, "valeur": self.value, "depuis": self.since,
                "decision": {"reference": self.decision_reference, "date": self.decision_date},
                "motif": self.motive}

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        decision = data.get("decision") or {}
        return cls(data["nature"], data["parametre"], str(data["valeur"]), data["depuis"],
                   decision.get("reference", ""), decision.get("date", ""), data.get("motif", ""))


@dataclass(frozen=True)
class Event:
    """One step of a proposal's history."""

    what: str
    who: Person
    at: str
    motive: str = ""
    detail: str = ""

    def as_dict(self) -> dict:
        return {"quoi": self.what, "qui": self.who.as_dict(), "le": self.at, "motif": self.motive,
                "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        return cls(data["quoi"], Person.from_dict(data["qui"]), data["le"], data.get("motif", ""),
                   data.get("detail", ""))

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.what, self.what)


@dataclass(frozen=True)
class CaseUpdate:
    """An expected value of a case changed in the proposal: the case file (relative to the policies folder), the
    path under `attendu`, before and after."""

    file: str
    path: tuple
    before: str
    after: str

    def as_dict(self) -> dict:
        return {"fichier": self.file, "chemin": list(self.path), "avant": self.before, "apres": self.after}

    @classmethod
    def from_dict(cls, data: dict) -> CaseUpdate:
        return cls(data["fichier"], tuple(data["chemin"]), data["avant"], data["apres"])


@dataclass(frozen=True)
class Proposal:
    id: str
    author: Person
    created: str
    policy: str
    change: Change
    base_commit: str
    base_files: dict                          # file (relative to the policies folder) -> sha256 when it was made
    state: str = OPEN
    history: tuple[Event, ...] = ()
    cases: tuple[CaseUpdate, ...] = ()
    changed: tuple[str, ...] = ()             # files of the working copy that differ from the base
    publication: dict = field(default_factory=dict)   # commit, journal commit, when (once published)

    @property
    def open(self) -> bool:
        return self.state == OPEN

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    def with_event(self, event: Event, **changes) -> Proposal:
        return replace(self, history=(*self.history, event), **changes)

    def as_dict(self) -> dict:
        return {"id": self.id, "auteur": self.author.as_dict(), "cree_le": self.created, "politique": self.policy,
                "changement": self.change.as_dict(), "base": {"commit": self.base_commit, "fichiers": self.base_files},
                "etat": self.state, "historique": [event.as_dict() for event in self.history],
                "cas_mis_a_jour": [case.as_dict() for case in self.cases], "fichiers_modifies": list(self.changed),
                "publication": self.publication}

    @classmethod
    def from_dict(cls, data: dict) -> Proposal:
        return cls(str(data["id"]), Person.from_dict(data["auteur"]), data["cree_le"], data["politique"],
                   Change.from_dict(data["changement"]), data["base"]["commit"], dict(data["base"]["fichiers"]),
                   data["etat"], tuple(Event.from_dict(e) for e in data["historique"]),
                   tuple(CaseUpdate.from_dict(c) for c in data.get("cas_mis_a_jour", [])),
                   tuple(data.get("fichiers_modifies", [])), dict(data.get("publication") or {}))
