"""The amendment of a dated element in force on a day: the newest one dated on or before it (the period, the
calendar's conventions, an event type: engine/policy/model/elements.py); for a dossier check, the newest whose own
selecting date (the evaluation's, or the latest event of a type: engine/policy/model/dossier.py) is on or after it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar


class _Dated(Protocol):
    @property
    def since(self) -> date: ...


_Version = TypeVar("_Version", bound=_Dated)


def in_force(versions: Sequence[_Version], day: date) -> _Version | None:
    """The newest amendment dated on or before `day` (None: the first text is in force)."""
    for version in reversed(versions):
        if version.since <= day:
            return version
    return None


class _Selected(_Dated, Protocol):
    @property
    def latest_event(self) -> str | None: ...


_Check = TypeVar("_Check", bound=_Selected)


def selected(versions: Sequence[_Check], selecting: Callable[[str | None], date]) -> _Check | None:
    """The amendment in force (None: the first text): the newest whose selecting date is on or after its start."""
    for version in reversed(versions):
        if selecting(version.latest_event) >= version.since:
            return version
    return None
