"""The scaled index on one machine: stream the months, then the kernel block by block.

Pass 1 reads the event store one month at a time (:func:`relscore.scale.aggregate.month_cells`)
and keeps only the cells (dyad-days with events, about 30 bytes each). Pass 2 takes the
dyads in blocks of consecutive labels, lays each block's cells on a dense grid, runs the
kernel and writes the rows (:mod:`relscore.scale.kernel`, :mod:`relscore.store.index_file`).
Peak memory is one month of events plus the cells plus one block's grid, and is checked
against the budget before each step; the output's size is checked against the free disk
before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.codebook import DEFAULT_SCHEME
from relscore.files.progress import Progress
from relscore.scale import budget
from relscore.scale.aggregate import month_cells, month_cells_of_events, scoring
from relscore.scale.kernel import block_frame, block_size
from relscore.scale.spec import IndexSpec
from relscore.store.index_file import IndexWriter, output_format
from relscore.store.layout import count_rows, month_parts, store_lock, store_meta
from relscore.vocabulary import Calendar, calendar, check_dyad


@dataclass(frozen=True)
class IndexRun:
    """What a run of the scaled index did: events scored, rows written, dyads, and for an
    event store the rows it holds (``n_stored = n_events + duplicates`` across files).

    Examples
    --------
    The bundled GDELT export saved under two names and both imported: the store holds
    every row twice, the index counts each event once.

    >>> import shutil
    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     copies = [Path(folder) / "a.CSV", Path(folder) / "b.CSV"]
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         for copy in copies:
    ...             _ = shutil.copy(sample, copy)
    ...     tally = relscore.import_to_store(copies, Path(folder) / "store")
    ...     run = relscore.index_store(Path(folder) / "store", Path(folder) / "syr_tur.csv",
    ...                                dyad="SYR-TUR")
    >>> run
    IndexRun(n_events=242, n_rows=366, n_dyads=1, n_stored=484)
    >>> run.n_duplicates
    242
    """

    n_events: int
    n_rows: int
    n_dyads: int
    n_stored: int | None = None

    @property
    def n_duplicates(self) -> int | None:
        """Rows of the store left out as duplicates of a row of another part file."""
        return None if self.n_stored is None else self.n_stored - self.n_events


@dataclass
class Cells:
    """Every month's cells with global dyad codes: per month, arrays sorted by dyad."""

    labels: np.ndarray  # every dyad label, sorted
    months: list[dict[str, np.ndarray]]

    @property
    def n_cells(self) -> int:
        return sum(len(m["day"]) for m in self.months)

    def day_range(self) -> tuple[int, int]:
        days = [m["day"] for m in self.months if len(m["day"])]
        return min(int(d.min()) for d in days), max(int(d.max()) for d in days)

    def block(self, lo: int, hi: int) -> pd.DataFrame:
        """The cells of dyads ``lo`` ... ``hi - 1``, dyads renumbered from 0."""
        parts = []
        for month in self.months:
            a, b = np.searchsorted(month["dyad"], [lo, hi])
            parts.append({k: v[a:b] for k, v in month.items()})
        block = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        block["dyad"] = block["dyad"] - lo
        return pd.DataFrame(block)


def combine(months: Iterable[pd.DataFrame]) -> Cells:
    """Give the cells of each month (:func:`relscore.scale.aggregate.cells_of`) the codes
    of one sorted list of every dyad; each month stays sorted by dyad."""
    months = [m for m in months if len(m)]
    names = [np.asarray(m["dyad"].cat.categories, dtype=object) for m in months]
    labels = np.unique(np.concatenate(names)) if names else np.empty(0, object)
    out = []
    for month, local in zip(months, names, strict=True):
        lookup = np.searchsorted(labels, local).astype(np.int32)
        arrays = {c: month[c].to_numpy() for c in ("day", "n_events", "conflict", "cooperation")}
        out.append({"dyad": lookup[month["dyad"].cat.codes.to_numpy()], **arrays})
    return Cells(labels, out)


