"""What changed between two versions of the policies, as a board member approves it.

For each policy: each parameter whose dated values differ (a new value from a date, a value corrected, a value
withdrawn), with the value in force before and after on that date; rules and criteria added, removed or changed,
by id and article; the other files that changed; and for a change of a base, which of its extensions inherit it
(a parameter's value merges with an extension's own by date: engine/policy/parameters.py). `diff_policies` gives the
data, engine/policy/texts.py writes it in French.
"""
from __future__ import annotations

import json
from functools import partial

from ..model.display import unit_titles
from ..model.parameters import dated_values, merge_dated
from .case_history import case_changes
from .event_changes import event_versions
from .history import same_value
from .period_changes import (
    control_versions,
    conventions_changes,
    criterion_versions,
    period_changes,
    territory_changes,
)
from .rule_changes import new_versions
from .snapshots import CRITERIA_KEY, Located, Snapshot

SPECIAL_FILES = ("politique", "parametres")


def diff_policies(old: dict[str, Snapshot], new: dict[str, Snapshot]) -> dict:
    policies = []
    for policy_id in sorted(set(old) | set(new)):
        before, after = old.get(policy_id), new.get(policy_id)
        if before is None and after is not None:
            policies.append({"id": policy_id, "changement": "ajoutee", "version": {"avant": None, "apres": after.version},
                             "etend": after.extends})
        elif after is None and before is not None:
            policies.append({"id": policy_id, "changement": "retiree", "version": {"avant": before.version, "apres": None}})
        elif before is not None and after is not None:
            entry = _policy_changes(before, after)
            if entry is not None:
                _inheritance(entry, after, [s for s in new.values() if s.extends == policy_id and s is not after])
                policies.append(entry)
    return {"politiques": policies, "identiques": not policies}


def _policy_changes(before: Snapshot, after: Snapshot) -> dict | None:
    parameters = _parameters(before, after)
    rules = _elements(before.rules, after.rules)
    for rule in rules:      # an amendment from a date, in words (engine/policy/versions/rule_changes.py)
        if rule["changement"] == "modifie" and (found := new_versions(before.rules[rule["id"]],
                                                                       after.rules[rule["id"]], after, _units(after))):
            rule["versions_ajoutees"] = found
    criteria = _elements(before.criteria, after.criteria)
    events = _event_types(after)
    for criterion in criteria:      # an amendment from a date, in words (engine/policy/versions/period_changes.py)
        if criterion["changement"] == "modifie" and (found := criterion_versions(
                before.criteria[criterion["id"]].data, after.criteria[criterion["id"]].data, events)):
            criterion["versions_ajoutees"] = found
    controls = _elements(before.controls, after.controls)
    for control in controls:
        if control["changement"] == "modifie" and (found := control_versions(
                before.controls[control["id"]].data, after.controls[control["id"]].data, events)):
            control["versions_ajoutees"] = found
    pieces = _elements(before.pieces, after.pieces)
    for piece in pieces:
        if piece["changement"] == "modifie" and (found := control_versions(
                before.pieces[piece["id"]].data, after.pieces[piece["id"]].data, events, "titre")):
            piece["versions_ajoutees"] = found
    event_types = _elements(before.events, after.events)
    for event in event_types:   # an amendment from a date, in words (engine/policy/versions/event_changes.py)
        if event["changement"] == "modifie" and (found := event_versions(before.events[event["id"]].data,
                                                                         after.events[event["id"]].data)):
            event["versions_ajoutees"] = found
    files = sorted(stem for stem in set(before.files) | set(after.files) if stem not in SPECIAL_FILES
                   and _canonical(_compared(stem, before.files.get(stem))) != _canonical(_compared(stem, after.files.get(stem))))
    politique = sorted(key for key in set(before.politique) | set(after.politique) if key != "version"
                       and _canonical(before.politique.get(key)) != _canonical(after.politique.get(key)))
    cases = case_changes(before, after)
    period = period_changes(before, after, _units(after))      # in words (engine/policy/versions/period_changes.py)
    conventions = conventions_changes(before, after)
    territories = territory_changes(before, after)
    if not (parameters or rules or criteria or controls or pieces or event_types or files or politique or cases or period
            or conventions or territories) \
            and before.version == after.version:
        return None
    return {"id": after.id, "changement": "modifiee", "version": {"avant": before.version, "apres": after.version},
            "etend": after.extends, "parametres": parameters, "regles": rules, "criteres": criteria,
            "controles": controls, "pieces": pieces, "evenements": event_types,
            "politique": politique, "autres_fichiers": [f"{stem}.yaml" for stem in files],
            "unites": _units(after), "cas": cases, "periode": period, "conventions": conventions,
            "territoires": territories}


