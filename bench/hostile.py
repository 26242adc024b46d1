"""The hostile inputs of issue 14, timed and weighed in-process: how fast and how small each one is refused.

    python -m bench.hostile            # one line per attack: time to the answer, peak memory traced, answer size

Figures, not assertions (tests/hostile and tests/fuzz check the answers). The refusals should take milliseconds and
a few MB: an alias bomb of 520 bytes used to take 92 s and 5.8 GB, a 1 MB body of invalid events 1.9 s and 24.6 MB.
"""
from __future__ import annotations

import json
import time
import tracemalloc

from .common import POLICIES

import engine  # noqa: E402  (common puts the project on sys.path)
from engine import FactsError, evaluate
from engine.documents import parse_json, parse_yaml

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi"))
BASE = {"organisme": {"siren": "732829320"}, "instance": "certifpro"}


def _nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def attacks(policies):
    invalid_events = [{"type": "inconnu", "date": "2026-01-12", "x": "y" * 400} for _ in range(2000)]
    yield "alias bomb as facts (YAML, 520 bytes)", lambda: parse_yaml(ALIAS_BOMB, "f.yaml", aliases=False)
    yield "alias bomb in a policy file", lambda: parse_yaml(ALIAS_BOMB, "p.yaml")
    yield "JSON [ x1000 ]x1000", lambda: parse_json("[" * 1000 + "]" * 1000, "f.json")
    yield "YAML nested 5,000 deep", lambda: parse_yaml("x: " + "[" * 5000 + "]" * 5000, "f.yaml", aliases=False)
    yield "5,000-digit integer (JSON)", lambda: parse_json('{"x": ' + "9" * 5000 + "}", "f.json")
    yield "facts nested 1,000 deep (Python API)", lambda: _evaluate(
        {**BASE, "evenements": [], "demande": {"contextualisation": _nested(1000)}}, policies)
    yield "2,000 invalid events of 400 characters (~1 MB)", lambda: _evaluate(
        {**BASE, "evenements": invalid_events}, policies)
    yield "5,000 events (over the limit)", lambda: _evaluate(
        {**BASE, "evenements": [{"type": "demande_deposee", "date": "2026-01-12"}] * 5000}, policies)
    yield "acceptance before the period's first duration", lambda: _evaluate(
        {**BASE, "evenements": [{"type": "decision_notifiee", "date": "2016-03-01", "decision": "acceptation"}]},
        policies)


def _evaluate(facts, policies):
    try:
        return evaluate(facts, "2026-11-27", policies=policies)
    except FactsError as error:
        return [issue.as_dict() for issue in error.issues] + [{"non_listees": error.omitted}]


def main() -> None:
    policies = engine.load_policies(POLICIES)
    _evaluate({**BASE, "evenements": []}, policies)          # warm-up: compile once
    print(f"{'attack':<48} {'time':>9} {'peak MB':>8} {'answer':>9}")
    for name, attack in attacks(policies):
        started = time.perf_counter()
        answer = attack()
        elapsed = time.perf_counter() - started         # timed without tracing: tracemalloc slows allocations
        tracemalloc.start()
        attack()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        size = len(json.dumps(answer, default=lambda o: getattr(o, "__dict__", str(o)), ensure_ascii=False))
        print(f"{name:<48} {elapsed * 1e3:>7.1f}ms {peak:>8.1f} {size:>8}B")


if __name__ == "__main__":
    main()
