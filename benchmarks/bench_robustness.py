"""Robustness per variant against one index computation of the same dyad.

Run from the repository root::

    python benchmarks/bench_robustness.py                         # 2,000 / 20,000 / 200,000
    python benchmarks/bench_robustness.py --events 2000,20000     # quick

For each size, a seeded synthetic dyad (``relscore.testing.synthetic_dyad``: 32 years) is
read under every variant of ``relscore.robustness`` (the default schemes, ``--draws``
jitter draws, the kernel grid and every event left out). The baseline is one index of the
same dyad (``code_events`` then ``tension_index``), timed in the same process: the ratio
is the robustness run's seconds per variant over the baseline's seconds. Peak memory is
measured in a fresh process per size (``spawn``), as ``bench_index.py`` does: the
kernel's peak-RSS counter is reset after the input is built and the compiled code loaded,
and the figure is ``VmHWM`` after the run less ``VmRSS`` before it. See
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _run(n_events: int, draws: int, queue) -> None:
    import relscore
    from relscore.testing.dyad import synthetic_dyad

    events = synthetic_dyad(n_events, seed=0)
    relscore.robustness(events.iloc[:200], "ISR-PSE", draws=2)  # compiled code loaded
    index_s = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        relscore.tension_index(relscore.code_events(events))
        index_s = min(index_s, time.perf_counter() - start)
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")
    before = _kb("VmRSS:")
    start = time.perf_counter()
    table = relscore.robustness(events, "ISR-PSE", draws=draws)
    seconds = time.perf_counter() - start
    queue.put((n_events, len(table), seconds, index_s, _kb("VmHWM:") - before))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="2000,20000,200000")
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"robustness of a synthetic dyad (32 years, {args.draws} draws) per variant")
    print("   events  variants  robustness_s  index_s  per_variant/index  peak_extra_MB")
    for n in (int(x.replace("_", "")) for x in args.events.split(",")):
        queue = context.Queue()
        process = context.Process(target=_run, args=(n, args.draws, queue))
        process.start()
        n_events, variants, seconds, index_s, peak = queue.get()
        process.join()
        print(
            f"{n_events:9,d} {variants:9,d} {seconds:13.1f} {index_s:8.4f}"
            f" {seconds / variants / index_s:18.3f} {peak / 1e6:14.0f}"
        )


if __name__ == "__main__":
    main()
