"""Tab-separated text in blocks of whole lines, split into fields with numpy.

GDELT and ICEWS files quote nothing, so a line is split at every tab and ends at ``\\n``
(a ``\\r`` before it is dropped); a quote is an ordinary character. A block is a few
megabytes of whole lines: one pass finds every tab and newline in it, and from their
positions each line's field count and any field's bytes follow by array arithmetic,
without a Python loop per line. Lines are numbered from 1 across the whole stream,
blank ones included (they are not rows and are not returned).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

TAB, NL, CR = 9, 10, 13
DEFAULT_CHUNK_BYTES = 16 * 2**20  # 16 MiB of text per block; parsing holds about 5x that


@dataclass(frozen=True)
class Block:
    """Whole lines of tab-separated text and where their fields are.

    Attributes
    ----------
    raw : bytes
        The block's text: whole lines, then possibly the start of the next (not part of
        the block).
    n_lines : int
        Lines in the block, blank ones included.
    data : numpy.ndarray
        The block's bytes as a uint8 array (a view of ``raw``), ending with a newline.
    line : numpy.ndarray
        Line number (1-based, in the whole stream) of each non-blank line (int64).
    n_fields : numpy.ndarray
        Number of tab-separated fields of each non-blank line (int64).
    """

    raw: bytes
    n_lines: int
    data: np.ndarray
    line: np.ndarray
    n_fields: np.ndarray
    _seps: np.ndarray  # positions of every tab and newline, after a virtual one at -1
    _first: np.ndarray  # per non-blank line: index in _seps of the separator before it
    _end: np.ndarray  # per non-blank line: position of its end (newline, or \r before it)

    def __len__(self) -> int:
        return len(self.line)

    def span(self, rows: np.ndarray, field: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and stop byte positions of ``field`` (0-based) in each of ``rows``.

        ``rows`` index the block's non-blank lines; each must have more than ``field``
        fields. ``field`` is one number or one per row.
        """
        at = self._first[rows] + field
        stop = self._seps[at + 1]
        last = np.flatnonzero(self.n_fields[rows] == field + 1)
        stop[last] = self._end[rows[last]]  # the last field ends before any \r
        return self._seps[at] + 1, stop

    def fixed(
        self, rows: np.ndarray, field: int | np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``width`` bytes of ``field`` in each of ``rows``, as an ``(n, width)`` uint8
        array padded with zeros, and each field's full length in bytes."""
        start, stop = self.span(rows, field)
        length = stop - start
        raw = np.zeros((len(rows), width), dtype=np.uint8)
        offsets = np.arange(min(width, int(length.max(initial=0))))  # only as wide as needed
        used = raw[:, : len(offsets)]
        used[:] = np.take(self.data, start[:, None] + offsets, mode="clip")
        used *= offsets < length[:, None]
        return raw, length

    def text(self, rows: np.ndarray, field: int | np.ndarray) -> list[str]:
        """``field`` of each of ``rows`` as a str (UTF-8; bad bytes replaced)."""
        start, stop = self.span(rows, field)
        raw = self.raw
        return [raw[a:b].decode("utf-8", "replace") for a, b in zip(start, stop, strict=True)]

    def raw_lines(self, rows: np.ndarray) -> list[str]:
        """Each of ``rows`` as it stands in the file, without its line end."""
        start = self._seps[self._first[rows]] + 1
        raw = self.raw
        return [
            raw[a:b].decode("utf-8", "replace") for a, b in zip(start, self._end[rows], strict=True)
        ]


def split_block(buffer: bytes, first_line: int, size: int | None = None) -> Block:
    """Find the lines and fields of the first ``size`` bytes of ``buffer``.

    Parameters
    ----------
    buffer : bytes
        Whole lines of text, the last ending with a newline, then possibly more (ignored).
    first_line : int
        Line number of the buffer's first line in its file (1-based).
    size : int, optional
        Bytes to read (default: all); byte ``size - 1`` is a newline.
    """
    data = np.frombuffer(buffer, dtype=np.uint8, count=-1 if size is None else size)
    is_sep = np.empty(len(data) + 1, dtype=bool)
    is_sep[0] = True  # a virtual separator before the first line, at position -1
    np.less_equal(data - np.uint8(TAB), 1, out=is_sep[1:])  # tab (9) or newline (10)
    seps = np.flatnonzero(is_sep) - 1
    newline = np.flatnonzero(data[seps[1:]] == NL) + 1  # indices into seps
    before = np.concatenate([[0], newline[:-1]])  # separator before each line
    start = seps[before] + 1
    end = seps[newline]
    has_cr = (end > start) & (data[np.maximum(end - 1, 0)] == CR)
    end = end - has_cr
    n_fields = newline - before
    number = first_line + np.arange(len(newline), dtype=np.int64)
    rows = np.flatnonzero((end > start) | (n_fields > 1))  # blank lines are not rows
    return Block(
        raw=buffer,
        n_lines=len(newline),
        data=data,
        line=number[rows],
        n_fields=n_fields[rows],
        _seps=seps,
        _first=before[rows],
        _end=end[rows],
    )


def read_blocks(stream: BinaryIO, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[Block]:
    """Read ``stream`` in blocks of about ``chunk_bytes`` of whole lines.

    A line longer than ``chunk_bytes`` makes its block as long as it; the last line
    need not end with a newline. Memory is bounded by the block, not by the stream.
    """
    line, carry = 1, b""
    while piece := stream.read(chunk_bytes):
        piece = carry + piece
        cut = piece.rfind(b"\n") + 1
        if cut == 0:
            carry = piece
            continue
        block = split_block(piece, line, cut)  # no copy of the block's bytes
        carry = piece[cut:]
        yield block
        line += block.n_lines
    if carry:
        yield split_block(carry + b"\n", line)


def head_block(stream: BinaryIO, size: int) -> Block | None:
    """The whole lines among the first ``size`` bytes of ``stream`` -- or those bytes as
    one line if they hold no newline -- for a quick look at what a file is."""
    head = stream.read(size)
    if not head:
        return None
    cut = head.rfind(b"\n") + 1
    return split_block(head[:cut] if cut else head + b"\n", 1)
