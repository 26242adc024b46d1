"""What every command shares: the policies folder, dates as arguments, reading a facts document, printing issues."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from ..documents import read_text
from ..errors import FactsError, Issue
from ..evaluation import parse_facts_text

DEFAULT_POLICIES = Path(__file__).resolve().parent.parent.parent / "policies"
BROKEN_POLICY_HINT = "the policy is broken; run `clea policy validate`"


def policies_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("CLEA_POLICIES") or DEFAULT_POLICIES)


def iso_date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
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


def read_facts(path: str, stdin) -> dict:
    if path == "-":
        return parse_facts_text(stdin.read(), "<stdin>")
    text, issues = read_text(Path(path))
    if text is None:
        raise FactsError(issues)
    return parse_facts_text(text, path)


def fail(stderr, code: int, issues: list[Issue], hint: str | None = None) -> int:
    for issue in issues:
        stderr.write(f"{issue}\n")
    if hint:
        stderr.write(f"{hint}\n")
    return code
