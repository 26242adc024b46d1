"""The fuzz suite: property tests bounded for CI (profile `ci`, the default), and a longer run (profile `long`,
`CLEA_FUZZ=long`, what `python -m fuzz` runs). Each example runs under an alarm: a hang fails the test."""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)     # the same examples every run
settings.register_profile("long", max_examples=int(os.environ.get("CLEA_FUZZ_EXAMPLES", "3000")),
                          **_COMMON)                                                # new examples every run
PROFILE = os.environ.get("CLEA_FUZZ", "ci")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """Examples of one property: ``ci`` in CI, the long profile's count in the long run."""
    return ci if PROFILE == "ci" else settings.get_profile("long").max_examples


class Hang(Exception):
    """An example ran past its time bound: a hang."""


@contextmanager
def bounded(seconds: int = 30):
    """Fail, instead of hanging, when the block runs longer than ``seconds`` (never expected to fire)."""
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
