"""The compiled scan of tab-separated text, against Python's own ``str.split``.

Hand cases first (blank lines, ``\\r\\n``, empty fields), then random text in blocks of a
few bytes or of the whole text, with fields noted by the scan or found by walking.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from relscore.importers import tsv
from relscore.importers._kernels import EMPTY
from relscore.importers.dedupe import KeySet
from relscore.importers.fields import codes_in, ymd_days
from relscore.importers.tsv import read_blocks, split_block


def block_of(text: str, fields=()) -> tsv.Block:
    return split_block(np.frombuffer(text.encode(), np.uint8), 1, fields)


def test_lines_fields_and_blank_lines_by_hand():
    block = block_of("a\tbb\tccc\n\nx\r\n\t\n", fields=(1,))
    assert block.n_lines == 4
    assert block.line.tolist() == [1, 3, 4]  # line 2 is blank: not a row
    assert block.n_fields.tolist() == [3, 1, 2]
    assert block.raw_lines(np.arange(3)) == ["a\tbb\tccc", "x", "\t"]  # \r dropped
    assert block.text(np.arange(3), 0) == ["a", "x", ""]
    assert block.text(np.array([0, 2]), 1) == ["bb", ""]  # noted by the scan
    assert block.text(np.array([0]), 2) == ["ccc"]  # found by walking


def test_a_carriage_return_is_dropped_only_before_the_newline():
    block = block_of("a\r\tb\r\n", fields=(0, 1))
    assert block.text(np.arange(1), 0) == ["a\r"]
    assert block.text(np.arange(1), 1) == ["b"]


def test_numbers_and_keys_of_fields_by_hand():
    block = block_of("0\t12\t036\t\tx1\t1234567890123456789\t007\n", fields=range(7))
    rows = np.arange(1)
    values = [int(block.number(rows, f)[0][0]) for f in range(7)]
    assert values == [0, 12, 36, -1, -1, -1, 7]  # empty, not digits, 19 digits: -1
    assert block.number(rows, 6)[1].tolist() == [3]  # the length keeps "007" apart from "7"
    key, length = block.key(rows, 2)
    assert (int(key[0]), int(length[0])) == (int.from_bytes(b"036\0", "big"), 3)


def random_text(rng: np.random.Generator, n_lines: int) -> str:
    """Lines of 1 to 12 fields drawn from digits, letters, spaces and an odd \\r; some
    lines blank, some ending \\r\\n."""
    alphabet = np.array(list("0123456789abcXYZ \r"))
    weights = np.array([8.0] * 10 + [3.0] * 7 + [1.0])
    lines = []
    for _ in range(n_lines):
        if rng.random() < 0.05:
            lines.append("")
            continue
        fields = [
            "".join(rng.choice(alphabet, rng.integers(0, 6), p=weights / weights.sum()))
            for _ in range(rng.integers(1, 13))
        ]
        lines.append("\t".join(fields) + ("\r" if rng.random() < 0.1 else ""))
    return "\n".join(lines) + "\n"


def expected_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.split("\n")[:-1]:
        line = line.removesuffix("\r")
        if line:
            rows.append(line.split("\t"))
    return rows


def decimal(field: str) -> int:
    return int(field) if 1 <= len(field) <= 18 and field.isascii() and field.isdigit() else -1


@pytest.mark.parametrize("seed", range(4))
def test_random_text_splits_as_python_does(seed):
    rng = np.random.default_rng(seed)
    text = random_text(rng, 400)
    rows = expected_rows(text)
    block = block_of(text, fields=(0, 2, 5))
    assert len(block) == len(rows)
    assert block.n_fields.tolist() == [len(r) for r in rows]
    for field in range(12):
        have = np.flatnonzero(block.n_fields > field)
        want = [r[field] for r in rows if len(r) > field]
        assert block.text(have, field) == want
        assert block.number(have, field)[0].tolist() == [decimal(f) for f in want]
        keys = [int.from_bytes(f.encode()[:4].ljust(4, b"\0"), "big") for f in want]
        assert block.key(have, field)[0].tolist() == keys


@pytest.mark.parametrize("chunk_bytes", [1, 7, 64, 10_000])
def test_blocks_of_any_size_give_the_same_rows_and_line_numbers(chunk_bytes):
    text = random_text(np.random.default_rng(9), 300)
    text += "no newline\tat the end"
    lines, fields = [], []
    for block in read_blocks(io.BytesIO(text.encode()), chunk_bytes, fields=(1,)):
        rows = np.arange(len(block))
        lines += block.line.tolist()
        fields += block.raw_lines(rows)
    numbered = [(n, line.removesuffix("\r")) for n, line in enumerate(text.split("\n"), 1)]
    assert list(zip(lines, fields, strict=True)) == [(n, t) for n, t in numbered if t]


def test_an_empty_stream_has_no_blocks():
    assert list(read_blocks(io.BytesIO(b""), 16)) == []


def test_key_set_agrees_with_pandas_duplicated_across_calls():
    rng = np.random.default_rng(0)
    keys = rng.integers(-50, 50, 5000)
    keys[::97] = EMPTY  # the free-slot marker is a key like any other
    seen = KeySet(capacity=4)  # grows many times
    new = np.concatenate([seen.first_seen(part) for part in np.array_split(keys, 37)])
    np.testing.assert_array_equal(new, ~pd.Series(keys).duplicated().to_numpy())
    assert len(seen) == len(np.unique(keys))


def test_key_set_with_rising_runs_and_keys_out_of_order():
    # Rising batches take the run, the others the hash table; both must agree with pandas.
    batches = [
        np.arange(10, 20),  # rising: the run
        np.arange(20, 25),  # rising above all: the run
        np.array([5, 12, 30, 30, 24]),  # seen in the run, new, repeated
        np.array([31, 32]),  # rising above all seen (30)
        np.array([28, 29, 33]),  # rising, but not above all seen: looked up
        np.array([29, 40, 41]),
    ]
    seen = KeySet(capacity=2)
    new = np.concatenate([seen.first_seen(b) for b in batches])
    keys = np.concatenate(batches)
    np.testing.assert_array_equal(new, ~pd.Series(keys).duplicated().to_numpy())
    assert len(seen) == len(np.unique(keys))
    assert seen.first_seen(np.zeros(0, np.int64)).tolist() == []


def test_codes_match_whole_fields_only():
    table = np.array([b"03", b"036", b"0361", b"IRN"], dtype="S4")
    block = block_of("036\t03\t0361\t03611\t0\t\tIRN\tIRNX\tirn\n", fields=range(9))
    rows = np.arange(1)
    found = [int(codes_in(*block.key(rows, f), table)[0]) for f in range(9)]
    assert found == [1, 0, 2, -1, -1, -1, 3, -1, -1]


def test_ymd_days_agree_with_numpy_and_reject_impossible_dates():
    # Years 1 and 9999 exist but lie outside the dates relscore reads (1800 ... 2100).
    year = np.array([1970, 2024, 2023, 1900, 2000, 2019, 1, 9999, 10000, 2019, 1800, 2100])
    month = np.array([1, 2, 2, 2, 2, 4, 1, 12, 1, 13, 1, 12])
    day = np.array([1, 29, 29, 29, 29, 31, 1, 31, 1, 1, 1, 31])
    days, ok = ymd_days(year, month, day)
    assert ok.tolist() == [True, True, False, False, True, False] + [False] * 4 + [True, True]
    dates = [f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(year, month, day, strict=True)]
    expected = [np.datetime64(d, "D").astype(np.int64) for d, o in zip(dates, ok, strict=True) if o]
    assert days[ok].tolist() == expected


def test_blank_lines_are_read_in_blocks_of_bounded_lines(monkeypatch):
    # Blank lines (a zip of nothing else is a few hundred KB for 300 MB) cost the scan some
    # 160 bytes each: a block holds BLOCK_LINES lines at most, and one of blank lines only is
    # not given at all.
    text = "a\tb\n" + "\n" * 50 + "c\td\n" + "\r\n" * 20 + "e\n"
    want = [
        (b.line.tolist(), b.raw_lines(np.arange(len(b))))
        for b in read_blocks(io.BytesIO(text.encode()))
    ]
    assert want == [([1, 52, 73], ["a\tb", "c\td", "e"])]
    monkeypatch.setattr(tsv, "BLOCK_LINES", 8)
    blocks = list(read_blocks(io.BytesIO(text.encode()), 1 << 20))
    assert all(b.n_lines <= 8 for b in blocks) and len(blocks) == 3
    got = [
        (n, row)
        for b in blocks
        for n, row in zip(b.line.tolist(), b.raw_lines(np.arange(len(b))), strict=True)
    ]
    assert got == list(zip(*want[0], strict=True))


@pytest.mark.parametrize("chunk_bytes", [16, 1 << 20])
def test_a_line_longer_than_the_bound_ends_the_read_naming_it(monkeypatch, tmp_path, chunk_bytes):
    monkeypatch.setattr(tsv, "LINE_BYTES_MAX", 100)
    with pytest.raises(tsv.LineTooLong) as error:
        list(read_blocks(io.BytesIO(b"a\tb\n\nc\n" + b"x" * 1000 + b"\nd\n"), chunk_bytes))
    assert error.value.line == 4
    # through an importer: one line naming the file and the line, and no more is read
    from relscore.exceptions import EventFileError
    from relscore.importers import pipeline, read_gdelt

    monkeypatch.setattr(pipeline, "LINE_BYTES_MAX", 100)
    source = tmp_path / "g.CSV"
    row = "\t".join(["1", "20191024", *[""] * 5, "IRN", *[""] * 9, "PAK", *[""] * 8, "190"])
    source.write_text(row + "\t" * 34 + "\n" + "y" * 5000 + "\n")
    with pytest.raises(EventFileError) as error:
        read_gdelt(source, chunk_bytes=chunk_bytes)
    assert str(error.value) == (
        f"{source}: line 2 is longer than 100 bytes (a GDELT or ICEWS line is a few thousand): "
        "not an events file, or a damaged one"
    )
