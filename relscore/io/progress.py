"""A progress line on stderr for long work: share done, events, events per second, time left.

Shown only on a terminal (or when asked), redrawn at most every ``interval`` seconds, so a
log file or a test's captured stderr stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Progress over ``total`` units of work (bytes read, blocks written, ...).

    Parameters
    ----------
    label : str
        What is being done, e.g. ``"index"``.
    total : float
        Units of work in all (any unit: the bar shows shares of it).
    unit : str, default "events"
        What :meth:`update`'s ``count`` counts, for the rate (``"events/s"``).
    stream : file, default sys.stderr
    enabled : bool, optional
        Draw the bar; default: only if ``stream`` is a terminal.
    interval : float
        Seconds between redraws.
    """

    def __init__(
        self,
        label: str,
        total: float,
        unit: str = "events",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        interval: float = 0.25,
    ):
        self.label, self.total, self.unit = label, max(float(total), 1e-12), unit
        self.stream = sys.stderr if stream is None else stream
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.done = self.count = 0.0
        self.start = time.perf_counter()
        self._drawn = 0.0

    def update(self, work: float, count: float = 0) -> None:
        """Add ``work`` units done and ``count`` events (rows) handled."""
        self.done += work
        self.count += count
        now = time.perf_counter()
        if self.enabled and now - self._drawn >= self.interval:
            self._drawn = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """The line: ``label:  37% |#######    | 3.2 M events, 1.1 M events/s, 9 s left``."""
        elapsed = max((time.perf_counter() if now is None else now) - self.start, 1e-9)
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 20)
        left = elapsed * (1 - share) / share if share > 0 else float("nan")
        rate = self.count / elapsed
        when = f"{left:.0f} s left" if left == left else "..."
        return (
            f"{self.label}: {share:4.0%} |{bar:<20}| {_si(self.count)} {self.unit}, "
            f"{_si(rate)} {self.unit}/s, {when}"
        )

    def close(self) -> float:
        """End the line (if drawn); return the seconds since the start."""
        if self.enabled:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
            self.stream.flush()
        return time.perf_counter() - self.start


def _si(x: float) -> str:
    for factor, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(x) >= factor:
            return f"{x / factor:.1f}{suffix}"
    return f"{x:.0f}"
