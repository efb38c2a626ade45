"""Robustness: does a dyad's top episode survive other weights, kernels and events?

:func:`robustness` re-reads one dyad under many *variants* of the analysis, each scored
and run through the kernel in one set of array operations:

* ``base`` -- the reading as given (``scheme``, ``overrides``, kernel);
* ``scheme`` -- each named scheme in turn (:data:`relscore.SCHEMES`);
* ``jitter`` -- ``draws`` random re-weightings: every CAMEO code's weight in the data is
  drawn anew, independently per code and per draw, uniformly within ``+-jitter`` of its
  value (``jitter_mode="relative"``: +-20 % by default, so no weight changes sign; or
  ``"points"``: +-``jitter`` Goldstein points, which can flip weak weights), then clipped
  to -10 ... +10. Events that carry their own ``weight`` keep it, as in
  :func:`relscore.code_events`; magnitudes (deeds, deaths) are the scheme's;
* ``kernel`` -- the decay kernel at each of ``half_lives`` and the rolling kernel at each
  of ``windows`` (days);
* ``leave_one_out`` -- each event of the dyad dropped in turn (the calendar stays that of
  all the dyad's events).

The index is linear in the events' scores, so no variant needs more than its own row of
the (variants x days) grid: a block of ``chunk`` variants is put onto the grid at once
(:mod:`relscore.analysis.variants`: a jitter draw scores the events anew, leaving one
event out sums its day again without it) and one :func:`relscore.apply_kernel` call runs
the kernel along days for the whole block. Memory grows with the events plus ``chunk`` x
the days, never with events x events; a run that would not fit stops before it starts.
Summing in event order, as :func:`relscore.tension_index` does, each variant's index
equals what ``code_events`` and ``tension_index`` give for its weights, to the last bit.

Per variant the **top episode** is read by :func:`relscore.analysis.episodes.top_episodes`
(the one definition of the top episode and of its runner-up).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from relscore.analysis import variants
from relscore.analysis.episodes import FALL, min_rise_of, top_episodes
from relscore.analysis.halflife import (
    FIT_UNTIL,
    MAX_FIT_DAYS,
    MIN_FIT_DAYS,
)
from relscore.analysis.variants import HALF_LIVES, WINDOWS
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, get_scheme
from relscore.coding import code_events
from relscore.index import apply_kernel, dyad_codes, half_life_or_default
from relscore.scale import budget
from relscore.vocabulary import check_dyad, day_number

KINDS = ("base", "scheme", "jitter", "kernel", "leave_one_out")
MAX_DRAWS = 100_000  # jitter draws: a 95 % interval is well read from 1,000
# Memory, upper bounds in bytes: per event of the dyad (its day, code, weights and
# contributions, and the coded frame's columns), per variant (its row of the table of
# results) and per day of each variant's row of the grid (net, tension and the reading of
# its top episode); the drawn weights take 8 bytes per code of the codebook, three times.
BYTES_PER_EVENT = 400
BYTES_PER_VARIANT = 400
BYTES_PER_VARIANT_DAY = 400
MAX_CODES = 310


def robustness(
    events: pd.DataFrame,
    dyad: str,
    draws: int = 1000,
    seed: int | None = 0,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    window: int | None = None,
    half_life: float | None = None,
    schemes: Iterable[str] = tuple(SCHEMES),
    jitter: float = 0.2,
    jitter_mode: str = "relative",
    half_lives: Iterable[float] = HALF_LIVES,
    windows: Iterable[int] = WINDOWS,
    leave_one_out: bool = True,
    directed: bool = False,
    end: str | pd.Timestamp | None = None,
    fall: float = FALL,
    baseline_days: int = 365,
    min_rise: float | None = None,
    horizon_days: int = 365,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
    chunk: int = 128,
    max_memory: float | None = None,
) -> pd.DataFrame:
    """Read ``dyad``'s top episode under every variant (see the module docstring).

    Parameters
    ----------
    events : pandas.DataFrame
        Events as from :func:`relscore.read_events`; only ``dyad``'s are used.
    dyad : str
        ``"IRN-PAK"`` (or ``"IRN>PAK"`` with ``directed=True``).
    draws : int, default 1000
        Number of jitter variants.
    seed : int, default 0
        Seed of the jitter draws; the same seed gives the same table.
    scheme, overrides, window, half_life
        The base reading: scoring and kernel (days), as for :func:`relscore.code_events`
        and :func:`relscore.tension_index`; default ``magnitude``, decay over 14 days.
    schemes, jitter, jitter_mode, half_lives, windows, leave_one_out
        The variants: schemes re-scored, jitter size (fraction, or Goldstein points), the
        kernel grid (days), and whether to drop each event in turn.
    directed, end
        As for :func:`relscore.tension_index`: directed dyads; extend the calendar to
        ``end`` (by default ``horizon_days`` after the dyad's last event, as
        :func:`relscore.episodes` reads a dyad).
    fall, baseline_days, min_rise, horizon_days, fit_until, min_fit_days, max_fit_days
        What an episode is and how its post-peak path is read, as for
        :func:`relscore.episodes`; by default ``min_rise`` follows each variant's scheme
        (:func:`relscore.analysis.episodes.min_rise_of`).
    chunk : int, default 128
        Variants per block of the (variants x days) grid: memory, not results. Made
        smaller where the memory budget needs it.
    max_memory : float, optional
        Memory budget in bytes (default: the memory available,
        :func:`relscore.scale.budget.available_memory`).

    Raises
    ------
    relscore.BudgetError
        Before any work, when the run would not fit ``max_memory`` even one variant at a
        time; the message says how much it needs.

    Returns
    -------
    pandas.DataFrame
        One row per variant: ``variant`` (0 = base), ``kind``, ``scheme``, ``kernel``
        (``"decay"`` or ``"rolling"``), ``kernel_days`` (half-life or window, days),
        ``draw`` (jitter draw number; row ``draw`` of
        :func:`relscore.analysis.variants.jitter_weights` with the same
        arguments), ``left_out`` (``event_id`` of the dropped event), ``peak_date``,
        ``peak`` (index points), ``days_to_half``, ``half_life_days``, ``fit_days``,
        ``runner_up_date``, ``runner_up`` (the episode of rank 2) and ``peak_ratio`` (peak /
        runner-up, when the runner-up is positive).

    Examples
    --------
    Iran-Pakistan under 20 jitter draws (and the other variants):

    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> table = robustness(events, "IRN-PAK", draws=20, seed=0)
    >>> table.groupby("kind", sort=False).size()
    kind
    base               1
    scheme             3
    jitter            20
    kernel             9
    leave_one_out    267
    dtype: int64

    Every variant but one keeps the top peak on 18 January 2024; leaving out Pakistan's
    strikes of that day moves it a day earlier:

    >>> table.loc[table["peak_date"] != "2024-01-18", ["kind", "left_out", "peak_date"]]
                  kind          left_out  peak_date
    234  leave_one_out  irpk-20240118-01 2024-01-17
    >>> table.groupby("kind", sort=False)["half_life_days"].median().round(1)
    kind
    base              6.6
    scheme            5.8
    jitter            6.7
    kernel           15.8
    leave_one_out     6.6
    Name: half_life_days, dtype: float64

    :func:`summarise_robustness` puts such numbers in one table.
    """
    if not 0 <= int(draws) <= MAX_DRAWS:
        raise ValueError(f"draws must lie between 0 and {MAX_DRAWS:,}, got {draws}")
    chosen = _dyad_events(events, dyad, directed)
    scheme = get_scheme(scheme).name
    kernel = (
        ("rolling", float(window))
        if window is not None
        else ("decay", half_life_or_default(half_life))
    )
    day = chosen["date"].to_numpy("datetime64[D]").astype(np.int64)
    # The dyad's own days, as relscore.episodes reads them: from the day before its first
    # event to horizon_days after its last (or to `end`, if later).
    first = int(day.min()) - 1
    last = int(day.max()) + horizon_days
    last = last if end is None else max(last, day_number(end))
    n_days = last - first + 1
    day = day - first
    coded = code_events(chosen, scheme, overrides)
    blocks = [
        variants.repeat(coded, [{"kind": "base", "scheme": scheme}], day, n_days),
        *variants.scheme_variants(chosen, schemes, overrides, day, n_days),
        variants.jitter_variants(
            chosen, coded, draws, seed, scheme, overrides, jitter, jitter_mode, day, n_days
        ),
        variants.kernel_variants(coded, scheme, half_lives, windows, day, n_days),
    ]
    if leave_one_out:
        blocks.append(variants.leave_one_out_variants(chosen, coded, scheme, day, n_days))
    specs = variants.spec_table([spec for block in blocks for spec in block.specs], kernel)
    chunk = _chunk(len(chosen), n_days, len(specs), draws, chunk, max_memory, dyad)
    reading = {
        "fall": fall,
        "baseline_days": baseline_days,
        "horizon_days": horizon_days,
        "fit_until": fit_until,
        "min_fit_days": min_fit_days,
        "max_fit_days": max_fit_days,
    }
    if min_rise is None:
        rises = {name: min_rise_of(name) for name in specs["scheme"].unique()}
        rise = specs["scheme"].map(rises).to_numpy(dtype=float)
    else:
        rise = np.full(len(specs), float(min_rise))
    parts = []
    for rows, net, kernel_args in _grids(blocks, specs, chunk):
        tension = apply_kernel(net, **kernel_args)
        top = top_episodes(tension, net, first, min_rise=rise[rows], **reading)
        parts.append(top.set_index(rows))
    measures = pd.concat(parts).reindex(_read_as(blocks))
    measures.index = specs.index
    return pd.concat([specs, measures], axis=1).rename_axis(None)


def _grids(blocks: list[variants.Variants], specs: pd.DataFrame, chunk: int):
    """Each block of at most ``chunk`` variants that share a kernel: their rows of
    ``specs``, their (variants x days) daily net, and the kernel's arguments."""
    lo = 0
    for block in blocks:
        mine = specs.iloc[lo : lo + len(block.specs)]
        if block.same_as is not None:  # read each distinct row once
            mine = mine.iloc[np.unique(block.same_as)]
        for (kernel, days), rows in mine.groupby(["kernel", "kernel_days"], sort=False):
            kernel_args = {"window": int(days)} if kernel == "rolling" else {"half_life": days}
            at = rows.index.to_numpy()
            for start in range(0, len(at), chunk):
                part = at[start : start + chunk]
                yield part, block.net(part - lo), kernel_args
        lo += len(block.specs)


