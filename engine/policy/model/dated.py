"""The amendment of a dated element in force on a day: the newest one dated on or before it (the period, the
calendar's conventions, an event type: engine/policy/model/elements.py)."""
from __future__ import annotations

from collections.abc import Sequence
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
