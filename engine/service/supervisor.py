"""``clea serve --workers N``: N worker processes on one port, under uvicorn's own process manager.

uvicorn's Multiprocess binds the socket once and hands it to N spawned workers, replaces a worker that dies, and
on SIGTERM (or SIGINT) sends SIGTERM to every worker, which finishes its requests in flight, then exits. Two of its
signal handlers are replaced, nothing else: SIGHUP reloads the policies in every worker (uvicorn would restart
them, and a fresh process would skip the comparison of a reload with the policies in service), and SIGUSR1 (sent
by a worker that has just reloaded on POST /v1/policies/reload) reloads the others. Each worker builds the app
from the settings the parent passes in its environment and shares its state with the others
(engine/service/workers.py). The decision log is shared: a SQLite file in WAL mode (one host) or PostgreSQL.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from dataclasses import asdict, fields, replace
from pathlib import Path

from fastapi import FastAPI
from uvicorn import Config
from uvicorn.supervisors.multiprocess import Multiprocess

from .protocol import GuardedH11Protocol
from .settings import Settings
from .workers import STATE_ENV, SUPERVISOR_ENV, WorkerBoard, requester

SETTINGS_ENV = "CLEA_SERVE_SETTINGS"
APP = "engine.service.supervisor:worker_app"
PROTOCOL = "engine.service.supervisor:WorkerProtocol"
# uvicorn's default (5 s) would kill a worker that is only slow on a loaded machine; the engine's own "blocked" mark
WORKER_SILENT_AFTER = 30

logger = logging.getLogger("uvicorn.error")


def log_to_stderr() -> None:
    """The service's own messages (reloads, log failures), beside uvicorn's and in its format."""
    clea = logging.getLogger("clea")
    if not clea.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-9s %(message)s"))
        clea.addHandler(handler)
        clea.setLevel(logging.INFO)
        clea.propagate = False


# what only the environment sets (the tokens, the trusted proxies): each worker reads it there, as the parent did
FROM_ENV_ONLY = ("reload_token", "journal_token", "trusted_proxies")


def settings_text(settings: Settings) -> str:
    """The settings the options gave, for the workers' environment."""
    values = {key: (str(value) if isinstance(value, Path) else value)
              for key, value in asdict(settings).items() if key not in FROM_ENV_ONLY}
    return json.dumps(values)


def settings_from_text(text: str, env=None) -> Settings:
    values = json.loads(text)
    settings = Settings.from_env(env)
    settings = replace(Settings(), **{name: getattr(settings, name) for name in FROM_ENV_ONLY})
    for field in fields(Settings):
        if field.name in values:
            value = values[field.name]
            if field.name in ("policies_dir", "accounts_path", "proposals_path", "proposals_dossiers") and value is not None or (
                    field.name == "log_path" and not str(value).startswith("postgres")):
                value = Path(value)
            elif isinstance(value, list):
                value = tuple(value)
            settings = replace(settings, **{field.name: value})
    return settings


class WorkerProtocol(GuardedH11Protocol):
    """The guarded protocol of a worker (its head deadline is set by :func:`worker_app`)."""


def worker_app() -> FastAPI:
    """The app of one worker (uvicorn calls it in each spawned process)."""
    from .app import create_app

    signal.signal(signal.SIGHUP, signal.SIG_IGN)     # a reload sent while starting: this worker loads afresh
    log_to_stderr()
    settings = settings_from_text(os.environ[SETTINGS_ENV])
    WorkerProtocol.header_timeout = settings.header_timeout
    return create_app(settings, board=WorkerBoard.from_env())


class _Held(logging.Filter):
    """Holds back the records logged while it is on (uvicorn's "running on" line, which it logs before listening)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return False


class ListeningConfig(Config):
    """uvicorn's Config, whose socket (1) says it is TCP, so the workers' connections get TCP_NODELAY, and
    (2) listens before the line saying where it runs.

    (1) uvicorn creates it with protocol 0, connections accepted on it inherit that, and asyncio sets TCP_NODELAY
    only on a socket whose protocol is IPPROTO_TCP (uvicorn issue #3149): a response's second write then waited for
    the client's delayed acknowledgement, 40 ms on each request of a kept-alive connection. (2) uvicorn logs the
    line when binding: whoever read it (a test, a supervisor) was refused until the socket listened."""

    def bind_socket(self) -> socket.socket:
        held = _Held()
        logger.addFilter(held)
        try:
            sock = super().bind_socket()
        finally:
            logger.removeFilter(held)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        sock.listen(self.backlog)     # from now on connections wait for a worker instead of being refused
        for record in held.records:
            logger.handle(record)
        return sock


class ReloadingMultiprocess(Multiprocess):
    """uvicorn's process manager, where SIGHUP reloads the workers' policies instead of restarting them."""

    asked_to_stop = False

    def __init__(self, config: Config, sockets: list, state: Path) -> None:
        super().__init__(config, sockets)
        self.state = state

    def _signal_workers(self, signum: int, skip: int | None = None) -> None:
        for process in self.processes:
            if process.pid is not None and process.pid != skip and process.exitcode is None:
                try:
                    os.kill(process.pid, signum)
                except ProcessLookupError:
                    pass        # it died meanwhile: its replacement loads the policies afresh

    def handle_hup(self) -> None:
        logger.info("signal SIGHUP reçu : rechargement des politiques de chaque travailleur")
        self._signal_workers(signal.SIGHUP)

    def handle_usr1(self) -> None:
        asker = requester(self.state)
        logger.info("le travailleur [%s] a rechargé ses politiques : rechargement des autres travailleurs", asker)
        self._signal_workers(signal.SIGHUP, skip=asker)

    def handle_term(self) -> None:
        self.asked_to_stop = True
        super().handle_term()

    def handle_int(self) -> None:
        self.asked_to_stop = True
        super().handle_int()


def serve_workers(settings: Settings, workers: int, **options) -> int:
    """Run ``workers`` processes on one socket until SIGTERM; 0 when stopped, 2 when the workers could not start.
    ``options``: uvicorn's Config arguments (host, port, logging, limits)."""
    state = Path(tempfile.mkdtemp(prefix="clea-workers-"))
    os.environ.update({STATE_ENV: str(state), SUPERVISOR_ENV: str(os.getpid()), SETTINGS_ENV: settings_text(settings)})
    # a worker that has not answered the parent's ping for WORKER_SILENT_AFTER seconds is killed and replaced
    config = ListeningConfig(APP, factory=True, workers=workers, http=PROTOCOL,
                             timeout_worker_healthcheck=WORKER_SILENT_AFTER, **options)
    try:
        sock = config.bind_socket()
        try:
            manager = ReloadingMultiprocess(config, [sock], state)
            manager.run()
        finally:
            sock.close()
    finally:
        shutil.rmtree(state, ignore_errors=True)
    return 0 if manager.asked_to_stop else 2
