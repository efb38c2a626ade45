"""Property-based tests: the readers on arbitrary bytes, round trips of valid events, and
damaged index folders and stores.

For any bytes, the events reader, the weights reader and the GDELT/ICEWS readers either
return rows or raise relscore's own error naming the file (and line) -- never another
exception; for any valid events, writing them, validating and indexing accounts for every
row. An index folder whose manifest was edited at random is updated or refused with an
error naming it; a store whose layout was changed at random (month folders renamed, stray
entries, parts moved or hidden) is refused naming the entry, or indexed with every event
of its month folders' parts.

Profiles: ``ci`` (default; seeded and bounded, the whole file runs in well under 30 s) and
``long`` for a search at home::

    RELSCORE_FUZZ=long .venv/bin/python -m pytest -p no:cacheprovider tests/test_fuzz.py
"""

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relscore
from relscore import code_events, tension_index
from relscore.cli import main
from relscore.codebook import load_codebook
from relscore.exceptions import EventFileError, IndexUpdateError, StoreError, WeightsFileError
from relscore.importers import import_gdelt, read_gdelt, read_icews
from relscore.readers.csv_records import fast_records, records
from relscore.readers.events import read_checked
from relscore.readers.weights import read_weights
from relscore.scale import index_store
from relscore.scale.update import update_index
from relscore.store.index_folder import MANIFEST_NAME
from relscore.store.ingest import import_to_store

settings.register_profile(
    "ci",
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("long", max_examples=5000, deadline=None)
FUZZ = settings.get_profile(os.environ.get("RELSCORE_FUZZ", "ci"))
# capsys is read (and so emptied) in every example: safe to share between them.
FUZZ_CLI = settings(
    FUZZ, suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture]
)
FOLDER = Path(tempfile.mkdtemp(prefix="relscore-fuzz-"))  # hypothesis reuses no tmp_path
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
HEADER = "event_id,date,actor1,actor2,event_code,description,source,fatalities,weight,notes"
ISO = ["IRN", "PAK", "IND", "ISR", "USA"]
CODES = ["036", "040", "195", "190", "0874", "111"]


def write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


def pieces(*words: bytes) -> st.SearchStrategy[bytes]:
    """Bytes made of the given words and arbitrary bytes: close enough to the format
    for the parser's corners, with anything in between."""
    return st.lists(st.sampled_from(words) | st.binary(max_size=4), max_size=60).map(b"".join)


CSV_BYTES = pieces(
    HEADER.encode(), b",", b"\n", b"\r\n", b"\r", b'"', b'""', b" ", b"\t", b"\xef\xbb\xbf",
    b"a", b"2024-01-16", b"0001-01-01", b"IRN", b"PAK", b"195", b"36", b"inf", b"-1", b"\x00",
    b"\xff", "é".encode(),
)  # fmt: skip


@FUZZ
@given(CSV_BYTES)
def test_the_events_reader_returns_rows_or_problems_for_any_bytes(data):
    path = write("events.csv", data)
    events, problems = read_checked(path)
    n_lines = data.count(b"\n") + data.count(b"\r") + 1
    for problem in problems:
        assert problem.path == str(path) and 1 <= problem.line <= n_lines
    assert events["line"].is_unique and (events["line"] >= 2).all()
    assert not set(events["line"]) & {p.line for p in problems if p.column != "(file)"}


# Plain text: the two parsers see the same whitespace (str.strip and Arrow's differ on
# control characters beyond these).
PLAIN = st.text(st.sampled_from(list('ab ,"\n\r\t1\u00a0é')), max_size=80)


@FUZZ
@given(st.lists(PLAIN, min_size=1, max_size=4).map(lambda rows: "a,b,c\n" + "\n".join(rows)))
def test_the_fast_parser_agrees_with_the_csv_module(text):
    fast = fast_records(text.encode())
    if fast is None:  # not plain CSV: the csv module reads it
        return
    header, frame, lines, bad = fast
    slow_header, slow_frame, slow_lines, slow_bad = records(text)
    assert (header, list(lines), bad) == (slow_header, list(slow_lines), slow_bad)
    assert frame.to_numpy().tolist() == slow_frame.to_numpy().tolist()


