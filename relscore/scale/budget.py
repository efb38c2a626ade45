"""Memory and disk budgets: estimate what a run needs before doing it, and stop clearly.

The estimates are upper bounds built from per-item sizes (bytes per event read, per
dyad-day cell kept, per grid cell of a block, per output row); the checks compare them
with the memory available (``MemAvailable`` on Linux, or ``--max-memory``) and the free
space on the output's file system.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from relscore.exceptions import BudgetError

try:
    import resource  # not on Windows
except ImportError:  # pragma: no cover
    resource = None

GB = 1e9
# Bytes per event while a month is aggregated: the Arrow columns read (~20), each event's
# grid cell (8), its conflict and cooperation (16), dedupe keys and temporaries (~20).
BYTES_PER_EVENT = 64
# Bytes per dyad-day cell kept between the passes: dyad (4), day (4), n_events (8),
# conflict, cooperation (16), and a sort permutation (8).
BYTES_PER_CELL = 40
# Bytes per grid cell of a block of dyads: n_events, conflict, cooperation, net, tension
# (40), the output frame's dyad, date and copies (~40), the Arrow table written (~56).
BYTES_PER_GRID_CELL = 136
# Bytes per output row on disk, upper bounds: Parquet before compression, CSV text.
BYTES_PER_ROW = {"parquet": 52, "csv": 80}


def parse_size(text: str) -> int:
    """Bytes in ``"512M"``, ``"4G"``, ``"1.5GB"``, ``"2000000"`` (powers of 1000).

    Raises
    ------
    ValueError
        If ``text`` is not a size.
    """
    match = re.fullmatch(r"\s*([0-9.]+)\s*([kKmMgGtT]?)[bB]?\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 512M or 4G)")
    scale = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}[match[2].lower()]
    return int(float(match[1]) * scale)


def available_memory() -> int:
    """Bytes of memory available to a new allocation without swapping (``MemAvailable``;
    free pages where ``/proc/meminfo`` does not exist), and within the process's
    address-space limit (``ulimit -v``, ``prlimit --as``) where there is one."""
    free = _meminfo("/proc/meminfo", "MemAvailable:")
    if free is None:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    limit = resource.getrlimit(resource.RLIMIT_AS)[0] if resource else -1
    used = _meminfo("/proc/self/status", "VmSize:")
    if limit not in (-1, getattr(resource, "RLIM_INFINITY", -1)) and used is not None:
        return max(0, min(free, limit - used))
    return free


def _meminfo(path: str, key: str) -> int | None:
    """Bytes on the line ``key`` of a ``/proc`` file in kB, or None."""
    try:
        with open(path) as info:
            for line in info:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def check_memory(needed: float, budget: float, what: str, hint: str) -> None:
    """Raise :class:`BudgetError` if ``needed`` bytes exceed ``budget`` bytes."""
    if needed > budget:
        raise BudgetError(
            f"{what} needs about {needed / GB:.2f} GB of memory and the budget is "
            f"{budget / GB:.2f} GB; {hint}"
        )


def check_disk(path: str | Path | None, n_rows: int, fmt: str) -> None:
    """Raise :class:`BudgetError` if ``n_rows`` index rows in format ``fmt`` would not fit
    on the file system of ``path`` (nothing to check when writing to standard output)."""
    if path is None:
        return
    folder = Path(path).resolve().parent
    while not folder.exists():
        folder = folder.parent
    needed = n_rows * BYTES_PER_ROW[fmt]
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise BudgetError(
            f"writing {n_rows:,} rows to {path} needs up to {needed / GB:.2f} GB and its disk "
            f"has {free / GB:.2f} GB free; write elsewhere, or fewer rows (--start, --end, "
            "--dyad)"
        )
