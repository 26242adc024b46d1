"""Mutation testing of the engine's central modules: flip one comparison, boolean operator, arithmetic operator,
`not` or constant at a time in a copy of the module, and see whether the tests notice.

    .venv/bin/python -m bench.mutate [--module engine/evaluation/guards.py ...] [--json OUT] [--list]

The tree (engine/, tests/, policies/, schemas/) is copied once to a temporary folder; each mutant is written into
that copy and judged in stages, each in a forked child (the third-party libraries are imported once, the engine
is imported fresh in each child from the copy, no bytecode written):

    1. the module's unit tests (UNIT below, in tests/unit; stops at the first failure)
    2. the policies' own cases (`clea test policies/`)
    3. the engine's tests that reach the module through whole verdicts (VERDICTS below)

A mutant is killed by the first stage that fails (or when a child runs over its time limit); a mutant no stage
kills survives, and is printed with its line. The figures printed are per module and in total; EQUIVALENT below
lists the survivors known to be equivalent (same behaviour on every input), with why. Not part of CI: a run takes
about 10 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT

MODULES = (
    "engine/evaluation/fees.py", "engine/evaluation/guards.py", "engine/evaluation/actions.py",
    "engine/evaluation/period.py", "engine/evaluation/status.py",
    "engine/calendar/working_days.py", "engine/calendar/durations.py",
    "engine/policy/conditions/operators.py",
)
# also mutable with --module: engine/policy/conditions/language.py, engine/policy/conditions/paths.py
# the unit tests of each module (stage 1), then the engine's tests through whole verdicts (stage 3)
UNIT = {
    "engine/calendar/working_days.py": ["test_calendar_units.py", "test_explain_units.py"],
    "engine/calendar/durations.py": ["test_calendar_units.py"],
    "engine/evaluation/fees.py": ["test_fees_units.py"],
    "engine/evaluation/guards.py": ["test_guards_units.py"],
    "engine/evaluation/actions.py": ["test_actions_units.py"],
    "engine/evaluation/status.py": ["test_status_units.py"],
    "engine/evaluation/period.py": ["test_status_units.py"],
    "engine/policy/conditions/operators.py": ["test_operators_units.py"],
    "engine/policy/conditions/language.py": ["test_operators_units.py"],
    "engine/policy/conditions/paths.py": ["test_operators_units.py"],
}
VERDICTS = ["tests/test_calendar.py", "tests/test_verdict.py", "tests/test_rule_language.py", "tests/test_fee_change.py"]
TIME_LIMIT = 120.0          # seconds per stage: over it, the mutant looped (killed)

# (module, line, mutation) -> why the survivor is equivalent
EQUIVALENT: dict[tuple[str, int, str], str] = {
    ("engine/evaluation/status.py", 37, "False -> True"):
        "`compare=False` on Transition.event: it only keeps the event out of the dataclass's == and hash, and "
        "nothing compares or hashes a Transition (run.py appends them to a list, StatusMachine.run sorts them by an "
        "explicit key, the timeline and explanations read their fields): no verdict can differ",
    ("engine/evaluation/status.py", 38, "False -> True"):
        "`compare=False` on Transition.starts: the same as line 37 (no == nor hash of a Transition anywhere)",
    ("engine/calendar/working_days.py", 51, "1 -> 2"):
        "holiday_names over one year more: the library gives French holidays the same names every year, so the "
        "set of names (what a policy's `exclure` is checked against) is the same",
    ("engine/evaluation/period.py", 29, "< -> <="):
        "the wording of a period without a duration: on the parameter's first date it has a value, so the period "
        "has a duration and the message is never written with start == first",
    ("engine/evaluation/period.py", 42, "or -> and"):
        "renewal_length is called only once a period renews, which needs the model's renewal: with a period and a "
        "renewal both tests are false either way",
    ("engine/evaluation/period.py", 47, "0 -> 1"):
        "the second 0 of the line (`else 0`, no renewal in the model): renews() returns before reading the count "
        "when there is no renewal; the first (`or 0`, a count without a value) is killed by "
        "test_renewal_count_without_a_value_on_the_start_date (both mutants of the line share this key)",
}

_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
         ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_ARITH = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
           ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
           ast.FloorDiv: "//", ast.And: "and", ast.Or: "or"}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int          # the index-th mutation site of the module
    line: int
    what: str


class _Sites(ast.NodeTransformer):
    """Walks a module; counts the mutation sites, and applies the one numbered `target` (-1: none)."""

    def __init__(self, target: int = -1) -> None:
        self.target = target
        self.found: list[tuple[int, str]] = []

    def _site(self, node: ast.AST, what: str) -> bool:
        self.found.append((getattr(node, "lineno", 0), what))
        return len(self.found) - 1 == self.target

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:     # messages: not behaviour
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:               # docstrings
        return node if isinstance(node.value, ast.Constant) else self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            new = _FLIP.get(type(op))
            if new and self._site(node, f"{_SYMBOL[type(op)]} -> {_SYMBOL[new]}"):
                node.ops[i] = new()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._site(node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[new]}"):
            node.op = new()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        new = _ARITH.get(type(node.op))
        if new and self._site(node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[new]}"):
            node.op = new()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._site(node, "not x -> x"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._site(node, f"{value} -> {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, int) and self._site(node, f"{value} -> {value + 1}"):
            return ast.copy_location(ast.Constant(value + 1), node)
        return node


def mutants(module: str) -> list[Mutant]:
    sites = _Sites()
    sites.visit(ast.parse((ROOT / module).read_text()))
    return [Mutant(module, i, line, what) for i, (line, what) in enumerate(sites.found)]


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse((ROOT / mutant.module).read_text())
    tree = _Sites(mutant.index).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree))


def _copy_tree(into: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", ".git")
    for name in ("engine", "tests", "policies", "schemas", "bench", "examples"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, into / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")


def _child(tree: Path, stage: int, module: str) -> None:
    """In the forked child: import the engine from the copy, run one stage, exit 0 when it passes."""
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["CLEA_POLICIES"] = str(tree / "tests" / "fixtures" / "policies")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        if stage in (1, 3):
            import pytest
            paths = [f"tests/unit/{name}" for name in UNIT.get(module, ["."])] if stage == 1 else VERDICTS
            code = pytest.main(["-o", "addopts=", "-x", "-q", "-p", "no:cacheprovider", *paths])
        else:
            from engine.cli import run
            code = run(["test", str(tree / "policies")])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception:      # noqa: BLE001 - a mutant may raise anything: it is killed
        code = 1
    os._exit(0 if code == 0 else 1)


def _stage(tree: Path, stage: int, module: str) -> bool:
    """Whether the stage passes (the mutant survives it)."""
    pid = os.fork()
    if pid == 0:
        _child(tree, stage, module)
    deadline = time.monotonic() + TIME_LIMIT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False
        time.sleep(0.02)


def _preload() -> None:
    """Import the libraries once, before forking (never the engine: each child imports its mutated copy)."""
    for name in ("pytest", "yaml", "jsonschema", "fastjsonschema", "holidays", "pendulum", "durable_rules",
                 "stdnum", "icalendar", "tqdm", "hypothesis"):
        try:
            __import__(name)
        except ImportError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", action="append", help="a module to mutate (default: every one of MODULES)")
    parser.add_argument("--json", type=Path, help="write every mutant and its fate to this file")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--full", action="store_true", help="also run stage 3 (the engine's verdict tests, ~1 min "
                                                              "per surviving mutant)")
    parser.add_argument("--survivors", type=Path, help="judge again only the survivors of an earlier --json file")
    args = parser.parse_args(argv)
    modules = args.module or list(MODULES)
    todo = [m for module in modules for m in mutants(module)]
    if args.survivors:
        earlier = {(f["module"], f["line"], f["mutation"]) for f in json.loads(args.survivors.read_text())
                   if f["killed_by"] is None}
        todo = [m for m in todo if (m.module, m.line, m.what) in earlier]
        modules = sorted({m.module for m in todo}, key=modules.index)
    if args.list:
        for m in todo:
            print(f"{m.module}:{m.line}: {m.what}")
        print(f"{len(todo)} mutants")
        return 0
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"       # the unit layer needs no plugin
    _preload()
    fates: list[dict] = []
    stages = (1, 2, 3) if args.full else (1, 2)
    with tempfile.TemporaryDirectory(prefix="clea-mutants-") as folder:
        tree = Path(folder)
        _copy_tree(tree)
        if not all(_stage(tree, 1, module) for module in modules) or not all(
                _stage(tree, stage, "") for stage in stages[1:]):
            print("the unmutated tree fails a stage: fix the tests first", file=sys.stderr)
            return 2
        for mutant in todo:
            target = tree / mutant.module
            original = target.read_text()
            target.write_text(mutated_source(mutant))
            killed_by = next((stage for stage in stages if not _stage(tree, stage, mutant.module)), None)
            target.write_text(original)
            fates.append({"module": mutant.module, "index": mutant.index, "line": mutant.line, "mutation": mutant.what,
                          "killed_by": killed_by})
            if args.json:       # as it goes: a run cut short still leaves its figures
                args.json.write_text(json.dumps(fates, indent=1, ensure_ascii=False))
            if killed_by is None:
                why = EQUIVALENT.get((mutant.module, mutant.line, mutant.what))
                print(f"survivor {mutant.module}:{mutant.line}: {mutant.what}"
                      + (f"  (equivalent: {why})" if why else ""), flush=True)
    print()
    print(f"{'module':45} {'mutants':>7} {'killed':>7} {'unit':>5} {'cases':>5} {'tests':>5} {'score':>6}")
    for module in modules + ["total"]:
        mine = [f for f in fates if module in ("total", f["module"])]
        killed = [f for f in mine if f["killed_by"] is not None]
        by = [sum(1 for f in killed if f["killed_by"] == stage) for stage in (1, 2, 3)]
        equivalent = sum(1 for f in mine if f["killed_by"] is None
                         and (f["module"], f["line"], f["mutation"]) in EQUIVALENT)
        score = 100 * (len(killed) + equivalent) / max(1, len(mine))
        print(f"{module:45} {len(mine):7} {len(killed):7} {by[0]:5} {by[1]:5} {by[2]:5} {score:5.1f}%")
    print("score: killed plus known equivalent survivors, over all mutants")
    if args.json:
        args.json.write_text(json.dumps(fates, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
