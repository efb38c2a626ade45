"""Compiled passes (numba) of the importers: find lines and fields, decode them, look up
codes and keys.

:mod:`relscore.importers.tsv`, :mod:`~relscore.importers.fields` and
:mod:`~relscore.importers.dedupe` read as the method and this module as the machinery.
The passes release the GIL, so the next block is scanned on another thread while this
one is used.
"""

from __future__ import annotations

import numpy as np

from relscore._compiled import njit

TAB, NL, CR = 9, 10, 13
# Eight bytes at a time ("SIMD within a register"): byte j of a word is bits 8j .. 8j + 7
# on every platform numba runs on (little-endian).
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_TABS = np.uint64(0x0909090909090909)
_NEWLINES = np.uint64(0x0A0A0A0A0A0A0A0A)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_BYTE_NUMBERS = np.uint64(0x0001020304050607)  # byte k holds 7 - k: see _first_byte


@njit(cache=True, nogil=True)
def _first_byte(marks):
    """Which byte (0 ... 7) of a word holds the lowest of ``marks`` (high bits of bytes,
    as ``_zero_bytes`` gives them): its bit alone, times a constant whose byte ``7 - j``
    is ``j``, brings ``j`` into the top byte."""
    lowest = marks & (~marks + np.uint64(1))
    return np.int64(((lowest >> np.uint64(7)) * _BYTE_NUMBERS) >> np.uint64(56))


@njit(cache=True, nogil=True)
def _zero_bytes(word):
    """The high bit of each byte of ``word`` that is zero, and no other bit (exact: no
    carry crosses from one byte into the next)."""
    return ~(((word & _LOW7) + _LOW7) | word | _LOW7)


