"""The lines of engine/ no test reaches, from a coverage.py JSON report, as the Markdown list tests/UNREACHED.md keeps.

    .venv/bin/pytest --cov --cov-report=json:/tmp/coverage.json && .venv/bin/python -m bench.unreached /tmp/coverage.json

Prints one line per module with its branch coverage and the unreached line ranges (and the branches never taken,
as `line->line`), the modules fully covered left out; the review of each (why it is unreached, whether a test
should reach it) is written by hand under the list.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _ranges(lines: list[int]) -> str:
    out: list[str] = []
    start = previous = None
    for line in sorted(lines):
        if previous is not None and line == previous + 1:
            previous = line
            continue
        if start is not None:
            out.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = line
    if start is not None:
        out.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(out)


def main(argv: list[str] | None = None) -> int:
    report = json.loads(Path((argv or sys.argv[1:])[0]).read_text())
    totals = report["totals"]
    print(f"Branch coverage of engine/: {totals['percent_covered']:.1f} % ({totals['covered_lines']} of "
          f"{totals['num_statements']} lines, {totals['covered_branches']} of {totals['num_branches']} branches)\n")
    print("| module | covered | lines never run | branches never taken |")
    print("|---|---|---|---|")
    for name, data in sorted(report["files"].items()):
        summary = data["summary"]
        missing, branches = data["missing_lines"], data.get("missing_branches", [])
        if not missing and not branches:
            continue
        taken = ", ".join(f"{a}->{b if b > 0 else 'exit'}" for a, b in branches[:12]) + (
            " …" if len(branches) > 12 else "")
        print(f"| {name} | {summary['percent_covered']:.0f} % | {_ranges(missing)} | {taken} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
