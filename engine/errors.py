"""The exception tree of the engine, and the problems it reports.

    EngineError
      ├── PolicyError   a policy folder is broken (YAML, schema, references): the policy cannot be used
      └── FactsError    the facts of one evaluation are invalid: that evaluation cannot be made

A verdict that says "non conforme" is a result, never an exception. Each error carries every problem
found (not only the first), each naming where it is, so a user can fix them all in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One problem: where it is (file, line, JSON path) and what is wrong."""

    path: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        location = f"{where}: " if where else ""
        return f"{location}{self.path or '$'}: {self.message}"

    def as_dict(self) -> dict:
        out = {"chemin": self.path or "$", "message": self.message}
        if self.file is not None:
            out["fichier"] = self.file
        if self.line is not None:
            out["ligne"] = self.line
        return out


class EngineError(Exception):
    """Base of the engine's errors: a list of issues."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(set(issues), key=lambda i: (i.file or "", i.line or 0, i.path, i.message))
        super().__init__("\n".join(str(issue) for issue in self.issues))


class PolicyError(EngineError):
    """A policy cannot be loaded: every problem found in its files."""


class FactsError(EngineError):
    """The facts given to an evaluation are invalid: every problem found, with its JSON path."""


def json_path(parts) -> str:
    """('evenements', 3, 'date') -> 'evenements[3].date' (the style the contract's trace uses)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
