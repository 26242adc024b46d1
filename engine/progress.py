"""A one-line progress bar for long runs, drawn on a terminal only (never in a pipe or a log file)."""
from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30
INTERVAL = 0.1      # seconds between redraws


def count_lines(path: str) -> int | None:
    """Number of lines of a file (a quick binary scan), or None if it cannot be read."""
    total = 0
    last = b"\n"
    try:
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                total += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return None
    return total + (last != b"\n")


class ProgressBar:
    """`update(done)` redraws at most every INTERVAL seconds; `close()` leaves the final state on its line."""

    def __init__(self, stream: TextIO, total: int | None = None, label: str = "lines"):
        self.stream = stream
        self.total = total
        self.label = label
        self.started = time.monotonic()
        self.drawn = 0.0
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self.drawn >= INTERVAL:
            self.drawn = now
            self._draw(now)

    def close(self) -> None:
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * WIDTH)
            remaining = (self.total - self.done) / rate if rate else 0
            text = (f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done:,}/{self.total:,} {self.label} "
                    f"{share:4.0%}  {rate:,.0f}/s  eta {_clock(remaining)}")
        else:
            text = f"\r{self.done:,} {self.label}  {rate:,.0f}/s  {_clock(elapsed)}"
        self.stream.write(text)
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"
