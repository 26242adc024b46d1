"""A parameter's past: its dated values with their sources, and the checks that a change never rewrites it silently.

The rule a board change follows: a new value is added with the date it takes effect, on or after the day it is
decided; the values already dated stay as they are, so facts dated before the change keep their old value.
Refused unless the entry says why:
  - a value changed or withdrawn in place, or slipped in before an existing one (`correction: {motif, remplace}`);
  - a value that takes effect before the day it was decided — its `decision.date`, else the day it is checked —
    and so reprices what was already owed or reopens what was already counted (`retroactif: {motif}`).
"350.00" written again as 350 is the same value, not a change.
"""
from __future__ import annotations

from datetime import date

from ...errors import Issue, json_path
from ..model.display import day_text
from ..model.parameters import dated_values, merge_dated, parse_amount
from .case_history import rewritten_cases
from .rule_history import rewritten_rules
from .snapshots import Snapshot

RETROACTIVE_HINT = ("si la rétroactivité est voulue, dites-le sur l'entrée avec sa raison : "
                    "retroactif: {motif: \"…\"}")


def rewritten_past(baseline: dict[str, Snapshot], current: dict[str, Snapshot], today: date) -> list[Issue]:
    """Every dated value of the baseline that the current policies change, withdraw or precede without saying so,
    and every new value that takes effect before it was decided (or before `today`) without saying so."""
    issues: list[Issue] = []
    for policy_id, after in sorted(current.items()):
        before = baseline.get(policy_id)
        if before is None:
            continue
        for parameter_id, new in sorted(after.parameters.items()):
            old = before.parameters.get(parameter_id)
            where = ("parametres",) + tuple(parameter_id.split("."))
            inherited = before.base.parameters.get(parameter_id) if before.base is not None else None
            if inherited is not None and after.base is not None:    # an overlay's values over its base's, by date
                base = dated_values(inherited.data)
                own = dated_values(new.data)
                own_dates = {str(entry.get("depuis")) for entry in own}
                was = [entry for entry, _ in merge_dated(base, dated_values(old.data) if old is not None else [])
                       if isinstance(entry, dict)]
                issues.extend(_value_issues(was, own + [e for e in base if str(e.get("depuis")) not in own_dates],
                                            new, where, today))
            elif old is not None:   # a new parameter goes with a new rule: there was no value to rewrite
                issues.extend(_value_issues(dated_values(old.data), dated_values(new.data), new, where, today))
            if old is not None:
                issues.extend(_unit_issues(old.data, new, where))
        issues.extend(rewritten_rules(before, after))
        issues.extend(rewritten_cases(before, after))
        for parameter_id in sorted(set(before.parameters) - set(after.parameters)):
            issues.append(Issue(json_path(("parametres",) + tuple(parameter_id.split("."))),
                                f"paramètre retiré : ses valeurs datées ne s'appliqueraient plus aux faits datés du "
                                f"temps où elles étaient en vigueur (politique {policy_id}) ; gardez-le",
                                str(after.folder / "parametres.yaml")))
    return issues


def _unit_issues(old: dict, new, where: tuple) -> list[Issue]:
    """A unit changed in place (working days counted as calendar days, euros as another currency): every value
    already dated would now count otherwise, for the facts of its time too."""
    before, after = old.get("unite"), new.data.get("unite")
    correction = new.data.get("correction_unite")
    if before == after or before is None or after is None \
            or (isinstance(correction, dict) and str(correction.get("motif") or "").strip()):
        return []       # (an overlay's dated values may leave the unit to its base's: no unit to compare)
    return [Issue(json_path(where + ("unite",)), f"l'unité a été modifiée ({before} → {after}) : chaque valeur déjà "
                  "datée compterait autrement, pour les faits de son temps aussi ; pour un changement à partir d'une "
                  "date, créez un nouveau paramètre et une nouvelle version de la règle qui le lit, ou, si c'est une "
                  "correction, dites-le avec sa raison (correction_unite: {motif: \"…\"})",
                  new.file, new.line("unite"))]


def retroactive_problems(entry: dict, sources, path: tuple):
    """A value dated before its own decision, without `retroactif` (checked whenever a policy loads)."""
    decided = (entry.get("decision") or {}).get("date") if isinstance(entry.get("decision"), dict) else None
    since = str(entry.get("depuis"))
    if decided is not None and str(decided) > since and not _marked(entry):
        yield sources.issue(path + ("depuis",), _retroactive(since, f"a été décidée le {day_text(decided)}"))


