r"""A JSON text read by orjson when the strict reading (engine/documents.py, ``parse_json``) is sure to give the same
data and to refuse nothing: a typical dossier's facts (3.6 KB) in less than half the time. Whatever it cannot prove
the same is left to the strict reading, which decides and words the problems.

orjson reads a text exactly as json does when the text has:

- no escape but the \uXXXX of a character beyond ASCII (é as \u00e9, as json.dumps writes by default): a colon in a
  string is then written as itself, and no string holds a quote or a backslash;
- every colon right after a quote: every key is then followed by its colon, so the ``":`` counted in the text and in
  orjson's compact writing of what it read (``"key":`` for each key) differ by what a duplicate key dropped;
- no run of 20 of the characters numbers are written with (digits . e E + -): no integer beyond 64 bits (which
  orjson reads as a float, json as an integer) nor a number longer than MAX_NUMBER_LENGTH;
- at most MAX_CONTAINERS objects and lists: nested far less deep than where json stops (RecursionError, near 1,000
  levels) while orjson (1,024) goes on.

NaN, the infinities, a lone surrogate and anything else orjson refuses go to the strict reading.
"""
from __future__ import annotations

import re

import orjson

MAX_CONTAINERS = 256
_NUMBER_CHARACTERS = b"0123456789.eE+-"
_AS_RUNS = bytes(48 if byte in _NUMBER_CHARACTERS else 32 for byte in range(256))    # each such character -> "0"
_LONG_RUN = b"0" * 20
# a backslash that does not start the \uXXXX of a character beyond ASCII
_OTHER_ESCAPE = re.compile(rb"\\(?!u(?:00[89a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2})[0-9a-fA-F])")
NOT_READ = object()


def read_plain(text: str) -> object:
    """The data of ``text``, as json.loads gives it, when the strict reading would accept it as it is; NOT_READ
    otherwise (the strict reading then decides)."""
    raw = text.encode("utf-8", "surrogatepass")
    keys = raw.count(b'":')
    if ((b"\\" in raw and _OTHER_ESCAPE.search(raw)) or raw.count(b":") != keys
            or raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS or _LONG_RUN in raw.translate(_AS_RUNS)):
        return NOT_READ
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return NOT_READ
    return data if orjson.dumps(data).count(b'":') == keys else NOT_READ
