"""`clea test [PATH...] [--policies DIR] [--format text|json] [--coverage]`: run the cases that live with the policies.

PATH: a case file, a policy folder (its tests/), a folder of policies (every policy's tests/) or a folder of case
files; default: the policies folder. Each case runs under the policies of the folder it belongs to (--policies
to choose them). One line per case, then for each failure the case file and line, what was expected and what
came; the last line is `N passed, M failed`.

Exit status: 0 every case passed; 1 a case failed; 2 a case file is malformed (or a PATH does not exist, or holds
no case); 3 a policy is broken.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..cases import (
    FAILED,
    MALFORMED,
    PASSED,
    SKIPPED,
    PolicyCoverage,
    Result,
    case_files,
    coverage,
    policies_root,
    run_files,
)
from ..errors import Issue, PolicyError, json_path
from ..policy import load_policies
from .common import BROKEN_POLICY_HINT, fail, policies_dir

LABELS = {PASSED: "PASSED", FAILED: "FAILED", SKIPPED: "SKIPPED", MALFORMED: "MALFORMED"}
KIND_NAMES = {"regles": "règles", "parametres": "paramètres", "criteres": "critères", "controles": "contrôles",
              "constats": "constats"}


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "test", help="jouer les cas des politiques (policies/<id>/tests/*.yaml) : les verdicts attendus",
        description="Évalue chaque cas (nom, article, date, faits, attendu) et vérifie que son verdict contient ce "
                    "que dit `attendu`. Sortie 0 tous réussis, 1 un cas échoue, 2 un fichier de cas est mal formé, "
                    "3 une politique est invalide.")
    parser.add_argument("paths", metavar="CHEMIN", nargs="*",
                        help="un fichier de cas, un dossier de politique, un dossier de politiques ou de cas "
                             "(par défaut : les politiques)")
    parser.add_argument("--policies", metavar="DOSSIER", help="les politiques sous lesquelles les cas sont joués "
                        "(par défaut : celles dont relève chaque CHEMIN, sinon $CLEA_POLICIES ou policies/ du projet)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text : un rapport en français (par défaut) ; json : le même en données")
    parser.add_argument("--coverage", action="store_true", help="dire aussi ce qu'aucun cas n'a exercé : règles, "
                        "paramètres, critères, contrôles, constats, et sections du règlement sans cas")
    parser.set_defaults(handler=_test)


def _groups(args) -> tuple[dict[Path, list[Path]], list[Issue]]:
    """The case files to run, grouped by the folder of policies they run under."""
    chosen = Path(args.policies) if args.policies else None
    paths = [_shown(Path(p)) for p in args.paths] or [_shown(policies_dir(None))]
    groups: dict[Path, list[Path]] = {}
    issues = []
    for path in paths:
        if not path.exists():
            issues.append(Issue("CHEMIN", f"ni fichier ni dossier de ce nom : {path}"))
            continue
        files = case_files(path)
        if not files:
            issues.append(Issue("CHEMIN", f"aucun cas dans {path} (les cas sont dans <politiques>/<id>/tests/*.yaml)"))
            continue
        root = chosen or policies_root(path) or policies_dir(None)
        groups.setdefault(root, []).extend(f for f in files if f not in groups.get(root, []))
    return groups, issues


def _shown(path: Path) -> Path:
    """A path under the current folder, relative to it (as a user would type it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        return path


def _test(args, stdout, stderr) -> int:
    groups, issues = _groups(args)
    if issues:
        return fail(stderr, 2, issues)
    results: list[Result] = []
    reports: list[PolicyCoverage] = []
    broken: list[Issue] = []
    for root, files in groups.items():
        try:
            # compared with each policy's last publication (which reads git: never from the per-process cache)
            policies = load_policies(root, published=True)
        except PolicyError as error:
            broken += error.issues
            continue
        ran = run_files(files, policies)
        if args.format == "text":
            for result in ran:
                stdout.write(_text(result))
        results += ran
        if args.coverage:
            reports += coverage(ran, policies)
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in LABELS}
    if args.format == "json":
        document = {"cas": [r.as_dict() for r in results],
                    "resume": {"reussis": counts[PASSED], "echoues": counts[FAILED] + counts[MALFORMED],
                               "en_attente": counts[SKIPPED], "malformes": counts[MALFORMED]}}
        if broken:
            document["politiques_invalides"] = [issue.as_dict() for issue in broken]
        if args.coverage:
            document["couverture"] = [report.as_dict() for report in reports]
        stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        for report in reports:
            stdout.write(_coverage_text(report))
        if counts[SKIPPED] or counts[MALFORMED]:
            stdout.write(", ".join(part for part in (
                f"{counts[SKIPPED]} skipped (en_attente)" if counts[SKIPPED] else "",
                f"{counts[MALFORMED]} malformed" if counts[MALFORMED] else "") if part) + "\n")
        stdout.write(f"{counts[PASSED]} passed, {counts[FAILED] + counts[MALFORMED]} failed\n")
    if broken:
        return fail(stderr, 3, broken, BROKEN_POLICY_HINT)
    return 2 if counts[MALFORMED] else 1 if counts[FAILED] else 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(result: Result) -> str:
    head = f"{LABELS[result.outcome]:<9} {result.file}"
    if result.name:
        head += f" — {_one_line(result.name)}"
    if result.reason:
        head += f" ({'retiré' if result.withdrawn else 'en attente'} : {_one_line(result.reason)})"
    lines = [head]
    for mismatch in result.mismatches:
        lines.append(f"    {result.where(mismatch)}: {json_path(mismatch.path)}")
        lines.append(f"      attendu : {mismatch.expected}")
        lines.append(f"      obtenu  : {mismatch.got}")
    lines += [f"    {issue}" for issue in result.problems]
    return "\n".join(lines) + "\n"


def _coverage_text(report: PolicyCoverage) -> str:
    policy = report.policy
    lines = [f"\nCouverture de {policy.id} {policy.version} ({report.cases} cas"
             + (f" ; ses propres éléments, les autres sont ceux de {policy.extends}" if policy.extends else "")
             + ")", f"  {'élément':<12}{'exercés':<10}non exercés"]
    for kind, name in KIND_NAMES.items():
        total, missing = len(report.elements[kind]), report.missing(kind)
        lines.append(f"  {name:<12}{f'{total - len(missing)}/{total}':<10}{', '.join(missing) or '—'}")
    total, missing = len(report.elements["valeurs"]), report.missing("valeurs")     # each dated value
    lines.append(f"  {'valeurs':<12}{f'{total - len(missing)}/{total}':<10}{', '.join(missing) or '—'}")
    if report.elements.get("versions"):       # the texts of amended rules (engine/cases/coverage.py)
        total, missing = len(report.elements["versions"]), report.missing("versions")
        lines.append(f"  {'versions':<12}{f'{total - len(missing)}/{total}':<10}{', '.join(missing) or '—'}")
    total, missing = len(report.elements["sections"]), report.missing("sections")
    lines.append(f"  {'sections':<12}{f'{total - len(missing)}/{total}':<10}"
                 + (f"sans cas : {', '.join(missing)}" if missing else "—"))
    return "\n".join(lines) + "\n\n"
