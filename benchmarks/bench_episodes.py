"""Episodes of every dyad of an index folder against the index over the same store.

Run from the repository root::

    python benchmarks/bench_episodes.py                    # 40,000 dyads x a year, 4 M events
    python benchmarks/bench_episodes.py --dyads 4000 --events 400_000     # quick

A synthetic GDELT file (``relscore.testing.write_gdelt``: ``--events`` rows among
``--dyads`` directed dyads over ``--days`` days, every code of the codebook) is imported
into a store. The baseline is the index over that store into an index folder
(``update_index``, a full build), timed; then ``folder_episodes`` reads every dyad's
episodes from the folder, block by block of dyads within the memory budget, timed twice:
its half-life fits in this process alone (``--jobs 1``), then shared with one worker
process per CPU (the default; the two tables must be equal). The ratios are the
episodes' seconds over the index's, measured in the same run, after a warm-up on a small
store. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from relscore._compiled import CPUS
from relscore.analysis.folder_episodes import folder_episodes
from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing import write_gdelt


def once(folder: Path, n_events: int, n_dyads: int, n_days: int) -> tuple[float, dict, int]:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "events.CSV"
    write_gdelt(source, n_events, n_dyads=n_dyads, n_codes=300, n_days=n_days)
    import_to_store([source], folder / "store", dedupe="none")
    source.unlink()
    start = time.perf_counter()
    update_index(folder / "store", folder / "index")
    index_s = time.perf_counter() - start
    seconds, tables = {}, {}
    for jobs in (1, CPUS):
        start = time.perf_counter()
        tables[jobs] = folder_episodes(folder / "index", jobs=jobs)
        seconds[jobs] = time.perf_counter() - start
    pd.testing.assert_frame_equal(tables[1], tables[CPUS], check_exact=True)
    return index_s, seconds, len(tables[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=lambda t: int(t.replace("_", "")), default=4_000_000)
    parser.add_argument("--dyads", type=int, default=40_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-episodes-") as tmp:
        once(Path(tmp) / "warm", 20_000, 200, 60)  # imports and compiled code loaded
        index_s, episodes_s, n = once(Path(tmp), args.events, args.dyads, args.days)
    print(f"{args.dyads:,} dyads x {args.days} days, {args.events:,} events: {n:,} episodes")
    for jobs, seconds in episodes_s.items():
        print(
            f"jobs {jobs}  index_s {index_s:.1f}  episodes_s {seconds:.1f}  "
            f"episodes/index {seconds / index_s:.2f}"
        )


if __name__ == "__main__":
    main()
