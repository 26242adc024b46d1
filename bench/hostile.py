"""The hostile inputs of issue 14, timed and weighed in-process: how fast and how small each one is refused.

    python -m bench.hostile            # one line per attack: time to the answer, peak memory traced, answer size

Figures, not assertions (tests/hostile and tests/fuzz check the answers). The refusals should take milliseconds and
a few MB: an alias bomb of 520 bytes used to take 92 s and 5.8 GB, a 1 MB body of invalid events 1.9 s and 24.6 MB.
"""
from __future__ import annotations

import json
import time
import tracemalloc

import engine
from engine import FactsError, evaluate
from engine.documents import parse_json, parse_yaml

from .common import POLICIES

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
    yield "5 MB string folded over 70,000 YAML lines (facts)", lambda: _evaluate(engine.parse_facts_text(
        "instance: certifpro\norganisme:\n  denomination: >\n" + "".join("    " + "x" * 70 + "\n" for _ in range(70_000)),
        "f.yaml"), policies)
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


def _body_size(facts) -> int:
    return len(json.dumps({"faits": facts}))


def _padded_valid(size: int) -> dict:
    """A valid dossier of about ``size`` bytes of JSON: beneficiaries with long names (personal data, not rules)."""
    count = min(10_000, max(1, size // 110))
    name = "n" * max(1, size // count - 40)
    return {**BASE, "evenements": [{"type": "demande_deposee", "date": "2026-01-12"}],
            "beneficiaires": [{"id": f"b{i}", "nom": name} for i in range(count)]}


def sized_refusals():
    """Bad documents just under the 1 MiB body limit (issue 23): each refusal is compared with a valid evaluation
    of the same size."""
    one = {"id": "i1"}
    yield "195,000 wrong domaines of one intervenant", {**BASE, "evenements": [], "organisme": {
        "siren": "732829320", "intervenants": [{**one, "domaines": ["a"] * 195_000}]}}
    yield "80,000 valid roles of one intervenant", {**BASE, "evenements": [], "organisme": {
        "siren": "732829320", "intervenants": [{**one, "roles": ["formateur"] * 80_000}]}}
    yield "2,000 intervenants with wrong roles", {**BASE, "evenements": [], "organisme": {
        "siren": "732829320", "intervenants": [{"id": str(i), "roles": ["x"] * 40} for i in range(2000)]}}
    yield "one event with 60,000 unknown attributes", {**BASE, "evenements": [
        {"type": "demande_deposee", "date": "2026-01-12", **{f"a{i}": 1 for i in range(60_000)}}]}
    yield "10,000 beneficiaires without id", {**BASE, "evenements": [], "beneficiaires": [{"nom": "x" * 80}] * 10_000}


def worst_ratio(policies) -> None:
    """The cost (CPU time) of each sized refusal as a ratio to a valid evaluation of the same size: goal <= 2."""
    print(f"\n{'refusal (body size)':<48} {'refusal':>9} {'valid':>9} {'ratio':>6}")
    worst = 0.0
    for name, facts in sized_refusals():
        size = _body_size(facts)
        valid = _padded_valid(size)
        refused = _cpu(lambda facts=facts: _evaluate(facts, policies))
        accepted = _cpu(lambda valid=valid: _evaluate(valid, policies))
        worst = max(worst, refused / accepted)
        print(f"{name + f' ({size // 1024} KiB)':<48} {refused * 1e3:>7.1f}ms {accepted * 1e3:>7.1f}ms "
              f"{refused / accepted:>6.2f}")
    print(f"worst refusal / valid evaluation of the same size: {worst:.2f}x (goal <= 2x)")


def _cpu(work, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


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
    worst_ratio(policies)


if __name__ == "__main__":
    main()
