"""The variants :func:`relscore.analysis.robustness.robustness` scores: what each one is, and what
each event contributes under it.

A block of variants is a list of descriptions (``kind``, ``scheme``, and the kernel, jitter
draw or event left out where they differ from the base reading) and two (variants x events)
arrays: each event's ``conflict`` and ``cooperation`` under each variant, as
:func:`relscore.code_events` would score them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

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
    """Some variants: their description, and their (variants x events) contributions."""

    specs: list[dict]
    conflict: np.ndarray
    cooperation: np.ndarray


def repeat(coded: pd.DataFrame, specs: list[dict]) -> Variants:
    """``coded``'s own contributions, once per spec."""
    n = len(specs)
    conflict = coded["conflict"].to_numpy(dtype=float)
    cooperation = coded["cooperation"].to_numpy(dtype=float)
    return Variants(specs, np.tile(conflict, (n, 1)), np.tile(cooperation, (n, 1)))


def scheme_variants(events, schemes, overrides) -> list[Variants]:
    """The events scored by each named scheme in turn (the same ``overrides``)."""
    return [
        repeat(code_events(events, name, overrides), [{"kind": "scheme", "scheme": name}])
        for name in schemes
    ]


def jitter_variants(events, coded, draws, seed, scheme, overrides, jitter, jitter_mode) -> Variants:
    """Contributions under each draw of :func:`jitter_weights`; own weights stay."""
    drawn = jitter_weights(
        coded["event_code"],
        draws,
        seed,
        scheme=scheme,
        overrides=overrides,
        jitter=jitter,
        jitter_mode=jitter_mode,
    )
    per_event = drawn.to_numpy()[:, drawn.columns.get_indexer(coded["event_code"])]
    own = events["weight"].notna().to_numpy() if "weight" in events else False
    weight = np.where(own, coded["weight"].to_numpy(dtype=float), per_event)
    magnitude = coded["magnitude"].to_numpy(dtype=float)
    specs = [{"kind": "jitter", "scheme": scheme, "draw": i} for i in range(int(draws))]
    return Variants(
        specs, np.maximum(-weight, 0.0) * magnitude, np.maximum(weight, 0.0) * magnitude
    )


def kernel_variants(coded, scheme, half_lives, windows) -> Variants:
    """The base scores, once per kernel: decay at each half-life, rolling at each window
    (days)."""
    grid = [("decay", float(h)) for h in half_lives] + [("rolling", float(w)) for w in windows]
    specs = [
        {"kind": "kernel", "scheme": scheme, "kernel": kernel, "kernel_days": days}
        for kernel, days in grid
    ]
    return repeat(coded, specs)


def leave_one_out_variants(events, coded, scheme) -> Variants:
    """Each event's contributions set to zero in turn (the calendar does not change)."""
    ids = events["event_id"] if "event_id" in events else events.index.astype(str)
    specs = [{"kind": "leave_one_out", "scheme": scheme, "left_out": i} for i in ids]
    block = repeat(coded, specs)
    dropped = np.eye(len(coded), dtype=bool)
    return Variants(
        specs, np.where(dropped, 0.0, block.conflict), np.where(dropped, 0.0, block.cooperation)
    )


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
