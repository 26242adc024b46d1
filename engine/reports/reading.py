"""The explanations' sentences (`explication.texte`) as a person reads them on a page or in a report, without the
facts' internal paths: an event is numbered as the dossier lists it (n° 1 is the first of `evenements`, the number
the chronology shows too), and a calendar chosen by a territory of the facts is named by the policy's title of that
territory ("France métropolitaine"), never by the facts' path and code (`organisme.territoire : metropole`); a
meeting taken from the policy's session calendar by its number there (n° 1 is the first listed), not its path.

The verdict's JSON keeps its paths (`evenements[4]`, `organisme.territoire : metropole`): other systems read them.
"""
from __future__ import annotations

import re

from ..policy import Policy
from ..wording import short_date

EVENT_PATH = re.compile(r"\bevenements\[(\d+)\](?:\.([A-Za-z_][\w.]*))?")
PERIOD = re.compile(r"\bperiode du (\d{4}-\d{2}-\d{2})\b")     # what an event of the period comes from
SESSION = re.compile(r" \(calendrier\.sessions\.liste\[(\d+)\]\)")   # a meeting of the policy's session calendar


def event_number(path: str) -> int | None:
    """'evenements[4]' -> 5 (as the dossier lists its events, the first one n° 1); None for any other path."""
    found = EVENT_PATH.fullmatch(path)
    return int(found.group(1)) + 1 if found and not found.group(2) else None


def _event(found: re.Match) -> str:
    number = f"événement n° {int(found.group(1)) + 1}"
    return f"{number}, {found.group(2)}" if found.group(2) else number


def readable(sentence: str, policy: Policy) -> str:
    """One sentence of an explanation, for a person (see the module's docstring)."""
    for spec in policy.calendar_model.actors.values():
        path = spec.facts_territory
        if path is None or path not in sentence:
            continue
        for territory in policy.calendar_model.territories:    # the calendar's title is just before
            sentence = sentence.replace(f", {path} : {territory})", ", d'après le territoire indiqué dans le dossier)")
        sentence = sentence.replace(f"par défaut ({path} absent)", "par défaut, le dossier n'indiquant pas de territoire")
    sentence = PERIOD.sub(lambda found: f"période commencée le {short_date(found.group(1))}", sentence)
    sentence = SESSION.sub(lambda found: f" (session n° {int(found.group(1)) + 1})", sentence)
    return EVENT_PATH.sub(_event, sentence)


def explanation(item: dict, policy: Policy) -> list[str]:
    """An item's explanation (when the verdict has one), each sentence as a person reads it."""
    return [readable(sentence, policy) for sentence in (item.get("explication") or {}).get("texte") or []]
