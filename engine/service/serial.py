"""One dedicated thread per resource, awaitable from the event loop.

durable_rules' C core is not thread safe and never releases the GIL (see shared/notes/durable-rules.md), so
every call into the engine (compiling, evaluating) goes through one :class:`SerialExecutor`: calls run one at a
time, in arrival order, while the event loop keeps accepting requests. The decision log has its own, so a
commit's fsync overlaps the next evaluation. A process scales no further: run several processes.

A call awaited from the event loop is answered through the loop's own future, woken once by
``call_soon_threadsafe`` (`Awaited`): no thread-side future, condition or chained callbacks between them (through a
concurrent Future and ``asyncio.wrap_future`` a round trip from the loop and back cost about twice the CPU: see
bench/README.md, round 14).

The thread is a daemon and shutting down never waits for a call stuck in it, so SIGTERM always ends the process.
The executor says how long its current call has been running: /v1/health reports a blocked engine instead of "ok".
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from concurrent.futures import Future
from typing import Protocol

logger = logging.getLogger(__name__)
_STOP = object()


class Answer(Protocol):
    """Where the outcome of work done on another thread goes."""

    def wanted(self) -> bool:
        """False when whoever waits for it is gone (cancelled): the work is not done."""

    def give(self, value: object, error: BaseException | None) -> None:
        """The outcome: ``error`` when the work raised it, else ``value``."""


class Waited:
    """An answer for a thread that blocks on a concurrent Future (start-up, the thread pool, tests)."""

    __slots__ = ("future",)

    def __init__(self, future: Future) -> None:
        self.future = future

    def wanted(self) -> bool:
        return self.future.set_running_or_notify_cancel()

    def give(self, value: object, error: BaseException | None) -> None:
        _resolve(self.future, value, error)


class Awaited:
    """An answer for a coroutine awaiting ``future`` on the running event loop."""

    __slots__ = ("_loop", "future")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.future: asyncio.Future = self._loop.create_future()

    def wanted(self) -> bool:
        return not self.future.cancelled()     # a plain read: the loop may still cancel it after (as with wrap_future)

    def give(self, value: object, error: BaseException | None) -> None:
        try:
            self._loop.call_soon_threadsafe(_settle, self.future, value, error)
        except RuntimeError:         # the loop is closed: nobody is left to answer
            pass


def _settle(future: asyncio.Future, value: object, error: BaseException | None) -> None:
    if not future.done():            # done: cancelled meanwhile
        _resolve(future, value, error)


def _resolve(future: Future | asyncio.Future, value: object, error: BaseException | None) -> None:
    if error is None:
        future.set_result(value)
    else:
        future.set_exception(error)


class _Posted:
    """No one waits: what the work raises is logged (posted work answers its own callers)."""

    __slots__ = ()

    def wanted(self) -> bool:
        return True

    def give(self, value: object, error: BaseException | None) -> None:
        if error is not None:
            logger.error("work posted to a serial thread failed", exc_info=error)


_POSTED = _Posted()


class SerialExecutor:
    def __init__(self, name: str):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._started: float | None = None       # time.monotonic() when the current call started
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            answer, fn, args, kwargs = item
            self._started = time.monotonic()
            try:
                if answer.wanted():
                    try:
                        value = fn(*args, **kwargs)
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        answer.give(None, exc)
                    else:
                        answer.give(value, None)
            finally:
                self._started = None

    def _run(self, answer: Answer, fn, /, *args, **kwargs) -> None:
        """Run ``fn`` on the thread after every call submitted before it; its outcome goes to ``answer``."""
        self._queue.put((answer, fn, args, kwargs))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        self._run(Waited(future), fn, *args, **kwargs)
        return future

    def post(self, fn, /, *args, **kwargs) -> None:
        """Run ``fn`` on the thread, nobody waiting (what it raises is logged)."""
        self._run(_POSTED, fn, *args, **kwargs)

    async def call(self, fn, /, *args, **kwargs):
        """Run ``fn`` on the thread, after every call submitted before it."""
        answer = Awaited()
        self._run(answer, fn, *args, **kwargs)
        return await answer.future

    def call_sync(self, fn, /, *args, **kwargs):
        """The same, from code that is not in the event loop (start-up)."""
        return self.submit(fn, *args, **kwargs).result()

    def busy_for(self) -> float:
        """Seconds the current call has been running (0.0 when idle)."""
        started = self._started
        return 0.0 if started is None else time.monotonic() - started

    @property
    def waiting(self) -> int:
        """Calls queued behind the current one."""
        return self._queue.qsize()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop after the calls already queued, waiting at most ``timeout`` seconds (a stuck call is abandoned)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
