"""Shared helpers of the benchmarks: where things are, percentiles, resident memory, a JSON lines cache."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
CACHE = Path(os.environ.get("CLEA_BENCH_CACHE", "/tmp/clea-bench"))
AS_OF = "2032-12-31"     # after every generated event, so that whole histories are evaluated

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def two_trees(parser: argparse.ArgumentParser) -> None:
    """The arguments of a comparison of this tree with another: the other tree, how many dossiers, their size."""
    parser.add_argument("other", type=Path, help="the other source tree")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--size", default="typical", choices=["small", "typical", "large", "mixed"])


def in_turn(index: int, names: list[str]) -> list[str]:
    """The order of round `index`: one way, then the other, so that neither side always runs first."""
    return names if index % 2 == 0 else names[::-1]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict:
    return {"median_ms": statistics.median(seconds) * 1e3, "p99_ms": percentile(seconds, 0.99) * 1e3,
            "mean_ms": statistics.fmean(seconds) * 1e3}


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process now, in MB (Linux /proc)."""
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int | str = "self") -> float:
    """Highest resident memory of a process so far, in MB."""
    return _status_kb(pid, "VmHWM") / 1024


def _status_kb(pid, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far (Linux /proc), 0.0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stream:
            fields = stream.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as stream:
                    queue.extend(int(child) for child in stream.read().split())
        except OSError:
            continue
    return found


def dataset(count: int, size: str, seed: int = 1) -> Path:
    """A cached JSON lines file of generated dossiers (generated once; the generator is deterministic)."""
    from bench.generate import write_jsonl

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"dossiers-{size}-{count}-seed{seed}.jsonl"
    if not path.exists():
        temporary = path.with_suffix(".part")
        with open(temporary, "w", encoding="utf-8") as stream:
            write_jsonl(stream, count, seed=seed, size=size)
        temporary.replace(path)
    return path


def clea_command() -> list[str]:
    """How to run `clea` with the interpreter running this script (the project's virtualenv)."""
    script = Path(sys.executable).parent / "clea"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from engine.cli import main; sys.exit(main())"]


def print_table(title: str, rows: list[tuple], headers: tuple) -> None:
    print(f"\n## {title}")
    cells = [tuple(str(value) for value in row) for row in rows]
    widths = [max(len(str(header)), *(len(row[i]) for row in cells)) for i, header in enumerate(headers)]
    print("  ".join(str(header).ljust(width) for header, width in zip(headers, widths)))
    for row in cells:
        print("  ".join(value.ljust(width) for value, width in zip(row, widths)))
