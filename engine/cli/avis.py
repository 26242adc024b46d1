"""`clea avis FACTS [--date D] [--notification D] [--policies DIR] [--format text|json]`

Evaluates the facts and prints the drafted avis (verdict's avis_propose) as a French text to edit: criteria met
and not met with their motifs and sections, completeness, other findings, and when unfavourable the deadline the
decision must state (the policy's `dossier.avis.si_defavorable`), as a date counted from --notification (default: a
decision already notified in the events, else the evaluation date). Exit 0 done; 2 invalid facts or arguments; 3 broken policy.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import FactsError, Issue, PolicyError
from ..evaluation import evaluate
from ..policy import load_policies
from ..reports.avis import avis_text, unfavourable_deadline
from .common import BROKEN_POLICY_HINT, fail, iso_date, policies_dir, read_facts

NAME = "avis"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="draft the instruction's avis on a dossier, as a French text to edit",
                                   description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("facts", metavar="FACTS", help="facts document (YAML or JSON): a path, or - for standard input")
    parser.add_argument("--date", type=iso_date, help="evaluation date, YYYY-MM-DD (default: today in Europe/Paris)")
    parser.add_argument("--notification", type=iso_date, metavar="YYYY-MM-DD",
                        help="date the decision would be notified, from which the stated delay runs "
                             "(default: a decision already notified in the events, else the evaluation date)")
    parser.add_argument("--policies", help="policies folder (default: $CLEA_POLICIES or the project's policies/)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: the draft to edit (default); json: avis_propose, criteria and the stated deadline")
    parser.set_defaults(handler=run)
    return parser


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
    policy = policies.for_instance(verdict["instance"])
    if not (policy.data.get("dossier") or {}).get("avis"):
        return fail(stderr, 2, [Issue("instance", f"policy '{policy.id}' drafts no avis (no dossier.avis section)",
                                      args.facts)])
    if args.format == "json":
        out = {"avis_propose": verdict.get("avis_propose"), "criteres": verdict.get("criteres"),
               "completude": verdict.get("completude"), "constats": verdict["constats"],
               **unfavourable_deadline(policy, verdict, facts, args.notification)}
        stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(avis_text(policy, verdict, facts, args.notification))
    return 0
