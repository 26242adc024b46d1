"""`clea evaluate FACTS [--date D] [--format json|text|ics|html] [--explain] [--acteur A] [--policies DIR]`."""
from __future__ import annotations

import json

from ..errors import Issue
from ..reports.html import verdict_html
from ..reports.ics import verdict_ics
from ..reports.text import verdict_text
from .common import evaluate_facts_file, fail, iso_date

FORMATS = ("json", "text", "ics", "html")


def add_parser(commands) -> None:
    evaluate = commands.add_parser(
        "evaluate", help="évaluer un dossier (faits YAML ou JSON) et afficher le verdict",
        description="Évalue un dossier à une date et affiche le verdict : statut, actions et échéances, frais, "
                    "constats, conformité.")
    evaluate.add_argument("facts", metavar="FAITS", help="document des faits : un chemin, ou - pour l'entrée standard")
    evaluate.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ",
                          help="date de l'évaluation (par défaut : aujourd'hui à Paris)")
    evaluate.add_argument("--format", choices=FORMATS,
                          help="json : le verdict du contrat ; text : un résumé en français (par défaut sur un "
                               "terminal) ; ics : les échéances ouvertes en iCalendar ; html : une page imprimable "
                               "avec la chronologie du dossier")
    evaluate.add_argument("--explain", action="store_true",
                          help="expliquer chaque échéance, frais, changement de statut et constat : événement "
                               "déclencheur, paramètre en vigueur, décompte, article")
    evaluate.add_argument("--acteur", metavar="ACTEUR",
                          help="avec --format ics : les seules échéances de cet acteur (ex. organisme)")
    evaluate.add_argument("--policies", metavar="DOSSIER",
                          help="dossier des politiques (par défaut : $CLEA_POLICIES, sinon policies/ du projet)")
    evaluate.set_defaults(handler=run)


def run(args, stdout, stderr) -> int:
    evaluated = evaluate_facts_file(args, stderr, explain=args.explain)
    if isinstance(evaluated, int):
        return evaluated
    facts, policies, verdict = evaluated
    policy = policies.for_instance(verdict["instance"])
    if args.acteur and args.acteur not in policy.calendar_model.actors:
        known = ", ".join(sorted(policy.calendar_model.actors))
        return fail(stderr, 2, [Issue("--acteur", f"acteur inconnu '{args.acteur}' (connus : {known})")])
    output = args.format or ("text" if stdout.isatty() else "json")
    if output == "json":
        stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2) + "\n")
    elif output == "text":
        stdout.write(verdict_text(verdict, policy))
    elif output == "ics":
        stdout.write(verdict_ics(verdict, policy, actor=args.acteur))
    else:
        stdout.write(verdict_html(verdict, policy, facts))
    return 0
