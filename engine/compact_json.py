"""Compact JSON as bytes, fast: orjson, byte for byte what ``json.dumps(value, ensure_ascii=False,
separators=(",", ":"))`` writes (key order, escapes, text as UTF-8), and json itself for what orjson writes otherwise.

orjson writes a float under 1e-4 its own way (0.00001 where json writes 1e-05, 2.5e-7 for 2.5e-07): such a number in
its output sends the value to json, as does what orjson cannot write (an integer beyond 64 bits, a key that is not
text) and a date (json's ``default`` decides). A number of compact JSON starts the text or follows ':', ',' or '[':
the same characters inside a text (the '…123e-…' of about one decision id in seven) keep orjson's bytes, which are
json's there. NaN and the infinities, which json writes NaN (or refuses, allow_nan=False) and orjson null, never
reach here: facts and policies that carry one are refused on reading (engine/values.py), and the engine computes none.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# Each pattern starts with its rarest byte, which re's search skips to: in a typical verdict '-' comes ~90 times (the
# dates), '.' ~190 (sentences, article numbers), 'e' ~1,400; searched from there, 0.65x the time of "e-" and
# "0.0000" on a verdict, 0.5x on facts.
_EXPONENT = re.compile(rb"-(?<=\de-)")      # the '-' of '<digit>e-': the number's 'e' is just before it
_SMALL = re.compile(rb"\.(?<=0\.)0000")
_IN_NUMBER = frozenset(b"0123456789.-")
_BEFORE_NUMBER = frozenset(b":,[")


def compact(value: Any, *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None,
            allow_nan: bool = True) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), ...).encode()``, through orjson when the bytes
    are the same."""
    try:
        encoded = orjson.dumps(value, default=default, option=_PASSTHROUGH | (orjson.OPT_SORT_KEYS if sort_keys else 0))
    except (orjson.JSONEncodeError, TypeError):
        encoded = b""
    if not encoded or _written_otherwise(encoded):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys, default=default,
                          allow_nan=allow_nan).encode("utf-8")
    return encoded


def _written_otherwise(encoded: bytes) -> bool:
    """Whether orjson's text holds a number json writes otherwise: 1e-05 written 0.00001, 2.5e-07 written 2.5e-7."""
    return (any(_in_a_number(encoded, found.start() - 1) for found in _EXPONENT.finditer(encoded))
            or any(_in_a_number(encoded, found.start()) for found in _SMALL.finditer(encoded)))


def _in_a_number(encoded: bytes, index: int) -> bool:
    """Whether the digits (dot, sign) just before encoded[index] start the text or follow ':', ',' or '[': a number,
    not a text (a text is between quotes; a text holding ':1e-5' is taken for a number, and left to json)."""
    start = index
    while start and encoded[start - 1] in _IN_NUMBER:
        start -= 1
    return start == 0 or encoded[start - 1] in _BEFORE_NUMBER