@FUZZ
@given(
    pieces(
        b"[weights]", b"\n", b'"195"', b'"036"', b"195", b" = ", b"-8.0", b"11", b"nan", b"inf",
        b'"x"', b"[other]", b"#", b"true", b"\xff", b"weights = 3",
    )
)  # fmt: skip
def test_the_weights_reader_returns_weights_or_problems_for_any_bytes(data):
    path = write("weights.toml", data)
    try:
        weights = read_weights(path)
    except WeightsFileError as exc:
        assert exc.problems and all(p.path == str(path) and p.line >= 1 for p in exc.problems)
    else:
        assert all(-10 <= w <= 10 for w in weights.values())


GDELT_ROW = "\t".join(["881991096", "20191024", *[""] * 5, "IRN", *[""] * 9, "PAK"]).encode()
TSV_BYTES = pieces(
    b"\t", b"\n", b"\r\n", b"881991096", b"20191024", b"00010101", b"IRN", b"PAK", b"EUR",
    b"195", b"036", b"\t" * 16, GDELT_ROW, b"Event ID\tEvent Date\tSource Country\tTarget "
    b"Country\tCAMEO Code\n", b"2018-06-01", b"Iran", b"NA", b"\x1f\x8b", b"PK\x03\x04",
)  # fmt: skip


@FUZZ
@given(TSV_BYTES, st.sampled_from(["gdelt", "icews"]))
def test_the_importers_return_rows_or_an_error_naming_the_file_for_any_bytes(data, fmt):
    path = write(f"source.{fmt}", data)
    read = read_gdelt if fmt == "gdelt" else read_icews
    try:
        events, tally = read(path, chunk_bytes=64)
    except EventFileError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert tally.read == tally.kept + tally.duplicates + tally.n_skipped
        assert len(events) == tally.kept


DATES = st.dates(
    min_value=pd.Timestamp("1800-01-01").date(), max_value=pd.Timestamp("2100-12-31").date()
)
TEXT = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from(',"\n'), min_size=1
)
EVENT = st.fixed_dictionaries(
    {
        "date": DATES,
        "pair": st.sampled_from([(a, b) for a in ISO for b in ISO if a != b]),
        "event_code": st.sampled_from(CODES),
        "description": TEXT.filter(lambda t: t.strip()),
        "source": TEXT.filter(lambda t: t.strip()),
        "fatalities": st.none() | st.integers(0, 10_000_000),
    }
)


@FUZZ_CLI
@given(st.lists(EVENT, min_size=1, max_size=30))
def test_valid_events_round_trip_through_validate_and_index(capsys, rows):
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(rows))],
            "date": [r["date"].isoformat() for r in rows],
            "actor1": [r["pair"][0] for r in rows],
            "actor2": [r["pair"][1] for r in rows],
            "event_code": [r["event_code"] for r in rows],
            "description": [r["description"] for r in rows],
            "source": [r["source"] for r in rows],
            "fatalities": [r["fatalities"] for r in rows],
        }
    ).astype({"fatalities": "Int64"})
    path = FOLDER / "valid.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    events, problems = read_checked(path)
    assert problems == []
    assert events["description"].tolist() == [r["description"].strip() for r in rows]
    assert main(["validate", str(path)]) == 0
    index = tension_index(code_events(events), start=None)
    assert index["n_events"].sum() == len(rows)
    capsys.readouterr()


GDELT_EVENT = st.tuples(
    # A year of dates (an index over centuries is slow, not wrong), and either side of the
    # range relscore reads.
    st.dates(
        min_value=pd.Timestamp("2019-01-01").date(), max_value=pd.Timestamp("2019-12-31").date()
    )
    | st.sampled_from([pd.Timestamp(d).date() for d in ("1799-12-31", "0001-01-01", "2101-01-01")]),
    st.sampled_from([*ISO, "EUR", "XYZ", ""]),
    st.sampled_from([*ISO, "EUR", ""]),
    st.sampled_from([*CODES, "999"]),
    st.sampled_from(["https://a.example/1", "=HYPERLINK(1)", "", "@x"]),
)


