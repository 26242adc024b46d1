"""bench.http_load's rounds combined into one row per server and level: with wrk's percentiles (not its
latencies), the median round's p50 and the worst round's p90, p99 and max, never an average that would hide a bad
round; wrk counts a connection that failed apart from the answers."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.http_load import Measured, combined, from_wrk


def _wrk(requests, p50, p99, not_2xx=0, failed=0):
    """A round as wrk's script prints it (latencies in µs)."""
    return from_wrk({"requests": requests, "duration_us": 10_000_000, "p50": p50, "p90": p99 // 2, "p99": p99,
                     "max": p99 * 2, "not_2xx": not_2xx, "failed": failed}, 0.5)


def test_wrk_rounds_give_the_median_p50_and_the_worst_tail():
    rounds = [_wrk(3000, 50_000, 200_000), _wrk(2000, 90_000, 600_000, not_2xx=3),
              _wrk(2500, 60_000, 150_000, failed=1)]
    row = combined(rounds)
    assert (row.requests, row.elapsed) == (7500, 30.0)
    assert row.p50 == 0.060
    assert (row.p90, row.p99, row.slowest) == (0.300, 0.600, 1.200)
    assert row.statuses == {"2xx/3xx": 7497, "autres": 3, "connexion": 1}
    assert row.client_cpu == 1.5


def test_httpx_rounds_give_percentiles_over_every_latency():
    first = Measured(2, 1.0, 0, 0, 0, 0, {"200": 2}, 0.1, 0.2, latencies=(0.010, 0.030))
    second = Measured(2, 1.0, 0, 0, 0, 0, {"200": 1, "503": 1}, 0.1, 0.2, latencies=(0.020, 0.400))
    row = combined([first, second])
    assert (row.p50, row.p99, row.slowest) == (0.020, 0.400, 0.400)
    assert row.statuses == {"200": 3, "503": 1}
    assert (row.client_cpu, row.server_cpu) == (0.2, 0.4)
