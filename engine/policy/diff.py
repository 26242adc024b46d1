"""What changed between two versions of the policies, as a board member approves it.

For each policy: each parameter whose dated values differ (a new value from a date, a value corrected, a value
withdrawn), with the value in force before and after on that date; rules and criteria added, removed or changed,
by id and article; the other files that changed. `diff_text` writes it in French, `diff_policies` gives the data.
"""
from __future__ import annotations

import json

from .snapshots import CRITERIA_KEY, Snapshot

SPECIAL_FILES = ("politique", "parametres")


def diff_policies(old: dict[str, Snapshot], new: dict[str, Snapshot]) -> dict:
    policies = []
    for policy_id in sorted(set(old) | set(new)):
        before, after = old.get(policy_id), new.get(policy_id)
        if before is None:
            policies.append({"id": policy_id, "changement": "ajoutee", "version": {"avant": None, "apres": after.version},
                             "etend": after.extends})
        elif after is None:
            policies.append({"id": policy_id, "changement": "retiree", "version": {"avant": before.version, "apres": None}})
        else:
            entry = _policy_changes(before, after)
            if entry is not None:
                policies.append(entry)
    return {"politiques": policies, "identiques": not policies}


def _policy_changes(before: Snapshot, after: Snapshot) -> dict | None:
    parameters = _parameters(before, after)
    rules = _elements(before.rules, after.rules)
    criteria = _elements(before.criteria, after.criteria)
    files = sorted(stem for stem in set(before.files) | set(after.files) if stem not in SPECIAL_FILES
                   and _canonical(_without_criteria(before.files.get(stem))) != _canonical(_without_criteria(after.files.get(stem))))
    politique = sorted(key for key in set(before.politique) | set(after.politique) if key != "version"
                       and _canonical(before.politique.get(key)) != _canonical(after.politique.get(key)))
    if not (parameters or rules or criteria or files or politique) and before.version == after.version:
        return None
    return {"id": after.id, "changement": "modifiee", "version": {"avant": before.version, "apres": after.version},
            "etend": after.extends, "parametres": parameters, "regles": rules, "criteres": criteria,
            "politique": politique, "autres_fichiers": [f"{stem}.yaml" for stem in files]}


def _parameters(before: Snapshot, after: Snapshot) -> list[dict]:
    out = []
    for parameter_id in sorted(set(before.parameters) | set(after.parameters)):
        old = before.parameters.get(parameter_id)
        new = after.parameters.get(parameter_id)
        node = (new or old).data
        entry = {"id": parameter_id, "titre": node.get("titre"), "article": node.get("article"),
                 "unite": node.get("unite"), "unite_titre": _unit_title(after if new else before, node.get("unite"))}
        if old is None:
            out.append({**entry, "changement": "ajoute", "valeurs": [_value(v) for v in _values(new.data)]})
        elif new is None:
            out.append({**entry, "changement": "retire", "valeurs": [_value(v) for v in _values(old.data)]})
        else:
            changes = value_changes(_values(old.data), _values(new.data))
            meta = [key for key in ("titre", "article", "unite") if old.data.get(key) != new.data.get(key)]
            if changes or meta:
                out.append({**entry, "changement": "modifie", "valeurs_modifiees": changes, "champs_modifies": meta})
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
        elif str(before.get("valeur")) != str(after.get("valeur")):
            nature = "valeur_corrigee"
        elif _source(before) != _source(after):
            nature = "source_modifiee"
        else:
            continue
        change = {"depuis": day, "nature": nature, "avant": _in_force(old, day), "apres": _in_force(new, day)}
        change.update({key: value for key, value in _source(after or before).items()})
        changes.append(change)
    return changes


def _in_force(values: list[dict], day: str):
    found = None
    for value in sorted(values, key=lambda v: str(v.get("depuis"))):
        if str(value.get("depuis")) <= day:
            found = value.get("valeur")
    return None if found is None else str(found) if not isinstance(found, int) else found


def _values(node: dict) -> list[dict]:
    values = node.get("valeurs")
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def _value(value: dict) -> dict:
    return {"depuis": str(value.get("depuis")), "valeur": value.get("valeur"), **_source(value)}


def _source(value: dict) -> dict:
    return {key: value[key] for key in ("decision", "correction") if key in value}


