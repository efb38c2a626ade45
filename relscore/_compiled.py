"""Compiled passes (numba) over events and grids, and the threads that run them.

The arithmetic of :mod:`relscore.index` lives here so that module reads as the method and
this one as the machinery. The passes release the GIL (``nogil``) and run on ordinary
Python threads, not numba's ``parallel`` mode, whose fallback threading layer is not safe
to call from several threads at once (the Dask engine does). Sums are in event order, so
results do not depend on how the work is split.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def _cache_place() -> bool:
    """Find numba a writable place for its cache; False if there is none.

    numba keeps compiled code beside the source (``__pycache__``), else in the user's
    cache folder, and fails at import if neither is writable (a read-only install and
    home, as in a container). Then the cache goes to a folder of the temporary directory
    (``NUMBA_CACHE_DIR``); with no writable place at all, compiled code is not cached.
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return True
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser()) / "numba"
    if _writable(Path(__file__).parent / "__pycache__") or _writable(user):
        return True
    fallback = Path(tempfile.gettempdir()) / f"relscore-numba-cache-{os.getuid()}"
    if not _writable(fallback):
        return False
    os.environ["NUMBA_CACHE_DIR"] = str(fallback)
    if "numba" in sys.modules:  # imported before relscore: have it read the setting again
        from numba.core import config

        config.reload_config()
    return True


CACHE = _cache_place()

import numpy as np  # noqa: E402  (numba reads NUMBA_CACHE_DIR when imported)
from numba import njit as _njit  # noqa: E402


def njit(*args, **kwargs):
    """:func:`numba.njit`, without ``cache`` where no folder can hold the cache."""
    if not CACHE:
        kwargs["cache"] = False
    return _njit(*args, **kwargs)


CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
# Events or grid cells: with less work than this per thread, a thread costs more than it saves.
WORK_PER_THREAD = 1 << 18
CHUNK = 1 << 18  # events whose cells are computed at once (1 MB of int32: stays in cache)


