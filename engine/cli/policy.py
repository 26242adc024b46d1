"""`clea policy validate | params | diff | history`: check policies and read what they say, and how they changed.

    clea policy validate [DIR]      every file checked: YAML, schema, meaning, what extensions may do; with --since REV,
                                    also refuses a change that rewrites the past against REV (default: HEAD when the
                                    folder is in git). The `ok` lines come only once every check passed.
    clea policy params              the parameter values in force at a date.
    clea policy diff OLD [NEW]      OLD, NEW: a folder, a git revision (REV) or REV:PATH; NEW defaults to the
                                    policies folder as it is on disk. Prints what changed, in French (or --format json).
    clea policy history PARAM       a parameter's dated values with their sources (decision, correction).
    clea policy impact OLD [NEW]    the verdicts that change on many dossiers (engine/cli/impact.py).
    clea policy articles            each section of the regulation beside what encodes it, and what it leaves out
                                    (engine/cli/articles.py).
"""
from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

from ..errors import Issue, PolicyError
from ..evaluation import today_in_paris
from ..policy import load_policies
from ..policy.checks.articles import gaps
from ..policy.versions.diff import diff_policies
from ..policy.versions.history import parameter_history
from ..policy.versions.publications import policy_folders, published_baseline
from ..policy.versions.snapshots import read_snapshots
from ..policy.versions.sources import SourceError, git_location, path_in_revision, policies_at, revision_exists
from ..reports.policy_texts import diff_text, history_text, params_text
from ..service.decision_log import log_target
from ..service.log_records import DecisionLogError
from ..service.log_years import evaluated_days
from ..suggestions import unknown
from .articles import add_articles_parser
from .common import BROKEN_POLICY_HINT, Parser, fail, iso_date, policies_dir
from .impact import add_impact_parser
from .publish import add_publish_parser


def add_parser(commands) -> None:
    policy = commands.add_parser("policy", help="vérifier et consulter les politiques")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, parser_class=Parser, metavar="ACTION")
    validate = policy_commands.add_parser(
        "validate", help="vérifier chaque fichier des politiques ; une ligne par problème",
        description="Vérifie chaque fichier des politiques : YAML, schéma, puis sens (paramètre, événement, statut, "
                    "constat ou acteur inconnu, chemins de faits, articles, valeurs datées), et qu'aucune valeur datée "
                    "n'a été réécrite. Une ligne par problème (fichier:ligne: chemin: message) ; les lignes « ok » "
                    "seulement quand tout est vérifié.",
        epilog="Codes de sortie : 0 politiques valides ; 1 problèmes trouvés ; 2 référence --since ou journal --log "
               "inutilisable.")
    validate.add_argument("dir", nargs="?", metavar="DOSSIER",
                          help="dossier des politiques ou d'une politique (par défaut : celui du projet)")
    validate.set_defaults(handler=_validate)
    validate.add_argument("--since", metavar="REV", help="référence pour vérifier qu'aucune valeur datée n'a été "
                          "réécrite : une révision git, REV:CHEMIN ou un dossier (par défaut : HEAD quand le dossier "
                          "est dans un dépôt git)")
    validate.add_argument("--no-history", action="store_true", help="ne pas comparer à une référence")
    validate.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ",
                          help="le jour où le changement est vérifié : une nouvelle valeur datée d'avant ce jour (ou "
                               "d'avant sa décision) est rétroactive (par défaut : aujourd'hui à Paris)")
    validate.add_argument("--log", metavar="JOURNAL", help="le journal des décisions (fichier SQLite ou URL "
                          "postgresql://) : les années des calendriers doivent couvrir les dossiers déjà évalués")
    params = policy_commands.add_parser(
        "params", help="les valeurs des paramètres en vigueur à une date",
        description="Affiche les valeurs des paramètres en vigueur à une date, avec leur unité, leur date d'entrée en "
                    "vigueur et leur article.",
        epilog="Codes de sortie : 0 ; 2 politique inconnue ou argument invalide ; 3 politique invalide.")
    params.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ",
                        help="la date (par défaut : aujourd'hui à Paris)")
    params.add_argument("--policies", metavar="DOSSIER", help="dossier des politiques")
    params.add_argument("--policy", metavar="ID", help="identifiant de la politique (par défaut : toutes)")
    params.add_argument("--format", choices=("json", "text"), default="text", help="text (par défaut) ou json")
    params.set_defaults(handler=_params)

    diff = policy_commands.add_parser(
        "diff", help="ce qui a changé entre deux versions des politiques",
        description="Dit ce qui a changé entre deux versions des politiques (paramètres, règles, statuts, "
                    "événements, constats...), en français ou en JSON.",
        epilog="Codes de sortie : 0 ; 2 version introuvable (AVANT ou APRES) ; 3 une version est invalide.")
    diff.add_argument("old", metavar="AVANT", help="un dossier, une révision git (ex. HEAD~1) ou REV:CHEMIN")
    diff.add_argument("new", metavar="APRES", nargs="?",
                      help="mêmes formes (par défaut : le dossier des politiques sur le disque)")
    diff.add_argument("--policies", metavar="DOSSIER",
                      help="dossier des politiques : APRES par défaut, et le chemin lu dans une révision seule")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="text (par défaut) ou json")
    diff.set_defaults(handler=_diff)

    history = policy_commands.add_parser(
        "history", help="les valeurs datées d'un paramètre et leurs sources",
        description="Affiche les valeurs datées d'un paramètre, dans l'ordre, avec leurs sources (décision, "
                    "correction).",
        epilog="Codes de sortie : 0 ; 2 paramètre ou politique inconnu ; 3 politique invalide.")
    history.add_argument("parameter", metavar="PARAMETRE",
                         help="identifiant du paramètre, en notation pointée (comme `clea policy params` les liste)")
    history.add_argument("--policies", metavar="DOSSIER", help="dossier des politiques")
    history.add_argument("--policy", metavar="ID",
                         help="identifiant de la politique (par défaut : toutes celles qui ont ce paramètre)")
    history.add_argument("--format", choices=("text", "json"), default="text", help="text (par défaut) ou json")
    history.set_defaults(handler=_history)
    add_impact_parser(policy_commands)
    add_articles_parser(policy_commands)
    add_publish_parser(policy_commands)