@njit(cache=True, nogil=True)
def _count(marks):
    """How many bytes of a word ``_zero_bytes`` marked (their high bits summed into the
    top byte by one multiplication)."""
    return np.int64(((marks >> np.uint64(7)) * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, nogil=True)
def scan_lines(data, words, slot, start, end, n_fields, field_start, field_stop, number, key):
    """The lines of ``data`` (which ends with a newline) into the arrays, in order.

    For each line: where it starts and ends (a ``\\r`` before the newline is not part of
    it), its number of tab-separated fields, and for each field ``f`` with
    ``slot[f] >= 0``: its bytes, ``field_start[slot[f], row]`` to ``field_stop[slot[f],
    row]`` (the arrays are field by line), and, decoded while they are in cache,
    ``number`` (see :func:`decimal`) and ``key`` (see :func:`first_four`); a line without
    the field gets an empty one at its end. Stops when the arrays are full.

    ``words`` is the same memory as ``data`` seen as uint64, covering at least its bytes
    rounded up to a multiple of 8; the bytes after ``data`` are ignored.

    Returns
    -------
    int
        Lines written.
    """
    capacity = len(start)
    n_slots = len(slot)
    row = field = line_start = field_begin = 0
    size = len(data)
    last = (size - 1) >> 3
    for w in range(last + 1):
        # The tabs and newlines of eight bytes at once, then one step per separator: a
        # branch on every byte would be mispredicted at almost every field.
        word = words[w]
        newlines = _zero_bytes(word ^ _NEWLINES)
        separators = _zero_bytes(word ^ _TABS) | newlines
        if w == last and size & 7:
            separators &= ~(_ALL << np.uint64(8 * (size & 7)))
        while separators:
            if field >= n_slots:
                # Past the fields to note, a line's tabs are only counted, a word at a time.
                ahead = separators & newlines
                if not ahead:
                    field += _count(separators)
                    break
                tabs = separators & ((ahead & (~ahead + np.uint64(1))) - np.uint64(1))
                field += _count(tabs)
                separators ^= tabs
            at = w * 8 + _first_byte(separators)
            separators &= separators - np.uint64(1)
            newline = data[at] == NL
            stop = at
            if newline:
                if row == capacity:
                    return row
                if at > line_start and data[at - 1] == CR:
                    stop = at - 1
            if field < n_slots and slot[field] >= 0:
                column = slot[field]
                field_start[column, row] = field_begin
                field_stop[column, row] = stop
                number[column, row] = decimal(data, field_begin, stop)
                key[column, row] = first_four(data, field_begin, stop)
            field_begin = at + 1
            if newline:
                for missing in range(field + 1, n_slots):
                    if slot[missing] >= 0:
                        field_start[slot[missing], row] = field_stop[slot[missing], row] = stop
                        number[slot[missing], row] = -1
                        key[slot[missing], row] = 0
                start[row] = line_start
                end[row] = stop
                n_fields[row] = field + 1
                row += 1
                field = 0
                line_start = at + 1
            else:
                field += 1
    return row


@njit(cache=True, nogil=True)
def count_lines(words, size):
    """Newlines among the first ``size`` bytes of ``words`` (uint64, see
    :func:`scan_lines`)."""
    count = 0
    last = (size - 1) >> 3
    for w in range(last + 1):
        newlines = _zero_bytes(words[w] ^ _NEWLINES)
        if w == last and size & 7:
            newlines &= ~(_ALL << np.uint64(8 * (size & 7)))
        count += _count(newlines)
    return count


@njit(cache=True, nogil=True)
def walk_to_field(data, line_start, line_end, field, start, stop):
    """Bytes of field ``field[i]`` of each line ``line_start[i] .. line_end[i]``, which has
    that many fields, into ``start[i] .. stop[i]``."""
    for i in range(len(line_start)):
        at = line_start[i]
        for _ in range(field[i]):
            while at < line_end[i] and data[at] != TAB:
                at += 1
            at += 1
        start[i] = at
        while at < line_end[i] and data[at] != TAB:
            at += 1
        stop[i] = at


@njit(cache=True, nogil=True)
def gather(data, start, stop, raw, length):
    """The first ``raw.shape[1]`` bytes of each field into ``raw`` (zero padded), and each
    field's length."""
    width = raw.shape[1]
    for i in range(len(start)):
        n = stop[i] - start[i]
        length[i] = n
        for j in range(min(n, width)):
            raw[i, j] = data[start[i] + j]
        for j in range(max(n, 0), width):
            raw[i, j] = 0


@njit(cache=True, nogil=True)
def decimal(data, start, stop):
    """The unsigned decimal integer ``data[start:stop]`` if it is 1 to 18 digits (it fits
    an int64), else -1."""
    if not 1 <= stop - start <= 18:
        return -1
    total = 0
    for at in range(start, stop):
        digit = np.int64(data[at]) - 48
        if digit < 0 or digit > 9:
            return -1
        total = total * 10 + digit
    return total


@njit(cache=True, nogil=True)
def first_four(data, start, stop):
    """The first (up to) four bytes of ``data[start:stop]`` as one big-endian uint32, zero
    padded: codes of up to four bytes compare as their bytes do."""
    packed = np.uint32(0)
    for j in range(4):
        packed <<= np.uint32(8)
        if start + j < stop:
            packed |= np.uint32(data[start + j])
    return packed


@njit(cache=True, nogil=True)
def decode_fields(data, start, stop, number, key):
    """:func:`decimal` and :func:`first_four` of each field ``start[i] .. stop[i]``."""
    for i in range(len(start)):
        number[i] = decimal(data, start[i], stop[i])
        key[i] = first_four(data, start[i], stop[i])


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@njit(cache=True, nogil=True)
def civil_days(year, month, day, days, ok):
    """Days since 1970-01-01 of each (year, month, day) into ``days``, and into ``ok``
    whether that date exists (years 1 to 9999)."""
    for i in range(len(year)):
        y, m, d = year[i], month[i], day[i]
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        ok[i] = 1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= _MONTH_DAYS[m] + (leap and m == 2)
        if not ok[i]:
            days[i] = 0
            continue
        # Days from civil (H. Hinnant's algorithm): March-based years make leap days last.
        y -= m <= 2
        era = y // 400
        year_of_era = y - era * 400
        day_of_year = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
        day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
        days[i] = era * 146097 + day_of_era - 719468


@njit(cache=True, nogil=True)
def lookup(key, length, slots, slot_key, slot_length, slot_value, out):
    """``out[i]``: the value of the entry with ``key[i]`` and ``length[i]`` in an
    open-addressing table of ``len(slots)`` (a power of 2) slots, or -1. A slot holds an
    entry if ``slots[s]``, whose key, length and value are ``slot_*[s]``."""
    mask = len(slots) - 1
    bits = hash_bits(len(slots))
    for i in range(len(key)):
        s = hash_slot(np.uint64(key[i]), bits)
        out[i] = -1
        while slots[s]:
            if slot_key[s] == key[i] and slot_length[s] == length[i]:
                out[i] = slot_value[s]
                break
            s = (s + 1) & mask


@njit(cache=True, nogil=True)
def hash_bits(size):
    """log2 of a table size that is a power of 2."""
    bits = 0
    while (1 << bits) < size:
        bits += 1
    return bits


@njit(cache=True, nogil=True)
def hash_slot(key, bits):
    """Fibonacci hashing: the top ``bits`` bits of ``key`` times 2^64 / golden ratio."""
    if bits == 0:
        return 0
    return np.int64((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits))


EMPTY = np.iinfo(np.int64).min  # marks a free slot of a key set; the key itself is flagged


@njit(cache=True, nogil=True)
def add_keys(keys, table, new):
    """Add ``keys`` to the open-addressing set ``table`` (free slots hold :data:`EMPTY`,
    which is not added), in order; ``new[i]``: ``keys[i]`` was not there yet. Returns the
    number added. The table must have room for them all."""
    mask = len(table) - 1
    bits = hash_bits(len(table))
    added = 0
    for i in range(len(keys)):
        key = keys[i]
        if key == EMPTY:  # the caller keeps track of this one
            new[i] = False
            continue
        s = hash_slot(np.uint64(key), bits)
        while table[s] != EMPTY and table[s] != key:
            s = (s + 1) & mask
        new[i] = table[s] == EMPTY
        if new[i]:
            table[s] = key
            added += 1
    return added


@njit(cache=True, nogil=True)
def last_line_end(data, size):
    """One past the last newline in ``data[:size]``, or 0."""
    for at in range(size - 1, -1, -1):
        if data[at] == NL:
            return at + 1
    return 0


@njit(cache=True, nogil=True)
def line_end_after(data, start, stop, n):
    """One past the ``n``-th newline of ``data[start:stop]``, or ``stop`` if it has fewer."""
    for at in range(start, stop):
        if data[at] == NL:
            n -= 1
            if n == 0:
                return at + 1
    return stop


QUOTE, COMMA, SPACE = 34, 44, 32


@njit(cache=True, nogil=True)
def _padded(data, first, last):
    """Whether a field's text (bytes ``first .. last``, quotes excluded) may start or end
    with white space: an ASCII space or control byte, or any non-ASCII byte (which may
    begin or end a Unicode space)."""
    if first > last:
        return False
    a, b = data[first], data[last]
    return a <= SPACE or a >= 128 or b <= SPACE or b >= 128


@njit(cache=True, nogil=True)
def csv_records(data, start, end, line, n_fields, padded):
    """The records of comma-separated ``data`` (the events CSV reader's scan), in order:
    where each starts and ends (its ``\\n``, or the end of ``data``), the line it starts on
    (1-based) and its number of fields; ``padded[k]`` is set if a field ``k`` may need
    white space stripped (fields past the array's end count as its last). Returns the
    number of records, whether the text is plain RFC 4180 (a quote only opens a field or
    closes one, or doubles inside it; a ``\\r`` only before ``\\n``; every quote closed)
    and whether a quoted field holds a newline. The arrays need one entry per ``\\n`` of
    ``data``, plus one."""
    n = len(data)
    last_slot = len(padded) - 1
    rec, fields, physical, record_start, record_line = 0, 1, 1, 0, 1
    in_quote, at_field_start, multiline, quoted = False, True, False, False
    field_first = 0
    i = 0
    while i <= n:
        b = data[i] if i < n else NL  # the end of the data ends the last field
        if in_quote and i < n:
            if b == QUOTE:
                if i + 1 < n and data[i + 1] == QUOTE:
                    i += 2
                    continue
                in_quote = False
                if i + 1 < n and data[i + 1] != COMMA and data[i + 1] != NL and data[i + 1] != CR:
                    return rec, False, multiline
            elif b == NL:
                multiline = True
                physical += 1
            i += 1
            continue
        if in_quote:  # a quote never closed
            return rec, False, multiline
        if b in (COMMA, NL):
            last = i - 1
            if b == NL and last >= field_first and data[last] == CR and i < n:
                last -= 1
            if quoted:
                if _padded(data, field_first + 1, last - 1):
                    padded[min(fields - 1, last_slot)] = True
            elif _padded(data, field_first, last):
                padded[min(fields - 1, last_slot)] = True
            quoted, at_field_start, field_first = False, True, i + 1
            if b == COMMA:
                fields += 1
            elif i < n or record_start < n:
                start[rec], end[rec], line[rec], n_fields[rec] = (
                    record_start,
                    i,
                    record_line,
                    fields,
                )
                rec += 1
                physical += 1
                record_start, record_line, fields = i + 1, physical, 1
            i += 1
            continue
        if b == QUOTE:
            if not at_field_start:
                return rec, False, multiline
            in_quote, quoted = True, True
        elif b == CR and (i + 1 >= n or data[i + 1] != NL):
            return rec, False, multiline
        at_field_start = False
        i += 1
    return rec, True, multiline
