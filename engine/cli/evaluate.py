"""`clea evaluate FACTS [--date D] [--format json|text] [--policies DIR]`: the verdict on a facts document."""
from __future__ import annotations

import json
import sys

from ..errors import FactsError, Issue, PolicyError
from ..evaluation import evaluate
from ..policy import load_policies
from ..reports.text import verdict_text
from .common import BROKEN_POLICY_HINT, fail, iso_date, policies_dir, read_facts


def add_parser(commands) -> None:
    evaluate = commands.add_parser("evaluate", help="evaluate a facts document (YAML or JSON) and print the verdict")
    evaluate.add_argument("facts", help="facts document: a path, or - for standard input")
    evaluate.add_argument("--date", type=iso_date, help="evaluation date, YYYY-MM-DD (default: today in Europe/Paris)")
    evaluate.add_argument("--format", choices=("json", "text"),
                          help="json: the contract's verdict; text: a French summary (default on a terminal)")
    evaluate.add_argument("--policies", help="policies folder (default: $CLEA_POLICIES or the project's policies/)")
    evaluate.set_defaults(handler=run)


def run(args, stdout, stderr) -> int:
    folder = policies_dir(args.policies)
    if not folder.is_dir():
        return fail(stderr, 2, [Issue("--policies", "no such policies folder", str(folder))])
    try:
        given = read_facts(args.facts, sys.stdin)
    except FactsError as error:
        return fail(stderr, 2, error.issues, omitted=error.omitted)
    facts = given.data
    try:
        policies = load_policies(folder)
    except PolicyError as error:
        return fail(stderr, 3, error.issues, BROKEN_POLICY_HINT)
    try:
        verdict = evaluate(facts, args.date, policies=policies)
    except FactsError as error:
        error = given.located(error)
        return fail(stderr, 2, error.issues, omitted=error.omitted)
    output = args.format or ("text" if stdout.isatty() else "json")
    if output == "json":
        stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2) + "\n")
    else:
        policy = policies.for_instance(verdict["instance"])
        stdout.write(verdict_text(verdict, (policy.statuses.get("periode") or {}).get("nom")))
    return 0
