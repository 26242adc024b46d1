"""A verdict's open due dates as an iCalendar file (RFC 5545, with the `icalendar` library): one all-day entry per
open action with a due date, titled with its rule, with the article, the party, the dossier's identity (SIREN…)
and, when the verdict has them, the explanation of the date. Europe/Paris time zone; importable in Outlook and
Thunderbird. An entry's UID is stable across evaluations, so importing again updates rather than duplicates."""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from ..policy import Policy
from ..wording import capitalised, short_date
from .reading import explanation
from .text import OPEN, action_party, action_state

TIME_ZONE = "Europe/Paris"
PRODUCT = "-//clea-rules//verdict//FR"


def open_actions(verdict: dict, actor: str | None = None) -> list[dict]:
    """The actions a calendar shows: open, with a due date, of one actor if given."""
    return [a for a in verdict["actions"] if a["etat"] in OPEN and a["echeance"]
            and (actor is None or a["acteur"] == actor)]


def verdict_ics(verdict: dict, policy: Policy, *, actor: str | None = None, stamp: datetime | None = None) -> str:
    """The iCalendar text (CRLF lines) of the verdict's open due dates, of `actor` only when given."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _calendar_name(verdict, policy, actor))
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add_component(_paris())
    stamp = stamp or datetime.now(UTC)
    for action in open_actions(verdict, actor):
        calendar.add_component(_entry(verdict, policy, action, stamp))
    return calendar.to_ical().decode("utf-8")


def _paris() -> Timezone:
    """Europe/Paris by its rule (last Sundays of March and October), as Outlook and Thunderbird write it."""
    zone = Timezone()
    zone.add("tzid", TIME_ZONE)
    zone.add("x-lic-location", TIME_ZONE)
    for kind, name, start, before, after, month in ((TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2), 1, 2, 3),
                                                    (TimezoneStandard, "CET", datetime(1970, 10, 25, 3), 2, 1, 10)):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        zone.add_component(part)
    return zone


def _identity(verdict: dict, policy: Policy) -> str:
    identity = verdict.get("identite") or {}
    return " ; ".join(f"{title} : {identity[key]}" for key, title in policy.labels.identity() if key in identity)


def _calendar_name(verdict: dict, policy: Policy, actor: str | None) -> str:
    who = f" — {policy.labels.actor(actor)}" if actor else ""
    identity = verdict.get("identite") or {}
    named = next((identity[key] for key, _ in policy.labels.identity() if key in identity), verdict["instance"])
    return f"Échéances {named}{who}"


def _entry(verdict: dict, policy: Policy, action: dict, stamp: datetime) -> Event:
    due = date.fromisoformat(action["echeance"])
    title = policy.labels.rule(action["regle"], action["depuis"]["date"])
    late = "EN RETARD — " if action["etat"] == "en_retard" else ""
    identity = verdict.get("identite") or {}
    siren = next((identity[key] for key, _ in policy.labels.identity() if key == "siren" and key in identity), None)
    entry = Event()
    entry.add("uid", _uid(verdict, action))
    entry.add("dtstamp", stamp)
    entry.add("dtstart", due)
    entry.add("dtend", due + timedelta(days=1))
    entry.add("summary", f"{late}{title}" + (f" — SIREN {siren}" if siren else ""))
    lines = [f"Échéance : {short_date(due)} ({action_state(action, policy)})",
             capitalised(action_party(action, policy)),
             f"Règle : {title}", f"Article : {action['article']}",
             f"Dossier : {_identity(verdict, policy)}",
             f"Règlement : {policy.title}, version {verdict['politique']['version']}",
             f"Situation au {short_date(verdict['date_evaluation'])}"]
    lines += explanation(action, policy)[1:]   # its first sentence names the rule
    entry.add("description", "\n".join(lines))
    entry.add("categories", [policy.labels.actor(action["acteur"])])
    entry.add("transp", "TRANSPARENT")
    entry.add("x-clea-article", action["article"])
    entry.add("x-clea-regle", action["regle"])
    return entry


def _uid(verdict: dict, action: dict) -> str:
    """Stable for one action of one dossier: the same entry when the calendar is imported again."""
    identity = verdict.get("identite") or {}
    key = "|".join([verdict["politique"]["id"], *(str(v) for v in identity.values()), action["regle"], action["id"],
                    action["depuis"]["evenement"], action["depuis"]["date"]])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@clea-rules"