def index_store(
    store: str | Path,
    output: str | Path | None = None,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    weight_by: str | None = None,
    window: int | None = None,
    half_life: float | None = None,
    directed: bool = False,
    start: str | None = None,
    end: str | None = None,
    dyad: str | None = None,
    block_dyads: int | None = None,
    max_memory: float | None = None,
    output_format: str | None = None,
    progress: Progress | None = None,
) -> IndexRun:
    """The tension index of every dyad (or one) of an event store, on this machine.

    Parameters
    ----------
    store : path
        The event store (``relscore import ... --to-parquet``).
    output : path, optional
        File to write (standard output if None, CSV only).
    scheme, overrides, weight_by
        Scoring, as for :func:`relscore.code_events` and :func:`relscore.scale_by_coverage`.
    window, half_life, directed, start, end
        The kernel (days), directed dyads and the dates written, as for
        :func:`relscore.tension_index`.
    dyad : str, optional
        Write one dyad's rows (``"IRN-PAK"``; ``"IRN>PAK"`` if directed).
    block_dyads : int, optional
        Dyads per block of the kernel (default: about 4 M dyad-days a block).
    max_memory : float, optional
        Memory budget in bytes (default: the memory available).
    output_format : {"parquet", "csv"}, optional
        Default from the output's suffix (``.parquet`` or ``.pq``: Parquet), else CSV.
    progress : Progress, optional
        Told the share of the store read (total 1) and the events, month by month.

    Returns
    -------
    IndexRun

    Raises
    ------
    BudgetError
        If a month, the cells or a block would not fit the memory budget, or the output
        the disk (checked before it is written).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = Path(folder) / "store"
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         tally = relscore.import_to_store(sample, store)
    ...     run = index_store(store, Path(folder) / "index.parquet")
    ...     index = relscore.read_index(Path(folder) / "index.parquet")
    >>> run
    IndexRun(n_events=242, n_rows=39162, n_dyads=107, n_stored=242)

    107 dyads on one calendar of 366 days (the sample's events run from 2018-10-24 to
    2019-10-24): 39,162 rows. Turkey and Syria, on the sample's last two days:

    >>> index[index["dyad"] == "SYR-TUR"].tail(2)
              dyad       date  n_events  conflict  cooperation   net  tension
    37330  SYR-TUR 2019-10-23         0       0.0          0.0   0.0      0.0
    37331  SYR-TUR 2019-10-24         7      24.4         54.4 -30.0    -30.0
    """
    spec = IndexSpec(
        scheme=scheme,
        overrides=overrides,
        weight_by=weight_by,
        window=window,
        half_life=half_life,
        directed=directed,
        start=start,
        end=end,
        dyad=dyad,
        block_dyads=block_dyads,
        max_memory=max_memory,
        output_format=output_format,
    )
    meta = store_meta(store)
    score = scoring(spec.scheme, spec.overrides, spec.weight_by)
    budget_bytes = budget.available_memory() if spec.max_memory is None else spec.max_memory
    with store_lock(store, exclusive=False):
        cells, n_events, n_stored = read_store(
            store, meta, score, budget_bytes, spec.directed, progress
        )
    run = write_index(cells, n_events, output, replace(spec, max_memory=budget_bytes))
    return replace(run, n_stored=n_stored)


def read_store(store, meta: dict, score, budget_bytes: float, directed: bool, progress) -> tuple:
    """Pass 1 over every month: the cells, the events scored and the rows stored."""
    parts = month_parts(store)
    total = sum(f.stat().st_size for files in parts.values() for f in files)
    months, n_events, held, n_stored = [], 0, 0, 0
    for name, files in parts.items():
        rows = count_rows(files)
        n_stored += rows
        budget.check_memory(
            rows * budget.BYTES_PER_EVENT + held * budget.BYTES_PER_CELL,
            budget_bytes,
            f"reading month {name} ({rows:,} events)",
            "raise --max-memory, or use --engine dask on a cluster",
        )
        cells, n = month_cells(files, score, meta["dedupe"], directed)
        months.append(cells)
        n_events, held = n_events + n, held + len(cells)
        if progress is not None:
            progress.update(sum(f.stat().st_size for f in files) / max(total, 1), n)
    return combine(months), n_events, n_stored


def index_events(coded: pd.DataFrame, output: str | Path | None = None, **settings) -> IndexRun:
    """The same block-wise index for coded events held in memory (CSV input).

    ``settings``: the keywords of :func:`index_store` but the scoring ones, which the coded
    events already carry. The rows equal
    :func:`relscore.tension_index`'s.
    """
    spec = IndexSpec(**settings)
    cells = combine(month_cells_of_events(coded, spec.directed))
    return write_index(cells, len(coded), output, spec)


def write_index(
    cells: Cells, n_events: int, output: str | Path | None, spec: IndexSpec
) -> IndexRun:
    """Pass 2: check the budgets, then run the kernel block by block and write the rows."""
    fmt = output_format(None if output is None else str(output), spec.output_format)
    lo, hi = dyad_block(cells.labels, spec.dyad)
    if not cells.n_cells:
        with IndexWriter(output, fmt):
            return IndexRun(n_events, 0, 0)
    cal = calendar(*cells.day_range(), start=spec.start, end=spec.end)
    size = plan_blocks(cal, hi - lo, spec.block_dyads, cells.n_cells, spec.max_memory)
    budget.check_disk(output, (hi - lo) * cal.n_kept, fmt)
    with IndexWriter(output, fmt) as writer:
        for first in range(lo, hi, size):
            last = min(first + size, hi)
            frame = block_frame(
                cells.block(first, last), cells.labels[first:last], cal, spec.window, spec.half_life
            )
            writer.write(frame)
    return IndexRun(n_events, writer.rows, hi - lo)


def dyad_block(labels: np.ndarray, dyad: str | None) -> tuple[int, int]:
    """The range of dyad positions to write: all, or the one named."""
    if dyad is None:
        return 0, len(labels)
    at = check_dyad(labels, dyad)
    return at, at + 1


def plan_blocks(
    cal: Calendar, n_dyads: int, wanted: int | None, n_cells: int, max_memory: float | None
) -> int:
    """Dyads per block: ``wanted``, or the default, made smaller if the budget needs it;
    :class:`~relscore.exceptions.BudgetError` if even one dyad, or ``wanted``, does not fit."""
    memory = budget.available_memory() if max_memory is None else max_memory
    free = memory - n_cells * budget.BYTES_PER_CELL
    per_dyad = cal.n_days * budget.BYTES_PER_GRID_CELL
    size = min(block_size(cal.n_days, wanted), max(n_dyads, 1))
    if wanted is None:
        size = max(1, min(size, int(free // per_dyad)))
    budget.check_memory(
        n_cells * budget.BYTES_PER_CELL + size * per_dyad,
        memory,
        f"the kernel on blocks of {size:,} dyads x {cal.n_days:,} days",
        "use a smaller --block-dyads or raise --max-memory",
    )
    return size