def _retroactive(since: str, decided: str) -> str:
    return (f"la valeur du {day_text(since)} {decided} : elle s'appliquerait rétroactivement aux faits datés depuis le "
            f"{day_text(since)} (un montant déjà dû serait recalculé, un délai déjà ouvert changerait) ; datez-la au plus "
            f"tôt du jour de sa décision, ou, {RETROACTIVE_HINT}")


def _value_issues(old: list[dict], new: list[dict], located, where: tuple, today: date) -> list[Issue]:
    issues = []
    new_by_date = {str(entry.get("depuis")): (index, entry) for index, entry in enumerate(new)}
    withdrawn = {str(day) for entry in new for day in (_correction(entry) or {}).get("remplace", ())}
    old_dates = [str(entry.get("depuis")) for entry in old]
    for entry in old:
        day = str(entry.get("depuis"))
        found = new_by_date.get(day)
        if found is None:
            if day not in withdrawn:
                issues.append(Issue(json_path(where + ("valeurs",)), f"la valeur en vigueur depuis le {day_text(day)} "
                                    f"({entry.get('valeur')}) a été retirée : les faits datés de cette période "
                                    "changeraient de valeur ; gardez-la et ajoutez une nouvelle valeur datée, ou "
                                    "retirez-la par une correction sur l'entrée qui la remplace (correction: "
                                    f"{{motif: \"…\", remplace: [{day}]}})", located.file, located.line("valeurs")))
            continue
        index, current = found
        if not same_value(current.get("valeur"), entry.get("valeur")) and not _correction(current):
            issues.append(Issue(json_path(where + ("valeurs", index, "valeur")), f"la valeur en vigueur depuis le "
                                f"{day_text(day)} a été modifiée ({entry.get('valeur')} → {current.get('valeur')}) : elle "
                                "s'applique à des faits déjà datés ; ajoutez plutôt une nouvelle valeur datée, ou "
                                "marquez celle-ci comme une correction avec sa raison (correction: {motif: \"…\"})",
                                located.file, located.line("valeurs", index, "valeur")))
    last = max(old_dates, default=None)
    for day, (index, current) in sorted(new_by_date.items()):
        if day in old_dates or _correction(current):
            continue
        at = where + ("valeurs", index, "depuis")
        if last is not None and day < last:
            issues.append(Issue(json_path(at), f"une valeur datée du {day_text(day)} est insérée avant celle du "
                                f"{day_text(last)} : elle change ce qui s'appliquait entre ces dates ; datez-la après "
                                "la dernière valeur, ou marquez-la comme une correction avec sa raison (correction: "
                                "{motif: \"…\"})", located.file, located.line("valeurs", index, "depuis")))
            continue
        decided = (current.get("decision") or {}).get("date") if isinstance(current.get("decision"), dict) else None
        if decided is None and day < today.isoformat() and not _marked(current):
            issues.append(Issue(json_path(at), _retroactive(day, f"est ajoutée le {day_text(today)}, sans date de "
                                                                 "décision,"),
                                located.file, located.line("valeurs", index, "depuis")))
    return issues


def same_value(a, b) -> bool:
    """"350.00" and 350 are one value; so are 15 and "15"."""
    if a == b or str(a) == str(b):
        return True
    first, second = parse_amount(a), parse_amount(b)
    return first is not None and first == second


def _marked(entry: dict) -> bool:
    mark = entry.get("retroactif")
    return bool(_correction(entry)) or (isinstance(mark, dict) and bool(str(mark.get("motif") or "").strip()))


def _correction(entry: dict) -> dict | None:
    correction = entry.get("correction")
    return correction if isinstance(correction, dict) and str(correction.get("motif") or "").strip() else None


def parameter_history(policy, parameter_id: str) -> dict:
    """A parameter's dated values with their sources; under an overlay, the values it inherits name their policy."""
    parameter = policy.parameters[parameter_id]
    money = parameter.unit in policy.head.currencies
    own = policy.snapshot.parameters.get(parameter_id) if policy.base is not None and policy.snapshot else None
    own_dates = {str(entry.get("depuis")) for entry in dated_values(own.data)} if own is not None else None
    values = []
    for value in parameter.values:
        entry = {"depuis": value.since.isoformat(), "valeur": str(value.value) if money else value.value, **value.source}
        if policy.base is not None and (own_dates is None or entry["depuis"] not in own_dates):
            entry["herite_de"] = policy.base.id
        values.append(entry)
    return {"politique": policy.id, "version": policy.version, "id": parameter.id, "titre": parameter.title,
            "article": parameter.article, "unite": parameter.unit, "valeurs": values}
