"""`clea policy impact` against one `clea evaluate-batch` of the same dossiers: wall time, CPU time, the ratio.

    python -m bench.impact [--count 100000] [--size mixed] [--rounds 1] [--jobs N]

The change measured is the README's board change (the instruction fee becomes 350 € from 2027-01-01), made in a
copy of the project's policies; impact compares the project's policies with that copy, so every dossier is
evaluated twice (the two versions have different revisions). The dossiers are generated once into a cached JSON
lines file (bench/common.py), outside the timing; evaluate-batch writes its verdicts to a file, impact its report
(text) to a file. With --rounds N both runs alternate N times (the machine may be shared): each round is printed,
and the ratio of the fastest runs. Target (issue 12): impact ≤ 2.5 × evaluate-batch. Printed, never asserted.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.batch import _watch
from bench.common import AS_OF, POLICIES, ROOT, clea_command, dataset, print_table
from bench.goals import goal

FEE_LINE = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
NEW_FEE = ('      - depuis: 2027-01-01\n        valeur: "350.00"\n'
           '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026, délibération 7"}\n')


def changed_copy(folder: Path) -> Path:
    """The project's policies with the board's change, and the schemas they name, under folder."""
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    target = folder / "policies"
    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("tests"))
    parameters = target / "certifpro" / "parametres.yaml"
    text = parameters.read_text(encoding="utf-8")
    if text.count(FEE_LINE) != 1:
        raise SystemExit(f"cannot make the change: {FEE_LINE.strip()!r} is not once in {parameters}")
    parameters.write_text(text.replace(FEE_LINE, FEE_LINE + NEW_FEE), encoding="utf-8")
    return target


def timed(command: list[str], stdout) -> dict:
    """Run a command; its wall time, the CPU time of its process tree (sampled), its exit status and stderr."""
    peaks = {"sum": 0.0, "single": 0.0, "processes": 0, "cpu": {}}
    stop = threading.Event()
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    watcher = threading.Thread(target=_watch, args=(process.pid, stop, peaks), daemon=True)
    watcher.start()
    _, errors = process.communicate()
    wall = time.perf_counter() - began
    stop.set()
    watcher.join()
    return {"wall": wall, "cpu": sum(peaks["cpu"].values()), "parent_cpu": peaks["cpu"].get(process.pid, 0.0),
            "peak_mb": peaks["sum"], "status": process.returncode, "stderr": errors.strip()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", default="mixed")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="passed to --jobs of both (default: all cores)")
    args = parser.parse_args(argv)
    source = dataset(args.count, args.size)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    rows, best = [], {"batch": None, "impact": None}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        changed = changed_copy(folder)
        batch = [*clea_command(), "evaluate-batch", str(source), "--date", AS_OF, "--output",
                 str(folder / "verdicts.jsonl"), *jobs]
        impact = [*clea_command(), "policy", "impact", str(POLICIES), str(changed), "--dossiers", str(source),
                  "--date", AS_OF, *jobs]
        print(f"$ {' '.join(batch)}\n$ {' '.join(impact)} > report.txt")
        for round_number in range(1, args.rounds + 1):
            for name, command in (("batch", batch), ("impact", impact)):
                with open(folder / "report.txt", "w", encoding="utf-8") as report:
                    run = timed(command, report if name == "impact" else subprocess.DEVNULL)
                if run["status"] != 0:
                    print(f"{name}: exit status {run['status']}\n{run['stderr']}", file=sys.stderr)
                    return 1
                if best[name] is None or run["wall"] < best[name]["wall"]:
                    best[name] = run
                rows.append((round_number, "evaluate-batch" if name == "batch" else "policy impact",
                             f"{run['wall']:.1f} s", f"{args.count / run['wall']:,.0f}/s", f"{run['cpu']:.1f} s",
                             f"{run['parent_cpu']:.1f} s", f"{run['peak_mb']:.0f} MB"))
        summary = (folder / "report.txt").read_text(encoding="utf-8").split("\n\nImpact de ")[-1].splitlines()
    print_table(f"{args.count:,} {args.size} dossiers, as of {AS_OF}", rows,
                ("round", "command", "wall", "dossiers/s", "CPU, all processes", "CPU, parent", "peak RSS (sum)"))
    ratio = best["impact"]["wall"] / best["batch"]["wall"]
    print(f"\nimpact / evaluate-batch (fastest runs): {ratio:.2f}× wall time, "
          f"{best['impact']['cpu'] / best['batch']['cpu']:.2f}× CPU time (target: ≤ 2.5× wall time)")
    print("impact's summary: Impact de " + "\n".join(summary))
    goal("impact", f"{ratio:.2f}× wall, {best['impact']['cpu'] / best['batch']['cpu']:.2f}× CPU", ratio, 1.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