def _read_as(blocks: list[variants.Variants]) -> np.ndarray:
    """Per variant, the variant whose reading it shares (itself, unless a block said so)."""
    lo, read_as = 0, []
    for block in blocks:
        n = len(block.specs)
        read_as.append(lo + (np.arange(n) if block.same_as is None else block.same_as))
        lo += n
    return np.concatenate(read_as)


def _chunk(
    n_events: int,
    n_days: int,
    n_variants: int,
    draws: int,
    wanted: int,
    max_memory: float | None,
    dyad: str,
) -> int:
    """Variants per block of the grid: ``wanted``, or fewer if the memory budget needs it.

    Raises :class:`relscore.BudgetError`, before any work, when even one variant at a time
    would not fit: the events' arrays, the drawn weights, the table of results and one row
    of the grid are what a run cannot do without.
    """
    memory = budget.available_memory() if max_memory is None else max_memory
    held = (
        n_events * BYTES_PER_EVENT + int(draws) * MAX_CODES * 8 * 3 + n_variants * BYTES_PER_VARIANT
    )
    per_row = n_days * BYTES_PER_VARIANT_DAY
    budget.check_memory(
        held + per_row,
        memory,
        f"robustness of {dyad} ({n_events:,} events, {n_days:,} days, {n_variants:,} variants)",
        "fewer --draws, or more memory",
    )
    return int(max(1, min(wanted, (memory - held) // per_row)))


def summarise_robustness(
    table: pd.DataFrame,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    days: int = 14,
    level: float = 0.95,
    coverage: float | None = None,
) -> pd.DataFrame:
    """How often the episode stays on top, and the spread of its half-life.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`robustness`.
    start, end : date-like, optional
        The episode: a variant keeps it on top when its top peak falls between ``start``
        and ``end`` (inclusive), e.g. ``"2024-01-16"``, ``"2024-01-31"`` for Iran-Pakistan's
        January 2024. By default, ``days`` either side of the base reading's peak.
    days : int, default 14
        Half-width (days) of the default window.
    level : float, default 0.95
        The spread is the central ``level`` interval of the variants' values (the same
        word as :func:`relscore.latent_tension`'s band).
    coverage : float, optional
        Deprecated name of ``level`` (until 0.5).

    Returns
    -------
    pandas.DataFrame
        One row per kind of variant and one for ``"all"``: ``kind``, ``start``, ``end``,
        ``n_variants``, ``n_on_top``, ``share_on_top``, and over the variants that keep the
        episode on top, ``days_to_half_median`` / ``_low`` / ``_high`` and
        ``half_life_median`` / ``_low`` / ``_high`` (days).

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> variants = robustness(events, "IRN-PAK", draws=1000, seed=0)
    >>> summary = summarise_robustness(variants, "2024-01-16", "2024-01-31")
    >>> summary[["kind", "n_variants", "share_on_top", "half_life_median"]].round(1)
                kind  n_variants  share_on_top  half_life_median
    0           base           1           1.0               6.6
    1         scheme           3           1.0               5.8
    2         jitter        1000           1.0               6.9
    3         kernel           9           1.0              15.8
    4  leave_one_out         267           1.0               6.6
    5            all        1280           1.0               6.8
    """
    if start is None or end is None:
        peak = pd.Timestamp(table.loc[table["kind"] == "base", "peak_date"].iloc[0])
        start = peak - pd.Timedelta(days=days) if start is None else start
        end = peak + pd.Timedelta(days=days) if end is None else end
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    on_top = table["peak_date"].between(start, end)
    if coverage is not None:
        warnings.warn(
            "summarise_robustness(coverage=...) is now level=...", DeprecationWarning, stacklevel=2
        )
        level = coverage
    tail = (1 - level) / 2
    rows = []
    for kind in [*[k for k in KINDS if (table["kind"] == k).any()], "all"]:
        mine = table["kind"] == kind if kind != "all" else pd.Series(True, index=table.index)
        kept = table[mine & on_top]
        row = {
            "kind": kind,
            "start": start,
            "end": end,
            "n_variants": int(mine.sum()),
            "n_on_top": len(kept),
            "share_on_top": len(kept) / max(int(mine.sum()), 1),
        }
        for column, name in (("days_to_half", "days_to_half"), ("half_life_days", "half_life")):
            low, median, high = kept[column].quantile([tail, 0.5, 1 - tail]).to_numpy()
            row |= {f"{name}_median": median, f"{name}_low": low, f"{name}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def _dyad_events(events: pd.DataFrame, dyad: str, directed: bool) -> pd.DataFrame:
    codes, labels = dyad_codes(events["actor1"], events["actor2"], directed)
    return events[codes == check_dyad(labels, dyad)].reset_index(drop=True)


def compare_schemes(
    events: pd.DataFrame,
    dyad: str,
    schemes: Iterable[str] = tuple(SCHEMES),
    overrides: dict[str, float] | None = None,
    half_life: float | None = None,
) -> pd.DataFrame:
    """How the top episode of ``dyad`` reads under each scoring scheme (decay kernel).

    The ``scheme`` variants of :func:`robustness`, on their own.

    Returns
    -------
    pandas.DataFrame
        One row per scheme: the top episode's ``peak_date`` and ``peak``, its
        ``runner_up_date``, ``runner_up`` and ``peak_ratio`` (see
        :func:`relscore.analysis.episodes.top_episodes`), ``days_to_half`` (observed) and
        ``half_life_days`` (fitted point estimate), days.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> table = compare_schemes(events, "IRN-PAK")
    >>> columns = ["scheme", "peak_date", "peak", "peak_ratio", "half_life_days"]
    >>> table[columns].round({"peak": 1, "peak_ratio": 1, "half_life_days": 1})
          scheme  peak_date  peak  peak_ratio  half_life_days
    0  magnitude 2024-01-18  80.9         2.7             6.6
    1  goldstein 2024-01-18  28.5         2.0             5.8
    2       quad 2024-01-18   9.0         2.3             5.3

    The scales differ (deaths and deeds weigh more under ``magnitude``), the top episode
    does not.
    """
    table = robustness(
        events,
        dyad,
        draws=0,
        overrides=overrides,
        half_life=half_life,
        schemes=schemes,
        half_lives=(),
        windows=(),
        leave_one_out=False,
    )
    columns = ["scheme", "peak_date", "peak", "runner_up_date", "runner_up", "peak_ratio"]
    columns += ["days_to_half", "half_life_days"]
    return table.loc[table["kind"] == "scheme", columns].reset_index(drop=True)
