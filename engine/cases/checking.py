"""What a case expects, against the verdict that came: every difference, with where it is written in the case.

The verdict must contain what `attendu` states (a subset: other fields may be there too). Amounts compare as
decimals ("12" equals "12.00"); texts (`motifs`, `message`, `titre`) must be contained in the verdict's (`[]`: there must be none); each
expected item of a list (actions, fees, findings, missing parts) must match its own item of the verdict, on every
field it lists. `complet: [actions, frais, constats]` (any of them): those lists are complete, any other item of the
verdict fails the case at the line of `complet` (a list named there and left out of `attendu`: there must be none).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Issue

TEXT_KEYS = ("motifs", "message", "titre")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_KINDS = {"actions": ("action", "aucune action", "aucune autre action que celles listées"),   # the part, none, no other
          "frais": ("frais", "aucun frais", "aucun autre frais que ceux listés"),
          "constats": ("constat", "aucun constat", "aucun autre constat que ceux listés")}
_ABSENT = object()


@dataclass(frozen=True)
class Mismatch:
    """One expectation the verdict does not meet: where it is in the case, what was expected, what came."""

    path: tuple
    expected: str
    got: str


@dataclass(frozen=True)
class VerdictView:
    """What the policy names in its verdicts: the period's key, the amount fields of fees, and which policy
    declares each criterion (with its instances)."""

    period: str | None
    amount_fields: tuple
    criterion_sources: dict


def check(expected: dict, verdict: dict, view: VerdictView) -> list[Mismatch]:
    out: list[Mismatch] = []
    for key, wanted in expected.items():
        where = ("attendu", key)
        if key == view.period:
            out += _period(wanted, verdict.get(key), where)
        elif key == "complet":
            out += _complete(wanted, expected, verdict, where)
        elif key == "erreur":
            out.append(Mismatch(where, "des faits invalides, sans verdict" + _error_paths(wanted),
                                f"un verdict (statut {verdict.get('statut')})"))
        else:
            out += _CHECKS[key](wanted, verdict, view, where)
    return out


def check_error(wanted, issues: list[Issue]) -> list[Mismatch]:
    """An `erreur` case: each path it names must be named by one of the problems found (or a path inside it)."""
    if wanted is True:
        return []
    out = []
    items = [wanted] if isinstance(wanted, str) else wanted
    for index, item in enumerate(items):
        path, texts = (item, []) if isinstance(item, str) else (item["chemin"], _texts(item.get("message")))
        if not any(_inside(issue.path, path) and all(t in issue.message for t in texts) for issue in issues):
            where = ("attendu", "erreur") if isinstance(wanted, str) else ("attendu", "erreur", index)
            shown = path + (f" dont le message contient {' / '.join(map(repr, texts))}" if texts else "")
            out.append(Mismatch(where, f"une erreur sur {shown}", "; ".join(str(i) for i in issues)))
    return out


# --- comparing values ---------------------------------------------------------------------------------------------

def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str) and _NUMBER.match(value):
        return Decimal(value)
    return None


def same(expected, actual) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(same(value, actual.get(key, _ABSENT)) for key, value in expected.items())
    if expected is None or isinstance(expected, bool) or actual is None or isinstance(actual, bool):
        return expected is actual
    left, right = _decimal(expected), _decimal(actual)
    if left is not None and right is not None:
        return left == right
    return actual is not _ABSENT and str(expected) == str(actual)


def _texts(value) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _contains(wanted, actual) -> bool:
    """Each expected text is part of the verdict's text (or of one of its texts); [] expects none at all."""
    pool = _texts(actual) if isinstance(actual, (str, list)) else []
    if wanted == []:
        return not pool
    return all(any(text in found for found in pool) for text in _texts(wanted))


def fits(wanted: dict, item: dict) -> bool:
    return all(_contains(value, item.get(key)) if key in TEXT_KEYS else same(value, item.get(key, _ABSENT))
               for key, value in wanted.items())


