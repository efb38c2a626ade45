"""Time relscore's GDELT import against plain pandas.read_csv on the same synthetic file.

Run from the repository root::

    python benchmarks/bench_import.py --rows 10_000_000

The file is written to a temporary folder (about 420 bytes a row: 4.2 GB for 10 M rows)
and removed afterwards. Its rows are real GDELT 2.0 rows from
``data/reference/gdelt2_export_20191024143000.tsv``, drawn at random, each with a new
GLOBALEVENTID and an event date spread over a year, so the widths, the share of rows
without two countries and the duplicates are those of real data. Every engine runs in a
fresh process, warmed up on the real sample, which reports its time and its peak memory
(VmHWM). The last line is
``import_vs_pandas: X``: relscore's rows/s (default options) over the faster pandas
reader's. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLE = Path(__file__).resolve().parents[1] / "data/reference/gdelt2_export_20191024143000.tsv"
# GLOBALEVENTID, SQLDATE, Actor1/2CountryCode, EventCode, NumMentions/Sources/Articles,
# AvgTone, SOURCEURL: the columns relscore reads.
NEEDED = [0, 1, 7, 17, 26, 31, 32, 33, 34, 60]
MB = 2**20


def write_synthetic(path: Path, n_rows: int, seed: int = 0, block: int = 500_000) -> int:
    """Write ``n_rows`` synthetic GDELT 2.0 rows to ``path``; return its size in bytes.

    Each row is a random row of the real sample with GLOBALEVENTID ``1 ... n_rows`` and
    SQLDATE, MonthYear, Year and FractionDate moved to a random day of 2019.
    """
    rng = np.random.default_rng(seed)
    template = [line.split("\t", 5)[5] for line in SAMPLE.read_text("utf-8").splitlines()]
    template = np.array(template, dtype=object)
    days = np.datetime64("2019-01-01") + np.arange(365)
    stamps = pd.DatetimeIndex(days)
    fraction = stamps.year + (stamps.day_of_year - 1) / 365  # GDELT's FractionDate
    date_fields = np.array(
        [f"{t:%Y%m%d}\t{t:%Y%m}\t{t.year}\t{f:.4f}" for t, f in zip(stamps, fraction, strict=True)],
        dtype=object,
    )
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for lo in range(0, n_rows, block):
            n = min(block, n_rows - lo)
            ids = np.arange(lo + 1, lo + n + 1).astype(str).astype(object)
            rows = ids + "\t" + date_fields[rng.integers(0, 365, n)] + "\t"
            rows = rows + template[rng.integers(0, len(template), n)]
            out.write("\n".join(rows) + "\n")
    return path.stat().st_size


def relscore_import(path: Path, out_dir: Path) -> tuple[int, int]:
    """relscore's import with default options (one-a-day), writing the events CSV."""
    from relscore.importers import import_gdelt

    tally = import_gdelt(path, out_dir / "events.csv")
    return tally.read, tally.kept


def relscore_import_none(path: Path, out_dir: Path) -> tuple[int, int]:
    """relscore's import keeping every row (``--dedupe none``)."""
    from relscore.importers import import_gdelt

    tally = import_gdelt(path, out_dir / "events.csv", dedupe="none")
    return tally.read, tally.kept


def pandas_usecols(path: Path, out_dir: Path) -> tuple[int, int]:
    """pandas.read_csv of the columns relscore reads, as strings (codes keep their zeros)."""
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        usecols=NEEDED,
        dtype=str,
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
    )
    return len(frame), len(frame)


def pandas_all_chunked(path: Path, out_dir: Path) -> tuple[int, int]:
    """pandas.read_csv of all 61 columns as strings, in chunks of a million rows (the
    whole file at once would need far more memory than the machine has)."""
    n = 0
    for chunk in pd.read_csv(
        path,
        sep="\t",
        header=None,
        dtype=str,
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        chunksize=1_000_000,
    ):
        n += len(chunk)
    return n, n


def pyarrow_usecols(path: Path, out_dir: Path) -> tuple[int, int]:
    """pyarrow's CSV reader on the columns relscore reads, as strings."""
    from pyarrow import csv as pacsv

    names = [f"f{i}" for i in range(61)]
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=names),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=[names[i] for i in NEEDED],
            column_types=dict.fromkeys((names[i] for i in NEEDED), "string"),
        ),
    )
    return table.num_rows, table.num_rows


ENGINES = {
    "relscore import (one-a-day)": relscore_import,
    "relscore import (none)": relscore_import_none,
    "pandas read_csv usecols": pandas_usecols,
    "pandas read_csv all, chunked": pandas_all_chunked,
    "pyarrow read_csv usecols": pyarrow_usecols,
}


def _peak_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise KeyError("VmHWM")


def _child(engine: str, path: Path, out_dir: Path, pipe) -> None:
    try:
        ENGINES[engine](SAMPLE, out_dir)  # warm up: imports and lookup tables, 2,111 rows
        t0 = time.perf_counter()
        n_in, n_out = ENGINES[engine](path, out_dir)
        pipe.send((time.perf_counter() - t0, n_in, n_out, _peak_kb() * 1024))
    except ImportError as exc:
        pipe.send(exc)


def measure(engine: str, path: Path, out_dir: Path) -> tuple[float, int, int, int] | None:
    """Run ``engine`` in a fresh process, once on the real sample to warm up, then timed on
    ``path``: seconds, rows read, rows out (events written, or rows parsed), peak RSS
    bytes (None if the engine's library is not installed)."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(engine, path, out_dir, send))
    child.start()
    result = receive.recv()
    child.join()
    return None if isinstance(result, ImportError) else result


def main(argv: list[str] | None = None) -> None:
    """Write the file, time every engine on it, print the table and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="default 10_000_000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, {mp.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="bench_import.") as tmp:
        path = Path(tmp) / "synthetic.export.CSV"
        t0 = time.perf_counter()
        size = write_synthetic(path, args.rows, args.seed)
        print(
            f"file: {args.rows:,} GDELT 2.0 rows, {size / MB:,.0f} MB, written in "
            f"{time.perf_counter() - t0:.0f} s; each engine runs once, warm, in a fresh process"
        )
        header = ("engine", "seconds", "rows/s", "MB/s", "peak RSS MB", "rows out")
        print(f"{header[0]:<30}" + "".join(f"{h:>13}" for h in header[1:]))
        rates = {}
        for engine in ENGINES:
            result = measure(engine, path, Path(tmp))
            if result is None:
                print(f"{engine:<30}{'(not installed)':>13}")
                continue
            seconds, n_in, n_out, peak = result
            assert n_in == args.rows, (engine, n_in)
            rates[engine] = args.rows / seconds
            print(
                f"{engine:<30}{seconds:>13.2f}{rates[engine]:>13,.0f}"
                f"{size / MB / seconds:>13.1f}{peak / MB:>13.0f}{n_out:>13,}"
            )
    pandas_best = max(v for k, v in rates.items() if k.startswith("pandas"))
    print(f"import_vs_pandas: {rates['relscore import (one-a-day)'] / pandas_best:.2f}")


if __name__ == "__main__":
    main()
