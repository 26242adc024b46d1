"""HTTP throughput and latency of `clea serve` on the loopback, with a bounded asyncio client (httpx).

    python -m bench.http_load [--requests 3000] [--concurrency 1,4,8,16] [--size typical]
    python -m bench.http_load --workers 1,2 --concurrency 32 --rounds 5    # 1 worker against 2, interleaved
    python -m bench.http_load --url http://127.0.0.1:8000     # against a service already running
    python -m bench.http_load --workers 2 --concurrency 32 --rounds 4 --against /tmp/before   # this tree / another

Starts one `clea serve --workers N` per N of `--workers` on free ports of 127.0.0.1 (each its own decision log in
a temporary folder, no access log), waits for /v1/health, sends a warm-up, then for each concurrency level and
each round, each server in turn gets its share of the `--requests` POST /v1/evaluations of distinct generated
dossiers with at most that many in flight: the servers are measured interleaved, under the same load from the
rest of the machine. Prints requests/s, latency percentiles, and the CPU time per request of the server (parent and
workers) and of the client (a connection error is counted as status 0). The client runs on the same machine, so on 2 cores it takes CPU from the server: the
figures are a floor.
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

from bench.common import AS_OF, clea_command, cpu_seconds, percentile, print_table, process_tree
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
                try:
                    response = await client.post("/v1/evaluations", content=body)
                except httpx.TransportError:        # counted, not raised: the table says how many
                    statuses[0] = statuses.get(0, 0) + 1
                    continue
                latencies.append(time.perf_counter() - begin)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, statuses, elapsed


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(member) for member in process_tree(pid))


def start_server(workers: int, folder: str, tree: Path | None = None) -> tuple[str, subprocess.Popen]:
    """`clea serve --workers N` of this tree, or of another source tree (its own engine, run from its folder)."""
    port = free_port()
    name = f"{workers}{'-' + tree.name if tree else ''}"
    clea = clea_command() if tree is None else [
        sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); from engine.cli import main; sys.exit(main())"]
    command = [*clea, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
               "--workers", str(workers), "--log", str(Path(folder) / f"decisions-{name}.sqlite3")]
    if tree is not None:
        command += ["--policies", str(tree / "policies")]
    print(f"$ {' '.join(command)}")
    with open(Path(folder) / f"stderr-{name}", "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, text=True, cwd=tree,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1",
                                        **({"PYTHONPATH": str(tree)} if tree else {})})
    return f"http://127.0.0.1:{port}", process


def wait_for_workers(url: str, workers: int, timeout: float = 120.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = httpx.get(f"{url}/v1/health", timeout=10.0).json()
        if len(state.get("travailleurs", [None])) >= workers and state["statut"] == "ok":
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url}: {workers} workers not up within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per level and per server (over all rounds)")
    parser.add_argument("--concurrency", default="1,4,8,16", help="comma-separated levels (default 1,4,8,16)")
    parser.add_argument("--workers", default="1", help="comma-separated `clea serve --workers` counts (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds per level (default 1)")
    parser.add_argument("--size", default="typical")
    parser.add_argument("--url", help="an already running service (default: start one per --workers count)")
    parser.add_argument("--against", type=Path, help="another source tree: its servers too, measured interleaved")
    args = parser.parse_args(argv)

    try:
        import httpx  # noqa: F401
    except ImportError:
        print("bench.http_load needs httpx: pip install -e '.[test]'", file=sys.stderr)
        return 2
    bodies = [json.dumps({"faits": facts, "date": AS_OF}, ensure_ascii=False).encode()
              for facts in dossiers(args.requests, seed=5, size=args.size)]
    counts = [int(count) for count in args.workers.split(",")]
    servers: dict[str, tuple[str, subprocess.Popen | None]] = {}
    folder = tempfile.TemporaryDirectory()
    try:
        if args.url:
            servers[args.url] = (args.url, None)
        else:
            for count in counts:
                servers[f"{count} worker{'s' if count > 1 else ''}"] = start_server(count, folder.name)
                if args.against:
                    servers[f"{count} worker{'s' if count > 1 else ''}, {args.against.name}"] = start_server(
                        count, folder.name, args.against.resolve())
        for label, (url, process) in servers.items():
            wait_until_up(url, process)
            if process is not None:
                wait_for_workers(url, int(label.split()[0]))
        levels = [int(level) for level in args.concurrency.split(",")]
        for url, _ in servers.values():
            asyncio.run(load(url, bodies[: min(200, len(bodies))], max(levels)))          # warm-up
        share = max(1, len(bodies) // max(1, args.rounds))
        results = []
        for level in levels:
            totals = {label: ([], {}, 0.0, 0.0, 0.0) for label in servers}
            for round_ in range(args.rounds):
                part = bodies[round_ * share:(round_ + 1) * share]
                for label, (url, process) in servers.items():
                    server_before = tree_cpu_seconds(process.pid) if process else 0.0
                    client_before = own_cpu_seconds()
                    latencies, statuses, elapsed = asyncio.run(load(url, part, level))
                    server_cpu = (tree_cpu_seconds(process.pid) - server_before) if process else float("nan")
                    kept, seen, wall, cpu, client = totals[label]
                    for status, n in statuses.items():
                        seen[status] = seen.get(status, 0) + n
                    totals[label] = (kept + latencies, seen, wall + elapsed, cpu + server_cpu,
                                     client + own_cpu_seconds() - client_before)
            results.extend((label, level, *totals[label]) for label in servers)
    except RuntimeError as exc:
        print(f"bench.http_load: {exc}", file=sys.stderr)
        return 1
    finally:
        for stderr in sorted(Path(folder.name).glob("stderr-*")):
            said = stderr.read_text(encoding="utf-8", errors="replace")
            lines = [line for line in said.splitlines() if "ERROR" in line or "died" in line or "Traceback" in line]
            if lines:
                print(f"{stderr.name}:", *lines[:20], sep="\n  ", file=sys.stderr)
        for _, process in servers.values():
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
        folder.cleanup()
    rows = []
    throughput: dict[tuple[int, str], float] = {}
    for label, level, latencies, statuses, elapsed, server_cpu, client_cpu in results:
        count = len(latencies)
        throughput[(level, label)] = count / elapsed
        rows.append((label, level, f"{count / elapsed:,.0f}", f"{percentile(latencies, 0.50) * 1e3:.1f}",
                     f"{percentile(latencies, 0.90) * 1e3:.1f}", f"{percentile(latencies, 0.99) * 1e3:.1f}",
                     f"{max(latencies) * 1e3:.1f}", f"{server_cpu / count * 1e3:.2f}", f"{client_cpu / count * 1e3:.2f}",
                     " ".join(f"{status or 'connexion'}:{n}" for status, n in sorted(statuses.items()))))
    print_table(f"HTTP, loopback: {len(bodies):,} POST /v1/evaluations ({args.size} dossiers) per level and server, "
                f"{args.rounds} interleaved round(s)", rows,
                ("server", "in flight", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req",
                 "client CPU ms/req", "statuses"))
    labels = list(servers)
    if len(labels) > 1:
        for level in levels:
            first = throughput[(level, labels[0])]
            print(f"in flight {level}: " + ", ".join(f"{label} / {labels[0]} = {throughput[(level, label)] / first:.2f}"
                                                     for label in labels[1:]))
    measured = [(latencies, elapsed) for label, level, latencies, _, elapsed, _, _ in results
                if label == "2 workers" and level == 32 and latencies]
    if measured:
        [(latencies, elapsed)] = measured
        rate, p99 = len(latencies) / elapsed, percentile(latencies, 0.99) * 1e3
        goal("http", f"--workers 2 at 32 in flight: {rate:,.0f} req/s, p99 {p99:.0f} ms", 1000 / rate, 1.0)
    else:
        goal("http", "not measured: run with --workers 1,2 --concurrency 32", None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
