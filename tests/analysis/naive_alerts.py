"""The alert definition as a plain loop per day: slow, and obviously what the module docstring
of relscore.analysis.alerts says. The compiled walk is checked against it."""

from __future__ import annotations

import math

LEVELS = ("1 year", "3 years", "record")


def naive_alerts(x, first, floor, quiet, year=365, three=1095):
    """Alerts of one series ``x`` (a list of floats) whose history starts at ``first``:
    ``(day, level, previous record's day or None, last day as high or None)``."""
    out, last_kept = [], [-math.inf] * 3
    for t in range(first, len(x)):
        history = range(first, t)
        as_high = [s for s in history if x[s] >= x[t]]
        since = as_high[-1] if as_high else None
        level = None
        if x[t] >= floor and t - first >= year:
            if since is None:
                level = 2 if t - first >= three else 0
            elif t - since > three:
                level = 1
            elif t - since > year:
                level = 0
        if level is None or t - last_kept[level] <= quiet:
            continue
        low = t  # the last day that did not rise above the day before
        while low > first and x[low] > x[low - 1]:
            low -= 1
        start = first if level == 2 else max(first, t - (year if level == 0 else three))
        span = range(start, low + 1)
        record = max(span, key=lambda s: (x[s], -s)) if len(span) else None
        out.append((t, LEVELS[level], record, since))
        for below in range(level + 1):
            last_kept[below] = t
    return out
