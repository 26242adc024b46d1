"""HTTP throughput and latency of `clea serve` on the loopback, with a bounded asyncio client (httpx).

    python -m bench.http_load [--requests 3000] [--concurrency 1,4,8,16] [--size typical]
    python -m bench.http_load --url http://127.0.0.1:8000     # against a service already running

Starts `clea serve` on a free port of 127.0.0.1 (decision log in a temporary folder, no access log), waits for
/v1/health, sends a warm-up, then for each concurrency level `--requests` POST /v1/evaluations of distinct
generated dossiers with at most that many in flight, and prints requests/s, latency percentiles, and the CPU time
per request of the server and of the client. The client runs on the same machine, so on 2 cores it takes CPU
from the server: the figures are a floor.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import AS_OF, clea_command, cpu_seconds, percentile, print_table
from bench.generate import dossiers
from bench.goals import goal


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def wait_until_up(url: str, process: subprocess.Popen | None, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"clea serve exited with status {process.returncode}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"clea serve did not answer on {url} within {timeout:.0f} s")


async def load(url: str, bodies: list[bytes], concurrency: int) -> tuple[list[float], dict[int, int], float]:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue = iter(bodies)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0,
                                 headers={"content-type": "application/json"}) as client:
        async def worker() -> None:
            for body in queue:
                begin = time.perf_counter()
                response = await client.post("/v1/evaluations", content=body)
                latencies.append(time.perf_counter() - begin)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, statuses, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", default="1,4,8,16", help="comma-separated levels (default 1,4,8,16)")
    parser.add_argument("--size", default="typical")
    parser.add_argument("--url", help="an already running service (default: start one)")
    args = parser.parse_args(argv)

    try:
        import httpx
    except ImportError:
        print("bench.http_load needs httpx: pip install -e '.[test]'", file=sys.stderr)
        return 2
    bodies = [json.dumps({"faits": facts, "date": AS_OF}, ensure_ascii=False).encode()
              for facts in dossiers(args.requests, seed=5, size=args.size)]
    process = None
    folder = tempfile.TemporaryDirectory()
    url = args.url
    try:
        if url is None:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            command = [*clea_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                       "--log", str(Path(folder.name) / "decisions.sqlite3")]
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1"})
            print(f"$ {' '.join(command)}")
        wait_until_up(url, process)
        levels = [int(level) for level in args.concurrency.split(",")]
        asyncio.run(load(url, bodies[: min(200, len(bodies))], max(levels)))          # warm-up
        results = []
        for level in levels:
            server_before, client_before = cpu_seconds(process.pid) if process else 0.0, own_cpu_seconds()
            latencies, statuses, elapsed = asyncio.run(load(url, bodies, level))
            server_cpu = (cpu_seconds(process.pid) - server_before) if process else float("nan")
            client_cpu = own_cpu_seconds() - client_before
            results.append((level, latencies, statuses, elapsed, server_cpu, client_cpu))
    except RuntimeError as exc:
        print(f"bench.http_load: {exc}", file=sys.stderr)
        if process is not None and process.poll() is not None:
            print(process.stderr.read(), file=sys.stderr)
        return 1
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        folder.cleanup()
    rows = []
    for level, latencies, statuses, elapsed, server_cpu, client_cpu in results:
        count = len(latencies)
        rows.append((level, f"{count / elapsed:,.0f}", f"{percentile(latencies, 0.50) * 1e3:.1f}",
                     f"{percentile(latencies, 0.90) * 1e3:.1f}", f"{percentile(latencies, 0.99) * 1e3:.1f}",
                     f"{max(latencies) * 1e3:.1f}", f"{server_cpu / count * 1e3:.2f}", f"{client_cpu / count * 1e3:.2f}",
                     " ".join(f"{status}:{n}" for status, n in sorted(statuses.items()))))
    print_table(f"HTTP, loopback {url}: {len(bodies):,} POST /v1/evaluations ({args.size} dossiers) per level",
                rows, ("in flight", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req",
                       "client CPU ms/req", "statuses"))
    goal("http", "needs clea serve --workers 2 (issue 21b); one process: " + "; ".join(
        f"{len(latencies) / elapsed:,.0f} req/s, p99 {percentile(latencies, 0.99) * 1e3:.0f} ms at {level}"
        for level, latencies, _, elapsed, _, _ in results), None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
