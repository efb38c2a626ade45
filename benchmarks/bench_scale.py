"""GDELT scale: the Parquet import against pyarrow's reader, a synthetic year, and Dask.

Run from the repository root::

    python benchmarks/bench_scale.py                       # 100 M events (about 45 GB of TSV)
    python benchmarks/bench_scale.py --events 10_000_000 --import-rows 1_000_000  # quick

Three measurements, each phase in a fresh process that reports its wall time and peak
memory (VmHWM), on seeded synthetic GDELT 2.0 files (:mod:`relscore.testing.synthetic`)
written to a temporary folder and deleted at the end:

1. **import vs pyarrow**: ``--import-rows`` rows in ``--import-files`` files read by
   pyarrow's CSV reader (the seven columns the import reads, as strings, all cores) and
   imported into a store by relscore (``--dedupe none``, also with 2 jobs, and the default
   one-a-day). Each process first reads the real GDELT sample, so imports and compiled
   code are loaded before the clock starts (printed apart). Ratio: ``import_vs_pyarrow``.
2. **a year**: ``--events`` events as one file per day over ``--days`` days among
   ``--dyads`` directed dyads, imported into a store in one call (``--dedupe none``, so
   every row is an event), then ``relscore index STORE --all-dyads -o
   index.parquet``.
3. **Dask**: a second store of ``--dask-events`` events indexed by the local engine and by
   the Dask engine on a ``LocalCluster`` of 2 worker processes (1 thread each). Ratio:
   ``dask_vs_local`` (local seconds over Dask seconds: above 1 means Dask is faster).

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MB = 2**20
GB = 1e9
COLUMNS = [0, 1, 7, 17, 26, 31, 33]  # what the store import reads (no URL unless source-url)
ROW_BYTES = 410  # a synthetic row, about a real GDELT 2.0 row


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise KeyError("VmHWM")


def pyarrow_read(paths: list[str]) -> int:
    """pyarrow's CSV reader on the columns the import reads, as strings (all cores), one
    file after the other."""
    from pyarrow import csv as pacsv

    names = [f"f{i}" for i in range(61)]
    wanted = [names[i] for i in COLUMNS]
    n = 0
    for path in paths:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, column_types=dict.fromkeys(wanted, "string")
            ),
        )
        n += table.num_rows
    return n


def relscore_import(paths: list[str], store: str, dedupe: str, jobs: int = 2) -> int:
    """``relscore import gdelt PATHS --to-parquet STORE --dedupe DEDUPE --jobs JOBS``, as a
    library call."""
    from relscore.store.ingest import import_to_store

    shutil.rmtree(store, ignore_errors=True)
    return import_to_store(paths, store, dedupe=dedupe, jobs=jobs).read


def local_index(store: str, output: str) -> int:
    """``relscore index STORE --all-dyads -o OUTPUT`` on this machine."""
    from relscore.scale import index_store

    return index_store(store, output).n_events


def dask_index(store: str, output: str) -> int:
    """The same on a LocalCluster of 2 worker processes; the workers' peak memory is added
    to the report."""
    from distributed import Client, LocalCluster

    from relscore.scale.dask_engine import index_store_dask

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: None)  # workers up before the clock starts: see _child
        t0 = time.perf_counter()
        n = index_store_dask(store, output, client=cluster.scheduler_address).n_events
        seconds = time.perf_counter() - t0
        workers = client.run(_peak_mb)
    return n, seconds, max(workers.values())


TASKS = {
    "pyarrow": pyarrow_read,
    "import": relscore_import,
    "index": local_index,
    "dask": dask_index,
}


SAMPLE = Path(__file__).parents[1] / "data/reference/gdelt2_export_20191024143000.tsv"


def warm_up(task: str) -> float:
    """Run a reader once on the real GDELT sample (2,111 rows), so that its modules are
    imported and relscore's compiled code is loaded before the clock starts; return the
    seconds that took (what a fresh process pays once, before its first row)."""
    t0 = time.perf_counter()
    if task == "pyarrow":
        pyarrow_read([str(SAMPLE)])
    elif task == "import":
        with tempfile.TemporaryDirectory() as folder:
            relscore_import([str(SAMPLE)], folder + "/store", "none", 1)
    return time.perf_counter() - t0


def _child(task: str, args: tuple, pipe) -> None:
    startup = warm_up(task)
    t0 = time.perf_counter()
    result = TASKS[task](*args)
    seconds = time.perf_counter() - t0
    # Worker processes (import --jobs) have ended: the largest one's peak RSS.
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 or None
    if isinstance(result, tuple):  # the Dask task times itself (cluster start-up excluded)
        result, seconds, workers = result
    pipe.send((seconds, result, _peak_mb(), workers, startup))


def measure(task: str, *args) -> tuple[float, int, float, float | None, float]:
    """Run a task in a fresh process: seconds, its count, its peak RSS (MB), the peak RSS
    of its largest worker process (MB; None if it had none), and the warm-up's seconds
    (:func:`warm_up`, not in the first figure)."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(task, args, send))
    child.start()
    result = receive.recv()
    child.join()
    if child.exitcode:
        raise RuntimeError(f"{task} failed")
    return result


