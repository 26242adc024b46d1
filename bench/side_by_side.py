"""Two versions of the engine timed side by side: the same dossiers evaluated in two worker processes, one per source
tree, in interleaved rounds, measured in each worker's CPU time, so that a loaded machine slows both alike.

    .venv/bin/python -m bench.side_by_side OTHER_TREE [--rounds 30] [--count 100] [--size typical]
                                           [--explain | --lines]

OTHER_TREE is a checkout of another commit (e.g. `git worktree add /tmp/before HEAD~3`); this tree is the other side.
Each round, each worker evaluates the same `count` dossiers (validation included) and reports the CPU seconds per
evaluation; the figures are the median over rounds, and the ratio this tree / the other (of the medians, and the
median of the ratios of each round: the two sides of a round ran one after the other, under the same load).
With --lines each dossier is answered as a line of `clea evaluate-batch` (bench.generate's JSON line read, evaluated,
its verdict written: what a batch worker does), instead of evaluated from its facts already in memory.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, in_turn, two_trees

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bench.generate import dossiers
from engine import evaluate, load_policies
policies = load_policies(sys.argv[1] + "/policies")
count, size, mode = int(sys.argv[2]), sys.argv[3], sys.argv[4]
batch = list(dossiers(count, seed=7, size=size))
if mode == "lines":
    from engine.batch.runner import LineEvaluator
    answer = LineEvaluator(policies, "2032-12-31").answer
    batch = [json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode() for facts in batch]
    work = lambda: [answer(number, line) for number, line in enumerate(batch, 1)]
else:
    explain = mode == "explain"
    work = lambda: [evaluate(facts, "2032-12-31", policies=policies, explain=explain) for facts in batch]
work()
print("ready", flush=True)
for line in sys.stdin:
    start = time.thread_time()
    work()
    print(json.dumps((time.thread_time() - start) / count), flush=True)
"""


def _worker(tree: Path, count: int, size: str, mode: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(tree), str(count), size, mode],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tree)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise SystemExit(f"the worker of {tree} did not start")
    return process


def _round(process: subprocess.Popen) -> float:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("go\n")
    process.stdin.flush()
    return float(json.loads(process.stdout.readline()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    two_trees(parser)
    parser.add_argument("--rounds", type=int, default=30)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--explain", action="store_true", help="evaluate(..., explain=True)")
    modes.add_argument("--lines", action="store_true", help="each dossier as a line of evaluate-batch")
    args = parser.parse_args(argv)
    mode = "explain" if args.explain else "lines" if args.lines else "verdict"
    sides = {"this": ROOT, "other": args.other.resolve()}
    workers = {name: _worker(tree, args.count, args.size, mode) for name, tree in sides.items()}
    times: dict[str, list[float]] = {name: [] for name in sides}
    for index in range(args.rounds):
        order = in_turn(index, list(sides))
        for name in order:
            times[name].append(_round(workers[name]))
    for process in workers.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    medians = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    print(f"{args.size} dossiers, {args.count} a round, {args.rounds} interleaved rounds, CPU ms per evaluation"
          f"{'' if mode == 'verdict' else f' ({mode})'}")
    for name, tree in sides.items():
        print(f"  {name:5} {tree}: median {medians[name]:.3f} ms, best round {min(times[name]) * 1e3:.3f} ms")
    paired = statistics.median(this / other for this, other in zip(times["this"], times["other"]))
    print(f"  ratio this / other: {medians['this'] / medians['other']:.3f} (of the medians), {paired:.3f} (median of "
          "each round's ratio)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
