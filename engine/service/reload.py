"""The policy set in service, and how it is replaced without stopping (POST /v1/policies/reload, SIGHUP).

A reload reads and checks the folder aside, on a thread of its own and within RELOAD_TIMEOUT, comparing it with the
set in service (a dated value rewritten — changed, withdrawn, slipped in before another, or new and dated in the past
without saying so — is refused like a broken file), then compiles it on the engine thread; only a complete new set
replaces the old one, by one reference assignment. A request
takes ``holder.current`` once when it starts and evaluates on that object to the end, so in-flight requests
finish on the version they started with. On any error the old set keeps serving and the error is kept for
``/v1/health`` (degraded until a reload succeeds) and returned to the caller. A read that never ends (it should not: policy files are regular files
of bounded size) is given up at the timeout and never blocks the engine; while it lingers, no other reload starts.
Old rulesets stay registered in durable_rules (it cannot unregister one); their names carry the revision.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Issue, PolicyError
from ..limits import RELOAD_TIMEOUT
from .serial import SerialExecutor
from .timeutil import utc_now

logger = logging.getLogger("clea.service")

TIMED_OUT = "reading the policy folder took more than {seconds:g} s: reload given up"
STILL_STUCK = "a previous reload is still reading the policy folder (since {since}): try again later"


class ReloadUnavailable(Exception):
    """The reload could not be made (timed out, or a previous one is stuck): the old set keeps serving."""


@dataclass
class ReloadStatus:
    """What the last reload did: when, and the problems that stopped it (empty when it succeeded)."""

    at: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.issues)

    def as_dict(self) -> dict:
        return {"le": self.at, "reussi": not self.issues, "erreurs": [issue.as_dict() for issue in self.issues]}


def _on_own_thread(fn, *args) -> Future:
    """fn(*args) on a daemon thread of its own: a call that never returns is abandoned, never waited for."""
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            future.set_exception(exc)

    threading.Thread(target=work, name="clea-reload", daemon=True).start()
    return future


class PolicyHolder:
    def __init__(self, directory: str | Path, *, load, compile, engine: SerialExecutor,
                 timeout: float = RELOAD_TIMEOUT):
        self.directory = Path(directory)
        self._load = load                # (folder, set in service or None) -> PolicySet (reads and checks; any thread)
        self._compile = compile          # PolicySet -> PolicySet (compiles; the engine thread)
        self._engine = engine
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()
        self._reading: Future | None = None
        self.reading_since: str | None = None
        self.last_reload = ReloadStatus()
        self.on_reload: Callable[[], None] = lambda: None      # told after every reload, succeeded or not
        # start-up: a broken folder raises PolicyError to the caller, nothing is served
        self.current = engine.call_sync(compile, load(self.directory))

    async def reload(self):
        """Load the folder aside and swap it in; raise PolicyError or ReloadUnavailable (old set kept)."""
        async with self._lock:
            if self._reading is not None and not self._reading.done():
                raise ReloadUnavailable(STILL_STUCK.format(since=self.reading_since))
            self._reading = _on_own_thread(self._load, self.directory, self.current)
            self.reading_since = utc_now()
            try:
                loaded = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._reading)), self._timeout)
                fresh = await self._engine.call(self._compile, loaded)
            except PolicyError as exc:
                self._failed(list(exc.issues), f"policy reload failed, the previous policies keep serving:\n{exc}")
                raise
            except TimeoutError:
                message = TIMED_OUT.format(seconds=self._timeout)
                self._failed([Issue("", message, str(self.directory))], f"policy reload: {message}")
                raise ReloadUnavailable(message) from None
            except Exception as exc:    # an error of the engine itself (500): a failed reload all the same
                self._failed([Issue("", f"erreur inattendue : {type(exc).__name__}: {exc}", str(self.directory))],
                             f"policy reload failed unexpectedly, the previous policies keep serving: {exc!r}")
                raise
            finally:
                if self._reading.done():
                    self.reading_since = None
            self.current = fresh
            self.last_reload = ReloadStatus(utc_now())
            self.on_reload()
            logger.info("policies reloaded from %s: %s", self.directory,
                        ", ".join(f"{pid} {fresh.get(pid).revision}" for pid in fresh.ids()))
            return fresh

    def _failed(self, issues: list[Issue], message: str) -> None:
        self.last_reload = ReloadStatus(utc_now(), issues)
        logger.error("%s", message)
        self.on_reload()

    def reading_for(self) -> str | None:
        """When the reload still reading the folder started (None when none is)."""
        return self.reading_since if self._reading is not None and not self._reading.done() else None

    def reload_in_background(self) -> None:
        """The SIGHUP handler: start a reload; its outcome goes to the log and to /v1/health."""
        task = asyncio.get_running_loop().create_task(self._reload_quietly())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reload_quietly(self) -> None:
        try:
            await self.reload()
        except (PolicyError, ReloadUnavailable):
            pass  # already logged and kept in last_reload
        except Exception:
            logger.exception("policy reload failed unexpectedly, the previous policies keep serving")

    def install_sighup(self) -> bool:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.reload_in_background)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            return False  # no SIGHUP on this platform, or not the main thread
        return True

    def remove_sighup(self) -> None:
        try:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            pass
