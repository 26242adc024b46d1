"""The engine against the hand-written floor (bench/floor.py), interleaved in one process, in thread CPU time.

    python -m bench.floor_ratio [--count 200] [--rounds 15]

Each round evaluates the same `count` typical dossiers with `evaluate` (validation included), with
`evaluate(..., explain=True)`, and computes them with the floor, each call timed alone; the figures are the median
and p99 over every call, and the ratios of the medians (engine / floor, explain / verdict). A loaded machine slows
the three alike, so the ratios stay readable when absolute times do not.
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from bench.common import AS_OF, POLICIES, percentile, print_table
from bench.floor import floor, working_days
from bench.generate import dossiers
from bench.goals import goal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    from engine import evaluate, load_policies
    policies = load_policies(POLICIES)
    days = working_days(policies.get("certifpro"))
    as_of = date.fromisoformat(AS_OF)
    batch = [facts for facts in dossiers(args.count, seed=7, size="typical") if facts.get("instance") == "certifpro"]
    for facts in batch[:20]:
        evaluate(facts, AS_OF, policies=policies)
        evaluate(facts, AS_OF, policies=policies, explain=True)
    clock = time.thread_time_ns
    times: dict[str, list[float]] = {"verdict": [], "explain": [], "floor": []}
    for _ in range(args.rounds):
        for facts in batch:
            start = clock()
            evaluate(facts, AS_OF, policies=policies)
            middle = clock()
            evaluate(facts, AS_OF, policies=policies, explain=True)
            end = clock()
            floor(facts, as_of, days)
            times["verdict"].append((middle - start) / 1e6)
            times["explain"].append((end - middle) / 1e6)
            times["floor"].append((clock() - end) / 1e6)
    medians = {name: statistics.median(values) for name, values in times.items()}
    rows = [(name, f"{medians[name]:.4f}", f"{percentile(values, 0.99):.4f}", f"{min(values):.4f}")
            for name, values in times.items()]
    print_table(f"typical dossiers, {len(batch)} a round, {args.rounds} rounds, thread CPU ms per call", rows,
                ("what", "median", "p99", "best"))
    ratio, explain = medians["verdict"] / medians["floor"], medians["explain"] / medians["verdict"]
    print(f"\nengine / floor: {ratio:.1f}×; explain / verdict: {explain:.2f}×")
    p99 = percentile(times["verdict"], 0.99)
    goal("verdict", f"{medians['verdict']:.3f} ms / {p99:.3f} ms", max(medians["verdict"] / 0.5, p99 / 1.0), 1.0)
    goal("floor", f"{ratio:.1f}× (floor {medians['floor'] * 1e3:.0f} µs)", ratio, 4.0)
    goal("explain", f"{explain:.2f}×", explain, 1.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
