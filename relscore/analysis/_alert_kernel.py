"""The compiled pass (numba) of :mod:`relscore.analysis.alerts`: one walk along each dyad's
days that finds its records and keeps the alerts the quiet period lets through.

:mod:`relscore.analysis.alerts` reads as the method and this module as the machinery; its
reference implementation, a plain loop per day, is in ``tests/analysis/naive_alerts.py``.
"""

from __future__ import annotations

import numpy as np

from relscore._compiled import njit

YEAR_LEVEL, THREE_YEAR_LEVEL, RECORD_LEVEL = 0, 1, 2
_NEVER = -(1 << 62)  # "no alert kept yet": any day minus it is beyond any quiet period


@njit(cache=True, nogil=True)
def scan_rows(values, first, floor, quiet, year, three, found):
    """Walk each row (a dyad's days, oldest first) once and keep its alerts.

    ``first[r]`` is row ``r``'s first day with an event (-1: none, skipped). On day ``t``
    the last earlier day at least as high comes off a stack of ever-lower days (amortised
    O(1) a day). Day ``t`` is a candidate when ``values[r, t] >= floor``, the dyad has at
    least ``year`` days before it, and its value beats every day of ``year`` days (level
    0), of ``three`` days (level 1) or of its whole history, when that is ``three`` days or
    more (level 2). A candidate is kept unless an alert of its level or higher was kept in
    the ``quiet`` days before it.

    ``found`` (int64, shape (capacity, 5)) receives one row per alert: row, day position,
    level, position of the previous record (the highest day of the level's span before the
    rise that made the alert began -- the record it broke; the earliest if tied; -1 when
    the span holds no such day) and the last earlier day at least as high (-1: none).
    Returns the number of alerts, or -1 if ``found`` is too small (the caller grows it and
    calls again).
    """
    n_rows, n_days = values.shape
    stack = np.empty(n_days, np.int64)
    count = 0
    for r in range(n_rows):
        f = first[r]
        if f < 0:
            continue
        x = values[r]
        top = 0
        kept = np.full(3, _NEVER)
        low = f  # the last day that did not rise above the day before: where a rise began
        for t in range(f, n_days):
            v = x[t]
            if t == f or v <= x[t - 1]:
                low = t
            while top > 0 and x[stack[top - 1]] < v:
                top -= 1
            prev = stack[top - 1] if top > 0 else -1
            stack[top] = t
            top += 1
            level = -1
            if v >= floor and t - f >= year:
                if prev < 0:
                    level = RECORD_LEVEL if t - f >= three else YEAR_LEVEL
                elif t - prev > three:
                    level = THREE_YEAR_LEVEL
                elif t - prev > year:
                    level = YEAR_LEVEL
            if level >= 0 and t - kept[level] > quiet:
                if count == len(found):
                    return -1
                if level == RECORD_LEVEL:
                    start = f
                else:
                    start = max(f, t - (year if level == YEAR_LEVEL else three))
                record = start if start <= low else -1
                for s in range(start + 1, low + 1):
                    if x[s] > x[record]:
                        record = s
                found[count, 0] = r
                found[count, 1] = t
                found[count, 2] = level
                found[count, 3] = record
                found[count, 4] = prev
                count += 1
                for below in range(level + 1):
                    kept[below] = t
    return count
