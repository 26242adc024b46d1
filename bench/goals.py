"""The figures of issue 22, each with its goal: every benchmark that measures one prints a `GOAL` line, and
`bench.run_all` gathers them into one table at the end (what, measured, goal, ratio to the goal)."""
from __future__ import annotations

import json

MARK = "GOAL\t"

# row key -> (what, goal as text); the order of the table
ROWS = {
    "verdict": ("typical verdict, validation included, one core (CPU, median / p99)", "≤ 0.5 ms / ≤ 1 ms"),
    "floor": ("the same, as a ratio to the hand-written floor in the same run", "≤ 4×"),
    "explain": ("with explain=True, to the verdict without", "≤ 1.3×"),
    "batch": ("1M mixed dossiers, evaluate-batch, 2 cores (wall; extrapolated from the run's count)", "≤ 300 s"),
    "memory": ("memory over the evaluations of one process (growth after warm-up)", "flat (≤ 20 MB)"),
    "impact": ("clea policy impact / one evaluate-batch of the same dossiers (wall)", "≤ 1.5×"),
    "http": ("HTTP POST /v1/evaluations with the decision log, --workers 2, 32 in flight", "≥ 1,000 req/s, p99 ≤ 20 ms"),
    "decision_log_1": ("decision log, CPU per decision, 1 request writing at a time", "≤ 0.3 ms"),
    "decision_log_8": ("the same, 8 requests writing at once (group commit)", "≤ 0.3 ms"),
    "decision_log_32": ("the same, 32 requests writing at once (group commit)", "≤ 0.3 ms"),
    "policy_load": ("policy load, cold process (CPU)", "≤ 0.3 s"),
}


def goal(key: str, measured: str, value: float | None, target: float | None) -> None:
    """Print one row for run_all: `value / target` is the ratio to the goal (≤ 1 is met; for a throughput the
    caller passes target / value, so that ≤ 1 is met there too). None: not measured (measured says why)."""
    ratio = value / target if value is not None and target else None
    print(MARK + json.dumps({"key": key, "measured": measured, "ratio": ratio}), flush=True)


def parse(line: str) -> dict | None:
    return json.loads(line[len(MARK):]) if line.startswith(MARK) else None


def table(rows: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    out = []
    for key, (what, target) in ROWS.items():
        row = rows.get(key)
        measured = row["measured"] if row else "not run"
        ratio = row["ratio"] if row else None
        shown = "—" if ratio is None else f"{ratio:.2f} ({'met' if ratio <= 1 else 'not met'})"
        out.append((what, measured, target, shown))
    return out
