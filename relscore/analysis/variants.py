"""The variants :func:`relscore.analysis.robustness.robustness` scores: what each one is, and what
each event contributes under it.

A block of variants is a list of descriptions (``kind``, ``scheme``, and the kernel, jitter
draw or event left out where they differ from the base reading) and a function that puts any
of its variants onto the (variants x days) grid: each day's ``conflict - cooperation`` under
the variant, the events scored as :func:`relscore.code_events` would score them and summed in
event order. No block holds an array of variants x events: memory grows with the events plus
the days times the rows asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from relscore._compiled import jitter_days, leave_out_days
from relscore.codebook import DEFAULT_SCHEME, weights_table
from relscore.coding import code_events
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN

HALF_LIVES = (7.0, 10.0, 21.0, 28.0)  # days, besides the base kernel
WINDOWS = (7, 14, 30, 60, 90)  # days


def jitter_weights(
    codes: Iterable[str],
    draws: int,
    seed: int | None = 0,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    jitter: float = 0.2,
    jitter_mode: str = "relative",
) -> pd.DataFrame:
    """Random weights for ``codes``: one row per draw, one column per code (sorted).

    Each weight is drawn uniformly within ``+-jitter`` of the code's weight under
    ``scheme`` and ``overrides`` -- as a fraction of it (``"relative"``) or in Goldstein
    points (``"points"``) -- and clipped to -10 ... +10. A row is a valid ``overrides``
    dict for :func:`relscore.code_events`. The same ``seed`` gives the same weights.

    Examples
    --------
    Three draws within +-20 % of the Goldstein weights 4 (``036``) and -10 (``195``),
    clipped to -10:

    >>> jitter_weights(["195", "036"], 3, seed=0, scheme="goldstein").round(2)
    event_code   036    195
    0           4.22  -9.08
    1           3.27  -8.07
    2           4.50 -10.00
    """
    if jitter_mode not in {"relative", "points"}:
        raise ValueError(f"jitter_mode must be 'relative' or 'points', got {jitter_mode!r}")
    codes = sorted(set(codes))
    base = weights_table(scheme, overrides).loc[codes, "weight"].to_numpy(dtype=float)
    step = np.random.default_rng(seed).uniform(-jitter, jitter, size=(int(draws), len(codes)))
    drawn = base * (1.0 + step) if jitter_mode == "relative" else base + step
    return pd.DataFrame(
        np.clip(drawn, WEIGHT_MIN, WEIGHT_MAX), columns=pd.Index(codes, name="event_code")
    )


class Variants(NamedTuple):
    """Some variants: their description, and how to put any of them onto the grid.

    ``net(rows)`` gives the daily ``conflict - cooperation`` (index points) of the block's
    variants ``rows`` (positions in ``specs``) as a (len(rows) x days) array, each day's
    contributions summed in event order -- what a ``bincount`` of the variant's per-event
    contributions gives, without ever holding a (variants x events) array. Variants whose
    rows are the same to the bit may say so in ``same_as`` (positions in ``specs``), and are
    read once.
    """

    specs: list[dict]
    net: Callable[[np.ndarray], np.ndarray]
    same_as: np.ndarray | None = None  # per variant, the one whose reading it shares


def daily_net(coded: pd.DataFrame, day: np.ndarray, n_days: int) -> np.ndarray:
    """``coded``'s daily ``conflict - cooperation`` on days ``0 .. n_days - 1`` (``day``:
    each event's), each day summed in event order."""

    def daily(values: str) -> np.ndarray:
        return np.bincount(day, coded[values].to_numpy(dtype=float), minlength=n_days)

    return daily("conflict") - daily("cooperation")


def repeat(coded: pd.DataFrame, specs: list[dict], day: np.ndarray, n_days: int) -> Variants:
    """``coded``'s own contributions, once per spec."""
    net = daily_net(coded, day, n_days)
    return Variants(specs, lambda rows: np.tile(net, (len(rows), 1)))


