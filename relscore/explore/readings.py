"""The numbers an explorer stores: every reading its controls offer, computed here, in Python,
so that the browser only filters and adds.

* **scheme** x **kernel** -- every scheme of :data:`relscore.SCHEMES` under every kernel of
  :data:`KERNELS`: decay at half, once and twice the index's default half-life
  (:data:`relscore.DEFAULT_HALF_LIFE`) and rolling windows of 30 and 90 days;
* **the weights of the dominant codes** -- the dyad's :data:`N_CODES` codes with the
  largest summed ``|net|`` under the default scheme get a control each, scaling the
  code's weight by a factor of :data:`FACTORS` (clipped to -10 ... +10). The index is
  linear in each code's contributions, so per reading the page stores the tension and
  each dominant code's part of it, and the chart (:mod:`relscore.explore.chart`) adds them
  up at the weights the controls set: every combination is exact without being stored.

The stored days are thinned without visible loss: event days and the day before each
are kept, then (decay) every day for 3 days and every ``0.41 * half_life`` days after
(a straight line between them is within 1 % of the exponential), or (rolling) the days
the value changes; a stretch below :data:`QUIET` index points keeps only its two ends.
The tooltip's top events come from :func:`relscore.top_contributors`, the decomposition
behind :func:`relscore.explain`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.analysis.explain import DEFAULT_THRESHOLD, data_days, top_contributors
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, weights_table
from relscore.coding import code_events
from relscore.index import DEFAULT_HALF_LIFE, apply_kernel, dyad_codes, sum_onto_grid
from relscore.plot.words import kernel_words
from relscore.vocabulary import check_dyad, parse_dyad

KERNELS = (  # (label, window, half_life): the readings the kernel control offers
    # Decay at half, once and twice the index's default half-life, so the default is offered.
    *((kernel_words(half_life=h), None, h) for h in (DEFAULT_HALF_LIFE * f for f in (0.5, 1, 2))),
    *((kernel_words(window=w), w, None) for w in (30, 90)),
)
DEFAULT_KERNEL = KERNELS.index(  # the kernel control's first choice: the index's own
    (kernel_words(), None, DEFAULT_HALF_LIFE)
)
N_CODES = 3  # dominant codes with a weight control
FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0)  # x the code's weight, clipped to -10 ... +10
QUIET = 0.005  # index points: a stretch below this (all parts) keeps only its ends
TOP = 3  # events in the tooltip
TOLERANCE = 0.01  # relative error of a straight line over a thinned decay tail


def explorer_data(
    events: pd.DataFrame, dyad: str, overrides: dict[str, float] | None = None
) -> dict:
    """Every reading the explorer of ``dyad`` stores (see the module docstring).

    Returns
    -------
    dict
        ``series``: a DataFrame, one row per reading ``v = scheme * len(KERNELS) +
        kernel`` (schemes in the order of :data:`relscore.SCHEMES`, kernels of
        :data:`KERNELS`) and stored day: ``d`` (days since 1970-01-01), ``y`` (tension,
        index points, 2 decimals), ``p1 ...`` (the part of ``y`` from the events of each
        dominant code that take its weight, 3 decimals), ``e1 ... e3`` (the top events'
        ``i`` in ``events``) and ``c1 ... c3`` (their contributions, index points; empty
        below explain's default threshold). ``events``: the dyad's events numbered ``i``
        by date, with ``d``, ``code``, ``cameo``, ``text``, ``host``, ``url`` (first web
        source), ``side`` and ``g`` (1 + the position of the event's code in ``codes`` if
        it takes that code's weight, else 0). ``codes``: the dominant codes. ``weights``:
        scheme -> their weights (Goldstein scale).
    """
    dyad = parse_dyad(dyad, directed=False)
    first_day, last_day = data_days(events)
    n_days = last_day - first_day + 1
    schemes = list(SCHEMES)
    coded = {s: code_events(events, s, overrides) for s in schemes}
    dyad_of, labels = dyad_codes(events["actor1"], events["actor2"])
    mine = dyad_of == check_dyad(labels, dyad)
    by_code = _takes_code_weight(events)
    codes = dominant_codes(coded[DEFAULT_SCHEME][mine], by_code[mine])
    weights = {s: weights_table(s, overrides)["weight"].reindex(codes).tolist() for s in schemes}
    table = _event_table(coded[DEFAULT_SCHEME][mine], by_code[mine], codes)
    blocks = []
    for s, scheme in enumerate(schemes):
        rows = coded[scheme][mine]
        day = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64) - first_day
        grid = _part_grid(rows, by_code[mine].to_numpy(), day, codes, n_days)
        has_event = np.bincount(day, minlength=n_days) > 0
        for k, (_, window, half_life) in enumerate(KERNELS):
            tension = apply_kernel(grid, window=window, half_life=half_life)
            keep = np.flatnonzero(_kept_days(tension, has_event, window, half_life))
            block = pd.DataFrame({"v": s * len(KERNELS) + k, "d": keep + first_day})
            block["y"] = _rounded(tension[0, keep], 2)
            for j in range(len(codes)):
                block[f"p{j + 1}"] = _rounded(tension[j + 1, keep], 3)
            top = top_contributors(
                coded[scheme],
                dyad,
                block["d"].to_numpy().astype("datetime64[D]"),
                k=TOP,
                window=window,
                half_life=half_life,
            )
            blocks.append(block.join(_top_columns(top, table, first_day, keep)))
    series = pd.concat(blocks, ignore_index=True)
    return {"series": series, "events": table, "codes": codes, "weights": weights}


def dominant_codes(coded: pd.DataFrame, by_code: pd.Series, n: int = N_CODES) -> list[str]:
    """The ``n`` event codes with the largest summed ``|conflict - cooperation|`` (index
    points) over the ``coded`` events that take their code's weight (``by_code``); ties by
    code."""
    size = (coded["conflict"] - coded["cooperation"]).abs()[by_code]
    totals = size.groupby(coded["event_code"][by_code].astype(str)).sum()
    totals = totals[totals > 0].sort_index()
    return list(totals.sort_values(ascending=False, kind="stable").index[:n])


def _part_grid(rows: pd.DataFrame, by_code, day: np.ndarray, codes: list[str], n_days: int):
    """Daily net (index points): row 0 every event, row ``j`` the events of ``codes[j-1]``
    that take their code's weight (``by_code``). Summed as :func:`relscore.tension_index` sums."""
    code = rows["event_code"].astype(str).to_numpy()
    parts = [np.ones(len(rows), bool)] + [by_code & (code == c) for c in codes]
    cells = np.concatenate([j * n_days + day[part] for j, part in enumerate(parts)])
    conflict = np.concatenate([rows["conflict"].to_numpy(float)[part] for part in parts])
    cooperation = np.concatenate([rows["cooperation"].to_numpy(float)[part] for part in parts])
    _, conflict, cooperation = sum_onto_grid(cells, conflict, cooperation, len(parts), n_days)
    return conflict - cooperation


def _kept_days(tension, has_event, window, half_life) -> np.ndarray:
    """Which days to store (bool per day): see the module docstring."""
    quiet = (np.abs(tension) < QUIET).all(axis=0)
    ends = quiet & ~(np.r_[True, quiet[:-1]] & np.r_[quiet[1:], True])
    keep = has_event | np.r_[has_event[1:], False] | ends
    if window is None:
        position = np.arange(len(has_event))
        age = position - np.maximum.accumulate(np.where(has_event, position, 0))
        half_life = DEFAULT_HALF_LIFE if half_life is None else half_life
        stride = max(1, int(half_life * np.sqrt(8 * TOLERANCE) / np.log(2)))
        keep |= ~quiet & ((age <= 3) | (age % stride == 0))
    else:
        change = np.r_[True, (tension[:, 1:] != tension[:, :-1]).any(axis=0)]
        keep |= change | np.r_[change[1:], False]
    keep[[0, -1]] = True
    return keep


def _top_columns(top: pd.DataFrame, table: pd.DataFrame, first_day: int, keep) -> pd.DataFrame:
    """``e1 ... c3`` per kept day: the top events' numbers and contributions (index
    points); empty where an event adds less than explain's default threshold."""
    top = top[top["contribution"].abs() >= DEFAULT_THRESHOLD]
    at = np.searchsorted(keep, top["date"].to_numpy("datetime64[D]").astype(np.int64) - first_day)
    wide = {}
    for rank in range(1, TOP + 1):
        mine = (top["rank"] == rank).to_numpy()
        number = pd.array([pd.NA] * len(keep), dtype="Int64")
        number[at[mine]] = table.index.get_indexer(top["event"][mine])
        share = np.full(len(keep), np.nan)
        share[at[mine]] = _rounded(top["contribution"].to_numpy()[mine], 2)
        wide[f"e{rank}"], wide[f"c{rank}"] = number, share
    return pd.DataFrame(wide)


def _event_table(base: pd.DataFrame, by_code: pd.Series, codes: list[str]) -> pd.DataFrame:
    """The dyad's events for the page, by date, indexed by their row labels in ``base``."""
    rows = base.sort_values("date", kind="stable")
    by_code = by_code[rows.index]
    net = (rows["conflict"] - rows["cooperation"]).to_numpy()
    url = rows["source"].astype(str).str.extract(r"(https?://[^\s;]+)", expand=False)
    group = rows["event_code"].astype(str).map({c: j + 1 for j, c in enumerate(codes)})
    book = weights_table()["description"]
    return pd.DataFrame(
        {
            "i": np.arange(len(rows)),
            "d": rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64),
            "code": rows["event_code"].astype(str),
            "cameo": rows["event_code"].astype(str).map(book).fillna(""),
            "text": rows["description"].astype(str),
            "host": url.str.extract(r"https?://(?:www\.)?([^/:?#]+)", expand=False).fillna(""),
            "url": url.fillna(""),
            "side": np.select([net > 0, net < 0], ["conflict", "cooperation"], "neutral"),
            "g": group.where(by_code, 0).fillna(0).astype(int),
        },
        index=rows.index,
    )


def _takes_code_weight(events: pd.DataFrame) -> pd.Series:
    """Whether each (uncoded) event takes its code's weight: it has no per-event ``weight``."""
    if "weight" not in events:
        return pd.Series(True, index=events.index)
    return events["weight"].isna()


def _rounded(values: np.ndarray, decimals: int) -> np.ndarray:
    return np.round(values, decimals) + 0.0  # + 0.0: no "-0.0" in the page
