"""Every benchmark, one after the other, printing figures (never asserting them).

    python -m bench.run_all            # full: 100,000-dossier batch and memory runs (several minutes on 2 cores)
    python -m bench.run_all --quick    # smaller counts, to check that everything runs (about a minute)
    python -m bench.run_all --only inprocess,policy_load

Run from the repository root with the project's virtualenv (.venv/bin/python -m bench.run_all).
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys

from bench.common import ROOT, print_table
from bench.goals import parse, table

FULL = {
    "policy_load": ["--runs", "5"],
    "floor_ratio": ["--count", "200", "--rounds", "15"],
    "inprocess": ["--count", "2000"],
    "cores": ["--seconds", "5", "--rounds", "3"],
    "sampled_phases": ["--seconds", "12"],
    "memory": ["--count", "100000"],
    "batch": ["--count", "100000"],
    # the fastest of two interleaved runs of each command: a shared VM moved impact's wall time by ±20 % between runs
    "impact": ["--count", "50000", "--rounds", "2"],
    "http_load": ["--requests", "3000", "--concurrency", "1,4,32", "--workers", "1,2", "--rounds", "3"],
    "decision_log": ["--count", "2000"],
    "pages": ["--requests", "200"],
}
OPTIONAL = {"sampled_phases": "py-spy is not installed"}   # status 2: a tool it needs is missing
QUICK = {
    "policy_load": ["--runs", "2"],
    "floor_ratio": ["--count", "50", "--rounds", "3"],
    "inprocess": ["--count", "300"],
    "cores": ["--seconds", "1", "--rounds", "1"],
    "sampled_phases": ["--seconds", "3"],
    "memory": ["--count", "5000"],
    "batch": ["--count", "2000"],
    "impact": ["--count", "2000"],
    "http_load": ["--requests", "300", "--concurrency", "1,32", "--workers", "1,2"],
    "decision_log": ["--count", "200"],
    "pages": ["--requests", "20"],
}


def describe_machine() -> str:
    try:
        with open("/proc/cpuinfo", encoding="ascii") as cpus:
            model = next(line.split(":", 1)[1].strip() for line in cpus if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    commit = commit or os.environ.get("CLEA_BENCH_COMMIT", "?")   # a snapshot without .git can say which commit
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}, commit {commit or '?'}")


def _run(name: str, arguments: list[str], goals: dict[str, dict]) -> int:
    """One benchmark in its own process, its output shown as it comes; its GOAL lines kept for the final table."""
    process = subprocess.Popen([sys.executable, "-m", f"bench.{name}", *arguments], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None
    for line in process.stdout:
        row = parse(line)
        if row is None:
            print(line, end="", flush=True)
        else:
            goals[row["key"]] = row
    return process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(FULL)}")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    names = args.only.split(",") if args.only else list(plan)
    unknown = [name for name in names if name not in plan]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    print(f"# clea-rules benchmarks ({'quick' if args.quick else 'full'})\n{describe_machine()}")
    failed = []
    goals: dict[str, dict] = {}
    for name in names:
        print(f"\n# python -m bench.{name} {' '.join(plan[name])}", flush=True)
        # each in its own process: the memory figures must not include another benchmark's state
        status = _run(name, plan[name], goals)
        if status == 2 and name in OPTIONAL:
            print(f"(skipped: {OPTIONAL[name]})")
        elif status:
            failed.append(name)
    print_table(f"the goals of issue 22 ({describe_machine()})", table(goals),
                ("what", "measured", "goal", "ratio to the goal"))
    if failed:
        print(f"\nfailed to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