def _event_types(snapshot: Snapshot) -> dict:
    """The event types of a snapshot's catalogue (its base's for an overlay)."""
    for files in (snapshot.files, snapshot.base.files if snapshot.base is not None else {}):
        catalogue = files.get("evenements")
        if isinstance(catalogue, dict) and isinstance(catalogue.get("types"), dict):
            return catalogue["types"]
    return {}


def _units(snapshot: Snapshot) -> dict:
    return unit_titles(snapshot.files, snapshot.base.files if snapshot.base is not None else None)


def _inheritance(entry: dict, after: Snapshot, overlays: list[Snapshot]) -> None:
    """For each change of a base: `heritee_par` the extensions it reaches, `non_heritee_par` those that keep their own."""
    if not overlays:
        return
    for parameter in entry["parametres"]:
        new = after.parameters.get(parameter["id"])
        changes = parameter["valeurs_modifiees"] if parameter["changement"] == "modifie" else [parameter]
        for change in changes:
            day = change.get("depuis") or min((v["depuis"] for v in parameter.get("valeurs", [])), default="")
            _split(change, overlays, partial(_own_in_force, parameter_id=parameter["id"], base_node=new, day=day))
    for element in entry["regles"]:   # an extension may replace a rule; never a criterion (overlay_checks.py)
        _split(element, overlays, partial(_own_rule, rule_id=element["id"]))
    for element in entry["criteres"] + entry["controles"] + entry["pieces"] + entry["evenements"]:
        _split(element, overlays, lambda overlay: None)


def _split(change: dict, overlays: list[Snapshot], own) -> None:
    change["heritee_par"], change["non_heritee_par"] = [], []
    for overlay in overlays:
        kept = own(overlay)
        if kept is None:
            change["heritee_par"].append(overlay.id)
        else:
            change["non_heritee_par"].append({"id": overlay.id, **kept})


def _own_rule(overlay: Snapshot, rule_id: str) -> dict | None:
    """An overlay that replaces a rule keeps its own."""
    return {"quoi": "règle"} if rule_id in overlay.rules else None


def _own_in_force(overlay: Snapshot, parameter_id: str, base_node, day: str) -> dict | None:
    """The overlay's own value in force on day over the base's new values (None: the base's value is in force)."""
    own = overlay.parameters.get(parameter_id)
    if own is None:
        return None
    merged = merge_dated(dated_values(base_node.data) if base_node else [], dated_values(own.data))
    in_force = [(entry, mine) for entry, mine in merged if isinstance(entry, dict) and str(entry.get("depuis")) <= day]
    if not in_force or not in_force[-1][1]:
        return None
    entry, _ = in_force[-1]
    return {"valeur": entry.get("valeur")} if isinstance(entry, dict) else None


