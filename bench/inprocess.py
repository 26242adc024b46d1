"""In-process speed on one core: evaluations per second, median and p99 latency per dossier size, and where the
time goes (input validation, rule matching, date computation, the rest), measured with cProfile.

    python -m bench.inprocess [--count 2000] [--sizes small,typical,large] [--no-profile]

Latency is wall time of `evaluate(facts, as_of, policies=...)` (input validation included, JSON parsing not: the
API takes a dict). The shares come from a separate cProfile run (which slows everything down by a similar factor):
own time of each function, grouped by the module it lives in; time in C builtins (durable_rules' engine, json,
re...) is charged to the group of the Python function that called it.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time

from bench.common import AS_OF, POLICIES, print_table, summary_ms
from bench.generate import dossiers

# module path fragments -> phase (first match wins)
PHASES = [
    ("validation", ("/engine/evaluation/facts.py", "/engine/formats.py", "/jsonschema/", "/referencing/", "/rpds/",
                    "/jsonschema_specifications/", "stdnum", "/fastjsonschema/", "<string>:")),  # <string>: compiled
    ("rule matching", ("/engine/evaluation/session.py", "/durable/", "durable_rules_engine")),
    ("dates", ("/engine/calendar/", "/engine/policy/parameters.py")),
    ("dossier checks", ("/engine/evaluation/dossier.py", "/engine/policy/conditions/")),
]


OTHER = "other (evaluate, status, verdict assembly)"


def phase_of(function: tuple) -> str | None:
    filename, _, name = function
    where = f"{filename}:{name}"
    for phase, fragments in PHASES:
        if any(fragment in where for fragment in fragments):
            return phase
    if filename == "~":          # a C builtin: charged to its caller
        return None
    return OTHER


def time_shares(stats: pstats.Stats) -> dict[str, float]:
    shares: dict[str, float] = {}
    for function, (_, _, own, _, callers) in stats.stats.items():
        phase = phase_of(function)
        if phase is not None:
            shares[phase] = shares.get(phase, 0.0) + own
            continue
        caller_total = sum(value[2] for value in callers.values()) or 1.0
        for caller, value in callers.items():
            caller_phase = phase_of(caller) or OTHER
            shares[caller_phase] = shares.get(caller_phase, 0.0) + own * value[2] / caller_total
    total = sum(shares.values()) or 1.0
    return {phase: seconds / total for phase, seconds in shares.items()}


def top_functions(stats: pstats.Stats, count: int = 12) -> list[tuple]:
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:count]
    total = sum(value[2] for value in stats.stats.values()) or 1.0
    out = []
    for (filename, line, name), (_, calls, own, cumulative, _) in rows:
        short = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        out.append((f"{own / total:5.1%}", f"{cumulative / total:5.1%}", calls, f"{short}:{line}({name})"))
    return out


def measure(size: str, count: int, policies, evaluate) -> dict:
    facts = list(dossiers(count, seed=7, size=size))
    for document in facts[: min(200, count)]:          # warm-up: caches, first-use imports
        evaluate(document, AS_OF, policies=policies)
    latencies = []
    clock = time.perf_counter
    started = clock()
    for document in facts:
        begin = clock()
        evaluate(document, AS_OF, policies=policies)
        latencies.append(clock() - begin)
    elapsed = clock() - started
    events = sum(len(document["evenements"]) for document in facts) / count
    return {"size": size, "events": events, "per_second": count / elapsed, **summary_ms(latencies)}


def profile(size: str, count: int, policies, evaluate) -> pstats.Stats:
    facts = list(dossiers(count, seed=8, size=size))
    profiler = cProfile.Profile()
    profiler.enable()
    for document in facts:
        evaluate(document, AS_OF, policies=policies)
    profiler.disable()
    return pstats.Stats(profiler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="dossiers per size (default 2000)")
    parser.add_argument("--sizes", default="small,typical,large")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--top", type=int, default=0, help="also print the N most expensive functions per size")
    parser.add_argument("--explain", action="store_true",
                        help="evaluate with explain=True (each item's explication), to compare with the normal path")
    args = parser.parse_args(argv)

    from functools import partial

    from engine import evaluate, load_policies

    if args.explain:
        evaluate = partial(evaluate, explain=True)

    policies = load_policies(POLICIES)
    sizes = args.sizes.split(",")
    gc.collect()
    rows = []
    for size in sizes:
        result = measure(size, args.count, policies, evaluate)
        rows.append((size, f"{result['events']:.1f}", f"{result['per_second']:,.0f}", f"{result['median_ms']:.3f}",
                     f"{result['p99_ms']:.3f}", f"{result['mean_ms']:.3f}"))
    print_table(f"in-process, one core, as of {AS_OF}, {args.count} dossiers per size"
                + (", with explanations" if args.explain else ""), rows,
                ("size", "events", "evals/s", "median ms", "p99 ms", "mean ms"))

    if args.no_profile:
        return 0
    phases = [name for name, _ in PHASES] + [OTHER]
    share_rows = []
    for size in sizes:
        stats = profile(size, max(200, args.count // 4), policies, evaluate)
        shares = time_shares(stats)
        share_rows.append((size, *(f"{shares.get(phase, 0.0):.0%}" for phase in phases)))
        if args.top:
            print_table(f"top functions by own time ({size}; own, cumulative, calls)", top_functions(stats, args.top),
                        ("own", "cumul", "calls", "function"))
    print_table("share of time (cProfile, own time grouped by module)", share_rows, ("size", *phases))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
