"""The load of bench.http_load sent by wrk, a C client (Debian's `wrk` package: `apt-get install wrk`).

The asyncio/httpx client spends 1–3 ms of CPU per request; on 2 cores it takes from the server what the figure is
about. wrk spends a few tens of µs: with it, the server has the cores (bench/README.md, round 8). wrk keeps
`concurrency` connections open and sends each request when the previous answer on its connection has come (the same
closed loop as the httpx client), for a duration rather than a count; its Lua script cycles through the bodies of a
file, one JSON document a line, and prints its figures as one JSON line.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from pathlib import Path

MARK = "CLEA-WRK "
SCRIPT = """\
local bodies = {}
for line in io.lines(os.getenv("CLEA_WRK_BODIES")) do bodies[#bodies + 1] = line end
local sent = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  sent = sent % #bodies + 1
  return wrk.format(nil, "/v1/evaluations", nil, bodies[sent])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d, "not_2xx": %d, "failed": %d}\\n',
    os.getenv("CLEA_WRK_MARK"), summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def write_inputs(folder: Path, bodies: list[bytes]) -> tuple[Path, Path]:
    """The script and the bodies' file wrk reads (bodies are compact JSON: no line break inside)."""
    script, lines = folder / "post.lua", folder / "bodies.jsonl"
    script.write_text(SCRIPT, encoding="utf-8")
    lines.write_bytes(b"".join(body + b"\n" for body in bodies))
    return script, lines


def run(url: str, script: Path, bodies: Path, concurrency: int, seconds: float) -> tuple[dict, float]:
    """One run of `seconds` with `concurrency` connections: what wrk printed (`requests`, `duration_us`; `p50`, `p90`,
    `p99`, `max` in µs; `not_2xx` answers other than 2xx/3xx, `failed` connections refused, broken or timed out, not
    counted in `requests`) and its CPU seconds. RuntimeError if wrk fails or prints no figures."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script),
                           url], check=False, capture_output=True, text=True,
                          env={**os.environ, "CLEA_WRK_BODIES": str(bodies), "CLEA_WRK_MARK": MARK})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = [line[len(MARK):] for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not figures:
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:500]}")
    return json.loads(figures[-1]), after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