def write_days(folder: Path, n_events: int, n_days: int, n_dyads: int, seed: int) -> list[str]:
    """``n_events`` synthetic rows as one file per day (as GDELT 1.0 publishes them)."""
    from relscore.testing.synthetic import write_gdelt

    folder.mkdir(parents=True, exist_ok=True)
    per_day = np.full(n_days, n_events // n_days)
    per_day[: n_events % n_days] += 1
    first = np.concatenate([[0], np.cumsum(per_day)[:-1]])
    paths = []
    start = np.datetime64("2019-01-01")
    for day in range(n_days):
        date = start + day
        path = folder / f"{str(date).replace('-', '')}.export.CSV"
        write_gdelt(
            path,
            int(per_day[day]),
            n_dyads=n_dyads,
            n_days=1,
            start=str(date),
            first_id=1_000_000_000 + int(first[day]),
            seed=seed * 100_000 + day,
        )
        paths.append(str(path))
    return paths


def line(
    name: str, seconds: float, n: int, peak: float, workers: float | None = None, note: str = ""
) -> None:
    each = "" if workers is None else f"{workers:,.0f}"
    print(f"{name:<36}{seconds:>9.2f}{n / seconds:>13,.0f}{peak:>9,.0f}{each:>11}  {note}")


def header(unit: str) -> None:
    print(f"{'phase':<36}{'seconds':>9}{unit + '/s':>13}{'peak MB':>9}{'worker MB':>11}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000_000, help="the year's events")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--dyads", type=int, default=40_000, help="directed dyads")
    parser.add_argument("--dask-events", type=int, default=10_000_000)
    parser.add_argument("--import-rows", type=int, default=5_000_000)
    parser.add_argument("--import-files", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", default=None, help="folder for the files (default: system temp)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["import", "year", "dask"])
    args = parser.parse_args(argv)

    import dask
    import pyarrow

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"pyarrow {pyarrow.__version__}, dask {dask.__version__}, {mp.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="bench_scale.", dir=args.tmp) as tmp:
        tmp = Path(tmp)
        biggest = max(args.events * ("year" not in args.skip), args.import_rows)
        needed = biggest * ROW_BYTES * 1.1
        free = shutil.disk_usage(tmp).free
        if needed > free:
            raise SystemExit(f"needs about {needed / GB:.0f} GB in {tmp}, {free / GB:.0f} GB free")
        if "import" not in args.skip:
            _import_vs_pyarrow(tmp, args)
        if "year" not in args.skip:
            _year(tmp, args)
        if "dask" not in args.skip:
            _dask(tmp, args)


def _import_vs_pyarrow(tmp: Path, args) -> None:
    from relscore.testing.synthetic import write_gdelt

    n_files = args.import_files
    paths = [str(tmp / f"part{i}.export.CSV") for i in range(n_files)]
    size = 0
    for i, path in enumerate(paths):
        rows = args.import_rows // n_files + (i < args.import_rows % n_files)
        first = 1_000_000_000 + i * (args.import_rows // n_files + 1)
        size += write_gdelt(path, rows, n_dyads=args.dyads, first_id=first, seed=args.seed + i)
    print(f"\n1. import: {args.import_rows:,} rows, {size / MB:,.0f} MB, in {n_files} files")
    header("rows")
    rates, startup = {}, {}
    store = str(tmp / "import_store")
    for name, task, extra in (
        ("pyarrow read_csv (7 columns)", "pyarrow", ()),
        ("import --to-parquet, none", "import", (store, "none", 1)),
        ("import --to-parquet, none, 2 jobs", "import", (store, "none", 2)),
        ("import --to-parquet, one-a-day", "import", (store, "one-a-day", 1)),
    ):
        seconds, n, peak, workers, startup[task] = measure(task, paths, *extra)
        assert n == args.import_rows, (name, n)
        rates[name] = n / seconds
        line(name, seconds, n, peak, workers, f"{size / MB / seconds:,.0f} MB/s")
    for path in paths:
        Path(path).unlink()
    shutil.rmtree(store)
    print(
        f"start-up, before the clock (imports, compiled code loaded, the 2,111-row sample "
        f"read): pyarrow {startup['pyarrow']:.2f} s, relscore {startup['import']:.2f} s"
    )
    base = rates["pyarrow read_csv (7 columns)"]
    print(f"import_vs_pyarrow: {rates['import --to-parquet, none'] / base:.2f}")
    print(f"import_vs_pyarrow (2 jobs): {rates['import --to-parquet, none, 2 jobs'] / base:.2f}")
    print(f"import_vs_pyarrow (one-a-day): {rates['import --to-parquet, one-a-day'] / base:.2f}")


def _year(tmp: Path, args) -> None:
    t0 = time.perf_counter()
    paths = write_days(tmp / "year", args.events, args.days, args.dyads, args.seed)
    size = sum(Path(p).stat().st_size for p in paths)
    print(
        f"\n2. a year: {args.events:,} events, {args.days} daily files, {size / GB:,.1f} GB, "
        f"{args.dyads:,} directed dyads (written in {time.perf_counter() - t0:.0f} s)"
    )
    header("events")
    store, output = tmp / "store", tmp / "index.parquet"
    seconds, n, peak, workers, _ = measure("import", paths, str(store), "none", 1)
    stored = sum(p.stat().st_size for p in store.rglob("*.parquet"))
    note = f"store {stored / MB:,.0f} MB"
    line("import --to-parquet, none", seconds, n, peak, workers, note)
    shutil.rmtree(tmp / "year")
    total = seconds
    import_peak = max(peak, workers or 0)
    seconds, n, peak, _, _ = measure("index", str(store), str(output))
    rows = pd.read_parquet(output, columns=["n_events"]).shape[0]
    note = f"{rows:,} rows, {output.stat().st_size / MB:,.0f} MB"
    line("index STORE --all-dyads (local)", seconds, n, peak, None, note)
    total += seconds
    line("import + index", total, n, max(peak, import_peak))
    shutil.rmtree(store)
    output.unlink()


def _dask(tmp: Path, args) -> None:
    paths = write_days(tmp / "dask", args.dask_events, args.days, args.dyads, args.seed + 1)
    store = tmp / "dask_store"
    measure("import", paths, str(store), "none", 1)
    shutil.rmtree(tmp / "dask")
    print(f"\n3. Dask: {args.dask_events:,} events in a store, indexed both ways")
    header("events")
    local_s, n, peak, _, _ = measure("index", str(store), str(tmp / "local.parquet"))
    line("local engine", local_s, n, peak)
    dask_s, n_dask, peak, workers, _ = measure("dask", str(store), str(tmp / "dask.parquet"))
    line("dask engine, LocalCluster 2 workers", dask_s, n_dask, peak, workers)
    same = pd.read_parquet(tmp / "local.parquet").equals(pd.read_parquet(tmp / "dask.parquet"))
    print(f"identical output: {same}")
    print(f"dask_vs_local: {local_s / dask_s:.2f}")


if __name__ == "__main__":
    main()