def show(value) -> str:
    if value is _ABSENT:
        return "absent"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} {show(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)


def _inside(found: str, wanted: str) -> bool:
    return found == wanted or found.startswith((wanted + ".", wanted + "["))


def _error_paths(wanted) -> str:
    if wanted is True:
        return ""
    items = [wanted] if isinstance(wanted, str) else wanted
    return " (erreur sur " + ", ".join(i if isinstance(i, str) else i["chemin"] for i in items) + ")"


# --- one check per key of `attendu` ---------------------------------------------------------------------------------

def _assign(wanted: list, items: list, match) -> list[int | None]:
    """Each expected item to its own verdict item (a maximum matching): the index matched, or None."""
    owner: dict[int, int] = {}

    def take(i: int, seen: set) -> bool:
        for j, item in enumerate(items):
            if j not in seen and match(wanted[i], item):
                seen.add(j)
                if j not in owner or take(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(wanted)):
        take(i, set())
    found = {i: j for j, i in owner.items()}
    return [found.get(i) for i in range(len(wanted))]


def _listed(part: str, wanted: list, items: list, where: tuple) -> list[Mismatch]:
    """Expected items of a list (each a dict with an id, or an id alone) each matched to one of the verdict's."""
    kind, none, _ = _KINDS[part]
    as_dicts = [{"id": w} if isinstance(w, str) else w for w in wanted]
    out = []
    for index, matched in enumerate(_assign(as_dicts, items, fits)):
        if matched is not None:
            continue
        item = as_dicts[index]
        namesakes = [i for i in items if i.get("id") == item["id"]]
        if namesakes:
            got = "; ".join(show({k: i.get(k, _ABSENT) for k in item}) for i in namesakes)
        else:
            present = ", ".join(sorted({str(i.get("id")) for i in items})) or "aucun"
            got = f"{none} '{item['id']}' (présents : {present})"
        out.append(Mismatch(where + (index,), show(item) if len(item) > 1 else f"{kind} '{item['id']}'", got))
    return out


def _complete(parts: list, expected: dict, verdict: dict, where: tuple) -> list[Mismatch]:
    out = []        # each item of a part named that no expected item matched: one mismatch
    for index, part in enumerate(parts):
        items, wanted = verdict.get(part, []), [{"id": w} if isinstance(w, str) else w for w in expected.get(part, [])]
        matched, listed = set(_assign(wanted, items, fits)), ", ".join(sorted({str(w["id"]) for w in wanted}))
        out += [Mismatch(where + (index,), f"{_KINDS[part][2]} ({listed or 'aucun'})", f"{_KINDS[part][0]} en plus : "
                         + show({k: item[k] for k in ("id", "etat", "echeance", "gravite", "regle") if k in item}))
                for position, item in enumerate(items) if position not in matched]
    return out


def _absent(part: str, ids: list, items: list, where: tuple) -> list[Mismatch]:
    out = []
    for index, wanted in enumerate(ids):
        present = [i for i in items if i.get("id") == wanted]
        if present:
            out.append(Mismatch(where + (index,), f"{_KINDS[part][1]} '{wanted}'", "; ".join(show(i) for i in present)))
    return out


def _status(wanted, verdict, view, where):
    return [] if same(wanted, verdict.get("statut")) else [Mismatch(where, show(wanted), show(verdict.get("statut")))]


def _period(wanted, period, where):
    if wanted is None or period is None:
        return [] if wanted is period else [Mismatch(where, show(wanted), show(period))]
    return [Mismatch(where + (key,), show(value), show(period.get(key, _ABSENT)))
            for key, value in wanted.items() if not same(value, period.get(key, _ABSENT))]


def _actions(wanted, verdict, view, where):
    return _listed("actions", wanted, verdict.get("actions", []), where)


def _actions_absent(wanted, verdict, view, where):
    return _absent("actions", wanted, verdict.get("actions", []), where)


def _fees(wanted, verdict, view, where):
    return _listed("frais", wanted, verdict.get("frais", []), where)


def _fees_absent(wanted, verdict, view, where):
    return _absent("frais", wanted, verdict.get("frais", []), where)


def _fee_totals(wanted, verdict, view, where):
    out = []
    for fee_id, total in wanted.items():
        amounts = [Decimal(fee[field]) for fee in verdict.get("frais", []) if fee.get("id") == fee_id
                   for field in view.amount_fields if field in fee]
        actual = sum(amounts, Decimal(0))
        if actual != _decimal(total):
            got = f"{actual:.2f}" + ("" if amounts else f" (aucun frais '{fee_id}')")
            out.append(Mismatch(where + (fee_id,), str(total), got))
    return out


def _findings(wanted, verdict, view, where):
    return _listed("constats", wanted, verdict.get("constats", []), where)


def _findings_absent(wanted, verdict, view, where):
    return _absent("constats", wanted, verdict.get("constats", []), where)


def _criteria(wanted, verdict, view, where):
    found = {c["id"]: c for c in verdict.get("criteres") or []}
    out = []
    for criterion_id, expectation in wanted.items():
        at = where + (criterion_id,)
        criterion = found.get(criterion_id)
        if criterion is None:
            out.append(Mismatch(at, f"le critère '{criterion_id}'",
                                f"aucun critère de ce nom (présents : {', '.join(found) or 'aucun'})"))
            continue
        spec = expectation if isinstance(expectation, dict) else {"satisfait": expectation}
        source = spec.get("source")
        if source is not None and source not in view.criterion_sources.get(criterion_id, ()):
            declared = view.criterion_sources.get(criterion_id, ("?",))[0]
            out.append(Mismatch(at + ("source",), source, f"déclaré par {declared}"))
        rest = {key: value for key, value in spec.items() if key != "source"}
        for key, value in rest.items():
            ok = _contains(value, criterion.get(key)) if key in TEXT_KEYS else same(value, criterion.get(key, _ABSENT))
            if not ok:
                got = criterion.get(key, _ABSENT)
                if isinstance(expectation, dict):       # the path names the field
                    out.append(Mismatch(at + (key,), show(value), show(got)))
                else:
                    out.append(Mismatch(at, f"{key} {show(value)}", f"{key} {show(got)}"))
    return out


def _texts_and_fields(name: str):
    """A check of a verdict part that is one object: its fields the same, its texts contained."""
    def check_part(wanted, verdict, view, where):
        part = verdict.get(name)
        if part is None:
            return [Mismatch(where, show(wanted), f"pas de {name} dans le verdict")]
        return [Mismatch(where + (key,), show(value), show(part.get(key, _ABSENT)))
                for key, value in wanted.items() if not fits({key: value}, part)]
    return check_part


def _completeness(wanted, verdict, view, where):
    part = verdict.get("completude")
    if part is None:
        return [Mismatch(where, show(wanted), "pas de completude dans le verdict")]
    out = []
    for key in ("complet", "en_instruction"):
        if key in wanted and not same(wanted[key], part.get(key)):
            out.append(Mismatch(where + (key,), show(wanted[key]), show(part.get(key))))
    missing = part.get("manquants", [])
    items = wanted.get("manquants", [])

    def match(expected, item):
        return expected in (item.get("chemin"), item.get("id")) if isinstance(expected, str) else fits(expected, item)

    for index, matched in enumerate(_assign(items, missing, match)):
        if matched is None:
            there = ", ".join(f"{m.get('id')} ({m.get('chemin')})" for m in missing) or "rien ne manque"
            out.append(Mismatch(where + ("manquants", index), f"il manque {show(items[index])}", there))
    return out


_CHECKS = {
    "statut": _status,
    "actions": _actions,
    "actions_absentes": _actions_absent,
    "frais": _fees,
    "frais_absents": _fees_absent,
    "frais_totaux": _fee_totals,
    "constats": _findings,
    "constats_absents": _findings_absent,
    "criteres": _criteria,
    "avis_propose": _texts_and_fields("avis_propose"),
    "completude": _completeness,
    "verdict": _texts_and_fields("verdict"),
    "portee": _texts_and_fields("portee"),
}
