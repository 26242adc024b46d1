"""Resident memory over many evaluations in one process: is it flat?

    python -m bench.memory [--count 100000] [--pool 1000] [--size mixed]

Evaluates `count` dossiers, cycling over a pool of distinct generated ones, and prints resident memory (RSS) after
a warm-up and at checkpoints. Growth is measured from the end of the warm-up (first 1,000 evaluations), when caches
and first-use allocations are in place.
"""
from __future__ import annotations

import argparse
import gc
import time

from bench.common import AS_OF, POLICIES, print_table, rss_mb
from bench.generate import dossiers
from bench.goals import goal

WARM_UP = 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=1000, help="distinct dossiers cycled over (default 1000)")
    parser.add_argument("--size", default="mixed")
    args = parser.parse_args(argv)

    from engine import evaluate, load_policies

    start_rss = rss_mb()
    policies = load_policies(POLICIES)
    facts = list(dossiers(args.pool, seed=3, size=args.size))
    loaded_rss = rss_mb()
    checkpoints = sorted({WARM_UP, *(args.count * step // 10 for step in range(1, 11))})
    rows = [("start (engine imported)", "", f"{start_rss:.1f}"), ("policies loaded, pool generated", "", f"{loaded_rss:.1f}")]
    warm_rss = None
    started = time.perf_counter()
    done = 0
    for target in checkpoints:
        while done < target:
            evaluate(facts[done % len(facts)], AS_OF, policies=policies)
            done += 1
        gc.collect()
        now = rss_mb()
        if target == WARM_UP:
            warm_rss = now
        rows.append((f"after {done:,} evaluations", f"{time.perf_counter() - started:.0f}", f"{now:.1f}"))
    print_table(f"memory over {args.count:,} evaluations in one process ({args.size} dossiers, pool {args.pool})",
                rows, ("when", "elapsed s", "RSS MB"))
    final = rss_mb()
    print(f"\ngrowth after warm-up ({WARM_UP:,} → {args.count:,} evaluations): {final - (warm_rss or final):+.1f} MB; "
          f"since policies loaded: {final - loaded_rss:+.1f} MB")
    growth = final - (warm_rss or final)
    goal("memory", f"{growth:+.1f} MB ({final:.1f} MB RSS after {args.count:,})", max(growth, 0.0), 20.0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
