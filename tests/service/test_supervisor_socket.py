"""`clea serve --workers N` says where it runs only once its socket listens: whoever reads that line (a test, a
process supervisor) connects at once. uvicorn logs the line when it binds, before anything listens; a client that
connected then was refused (a CI run failed so on its first request)."""
from __future__ import annotations

import logging
import socket

from engine.service.supervisor import ListeningConfig


class _ConnectsOnRunningLine(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.outcomes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "running on" not in record.getMessage():
            return
        port = int(record.getMessage().split(":")[2].split()[0])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            self.outcomes.append("connected")
        except ConnectionRefusedError:
            self.outcomes.append("refused")


def test_the_running_line_comes_once_the_socket_listens():
    config = ListeningConfig("engine.service.supervisor:worker_app", host="127.0.0.1", port=0)
    uvicorn_logger = logging.getLogger("uvicorn.error")     # after the Config, which sets uvicorn's logging up
    handler = _ConnectsOnRunningLine()
    uvicorn_logger.addHandler(handler)
    level = uvicorn_logger.level
    uvicorn_logger.setLevel(logging.INFO)
    try:
        config.bind_socket().close()
    finally:
        uvicorn_logger.removeHandler(handler)
        uvicorn_logger.setLevel(level)
    assert handler.outcomes == ["connected"]
