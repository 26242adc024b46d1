"""`clea policy diff`, `clea policy history`, and the history check of `clea policy validate`.

    clea policy diff OLD [NEW]      OLD, NEW: a folder, a git revision (REV) or REV:PATH; NEW defaults to the
                                    policies folder as it is on disk. Prints what changed, in French (or --format json).
    clea policy history PARAM       a parameter's dated values with their sources (decision, correction).
    clea policy validate --since REV
                                    also refuses a change that rewrites the past against the policies of REV (a folder
                                    or git revision); by default HEAD when the folder is in a git checkout.
"""
from __future__ import annotations

import json
from pathlib import Path

from .errors import Issue, PolicyError
from .policy_snapshot import read_snapshots
from .policy_sources import SourceError, git_location, path_in_revision, policies_at, revision_exists


def add_policy_commands(policy_commands, policies_dir) -> None:
    """Add `diff` and `history` to the `clea policy` group; policies_dir(value) resolves --policies."""
    diff = policy_commands.add_parser("diff", help="what changed between two versions of the policies, in French")
    diff.add_argument("old", metavar="OLD", help="a folder, a git revision (e.g. HEAD~1), or REV:PATH")
    diff.add_argument("new", metavar="NEW", nargs="?", help="same forms (default: the policies folder on disk)")
    diff.add_argument("--policies", help="policies folder: NEW by default, and the path a bare REV reads")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(handler=lambda args, out, err: _diff(args, out, err, policies_dir(args.policies)))

    history = policy_commands.add_parser("history", help="a parameter's dated values with their sources")
    history.add_argument("parameter", metavar="PARAM", help="parameter id, dotted (as `clea policy params` lists them)")
    history.add_argument("--policies", help="policies folder")
    history.add_argument("--policy", help="policy id (default: every policy that has the parameter)")
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.set_defaults(handler=lambda args, out, err: _history(args, out, err, policies_dir(args.policies)))


def add_history_options(validate) -> None:
    validate.add_argument("--since", metavar="REV", help="baseline to check that no dated value was rewritten: a git "
                          "revision, REV:PATH or a folder (default: HEAD when the folder is in a git checkout)")
    validate.add_argument("--no-history", action="store_true", help="skip the check against a baseline")


def history_problems(folder: Path, since: str | None, skip: bool, stdout) -> list[Issue]:
    """Problems of a change that rewrites the past, against the baseline; a note when there is none to compare to."""
    from .policy_history import rewritten_past

    if skip:
        stdout.write("note: history check skipped (--no-history)\n")
        return []
    if since is None:
        location = git_location(folder)
        if location is None:
            stdout.write("note: history check skipped: not in a git checkout (give a baseline with --since)\n")
            return []
        root, prefix = location
        if not revision_exists(root, "HEAD") or not path_in_revision(root, "HEAD", prefix):
            stdout.write(f"note: history check skipped: {folder} is not in the last commit (HEAD)\n")
            return []
        since = "HEAD"
    with policies_at(since, folder, "--since") as baseline:
        problems = rewritten_past(read_snapshots(baseline), read_snapshots(folder))
    stdout.write(f"history: checked against {since}\n")
    return problems


def _diff(args, stdout, stderr, default_folder: Path) -> int:
    from .policy_diff import diff_policies, diff_text

    new_spec = args.new or str(default_folder)
    try:
        with policies_at(args.old, default_folder, "OLD") as old_folder:
            old = read_snapshots(old_folder)
        with policies_at(new_spec, default_folder, "NEW") as new_folder:
            new = read_snapshots(new_folder)
    except SourceError as error:
        return _fail(stderr, 2, error.issues)
    except PolicyError as error:
        return _fail(stderr, 3, error.issues)
    if not old or not new:
        empty = args.old if not old else new_spec
        return _fail(stderr, 2, [Issue("OLD" if not old else "NEW", f"no policy in '{empty}' (no */politique.yaml)")])
    diff = diff_policies(old, new)
    if args.format == "json":
        text = json.dumps({"avant": args.old, "apres": new_spec, **diff}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_text(diff, args.old, args.new or "la version sur disque")
    stdout.write(text)   # written once, whole: nothing half-printed if reading a version failed
    return 0


def _history(args, stdout, stderr, folder: Path) -> int:
    from .policy import load_policies
    from .policy_history import history_text, parameter_history

    try:
        policies = load_policies(folder)
    except PolicyError as error:
        return _fail(stderr, 3, error.issues + [Issue("", "the policy is broken; run `clea policy validate`")])
    if args.policy is not None and args.policy not in policies.ids():
        return _fail(stderr, 2, [Issue("--policy", f"no policy '{args.policy}' (known: {', '.join(policies.ids())})")])
    selected = [p for p in policies if args.policy in (None, p.id) and args.parameter in p.parameters]
    if not selected:
        known = sorted({pid for p in policies if args.policy in (None, p.id) for pid in p.parameters})
        return _fail(stderr, 2, [Issue("PARAM", f"no parameter '{args.parameter}' (known: {', '.join(known)})")])
    histories = [parameter_history(policy, args.parameter) for policy in selected]
    if args.format == "json":
        stdout.write(json.dumps(histories, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write("\n".join(history_text(history) for history in histories))
    return 0


def _fail(stderr, code: int, issues: list[Issue]) -> int:
    for issue in issues:
        stderr.write(f"{issue}\n")
    return code
