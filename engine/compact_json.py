"""Compact JSON as bytes, fast: orjson, byte for byte what ``json.dumps(value, ensure_ascii=False,
separators=(",", ":"))`` writes (key order, escapes, text as UTF-8), and json itself for what orjson writes otherwise.

orjson writes a float under 1e-4 its own way (0.00001 where json writes 1e-05, 2.5e-7 for 2.5e-07): such a number in
its output, or a text that looks like one, sends the value to json. So does what orjson cannot write (an integer
beyond 64 bits, a key that is not text) and a date (json's ``default`` decides). NaN and the infinities, which json
writes NaN (or refuses, allow_nan=False) and orjson null, never reach here: facts and policies that carry one are
refused on reading (engine/values.py), and the engine computes none.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_EXPONENT = re.compile(rb"e-(?<=\de-)")     # searched for its literal "e-" first: faster than `b"e-" in` alone


def compact(value: Any, *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None,
            allow_nan: bool = True) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), ...).encode()``, through orjson when the bytes
    are the same."""
    try:
        encoded = orjson.dumps(value, default=default, option=_PASSTHROUGH | (orjson.OPT_SORT_KEYS if sort_keys else 0))
    except (orjson.JSONEncodeError, TypeError):
        encoded = b""
    if not encoded or b"0.0000" in encoded or _EXPONENT.search(encoded):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys, default=default,
                          allow_nan=allow_nan).encode("utf-8")
    return encoded
