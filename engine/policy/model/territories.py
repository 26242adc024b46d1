"""A policy's territory (country, subdivision, holidays removed or added) and its check against the holiday library."""
from __future__ import annotations

from ...calendar import Territory, holiday_names
from ...suggestions import unknown


def territory_of(name: str, spec: dict) -> Territory:
    return Territory(name, spec["pays"], spec.get("subdivision"), tuple(spec.get("exclure", ())),
                     tuple(spec.get("ajouter", ())))


def territory_problems(name: str, spec: dict, years: tuple[int, int]) -> list[str]:
    """Check a territory against the holiday library: known country/subdivision, and names it can exclude."""
    found = territory_of(name, spec)
    try:
        known = holiday_names(found, years[0], min(years[0] + 10, years[1]))
    except NotImplementedError as exc:
        return [f"pays ou subdivision inconnus de la bibliothèque des jours fériés : {exc}"]
    return [unknown("aucun jour férié de ce calendrier ne s'appelle", name, known)
            for name in found.removed if name not in known]
