"""Running `clea` in-process, as tests/test_cli.py does: exit code, stdout, stderr; never a traceback."""
from __future__ import annotations

import io
import sys

from engine.cli import run


def clea(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = run(list(argv), out, err)
    finally:
        sys.stdin = old
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()
