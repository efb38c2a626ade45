"""Slow reference implementations that the fast paths of :mod:`relscore.analysis` are
checked against (as stumpy keeps its ``tests/naive.py``).

:func:`robustness` is the first form of :func:`relscore.analysis.robustness.robustness`:
every variant's per-event contributions as one row of a (variants x events) matrix
(leave-one-out from an events x events identity, jitter from a draws x events matrix), a
``bincount`` of each block of rows onto a (variants x days) grid, and the kernel. Its
memory grows with the square of the events; use it on small inputs only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.analysis import variants
from relscore.analysis.episodes import _ranges, min_rise_of, top_episodes
from relscore.analysis.robustness import _dyad_events
from relscore.codebook import SCHEMES, get_scheme
from relscore.coding import code_events
from relscore.index import apply_kernel, half_life_or_default


def _repeat(coded, specs):
    n = len(specs)
    conflict = coded["conflict"].to_numpy(dtype=float)
    cooperation = coded["cooperation"].to_numpy(dtype=float)
    return specs, np.tile(conflict, (n, 1)), np.tile(cooperation, (n, 1))


def _jitter(events, coded, draws, seed, scheme, overrides, jitter, jitter_mode):
    drawn = variants.jitter_weights(
        coded["event_code"], draws, seed, scheme=scheme, overrides=overrides,
        jitter=jitter, jitter_mode=jitter_mode,
    )  # fmt: skip
    per_event = drawn.to_numpy()[:, drawn.columns.get_indexer(coded["event_code"])]
    own = events["weight"].notna().to_numpy() if "weight" in events else False
    weight = np.where(own, coded["weight"].to_numpy(dtype=float), per_event)
    magnitude = coded["magnitude"].to_numpy(dtype=float)
    specs = [{"kind": "jitter", "scheme": scheme, "draw": i} for i in range(int(draws))]
    return specs, np.maximum(-weight, 0.0) * magnitude, np.maximum(weight, 0.0) * magnitude


def _leave_one_out(events, coded, scheme):
    ids = events["event_id"] if "event_id" in events else events.index.astype(str)
    specs = [{"kind": "leave_one_out", "scheme": scheme, "left_out": i} for i in ids]
    _, conflict, cooperation = _repeat(coded, specs)
    dropped = np.eye(len(coded), dtype=bool)
    return specs, np.where(dropped, 0.0, conflict), np.where(dropped, 0.0, cooperation)


def _daily_net(conflict, cooperation, day, n_days):
    n = len(conflict)
    cell = (np.arange(n)[:, None] * n_days + day[None, :]).ravel()

    def grid(values):
        return np.bincount(cell, values.ravel(), minlength=n * n_days).reshape(n, n_days)

    return grid(conflict) - grid(cooperation)


def robustness(
    events, dyad, draws=1000, seed=0, *, scheme="magnitude", overrides=None, window=None,
    half_life=None, schemes=tuple(SCHEMES), jitter=0.2, jitter_mode="relative",
    half_lives=variants.HALF_LIVES, windows=variants.WINDOWS, leave_one_out=True,
    directed=False, end=None, horizon_days=365, chunk=128,
):  # fmt: skip
    """The variants of :func:`relscore.analysis.robustness.robustness` (default reading)."""
    chosen = _dyad_events(events, dyad, directed)
    scheme = get_scheme(scheme).name
    kernel = (
        ("rolling", float(window))
        if window is not None
        else ("decay", half_life_or_default(half_life))
    )
    coded = code_events(chosen, scheme, overrides)
    grid = [("decay", float(h)) for h in half_lives] + [("rolling", float(w)) for w in windows]
    blocks = [
        _repeat(coded, [{"kind": "base", "scheme": scheme}]),
        *[
            _repeat(code_events(chosen, name, overrides), [{"kind": "scheme", "scheme": name}])
            for name in schemes
        ],
        _jitter(chosen, coded, draws, seed, scheme, overrides, jitter, jitter_mode),
        _repeat(
            coded,
            [{"kind": "kernel", "scheme": scheme, "kernel": k, "kernel_days": d} for k, d in grid],
        ),
    ]
    if leave_one_out:
        blocks.append(_leave_one_out(chosen, coded, scheme))
    specs = variants.spec_table([spec for block in blocks for spec in block[0]], kernel)
    conflict = np.concatenate([block[1] for block in blocks])
    cooperation = np.concatenate([block[2] for block in blocks])
    day = chosen["date"].to_numpy("datetime64[D]").astype(np.int64)
    first = int(day.min()) - 1
    last = int(day.max()) + horizon_days
    last = last if end is None else max(last, int(np.datetime64(end, "D").astype(np.int64)))
    parts = []
    for (kind_of_kernel, days), rows in specs.groupby(["kernel", "kernel_days"], sort=False):
        kernel_args = {"window": int(days)} if kind_of_kernel == "rolling" else {"half_life": days}
        at = rows.index.to_numpy()
        for lo in range(0, len(at), chunk):
            block = at[lo : lo + chunk]
            net = _daily_net(conflict[block], cooperation[block], day - first, last - first + 1)
            tension = apply_kernel(net, **kernel_args)
            rise = specs.loc[block, "scheme"].map(min_rise_of)
            parts.append(
                top_episodes(
                    tension, net, first, min_rise=np.asarray(rise, float),
                    horizon_days=horizon_days,
                ).set_index(block)
            )  # fmt: skip
    measures = pd.concat(parts).sort_index()
    return pd.concat([specs, measures], axis=1).rename_axis(None)


def farthest(x, pos, limit, level, keep, step):
    """The first form of ``relscore.analysis.episodes._farthest``: every day of every
    range at once, a running minimum by group, then the farthest day that qualifies."""
    if not len(pos):
        return pos
    near, far = (pos, limit) if step > 0 else (limit, pos)
    at, which = _ranges(near, far)
    if step < 0:  # walk from the peak outward: reverse each range
        at, which = at[::-1], which[::-1]
    lowest = pd.Series(x[at]).groupby(which, sort=False).cummin().to_numpy()
    ok = (x[at] >= level[which] * (1 - 1e-12)) & (lowest >= keep * x[at] * (1 - 1e-12))
    best = np.where(ok, at * step, np.iinfo(np.int64).min)
    out = np.full(len(pos), np.iinfo(np.int64).min)
    np.maximum.at(out, which, best)
    return np.where(out == np.iinfo(np.int64).min, pos, out * step)


def rise_start(x, bounds):
    """The first form of ``relscore.analysis.episodes._rise_start``, in array passes."""
    still = np.ones(len(x), bool)
    still[1:] = (x[1:] <= x[:-1]) | (x[1:] <= 0)
    still[bounds[:-1][bounds[:-1] < len(x)]] = True  # a series' first day
    last_still = np.maximum.accumulate(np.where(still, np.arange(len(x)), 0))
    return np.where(~still, last_still + 1, np.arange(len(x)))


def baselines(x, series_start, start, days):
    """The first form of ``relscore.analysis.episodes._baselines``: ``nanmedian`` of every
    window, days outside the series masked."""
    at = start[:, None] - days + np.arange(days)
    inside = at >= series_start[:, None]
    values = np.where(inside, x[np.clip(at, 0, len(x) - 1)], np.nan)
    values[~inside.any(axis=1), -1] = 0.0  # no day before: measured against 0
    return np.nanmedian(values, axis=1) if len(start) else np.zeros(0)


def top_contributors(coded, days, k, window=None, half_life=None):
    """The first form of :func:`relscore.top_contributors` for one dyad's coded events
    (``day``, ``net``): one (days x events) array of contributions, a stable argsort of
    each row. Returns the (days x k) positions and contributions."""
    from relscore.analysis.explain import kernel_factors

    contribution = kernel_factors(days, coded["day"].to_numpy(), window, half_life)
    contribution = contribution * coded["net"].to_numpy()
    order = np.argsort(-np.abs(contribution), axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(contribution, order, axis=1)
