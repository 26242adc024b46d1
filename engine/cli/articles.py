"""`clea policy articles [--policies DIR] [--policy ID] [--format text|json]`: the law next to the code.

For each section of a policy's map (articles.yaml), what encodes it (rules, parameters, criteria, parts of the
file, checks, the period, extension settings, each with its file:line), the findings, statuses and events that cite
it, and the sentences it declares not encodable with their reasons; a section with neither is a gap (`lacune`).
Exit status: 0; 2 an unknown --policy; 3 a broken policy.
"""
from __future__ import annotations

import json

from ..errors import Issue, PolicyError
from ..policy import load_policies_cached
from ..reports.articles import articles_document, articles_text
from ..suggestions import unknown
from .common import BROKEN_POLICY_HINT, fail, policies_dir


def add_articles_parser(policy_commands) -> None:
    articles = policy_commands.add_parser(
        "articles", help="chaque section du règlement à côté de ce qui la code (règles, paramètres, critères, "
                         "contrôles, constats) et de ce qu'elle déclare non codable ; une section sans l'un ni "
                         "l'autre est une lacune",
        description="Pour chaque section du règlement (articles.yaml) : ce qui la code, chacun avec son "
                    "fichier:ligne, ce qui la cite, et les phrases déclarées non codables avec leur raison ; une "
                    "section sans l'un ni l'autre est une lacune. Avec le texte de la politique (texte.md), chaque "
                    "phrase de chaque section : encodée (et par quoi), déclarée non codable, ou non rendue.",
        epilog="Codes de sortie : 0 ; 2 politique inconnue ; 3 politique invalide.")
    articles.add_argument("--policies", metavar="DOSSIER", help="dossier des politiques")
    articles.add_argument("--policy", metavar="ID", help="identifiant de la politique (par défaut : toutes)")
    articles.add_argument("--format", choices=("text", "json"), default="text", help="text (par défaut) ou json")
    articles.set_defaults(handler=_articles)


def _articles(args, stdout, stderr) -> int:
    try:
        policies = load_policies_cached(policies_dir(args.policies))
    except PolicyError as error:
        return fail(stderr, 3, error.issues, BROKEN_POLICY_HINT)
    selected = [p for p in policies if args.policy in (None, p.id)]
    if not selected:
        return fail(stderr, 2, [Issue("--policy", unknown("politique inconnue", args.policy, policies.ids()))])
    if args.format == "json":
        document = {policy.id: articles_document(policy) for policy in selected}
        stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write("\n".join(articles_text(policy) for policy in selected))
    return 0
