"""Two versions of the engine compared by the instructions they execute (valgrind's cachegrind), not by time: on a
shared machine the CPU time of the same code moves by ±10–20 % from one minute to the next, the count of its
instructions by ~3 % (0.1–2 % between runs with addresses not randomised: setarch -R, used when present).

    .venv/bin/python -m bench.instructions OTHER_TREE [--runs 3] [--count 100] [--size typical]
                                           [--explain | --dossier | --load]

Needs valgrind (`apt-get install valgrind`). Each run counts, for each tree in turn, the instructions of a worker
that evaluates `count` dossiers once and of one that evaluates them three times: the difference, over twice the
count, is what one evaluation executes (the start of Python, the imports, the policy load and the warm-up cancel
out). --explain: evaluate(..., explain=True); --dossier: only the dossier checks (check_dossier); --load: a cold
policy load instead, a worker that imports the engine and loads the policies once less one that only imports it.
Prints the median per evaluation (or load) of each tree and the ratio this / other. Instructions are not time (a
cache miss costs more than an addition), so a step is judged by both: this for the direction and size,
bench.side_by_side (bench.policy_load for a load) for the time.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, in_turn, two_trees

WORKER = r"""
import sys
sys.path.insert(0, sys.argv[1])
from bench.generate import dossiers
from engine import evaluate, load_policies
from engine.evaluation.dossier import check_dossier
from engine.policy.model.days import day_of
count, size, mode, repeats = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
if mode == "load":
    if repeats:
        load_policies(sys.argv[1] + "/policies")
    raise SystemExit
policies = load_policies(sys.argv[1] + "/policies")
batch = list(dossiers(count, seed=7, size=size))
day = day_of("2032-12-31")
if mode == "dossier":
    pairs = [(policies.for_instance(facts["instance"]), facts) for facts in batch]
    work = lambda: [check_dossier(policy, facts, day) for policy, facts in pairs]
else:
    explain = mode == "explain"
    work = lambda: [evaluate(facts, day, policies=policies, explain=explain) for facts in batch]
work()
for _ in range(repeats):
    work()
"""
_COUNT = re.compile(r"I\s+refs:\s+([\d,]+)")
# Addresses randomised at each start move the buckets of the dicts keyed by id() (the policy's derived texts), hence
# the count by ~3 %; with the same addresses at each run, runs of the same tree agreed within 0.1–2 %.
_NO_ASLR = ["setarch", platform.machine(), "-R"] if shutil.which("setarch") else []


def instructions(tree: Path, count: int, size: str, mode: str, repeats: int) -> int:
    """The instructions a worker executes, whole (Python's start included)."""
    done = subprocess.run([*_NO_ASLR, "valgrind", "--tool=cachegrind", "--cache-sim=no",
                           "--cachegrind-out-file=/dev/null",
                           sys.executable, "-c", WORKER, str(tree), str(count), size, mode, str(repeats)],
                          check=False, capture_output=True, text=True, cwd=tree,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    found = _COUNT.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the worker of {tree} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_evaluation(tree: Path, count: int, size: str, mode: str) -> float:
    if mode == "load":
        return instructions(tree, count, size, mode, 1) - instructions(tree, count, size, mode, 0)
    return (instructions(tree, count, size, mode, 3) - instructions(tree, count, size, mode, 1)) / (2 * count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    two_trees(parser)
    parser.add_argument("--runs", type=int, default=3)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--explain", action="store_true", help="evaluate(..., explain=True)")
    modes.add_argument("--dossier", action="store_true", help="only the dossier checks")
    modes.add_argument("--load", action="store_true", help="a cold policy load, not an evaluation")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing measured")
        return 0
    mode = "explain" if args.explain else "dossier" if args.dossier else "load" if args.load else "verdict"
    sides = {"this": ROOT, "other": args.other.resolve()}
    counts: dict[str, list[float]] = {name: [] for name in sides}
    for index in range(args.runs):
        for name in in_turn(index, list(sides)):
            counts[name].append(per_evaluation(sides[name], args.count, args.size, mode))
    medians = {name: statistics.median(values) for name, values in counts.items()}
    what = "a cold policy load" if mode == "load" else f"{args.size} dossiers, {args.count} per worker; per evaluation"
    print(f"{what}, {args.runs} runs, instructions ({mode})")
    for name, tree in sides.items():
        spread = max(counts[name]) / min(counts[name]) - 1
        print(f"  {name:5} {tree}: median {medians[name] / 1e6:.3f} M (runs within {spread:.1%})")
    print(f"  ratio this / other: {medians['this'] / medians['other']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
