"""Where one evaluation's time goes, by sampling (py-spy) rather than by cProfile, which inflates call-heavy Python.

    .venv/bin/pip install py-spy          # not a project dependency
    .venv/bin/python -m bench.sampled_phases [--size typical] [--seconds 12] [--top 20]

Runs evaluations of generated dossiers in a child process for `--seconds` under `py-spy record`, then charges each
sample to the phase of the deepest engine frame on its stack (input validation, rule matching, date computation,
dossier checks, the rest of evaluate) and lists the deepest engine lines that cost the most.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import AS_OF, POLICIES, ROOT, print_table

PHASES = [
    ("validation", ("engine/evaluation/facts.py", "engine/formats.py")),
    ("rule matching", ("engine/evaluation/session.py",)),
    ("dates", ("engine/calendar/", "engine/policy/parameters.py")),
    ("dossier checks", ("engine/evaluation/dossier.py", "engine/policy/conditions/")),
]
OTHER = "other (evaluate, status, verdict assembly)"
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*):(?P<line>\d+)\)$")

LOOP = r"""
import sys, time
from engine import evaluate, load_policies
from bench.generate import dossiers
policies = load_policies(sys.argv[1])
facts = list(dossiers(2000, seed=7, size=sys.argv[2]))
for document in facts[:200]:
    evaluate(document, sys.argv[3], policies=policies)
end, done = time.monotonic() + float(sys.argv[4]), 0
while time.monotonic() < end:
    evaluate(facts[done % len(facts)], sys.argv[3], policies=policies)
    done += 1
print(done)
"""


def find_py_spy(given: str | None) -> str | None:
    candidates = [given] if given else [str(Path(sys.executable).parent / "py-spy"), shutil.which("py-spy")]
    return next((c for c in candidates if c and os.path.exists(c)), None)


def engine_frame(frame: str) -> tuple[str, str] | None:
    """(file relative to the project, 'function:line') if the frame is in engine/."""
    match = _FRAME.match(frame)
    if not match:
        return None
    where = "/" + match["file"]             # py-spy gives paths relative to the working folder when it can
    if "/engine/" not in where:
        return None
    relative = "engine/" + where.rsplit("/engine/", 1)[1]
    return relative, f"{match['function']} ({relative}:{match['line']})"


def phase_of(relative: str) -> str:
    return next((name for name, prefixes in PHASES if relative.startswith(prefixes)), OTHER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="typical")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rate", type=int, default=500, help="samples per second (default 500)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--py-spy", dest="py_spy", help="path of the py-spy binary (default: beside python, or PATH)")
    args = parser.parse_args(argv)
    py_spy = find_py_spy(args.py_spy)
    if py_spy is None:
        print("bench.sampled_phases needs py-spy: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "samples.txt"
        command = [py_spy, "record", "--rate", str(args.rate), "--format", "raw", "--output", str(raw),
                   "--", sys.executable, "-c", LOOP, str(POLICIES), args.size, AS_OF, str(args.seconds)]
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                                   env={**os.environ, "PYTHONPATH": os.pathsep.join(
                                       filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
        if completed.returncode != 0 or not raw.exists():
            print(f"py-spy failed (status {completed.returncode}):\n{completed.stderr}", file=sys.stderr)
            return 1
        counts = [line for line in completed.stdout.splitlines() if line.strip().isdigit()]   # py-spy talks too
        evaluations = int(counts[-1]) if counts else 0
        phases: collections.Counter = collections.Counter()
        lines: collections.Counter = collections.Counter()
        total = 0
        for row in raw.read_text(encoding="utf-8").splitlines():
            stack, _, count = row.rpartition(" ")
            frames = stack.split(";")
            if not any(frame.startswith("evaluate (") and "engine/evaluation/evaluate.py" in frame for frame in frames):
                continue          # start-up, dossier generation, warm-up bookkeeping
            deepest = next((found for frame in reversed(frames) if (found := engine_frame(frame))), None)
            if deepest is None:
                continue
            total += int(count)
            phases[phase_of(deepest[0])] += int(count)
            lines[deepest[1]] += int(count)
    if not total:
        print("no samples inside evaluate", file=sys.stderr)
        return 1
    rows = [(name, f"{phases.get(name, 0) / total:.0%}") for name, _ in PHASES] + [(OTHER, f"{phases[OTHER] / total:.0%}")]
    print_table(f"share of evaluate's time by sampling ({args.size}, {evaluations:,} evaluations, {total:,} samples; "
                "C calls charged to the engine line that made them)", rows, ("phase", "share"))
    print_table("deepest engine lines", [(f"{count / total:.1%}", where) for where, count in lines.most_common(args.top)],
                ("share", "where"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
