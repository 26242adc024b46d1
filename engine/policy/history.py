"""A parameter's past: its dated values with their sources, and the check that a change never rewrites them silently.

The rule a board change follows: a new value is added with the date it takes effect; the values already dated stay as
they are, so facts dated before the change keep their old value. A value changed or withdrawn in place, or a value
slipped in before an existing one, changes what applied in the past: it is refused unless that entry says it is a
correction (`correction: {motif: ..., remplace: [dates withdrawn]}`).
"""
from __future__ import annotations

from ..errors import Issue, json_path
from .model import Policy
from .snapshots import Snapshot


def parameter_history(policy: Policy, parameter_id: str) -> dict:
    parameter = policy.parameters[parameter_id]
    money = parameter.unit in policy.currencies
    return {
        "politique": policy.id, "version": policy.version, "id": parameter.id, "titre": parameter.title,
        "article": parameter.article, "unite": parameter.unit,
        "valeurs": [{"depuis": value.since.isoformat(), "valeur": str(value.value) if money else value.value,
                     **value.source} for value in parameter.values],
    }


def history_text(history: dict) -> str:
    lines = [f"{history['politique']} {history['version']} — {history['id']} [{history['article']}] : "
             f"{history['titre']} (en {history['unite']})"]
    for value in history["valeurs"]:
        line = f"  depuis le {value['depuis']}  {value['valeur']!s:>10}"
        decision = value.get("decision")
        if decision:
            line += f"  décision du {decision['date']}" + (f" ({decision['reference']})" if decision.get("reference") else "")
        correction = value.get("correction")
        if correction:
            line += f"  correction : {correction['motif']}" + (f" ({correction['date']})" if correction.get("date") else "")
        lines.append(line)
    return "\n".join(lines) + "\n"


def rewritten_past(baseline: dict[str, Snapshot], current: dict[str, Snapshot]) -> list[Issue]:
    """Every dated value of the baseline that the current policies change, withdraw or precede without saying so."""
    issues: list[Issue] = []
    for policy_id, before in sorted(baseline.items()):
        after = current.get(policy_id)
        if after is None:
            continue
        for parameter_id, old in sorted(before.parameters.items()):
            new = after.parameters.get(parameter_id)
            where = ("parametres",) + tuple(parameter_id.split("."))
            if new is None:
                issues.append(Issue(json_path(where), f"parameter removed: its dated values would no longer apply to "
                                    f"the facts dated while they were in force (policy {policy_id})",
                                    str(after.folder / "parametres.yaml")))
                continue
            issues.extend(_value_issues(_values(old.data), _values(new.data), new, where))
    return issues


def _value_issues(old: list[dict], new: list[dict], located, where: tuple) -> list[Issue]:
    issues = []
    new_by_date = {str(entry.get("depuis")): (index, entry) for index, entry in enumerate(new)}
    withdrawn = {str(day) for entry in new for day in (_correction(entry) or {}).get("remplace", ())}
    old_dates = [str(entry.get("depuis")) for entry in old]
    for entry in old:
        day = str(entry.get("depuis"))
        found = new_by_date.get(day)
        if found is None:
            if day not in withdrawn:
                issues.append(Issue(json_path(where + ("valeurs",)), f"the value in force from {day} "
                                    f"({entry.get('valeur')}) was removed: facts dated from then would change value; "
                                    "keep it and add a new dated value, or withdraw it by a correction "
                                    f"(correction: {{motif: ..., remplace: [{day}]}}) on the entry that replaces it",
                                    located.file, located.line("valeurs")))
            continue
        index, current = found
        if str(current.get("valeur")) != str(entry.get("valeur")) and not _correction(current):
            issues.append(Issue(json_path(where + ("valeurs", index, "valeur")), f"the value in force from {day} was "
                                f"changed ({entry.get('valeur')} → {current.get('valeur')}): it applies to facts "
                                "already dated; add a new dated value instead, or mark this one as a correction "
                                "with its reason (correction: {motif: ...})", located.file,
                                located.line("valeurs", index, "valeur")))
    last = max(old_dates, default=None)
    for day, (index, current) in sorted(new_by_date.items()):
        if day not in old_dates and last is not None and day < last and not _correction(current):
            issues.append(Issue(json_path(where + ("valeurs", index, "depuis")), f"a value dated {day} is inserted "
                                f"before the one of {last}: it changes what applied between these dates; date it "
                                "after the last value, or mark it as a correction with its reason (correction: "
                                "{motif: ...})", located.file, located.line("valeurs", index, "depuis")))
    return issues


def _correction(entry: dict) -> dict | None:
    correction = entry.get("correction")
    return correction if isinstance(correction, dict) and str(correction.get("motif") or "").strip() else None


def _values(node: dict) -> list[dict]:
    values = node.get("valeurs") if isinstance(node, dict) else None
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
