"""Group commit: the decisions of concurrent requests committed together, in one transaction synced once.

A request hands its decisions to :meth:`GroupCommit.record` and waits. The log's thread takes every request waiting
at that moment, masks and encodes each one's decisions, and commits them all in one transaction; a request is
answered only once that commit has returned (durable: synced to disk, or flushed by PostgreSQL), so a server killed
at any moment has lost no answered decision. While one group is being synced the next requests gather behind it:
one request alone is committed at once (no waiting for company), thirty-two in flight share a few commits.

Each request's decisions stay whole or none: when a group's transaction fails (the size cap reached, the database
unreachable), each of its requests is tried again alone, so one request's failure is its own.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Protocol

from .serial import Answer, Awaited, SerialExecutor, Waited


class GroupLog(Protocol):
    def rows(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> list[tuple]: ...

    def write(self, groups: list[list[tuple]]) -> None: ...


_Waiting = tuple[list[dict], tuple[str, ...], Answer]


class GroupCommit:
    def __init__(self, log: GroupLog, writer: SerialExecutor) -> None:
        self._log = log
        self._writer = writer
        self._lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._scheduled = False          # a flush is queued on the writer and has not yet taken the waiting list

    def submit(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> Future[None]:
        """A future done once ``decisions`` are committed (or failed with DecisionLogError: none committed)."""
        future: Future[None] = Future()
        self._add(decisions, personal, Waited(future))
        return future

    async def record(self, decisions: list[dict], personal: tuple[str, ...] = ()) -> None:
        """Wait until ``decisions`` are durable in the log; raises DecisionLogError when they could not be."""
        answer = Awaited()
        self._add(decisions, personal, answer)
        await answer.future

    def _add(self, decisions: list[dict], personal: tuple[str, ...], answer: Answer) -> None:
        with self._lock:
            self._waiting.append((decisions, personal, answer))
            schedule, self._scheduled = not self._scheduled, True
        if schedule:
            self._writer.post(self._flush)

    def _flush(self) -> None:
        """On the log's thread: commit every request waiting now, together."""
        with self._lock:
            waiting, self._waiting, self._scheduled = self._waiting, [], False
        prepared: list[tuple[list[tuple], Answer]] = []
        for decisions, personal, answer in waiting:
            if not answer.wanted():
                continue                 # its request is gone: nothing to answer, nothing to log
            try:
                prepared.append((self._log.rows(decisions, personal), answer))
            except BaseException as exc:  # noqa: BLE001 - handed to the request that sent it
                answer.give(None, exc)
        if len(prepared) > 1 and self._together(prepared):
            return
        for rows, answer in prepared:
            try:
                self._log.write([rows])
            except BaseException as exc:  # noqa: BLE001 - handed to the request that sent it
                answer.give(None, exc)
            else:
                answer.give(None, None)

    def _together(self, prepared: list[tuple[list[tuple], Answer]]) -> bool:
        """Commit every request's rows in one transaction; False when it failed (then each is tried alone, so a
        request's failure stays its own)."""
        try:
            self._log.write([rows for rows, _ in prepared])
        except Exception:  # noqa: BLE001 - nothing committed: the requests are tried one by one
            return False
        for _, answer in prepared:
            answer.give(None, None)
        return True
