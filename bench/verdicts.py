"""Every verdict the engine gives on a fixed corpus, written as text, to compare two commits byte for byte.

    .venv/bin/python -m bench.verdicts OUT [--generated 1000]
    cmp OUT-before OUT-after

The corpus: the acceptance scenarios of shared/scenarios, the examples, and N generated mixed dossiers (bench.generate,
seed 1), each evaluated as of its own date (generated ones as of 2032-12-31). For each: the verdict (JSON), the verdict
with `explain=True`, the French text report, the HTML page, the calendar (a fixed stamp) and, where the policy has one,
the avis; a refusal (FactsError) is written as its problems. A refactoring that must change no verdict leaves the file
identical.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bench.common import AS_OF, POLICIES, ROOT
from bench.generate import dossiers
from engine import FactsError, evaluate, load_policies
from engine.reports.avis import avis_of, avis_text
from engine.reports.html import verdict_html
from engine.reports.ics import verdict_ics
from engine.reports.text import verdict_text

# shared/ stands beside the project (beside a worktree's main checkout, one level up)
SCENARIOS = next((folder / "shared" / "scenarios" for folder in ROOT.parents if (folder / "shared" / "scenarios").is_dir()),
                 ROOT.parent / "shared" / "scenarios")
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def corpus(generated: int) -> Iterator[tuple[str, dict, str]]:
    """(name, facts, as of) of every dossier compared."""
    if not SCENARIOS.is_dir():
        raise SystemExit(f"the acceptance scenarios are not at {SCENARIOS}")
    for path in sorted(SCENARIOS.glob("p*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield path.name, case["faits"], str(case["date"])
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield path.name, yaml.safe_load(path.read_text(encoding="utf-8")), "2026-12-01"
    for index, facts in enumerate(dossiers(generated, seed=1, size="mixed")):
        yield f"generated[{index}]", facts, AS_OF


def renderings(facts: dict, as_of: str, policies) -> Iterator[tuple[str, str]]:
    try:
        verdict = evaluate(facts, as_of, policies=policies)
    except FactsError as error:
        yield "refus", "\n".join(f"{issue.path}: {issue.message}" for issue in error.issues)
        return
    policy = policies.for_instance(facts["instance"])
    yield "json", json.dumps(verdict, ensure_ascii=False, sort_keys=False)
    yield "explain", json.dumps(evaluate(facts, as_of, policies=policies, explain=True), ensure_ascii=False)
    yield "text", verdict_text(verdict, policy)
    yield "html", verdict_html(verdict, policy, facts)
    yield "ics", verdict_ics(verdict, policy, stamp=STAMP)
    if avis_of(policy) is not None:
        yield "avis", avis_text(policy, verdict, facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--generated", type=int, default=1000, help="how many generated dossiers (default 1000)")
    args = parser.parse_args(argv)
    policies = load_policies(POLICIES)
    with args.output.open("w", encoding="utf-8") as stream:
        for name, facts, as_of in corpus(args.generated):
            for kind, text in renderings(facts, as_of, policies):
                stream.write(f"=== {name} {kind}\n{text}\n")
    print(f"verdicts written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
