"""Import GDELT or ICEWS files into the event store (``relscore import ... --to-parquet``).

The rows go through the importers' own parsing, filters, deduplication and row accounting
(:func:`relscore.importers.pipeline.read_file`), so the tally is the one the CSV import
prints for each file;
what differs is the output. Instead of relscore's events CSV (descriptions,
URLs and ids as text, built per event), each kept event becomes a handful of numbers and
dictionary codes (:func:`relscore.store.parts.encoded_rows`), written to the store's
month parts (:class:`relscore.store.parts.PartWriter`).

Each source file is imported on its own: its rows are deduplicated among themselves, its
parts depend on nothing else, and importing it again replaces them. Duplicates across
files are removed when the store is indexed (see :mod:`relscore.store.layout`).

So an import of several files commits each file as it is done. If a later file fails (a
truncated ``.gz``, a full disk), the files committed before it stay in the store, and the
error says exactly which (a note on it: ``relscore`` prints it as a second line); the
failed file and those after it add nothing. Importing the same files again, once the
cause is fixed, gives the store an import of all of them gives.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from relscore.exceptions import EventFileError, RelscoreError
from relscore.files.atomic import same_file, text_output
from relscore.files.csvfile import write_csv_rows
from relscore.files.progress import Progress
from relscore.importers import gdelt
from relscore.importers.accounting import Tally
from relscore.importers.dedupe import DEFAULT_DEDUPE
from relscore.importers.icews import ICEWS
from relscore.importers.options import Options, options
from relscore.importers.pipeline import SKIPPED_COLUMNS, Format, Seen, check_files, read_file
from relscore.importers.tsv import DEFAULT_CHUNK_BYTES, Block
from relscore.store.layout import open_store, remove_temporaries, store_lock
from relscore.store.parts import PartWriter, encoded_rows

IMPORT_FORMATS: dict[str, Format] = {"gdelt": gdelt.GDELT, "icews": ICEWS}
# Coverage counts read for ``index --weight-by``: (store column, field position).
COVERAGE = {
    "gdelt": (("num_mentions", gdelt.NUM_MENTIONS), ("num_articles", gdelt.NUM_ARTICLES)),
    "icews": (),
}


def import_to_store(
    paths: str | Path | Iterable[str | Path],
    store: str | Path,
    *args,
    format: str = "gdelt",
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    skipped: str | Path | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Tally:
    """Import GDELT or ICEWS files into the event store ``store``.

    Parameters
    ----------
    paths : path or list of paths
        Source files (plain, ``.zip`` or ``.gz``); each is checked before any is read.
    store : path
        The store's folder, created if needed (:func:`relscore.store.layout.open_store`).
    format : {"gdelt", "icews"}, default "gdelt"
        What the files are.
    dedupe, dyad, since, until, chunk_bytes
        What to keep, as for :func:`relscore.read_gdelt`.
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
    relscore.importers.accounting.Tally
        Summed over the files: ``read == kept + duplicates + skipped``; ``duplicates``
        counts the duplicates within each file.

    Raises
    ------
    EventFileError
        A file missing, unreadable, not of ``fmt``, or given twice.
    StoreError
        ``store`` is not a store of ``fmt`` and the dedupe mode, another run holds its lock
        (:func:`relscore.store.layout.store_lock`), or a part cannot be written (a full
        disk): the store keeps that file's old parts. If files were committed before the
        error, a note on it names them (``error.__notes__``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = Path(folder) / "store"
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         tally = import_to_store(sample, store)
    ...         again = import_to_store(sample, store)
    ...     run = relscore.index_store(store, Path(folder) / "index.parquet")
    >>> tally.lines()[0]
    'read=2111 kept=242 duplicates=180 skipped=1689'
    >>> run.n_stored, run.n_events
    (242, 242)

    Importing a file again replaces its parts: the store holds its 242 events once.
    """
    if args or (isinstance(paths, str) and paths in IMPORT_FORMATS):  # before 0.4
        warnings.warn(
            "import_to_store(fmt, paths, store, opts, ...) is now import_to_store(paths, "
            "store, format=..., dedupe=..., ...)",
            DeprecationWarning,
            stacklevel=2,
        )
        fmt, paths, store, opts, *rest = (paths, store, *args)
        given = [skipped, progress, jobs]
        given[: len(rest)] = rest
        skipped, progress, jobs = given
    else:
        fmt = format
        if fmt not in IMPORT_FORMATS:
            raise ValueError(f"format must be one of {', '.join(IMPORT_FORMATS)}, got {fmt!r}")
        opts = options(dedupe, dyad, since, until, chunk_bytes)
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    check_files(IMPORT_FORMATS[fmt], paths, once=True)
    total = sum(os.path.getsize(p) for p in paths)
    session = ImportSession(fmt, store, opts, skipped, progress, total)
    try:
        with session:
            if jobs > 1 and len(paths) > 1 and skipped is None:
                session.add_in_processes(paths, jobs)
            else:
                for path in paths:
                    session.add(path, check=False)
    except BaseException as error:  # a RelscoreError, or Ctrl-C
        if session.committed:
            error.add_note(committed_words(session.committed, len(paths)))
        raise
    return session.tally


def committed_words(committed: list[Path], n_files: int) -> str:
    """What an import that failed had committed, in one line.

    >>> print(committed_words([Path("a.CSV")], 3))
    1 of 3 files was imported before the error, its events are in the store: a.CSV; the
    others were not (importing a file again replaces its events: run the import again)
    """
    names = ", ".join(str(p) for p in committed[:5])
    if len(committed) > 5:
        names += f", ... ({len(committed)} in all)"
    verb = "was" if len(committed) == 1 else "were"
    their = "its" if len(committed) == 1 else "their"
    return (
        f"{len(committed)} of {n_files} files {verb} imported before the error, {their} "
        f"events are in the store: {names}; the others were not (importing a file again "
        "replaces its events: run the import again)"
    )


class ImportSession:
    """One import into a store, fed file by file: what :func:`import_to_store` runs on,
    and what ``relscore fetch --to-parquet`` feeds as each download is verified.

    Entering it opens the store (:func:`~relscore.store.layout.open_store`), takes its lock
    and removes the temporary files an interrupted import left, once for the session;
    each :meth:`add` imports one file while the previous file's parts are written out on
    a second thread (the read-ahead of :func:`import_to_store`); leaving it waits for the
    last commit and releases the lock. The rows are counted into ``tally``, a file's
    counts only once the file is read whole (a file that fails adds nothing); the files
    whose parts are in the store are listed in ``committed``, in the order committed.

    Parameters
    ----------
    fmt, store, opts, skipped
        As for :func:`import_to_store`.
    progress : Progress, optional
        Told the share of ``total`` bytes read and the rows parsed, block by block.
    total : int, optional
        Bytes of all the files the session will import, for ``progress`` (default: the
        share is not known in advance and each file counts its own size).

    Examples
    --------
    >>> import tempfile
    >>> from relscore import datasets
    >>> from relscore.importers.options import options
    >>> with tempfile.TemporaryDirectory() as tmp, datasets.gdelt_sample() as sample:
    ...     with ImportSession("gdelt", tmp, options()) as session:
    ...         _ = session.add(sample)
    >>> session.tally.read, session.tally.kept
    (2111, 242)
    """

    def __init__(
        self,
        fmt: str,
        store: str | Path,
        opts: Options,
        skipped: str | Path | None = None,
        progress: Progress | None = None,
        total: int | None = None,
    ):
        self.fmt, self.source, self.opts = fmt, IMPORT_FORMATS[fmt], opts
        self.store, self.skipped, self.progress = Path(store), skipped, progress
        self.total = None if total is None else max(total, 1)
        self.tally = Tally(unmatched_label=self.source.unmatched_label)
        self._stack = ExitStack()
        self._seen: list[Path] = []
        self._skip = None
        self._committing: ThreadPoolExecutor | None = None
        self._committed = None
        self.committed: list[Path] = []

    def __enter__(self) -> ImportSession:
        stack = self._stack
        try:
            self.store = open_store(self.store, self.fmt, self.opts.dedupe)
            stack.enter_context(store_lock(self.store))
            removed = remove_temporaries(self.store)
            if removed:
                self.tally.notes.append(
                    f"removed {len(removed)} temporary file(s) an interrupted import left in "
                    f"{self.store}"
                )
            if self.skipped is not None:  # -: standard output
                self._skip = stack.enter_context(text_output(self.skipped))
                self._skip.write(",".join(SKIPPED_COLUMNS) + "\n")
            # A file's parts are written out (commit) while the next file is read.
            self._committing = stack.enter_context(ThreadPoolExecutor(1))
        except BaseException:
            stack.close()
            raise
        return self

    def add(self, path: str | Path, check: bool = True) -> Tally:
        """Import one file (checked first unless ``check`` is False); return its tally.

        Raises
        ------
        EventFileError
            The file is missing, unreadable, not of the format, or was added before; the
            session goes on (the store keeps the file's old parts).
        StoreError
            A part (of this file or the one before) cannot be written.
        """
        if check:
            check_files(self.source, [path])
            for earlier in self._seen:
                if same_file(path, earlier):
                    raise EventFileError(f"{path}: given twice (also as {earlier})")
        self._seen.append(Path(path))
        tally = Tally(unmatched_label=self.source.unmatched_label)
        size, done = os.path.getsize(path), 0
        total = self.total or max(size, 1)
        progress = self.progress
        writer = PartWriter(self.store, path)
        try:
            for table, block, block_skipped in encoded_blocks(self.fmt, path, self.opts, tally):
                writer.write(table)
                if self._skip is not None:
                    write_csv_rows(block_skipped(), self._skip)
                if progress is not None:
                    step = min(len(block.data), size - done)
                    done += step
                    progress.update(step / total, len(block))
            if self._committed is not None:
                committed, self._committed = self._committed, None
                committed.result()  # the previous file's error stops this one too
        except BaseException:
            writer.abort()
            raise
        self._committed = self._committing.submit(self._commit, writer, Path(path))
        if progress is not None:
            progress.update((size - done) / total)
        add_tally(self.tally, tally)
        return tally

    def _commit(self, writer: PartWriter, path: Path) -> None:
        writer.commit()
        self.committed.append(path)

    def add_in_processes(self, paths: list[str | Path], jobs: int) -> None:
        """Import ``paths`` (checked already) ``jobs`` at a time in worker processes. A file
        that fails does not stop the others (each commits on its own); the first error is
        raised once all are done, with every file committed listed in ``committed``."""
        total = self.total or max(sum(os.path.getsize(p) for p in paths), 1)
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        failed = None
        with ProcessPoolExecutor(min(jobs, len(paths)), mp_context=context) as pool:
            futures = {
                pool.submit(import_file, self.fmt, p, self.store, self.opts): p for p in paths
            }
            for future in as_completed(futures):
                try:
                    part = future.result()
                except RelscoreError as error:
                    failed = failed or error
                    continue
                self.committed.append(Path(futures[future]))
                add_tally(self.tally, part)
                if self.progress is not None:
                    self.progress.update(os.path.getsize(futures[future]) / total, part.read)
        self._seen += [Path(p) for p in paths]
        if failed is not None:
            raise failed

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if self._committed is not None:
                committed, self._committed = self._committed, None
                if kind is None:
                    committed.result()
                else:  # the error on its way out wins; the commit still finishes
                    committed.exception()
        except BaseException as exc:
            self._stack.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self._stack.__exit__(kind, value, traceback)


def add_tally(total: Tally, part: Tally) -> None:
    """Add one file's counts to ``total`` (notes aside)."""
    total.read += part.read
    total.kept += part.kept
    total.duplicates += part.duplicates
    total.skipped.update(part.skipped)
    total.unmatched.update(part.unmatched)


def import_file(fmt: str, path: str | Path, store: Path, opts: Options) -> Tally:
    """Import one source file into the (open) store; return its tally."""
    tally = Tally(unmatched_label=IMPORT_FORMATS[fmt].unmatched_label)
    with PartWriter(store, path) as writer:
        for table, _, _ in encoded_blocks(fmt, path, opts, tally):
            writer.write(table)
    return tally


def encoded_blocks(
    fmt: str, path: str | Path, opts: Options, tally: Tally
) -> Iterator[tuple[pa.Table, Block, Callable[[], pd.DataFrame]]]:
    """Import one source file block by block, counting into ``tally``
    (:func:`relscore.importers.pipeline.read_file`, deduplicating within this file).

    Yields
    ------
    table : pyarrow.Table
        The block's kept events (:data:`relscore.store.layout.STORE_SCHEMA`).
    block : relscore.importers.tsv.Block
        The block read.
    skipped : callable
        Returns the block's skipped rows when called.
    """
    for result in read_file(IMPORT_FORMATS[fmt], path, opts, tally, Seen()):
        parsed, kept = result.parsed, result.kept
        rows = result.rows[kept]
        extra = {"origin_line": result.block.line[rows]}
        if result.sources is not None:
            extra["source_hash"] = source_hash(result.sources)
        for column, field in COVERAGE[fmt]:
            counts = gdelt.coverage_count(result.block, rows, field)
            extra[column], extra[f"{column}_missing"] = counts
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
