"""What the workers of one ``clea serve --workers N`` tell each other: a small shared state folder.

The parent (engine/service/supervisor.py) creates a private folder and names it to its workers in CLEA_WORKERS_STATE.
Each worker keeps one file there, ``worker-<pid>.json``, rewritten atomically (a temporary file renamed over it)
when it starts, after each reload (succeeded or not) and when the decision log fails or recovers: the revisions it
serves, its last reload, its log. Any worker's /v1/health reads every file, so it says which revision each worker
serves and whether they agree. A file whose process has died is removed by the next reader. A reload asked of
one worker over HTTP reaches the others through the parent: the worker names itself in ``reload-request`` and
sends SIGUSR1 to the parent, which sends SIGHUP to every other worker.

With one worker (no folder) the board holds this process's own state only.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

STATE_ENV = "CLEA_WORKERS_STATE"          # the folder, set by the parent for its workers
SUPERVISOR_ENV = "CLEA_SUPERVISOR_PID"    # the parent's pid
RELOAD_REQUEST = "reload-request"
# the signal a worker sends to its parent: "I have reloaded, reload the others"
RELOAD_OTHERS = signal.SIGUSR1


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting for its parent to collect it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old content or the new one, never half of it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class WorkerBoard:
    """This worker's state, published for its peers, and theirs, read back."""

    def __init__(self, folder: Path | None = None, supervisor: int | None = None) -> None:
        self.folder = folder
        self.supervisor = supervisor
        self.pid = os.getpid()
        self._own: dict = {}

    @classmethod
    def from_env(cls, env=None) -> WorkerBoard:
        env = os.environ if env is None else env
        folder = env.get(STATE_ENV)
        supervisor = env.get(SUPERVISOR_ENV)
        return cls(Path(folder) if folder else None, int(supervisor) if supervisor and supervisor.isdigit() else None)

    @property
    def shared(self) -> bool:
        return self.folder is not None

    def _file(self, pid: int) -> Path:
        assert self.folder is not None
        return self.folder / f"worker-{pid}.json"

    def publish(self, state: dict) -> None:
        """Replace this worker's published state (never raises: a state that cannot be written is only missing)."""
        self._own = {"pid": self.pid, **state}
        if self.folder is not None:
            try:
                write_atomically(self._file(self.pid), json.dumps(self._own, ensure_ascii=False))
            except OSError:
                pass

    def withdraw(self) -> None:
        if self.folder is not None:
            self._file(self.pid).unlink(missing_ok=True)

    def entries(self) -> list[dict]:
        """Every live worker's state, ordered by pid (this one's as it is now, even if its file is missing)."""
        found = {self.pid: self._own} if self._own else {}
        if self.folder is not None:
            for path in self.folder.glob("worker-*.json"):
                pid_text = path.stem.removeprefix("worker-")
                if not pid_text.isdigit() or int(pid_text) == self.pid:
                    continue
                if not _alive(int(pid_text)):
                    path.unlink(missing_ok=True)
                    continue
                try:
                    found[int(pid_text)] = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue        # removed or replaced while we read: the next reading sees it
        return [found[pid] for pid in sorted(found)]

    def reload_others(self) -> bool:
        """Ask the parent to reload every other worker; False when there is none to ask."""
        if self.folder is None or self.supervisor is None or self.supervisor != os.getppid():
            return False
        try:
            write_atomically(self.folder / RELOAD_REQUEST, str(self.pid))
            os.kill(self.supervisor, RELOAD_OTHERS)
        except OSError:
            return False
        return True

    async def wait_for_peers(self, since: str, timeout: float,
                             reloaded: Callable[[dict, str], bool]) -> list[dict]:
        """The workers' states once each has reloaded since ``since`` (or once ``timeout`` seconds have passed)."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.entries()
            if all(reloaded(entry, since) for entry in entries) or time.monotonic() > deadline:
                return entries
            await asyncio.sleep(0.05)


def requester(folder: Path) -> int | None:
    """The worker that asked the others to reload (read by the parent)."""
    try:
        text = (folder / RELOAD_REQUEST).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