@FUZZ_CLI
@given(st.lists(GDELT_EVENT, min_size=1, max_size=40))
def test_gdelt_rows_round_trip_through_import_validate_and_index(capsys, rows):
    # One good row first: a file of bad rows only is "not a GDELT events file".
    rows = [(pd.Timestamp("2019-10-24").date(), "IRN", "PAK", "195", "u"), *rows]
    lines = []
    for i, (day, a1, a2, code, url) in enumerate(rows):
        fields = [""] * 61
        fields[0], fields[1], fields[7], fields[17] = str(1000 + i), f"{day:%Y%m%d}", a1, a2
        fields[26], fields[31], fields[33], fields[60] = code, "1", "1", url
        lines.append("\t".join(fields))
    source, out = write("g.tsv", ("\n".join(lines) + "\n").encode()), FOLDER / "imported.csv"
    tally = import_gdelt(source, out)
    assert tally.read == len(rows) == tally.kept + tally.duplicates + tally.n_skipped
    events, problems = read_checked(out)
    assert problems == [] and len(events) == tally.kept
    if tally.kept:
        code = main(["index", str(out), "-o", str(FOLDER / "index.csv")])
        assert code == 0
        assert f"scored {tally.kept} events" in capsys.readouterr().err
        index = pd.read_csv(FOLDER / "index.csv")
        assert index["n_events"].sum() == tally.kept
    assert np.isin(events["event_code"], load_codebook().index).all()


# --- damaged index folders and stores ------------------------------------------------------
# A store of three months and its index folder, built once; each example mutates a copy.

BUILT = FOLDER / "built"
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "garbage", "2024-02-30", "2024-02-10", "AND-ROU", "quad", "1e9"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def built() -> tuple[Path, Path]:
    """The store and index folder every example starts from (made on first use)."""
    store, index = BUILT / "store", BUILT / "index"
    if not index.exists():
        from relscore.testing.synthetic import write_gdelt

        BUILT.mkdir(exist_ok=True)
        write_gdelt(BUILT / "a.CSV", 600, n_dyads=6, n_days=70, start="2024-01-20", seed=1)
        import_to_store([BUILT / "a.CSV"], store)
        update_index(store, index)
    return store, index


def mutate(value, path: list, new, delete: bool):
    """``value`` with the item at ``path`` (keys or positions, as far as they reach)
    replaced by ``new``, or deleted."""
    if not path or not isinstance(value, dict | list) or not len(value):
        return new
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = keys[path[0] % len(keys)]
    if len(path) == 1 and delete:
        del value[key]
    else:
        value[key] = mutate(value[key], path[1:], new, delete)
    return value


@FUZZ
@given(st.lists(st.integers(0, 50), min_size=1, max_size=4), JSON_VALUES, st.booleans())
def test_a_mutated_manifest_is_updated_or_refused_naming_it(path, new, delete):
    store, index = built()
    copy = FOLDER / "index-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy)
    manifest = json.loads((copy / MANIFEST_NAME).read_text())
    (copy / MANIFEST_NAME).write_text(json.dumps(mutate(manifest, path, new, delete)))
    for read in (lambda: relscore.read_index(copy), lambda: update_index(store, copy)):
        try:
            read()
        except IndexUpdateError as exc:
            assert str(exc).startswith(str(copy)), exc


STORE_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["rename month", "stray file", "stray folder", "move part", "hide part"]),
        st.sampled_from(["2024-01", "2024-02", "2024-03"]),
        st.text(st.sampled_from("month=2024-0139x._ "), min_size=1, max_size=12),
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(STORE_CHANGES)
def test_a_mutated_store_is_indexed_whole_or_refused_naming_it(changes):
    store, _ = built()
    copy = FOLDER / "store-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    for change, month, name in changes:
        folder = copy / f"month={month}"
        if not folder.is_dir():
            continue
        parts = sorted(folder.glob("*.parquet"))
        target = copy / name
        if target.exists() or name in (".", ".."):
            continue
        if change == "rename month":
            folder.rename(target)
        elif change == "stray file":
            (folder / name).write_text("x") if not (folder / name).exists() else None
        elif change == "stray folder":
            (folder / name).mkdir(exist_ok=True)
        elif parts and change == "move part":
            other = copy / f"month={'2024-01' if month != '2024-01' else '2024-02'}"
            if other.is_dir() and not (other / parts[0].name).exists():
                parts[0].rename(other / parts[0].name)
        elif parts:
            parts[0].rename(folder / f".{parts[0].name}")
    held = [p for p in copy.glob("month=*/*.parquet") if p.is_file() and not p.name.startswith(".")]
    try:
        run = index_store(copy, FOLDER / "fuzz-index.csv")
    except StoreError as exc:
        assert str(exc).startswith(str(copy)), exc
    else:  # indexed: every event of every part in the store's month folders was read
        assert run.n_stored == sum(pq.read_metadata(p).num_rows for p in held)
