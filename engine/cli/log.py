"""``clea log show`` and ``clea log export``: read the decision log (read-only)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os

from ..service.decision_log import DecisionLogError, read_decisions
from ..service.timeutil import PARIS, start_of_day_utc, utc_stamp

NAME = "log"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="lire le journal des décisions du service HTTP",
                                   description="Lit le journal des décisions écrit par 'clea serve'.")
    actions = parser.add_subparsers(dest="log_action", metavar="{show,export}", required=True)
    for name, help_text in (("show", "une ligne par décision, de la plus ancienne à la plus récente"),
                            ("export", "chaque décision en lignes JSON (faits masqués et verdict compris)")):
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.add_argument("--since", metavar="DATE",
                            help="seulement les décisions enregistrées à partir de DATE (AAAA-MM-JJ, minuit à "
                                 "Paris, ou une date et heure ISO 8601)")
        action.add_argument("--log", metavar="FICHIER",
                            help="le fichier SQLite ou une adresse postgresql:// (par défaut : $CLEA_LOG ou "
                                 "clea-decisions.sqlite3)")
    parser.set_defaults(handler=run)
    return parser


def parse_since(text: str) -> str:
    """A date (midnight in Paris) or a date-time (Paris time unless it has an offset) as a stored UTC stamp."""
    try:
        if len(text) == 10:
            return start_of_day_utc(dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since {text!r}: expected YYYY-MM-DD or an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return utc_stamp(moment)


def _line(record: dict) -> str:
    verdict = record["verdict"]
    politique = record["politique"]
    conforme = (verdict.get("verdict") or {}).get("conforme")
    return "  ".join([
        record["enregistre_le"][:19] + "Z",
        record["decision_id"],
        f"{politique['id']}@{politique['version']}",
        politique["revision"][:19],
        record["date_evaluation"],
        str(verdict.get("statut", "-")),
        "conforme" if conforme is True else "non-conforme" if conforme is False else "-",
        record["appelant"] or record["adresse"] or "-",
    ])


def run(args, stdout, stderr) -> int:
    path = args.log or os.environ.get("CLEA_LOG") or "clea-decisions.sqlite3"
    try:
        since = parse_since(args.since) if args.since else None
        for record in read_decisions(path, since=since):
            if args.log_action == "export":
                stdout.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            else:
                stdout.write(_line(record) + "\n")
    except (ValueError, DecisionLogError) as exc:
        print(f"clea log : {exc}", file=stderr)
        return 2
    return 0
