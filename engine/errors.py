"""The exception tree of the engine, and the problems it reports.

    EngineError
      ├── PolicyError   a policy folder is broken (YAML, schema, references): the policy cannot be used
      └── FactsError    the facts of one evaluation are invalid: that evaluation cannot be made

A verdict that says "non conforme" is a result, never an exception. Each error carries every problem
found (not only the first), each naming where it is, so a user can fix them all in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass

from .limits import MAX_PROBLEMS


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
        out: dict[str, str | int] = {"chemin": self.path or "$", "message": self.message}
        if self.file is not None:
            out["fichier"] = self.file
        if self.line is not None:
            out["ligne"] = self.line
        return out


class EngineError(Exception):
    """Base of the engine's errors: the issues (at most MAX_PROBLEMS of them), and how many more were found."""

    def __init__(self, issues: list[Issue], omitted: int = 0):
        ordered = sorted(set(issues), key=lambda i: (i.file or "", i.line or 0, i.path, i.message))
        self.issues = ordered[:MAX_PROBLEMS]
        self.omitted = omitted + len(ordered) - len(self.issues)
        super().__init__("\n".join([str(issue) for issue in self.issues] + more_problems(self.omitted)))


def more_problems(omitted: int) -> list[str]:
    """The line that ends a list of problems cut at MAX_PROBLEMS: [] when none was left out. "At least": a facts
    check stops at the first problem past the listed ones (a bad document's cost stays bounded)."""
    return [f"... and at least {omitted} more problem(s) not listed"] if omitted else []


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
