"""Run an importer over files block by block: filter, deduplicate, account, emit rows.

An importer (GDELT, ICEWS) turns each block of lines into numbers (:class:`Parsed`): a
skip reason per row, and the event id, day, actors and code of the others. This module
does the rest the same way for both: the ``--since``/``--until`` and ``--dyad`` filters,
deduplication, the row accounting, and the kept and skipped rows of each block. Memory
is bounded by one block plus what deduplication remembers (8 bytes per row that passes
the filters, 8 more per kept event), never by the size of the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .._atomic import write_atomic
from .accounting import KEEP, OTHER_DYAD, OUT_OF_RANGE, SKIP_REASONS, Tally
from .dedupe import day_key, first_seen, with_source
from .files import open_parts
from .options import Options
from .output import event_rows
from .tsv import Block, head_block, read_blocks

SKIPPED_COLUMNS = ("file", "line", "reason", "row")
_CHECK_BYTES = 2**20  # how much of each file is read up front to check what it is


@dataclass(frozen=True)
class Parsed:
    """One block's rows as numbers (arrays aligned with the rows parsed).

    Attributes
    ----------
    reason : numpy.ndarray
        Skip reason code per row (:data:`relscore.importers.accounting.KEEP` = none).
    event_id, day, actor1, actor2, code : numpy.ndarray
        int64: the event id, days since 1970-01-01, the actors' positions in
        :func:`~relscore.importers.countries.iso3_table`, the code's position in
        :func:`~relscore.importers.output.codebook_table`. Meaningless where skipped.
    unmatched : collections.Counter
        Actor codes or names that map to no state, with their number of rows.
    """

    reason: np.ndarray
    event_id: np.ndarray
    day: np.ndarray
    actor1: np.ndarray
    actor2: np.ndarray
    code: np.ndarray
    unmatched: Counter = field(default_factory=Counter)


class Format(Protocol):
    """What an importer provides (see :mod:`relscore.importers.gdelt` for one)."""

    columns: tuple[str, ...]  # every output column, in order
    unmatched_label: str  # how the report names what could not be mapped

    def start(self, block: Block, name: str) -> tuple[Any, int]:
        """Check the first block of a file; return a context and the number of header rows.
        Raise EventFileError naming the file if it is not of this format."""

    def parse(self, block: Block, rows: np.ndarray, context: Any) -> Parsed: ...

    def source(self, block: Block, rows: np.ndarray, context: Any) -> list[str]:
        """The source of each row, for the ``source-url`` dedupe mode."""

    def extra(self, block: Block, rows: np.ndarray, context: Any, name: str) -> dict:
        """``event_id``, ``source`` and the importer's own columns for kept rows."""


def check_files(fmt: Format, paths: Iterable[str | Path]) -> None:
    """Read the start of every file (every zip member) and raise EventFileError, naming
    the file, for the first that is missing, unreadable or not of this format."""
    for path in paths:
        for name, stream in open_parts(path):
            block = head_block(stream, _CHECK_BYTES)
            if block is not None:
                fmt.start(block, name)


def import_blocks(
    fmt: Format, paths: Iterable[str | Path], opts: Options, tally: Tally
) -> Iterator[tuple[pd.DataFrame, Callable[[], pd.DataFrame]]]:
    """Import ``paths`` block by block, counting into ``tally``.

    Yields
    ------
    kept : pandas.DataFrame
        The block's kept events (``fmt.columns``).
    skipped : callable
        Returns the block's skipped rows (:data:`SKIPPED_COLUMNS`) when called; they are
        only built if asked for.
    """
    seen_ids = np.empty(0, np.int64)
    seen_keys = np.empty(0, np.int64)
    for path in paths:
        for name, stream in open_parts(path):
            for number, block in enumerate(read_blocks(stream, opts.chunk_bytes)):
                rows = np.arange(len(block))
                if number == 0:
                    context, n_header = fmt.start(block, name)
                    rows = rows[n_header:]
                parsed = fmt.parse(block, rows, context)
                reason = filter_reasons(parsed, opts)
                # A repeated event id is the same record read twice; its key is not used.
                candidates = np.flatnonzero(reason == KEEP)
                new_id, seen_ids = first_seen(parsed.event_id[candidates], seen_ids)
                candidates = candidates[new_id]
                if opts.dedupe != "none":
                    key = _day_key(parsed, candidates)
                    if opts.dedupe == "source-url":
                        key = with_source(key, fmt.source(block, rows[candidates], context))
                    new_key, seen_keys = first_seen(key, seen_keys)
                    candidates = candidates[new_key]
                tally.add(reason, len(candidates))
                tally.unmatched.update(parsed.unmatched)
                kept = event_rows(
                    parsed.day[candidates],
                    parsed.actor1[candidates],
                    parsed.actor2[candidates],
                    parsed.code[candidates],
                    fmt.extra(block, rows[candidates], context, name),
                )
                yield kept, skipped_rows(block, rows, reason, name)


