"""The explanations' sentences (`explication.texte`) as a person reads them on a page or in a report, without the
facts' internal paths: an event is numbered as the dossier lists it (n° 1 is the first of `evenements`, the number
the chronology shows too), and a calendar chosen by a territory of the facts is named by the policy's title of that
territory ("France métropolitaine"), never by the facts' path and code (`organisme.territoire : metropole`); a
meeting taken from the policy's session calendar by its number there (n° 1 is the first listed), not its path; an
event's attribute by the title its catalogue gives it (JSON Schema's `title`: « date donnée par l'événement n° 4 (date
de retrait indiquée) »), the event's type read from the explanation's own data (`chemin`, `evenement`); what the
dossier checks read by the facts schema's titles of a listed item and its field (« établissement n° 3 (SIRET) »).

The verdict's JSON keeps its paths (`evenements[4]`, `organisme.territoire : metropole`): other systems read them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from ..policy import Policy
from ..wording import short_date

EVENT_PATH = re.compile(r"\bevenements\[(\d+)\](?:\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))?")
BY_ATTRIBUTE = re.compile(r"\bpar " + EVENT_PATH.pattern)     # « date donnée par <an event's attribute> »
PERIOD = re.compile(r"\bperiode du (\d{4}-\d{2}-\d{2})\b")     # what an event of the period comes from
CHECKED = re.compile(r"(Constaté par les contrôles du dossier \(article [^)]*\) sur : )(.+)\.$")
FACTS_PATH = re.compile(r"\b[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)+\b")
SEGMENT = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
SESSION = re.compile(r" \(calendrier\.sessions\.liste\[(\d+)\]\)")   # a meeting of the policy's session calendar


def event_number(path: str) -> int | None:
    """'evenements[4]' -> 5 (as the dossier lists its events, the first one n° 1); None for any other path."""
    found = EVENT_PATH.fullmatch(path)
    return int(found.group(1)) + 1 if found and not found.group(2) else None


def _event(found: re.Match, policy: Policy, events: Mapping[str, str], by: bool = False) -> str:
    number = f"événement n° {int(found.group(1)) + 1}"
    if not found.group(2):
        return f"{'par ' if by else ''}{number}"
    spec = policy.event_types.get(events.get(f"evenements[{found.group(1)}]", ""))
    title = ((spec.attributes if spec is not None else {}).get(found.group(2)) or {}).get("title")
    if not title:
        return f"{'par ' if by else ''}{number}, {found.group(2)}"
    return f"par l'{number} ({title})" if by else f"{title} par l'{number}"


def facts_place(path: str, policy: Policy) -> str:
    """'organisme.etablissements[2].siret' -> 'établissement n° 3 (SIRET)', by the facts schema's titles (JSON Schema's
    `title`) of the listed item and of its field ('mandataire.justificatif_mandat' -> its field's title alone); the
    path itself when one of them has none."""
    schema: object = policy.facts_schema
    item: str | None = None
    field: str | None = None
    for part in path.split("."):
        found = SEGMENT.fullmatch(part)
        if found is None or not isinstance(schema, dict):
            return path
        schema = (schema.get("properties") or {}).get(found.group(1))
        if not isinstance(schema, dict):
            return path
        field = schema.get("title")
        if found.group(2) is not None:      # an item of a list: by its place there, the first one n° 1
            schema = schema.get("items")
            if not isinstance(schema, dict) or not schema.get("title"):
                return path
            item, field = f"{schema['title']} n° {int(found.group(2)) + 1}", ""
    if field is None:                       # a field without a title
        return path
    if item is None:
        return field or path
    return f"{item} ({field})" if field else item


def _events(data: object) -> dict[str, str]:
    """Every event an explanation's data names (a trigger, what it follows, what fulfilled it): path -> type."""
    found: dict[str, str] = {}
    if isinstance(data, dict):
        if isinstance(data.get("chemin"), str) and isinstance(data.get("evenement"), str):
            found[data["chemin"]] = data["evenement"]
        for value in data.values():
            found.update(_events(value))
    elif isinstance(data, list):
        for value in data:
            found.update(_events(value))
    return found


def readable(sentence: str, policy: Policy, events: Mapping[str, str] | None = None) -> str:
    """One sentence of an explanation, for a person (see the module's docstring)."""
    for spec in policy.calendar_model.actors.values():
        path = spec.facts_territory
        if path is None or path not in sentence:
            continue
        for territory in policy.calendar_model.territories:    # the calendar's title is just before
            sentence = sentence.replace(f", {path} : {territory})", ", d'après le territoire indiqué dans le dossier)")
        sentence = sentence.replace(f"par défaut ({path} absent)", "par défaut, le dossier n'indiquant pas de territoire")
    sentence = PERIOD.sub(lambda found: f"période commencée le {short_date(found.group(1))}", sentence)
    sentence = CHECKED.sub(lambda found: found.group(1) + FACTS_PATH.sub(
        lambda path: facts_place(path.group(0), policy), found.group(2)) + ".", sentence)
    sentence = SESSION.sub(lambda found: f" (session n° {int(found.group(1)) + 1})", sentence)
    sentence = BY_ATTRIBUTE.sub(lambda found: _event(found, policy, events or {}, by=True), sentence)
    return EVENT_PATH.sub(lambda found: _event(found, policy, events or {}), sentence)


def explanation(item: dict, policy: Policy) -> list[str]:
    """An item's explanation (when the verdict has one), each sentence as a person reads it."""
    data = item.get("explication") or {}
    events = _events(data)
    return [readable(sentence, policy, events) for sentence in data.get("texte") or []]
