"""What every command shares: the policies folder, dates as arguments, reading a facts document, printing issues."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from dataclasses import dataclass

from ..documents import read_stream, read_text
from ..errors import FactsError, Issue, more_problems
from ..evaluation import facts_lines, parse_facts_text
from ..formats import parse_day

DEFAULT_POLICIES = Path(__file__).resolve().parent.parent.parent / "policies"
BROKEN_POLICY_HINT = "la politique a des erreurs : lancez `clea policy validate` pour les voir toutes"


def policies_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("CLEA_POLICIES") or DEFAULT_POLICIES)


def iso_date(value: str) -> date:
    try:
        return parse_day(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


class Parser(argparse.ArgumentParser):
    """argparse that reports errors with exit status 2 through our stderr."""

    def __init__(self, *args, **kwargs):
        self.stderr = kwargs.pop("stderr", sys.stderr)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.print_usage(self.stderr)
        raise UsageError(f"{self.prog}: error: {message}")


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class FactsInput:
    """A facts document as read: its data, and its text to give an evaluation's problems their line."""

    data: dict
    source: str
    text: str

    def located(self, error: FactsError) -> FactsError:
        line_of = facts_lines(self.text, self.source)
        return FactsError([Issue(issue.path, issue.message, issue.file or self.source,
                                 issue.line or (line_of(issue.path) if issue.path != "date" else None))
                           for issue in error.issues], error.omitted)


def read_facts(path: str, stdin) -> FactsInput:
    """Read and parse a facts document (a path, or - for standard input); FactsError when it cannot be used."""
    if path == "-":
        source = "<stdin>"
        text, issues = read_stream(getattr(stdin, "buffer", stdin), source)
    else:
        source = path
        text, issues = read_text(Path(path))
    if text is None:
        raise FactsError(issues)
    return FactsInput(parse_facts_text(text, source), source, text)


def fail(stderr, code: int, issues: list[Issue], hint: str | None = None, omitted: int = 0) -> int:
    for line in [str(issue) for issue in issues] + more_problems(omitted):
        stderr.write(f"{line}\n")
    if hint:
        stderr.write(f"{hint}\n")
    return code
