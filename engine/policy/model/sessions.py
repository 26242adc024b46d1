"""A policy's own calendar of sessions (`calendrier.sessions`): filing windows, each with the meeting that decides.

    sessions:
      article: <section>
      depot: <event type of a filing>
      reunion: <event type of the meeting>      (a planned event type)
      liste: [{depot_du: <date>, depot_au: <date>, reunion: <date>}, ...]

A filing goes to the session whose window holds it, or else the next one to close. When the facts give no meeting on
or after a filing, the evaluation adds that session's meeting as a planned event: the rules that count from a meeting
(deadlines before it, the notification after it) then apply to the calendar's date.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from ...suggestions import unknown
from .elements import Sessions


class Dated(Protocol):
    """An event as the sessions see it: its type and its date."""

    @property
    def type(self) -> str: ...

    @property
    def date(self) -> datetime.date: ...


def scheduled_meetings(spec: Sessions | None, events: Iterable[Dated]) -> list[tuple[str, date, str]]:
    """(event type, date, source) of each meeting the sessions add for the filings among `events`."""
    if spec is None:
        return []
    events = list(events)
    meetings = {e.date for e in events if e.type == spec.meeting}
    sessions = sorted(spec.sessions, key=lambda s: s.closes)
    out = []
    for filing in sorted(e.date for e in events if e.type == spec.filing):
        if any(meeting >= filing for meeting in meetings):
            continue
        session = next((s for s in sessions if s.closes >= filing), None)
        if session is None:
            continue
        meetings.add(session.meeting)
        out.append((spec.meeting, session.meeting, f"calendrier.sessions.liste[{session.index}]"))
    return out


def session_problems(policy: dict, sources) -> list:
    spec = policy["calendrier"].get("sessions")
    if not spec:
        return []
    where = ("calendrier", "sessions")
    types = policy["evenements"]["types"]
    issues = []
    for key in ("depot", "reunion"):
        if spec[key] not in types:
            issues.append(sources.issue(where + (key,), unknown("événement inconnu", spec[key], types)))
    if spec["reunion"] in types and not types[spec["reunion"]].get("planifie"):
        issues.append(sources.issue(where + ("reunion",), f"'{spec['reunion']}' doit être un type d'événement planifié "
                                    "(planifie: true dans evenements.yaml) pour être ajouté avant sa date"))
    previous = None
    for index, session in enumerate(spec["liste"]):
        try:
            opens, closes, meets = (date.fromisoformat(session[k]) for k in ("depot_du", "depot_au", "reunion"))
        except ValueError:
            continue   # the schema reports a bad date
        if not opens <= closes < meets:
            issues.append(sources.issue(where + ("liste", index), "une session s'ouvre (depot_du), se ferme "
                                        "(depot_au), puis sa réunion (reunion) a lieu, dans cet ordre de dates"))
        if previous is not None and opens <= previous:
            issues.append(sources.issue(where + ("liste", index, "depot_du"), "les sessions vont dans l'ordre, chacune "
                                        "s'ouvrant après la fermeture de la précédente"))
        previous = closes
    return issues
