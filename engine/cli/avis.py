"""`clea avis FACTS [--date D] [--notification D] [--policies DIR] [--format text|json]`

Évalue le dossier et affiche le projet d'avis de l'instruction, à reprendre : critères satisfaits ou non avec leurs
motifs et leurs articles, complétude, autres constats et, si l'avis est défavorable, le délai que la décision doit
indiquer, en date, compté à partir de --notification (par défaut : une décision déjà notifiée dans les événements,
sinon la date d'évaluation). Sortie 0 fait ; 2 faits ou arguments invalides ; 3 politique invalide.
"""
from __future__ import annotations

import argparse
import json

from ..calendar import CalendarRangeError
from ..errors import Issue
from ..reports.avis import avis_of, avis_text, unfavourable_deadline
from .common import evaluate_facts_file, fail, iso_date

NAME = "avis"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="rédiger le projet d'avis de l'instruction sur un dossier",
                                   description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("facts", metavar="FAITS", help="document des faits (YAML ou JSON) : un chemin, ou - pour "
                                                        "l'entrée standard")
    parser.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ",
                        help="date de l'évaluation (par défaut : aujourd'hui à Paris)")
    parser.add_argument("--notification", type=iso_date, metavar="AAAA-MM-JJ",
                        help="date à laquelle la décision serait notifiée, point de départ du délai indiqué "
                             "(par défaut : une décision déjà notifiée dans les événements, sinon la date "
                             "d'évaluation)")
    parser.add_argument("--policies", metavar="DOSSIER",
                        help="dossier des politiques (par défaut : $CLEA_POLICIES, sinon policies/ du projet)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text : le projet à reprendre (par défaut) ; json : avis_propose, critères et délai "
                             "indiqué")
    parser.set_defaults(handler=run)
    return parser


def run(args, stdout, stderr) -> int:
    evaluated = evaluate_facts_file(args, stderr)
    if isinstance(evaluated, int):
        return evaluated
    facts, policies, verdict = evaluated
    policy = policies.for_instance(verdict["instance"])
    if avis_of(policy) is None:
        return fail(stderr, 2, [Issue("instance", f"la politique '{policy.id}' ne rédige pas d'avis (pas de section "
                                                  "dossier.avis)", args.facts)])
    first, last = policy.year_range
    if args.notification and not first <= args.notification.year <= last:
        return fail(stderr, 2, [Issue("--notification", f"{args.notification.isoformat()} est hors des années que "
                                                        f"couvre la politique {policy.id} ({first}–{last})")])
    try:
        if args.format == "json":
            out = {"avis_propose": verdict.get("avis_propose"), "criteres": verdict.get("criteres"),
                   "completude": verdict.get("completude"), "constats": verdict["constats"],
                   **unfavourable_deadline(policy, verdict, facts, args.notification)}
            text = json.dumps(out, ensure_ascii=False, indent=2) + "\n"
        else:
            text = avis_text(policy, verdict, facts, args.notification)
    except CalendarRangeError as exc:   # the deadline counted from that date falls past the calendar's years
        return fail(stderr, 2, [Issue("--notification" if args.notification else "--date",
                                      f"le délai à indiquer ne peut être compté : {exc}")])
    stdout.write(text)
    return 0