def _day_key(parsed: Parsed, rows: np.ndarray) -> np.ndarray:
    return day_key(parsed.day[rows], parsed.actor1[rows], parsed.actor2[rows], parsed.code[rows])


def filter_reasons(parsed: Parsed, opts: Options) -> np.ndarray:
    """The parsed reasons, plus the date range and dyad filters on rows not yet skipped."""
    reason = parsed.reason.copy()
    ok = reason == KEEP
    if opts.since is not None or opts.until is not None:
        lo = -(2**62) if opts.since is None else opts.since
        hi = 2**62 if opts.until is None else opts.until
        outside = ok & ((parsed.day < lo) | (parsed.day > hi))
        reason[outside] = OUT_OF_RANGE
        ok &= ~outside
    if opts.dyad is not None:
        first, second, directed = opts.dyad
        same = (parsed.actor1 == first) & (parsed.actor2 == second)
        if not directed:
            same |= (parsed.actor1 == second) & (parsed.actor2 == first)
        reason[ok & ~same] = OTHER_DYAD
    return reason


def skipped_rows(
    block: Block, rows: np.ndarray, reason: np.ndarray, name: str
) -> Callable[[], pd.DataFrame]:
    def build() -> pd.DataFrame:
        skipped = np.flatnonzero(reason != KEEP)
        labels = np.array(SKIP_REASONS, dtype=object)
        return pd.DataFrame(
            {
                "file": name,
                "line": block.line[rows[skipped]],
                "reason": labels[reason[skipped] - 1],
                "row": block.raw_lines(rows[skipped]),
            },
            columns=list(SKIPPED_COLUMNS),
        )

    return build


def write_import(
    fmt: Format,
    paths: Iterable[str | Path],
    output: str | Path,
    opts: Options,
    skipped: str | Path | None = None,
) -> Tally:
    """Import ``paths`` into the events CSV ``output`` (and the skipped rows into
    ``skipped``), each written atomically: on any error neither file is touched.

    Every file is checked first (:func:`check_files`), so a wrong file stops the import
    before any work is done.
    """
    paths = list(paths)
    check_files(fmt, paths)
    tally = Tally(unmatched_label=fmt.unmatched_label)

    def write(out_path: Path, skipped_path: Path | None) -> None:
        with ExitStack() as stack:
            out = stack.enter_context(open(out_path, "w", encoding="utf-8", newline=""))
            out.write(",".join(fmt.columns) + "\n")
            skip = None
            if skipped_path is not None:
                skip = stack.enter_context(open(skipped_path, "w", encoding="utf-8", newline=""))
                skip.write(",".join(SKIPPED_COLUMNS) + "\n")
            for kept, block_skipped in import_blocks(fmt, paths, opts, tally):
                kept.to_csv(
                    out, header=False, index=False, date_format="%Y-%m-%d", lineterminator="\n"
                )
                if skip is not None:
                    block_skipped().to_csv(skip, header=False, index=False, lineterminator="\n")

    if skipped is None:
        write_atomic(output, lambda tmp: write(tmp, None))
    else:
        write_atomic(output, lambda tmp: write_atomic(skipped, lambda tmp2: write(tmp, tmp2)))
    return tally


def read_import(
    fmt: Format, paths: Iterable[str | Path], opts: Options
) -> tuple[pd.DataFrame, Tally]:
    """Import ``paths`` into memory: the kept events (``date`` as datetime64) and the tally."""
    paths = list(paths)
    check_files(fmt, paths)
    tally = Tally(unmatched_label=fmt.unmatched_label)
    frames = [kept for kept, _ in import_blocks(fmt, paths, opts, tally)]
    frames = [f for f in frames if len(f)] or frames[:1]  # concat warns on empty frames
    if not frames:  # no block at all: empty files
        return pd.DataFrame(columns=list(fmt.columns)).astype({"date": "datetime64[s]"}), tally
    return pd.concat(frames, ignore_index=True), tally
