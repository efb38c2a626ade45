"""Import GDELT or ICEWS files into the event store (``relscore import ... --to-parquet``).

The rows go through the importers' own parsing, filters, deduplication and row accounting
(:func:`relscore.io.importers.pipeline.read_file`), so the tally is the one the CSV import
prints for each file;
what differs is the output. Instead of relscore's events CSV (descriptions,
URLs and ids as text, built per event), each kept event becomes a handful of numbers and
dictionary codes (:func:`relscore.io.store.encoded_rows`), written to the store's
month parts (:class:`relscore.io.store.PartWriter`).

Each source file is imported on its own: its rows are deduplicated among themselves, its
parts depend on nothing else, and importing it again replaces them. Duplicates across
files are removed when the store is indexed (see :mod:`relscore.io.store`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from relscore.io.atomic import write_atomic
from relscore.io.importers import gdelt
from relscore.io.importers.accounting import Tally
from relscore.io.importers.icews import ICEWS
from relscore.io.importers.options import Options
from relscore.io.importers.pipeline import SKIPPED_COLUMNS, Format, Seen, check_files, read_file
from relscore.io.importers.tsv import Block
from relscore.io.progress import Progress
from relscore.io.store import PartWriter, encoded_rows, open_store, remove_temporaries, store_lock

FORMATS: dict[str, Format] = {"gdelt": gdelt.GDELT, "icews": ICEWS}
# Coverage counts read for ``index --weight-by``: (store column, field position).
COVERAGE = {
    "gdelt": (("num_mentions", gdelt.NUM_MENTIONS), ("num_articles", gdelt.NUM_ARTICLES)),
    "icews": (),
}


def import_to_store(
    fmt: str,
    paths: Iterable[str | Path],
    store: str | Path,
    opts: Options,
    skipped: str | Path | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Tally:
    """Import ``paths`` (``fmt`` = ``"gdelt"`` or ``"icews"``) into the event store ``store``.

    Parameters
    ----------
    fmt : {"gdelt", "icews"}
    paths : iterable of path
        Source files (plain, ``.zip`` or ``.gz``); each is checked before any is read.
    store : path
        The store's folder, created if needed (:func:`relscore.io.store.open_store`).
    opts : relscore.io.importers.options.Options
        Dedupe mode, dyad, date range, block size.
    skipped : path, optional
        CSV to receive every skipped row (``file,line,reason,row``), written atomically.
    progress : Progress, optional
        Told the share of the bytes read (total 1) and the rows parsed, block by block
        (file by file with ``jobs``).
    jobs : int, default 1
        Files imported at once, each in its own process (used when there are several files
        and no ``skipped``). Each file's parts depend on that file alone, so the store is
        the same whatever ``jobs``.

    Returns
    -------
    relscore.io.importers.accounting.Tally
        Summed over the files: ``read == kept + duplicates + skipped``; ``duplicates``
        counts the duplicates within each file.

    Raises
    ------
    EventFileError
        A file missing, unreadable, not of ``fmt``, or given twice.
    StoreError
        ``store`` is not a store of ``fmt`` and the dedupe mode, another run holds its lock
        (:func:`relscore.io.store.store_lock`), or a part cannot be written (a full
        disk): the store keeps its old parts.
    """
    paths = list(paths)
    source = FORMATS[fmt]
    check_files(source, paths, once=True)
    folder = open_store(store, fmt, opts.dedupe)
    tally = Tally(unmatched_label=source.unmatched_label)
    with store_lock(folder):
        removed = remove_temporaries(folder)
        if removed:
            tally.notes.append(
                f"removed {len(removed)} temporary file(s) an interrupted import left in {folder}"
            )
        if jobs > 1 and len(paths) > 1 and skipped is None:
            return _in_processes(fmt, paths, folder, opts, jobs, tally, progress)
        return _in_this_process(fmt, paths, folder, opts, tally, skipped, progress)


def _in_this_process(
    fmt: str,
    paths: list[str | Path],
    folder: Path,
    opts: Options,
    tally: Tally,
    skipped: str | Path | None,
    progress: Progress | None,
) -> Tally:
    """Import the files one after the other, the next read while the last is written."""
    total = max(sum(os.path.getsize(p) for p in paths), 1)

    def run(skip_path: Path | None) -> None:
        with ExitStack() as stack:
            skip = None
            if skip_path is not None:
                skip = stack.enter_context(open(skip_path, "w", encoding="utf-8", newline=""))
                skip.write(",".join(SKIPPED_COLUMNS) + "\n")
            # A file's parts are written out (commit) while the next file is read.
            committing = stack.enter_context(ThreadPoolExecutor(1))
            committed = None
            for path in paths:
                size, done = os.path.getsize(path), 0
                writer = PartWriter(folder, path)
                try:
                    for table, block, block_skipped in encoded_blocks(fmt, path, opts, tally):
                        writer.write(table)
                        if skip is not None:
                            block_skipped().to_csv(
                                skip, header=False, index=False, lineterminator="\n"
                            )
                        if progress is not None:
                            step = min(len(block.data), size - done)
                            done += step
                            progress.update(step / total, len(block))
                    if committed is not None:
                        committed.result()  # the previous file's error stops this one too
                except BaseException:
                    writer.abort()
                    raise
                committed = committing.submit(writer.commit)
                if progress is not None:
                    progress.update((size - done) / total)
            if committed is not None:
                committed.result()

    if skipped is None:
        run(None)
    else:
        write_atomic(skipped, run)
    return tally


def import_file(fmt: str, path: str | Path, store: Path, opts: Options) -> Tally:
    """Import one source file into the (open) store; return its tally."""
    tally = Tally(unmatched_label=FORMATS[fmt].unmatched_label)
    with PartWriter(store, path) as writer:
        for table, _, _ in encoded_blocks(fmt, path, opts, tally):
            writer.write(table)
    return tally


def _in_processes(
    fmt: str,
    paths: list[str | Path],
    store: Path,
    opts: Options,
    jobs: int,
    tally: Tally,
    progress: Progress | None,
) -> Tally:
    """Import the files ``jobs`` at a time in worker processes; sum their tallies."""
    total = max(sum(os.path.getsize(p) for p in paths), 1)
    context = multiprocessing.get_context("spawn")  # no fork of a threaded process
    with ProcessPoolExecutor(min(jobs, len(paths)), mp_context=context) as pool:
        futures = {pool.submit(import_file, fmt, p, store, opts): p for p in paths}
        for future in as_completed(futures):
            part = future.result()
            tally.read += part.read
            tally.kept += part.kept
            tally.duplicates += part.duplicates
            tally.skipped.update(part.skipped)
            tally.unmatched.update(part.unmatched)
            if progress is not None:
                progress.update(os.path.getsize(futures[future]) / total, part.read)
    return tally


def encoded_blocks(
    fmt: str, path: str | Path, opts: Options, tally: Tally
) -> Iterator[tuple[pa.Table, Block, Callable[[], pd.DataFrame]]]:
    """Import one source file block by block, counting into ``tally``
    (:func:`relscore.io.importers.pipeline.read_file`, deduplicating within this file).

    Yields
    ------
    table : pyarrow.Table
        The block's kept events (:data:`relscore.io.store.STORE_SCHEMA`).
    block : relscore.io.importers.tsv.Block
        The block read.
    skipped : callable
        Returns the block's skipped rows when called.
    """
    for result in read_file(FORMATS[fmt], path, opts, tally, Seen()):
        parsed, kept = result.parsed, result.kept
        rows = result.rows[kept]
        extra = {"origin_line": result.block.line[rows]}
        if result.sources is not None:
            extra["source_hash"] = source_hash(result.sources)
        for column, field in COVERAGE[fmt]:
            value, length = result.block.number(rows, field)
            extra[column], extra[f"{column}_missing"] = value, (value < 0) | (length > 9)
        table = encoded_rows(
            parsed.event_id[kept],
            parsed.day[kept],
            parsed.actor1[kept],
            parsed.actor2[kept],
            parsed.code[kept],
            extra,
        )
        yield table, result.block, result.skipped


def source_hash(sources: np.ndarray) -> np.ndarray:
    """A 64-bit hash (int64) of each source text, the ``source-url`` dedupe key's part."""
    values = pd.util.hash_array(sources, categorize=False)
    return values.view(np.int64)
