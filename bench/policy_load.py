"""Policy load and compile time, in fresh processes: import of the engine, then `load_policies` (YAML, schema and
semantic checks, calendars, durable_rules ruleset compilation), then the first evaluation.

    python -m bench.policy_load [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from bench.common import AS_OF, POLICIES, ROOT, print_table
from bench.goals import goal

PROBE = r"""
import json, sys, time
started = time.perf_counter()
import engine
imported = time.perf_counter()
cpu = time.process_time()
policies = engine.load_policies(sys.argv[1])
loaded = time.perf_counter()
load_cpu = time.process_time() - cpu
again = engine.load_policies(sys.argv[1])
reloaded = time.perf_counter()
sys.path.insert(0, sys.argv[3])
from bench.generate import dossier
facts = dossier(1, 0, "typical")
begin = time.perf_counter()
engine.evaluate(facts, sys.argv[2], policies=policies)
first = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported, "reload": reloaded - loaded,
                  "first_evaluation": first - begin, "load_cpu": load_cpu}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        completed = subprocess.run([sys.executable, "-c", PROBE, str(POLICIES), AS_OF, str(ROOT)],
                                   capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            return 1
        runs.append(json.loads(completed.stdout))
    rows = []
    for key, label in [("import", "import engine"), ("load", "load_policies (first, cold)"),
                       ("load_cpu", "load_policies (first, cold), CPU"),
                       ("reload", "load_policies (again, same process)"), ("first_evaluation", "first evaluate")]:
        values = [run[key] * 1e3 for run in runs]
        rows.append((label, f"{statistics.median(values):.0f}", f"{min(values):.0f}", f"{max(values):.0f}"))
    print_table(f"policy load and compile, {args.runs} fresh processes", rows, ("step", "median ms", "min", "max"))
    cpu = statistics.median(run["load_cpu"] for run in runs)
    goal("policy_load", f"{cpu:.3f} s CPU (median of {args.runs})", cpu, 0.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
