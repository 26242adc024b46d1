"""python -m fuzz [--examples N] [-k EXPR]: the fuzz suite of tests/fuzz, long.

CI runs the same properties with a few dozen fixed examples each (profile `ci`); this runs them with N new
examples each (profile `long`, default 3,000) and prints what it did. It finds a traceback, a 5xx or a hang, or
it ends with "N passed": nothing else is asserted. Hypothesis prints a failing example, shrunk, to reproduce it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n\n")[1])
    parser.add_argument("--examples", type=int, default=3000, help="examples per property (default: 3000)")
    parser.add_argument("-k", dest="select", help="only the properties whose name matches (pytest -k)")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "fuzz")]
    if args.select:
        command += ["-k", args.select]
    environment = {**os.environ, "CLEA_FUZZ": "long", "CLEA_FUZZ_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    status = subprocess.call(command, cwd=ROOT, env=environment)
    print(f"fuzz: {args.examples} examples per property, {time.monotonic() - started:.0f} s, "
          f"{'no traceback, no 5xx, no hang' if status == 0 else 'FAILURES above'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
