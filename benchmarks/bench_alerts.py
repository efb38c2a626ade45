"""Alerts at GDELT scale: every dyad's alerts over ten years, against the index of the same
store.

Run from the repository root::

    python benchmarks/bench_alerts.py                          # 40,000 dyads x 10 years
    python benchmarks/bench_alerts.py --events 1_000_000 --dyads 4000 --years 3  # quick

One seeded synthetic GDELT 2.0 file (:func:`relscore.testing.synthetic.write_gdelt`:
``--events`` rows among ``--dyads`` directed dyads, dates uniform over ``--years`` years from
2010-01-01) is imported into an event store (``--dedupe none``: every row is an event) and
deleted. Then, each phase in a fresh process that reports its wall time and its peak resident
memory above what the process held before it (``VmHWM`` reset by ``/proc/self/clear_refs``
after a warm-up on a small store, which loads the modules and the compiled code):

1. **index** -- ``relscore index STORE --all-dyads --directed -o index.parquet``
   (:func:`relscore.index_store`): the baseline;
2. **alerts of the store** -- ``relscore alerts STORE --directed`` without the listing: the
   store's cells read month by month and every dyad's alerts found block by block
   (:func:`relscore.scale.cells.store_cells`, :func:`relscore.analysis.alerts.scan`);
3. **the same, with the events** of the alerts of the last 30 days read back from the
   store (what ``relscore alerts STORE --since`` adds);
4. **update** -- the first ``relscore update STORE INDEX_DIR --directed`` (an index folder),
   for the next phase;
5. **alerts of the index folder** -- ``relscore alerts INDEX_DIR``: its cells read month
   file by month file, then the same scan.

The ratios are each alerts phase's seconds over the index's, measured in the same run. The
script asserts that the store and the folder give the same alerts, nothing about speed.
See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MB = 2**20
GB = 1e9
ROW_BYTES = 410  # a synthetic row, about a real GDELT 2.0 row
RECENT_DAYS = 30


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> float:
    """Free what can be freed, reset the peak-RSS counter (``VmHWM``) to the current RSS,
    and return that RSS (MB): what the process holds before the task."""
    import ctypes
    import gc

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status_mb("VmRSS")


def index(store: str, output: str) -> dict:
    from relscore.scale import index_store

    run = index_store(store, output, directed=True)
    return {"rows": run.n_rows, "dyads": run.n_dyads, "events": run.n_events}


def store_alerts(store: str, output: str, with_events: bool = False) -> dict:
    from relscore.analysis import alerts as rule
    from relscore.scale.cells import store_cells, store_events

    cells = store_cells(store, directed=True)
    table, standing = rule.scan(rule.cell_blocks(cells), rule.FLOOR, rule.QUIET_DAYS)
    out = {"alerts": len(table), "dyads": len(standing), "cells": cells.n_cells}
    if with_events:
        last = standing["last_day"].max()
        recent = table[table["date"] > last - pd.Timedelta(days=RECENT_DAYS)]
        events = store_events(store, rule.event_days(recent), directed=True)
        recent = rule.with_top_events(recent, events)
        out["recent"] = len(recent)
        out["listed"] = int(recent["event_1"].notna().sum())
    table.iloc[:, :7].to_parquet(output)
    return out


def folder_alerts(folder: str, output: str) -> dict:
    from relscore.analysis import alerts as rule
    from relscore.scale.cells import folder_cells

    cells, _ = folder_cells(folder)
    table, standing = rule.scan(rule.cell_blocks(cells), rule.FLOOR, rule.QUIET_DAYS)
    table.iloc[:, :7].to_parquet(output)
    return {"alerts": len(table), "dyads": len(standing), "cells": cells.n_cells}


def update(store: str, folder: str) -> dict:
    from relscore.scale.update import update_index

    run = update_index(store, folder, directed=True)
    return {"files": run.n_files, "dyads": run.dyads_recomputed}


TASKS = {
    "index": index,
    "alerts": store_alerts,
    "alerts+events": lambda store, output: store_alerts(store, output, with_events=True),
    "update": update,
    "folder alerts": folder_alerts,
}


def warm_up(task: str) -> None:
    """The task once on a small store, so that modules are imported and the compiled code
    loaded before the clock starts."""
    from relscore.store.ingest import import_to_store
    from relscore.testing.synthetic import write_gdelt

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_gdelt(tmp / "w.CSV", 3000, n_dyads=50, n_days=800, start="2010-01-01", seed=9)
        import_to_store([tmp / "w.CSV"], tmp / "store", dedupe="none")
        if task == "folder alerts":
            update(str(tmp / "store"), str(tmp / "index"))
            folder_alerts(str(tmp / "index"), str(tmp / "a.parquet"))
        elif task == "update":
            update(str(tmp / "store"), str(tmp / "index"))
        else:
            TASKS[task](str(tmp / "store"), str(tmp / "out.parquet"))


def _child(task: str, args: tuple, pipe) -> None:
    warm_up(task)
    before = _reset_peak()
    t0 = time.perf_counter()
    result = TASKS[task](*args)
    pipe.send((time.perf_counter() - t0, result, _status_mb("VmHWM") - before))


def measure(task: str, *args) -> tuple[float, dict, float]:
    """Run a task in a fresh process: its seconds, what it returned, and its peak RSS above
    what the process held before it (MB)."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(task, args, send))
    child.start()
    result = receive.recv()
    child.join()
    if child.exitcode:
        raise RuntimeError(f"{task} failed")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--dyads", type=int, default=40_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", type=Path, default=None, help="where the files go")
    args = parser.parse_args(argv)
    from relscore.store.ingest import import_to_store
    from relscore.testing.synthetic import write_gdelt

    n_days = int(
        (
            np.datetime64(f"{2010 + args.years}-01-01", "D") - np.datetime64("2010-01-01", "D")
        ).astype(int)
    )
    need = args.events * ROW_BYTES * 1.2 + args.dyads * n_days * 40
    free = shutil.disk_usage(args.tmp or tempfile.gettempdir()).free
    if need > free:
        raise SystemExit(f"needs about {need / GB:.1f} GB of disk, {free / GB:.1f} GB free")
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        write_gdelt(
            tmp / "events.CSV",
            args.events,
            n_dyads=args.dyads,
            n_days=n_days,
            start="2010-01-01",
            seed=args.seed,
        )
        size = (tmp / "events.CSV").stat().st_size
        import_to_store([tmp / "events.CSV"], tmp / "store", dedupe="none")
        (tmp / "events.CSV").unlink()
        print(
            f"{args.events:,} synthetic events ({size / GB:.1f} GB of TSV), {args.dyads:,} "
            f"directed dyads, {n_days:,} days from 2010-01-01, seed {args.seed}; written and "
            f"imported in {time.perf_counter() - t0:.0f} s"
        )
        print(f"{platform.python_version()} on {platform.machine()}, numpy {np.__version__}")
        store = str(tmp / "store")
        runs = {
            "index": measure("index", store, str(tmp / "index.parquet")),
            "alerts": measure("alerts", store, str(tmp / "a_store.parquet")),
            "alerts+events": measure("alerts+events", store, str(tmp / "a_events.parquet")),
            "update": measure("update", store, str(tmp / "folder")),
            "folder alerts": measure(
                "folder alerts", str(tmp / "folder"), str(tmp / "a_f.parquet")
            ),
        }
        same = pd.read_parquet(tmp / "a_store.parquet").equals(pd.read_parquet(tmp / "a_f.parquet"))
        assert same, "the store and the index folder give different alerts"
    dyads = runs["index"][1]["dyads"]
    dense = dyads * n_days * 8 / MB
    print(
        f"{dyads:,} dyads x {n_days:,} days: the index has {runs['index'][1]['rows']:,} rows; "
        f"one dense float column of it would take {dense:,.0f} MB"
    )
    print(f"{'phase':<40}{'seconds':>9}{'extra MB':>10}  result")
    names = {
        "index": "index STORE --all-dyads (baseline)",
        "alerts": "alerts of the store",
        "alerts+events": f"  + events of the last {RECENT_DAYS} days' alerts",
        "update": "update (first build of an index folder)",
        "folder alerts": "alerts of the index folder",
    }
    for task, (seconds, result, peak) in runs.items():
        said = ", ".join(f"{k}={v:,}" for k, v in result.items())
        print(f"{names[task]:<40}{seconds:>9.2f}{peak:>10,.0f}  {said}")
    print("the store and the folder give the same alerts: True")
    base = runs["index"][0]
    for task in ("alerts", "alerts+events", "folder alerts"):
        print(
            f"{task.replace(' ', '_').replace('+', '_with_')}_vs_index: {runs[task][0] / base:.2f}"
        )


if __name__ == "__main__":
    main()