def _elements(before: dict, after: dict) -> list[dict]:
    out = []
    for element_id in sorted(set(before) | set(after)):
        old, new = before.get(element_id), after.get(element_id)
        spec = (new or old).data
        entry = {"id": element_id, "article": spec.get("article"), "titre": spec.get("titre")}
        if old is None:
            out.append({**entry, "changement": "ajoute"})
        elif new is None:
            out.append({**entry, "changement": "retire"})
        elif _canonical(old.data) != _canonical(new.data):
            keys = sorted(k for k in set(old.data) | set(new.data) if _canonical(old.data.get(k)) != _canonical(new.data.get(k)))
            out.append({**entry, "changement": "modifie", "champs_modifies": keys})
    return out


def _unit_title(snapshot: Snapshot | None, unit) -> str:
    """A duration unit's title from the calendar (`jours ouvrés`), the overlay's or its base's; else the unit's name."""
    while snapshot is not None:
        calendar = snapshot.files.get("calendrier")
        units = calendar.get("unites_de_duree") if isinstance(calendar, dict) else None
        spec = units.get(unit) if isinstance(units, dict) else None
        if isinstance(spec, dict):
            return spec.get("titre", unit)
        snapshot = snapshot.base
    return str(unit)


def _without_criteria(data):
    return {key: value for key, value in data.items() if key != CRITERIA_KEY} if isinstance(data, dict) else data


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


# --- French text -------------------------------------------------------------------------------------
_NATURE = {"nouvelle_valeur": "nouvelle valeur", "valeur_corrigee": "valeur corrigée",
           "valeur_retiree": "valeur retirée", "source_modifiee": "source modifiée"}
_ELEMENT = {"ajoute": "+ ajouté ", "retire": "- retiré ", "modifie": "~ modifié"}


def diff_text(diff: dict, old_label: str, new_label: str) -> str:
    lines = [f"Changements de {old_label} à {new_label}"]
    if diff["identiques"]:
        return lines[0] + " : aucun.\n"
    for policy in diff["politiques"]:
        lines.append("")
        version = policy["version"]
        if policy["changement"] == "ajoutee":
            extends = f", étend {policy['etend']}" if policy.get("etend") else ""
            lines.append(f"Politique {policy['id']} ajoutée (version {version['apres']}{extends})")
            continue
        if policy["changement"] == "retiree":
            lines.append(f"Politique {policy['id']} retirée (version {version['avant']})")
            continue
        same = version["avant"] == version["apres"]
        lines.append(f"Politique {policy['id']} — version {version['avant']}"
                     + (" (inchangée)" if same else f" → {version['apres']}"))
        if policy["parametres"]:
            lines.append("  Paramètres")
            for parameter in policy["parametres"]:
                lines.extend(_parameter_lines(parameter))
        for key, title in (("regles", "Règles"), ("criteres", "Critères")):
            if policy[key]:
                lines.append(f"  {title}")
                for element in policy[key]:
                    detail = f" ({', '.join(element['champs_modifies'])})" if element.get("champs_modifies") else ""
                    lines.append(f"    {_ELEMENT[element['changement']]} {element['id']} [{element['article']}] "
                                 f"{element['titre'] or ''}{detail}".rstrip())
        if policy["politique"]:
            lines.append(f"  Politique : {', '.join(policy['politique'])} modifié(s)")
        if policy["autres_fichiers"]:
            lines.append(f"  Autres fichiers modifiés : {', '.join(policy['autres_fichiers'])}")
    return "\n".join(lines) + "\n"


def _parameter_lines(parameter: dict) -> list[str]:
    unit = parameter["unite_titre"]
    head = f"    {parameter['id']} [{parameter['article']}] — {parameter['titre']}"
    if parameter["changement"] != "modifie":
        values = ", ".join(f"{_show(v['valeur'], unit)} depuis le {_day(v['depuis'])}" for v in parameter["valeurs"])
        return [head, f"      {'paramètre ajouté' if parameter['changement'] == 'ajoute' else 'paramètre retiré'} : {values}"]
    lines = [head]
    if parameter["champs_modifies"]:
        lines.append(f"      description modifiée : {', '.join(parameter['champs_modifies'])}")
    for change in parameter["valeurs_modifiees"]:
        line = (f"      à partir du {_day(change['depuis'])} : {_show(change['avant'], unit)} → "
                f"{_show(change['apres'], unit)} ({_NATURE[change['nature']]})")
        decision = change.get("decision")
        if decision:
            reference = f", {decision['reference']}" if decision.get("reference") else ""
            line += f" — décision du {_day(decision.get('date'))}{reference}"
        correction = change.get("correction")
        if correction:
            line += f" — correction : {correction.get('motif')}"
        lines.append(line)
    return lines


def _show(value, unit: str) -> str:
    return "aucune valeur" if value is None else f"{value} {unit}"


def _day(value) -> str:
    text = str(value)
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" if len(text) == 10 else text
