"""One dedicated thread per resource, awaitable from the event loop.

durable_rules' C core is not thread safe and never releases the GIL (see shared/notes/durable-rules.md), so
every call into the engine (loading, compiling, evaluating) goes through one :class:`SerialExecutor`: calls run
one at a time, in arrival order, while the event loop keeps accepting requests. The decision log has its own,
so a commit's fsync overlaps the next evaluation. A process scales no further: run several processes.
"""
from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor


class SerialExecutor:
    def __init__(self, name: str):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def call(self, fn, /, *args, **kwargs):
        """Run ``fn`` on the thread, after every call submitted before it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def call_sync(self, fn, /, *args, **kwargs):
        """The same, from code that is not in the event loop (start-up)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
