"""An event type's new amendments in business terms, for `policy diff` and the Changements page: from which date, by
which decision, and what each changes against the text before it — « l'attribut « motifs » devient requis à partir
du 01/03/2027 (décision du 15/01/2027, <its reference>) », a default or an attribute's values changed."""
from __future__ import annotations

import json

from ..model.display import day_text
from .period_changes import version_source

TEXTS = ("attributs", "requis", "requis_si", "defauts")
SELECTED_BY = "la date de chaque événement"


def event_versions(old: dict, new: dict) -> list[dict]:
    """The amendments of `new` that `old` had not, each with its changes in words (the shape of a criterion's)."""
    known = {str(entry.get("depuis")) for entry in _versions(old)}
    previous = {key: new.get(key) for key in TEXTS}
    out: list[dict] = []
    for entry in _versions(new):
        current = {**previous, **{key: entry[key] for key in TEXTS if key in entry}}
        day = str(entry.get("depuis"))
        if day not in known:
            out.append({"depuis": day, "selon": None, "par_defaut": SELECTED_BY, "selon_titre": None,
                        "changements": event_words(previous, current, day, version_source(entry)),
                        "decision": entry.get("decision") if isinstance(entry.get("decision"), dict) else {}})
        previous = current
    return out


def event_words(before: dict, after: dict, day: str, source: str) -> list[str]:
    """What changes from one text of an event type to the next, attribute by attribute."""
    said: list[str] = []
    since = f" à partir du {day_text(day)}" + (f" ({source})" if source else "")
    old_required, new_required = _names(before.get("requis")), _names(after.get("requis"))
    said += [f"l'attribut « {name} » devient requis{since}" for name in new_required if name not in old_required]
    said += [f"l'attribut « {name} » n'est plus requis{since}" for name in old_required if name not in new_required]
    if before.get("requis_si") != after.get("requis_si"):
        said.append(f"les attributs requis selon les valeurs d'autres (requis_si){since} : "
                    f"{_shown(before.get('requis_si') or [])} → {_shown(after.get('requis_si') or [])}")
    old_attributes, new_attributes = _mapping(before.get("attributs")), _mapping(after.get("attributs"))
    for name in [*old_attributes, *(name for name in new_attributes if name not in old_attributes)]:
        if name not in new_attributes:
            said.append(f"l'attribut « {name} » est retiré{since}")
        elif name not in old_attributes:
            said.append(f"l'attribut « {name} » est ajouté{since} : {_shown(new_attributes[name])}")
        elif old_attributes[name] != new_attributes[name]:
            said.append(f"l'attribut « {name} »{since} : {_shown(old_attributes[name])} → "
                        f"{_shown(new_attributes[name])}")
    old_defaults, new_defaults = _mapping(before.get("defauts")), _mapping(after.get("defauts"))
    for name in [*old_defaults, *(name for name in new_defaults if name not in old_defaults)]:
        if old_defaults.get(name) != new_defaults.get(name):
            said.append(f"la valeur par défaut de l'attribut « {name} »{since} : {_value(old_defaults, name)} → "
                        f"{_value(new_defaults, name)}")
    return said


def _names(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _value(values: dict, name: str) -> str:
    return _shown(values[name]) if name in values else "aucune"


def _shown(value: object) -> str:
    """A schema or a value as written in the catalogue ({enum: [favorable, defavorable]})."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, bool):
        return json.dumps(value)
    return str(value)


def _versions(data: dict) -> list[dict]:
    found = data.get("versions")
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []
