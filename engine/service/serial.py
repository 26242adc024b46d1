"""One dedicated thread per resource, awaitable from the event loop.

durable_rules' C core is not thread safe and never releases the GIL (see shared/notes/durable-rules.md), so
every call into the engine (compiling, evaluating) goes through one :class:`SerialExecutor`: calls run one at a
time, in arrival order, while the event loop keeps accepting requests. The decision log has its own, so a
commit's fsync overlaps the next evaluation. A process scales no further: run several processes.

The thread is a daemon and shutting down never waits for a call stuck in it, so SIGTERM always ends the process.
The executor says how long its current call has been running: /v1/health reports a blocked engine instead of "ok".
"""
from __future__ import annotations

import asyncio
import queue
import threading
import time
from concurrent.futures import Future

_STOP = object()


class SerialExecutor:
    def __init__(self, name: str):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._started: float | None = None       # time.monotonic() when the current call started
        self._waiting = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            future, fn, args, kwargs = item
            with self._lock:
                self._waiting -= 1
                self._started = time.monotonic()
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        future.set_exception(exc)
            finally:
                with self._lock:
                    self._started = None

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        with self._lock:
            self._waiting += 1
        self._queue.put((future, fn, args, kwargs))
        return future

    async def call(self, fn, /, *args, **kwargs):
        """Run ``fn`` on the thread, after every call submitted before it."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

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
        return self._waiting

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop after the calls already queued, waiting at most ``timeout`` seconds (a stuck call is abandoned)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
