"""A policy's territory (country, subdivision, holidays removed or added) and its check against the holiday library."""
from __future__ import annotations

from functools import lru_cache

from ...calendar import Territory, holiday_names
from ...suggestions import unknown


def territory_of(name: str, spec: dict) -> Territory:
    return Territory(name, spec["pays"], spec.get("subdivision"), tuple(spec.get("exclure", ())),
                     tuple(spec.get("ajouter", ())))


def territory_problems(name: str, spec: dict, years: tuple[int, int]) -> list[str]:
    """Check a territory against the holiday library: known country/subdivision, and names it can exclude."""
    found = territory_of(name, spec)
    known = _known_names(found.country, found.subdivision, years[0], min(years[0] + 10, years[1]))
    if isinstance(known, str):
        return [f"pays ou subdivision inconnus de la bibliothèque des jours fériés : {known}"]
    return [unknown("aucun jour férié de ce calendrier ne s'appelle", name, known)
            for name in found.removed if name not in known]


@lru_cache(maxsize=256)
def _known_names(country: str, subdivision: str | None, first: int, last: int) -> frozenset[str] | str:
    """The holiday names of a country or subdivision over those years, or why the library does not know it: asked
    once per process (an overlay has its base's territories)."""
    try:
        return frozenset(holiday_names(Territory("", country, subdivision), first, last))
    except NotImplementedError as exc:
        return str(exc)
