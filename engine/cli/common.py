"""What every command shares: the policies folder, dates as arguments, reading a facts document, printing issues."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..documents import read_stream, read_text
from ..errors import FactsError, Issue, PolicyError, more_problems
from ..evaluation import evaluate, facts_lines, parse_facts_text
from ..formats import parse_day
from ..policy import load_policies_cached
from ..shipped import policies_folder
from .french import speaking_french

DEFAULT_POLICIES = policies_folder()
BROKEN_POLICY_HINT = "la politique a des erreurs : lancez `clea policy validate` pour les voir toutes"


def policies_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("CLEA_POLICIES") or DEFAULT_POLICIES)


def iso_date(value: str) -> date:
    try:
        return parse_day(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} n'est pas une date AAAA-MM-JJ du calendrier") from None


class Parser(argparse.ArgumentParser):
    """argparse in French (engine/cli/french.py) that reports errors with exit status 2 through our stderr."""

    def __init__(self, *args, **kwargs):
        self.stdout = kwargs.pop("stdout", None) or sys.stdout
        self.stderr = kwargs.pop("stderr", None) or sys.stderr
        with speaking_french():
            super().__init__(*args, **kwargs)

    def speak_to(self, stdout, stderr) -> None:
        """This parser and every sub-command's write to these streams (help, usage, errors)."""
        self.stdout, self.stderr = stdout, stderr
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    if isinstance(sub, Parser):
                        sub.speak_to(stdout, stderr)

    def print_help(self, file=None):
        (file or self.stdout).write(self.format_help())

    def print_usage(self, file=None):
        (file or self.stdout).write(self.format_usage())

    def exit(self, status=0, message=None):
        if message:
            self.stderr.write(message)
        raise ParserExit(status)

    def parse_args(self, *args, **kwargs):
        with speaking_french():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args, **kwargs):
        with speaking_french():
            return super().parse_known_args(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with speaking_french():
            return super().add_subparsers(**kwargs)

    def format_usage(self):
        with speaking_french():
            return super().format_usage()

    def format_help(self):
        with speaking_french():
            return super().format_help()

    def error(self, message):
        self.print_usage(self.stderr)
        raise UsageError(f"{self.prog} : erreur : {message}")


class UsageError(Exception):
    pass


class ParserExit(Exception):
    """--help or --version was answered: exit with this status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class FactsInput:
    """A facts document as read: its data, and its text to give an evaluation's problems their line."""

    data: dict
    source: str
    text: str

    def located(self, error: FactsError) -> FactsError:
        line_of = facts_lines(self.text, self.source)
        # the evaluation date is the command's argument, not a part of the facts: blame --date, not the file
        return FactsError([Issue("--date", issue.message) if issue.path == "date" else
                           Issue(issue.path, issue.message, issue.file or self.source,
                                 issue.line or line_of(issue.path))
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


def evaluate_facts_file(args, stderr, *, explain: bool = False):
    """(facts, policies, verdict) for `args.facts` under `args.policies` as of `args.date`; else the exit status,
    after printing why: 2 for the facts or an argument, 3 for a broken policy."""
    folder = policies_dir(args.policies)
    if not folder.is_dir():
        return fail(stderr, 2, [Issue("--policies", "dossier des politiques introuvable", str(folder))])
    try:
        given = read_facts(args.facts, sys.stdin)
    except FactsError as error:
        return fail(stderr, 2, error.issues, omitted=error.omitted)
    facts = given.data
    try:
        policies = load_policies_cached(folder)
    except PolicyError as error:
        return fail(stderr, 3, error.issues, BROKEN_POLICY_HINT)
    try:
        verdict = evaluate(facts, args.date, policies=policies, explain=explain)
    except FactsError as error:
        error = given.located(error)
        return fail(stderr, 2, error.issues, omitted=error.omitted)
    return facts, policies, verdict