def in_threads(task: Callable[[int, int], None], n_items: int, work: int) -> None:
    """Run ``task(lo, hi)`` over blocks of items (events or grid rows), one block per CPU
    when there is ``work`` enough (cells or events) to pay for the threads.

    Each block writes only its own part of the result, so the numbers do not depend on
    the threads. The compiled functions release the GIL while they run.
    """
    n = max(1, min(CPUS, n_items, work // WORK_PER_THREAD))
    if n == 1:
        task(0, n_items)
        return
    bounds = [n_items * k // n for k in range(n + 1)]
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(task, bounds[:-1], bounds[1:]))  # list(): raise what a block raised


def in_two_stages(
    first: Callable[[int, int, np.ndarray], None],
    second: Callable[[int, int, np.ndarray], None],
    n_items: int,
    dtype: type[np.integer],
) -> None:
    """Run ``first(lo, hi, buffer)`` then ``second(lo, hi, buffer)`` on each chunk of items,
    the chunks in order. With two CPUs, ``first`` fills the next chunk's buffer on another
    thread while ``second`` reads this one's."""
    chunks = [(lo, min(lo + CHUNK, n_items)) for lo in range(0, n_items, CHUNK)]
    buffers = [np.empty(min(CHUNK, n_items), dtype=dtype) for _ in range(2)]
    if CPUS == 1 or len(chunks) == 1:
        for lo, hi in chunks:
            first(lo, hi, buffers[0])
            second(lo, hi, buffers[0])
        return
    with ThreadPoolExecutor(1) as pool:
        ahead = pool.submit(first, *chunks[0], buffers[0])
        for k, (lo, hi) in enumerate(chunks):
            ahead.result()
            if k + 1 < len(chunks):
                ahead = pool.submit(first, *chunks[k + 1], buffers[(k + 1) % 2])
            second(lo, hi, buffers[k % 2])


# Compiled passes (numba). cache=True keeps the machine code in __pycache__, so only the
# first call after an install, or after a change to this file, compiles them.


@njit(cache=True, nogil=True)
def scan_pairs(stamps, code1, code2, n2, seen, lo, hi):
    """Events ``lo .. hi - 1``: set ``seen[code1 * n2 + code2]``; return whether no code is
    missing (< 0), and the first and last stamp."""
    first = last = stamps[lo]
    for i in range(lo, hi):
        if code1[i] < 0 or code2[i] < 0:
            return False, first, last
        seen[code1[i] * n2 + code2[i]] = True
        first = min(first, stamps[i])
        last = max(last, stamps[i])
    return True, first, last


@njit(cache=True, nogil=True)
def event_cells(stamps, per_day, first_day, n_days, code1, code2, n2, table, lo, hi, cell):
    """``cell[i - lo] = dyad * n_days + day`` for events ``lo .. hi - 1``."""
    inverse = 1.0 / per_day
    for i in range(lo, hi):
        # floor(stamp / per_day) without an integer division (three times slower): the
        # float estimate is within one day, and the remainder says which way to correct.
        day = np.int64(np.floor(stamps[i] * inverse))
        rest = stamps[i] - day * per_day
        if rest < 0:
            day -= 1
        elif rest >= per_day:
            day += 1
        cell[i - lo] = table[code1[i] * n2 + code2[i]] * n_days + day - first_day


@njit(cache=True, nogil=True)
def add_to_cells(cell, conflict, cooperation, grid):
    """Add each event to its row of ``grid`` (n_events, conflict, cooperation), in event
    order; returns the first event whose cell is outside the grid, or -1."""
    for i in range(len(cell)):
        at = cell[i]
        if at < 0 or at >= len(grid):
            return i
        grid[at, 0] += 1.0
        grid[at, 1] += conflict[i]
        grid[at, 2] += cooperation[i]
    return -1


@njit(cache=True, nogil=True)
def _kernel(net, tension, window, ratio):
    """One row: the rolling sum if ``window`` > 0, else the decay with ``ratio``.

    A window's days are added oldest first, ``tension(d) = (net(d - w + 1) + ...) + net(d)``,
    one lag at a time over the whole row (which vectorises without reordering a sum); the
    decay is ``ratio * tension(d - 1) + net(d)``, as :func:`scipy.signal.lfilter` has it.
    """
    n = len(net)
    tension[:] = 0.0
    if window > 0:
        for lag in range(min(window, n) - 1, -1, -1):
            later, earlier = tension[lag:], net[: n - lag]
            for d in range(n - lag):
                later[d] += earlier[d]
    else:
        level = 0.0
        for d in range(n):
            level = level * ratio + net[d]
            tension[d] = level


@njit(cache=True, nogil=True)
def kernel_rows(net, tension, window, ratio, first, last):
    for row in range(first, last):
        _kernel(net[row], tension[row], window, ratio)


@njit(cache=True, nogil=True)
def write_rows(grid, window, ratio, lo, first, last, n_events, conflict, cooperation, net, tension):
    """Output rows of dyads ``first .. last - 1``: the columns are dyad x shown day, the
    shown days start at day ``lo`` of the grid. The kernel runs from the grid's first day."""
    shown = n_events.shape[1]
    day_net = np.empty(lo + shown)
    day_tension = np.empty(lo + shown)
    for dyad in range(first, last):
        sums = grid[dyad]
        for d in range(lo + shown):
            day_net[d] = sums[d, 1] - sums[d, 2]
        _kernel(day_net, day_tension, window, ratio)
        for d in range(shown):
            n_events[dyad, d] = np.int64(sums[lo + d, 0])
            conflict[dyad, d] = sums[lo + d, 1]
            cooperation[dyad, d] = sums[lo + d, 2]
            net[dyad, d] = day_net[lo + d]
            tension[dyad, d] = day_tension[lo + d]


@njit(cache=True, nogil=True)
def jitter_days(drawn, code, own, own_weight, magnitude, day, net):
    """Row ``v`` of ``net``: the daily ``conflict - cooperation`` of the events under row
    ``v`` of ``drawn`` (one weight per code; an event with ``own`` keeps ``own_weight``),
    each day's contributions summed in event order, as a ``bincount`` of them would."""
    n_days = net.shape[1]
    conflict = np.empty(n_days)
    cooperation = np.empty(n_days)
    for v in range(len(drawn)):
        conflict[:] = 0.0
        cooperation[:] = 0.0
        for e in range(len(code)):
            w = own_weight[e] if own[e] else drawn[v, code[e]]
            conflict[day[e]] += max(-w, 0.0) * magnitude[e]
            cooperation[day[e]] += max(w, 0.0) * magnitude[e]
        for d in range(n_days):
            net[v, d] = conflict[d] - cooperation[d]


@njit(cache=True, nogil=True)
def leave_out_days(conflict, cooperation, by_day, day_start, day, out):
    """``out[e]``: event ``e``'s day's ``conflict - cooperation`` summed again without it,
    the day's other events in event order (``by_day`` lists the events by day, in event
    order within a day; the events of day ``d`` are ``by_day[day_start[d] :
    day_start[d + 1]]``). Costs the sum over days of their events squared."""
    for e in range(len(day)):
        c = 0.0
        k = 0.0
        for at in range(day_start[day[e]], day_start[day[e] + 1]):
            if by_day[at] != e:
                c += conflict[by_day[at]]
                k += cooperation[by_day[at]]
        out[e] = c - k


# The walks of relscore.analysis.episodes along each series: one pass where numpy would
# need a dozen arrays as long as the series (tests/analysis/naive.py keeps those forms).


@njit(cache=True, nogil=True)
def rise_starts(x, bounds, out):
    """For each position of each series ``bounds[s] : bounds[s + 1]``: the first day of
    the rise it is part of (see ``relscore.analysis.episodes._rise_start``)."""
    for s in range(len(bounds) - 1):
        last_still = bounds[s]
        for i in range(bounds[s], bounds[s + 1]):
            if i == bounds[s] or x[i] <= x[i - 1] or x[i] <= 0:
                last_still = i
                out[i] = i
            else:
                out[i] = last_still + 1


@njit(cache=True, nogil=True)
def farthest_days(x, pos, limit, level, keep, step, out):
    """From each peak ``pos[j]`` toward ``limit[j]`` (``step`` -1: earlier, 1: later), the
    farthest day at or above ``level[j]`` whose value the index stays at or above ``keep``
    x of between it and the peak; the peak itself when there is none."""
    for j in range(len(pos)):
        lowest = np.inf
        out[j] = pos[j]
        for at in range(pos[j], limit[j] + step, step):
            value = x[at]
            lowest = min(lowest, value)
            if value >= level[j] * (1 - 1e-12) and lowest >= keep * value * (1 - 1e-12):
                out[j] = at


@njit(cache=True, nogil=True)
def troughs(x, after, before, out):
    """The first lowest day strictly between ``after[j]`` and ``before[j]``."""
    for j in range(len(after)):
        out[j] = after[j] + 1
        for at in range(after[j] + 2, before[j]):
            if x[at] < x[out[j]]:
                out[j] = at


@njit(cache=True, nogil=True)
def trailing_minima(x, at, days, out):
    """``out[j]``: the lowest of ``x[at[j] - days : at[j]]`` (``at`` ascending, each >=
    ``days``), one pass with a queue of the days that can still be a window's lowest."""
    queue = np.empty(len(x), np.int64)
    head = tail = 0
    pushed = 0  # days 0 .. pushed - 1 have been offered to the queue
    for j in range(len(at)):
        while pushed < at[j]:
            while tail > head and x[queue[tail - 1]] >= x[pushed]:
                tail -= 1
            queue[tail] = pushed
            tail += 1
            pushed += 1
        while queue[head] < at[j] - days:
            head += 1
        out[j] = x[queue[head]]


@njit(cache=True, nogil=True)
def top_k_of_groups(value, position, starts, k, out_position, out_value):
    """In each group ``starts[g] : starts[g + 1]``, the ``k`` items of largest ``|value|``,
    ties to the smaller ``position`` (a stable sort of ``-|value|`` in position order),
    largest first; the rest of ``out_*`` is left as it is."""
    for g in range(len(starts) - 1):
        n = 0
        for at in range(starts[g], starts[g + 1]):
            size = abs(value[at])
            slot = n
            while slot > 0 and (
                size > abs(out_value[g, slot - 1])
                or (
                    size == abs(out_value[g, slot - 1]) and position[at] < out_position[g, slot - 1]
                )
            ):
                slot -= 1
            if slot >= k:
                continue
            for move in range(min(n, k - 1), slot, -1):
                out_value[g, move] = out_value[g, move - 1]
                out_position[g, move] = out_position[g, move - 1]
            out_value[g, slot] = value[at]
            out_position[g, slot] = position[at]
            n = min(n + 1, k)
