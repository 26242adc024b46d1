"""Values and dates as a person writes them, for the texts of `policy diff`, `history` and `params`.

Dates: JJ/MM/AAAA in text (ISO stays in JSON). Amounts: a decimal comma and the unit's title ("12,50 € HT");
durations with their unit's title ("30 jours ouvrés", "1 jour ouvré"); counts bare. A unit's title comes from the
policy (`unites_monetaires.<unité>.symbole`, `calendrier.unites_de_duree.<unité>.titre`), else its name.
Typography (decimal comma, non-breaking spaces, JJ/MM/AAAA) is engine/wording.py's.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ...wording import NBSP, number, short_date
from .elements import Currency, DurationUnit, PeriodModel
from .parameters import parse_amount

COUNT_UNIT = "nombre"


def day_text(value) -> str:
    """date(2027, 1, 1) or '2027-01-01' -> '01/01/2027'; anything that is not a date as it is."""
    try:
        return short_date(value)
    except (TypeError, ValueError):
        return str(value)


def unit_titles(data: dict, base: dict | None = None) -> dict[str, dict]:
    """{unit: {"titre": ..., "monnaie": bool}} from a policy's (raw) data, its base's filling what it omits."""
    out: dict[str, dict] = {}
    for source in (base or {}, data or {}):
        main = _mapping(source.get("politique"))
        money = _mapping(main.get("unites_monetaires"))
        for unit, spec in money.items():
            out[unit] = {"titre": spec.get("symbole", unit) if isinstance(spec, dict) else unit, "monnaie": True}
        durations = _mapping(_mapping(source.get("calendrier")).get("unites_de_duree"))
        for unit, spec in durations.items():
            out[unit] = {"titre": spec.get("titre", unit) if isinstance(spec, dict) else unit, "monnaie": False}
    return out


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def units_of(currencies: Mapping[str, Currency], durations: Mapping[str, DurationUnit]) -> dict[str, dict]:
    """{unit: {"titre": ..., "monnaie": bool}} of a loaded policy's typed units (as unit_titles gives for its data)."""
    out = {unit: {"titre": spec.symbol if spec.symbol is not None else unit, "monnaie": True}
           for unit, spec in currencies.items()}
    out.update({unit: {"titre": spec.title if spec.title is not None else unit, "monnaie": False}
                for unit, spec in durations.items()})
    return out


def amount_text(value) -> str:
    """Decimal('12.50') or '12.50' or 14 -> '12,50' / '14,00'; a value that is not an amount as it is."""
    amount = value if isinstance(value, Decimal) else parse_amount(value)
    return str(value) if amount is None else number(amount)


def value_text(value, unit: str | None, units: dict[str, dict]) -> str:
    """A parameter's value with its unit, as a person reads it ('aucune valeur' for None)."""
    if value is None:
        return "aucune valeur"
    spec = units.get(unit) if unit else None
    if unit == COUNT_UNIT or (spec is None and unit is None):
        return str(value)
    if spec is None:
        return f"{value} {unit}"
    if spec["monnaie"]:
        return f"{amount_text(value)}{NBSP}{spec['titre']}"
    title = spec["titre"]
    return f"{value} {singular(title) if value == 1 else title}"


def singular(title: str) -> str:
    """'jours ouvrés' -> 'jour ouvré', 'ans' -> 'an'; 'mois' stays."""
    return " ".join(word[:-1] if word.endswith("s") and not word.endswith("ois") and len(word) > 2 else word
                    for word in title.split(" "))


def period_version_label(period: PeriodModel) -> dict | None:
    """Which text of an amended period applied (None when it has no amendment), for the explanations: `period` is
    the model in force for one period (`PeriodModel.at`), or the policy's own."""
    if not period.versions and period.applied is None:
        return None
    version = period.applied
    if version is None:
        return {"numero": 0, "depuis": None, "texte": "texte initial, en vigueur pour les périodes commencées avant "
                                                       f"le {day_text(period.versions[0].since)}"}
    reference = version.decision.reference if version.decision is not None else None
    return {"numero": version.number, "depuis": version.since.isoformat(),
            **({"decision": reference} if reference else {}),
            "texte": f"version en vigueur pour les périodes commencées depuis le {day_text(version.since)}"
                     f"{f', décision : {reference}' if reference else ''}"}
