"""The service's JSON responses written by orjson, the same bytes as Starlette's JSONResponse (engine/compact_json.py)."""
from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from ..compact_json import compact

__all__ = ["CompactJSONResponse"]


class CompactJSONResponse(JSONResponse):
    """Starlette's JSONResponse, the same bytes, written by orjson (a verdict: ~4× faster than json)."""

    def render(self, content: Any) -> bytes:
        return compact(content, allow_nan=False)