def scheme_variants(events, schemes, overrides, day, n_days) -> list[Variants]:
    """The events scored by each named scheme in turn (the same ``overrides``)."""
    return [
        repeat(
            code_events(events, name, overrides),
            [{"kind": "scheme", "scheme": name}],
            day,
            n_days,
        )
        for name in schemes
    ]


def jitter_variants(
    events, coded, draws, seed, scheme, overrides, jitter, jitter_mode, day, n_days
) -> Variants:
    """Contributions under each draw of :func:`jitter_weights`; own weights stay.

    The drawn weights are a (draws x codes) table; each block of draws is scored and put
    on the grid event by event (:func:`relscore._compiled.jitter_days`).
    """
    drawn = jitter_weights(
        coded["event_code"],
        draws,
        seed,
        scheme=scheme,
        overrides=overrides,
        jitter=jitter,
        jitter_mode=jitter_mode,
    )
    weights = np.ascontiguousarray(drawn.to_numpy(dtype=float))
    code = drawn.columns.get_indexer(coded["event_code"]).astype(np.int64)
    own = np.zeros(len(coded), bool)
    if "weight" in events:
        own = events["weight"].notna().to_numpy()
    own_weight = coded["weight"].to_numpy(dtype=float)
    magnitude = coded["magnitude"].to_numpy(dtype=float)
    specs = [{"kind": "jitter", "scheme": scheme, "draw": i} for i in range(int(draws))]

    def net(rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), n_days))
        jitter_days(weights[rows], code, own, own_weight, magnitude, day, out)
        return out

    return Variants(specs, net)


def kernel_variants(coded, scheme, half_lives, windows, day, n_days) -> Variants:
    """The base scores, once per kernel: decay at each half-life, rolling at each window
    (days)."""
    grid = [("decay", float(h)) for h in half_lives] + [("rolling", float(w)) for w in windows]
    specs = [
        {"kind": "kernel", "scheme": scheme, "kernel": kernel, "kernel_days": days}
        for kernel, days in grid
    ]
    return repeat(coded, specs, day, n_days)


def leave_one_out_variants(events, coded, scheme, day, n_days) -> Variants:
    """Each event's contributions set to zero in turn (the calendar does not change).

    Only the left-out event's day differs from the base reading: it is summed again
    without the event (:func:`relscore._compiled.leave_out_days`), so a block of variants
    costs its rows of the grid and nothing per pair of events. Two events whose day reads
    the same without either (same day, same sum, to the bit) give the same variant:
    ``same_as`` says which one to read.
    """
    ids = events["event_id"] if "event_id" in events else events.index.astype(str)
    specs = [{"kind": "leave_one_out", "scheme": scheme, "left_out": i} for i in ids]
    base = daily_net(coded, day, n_days)
    by_day = np.argsort(day, kind="stable")  # event order within a day
    day_start = np.searchsorted(day[by_day], np.arange(n_days + 1))
    without = np.empty(len(day))
    leave_out_days(
        coded["conflict"].to_numpy(dtype=float),
        coded["cooperation"].to_numpy(dtype=float),
        by_day,
        day_start,
        day,
        without,
    )
    keys = np.stack([day, without.view(np.int64)], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)

    def net(rows: np.ndarray) -> np.ndarray:
        out = np.tile(base, (len(rows), 1))
        out[np.arange(len(rows)), day[rows]] = without[rows]
        return out

    return Variants(specs, net, first[inverse.ravel()])


def spec_table(specs: list[dict], kernel: tuple[str, float]) -> pd.DataFrame:
    """The variants' description; kernel columns default to the base ``kernel``."""

    def column(key, dtype, default=None):
        return pd.Series([spec.get(key, default) for spec in specs], dtype=dtype)

    return pd.DataFrame(
        {
            "variant": np.arange(len(specs)),
            "kind": column("kind", "str"),
            "scheme": column("scheme", "str"),
            "kernel": column("kernel", "str", kernel[0]),
            "kernel_days": column("kernel_days", float, kernel[1]),
            "draw": column("draw", "Int64"),
            "left_out": column("left_out", "str"),
        }
    )
