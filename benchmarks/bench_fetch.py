"""Time ``fetch_gdelt(..., to_parquet=...)`` against one ``import_to_store`` of the same files.

Run from the repository root::

    python benchmarks/bench_fetch.py --files 200 --rows 3000

Synthetic GDELT 2.0 15-minute files (:func:`relscore.testing.synthetic.write_gdelt`, zipped
as GDELT ships them, named as consecutive slots of 2019-01-01 on) and their
``masterfilelist.txt`` are written to a temporary folder and served from 127.0.0.1 by
:func:`relscore.testing.mirror.serve` in a process of its own, as a server is (in this
process its threads would take turns with the fetch's for the interpreter). Then,
alternately ``--repeat`` times, (a) the files are imported from disk into a fresh store by
one ``import_to_store`` call (what ``relscore import gdelt FILES --to-parquet`` runs: every
file's start checked before any is read, then each read), (b) the same files imported
from disk by the import session the fetch feeds, file by file, each checked as it is read
(the fetch's own import, without the download), and (c) ``fetch_gdelt`` downloads them into
a fresh folder, verifying each, and imports each into a fresh store as it arrives. All run
in this process, warm (a first run on a few files compiles the kernels). The last lines are
``fetch_vs_disk: Y``, the fetch's rows/s over (a)'s, and ``fetch_vs_session: Z``, over
(b)'s (what the download and the verification cost), each the median of the repeats'
ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import platform
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from relscore.fetch import fetch_gdelt
from relscore.importers.options import options
from relscore.store.ingest import ImportSession, import_to_store
from relscore.testing.mirror import serve, write_master_list
from relscore.testing.synthetic import write_gdelt

MB = 2**20
START = dt.datetime(2019, 1, 1)


def write_files(folder: Path, n_files: int, n_rows: int, seed: int = 0) -> list[Path]:
    """``n_files`` zipped 15-minute files of ``n_rows`` synthetic rows each, and the list."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_files):
        slot = f"{START + dt.timedelta(minutes=15 * k):%Y%m%d%H%M%S}"
        plain = folder / f"{slot}.export.CSV"
        write_gdelt(
            plain, n_rows, n_days=30, start="2019-01-01", first_id=10**9 + k * n_rows, seed=seed + k
        )
        path = folder / f"{slot}.export.CSV.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(plain, plain.name)
        plain.unlink()
        paths.append(path)
    write_master_list(folder, paths)
    return paths


def _serve(folder: Path, urls, stop) -> None:
    """Serve ``folder`` until ``stop`` is set (in a process of its own); put its URL."""
    with serve(folder) as url:
        urls.put(url)
        stop.wait()


def from_disk(paths: list[Path], store: Path) -> tuple[float, int]:
    """One ``import_to_store`` call: seconds, rows read."""
    t0 = time.perf_counter()
    tally = import_to_store(paths, store)
    return time.perf_counter() - t0, tally.read


def from_disk_session(paths: list[Path], store: Path) -> tuple[float, int]:
    """The fetch's import session fed the files from disk: seconds, rows read."""
    t0 = time.perf_counter()
    with ImportSession("gdelt", store, options()) as session:
        for path in paths:
            session.add(path, check=False)
    return time.perf_counter() - t0, session.tally.read


def fetched(url: str, since: str, until: str, to: Path, store: Path, jobs: int):
    """``fetch_gdelt`` into a fresh folder and store: seconds, rows read, bytes fetched."""
    t0 = time.perf_counter()
    report = fetch_gdelt(since, until, to, base_url=url, to_parquet=store, jobs=jobs)
    seconds = time.perf_counter() - t0
    assert report.failed == 0, report.lines()
    return seconds, report.imported.read, report.bytes


def main(argv: list[str] | None = None) -> None:
    """Write and serve the files, time both ways alternately, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200, help="15-minute files (default 200)")
    parser.add_argument("--rows", type=int, default=3000, help="rows per file (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--jobs", type=int, default=4, help="fetch_gdelt's downloads at once")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    with tempfile.TemporaryDirectory(prefix="bench_fetch.") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        paths = write_files(tmp / "mirror", args.files, args.rows, args.seed)
        size = sum(p.stat().st_size for p in paths)
        last = START + dt.timedelta(minutes=15 * (args.files - 1))
        since, until = f"{START:%Y-%m-%d}", f"{last:%Y-%m-%d}"
        print(
            f"files: {args.files} x {args.rows:,} rows, {size / MB:,.1f} MB zipped, written in "
            f"{time.perf_counter() - t0:.1f} s; served from 127.0.0.1; jobs={args.jobs}"
        )
        from_disk(paths[:3], tmp / "warm-store")  # compile the kernels, fill the caches
        header = ("run", "way", "seconds", "rows/s", "MB/s")
        print(f"{header[0]:<5}{header[1]:<22}" + "".join(f"{h:>13}" for h in header[2:]))
        ratios, session_ratios = [], []
        context = mp.get_context("spawn")
        urls, stop = context.Queue(), context.Event()
        server = context.Process(target=_serve, args=(tmp / "mirror", urls, stop))
        server.start()
        url = urls.get(timeout=60)
        try:
            for n in range(args.repeat):
                disk_s, disk_rows = from_disk(paths, tmp / f"disk-{n}")
                session_s, session_rows = from_disk_session(paths, tmp / f"session-{n}")
                fetch_s, fetch_rows, _ = fetched(
                    url, since, until, tmp / f"fetch-{n}", tmp / f"fetch-store-{n}", args.jobs
                )
                assert fetch_rows == disk_rows == session_rows == args.files * args.rows
                ways = (
                    ("import_to_store", disk_s),
                    ("session from disk", session_s),
                    ("fetch_gdelt+import", fetch_s),
                )
                for way, seconds in ways:
                    print(
                        f"{n + 1:<5}{way:<22}{seconds:>13.2f}{disk_rows / seconds:>13,.0f}"
                        f"{size / MB / seconds:>13.1f}"
                    )
                ratios.append(disk_s / fetch_s)  # same rows: the ratio of the rates
                session_ratios.append(session_s / fetch_s)
        finally:
            stop.set()
            server.join()
    print(f"fetch_vs_disk: {statistics.median(ratios):.2f}")
    print(f"fetch_vs_session: {statistics.median(session_ratios):.2f}")


if __name__ == "__main__":
    main()
