"""The serial threads of the service: a call awaited from the event loop gets its value or its error, a call whose
caller is gone is not run, an answer for a closed loop is dropped, posted work that fails is logged; the thread goes
on after each."""
from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from engine.service.serial import SerialExecutor


@pytest.fixture
def executor():
    serial = SerialExecutor("test-serial")
    yield serial
    serial.shutdown()


def _boom() -> None:
    raise ValueError("boom")


def _held(executor: SerialExecutor) -> threading.Event:
    """The executor's thread busy (its call started) until the event returned is set."""
    started, release = threading.Event(), threading.Event()
    executor.post(lambda: (started.set(), release.wait(30)))
    assert started.wait(10)
    return release


def test_an_awaited_call_gives_its_value_or_raises_its_error(executor):
    async def main():
        assert await executor.call(lambda a, b: a + b, 40, b=2) == 42
        with pytest.raises(ValueError, match="boom"):
            await executor.call(_boom)
        assert await executor.call(threading.current_thread) is not threading.current_thread()
    asyncio.run(main())


def test_a_call_whose_caller_was_cancelled_before_it_started_is_not_run(executor):
    held, ran = _held(executor), []

    async def main():
        gone = asyncio.create_task(executor.call(ran.append, "gone"))
        kept = asyncio.create_task(executor.call(ran.append, "kept"))
        await asyncio.sleep(0)           # both queued behind the held call
        assert executor.waiting == 2
        gone.cancel()
        held.set()
        await kept
        with pytest.raises(asyncio.CancelledError):
            await gone
    asyncio.run(main())
    assert ran == ["kept"]


def test_an_answer_for_a_closed_loop_is_dropped_and_the_thread_goes_on(executor):
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "late"

    async def main():
        asyncio.get_running_loop().create_task(executor.call(slow))
        while not started.is_set():
            await asyncio.sleep(0.001)
    asyncio.run(main())                  # returns with the call still running: its task cancelled, the loop closed
    release.set()
    assert executor.submit(lambda: "still serving").result(timeout=10) == "still serving"


def test_posted_work_that_fails_is_logged_and_the_thread_goes_on(executor, caplog):
    with caplog.at_level(logging.ERROR, logger="engine.service.serial"):
        executor.post(_boom)
        assert executor.submit(lambda: "after").result(timeout=10) == "after"
    assert [record.exc_info[0] for record in caplog.records] == [ValueError]


def test_waiting_counts_the_calls_queued_behind_the_current_one(executor):
    held = _held(executor)
    executor.post(time.sleep, 0)
    executor.post(time.sleep, 0)
    assert executor.waiting == 2 and executor.busy_for() > 0
    held.set()
    executor.call_sync(lambda: None)
    assert executor.waiting == 0 and executor.busy_for() == 0.0