def _validate(args, stdout, stderr) -> int:
    """Every check first (files, meaning, extensions, history); the `ok` lines only once all of them passed."""
    folder = policies_dir(args.dir)
    notes: list[str] = []
    with ExitStack() as stack:
        try:
            baseline = _baseline(folder, args.since, args.no_history, notes, stack)
            evaluated = evaluated_days(log_target(args.log)) if args.log else None
            policies = load_policies(folder, baseline=baseline, today=args.date or today_in_paris(),
                                     published=not args.no_history and args.since is None, evaluated=evaluated)
        except SourceError as error:
            return fail(stderr, 2, error.issues)
        except DecisionLogError as error:
            return fail(stderr, 2, [Issue("--log", str(error))])
        except PolicyError as error:
            for issue in error.issues:
                stdout.write(f"{issue}\n")
            stderr.write(f"{len(error.issues)} problème(s) : rien n'est validé\n")
            return 1
    for note in notes:
        stdout.write(f"{note}\n")
    for policy in policies:
        extends = f", étend {policy.extends}" if policy.extends else ""
        stdout.write(f"ok : {policy.id} {policy.version} {policy.revision} ({len(policy.rules)} règles, "
                     f"{len(policy.parameters)} paramètres{extends})\n")
    found = {policy.id: [section for section in gaps(policy)] for policy in policies}
    for policy in policies:
        inherited = {section.id for section in found.get(policy.extends or "", [])}   # the base's warning says it
        for section in (s for s in found[policy.id] if s.id not in inherited):
            where = policy.sources.locate(("articles", section.id)) if policy.sources else (None, None)
            location = ":".join(str(part) for part in where if part is not None)
            stdout.write(f"avertissement: {location + ': ' if location else ''}articles.{section.id}: {policy.id} : "
                         "rien n'encode cette section et elle ne déclare aucune phrase non encodable "
                         "(non_encodable, avec sa raison)\n")
    return 0


