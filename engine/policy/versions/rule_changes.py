"""A rule's new amendments in business terms, for `policy diff`: from which date, by which decision, selected by which
date, and what each changes against the text before it — "l'obligation de l'Instance devient une faculté",
"délai : 25 → 10 jours ouvrés", the trigger or a guard changed, the effect replaced."""
from __future__ import annotations

from ..model.display import day_text
from ..model.parameters import dated_values
from ..model.vocabulary import RULE_EFFECTS
from .snapshots import Located, Snapshot

NATURES = {"obligation": "une obligation", "faculte": "une faculté"}
DEFINITE = {"obligation": "l'obligation", "faculte": "la faculté"}


def new_versions(old: Located, new: Located, snapshot: Snapshot, units: dict) -> list[dict]:
    """The amendments of `new` that `old` did not have, each with its changes in words."""
    known = {str(entry.get("depuis")) for entry in _versions(old.data)}
    previous: dict = new.data
    out = []
    for entry in _versions(new.data):
        day = str(entry.get("depuis"))
        if day not in known:
            decision = entry.get("decision") if isinstance(entry.get("decision"), dict) else {}
            chosen = (entry.get("selon") or {}).get("dernier_evenement") if isinstance(entry.get("selon"), dict) else None
            out.append({"depuis": day, "decision": decision, "selon": chosen, "selon_titre": _event(snapshot, chosen),
                        "changements": changes(previous, entry, snapshot, units, day)})
        previous = entry
    return out


def changes(before: dict, after: dict, snapshot: Snapshot, units: dict, day: str) -> list[str]:
    """What a text changes against the one before it, one sentence each."""
    said: list[str] = []
    if before.get("quand") != after.get("quand"):
        said.append("déclencheur, conditions ou gardes (quand) : "
                    f"{_shown(before.get('quand'))} → {_shown(after.get('quand'))}")
    old_kind = next((name for name in RULE_EFFECTS if name in before), None)
    new_kind = next((name for name in RULE_EFFECTS if name in after), None)
    if old_kind != new_kind:
        said.append(f"l'effet « {old_kind} » est remplacé par l'effet « {new_kind} »")
        return said
    old_effect, new_effect = before.get(old_kind or ""), after.get(new_kind or "")
    if not isinstance(old_effect, dict) or not isinstance(new_effect, dict) or old_effect == new_effect:
        return said
    if new_kind == "action":
        said += _action(old_effect, new_effect, snapshot, units, day)
    else:
        said.append(f"effet « {new_kind} » : {_shown(old_effect)} → {_shown(new_effect)}")
    return said


def _action(old: dict, new: dict, snapshot: Snapshot, units: dict, day: str) -> list[str]:
    said = []
    actor = _actor(snapshot, str(new.get("acteur")))
    if old.get("acteur") != new.get("acteur"):
        said.append(f"l'action passe de {_actor(snapshot, str(old.get('acteur')))} à {actor}")
    if old.get("nature") != new.get("nature"):
        said.append(f"{DEFINITE.get(str(old.get('nature')), old.get('nature'))} {_of(actor)} devient "
                    f"{NATURES.get(str(new.get('nature')), new.get('nature'))}")
    old_delay = (old.get("echeance") or {}).get("delai")
    new_delay = (new.get("echeance") or {}).get("delai")
    if old_delay != new_delay:
        said.append(f"délai : {_delay(snapshot, units, old_delay, day)} → {_delay(snapshot, units, new_delay, day)} "
                    f"à partir du {day_text(day)}")
    rest = sorted(key for key in set(old) | set(new) if key not in ("acteur", "nature", "echeance")
                  and old.get(key) != new.get(key))
    if rest:
        said.append(f"action : {', '.join(rest)} modifié(s)")
    return said


def _delay(snapshot: Snapshot, units: dict, parameter_id: object, day: str) -> str:
    if not isinstance(parameter_id, str):
        return "sans délai"
    node = snapshot.parameters.get(parameter_id)
    if node is None:
        return parameter_id
    in_force = [entry.get("valeur") for entry in sorted(dated_values(node.data), key=lambda e: str(e.get("depuis")))
                if str(entry.get("depuis")) <= day]
    unit = node.data.get("unite")
    title = units.get(unit, {}).get("titre", unit) if isinstance(unit, str) else unit
    return f"{in_force[-1]} {title}" if in_force else parameter_id


def _actor(snapshot: Snapshot, actor: str) -> str:
    calendar = snapshot.files.get("calendrier")
    if snapshot.base is not None and not isinstance(calendar, dict):
        calendar = snapshot.base.files.get("calendrier")
    spec = ((calendar or {}).get("acteurs") or {}).get(actor) if isinstance(calendar, dict) else None
    return str(spec.get("titre")) if isinstance(spec, dict) and spec.get("titre") else actor


def _event(snapshot: Snapshot, event: str | None) -> str | None:
    """An event type's title (its catalogue, or its base's)."""
    for files in (snapshot.files, snapshot.base.files if snapshot.base is not None else {}):
        catalogue = files.get("evenements")
        types = catalogue.get("types") if isinstance(catalogue, dict) else None
        spec = types.get(event) if isinstance(types, dict) and event else None
        if isinstance(spec, dict) and spec.get("titre"):
            return str(spec["titre"])
    return event


def _of(who: str) -> str:
    if who.startswith("le "):
        return "du " + who[3:]
    return "de " + who


def _versions(data: dict) -> list[dict]:
    found = data.get("versions")
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value)
