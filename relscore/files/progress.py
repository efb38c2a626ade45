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
    files : int, optional
        Files to do in all, if the work comes in files: the line then shows ``3/8 files``,
        counted by :meth:`update`'s ``files``.

    Examples
    --------
    >>> import io
    >>> bar = Progress("fetch", 4e6, unit="bytes", stream=io.StringIO(), files=4)
    >>> bar.update(1e6, 1e6, files=1)
    >>> bar.line().split(", ")[0]
    'fetch:  25% |#####               | 1/4 files'
    """

    def __init__(
        self,
        label: str,
        total: float,
        unit: str = "events",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        interval: float = 0.25,
        files: int | None = None,
    ):
        self.label, self.total, self.unit = label, max(float(total), 1e-12), unit
        self.stream = sys.stderr if stream is None else stream
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.done = self.count = 0.0
        self.files, self.files_done = files, 0
        self.start = time.perf_counter()
        self._drawn = 0.0

    def update(self, work: float, count: float = 0, files: int = 0) -> None:
        """Add ``work`` units done, ``count`` events (rows) handled and ``files`` done."""
        self.done += work
        self.count += count
        self.files_done += files
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
        files = "" if self.files is None else f"{self.files_done}/{self.files} files, "
        return (
            f"{self.label}: {share:4.0%} |{bar:<20}| {files}{_si(self.count)} {self.unit}, "
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