def _params(args, stdout, stderr) -> int:
    try:
        policies = load_policies(policies_dir(args.policies))
    except PolicyError as error:
        return fail(stderr, 3, error.issues, BROKEN_POLICY_HINT)
    day = args.date or today_in_paris()
    selected = [p for p in policies if args.policy in (None, p.id)]
    if not selected:
        return fail(stderr, 2, [Issue("--policy", unknown("politique inconnue", args.policy, policies.ids()))])
    if args.format == "json":
        stdout.write(json.dumps({p.id: p.parameters_at(day) for p in selected}, ensure_ascii=False, indent=2) + "\n")
        return 0
    stdout.write("".join(params_text(policy, day, policy.parameters_at(day)) for policy in selected))
    return 0


def _baseline(folder: Path, since: str | None, skip: bool, notes: list[str], stack: ExitStack):
    """The snapshots to compare with for the history check, or None (with a note saying why there is none)."""
    if skip:
        notes.append("note : historique non comparé (--no-history)")
        return None
    if since is None:
        location = git_location(folder)
        if location is None:
            notes.append("note : historique non comparé : le dossier n'est pas dans un dépôt git (donnez une "
                         "référence avec --since)")
            return None
        root, prefix = location
        if not revision_exists(root, "HEAD") or not path_in_revision(root, "HEAD", prefix):
            notes.append(f"note : historique non comparé : {folder} n'est pas dans le dernier commit (HEAD)")
            return None
        since = "HEAD"
    baseline = read_snapshots(stack.enter_context(policies_at(since, folder, "--since")))
    if Path(since).is_dir():        # a folder compared: its cases are not a recorded past (a revision's are)
        for snapshot in baseline.values():
            snapshot.cases = None
    published = published_baseline(policy_folders(folder), stack)[1] if since == "HEAD" else []
    notes.extend(published or [f"historique : comparé à {since}"])
    return baseline


def _diff(args, stdout, stderr) -> int:
    default_folder = policies_dir(args.policies)
    new_spec = args.new or str(default_folder)
    try:
        with policies_at(args.old, default_folder, "AVANT") as old_folder:
            old = read_snapshots(old_folder)
        with policies_at(new_spec, default_folder, "APRES") as new_folder:
            new = read_snapshots(new_folder)
    except SourceError as error:
        return fail(stderr, 2, error.issues)
    except PolicyError as error:
        return fail(stderr, 3, error.issues)
    if not old or not new:
        empty = args.old if not old else new_spec
        return fail(stderr, 2, [Issue("AVANT" if not old else "APRES", f"aucune politique dans '{empty}' (aucun "
                                      "*/politique.yaml)")])
    diff = diff_policies(old, new)
    if args.format == "json":
        text = json.dumps({"avant": args.old, "apres": new_spec, **diff}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_text(diff, args.old, args.new or "la version sur disque")
    stdout.write(text)   # written once, whole: nothing half-printed if reading a version failed
    return 0


def _history(args, stdout, stderr) -> int:
    folder = policies_dir(args.policies)
    try:
        policies = load_policies(folder)
    except PolicyError as error:
        return fail(stderr, 3, error.issues + [Issue("", BROKEN_POLICY_HINT)])
    if args.policy is not None and args.policy not in policies.ids():
        return fail(stderr, 2, [Issue("--policy", unknown("politique inconnue", args.policy, policies.ids()))])
    selected = [p for p in policies if args.policy in (None, p.id) and args.parameter in p.parameters]
    if not selected:
        known = {pid for p in policies if args.policy in (None, p.id) for pid in p.parameters}
        return fail(stderr, 2, [Issue("PARAMETRE", unknown("paramètre inconnu", args.parameter, known))])
    if args.format == "json":
        stdout.write(json.dumps([parameter_history(policy, args.parameter) for policy in selected], ensure_ascii=False,
                                indent=2) + "\n")
    else:
        stdout.write("\n".join(history_text(parameter_history(policy, args.parameter), policy.units)
                               for policy in selected))
    return 0
