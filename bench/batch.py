"""`clea evaluate-batch` on many generated dossiers: wall time and peak memory of the whole process tree.

    python -m bench.batch [--count 100000] [--size mixed] [--jobs N]

The dossiers are generated once into a cached JSON lines file (see bench/common.py: CACHE), outside the timing.
Peak memory is sampled every 50 ms as the sum of the resident memory of `clea` and its worker processes, and as
the largest single process (the kernel's high-water mark, which sampling cannot miss). CPU time per process is
sampled too: on a shared machine, wall time well above (worker CPU time / jobs) means other load competed.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import AS_OF, clea_command, cpu_seconds, dataset, peak_rss_mb, print_table, process_tree, rss_mb
from bench.goals import goal


def _watch(pid: int, stop: threading.Event, peaks: dict) -> None:
    while not stop.is_set():
        tree = process_tree(pid)
        for member in tree:
            seconds = cpu_seconds(member)
            if seconds:
                peaks["cpu"][member] = seconds
        peaks["sum"] = max(peaks["sum"], sum(rss_mb(member) for member in tree))
        for member in tree:
            peaks["single"] = max(peaks["single"], peak_rss_mb(member))
        peaks["processes"] = max(peaks["processes"], len(tree))
        stop.wait(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", default="mixed")
    parser.add_argument("--jobs", type=int, default=None, help="passed to --jobs (default: clea's, all cores)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    source = dataset(args.count, args.size)
    prepared = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "verdicts.jsonl"
        command = [*clea_command(), "evaluate-batch", str(source), "--date", AS_OF, "--output", str(output)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        peaks = {"sum": 0.0, "single": 0.0, "processes": 0, "cpu": {}}
        stop = threading.Event()
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        watcher = threading.Thread(target=_watch, args=(process.pid, stop, peaks), daemon=True)
        watcher.start()
        _, errors = process.communicate()
        wall = time.perf_counter() - began
        stop.set()
        watcher.join()
        lines, size_mb = 0, 0.0
        if output.exists():
            with open(output, "rb") as written:
                lines = sum(1 for _ in written)
            size_mb = output.stat().st_size / 1e6
    print(f"$ {' '.join(command)}\n{errors.strip()}")
    if process.returncode != 0:
        print(f"exit status {process.returncode}", file=sys.stderr)
        return 1
    parent_cpu = peaks["cpu"].get(process.pid, 0.0)
    workers_cpu = sum(seconds for pid, seconds in peaks["cpu"].items() if pid != process.pid)
    workers = sum(1 for pid, seconds in peaks["cpu"].items() if pid != process.pid and seconds > 0.1)
    rows = [
        ("dossiers", (f"{args.count:,} ({args.size}; input {source.stat().st_size / 1e6:.0f} MB, "
                      f"generated or cached in {prepared:.1f} s)")),
        ("wall time", f"{wall:.1f} s"),
        ("throughput", f"{args.count / wall:,.0f} dossiers/s"),
        ("CPU time (sampled)", f"parent {parent_cpu:.1f} s, workers {workers_cpu:.1f} s over {workers} processes"
                               + ("; wall time well above (parent + workers) / cores: other load competed"
                                  if wall > 10 and wall > 1.2 * (parent_cpu + workers_cpu) / (os.cpu_count() or 1) else "")),
        ("peak RSS, all processes (sampled)", f"{peaks['sum']:.0f} MB over {peaks['processes']} processes"),
        ("peak RSS, largest process", f"{peaks['single']:.0f} MB"),
        ("output", f"{lines:,} lines, {size_mb:.0f} MB"),
    ]
    print_table("clea evaluate-batch", rows, ("measure", "value"))
    # on a shared machine the wall time measures the others too: the CPU time over the cores is the quiet estimate
    million = wall * 1_000_000 / args.count
    quiet = (parent_cpu + workers_cpu) / (os.cpu_count() or 1) * 1_000_000 / args.count
    goal("batch", f"{quiet:,.0f} s for 1M from the CPU time over {os.cpu_count()} cores ({million:,.0f} s from the "
         f"wall time of {wall:.1f} s for {args.count:,})", quiet, 300.0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
