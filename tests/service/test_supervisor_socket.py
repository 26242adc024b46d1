"""The socket `clea serve --workers N` binds for its workers (uvicorn binds it with protocol 0, which costs
TCP_NODELAY and logs where it runs before it listens: uvicorn issue #3149 for the first)."""
from __future__ import annotations

import asyncio
import logging
import socket

from engine.service.supervisor import ListeningConfig


def test_its_connections_are_sent_without_delay():
    """asyncio sets TCP_NODELAY only on a socket that says it is TCP: without it, a response written in two parts
    (head, body) waited for the client's delayed acknowledgement, 40 ms on each request of a kept-alive connection
    (measured: 48 ms per sequential request with two workers, 4 ms with one)."""
    sock = ListeningConfig("engine.service.supervisor:worker_app", host="127.0.0.1", port=0).bind_socket()

    async def nodelay_of_an_accepted_connection() -> int:
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        class Report(asyncio.Protocol):
            def connection_made(self, transport) -> None:
                accepted.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                                  socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Report, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        try:
            return await asyncio.wait_for(accepted, 30)
        finally:
            writer.close()
            server.close()

    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert asyncio.run(nodelay_of_an_accepted_connection()) == 1
    finally:
        sock.close()


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
    """A client that read the line and connected at once was refused (a CI run failed so on its first request)."""
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
