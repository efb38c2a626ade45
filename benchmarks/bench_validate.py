"""Time ``relscore validate``'s reader against plain pandas.read_csv on the same file.

Run from the repository root::

    python benchmarks/bench_validate.py --rows 1_000_000

Writes a seeded synthetic events CSV (every row valid: ids, dates over 30 years, ISO
dyads, CAMEO codes of the codebook, a sentence with a comma and quotes, a URL, some
fatalities; about 150 bytes a row) to a temporary folder, then in a fresh process each
(so peak memory, ``VmHWM``, is each one's own) times :func:`relscore.read_events` and
``pandas.read_csv(path, dtype=str, keep_default_na=False)``. Both are warmed up on a small
file first (imports, numba, the codebook). The last three lines are::

    validate_seconds: X            # read_events on the file
    validate_mem_vs_file: Y        # its peak memory above the warm process, over file size
    validate_vs_read_csv: Z        # its seconds over pandas.read_csv's

Linux only (the memory is read from ``/proc/self/status``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MB = 2**20


def write_events(path: Path, n_rows: int, seed: int = 0) -> int:
    """Write ``n_rows`` valid events to ``path``; return its size in bytes."""
    from relscore.codebook import load_codebook
    from relscore.readers.events import iso3_codes

    rng = np.random.default_rng(seed)
    iso = np.array(sorted(iso3_codes()))
    codes = load_codebook().index.to_numpy(dtype=str)
    first = rng.integers(0, len(iso), n_rows)
    second = (first + rng.integers(1, len(iso), n_rows)) % len(iso)
    days = np.datetime64("1995-01-01") + rng.integers(0, 30 * 365, n_rows)
    fatalities = np.where(rng.random(n_rows) < 0.1, rng.integers(0, 50, n_rows).astype(str), "")
    frame = pd.DataFrame(
        {
            "event_id": np.char.add("ev-", np.arange(n_rows).astype(str)),
            "date": np.datetime_as_string(days),
            "actor1": iso[first],
            "actor2": iso[second],
            "event_code": codes[rng.integers(0, len(codes), n_rows)],
            "description": 'One state said "something", then another replied.',
            "source": np.char.add("https://news.example.org/story-", np.arange(n_rows).astype(str)),
            "fatalities": fatalities,
            "weight": "",
            "notes": "",
        }
    )
    frame.to_csv(path, index=False, lineterminator="\n")
    return path.stat().st_size


def _peak_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current resident size


def _run(engine: str, path: str, warm: str, queue) -> None:
    from relscore.readers.events import read_checked

    def relscore_read(p):
        events, problems = read_checked(p)
        assert not problems, problems[:3]
        return len(events)

    def pandas_read(p):
        return len(pd.read_csv(p, dtype=str, keep_default_na=False))

    read = relscore_read if engine == "relscore" else pandas_read
    read(warm)
    _reset_peak()
    before = _peak_bytes()
    start = time.perf_counter()
    n = read(path)
    seconds = time.perf_counter() - start
    queue.put((n, seconds, _peak_bytes() - before))


def measure(engine: str, path: Path, warm: Path) -> tuple[int, float, int]:
    """Rows, seconds and peak extra memory of one engine, in a fresh process."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(engine, str(path), str(warm), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, warm = Path(folder) / "events.csv", Path(folder) / "warm.csv"
        size = write_events(path, args.rows, args.seed)
        write_events(warm, 1000, args.seed + 1)
        print(f"file: {args.rows:,} rows, {size / MB:.1f} MB")
        rows, seconds, memory = measure("relscore", path, warm)
        base_rows, base_seconds, base_memory = measure("pandas", path, warm)
        assert rows == base_rows == args.rows, (rows, base_rows)
        print(f"relscore read_events: {seconds:.2f} s, peak +{memory / MB:.0f} MB")
        print(f"pandas.read_csv:      {base_seconds:.2f} s, peak +{base_memory / MB:.0f} MB")
        print(f"validate_seconds: {seconds:.2f}")
        print(f"validate_mem_vs_file: {memory / size:.2f}")
        print(f"validate_vs_read_csv: {seconds / base_seconds:.2f}")


if __name__ == "__main__":
    main()
