"""The policy set in service, and how it is replaced without stopping (POST /v1/policies/reload, SIGHUP).

A reload loads, validates and compiles the folder aside, on the engine thread; only a complete new set replaces
the old one, by one reference assignment. A request takes ``holder.current`` once when it starts and evaluates
on that object to the end, so in-flight requests finish on the version they started with. On any error the old
set keeps serving and the error is kept for ``/v1/health`` and returned to the caller.
Old rulesets stay registered in durable_rules (it cannot unregister one); their names carry the revision.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Issue, PolicyError
from .serial import SerialExecutor
from .timeutil import utc_now

logger = logging.getLogger("clea.service")


@dataclass
class ReloadStatus:
    """What the last reload did: when, and the problems that stopped it (empty when it succeeded)."""

    at: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"le": self.at, "reussi": not self.issues, "erreurs": [issue.as_dict() for issue in self.issues]}


class PolicyHolder:
    def __init__(self, directory: str | Path, *, loader, engine: SerialExecutor):
        self.directory = Path(directory)
        self._loader = loader
        self._engine = engine
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()
        self.last_reload = ReloadStatus()
        # start-up: a broken folder raises PolicyError to the caller, nothing is served
        self.current = engine.call_sync(loader, self.directory)

    async def reload(self):
        """Load the folder aside and swap it in; raise PolicyError (old set kept) if it is broken."""
        async with self._lock:
            try:
                fresh = await self._engine.call(self._loader, self.directory)
            except PolicyError as exc:
                self.last_reload = ReloadStatus(utc_now(), list(exc.issues))
                logger.error("policy reload failed, the previous policies keep serving:\n%s", exc)
                raise
            self.current = fresh
            self.last_reload = ReloadStatus(utc_now())
            logger.info("policies reloaded from %s: %s", self.directory,
                        ", ".join(f"{pid} {fresh.get(pid).revision}" for pid in fresh.ids()))
            return fresh

    def reload_in_background(self) -> None:
        """The SIGHUP handler: start a reload; its outcome goes to the log and to /v1/health."""
        task = asyncio.get_running_loop().create_task(self._reload_quietly())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reload_quietly(self) -> None:
        try:
            await self.reload()
        except PolicyError:
            pass  # already logged and kept in last_reload
        except Exception:  # noqa: BLE001 - a signal handler has no caller to raise to
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
