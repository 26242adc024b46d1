"""The decision log's cost per decision, in CPU time: what `clea serve` does after each evaluation (mask the facts
and the verdict, encode both, hash the facts, commit synced to disk), without HTTP around it, with 1, 8 and 32
requests writing at once.

    python -m bench.decision_log [--count 2000] [--writers 1,8,32] [--folder /tmp]

Typical dossiers are evaluated first (not timed); then `writers` tasks on one event loop each record one decision
at a time, as a request of `clea serve` does: awaiting the service's group commit (`engine/service/group_commit.py`:
the log's thread commits the requests waiting together in one transaction, then wakes the loop); the process's CPU
time (user + system: the SQLite work, the sync calls and the threads' hand-over count) is divided by the count. On a
tree without group commit (to compare with an older commit: run this file with that tree first on PYTHONPATH) each
request is its own transaction, as it was there.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.common import AS_OF, POLICIES, print_table
from bench.generate import dossiers
from bench.goals import goal


def _recorder(log, writer) -> Callable[[dict, tuple[str, ...]], Awaitable[None]]:
    try:
        from engine.service.group_commit import GroupCommit
    except ImportError:             # an older tree: one transaction per request, on the loop's thread
        async def alone(decision: dict, personal: tuple[str, ...]) -> None:
            log.record([decision], personal)
        return alone
    commit = GroupCommit(log, writer)
    return lambda decision, personal: commit.record([decision], personal)


def _run(decisions: list[dict], personal: tuple[str, ...], writers: int, folder: str) -> tuple[float, float, int]:
    """CPU and wall seconds per decision with ``writers`` requests in flight, and the transactions made."""
    from engine.service.decision_log import DecisionLog
    from engine.service.serial import SerialExecutor
    with tempfile.TemporaryDirectory(dir=folder) as directory:
        log = DecisionLog(Path(directory) / "decisions.sqlite3")
        commits = [0]
        execute = log._db.execute

        def counting(sql: str, *args: object):
            commits[0] += sql == "COMMIT"
            return execute(sql, *args)
        log._db = _Counting(log._db, counting)
        writer = SerialExecutor("bench-log")
        record = _recorder(log, writer)
        loop = asyncio.new_event_loop()

        async def requests(todo: list[dict]) -> None:
            pending = iter(todo)

            async def request() -> None:
                for decision in pending:     # one iterator shared: each decision recorded once
                    await record(decision, personal)
            await asyncio.gather(*(request() for _ in range(writers)))
        loop.run_until_complete(requests([{**decision, "decision_id": str(uuid.uuid4())} for decision in decisions[:20]]))
        commits[0] = 0
        todo = [{**decision, "decision_id": str(uuid.uuid4())} for decision in decisions]
        cpu, wall = time.process_time(), time.perf_counter()
        loop.run_until_complete(requests(todo))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        loop.close()
        writer.shutdown()
        log.close()
    return cpu / len(decisions), wall / len(decisions), commits[0]


class _Counting:
    """The log's connection, its execute counted (the COMMITs: the transactions made)."""

    def __init__(self, db, execute: Callable) -> None:
        self._db, self.execute = db, execute

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--writers", default="1,8,32", help="requests writing at once, comma-separated")
    parser.add_argument("--folder", default=None, help="where the SQLite file goes (default: a temporary folder)")
    args = parser.parse_args(argv)
    from engine import evaluate, load_policies
    from engine.service.decisions import personal_paths
    policies = load_policies(POLICIES)
    decisions = []
    for facts in dossiers(args.count, seed=5, size="typical"):
        verdict = evaluate(facts, AS_OF, policies=policies)
        if "politique" in verdict:
            decisions.append({"decision_id": "", "date_evaluation": verdict["date_evaluation"],
                              "politique": verdict["politique"], "faits": facts, "verdict": verdict,
                              "appelant": "bench", "adresse": "127.0.0.1"})
    personal = personal_paths(policies)
    rows = []
    for writers in (int(text) for text in args.writers.split(",")):
        cpu, wall, commits = _run(decisions, personal, writers, args.folder or tempfile.gettempdir())
        rows.append((str(writers), f"{cpu * 1e3:.3f} ms", f"{wall * 1e3:.3f} ms", f"{commits:,}"))
        goal(f"decision_log_{writers}", f"{cpu * 1e3:.3f} ms CPU", cpu * 1e3, 0.3)
    print_table(f"decision log, {len(decisions):,} typical decisions", rows,
                ("writing at once", "CPU per decision", "wall per decision", "transactions"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
