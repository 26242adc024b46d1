"""The decision log's cost per decision, in CPU time: what `clea serve` does after each evaluation (mask the facts
and the verdict, encode both, hash the facts, one SQLite transaction synced to disk), without HTTP around it.

    python -m bench.decision_log [--count 2000] [--folder /tmp]

Typical dossiers are evaluated first (not timed); then each decision is recorded alone, as a request does, and
the process's CPU time (user + system: the SQLite work and the sync calls count) is divided by the count.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import AS_OF, POLICIES, print_table
from bench.generate import dossiers
from bench.goals import goal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--folder", default=None, help="where the SQLite file goes (default: a temporary folder)")
    args = parser.parse_args(argv)
    from engine import evaluate, load_policies
    from engine.service.decision_log import DecisionLog
    from engine.service.decisions import personal_paths
    policies = load_policies(POLICIES)
    decisions = []
    for facts in dossiers(args.count, seed=5, size="typical"):
        verdict = evaluate(facts, AS_OF, policies=policies)
        if "politique" in verdict:
            decisions.append({"decision_id": str(uuid.uuid4()), "date_evaluation": verdict["date_evaluation"],
                              "politique": verdict["politique"], "faits": facts, "verdict": verdict,
                              "appelant": "bench", "adresse": "127.0.0.1"})
    personal = personal_paths(policies)
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        log = DecisionLog(Path(folder) / "decisions.sqlite3")
        for decision in decisions[:20]:
            log.record([{**decision, "decision_id": str(uuid.uuid4())}], personal)
        cpu, wall = time.process_time(), time.perf_counter()
        for decision in decisions:
            log.record([decision], personal)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        log.close()
    per = cpu / len(decisions) * 1e3
    print_table(f"decision log, {len(decisions):,} typical decisions, one transaction each", [
        ("CPU per decision", f"{per:.3f} ms"), ("wall per decision", f"{wall / len(decisions) * 1e3:.3f} ms")],
        ("measure", "value"))
    goal("decision_log", f"{per:.3f} ms CPU", per, 0.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
