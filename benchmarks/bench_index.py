"""Time and size relscore.tension_index against plain pandas and polars baselines.

Run from the repository root::

    python benchmarks/bench_index.py --events 10_000_000
    python benchmarks/bench_index.py --dyads 40000 --engines relscore,polars

Every engine computes the same rolling index (``--window`` days) on the same seeded
synthetic events, and the run stops with an error unless the results agree on every
dyad-day. The last lines printed are ``speedup_vs_polars: X`` and ``speedup_vs_pandas: X``
(for the engines that ran). See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import multiprocessing as mp
import platform
import time

import numba
import numpy as np
import pandas as pd
import polars as pl

import relscore

COLUMNS = ("date", "actor1", "actor2", "conflict", "cooperation")
MB = 2**20


def make_events(
    n_events: int,
    n_dyads: int = 2000,
    n_days: int = 3 * 365,
    seed: int = 0,
    actors: str = "category",
    by_date: bool = False,
) -> pd.DataFrame:
    """Seeded synthetic coded events, shaped like an importer's output.

    Parameters
    ----------
    n_events : int
        Number of events (rows).
    n_dyads : int, default 2000
        Undirected dyads to draw from, among 250 three-letter actors (about as many as
        ISO 3166-1 alpha-3 codes; more if ``n_dyads`` needs them). A dyad's share of the
        events falls off as ``rank ** -0.8``: a few busy dyads, many quiet ones. Each event
        has either actor first with equal odds.
    n_days : int, default 1095
        Dates are uniform over ``n_days`` days from 2022-01-01.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`: the same arguments give the same frame.
    actors : {"category", "str"}, default "category"
        ``"category"``: ``actor1`` and ``actor2`` are categoricals sharing one sorted list
        of codes, as an importer of GDELT or ICEWS files would produce; ``"str"``: strings.
    by_date : bool, default False
        Sort the events by date (as daily event files come); otherwise random order.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64[us] at midnight, as :func:`relscore.read_events` gives),
        ``actor1``, ``actor2``, ``conflict`` and ``cooperation`` (float64, >= 0; one of
        the two is 0, from a Goldstein weight uniform on -10 ... 10).

    Examples
    --------
    >>> make_events(3, seed=1).dtypes.astype(str).tolist()
    ['datetime64[us]', 'category', 'category', 'float64', 'float64']
    """
    rng = np.random.default_rng(seed)
    n_actors = max(250, int(np.ceil(np.sqrt(2 * n_dyads))) + 1)
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    picks = np.sort(rng.choice(26**3, n_actors, replace=False))  # sorted: names sort too
    names = np.char.add(letters[picks // 676], letters[picks // 26 % 26])
    names = np.char.add(names, letters[picks % 26])
    lo, hi = np.triu_indices(n_actors, k=1)
    chosen = rng.choice(len(lo), n_dyads, replace=False)
    share = np.arange(1, n_dyads + 1) ** -0.8
    dyad = rng.choice(n_dyads, n_events, p=share / share.sum())
    swap = rng.random(n_events) < 0.5
    first, second = lo[chosen][dyad], hi[chosen][dyad]
    actor1, actor2 = np.where(swap, second, first), np.where(swap, first, second)
    day = rng.integers(0, n_days, n_events)
    if by_date:
        order = np.argsort(day, kind="stable")
        day, actor1, actor2 = day[order], actor1[order], actor2[order]
    goldstein = rng.uniform(-10.0, 10.0, n_events)
    if actors == "category":
        side1 = pd.Categorical.from_codes(actor1, categories=names)
        side2 = pd.Categorical.from_codes(actor2, categories=names)
    else:
        side1, side2 = pd.array(names[actor1], dtype="str"), pd.array(names[actor2], dtype="str")
    return pd.DataFrame(
        {
            "date": np.datetime64("2022-01-01", "us") + day * np.timedelta64(1, "D"),
            "actor1": side1,
            "actor2": side2,
            "conflict": np.maximum(-goldstein, 0.0),
            "cooperation": np.maximum(goldstein, 0.0),
        }
    )


def input_nbytes(coded: pd.DataFrame) -> int:
    """Bytes of the columns the index reads (a categorical counts codes and categories)."""
    return int(sum(coded[c].array.nbytes for c in COLUMNS))


def output_nbytes(index: pd.DataFrame) -> int:
    """Bytes of a result frame, labels and row index included."""
    return int(index.memory_usage(index=True, deep=True).sum())


def relscore_index(coded: pd.DataFrame, window: int) -> pd.DataFrame:
    """The engine under test: :func:`relscore.tension_index` with a rolling window."""
    return relscore.tension_index(coded, window=window)


def to_polars(coded: pd.DataFrame) -> pl.DataFrame:
    """The events as a polars frame: categorical actors become a polars ``Enum`` of the same
    sorted codes (so they compare in alphabetical order), strings stay strings."""
    events = pl.from_pandas(coded[list(COLUMNS)])
    actors = coded["actor1"].dtype
    if isinstance(actors, pd.CategoricalDtype):
        enum = pl.Enum(sorted(actors.categories))
        events = events.with_columns(pl.col("actor1", "actor2").cast(pl.String).cast(enum))
    return events


def polars_index(events: pl.DataFrame, window: int) -> pl.DataFrame:
    """The same index in polars (lazy): group by dyad and day, complete the calendar, roll.

    The undirected dyad is (first actor, second actor) in alphabetical order. Every dyad
    gets every day from the first to the last event (a cross join with the calendar, then
    a left join of the daily sums); the rolling sum runs ``over`` each dyad, the first
    ``window - 1`` days summing what there is (``min_samples=1``).
    """
    a1, a2 = pl.col("actor1"), pl.col("actor2")
    in_order = a1 <= a2
    daily = (
        events.lazy()
        .group_by(
            pl.when(in_order).then(a1).otherwise(a2).alias("first"),
            pl.when(in_order).then(a2).otherwise(a1).alias("second"),
            pl.col("date").dt.truncate("1d"),
        )
        .agg(
            n_events=pl.len().cast(pl.Int64),
            conflict=pl.col("conflict").sum(),
            cooperation=pl.col("cooperation").sum(),
        )
    )
    span = events.select(lo=pl.col("date").min().dt.truncate("1d"), hi=pl.col("date").max())
    lo, hi = span.row(0)
    calendar = pl.datetime_range(lo, hi, "1d", time_unit="us", eager=True).alias("date")
    return (
        daily.select("first", "second")
        .unique()
        .join(calendar.to_frame().lazy(), how="cross")
        .join(daily, on=["first", "second", "date"], how="left")
        .with_columns(pl.col("n_events", "conflict", "cooperation").fill_null(0))
        .sort("first", "second", "date")
        .with_columns(net=pl.col("conflict") - pl.col("cooperation"))
        .with_columns(
            tension=pl.col("net").rolling_sum(window, min_samples=1).over("first", "second"),
            dyad=pl.concat_str("first", pl.lit("-"), "second").cast(pl.Categorical),
        )
        .select("dyad", "date", "n_events", "conflict", "cooperation", "net", "tension")
        .collect()
    )


def pandas_index(coded: pd.DataFrame, window: int) -> pd.DataFrame:
    """The same index in plain pandas: group by dyad and day, complete the calendar, roll.

    The undirected dyad is the pair (first actor, second actor) in alphabetical order,
    compared as ordered categoricals; its ``"A-B"`` label is made once per dyad. The first
    ``window - 1`` days sum what there is (``min_periods=1``), as relscore's causal
    kernel does.
    """
    actor1, actor2 = coded["actor1"], coded["actor2"]
    if isinstance(actor1.dtype, pd.CategoricalDtype):
        actor1, actor2 = actor1.cat.as_ordered(), actor2.cat.as_ordered()
    in_order = actor1 <= actor2
    first = actor1.where(in_order, actor2).rename("first")
    second = actor2.where(in_order, actor1).rename("second")
    day = coded["date"].dt.floor("D")
    daily = coded.groupby([first, second, day], observed=True).agg(
        n_events=("conflict", "size"),
        conflict=("conflict", "sum"),
        cooperation=("cooperation", "sum"),
    )
    pairs = daily.index.droplevel("date").unique().to_frame(index=False)
    calendar = pd.date_range(day.min(), day.max(), freq="D", name="date").to_frame(index=False)
    full = pd.MultiIndex.from_frame(pairs.merge(calendar, how="cross"))
    daily = daily.reindex(full, fill_value=0)
    net = daily["conflict"] - daily["cooperation"]
    by_dyad = net.groupby(level=["first", "second"], observed=True)
    tension = by_dyad.rolling(window, min_periods=1).sum().droplevel([0, 1])
    labels = pairs["first"].astype(str) + "-" + pairs["second"].astype(str)
    dyad = pd.Categorical.from_codes(np.repeat(np.arange(len(pairs)), len(calendar)), labels)
    return (
        daily.assign(net=net, tension=tension)
        .reset_index(drop=True)
        .assign(dyad=dyad, date=np.tile(calendar["date"].to_numpy(), len(pairs)))
    )


def no_conversion(coded: pd.DataFrame) -> pd.DataFrame:
    return coded


# engine: (its input made from the pandas events, untimed; the timed computation)
ENGINES = {
    "relscore": (no_conversion, relscore_index),
    "polars": (to_polars, polars_index),
    "pandas": (no_conversion, pandas_index),
}


def best_time(engine: str, coded: pd.DataFrame, window: int, repeat: int) -> tuple[float, object]:
    """Best (minimum) wall-clock seconds over ``repeat`` runs, and the last result.

    The engine is warmed up first on the first 1000 events (imports, compiled code)."""
    prepare, run = ENGINES[engine]
    run(prepare(coded.head(1000)), window)
    events = prepare(coded)
    times = []
    for _ in range(repeat):
        result = None  # let the previous result go before the next run
        gc.collect()
        t0 = time.perf_counter()
        result = run(events, window)
        times.append(time.perf_counter() - t0)
    return min(times), result


def check_agree(mine: pd.DataFrame, theirs: pd.DataFrame | pl.DataFrame) -> None:
    """Raise ``AssertionError`` unless both indexes have the same rows and numbers."""
    if isinstance(theirs, pl.DataFrame):
        theirs = theirs.to_pandas()
    assert len(mine) == len(theirs), (len(mine), len(theirs))
    # The labels through their codes: strings for 44 M rows would take gigabytes.
    dyads, their_dyads = pd.Categorical(mine["dyad"]), pd.Categorical(theirs["dyad"])
    assert (dyads.codes >= 0).all() and (their_dyads.codes >= 0).all(), "dyad: missing labels"
    as_mine = dyads.categories.get_indexer(their_dyads.categories)
    np.testing.assert_array_equal(dyads.codes, as_mine[their_dyads.codes], err_msg="dyad")
    for column, dtype in [("date", "datetime64[s]"), ("n_events", np.int64)]:
        np.testing.assert_array_equal(
            mine[column].to_numpy(dtype), theirs[column].to_numpy(dtype), err_msg=column
        )
    for column in ("conflict", "cooperation", "net", "tension"):
        np.testing.assert_allclose(
            mine[column].to_numpy(), theirs[column].to_numpy(), rtol=1e-9, atol=1e-6, err_msg=column
        )


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _peak_child(engine: str, params: dict, window: int, pipe) -> None:
    """In a fresh process: build the input, warm up, reset the RSS peak, run once."""
    prepare, run = ENGINES[engine]
    events = prepare(make_events(**params))
    warm_up = make_events(1000, params["n_dyads"], params["n_days"], 1, params["actors"])
    run(prepare(warm_up), window)
    del warm_up
    gc.collect()
    ctypes.CDLL(None).malloc_trim(0)  # glibc: give freed heap pages back, so reuse shows
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # Linux: reset VmHWM (the peak RSS) to the current RSS
    before = _status_kb("VmRSS")
    result = run(events, window)
    peak = (_status_kb("VmHWM") - before) * 1024
    if isinstance(result, pl.DataFrame):
        result = result.to_pandas()
    pipe.send((peak, output_nbytes(result)))


def peak_memory(engine: str, params: dict, window: int) -> tuple[int, int]:
    """Peak RSS above the input, and the output's size, of one run in a fresh process.

    Returns
    -------
    tuple of int
        ``(peak_extra_bytes, output_bytes)``. The peak is the process's VmHWM after the
        run minus its VmRSS just before (with the input built), the peak having been
        reset then; so it counts every temporary, from numpy or not, and the output.
    """
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_peak_child, args=(engine, params, window, send))
    child.start()
    peak = receive.recv()
    child.join()
    return peak


def main(argv: list[str] | None = None) -> None:
    """Build the events, measure both engines, check they agree, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="default 10_000_000")
    parser.add_argument("--dyads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--window", type=int, default=30, help="rolling window, days")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine")
    parser.add_argument("--actors", choices=["category", "str"], default="category")
    parser.add_argument("--by-date", action="store_true", help="events sorted by date")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated, default: all (relscore first)",
    )
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    if engines[0] != "relscore" or not set(engines) <= set(ENGINES):
        parser.error(f"--engines: relscore first, then any of {', '.join(ENGINES)}")
    params = {
        "n_events": args.events,
        "n_dyads": args.dyads,
        "n_days": args.days,
        "seed": args.seed,
        "actors": args.actors,
        "by_date": args.by_date,
    }

    coded = make_events(**params)
    n_in = input_nbytes(coded)
    actors = coded["actor1"]
    if isinstance(actors.dtype, pd.CategoricalDtype):
        actors_are = f"categorical ({len(actors.cat.categories)} codes, {actors.cat.codes.dtype})"
    else:
        actors_are = f"{actors.dtype} (not categorical)"
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"numba {numba.__version__}, polars {pl.__version__}, {mp.cpu_count()} CPUs"
    )
    print(
        f"events: {args.events:,} over {args.days} days, "
        f"{'sorted by date' if args.by_date else 'random order'}, seed {args.seed}; "
        f"actor1/actor2 {actors_are}; "
        f"rolling window {args.window} days"
    )
    print(f"input columns ({', '.join(COLUMNS)}): {n_in / MB:.1f} MB")

    rows = {}
    for engine in engines:
        peak, n_out = peak_memory(engine, params, args.window)
        seconds, result = best_time(engine, coded, args.window, args.repeat)
        rows[engine] = (seconds, peak, n_out)
        if engine == "relscore":
            index = result
        else:
            if isinstance(result, pl.DataFrame):
                result = result.to_pandas()  # and let polars' copy go
            check_agree(index, result)
        del result
    print(
        f"output: {len(index):,} rows = {index['dyad'].nunique():,} dyads x "
        f"{index['date'].nunique():,} days; {', '.join(engines)} agree on every dyad-day"
    )
    print(
        f"seconds: best of {args.repeat} runs; peak extra: peak RSS above the RSS with the "
        "input built, one run in a fresh process, output included"
    )
    header = ("engine", "seconds", "events/s", "peak extra MB", "mem/input", "output MB")
    print(f"{header[0]:<10}" + "".join(f"{h:>15}" for h in header[1:]))
    for engine, (seconds, peak, n_out) in rows.items():
        print(
            f"{engine:<10}{seconds:>15.3f}{args.events / seconds:>15,.0f}"
            f"{peak / MB:>15.1f}{peak / n_in:>15.2f}{n_out / MB:>15.1f}"
        )
    for engine in engines[1:]:
        print(f"speedup_vs_{engine}: {rows[engine][0] / rows['relscore'][0]:.1f}")


if __name__ == "__main__":
    main()
