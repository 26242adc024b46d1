"""`clea policy impact OLD [NEW] --dossiers FILE [--date D] [--format text|json] [--jobs N]`

What a board reads next to `policy diff` before voting: every dossier (JSON lines, as evaluate-batch reads them)
evaluated under both versions of the policies, on all cores, and the verdicts that change — per dossier the field
and its value before → after — then a summary by kind of change. OLD and NEW as in `policy diff` (a folder, a git
revision, REV:PATH; NEW defaults to the policies folder on disk). A progress bar on a terminal.

Exit status: 0 done; 1 done, but the engine failed on some dossiers; 2 bad arguments, OLD/NEW or dossiers file;
3 a version of the policies is broken, or a worker died; 130 interrupted; 143 terminated.
"""
from __future__ import annotations

import json
import sys
from contextlib import ExitStack

from tqdm import tqdm

from ..batch import WorkerError, default_jobs
from ..batch.impact import run_impact
from ..errors import Issue, PolicyError
from ..evaluation import today_in_paris
from ..policy import load_policies
from ..policy.versions.sources import SourceError, policies_at
from ..reports.impact import dossier_text, summary_text
from .batch import Terminated, count_lines, sigterm_as_exception
from .common import BROKEN_POLICY_HINT, fail, iso_date, policies_dir


def add_impact_parser(policy_commands) -> None:
    impact = policy_commands.add_parser(
        "impact", help="les verdicts qui changent entre deux versions des politiques, sur de nombreux dossiers",
        description="Évalue chaque dossier sous AVANT et APRES et liste les verdicts qui changent : statut, période, "
                    "actions (échéance, état), frais, constats, critères ; puis un résumé par nature de changement.")
    impact.add_argument("old", metavar="AVANT", help="un dossier, une révision git (ex. HEAD) ou REV:CHEMIN")
    impact.add_argument("new", metavar="APRES", nargs="?",
                        help="mêmes formes (par défaut : le dossier des politiques sur le disque)")
    impact.add_argument("--dossiers", metavar="FICHIER", required=True,
                        help="les faits en lignes JSON, un dossier par ligne (comme les lit evaluate-batch) ; - pour "
                             "l'entrée standard")
    impact.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ",
                        help="date de l'évaluation (par défaut : aujourd'hui à Paris)")
    impact.add_argument("--format", choices=("text", "json"), default="text", help="text (par défaut) ou json")
    impact.add_argument("--policies", metavar="DOSSIER",
                        help="dossier des politiques : APRES par défaut, et le chemin lu dans une révision seule")
    impact.add_argument("--jobs", metavar="N", type=int,
                        help=f"processus de travail (par défaut : tous les cœurs, ici {default_jobs()})")
    impact.set_defaults(handler=_impact)


def _impact(args, stdout, stderr) -> int:
    day = args.date or today_in_paris()
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        return fail(stderr, 2, [Issue("--jobs", f"au moins 1, pas {jobs}")])
    default_folder = policies_dir(args.policies)
    new_spec = args.new or str(default_folder)
    try:
        source = sys.stdin.buffer if args.dossiers == "-" else open(args.dossiers, "rb")  # noqa: SIM115 - its exit stack closes it
    except FileNotFoundError:
        return fail(stderr, 2, [Issue("--dossiers", f"aucun fichier de ce nom : {args.dossiers}")])
    except OSError as exc:
        return fail(stderr, 2, [Issue("--dossiers", f"illisible : {args.dossiers} ({exc.strerror})")])
    with ExitStack() as stack:
        stack.enter_context(source)
        try:
            old_folder = stack.enter_context(policies_at(args.old, default_folder, "AVANT", with_references=True))
            new_folder = stack.enter_context(policies_at(new_spec, default_folder, "APRES", with_references=True))
        except SourceError as error:
            return fail(stderr, 2, error.issues)
        versions = {}
        for label, folder in (("AVANT", old_folder), ("APRES", new_folder)):
            try:
                versions[label] = load_policies(folder)
            except PolicyError as error:
                return fail(stderr, 3, error.issues + [Issue(label, "cette version des politiques est invalide")],
                            BROKEN_POLICY_HINT)
        progress = None
        if stderr.isatty():
            total = None if args.dossiers == "-" else count_lines(args.dossiers)
            progress = tqdm(total=total, file=stderr, unit=" dossiers", unit_scale=True, dynamic_ncols=True)
        writer = _Writer(stdout, args.format)
        try:
            with sigterm_as_exception():
                writer.start({"avant": args.old, "apres": new_spec, "date": day.isoformat()})
                summary = run_impact(source, writer.dossier, old=versions["AVANT"], new=versions["APRES"],
                                     old_dir=str(old_folder), new_dir=str(new_folder), as_of=day, jobs=jobs,
                                     on_progress=(lambda done: progress.update(done - progress.n)) if progress else None)
        except KeyboardInterrupt:
            return fail(stderr, 130, [Issue("", "interrompu")])
        except Terminated:
            return fail(stderr, 143, [Issue("", "arrêté (SIGTERM)")])
        except WorkerError as exc:
            return fail(stderr, 3, [Issue("", str(exc))])
        finally:
            if progress is not None:
                progress.close()
        writer.end(summary.as_dict(), args.old, args.new or "la version sur disque", day.isoformat())
    return 1 if summary.failed else 0


class _Writer:
    """Writes each dossier as it comes (text, or the items of a JSON array), then the summary."""

    def __init__(self, stream, form: str):
        self.stream, self.json, self.count = stream, form == "json", 0

    def start(self, header: dict) -> None:
        if self.json:
            self.stream.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "dossiers": [')

    def dossier(self, record: dict) -> None:
        if self.json:
            self.stream.write(("," if self.count else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        else:
            self.stream.write(dossier_text(record))
        self.count += 1

    def end(self, summary: dict, old: str, new: str, day: str) -> None:
        if self.json:
            self.stream.write("\n], \"resume\": " + json.dumps(summary, ensure_ascii=False) + "}\n")
        else:
            self.stream.write(("\n" if self.count else "") + summary_text(summary, old, new, day))
