"""Work of the dossier checks per typical evaluation: how many times a facts path is resolved, a value is shown as
text and a message is filled, counted with cProfile over N generated dossiers (the same on any commit: it counts the
functions by name, wherever they live in engine/).

    python -m bench.dossier_work [--count 100]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats

from bench.common import AS_OF, POLICIES
from bench.generate import dossiers
from engine import evaluate, load_policies

COUNTED = {"resolve": "paths resolved", "show": "values shown as text", "render": "messages filled"}


def counts(count: int) -> dict[str, float]:
    policies = load_policies(POLICIES)
    items = list(dossiers(count))
    evaluate(items[0], AS_OF, policies=policies)
    profile = cProfile.Profile()
    profile.enable()
    for facts in items:
        evaluate(facts, AS_OF, policies=policies)
    profile.disable()
    out = dict.fromkeys(COUNTED.values(), 0.0)
    for (filename, _, name), (_, calls, *_rest) in pstats.Stats(profile).stats.items():   # type: ignore[attr-defined]
        if name in COUNTED and ("/engine/policy/conditions" in filename or "/engine/policy/model/templates" in filename):
            out[COUNTED[name]] += calls / len(items)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args(argv)
    for what, value in counts(args.count).items():
        print(f"{value:8.2f}  {what} per evaluation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
