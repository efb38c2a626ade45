"""Tab-separated text in blocks of whole lines, split into fields by a compiled scan.

GDELT and ICEWS files quote nothing, so a line is split at every tab and ends at ``\\n``
(a ``\\r`` before it is dropped); a quote is an ordinary character. A block is a few
megabytes of whole lines. One compiled pass over its bytes
(:func:`relscore.importers._kernels.scan_lines`), on a thread that runs a block ahead of
the reader, finds each line, counts its fields and notes where the fields a format reads
start and stop; any other field is found on demand by walking its lines. Lines are
numbered from 1 across the whole stream, blank ones included (they are not rows and are
not returned).

What a block costs is bounded whatever the bytes: a block holds at most
:data:`BLOCK_LINES` lines (the scan keeps some 160 bytes per line, so a stream of blank
lines is read in many small blocks, not in blocks of millions of lines), and a line longer
than :data:`~relscore.vocabulary.LINE_BYTES_MAX` ends the read with :class:`LineTooLong`
once that many of its bytes are held (a GDELT or ICEWS line is a few kilobytes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from relscore.importers._kernels import (
    count_lines,
    decode_fields,
    gather,
    last_line_end,
    line_end_after,
    scan_lines,
    walk_to_field,
)
from relscore.vocabulary import LINE_BYTES_MAX

DEFAULT_CHUNK_BYTES = 16 * 2**20  # 16 MiB of text per block; parsing holds about 3x that
BLOCK_LINES = 1 << 18  # lines per block at most: GDELT's 16 MiB are some 30,000


class LineTooLong(Exception):
    """A line of more than :data:`~relscore.vocabulary.LINE_BYTES_MAX` bytes; ``line`` is
    its number in the stream (1-based)."""

    def __init__(self, line: int = 0):
        super().__init__(line)
        self.line = line


@dataclass(frozen=True)
class Block:
    """Whole lines of tab-separated text and where their fields are.

    Attributes
    ----------
    n_lines : int
        Lines in the block, blank ones included.
    data : numpy.ndarray
        The block's text as uint8, whole lines, the last ending with a newline.
    line : numpy.ndarray
        Line number (1-based, in the whole stream) of each non-blank line (int64).
    n_fields : numpy.ndarray
        Number of tab-separated fields of each non-blank line (int64).
    """

    n_lines: int
    data: np.ndarray
    line: np.ndarray
    n_fields: np.ndarray
    _start: np.ndarray  # per non-blank line: where it starts
    _end: np.ndarray  # per non-blank line: where it ends (its newline, or the \r before it)
    _slot: dict[int, int]  # field found by the scan -> its row in _field_start etc.
    _field_start: np.ndarray  # per field found by the scan and non-blank line
    _field_stop: np.ndarray
    _number: np.ndarray  # ... that field as a number (see number())
    _key: np.ndarray  # ... its first four bytes (see key())

    def __len__(self) -> int:
        return len(self.line)

    def span(self, rows: np.ndarray, field: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and stop byte positions of ``field`` (0-based) in each of ``rows``.

        ``rows`` index the block's non-blank lines; each must have more than ``field``
        fields. ``field`` is one number or one per row.
        """
        rows = np.asarray(rows)
        if np.ndim(field) == 0 and int(field) in self._slot:
            at = self._slot[int(field)]
            return _pick(self._field_start[at], rows), _pick(self._field_stop[at], rows)
        start, stop = np.empty(len(rows), np.int64), np.empty(len(rows), np.int64)
        fields = np.broadcast_to(np.asarray(field, dtype=np.int64), rows.shape)
        walk_to_field(self.data, self._start[rows], self._end[rows], fields, start, stop)
        return start, stop

    def number(self, rows: np.ndarray, field: int) -> tuple[np.ndarray, np.ndarray]:
        """``field`` of each of ``rows`` as an unsigned decimal integer, and its length.

        Returns
        -------
        value : numpy.ndarray of int64
            The field's value if it is 1 to 18 digits (so it fits), else -1.
        length : numpy.ndarray of int64
            The field's length in bytes.
        """
        value, _, length = self._decoded(np.asarray(rows), field)
        return value, length

    def key(self, rows: np.ndarray, field: int) -> tuple[np.ndarray, np.ndarray]:
        """The first four bytes of ``field`` in each of ``rows`` as a big-endian uint32
        (zero padded, so short codes compare as their bytes), and the field's length:
        together they name a code of up to four bytes
        (:func:`relscore.importers.fields.codes_in`)."""
        _, key, length = self._decoded(np.asarray(rows), field)
        return key, length

    def _decoded(self, rows: np.ndarray, field: int) -> tuple[np.ndarray, ...]:
        """:meth:`number`, :meth:`key` and the length of ``field``: as the scan decoded
        them, or decoded now for a field it did not note."""
        start, stop = self.span(rows, field)
        if field in self._slot:
            at = self._slot[field]
            value, key = _pick(self._number[at], rows), _pick(self._key[at], rows)
        else:
            value, key = np.empty(len(start), np.int64), np.empty(len(start), np.uint32)
            decode_fields(self.data, start, stop, value, key)
        return value, key, (stop - start).astype(np.int64)

    def fixed(
        self, rows: np.ndarray, field: int | np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``width`` bytes of ``field`` in each of ``rows``, as an ``(n, width)`` uint8
        array padded with zeros, and each field's full length in bytes."""
        start, stop = self.span(rows, field)
        raw = np.empty((len(start), width), dtype=np.uint8)
        length = np.empty(len(start), dtype=np.int64)
        gather(self.data, start, stop, raw, length)
        return raw, length

    def text(self, rows: np.ndarray, field: int | np.ndarray) -> list[str]:
        """``field`` of each of ``rows`` as a str (UTF-8; bad bytes replaced)."""
        start, stop = self.span(rows, field)
        return _decoded(self.data, start, stop)

    def raw_lines(self, rows: np.ndarray) -> list[str]:
        """Each of ``rows`` as it stands in the file, without its line end."""
        return _decoded(self.data, self._start[rows], self._end[rows])


def _pick(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``values[rows]`` for increasing ``rows``; a slice (no copy) when they are a range,
    as they mostly are."""
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1:
        return values[rows[0] : rows[-1] + 1]
    return values[rows]


def _decoded(data: np.ndarray, start: np.ndarray, stop: np.ndarray) -> list[str]:
    view = memoryview(data)
    pairs = zip(start.tolist(), stop.tolist(), strict=True)
    return [str(view[a:b], "utf-8", "replace") for a, b in pairs]


def split_block(
    data: np.ndarray, first_line: int, fields: Iterable[int] = (), words: np.ndarray | None = None
) -> Block:
    """Find the lines and fields of ``data``.

    Parameters
    ----------
    data : numpy.ndarray
        Whole lines of text as uint8, the last ending with a newline.
    first_line : int
        Line number of the first line in its file (1-based).
    fields : iterable of int
        Fields (0-based) whose positions the scan notes for every line, for the fields a
        format reads most; :meth:`Block.span` finds any other by walking its lines.
    words : numpy.ndarray, optional
        The same memory as uint64, at least ``len(data)`` bytes rounded up to a multiple
        of 8 (the scan reads 8 bytes at a time); by default ``data`` is copied to make it.
    """
    if words is None:
        words = np.zeros((len(data) + 7) // 8, np.uint64)
        words.view(np.uint8)[: len(data)] = data
        data = words.view(np.uint8)[: len(data)]
    fields = sorted(set(fields))
    slot = np.full(fields[-1] + 1 if fields else 0, -1, dtype=np.int64)
    slot[fields] = np.arange(len(fields))
    n_lines = count_lines(words, len(data))  # so the arrays are made to measure
    position = np.int32 if len(data) < 2**31 else np.int64
    start, end, n_fields = (np.empty(n_lines, np.int64) for _ in range(3))
    field_start, field_stop = (np.empty((len(fields), n_lines), position) for _ in range(2))
    number = np.empty((len(fields), n_lines), np.int64)
    key = np.empty((len(fields), n_lines), np.uint32)
    arrays = (start, end, n_fields, field_start, field_stop, number, key)
    if scan_lines(data, words, slot, *arrays) != n_lines:
        raise RuntimeError("the scan found other lines than it counted")  # a bug, not bad input
    line = first_line + np.arange(len(start), dtype=np.int64)
    rows = np.flatnonzero((end > start) | (n_fields > 1))  # blank lines are not rows
    if len(rows) < len(start):
        start, end, n_fields = start[rows], end[rows], n_fields[rows]
        field_start, field_stop = field_start[:, rows], field_stop[:, rows]
        number, key = number[:, rows], key[:, rows]
    return Block(
        n_lines=len(line),
        data=data,
        line=line[rows],
        n_fields=n_fields,
        _start=start,
        _end=end,
        _slot={f: k for k, f in enumerate(fields)},
        _field_start=field_start,
        _field_stop=field_stop,
        _number=number,
        _key=key,
    )


def read_blocks(
    stream: BinaryIO, chunk_bytes: int = DEFAULT_CHUNK_BYTES, fields: Iterable[int] = ()
) -> Iterator[Block]:
    """Read ``stream`` in blocks of about ``chunk_bytes`` of whole lines.

    A line longer than ``chunk_bytes`` makes its block as long as it; the last line
    need not end with a newline. Memory is bounded by the block, not by the stream. A
    block of blank lines only is not yielded (the line numbers of the next count them).
    ``fields`` are those whose positions the scan notes (see :func:`split_block`).

    The next block is read and scanned on another thread while this one is used.
    """
    chunks = _chunks(stream, chunk_bytes)
    line = 1

    def next_block() -> Block | None:
        nonlocal line
        try:
            chunk = next(chunks, None)
        except LineTooLong:  # the line after those read
            raise LineTooLong(line) from None
        if chunk is None:
            return None
        data, words = chunk
        block = split_block(data, line, fields, words)
        longest = int((block._end - block._start).max(initial=0))
        if longest > LINE_BYTES_MAX:  # whole, in a block of a larger chunk_bytes
            at = int(np.argmax(block._end - block._start))
            raise LineTooLong(int(block.line[at]))
        line += block.n_lines
        return block

    with ThreadPoolExecutor(1) as ahead:
        coming = ahead.submit(next_block)
        while (block := coming.result()) is not None:
            coming = ahead.submit(next_block)
            if len(block):  # a block of blank lines holds nothing to give
                yield block


def _chunks(stream: BinaryIO, chunk_bytes: int) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Whole lines of ``stream``, about ``chunk_bytes`` at a time (at most
    :data:`BLOCK_LINES` lines), as uint8 arrays and the same memory as uint64 words (see
    :func:`split_block`; None for a piece of a chunk, which split_block copies); a newline
    is added after a last line without one. :class:`LineTooLong` once the start of a line
    held is longer than :data:`~relscore.vocabulary.LINE_BYTES_MAX`."""
    carry = np.empty(0, np.uint8)
    while True:
        # Read after the carried start of a line, so the bytes are copied once.
        words = np.empty((len(carry) + chunk_bytes + 7) // 8, np.uint64)
        data = words.view(np.uint8)
        data[: len(carry)] = carry
        got = stream.readinto(memoryview(data)[len(carry) : len(carry) + chunk_bytes])
        if not got:
            break
        size = len(carry) + got
        cut = last_line_end(data, size)
        carry = data[cut:size].copy()
        if len(carry) > LINE_BYTES_MAX:
            raise LineTooLong
        if cut and count_lines(words, cut) <= BLOCK_LINES:
            yield data[:cut], words
            continue
        start = 0
        while start < cut:  # many short (or blank) lines: pieces of BLOCK_LINES lines
            end = line_end_after(data, start, cut, BLOCK_LINES)
            yield data[start:end], None
            start = end
    if len(carry):
        yield np.append(carry, np.uint8(10)), None


def head_block(stream: BinaryIO, size: int) -> Block | None:
    """The whole lines among the first ``size`` bytes of ``stream`` -- or those bytes as
    one line if they hold no newline -- for a quick look at what a file is."""
    head = stream.read(size)
    if not head:
        return None
    cut = head.rfind(b"\n") + 1
    return split_block(np.frombuffer(head[:cut] if cut else head + b"\n", np.uint8), 1)
