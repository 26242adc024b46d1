"""The `clea` command. `run(argv, stdout, stderr) -> int` does the work (tests call it); `main()` only exits.

Exit codes: 0 done; 1 `policy validate` found problems; 2 invalid input or arguments; 3 a broken policy.
Every error is printed as `file:line: path: message`, never as a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from datetime import date
from pathlib import Path

from .errors import EngineError, FactsError, Issue, PolicyError
from .policy_commands import add_history_options, add_policy_commands, history_problems

DEFAULT_POLICIES = Path(__file__).resolve().parent.parent / "policies"
# Further commands, each a module with add_parser(subparsers) and run(args, stdout, stderr) -> int.
COMMANDS: list[str] = [
    "engine.batch_command", "engine.avis_command",
    "engine.service.serve_command", "engine.service.log_command",
]


def policies_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("CLEA_POLICIES") or DEFAULT_POLICIES)


def _iso_date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors with exit status 2 through our stderr."""

    def __init__(self, *args, **kwargs):
        self.stderr = kwargs.pop("stderr", sys.stderr)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.print_usage(self.stderr)
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def build_parser(stderr) -> argparse.ArgumentParser:
    parser = _Parser(prog="clea", description="Evaluate facts against YAML rule policies (default: the project's policies/).",
                     stderr=stderr)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    evaluate = commands.add_parser("evaluate", help="evaluate a facts document (YAML or JSON) and print the verdict")
    evaluate.add_argument("facts", help="facts document: a path, or - for standard input")
    evaluate.add_argument("--date", type=_iso_date, help="evaluation date, YYYY-MM-DD (default: today in Europe/Paris)")
    evaluate.add_argument("--format", choices=("json", "text"),
                          help="json: the contract's verdict; text: a French summary (default on a terminal)")
    evaluate.add_argument("--policies", help="policies folder (default: $CLEA_POLICIES or the project's policies/)")
    evaluate.set_defaults(handler=_evaluate)

    policy = commands.add_parser("policy", help="check and inspect policies")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, parser_class=_Parser, metavar="ACTION")
    validate = policy_commands.add_parser("validate", help="check every policy file; one line per problem")
    validate.add_argument("dir", nargs="?", help="policies folder or one policy folder (default: the project's)")
    validate.set_defaults(handler=_validate)
    add_history_options(validate)
    params = policy_commands.add_parser("params", help="the parameter values in force at a date")
    params.add_argument("--date", type=_iso_date, help="YYYY-MM-DD (default: today in Europe/Paris)")
    params.add_argument("--policies", help="policies folder")
    params.add_argument("--policy", help="policy id (default: all)")
    params.add_argument("--format", choices=("json", "text"), default="text")
    params.set_defaults(handler=_params)
    add_policy_commands(policy_commands, policies_dir)

    for module_name in COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # an optional part (e.g. the HTTP service) whose dependencies are not installed
        module.add_parser(commands)
    return parser


def _read_facts(path: str, stdin) -> dict:
    from .documents import read_text
    from .facts import parse_facts_text

    if path == "-":
        return parse_facts_text(stdin.read(), "<stdin>")
    text, issues = read_text(Path(path))
    if text is None:
        raise FactsError(issues)
    return parse_facts_text(text, path)


def _evaluate(args, stdout, stderr) -> int:
    from .evaluate import evaluate
    from .policy import load_policies
    from .report import verdict_text

    folder = policies_dir(args.policies)
    if not folder.is_dir():
        return _fail(stderr, 2, [Issue("--policies", "no such policies folder", str(folder))])
    try:
        facts = _read_facts(args.facts, sys.stdin)
    except FactsError as error:
        return _fail(stderr, 2, error.issues)
    try:
        policies = load_policies(folder)
    except PolicyError as error:
        return _fail(stderr, 3, error.issues, "the policy is broken; run `clea policy validate`")
    try:
        verdict = evaluate(facts, args.date, policies=policies)
    except FactsError as error:
        return _fail(stderr, 2, [Issue(i.path, i.message, i.file or args.facts, i.line) for i in error.issues])
    output = args.format or ("text" if stdout.isatty() else "json")
    if output == "json":
        stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2) + "\n")
    else:
        policy = policies.for_instance(verdict["instance"])
        stdout.write(verdict_text(verdict, (policy.statuses.get("periode") or {}).get("nom")))
    return 0


def _validate(args, stdout, stderr) -> int:
    from .policy import load_policies

    folder = policies_dir(args.dir)
    try:
        policies = load_policies(folder)
    except PolicyError as error:
        for issue in error.issues:
            stdout.write(f"{issue}\n")
        stderr.write(f"{len(error.issues)} problem(s)\n")
        return 1
    for policy in policies:
        stdout.write(f"ok: {policy.id} {policy.version} {policy.revision} ({len(policy.rules)} rules, "
                     f"{len(policy.parameters)} parameters)\n")
    rewritten = history_problems(folder, args.since, args.no_history, stdout)
    for issue in rewritten:
        stdout.write(f"{issue}\n")
    if rewritten:
        stderr.write(f"{len(rewritten)} problem(s): a dated value rewritten\n")
        return 1
    return 0


def _params(args, stdout, stderr) -> int:
    from .evaluate import today_in_paris
    from .policy import load_policies

    try:
        policies = load_policies(policies_dir(args.policies))
    except PolicyError as error:
        return _fail(stderr, 3, error.issues, "the policy is broken; run `clea policy validate`")
    day = args.date or today_in_paris()
    selected = [p for p in policies if args.policy in (None, p.id)]
    if not selected:
        return _fail(stderr, 2, [Issue("--policy", f"no policy '{args.policy}' (known: {', '.join(policies.ids())})")])
    if args.format == "json":
        stdout.write(json.dumps({p.id: p.parameters_at(day) for p in selected}, ensure_ascii=False, indent=2) + "\n")
        return 0
    for policy in selected:
        stdout.write(f"{policy.id} {policy.version} — paramètres en vigueur au {day.isoformat()}\n")
        for row in policy.parameters_at(day):
            value = "—" if row["valeur"] is None else f"{row['valeur']} {row['unite']}"
            since = f"depuis le {row['depuis']}" if row["depuis"] else "pas encore en vigueur"
            stdout.write(f"  {row['id']:<42} {value:<18} {since:<22} [{row['article']}]\n")
    return 0


def _fail(stderr, code: int, issues: list[Issue], hint: str | None = None) -> int:
    for issue in issues:
        stderr.write(f"{issue}\n")
    if hint:
        stderr.write(f"{hint}\n")
    return code


def run(argv: list[str], stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser(stderr).parse_args(argv)
    except _UsageError as error:
        stderr.write(f"{error}\n")
        return 2
    try:
        return args.handler(args, stdout, stderr)
    except EngineError as error:
        return _fail(stderr, 3 if isinstance(error, PolicyError) else 2, error.issues)
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
