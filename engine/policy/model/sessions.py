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

from datetime import date

from ...suggestions import unknown


def scheduled_meetings(calendar: dict, events) -> list[tuple[str, date, str]]:
    """(event type, date, source) of each meeting the sessions add for the filings among `events`."""
    spec = calendar.get("sessions")
    if not spec:
        return []
    events = list(events)
    meetings = {e.date for e in events if e.type == spec["reunion"]}
    sessions = sorted(spec["liste"], key=lambda s: s["depot_au"])
    out = []
    for filing in sorted(e.date for e in events if e.type == spec["depot"]):
        if any(meeting >= filing for meeting in meetings):
            continue
        index, session = next(((i, s) for i, s in enumerate(sessions) if date.fromisoformat(s["depot_au"]) >= filing),
                              (None, None))
        if session is None:
            continue
        meeting = date.fromisoformat(session["reunion"])
        meetings.add(meeting)
        out.append((spec["reunion"], meeting, f"calendrier.sessions.liste[{spec['liste'].index(session)}]"))
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
