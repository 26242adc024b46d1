"""HTTP throughput and latency of `clea serve` on the loopback, the load sent by wrk (or an asyncio/httpx client).

    python -m bench.http_load [--requests 3000] [--concurrency 1,4,8,16] [--size typical]
    python -m bench.http_load --workers 1,2 --concurrency 32 --rounds 5    # 1 worker against 2, interleaved
    python -m bench.http_load --url http://127.0.0.1:8000     # against a service already running
    python -m bench.http_load --workers 2 --concurrency 32 --rounds 4 --against /tmp/before   # this tree / another
    python -m bench.http_load --client httpx      # the asyncio/httpx client even when wrk is installed

Starts one `clea serve --workers N` per N of `--workers` on free ports of 127.0.0.1 (each its own decision log in
a temporary folder, no access log), waits for /v1/health, sends a warm-up, then for each concurrency level and
each round, each server in turn gets the load with that many requests in flight: the servers are measured
interleaved, under the same load from the rest of the machine. The bodies are `--requests` distinct generated
dossiers. wrk (bench/wrk_client.py; the default when it is installed) sends them in a cycle for `--seconds` per
round; the httpx client sends each round its share of them once. Prints requests/s, latency percentiles, and the
CPU time per request of the server (parent and workers) and of the client, with the statuses seen. The client runs
on the same machine: wrk takes a few tens of µs of CPU per request, httpx 1–3 ms, which on 2 cores it takes from
the server (its figures are then a floor).
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
from dataclasses import dataclass, replace
from pathlib import Path

from bench import wrk_client
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


@dataclass(frozen=True)
class Measured:
    """One server at one level: requests answered, seconds, latencies in seconds, CPU seconds, statuses seen."""
    requests: int
    elapsed: float
    p50: float
    p90: float
    p99: float
    slowest: float
    statuses: dict[str, int]
    client_cpu: float
    server_cpu: float = 0.0
    latencies: tuple[float, ...] = ()       # every one (httpx); wrk gives its percentiles only


def from_httpx(url: str, bodies: list[bytes], concurrency: int) -> Measured:
    client_before = own_cpu_seconds()
    latencies, statuses, elapsed = asyncio.run(load(url, bodies, concurrency))
    seen = {str(status or "connexion"): n for status, n in sorted(statuses.items())}
    return Measured(len(latencies), elapsed, percentile(latencies, 0.5), percentile(latencies, 0.9),
                    percentile(latencies, 0.99), max(latencies), seen, own_cpu_seconds() - client_before,
                    latencies=tuple(latencies))


def from_wrk(said: dict, client_cpu: float) -> Measured:
    """A wrk run (wrk_client.run): its latencies from µs to seconds."""
    counts = {"2xx/3xx": said["requests"] - said["not_2xx"], "autres": said["not_2xx"], "connexion": said["failed"]}
    return Measured(said["requests"], said["duration_us"] / 1e6, said["p50"] / 1e6, said["p90"] / 1e6,
                    said["p99"] / 1e6, said["max"] / 1e6, {name: n for name, n in counts.items() if n}, client_cpu)


def combined(rounds: list[Measured]) -> Measured:
    """The rounds of one server at one level: percentiles over every latency (httpx), or, from wrk's percentiles,
    the median round's p50 and the worst round's p90, p99 and max."""
    requests, elapsed = sum(m.requests for m in rounds), sum(m.elapsed for m in rounds)
    statuses: dict[str, int] = {}
    for m in rounds:
        for name, n in m.statuses.items():
            statuses[name] = statuses.get(name, 0) + n
    cpu = sum(m.client_cpu for m in rounds), sum(m.server_cpu for m in rounds)
    latencies = [latency for m in rounds for latency in m.latencies]
    if latencies:
        return Measured(requests, elapsed, percentile(latencies, 0.5), percentile(latencies, 0.9),
                        percentile(latencies, 0.99), max(latencies), statuses, *cpu)
    return Measured(requests, elapsed, sorted(m.p50 for m in rounds)[len(rounds) // 2], max(m.p90 for m in rounds),
                    max(m.p99 for m in rounds), max(m.slowest for m in rounds), statuses, *cpu)


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
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto",
                        help="who sends the load: wrk when installed (auto), or the asyncio/httpx client")
    parser.add_argument("--seconds", type=float, default=10.0, help="with wrk: seconds per round and server")
    args = parser.parse_args(argv)

    try:
        import httpx  # noqa: F401
    except ImportError:
        print("bench.http_load needs httpx: pip install -e '.[test]'", file=sys.stderr)
        return 2
    use_wrk = args.client == "wrk" or args.client == "auto" and wrk_client.available()
    if use_wrk and not wrk_client.available():
        print("bench.http_load --client wrk: wrk is not installed (apt-get install wrk)", file=sys.stderr)
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
        if use_wrk:
            script, lines = wrk_client.write_inputs(Path(folder.name), bodies)
        for url, _ in servers.values():          # warm-up
            if use_wrk:
                wrk_client.run(url, script, lines, max(levels), 2)
            else:
                asyncio.run(load(url, bodies[: min(200, len(bodies))], max(levels)))
        share = max(1, len(bodies) // max(1, args.rounds))
        results = []
        for level in levels:
            rounds: dict[str, list[Measured]] = {label: [] for label in servers}
            for round_ in range(args.rounds):
                part = bodies[round_ * share:(round_ + 1) * share]
                for label, (url, process) in servers.items():
                    server_before = tree_cpu_seconds(process.pid) if process else 0.0
                    if use_wrk:
                        measured = from_wrk(*wrk_client.run(url, script, lines, level, args.seconds))
                    else:
                        measured = from_httpx(url, part, level)
                    server_cpu = (tree_cpu_seconds(process.pid) - server_before) if process else float("nan")
                    rounds[label].append(replace(measured, server_cpu=server_cpu))
            results.extend((label, level, combined(rounds[label])) for label in servers)
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
    for label, level, m in results:
        throughput[(level, label)] = m.requests / m.elapsed
        rows.append((label, level, f"{m.requests / m.elapsed:,.0f}", f"{m.p50 * 1e3:.1f}", f"{m.p90 * 1e3:.1f}",
                     f"{m.p99 * 1e3:.1f}", f"{m.slowest * 1e3:.1f}", f"{m.server_cpu / m.requests * 1e3:.2f}",
                     f"{m.client_cpu / m.requests * 1e3:.2f}",
                     " ".join(f"{name}:{n}" for name, n in m.statuses.items())))
    sent = f"wrk, {args.seconds:g} s per round" if use_wrk else f"httpx, {len(bodies):,} requests"
    print_table(f"HTTP, loopback: POST /v1/evaluations ({args.size} dossiers, {sent}) per level and server, "
                f"{args.rounds} interleaved round(s)", rows,
                ("server", "in flight", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req",
                 "client CPU ms/req", "statuses"))
    labels = list(servers)
    if len(labels) > 1:
        for level in levels:
            first = throughput[(level, labels[0])]
            print(f"in flight {level}: " + ", ".join(f"{label} / {labels[0]} = {throughput[(level, label)] / first:.2f}"
                                                     for label in labels[1:]))
    at_goal = [m for label, level, m in results if label == "2 workers" and level == 32 and m.requests]
    if at_goal:
        [m] = at_goal
        rate = m.requests / m.elapsed
        goal("http", f"--workers 2 at 32 in flight: {rate:,.0f} req/s, p99 {m.p99 * 1e3:.0f} ms, "
             f"{m.server_cpu / m.requests * 1e3:.2f} ms of server CPU a request (client: {sent.split(',')[0]})",
             1000 / rate, 1.0)
    else:
        goal("http", "not measured: run with --workers 1,2 --concurrency 32", None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
