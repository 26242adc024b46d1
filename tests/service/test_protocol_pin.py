"""engine/service/protocol.py subclasses uvicorn's internal H11Protocol (issue 23): the version is pinned, and this
test fails on an uvicorn outside the pin or whose protocol no longer has what the subclass relies on."""
from __future__ import annotations

import inspect
import re
from importlib.metadata import version
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]


def _pin() -> tuple[tuple[int, ...], tuple[int, ...]]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    low, high = re.search(r'"uvicorn>=([0-9.]+),<([0-9.]+)"', text).groups()
    return tuple(map(int, low.split("."))), tuple(map(int, high.split(".")))


def test_the_installed_uvicorn_is_inside_the_pin():
    low, high = _pin()
    installed = tuple(int(part) for part in re.findall(r"\d+", version("uvicorn"))[:3])
    assert low <= installed < high, f"uvicorn {version('uvicorn')} is outside the pin: check engine/service/protocol.py"


def test_the_protocol_still_has_what_the_guard_uses():
    from uvicorn.protocols.http.h11_impl import H11Protocol

    for callback in ("connection_made", "data_received", "connection_lost"):
        assert list(inspect.signature(getattr(H11Protocol, callback)).parameters)[:1] == ["self"], callback
    source = inspect.getsource(H11Protocol)
    for attribute in ("self.cycle", "self.loop", "self.transport", "response_complete"):
        assert attribute in source, attribute

