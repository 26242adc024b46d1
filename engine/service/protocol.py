"""HTTP/1.1 connections with a deadline for each request's head: no client holds a connection by sending slowly.

uvicorn closes a connection idle between two requests (keep-alive timeout) but waits without end for a request
line and headers that come byte by byte, or never come on a fresh connection. This protocol gives every
request head HEADER_TIMEOUT seconds from its first byte (from the connection's opening, for the first one); past
it the connection is closed. The body has its own deadline (BODY_TIMEOUT, in requests.read_json), and the
number of connections served at once is capped by uvicorn's ``limit_concurrency`` (503 beyond).

It subclasses uvicorn's H11Protocol, which is not a public interface: pyproject.toml pins uvicorn below the next
minor version (``uvicorn>=0.29,<0.55``), and tests/service/test_protocol_pin.py fails on a version outside that
range or whose protocol lacks what this class uses (``cycle``, ``loop``, ``transport``, the three callbacks).
"""
from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

from ..limits import HEADER_TIMEOUT


class GuardedH11Protocol(H11Protocol):
    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport) -> None:
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_for_head():
            if self._head_timer is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(header_timeout: float) -> type:
    """The protocol class for uvicorn's ``http=``, with its head deadline."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_timeout": header_timeout})
