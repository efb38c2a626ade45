"""``relscore update``: bringing an index folder up to date against a full re-index.

Run from the repository root::

    python benchmarks/bench_update.py                         # 100 M events
    python benchmarks/bench_update.py --events 10_000_000     # quick

A synthetic store (``--events`` events as one file per day over ``--days`` days, two
years by default so that GDELT's year-old dates fall inside it, among ``--dyads``
directed dyads, as ``bench_scale.py`` builds it; each day's file is written, imported
with ``--dedupe none`` and deleted, to save disk) is indexed into an index folder
(timed: the full build). Then two 15-minute files of ``--rows`` rows arrive, each
imported and followed by ``update_index`` (timed), and by a full re-index of the store
into a fresh folder (timed again: the baseline), whose rows must equal the updated
folder's exactly:

1. a file dated within the store's last month: ``update_vs_full``;
2. a file whose dates lag the store's last day as GDELT's do: the lags (days between
   SQLDATE and DATEADDED) of the bundled real sample, drawn with their frequencies:
   ``update_vs_full_older_dates``.

Then ``--series`` more such files (other dyads each) arrive one by one, each followed by an
update, as a day of GDELT's would: the patches an update writes pile up, and are merged
or folded into their months as they grow; one full re-index at the end is the baseline
and must equal the folder (``update_vs_full_series``: its seconds over the mean update's).

Each ratio is the full re-index's seconds over the update's, measured in the same run.
Everything runs in this process, after a warm-up on a small store (imports and compiled
code loaded before the clock starts). See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import relscore
from relscore.scale.update import update_index
from relscore.store.index_folder import read_manifest
from relscore.store.ingest import import_to_store
from relscore.store.layout import month_parts
from relscore.testing.synthetic import _digits, _offsets, _yyyymmdd, write_gdelt

GB = 1e9
ROW_BYTES = 410  # a synthetic row, about a real GDELT 2.0 row


def sample_lags() -> tuple[np.ndarray, np.ndarray]:
    """The lags (days from an event's SQLDATE to the DATEADDED of its file) in the real
    GDELT sample, and their shares."""
    with relscore.datasets.gdelt_sample() as path:
        table = pd.read_csv(path, sep="\t", header=None, usecols=[1, 59], dtype=str)
    event = pd.to_datetime(table[1], format="%Y%m%d")
    added = pd.to_datetime(table[59].str[:8], format="%Y%m%d")
    counts = (added - event).dt.days.value_counts().sort_index()
    return counts.index.to_numpy(), counts.to_numpy() / counts.sum()


def year_store(folder: Path, store: Path, args) -> None:
    """``args.events`` events as one file per day, each imported and deleted at once."""
    per_day = np.full(args.days, args.events // args.days)
    per_day[: args.events % args.days] += 1
    first = np.concatenate([[0], np.cumsum(per_day)[:-1]])
    start = np.datetime64("2019-01-01")
    for day in range(args.days):
        date = start + day
        path = folder / f"{str(date).replace('-', '')}.export.CSV"
        write_gdelt(
            path,
            int(per_day[day]),
            n_dyads=args.dyads,
            n_days=1,
            start=str(date),
            first_id=1_000_000_000 + int(first[day]),
            seed=args.seed * 100_000 + day,
        )
        import_to_store([path], store, dedupe="none")
        path.unlink()


def fifteen_minutes(
    path: Path, rows: int, dyads: int, first_id: int, dates: np.ndarray, seed: int = 7
) -> None:
    """A 15-minute file of ``rows`` rows dated ``dates`` (days since 1970-01-01, one a row)."""
    write_gdelt(
        path, rows, n_dyads=dyads, n_days=1, start="2019-12-31", first_id=first_id, seed=seed
    )
    data = np.fromfile(path, np.uint8)
    records = data.reshape(rows, -1)  # fixed-width rows: write the dates in place
    _digits(records, _offsets()[1], 8, _yyyymmdd(dates.astype("datetime64[D]")))
    records.tofile(path)


def timed(call, *args, **kwargs):
    t0 = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - t0, result


def arrive(tmp: Path, store: Path, index: Path, name: str, dates: np.ndarray, args, first_id):
    """Import one 15-minute file, update the index, re-index in full; print both."""
    path = tmp / f"{name}.export.CSV"
    fifteen_minutes(path, args.rows, args.dyads, first_id, dates)
    import_to_store([path], store, dedupe="none")
    update_s, run = timed(update_index, store, index)
    full = tmp / f"full-{name}"
    full_s, _ = timed(update_index, store, full)
    same = relscore.read_index(index).equals(relscore.read_index(full))
    shutil.rmtree(full)
    print(f"{'update ' + name:<32}{update_s:>9.2f}  {run.summary()}")
    print(f"{'full re-index':<32}{full_s:>9.2f}  identical output: {same}")
    if not same:
        raise SystemExit("the updated index differs from the full re-index")
    return full_s / update_s


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000_000, help="the store's events")
    parser.add_argument("--days", type=int, default=730, help="days of the store")
    parser.add_argument("--dyads", type=int, default=40_000, help="directed dyads")
    parser.add_argument("--rows", type=int, default=3_000, help="rows of a 15-minute file")
    parser.add_argument(
        "--series", type=int, default=40, help="files with GDELT's lags updated one by one"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", default=None, help="folder for the files (default: system temp)")
    args = parser.parse_args(argv)

    import pyarrow

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"pyarrow {pyarrow.__version__}"
    )
    with tempfile.TemporaryDirectory(prefix="bench_update.", dir=args.tmp) as tmp:
        tmp = Path(tmp)
        needed = args.events * 40 * 1.2  # the store (~25 B an event) and two indexes
        if needed > shutil.disk_usage(tmp).free:
            raise SystemExit(f"needs about {needed / GB:.0f} GB in {tmp}")
        _warm_up(tmp)
        store, index = tmp / "store", tmp / "index"
        t0 = time.perf_counter()
        year_store(tmp, store, args)
        print(
            f"\nstore: {args.events:,} events, {args.days} daily files, {args.dyads:,} directed "
            f"dyads (written and imported in {time.perf_counter() - t0:.0f} s)"
        )
        print(f"{'phase':<32}{'seconds':>9}")
        build_s, run = timed(update_index, store, index)
        rows = sum(pq_rows(f) for f in index.glob("*.parquet"))
        print(
            f"{'full build (index folder)':<32}{build_s:>9.2f}  {rows:,} rows, {run.n_files} files"
        )

        last = max(month_parts(store))
        month = np.arange(
            np.datetime64(last, "M"), np.datetime64(last, "M") + 1, dtype="datetime64[D]"
        )
        rng = np.random.default_rng(args.seed)
        dates = rng.choice(month.astype(np.int64), args.rows)
        ratio = arrive(tmp, store, index, "last-month", dates, args, 2_000_000_000)

        lags, shares = sample_lags()
        last_day = int(month[-1].astype(np.int64))
        drawn = rng.choice(lags, args.rows, p=shares)
        older = arrive(tmp, store, index, "older-dates", last_day - drawn, args, 2_100_000_000)
        share = ", ".join(f"{lag} d {s:.1%}" for lag, s in zip(lags, shares, strict=True))
        print(f"sample lags: {share}; {np.sum(drawn > 0)} of {args.rows} rows dated earlier")
        series = in_series(tmp, store, index, (lags, shares, last_day), args, rng)
        print(f"update_vs_full: {ratio:.1f}")
        print(f"update_vs_full_older_dates: {older:.1f}")
        if series is not None:
            print(f"update_vs_full_series: {series:.1f}")


def in_series(tmp: Path, store: Path, index: Path, lagged, args, rng) -> float | None:
    """``args.series`` files with GDELT's lags, each imported and followed by an update;
    then one full re-index. The full re-index's seconds over the mean update's."""
    if not args.series:
        return None
    lags, shares, last_day = lagged
    times, written, patched = [], 0, 0
    for k in range(args.series):
        path = tmp / f"series-{k}.export.CSV"
        dates = last_day - rng.choice(lags, args.rows, p=shares)
        fifteen_minutes(path, args.rows, args.dyads, 2_200_000_000 + k * args.rows, dates, 100 + k)
        import_to_store([path], store, dedupe="none")
        path.unlink()
        update_s, run = timed(update_index, store, index)
        times.append(update_s)
        written, patched = written + run.files_rewritten, patched + run.patches_written
    full = tmp / "full-series"
    full_s, _ = timed(update_index, store, full)
    same = relscore.read_index(index).equals(relscore.read_index(full))
    listed = read_manifest(index).get("patches", {})
    mean = float(np.mean(times))
    print(
        f"{f'{args.series} updates in series':<32}{mean:>9.2f}  mean (max {max(times):.2f}); month "
        f"files rewritten={written}, patches written={patched}; patches held at the end="
        f"{sum(len(p) for p in listed.values())}"
    )
    print(f"{'full re-index':<32}{full_s:>9.2f}  identical output: {same}")
    shutil.rmtree(full)
    if not same:
        raise SystemExit("the updated index differs from the full re-index")
    return full_s / mean


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def _warm_up(tmp: Path) -> None:
    """A small store indexed and updated once: modules and compiled code loaded."""
    folder = tmp / "warm"
    folder.mkdir()
    write_gdelt(folder / "a.CSV", 2_000, n_dyads=50, n_days=40, start="2019-01-01")
    import_to_store([folder / "a.CSV"], folder / "store", dedupe="none")
    update_index(folder / "store", folder / "index")
    write_gdelt(folder / "b.CSV", 200, n_dyads=50, n_days=5, start="2019-02-05", first_id=2 * 10**9)
    import_to_store([folder / "b.CSV"], folder / "store", dedupe="none")
    update_index(folder / "store", folder / "index")
    relscore.read_index(folder / "index")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