def _parameters(before: Snapshot, after: Snapshot) -> list[dict]:
    out = []
    for parameter_id in sorted(set(before.parameters) | set(after.parameters)):
        old = before.parameters.get(parameter_id)
        new = after.parameters.get(parameter_id)
        node = _either(new, old).data
        unit = node.get("unite")
        # a revision compared is read as written, before any check: its unit may be no name at all
        title = _units(after if new else before).get(unit, {}).get("titre", unit) if isinstance(unit, str) else unit
        entry = {"id": parameter_id, "titre": node.get("titre"), "article": node.get("article"), "unite": unit,
                 "unite_titre": title}
        if old is None:
            out.append({**entry, "changement": "ajoute", "valeurs": [_value(v) for v in dated_values(node)]})
        elif new is None:
            out.append({**entry, "changement": "retire", "valeurs": [_value(v) for v in dated_values(old.data)]})
        else:
            changes = value_changes(dated_values(old.data), dated_values(new.data))
            meta = [key for key in ("titre", "article", "unite") if old.data.get(key) != new.data.get(key)]
            if changes or meta:
                out.append({**entry, "changement": "modifie", "valeurs_modifiees": changes, "champs_modifies": meta,
                            "champs": [{"champ": key, "avant": old.data.get(key), "apres": new.data.get(key)}
                                       for key in meta]})
    return out


def value_changes(old: list[dict], new: list[dict]) -> list[dict]:
    """Dated values added, corrected, withdrawn or re-sourced, each with the value in force before and after that date."""
    old_by_date = {str(v.get("depuis")): v for v in old}
    new_by_date = {str(v.get("depuis")): v for v in new}
    changes = []
    for day in sorted(set(old_by_date) | set(new_by_date)):
        before, after = old_by_date.get(day), new_by_date.get(day)
        if before is None:
            nature = "nouvelle_valeur"
        elif after is None:
            nature = "valeur_retiree"
        elif not same_value(before.get("valeur"), after.get("valeur")):
            nature = "valeur_corrigee"
        elif _source(before) != _source(after):
            nature = "source_modifiee"
        else:
            continue
        change = {"depuis": day, "nature": nature, "avant": _in_force(old, day), "apres": _in_force(new, day)}
        change.update({key: value for key, value in _source(after or before or {}).items()})
        changes.append(change)
    return changes


def _in_force(values: list[dict], day: str):
    found = None
    for value in sorted(values, key=lambda v: str(v.get("depuis"))):
        if str(value.get("depuis")) <= day:
            found = value.get("valeur")
    return None if found is None else str(found) if not isinstance(found, int) else found


def _value(value: dict) -> dict:
    return {"depuis": str(value.get("depuis")), "valeur": value.get("valeur"), **_source(value)}


def _source(value: dict) -> dict:
    return {key: value[key] for key in ("decision", "correction", "retroactif") if key in value}


def _elements(before: dict, after: dict) -> list[dict]:
    out = []
    for element_id in sorted(set(before) | set(after)):
        old, new = before.get(element_id), after.get(element_id)
        spec = _either(new, old).data
        entry = {"id": element_id, "article": spec.get("article"), "titre": spec.get("titre")}
        if old is None:
            out.append({**entry, "changement": "ajoute"})
        elif new is None:
            out.append({**entry, "changement": "retire"})
        elif _canonical(old.data) != _canonical(new.data):
            keys = sorted(k for k in set(old.data) | set(new.data) if _canonical(old.data.get(k)) != _canonical(new.data.get(k)))
            out.append({**entry, "changement": "modifie", "champs_modifies": keys})
    return out


def _either(new: Located | None, old: Located | None) -> Located:
    """The element after a change, else before it (one of them is there: its id came from one of the two)."""
    found = new or old
    if found is None:
        raise ValueError("an element neither before nor after")
    return found


def _compared(stem: str, data):
    """A file's data as compared for "other files changed": without what is reported on its own (criteria, the
    period)."""
    apart = {CRITERIA_KEY, "periode"} if stem == "statuts" else {CRITERIA_KEY, "conventions", "territoires"} if stem == "calendrier" \
        else {CRITERIA_KEY, "controles"} if stem == "dossier" else {CRITERIA_KEY, "types"} if stem == "evenements" \
        else {CRITERIA_KEY}
    if not isinstance(data, dict):
        return data
    out = {key: value for key, value in data.items() if key not in apart}
    if stem == "dossier" and isinstance(out.get("completude"), dict):      # its pieces are reported on their own
        out["completude"] = {key: value for key, value in out["completude"].items() if key != "pieces"}
    return out


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
