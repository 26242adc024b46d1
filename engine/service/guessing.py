"""Limits on guessing a token: each client's failed attempts slow its next answers down, then are refused.

Per client address (as :mod:`clients` resolves it) and per process, over a sliding window: after SLOW_AFTER
failures each wrong answer waits longer (1 s, 2 s, 4 s… at most MAX_DELAY), and from REFUSE_AFTER failures every
attempt, right or wrong, gets 429 with ``Retry-After`` until the oldest failure leaves the window. A right token
clears the client's failures. Each failure and each refusal is logged with the address and the route.
"""
from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict, deque

from .problems import Problem

logger = logging.getLogger("clea.service")

WINDOW = 15 * 60        # seconds a failure is remembered
SLOW_AFTER = 3          # failures answered at once; the next ones wait
REFUSE_AFTER = 10       # failures in the window after which every attempt is refused
MAX_DELAY = 8.0         # seconds, the longest wait of a wrong answer
MAX_CLIENTS = 10_000    # addresses remembered (the oldest forgotten first): memory stays bounded


class Guessing:
    def __init__(self, *, window: float = WINDOW, slow_after: int = SLOW_AFTER, refuse_after: int = REFUSE_AFTER,
                 max_delay: float = MAX_DELAY) -> None:
        self.window, self.slow_after, self.refuse_after, self.max_delay = window, slow_after, refuse_after, max_delay
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str, route: str, now: float | None = None) -> int | None:
        """Seconds the client must wait before trying again (it is refused now), or None."""
        now = time.monotonic() if now is None else now
        failures = self._recent(client, now)
        if len(failures) < self.refuse_after:
            return None
        wait = max(1, math.ceil(failures[-self.refuse_after] + self.window - now))
        logger.warning("token attempts refused from %s on %s: %d failures in %d s, retry after %d s",
                       client, route, len(failures), self.window, wait)
        return wait

    def failed(self, client: str, route: str, now: float | None = None) -> float:
        """Remember a wrong token; the seconds to wait before answering it."""
        now = time.monotonic() if now is None else now
        failures = self._recent(client, now)
        if client not in self._failures:
            self._failures[client] = failures
        failures.append(now)
        self._failures.move_to_end(client)
        while len(self._failures) > MAX_CLIENTS:
            self._failures.popitem(last=False)
        logger.warning("wrong token from %s on %s (%d failures in %d s)", client, route, len(failures), self.window)
        over = len(failures) - self.slow_after
        return 0.0 if over <= 0 else min(self.max_delay, 2.0 ** (over - 1))

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def too_many_attempts(wait: int) -> Problem:
    """The 429 answered to a client refused for its failures."""
    return Problem(429, "trop-de-tentatives", "Trop de tentatives",
                   f"Trop de jetons invalides venant de cette adresse : réessayez dans {wait} s.",
                   headers={"Retry-After": str(wait)})
