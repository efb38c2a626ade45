"""The Parquet event store: what an import writes, and that writing it again changes nothing.

Fixtures as in ``test_import_gdelt.py``: the 61-column file keeps 4 events (one-a-day) and
the mixed file 7, all dated 2019-10-24; the real sample keeps 242 from 2018-10 to 2019-10.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from relscore.cli import main
from relscore.exceptions import StoreError
from relscore.importers import import_gdelt, read_gdelt, read_icews
from relscore.store.ingest import import_to_store
from relscore.store.layout import (
    META_NAME,
    STORE_SCHEMA,
    month_parts,
    part_name,
    read_month,
    store_meta,
)
from relscore.testing.synthetic import write_gdelt
from tests.conftest import FIXTURES, GDELT_SAMPLE, run

GDELT61 = FIXTURES / "gdelt2_61col.tsv"
MIXED = FIXTURES / "gdelt_mixed_layouts.tsv"
ICEWS = FIXTURES / "icews_events_2018.tab"
SAMPLE = GDELT_SAMPLE


def stored(store) -> pd.DataFrame:
    """Every event of a store, month by month, as plain columns."""
    frames = [
        read_month(files, STORE_SCHEMA.names).to_pandas() for files in month_parts(store).values()
    ]
    frame = pd.concat(frames, ignore_index=True)
    return frame.assign(**{c: frame[c].astype(str) for c in ("actor1", "actor2", "event_code")})


def snapshot(store: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("mode", ["none", "one-a-day", "source-url"])
@pytest.mark.parametrize("path", [GDELT61, MIXED, SAMPLE], ids=lambda p: p.stem)
def test_the_store_holds_the_events_the_csv_import_keeps(tmp_path, path, mode):
    events, csv_tally = read_gdelt(path, dedupe=mode)
    tally = import_to_store([path], tmp_path / "store", dedupe=mode)
    assert tally.lines() == csv_tally.lines()
    got = stored(tmp_path / "store")
    # The store is in month order, the CSV in file order: compare sorted by event id.
    got = got.sort_values("event_id", ignore_index=True)
    want = events.assign(event_id=events["event_id"].str.removeprefix("gdelt-").astype("int64"))
    want = want.sort_values("event_id", ignore_index=True)
    assert got["event_id"].tolist() == want["event_id"].tolist()
    assert (pd.to_datetime(got["date"]) == want["date"]).all()
    for column in ("actor1", "actor2", "event_code", "num_mentions", "num_articles"):
        assert got[column].tolist() == want[column].astype(got[column].dtype).tolist(), column
    assert got["origin_line"].tolist() == want["origin_line"].tolist()
    assert got["source_hash"].notna().all() == (mode == "source-url")


def test_layout_schema_and_metadata(tmp_path):
    store = tmp_path / "store"
    import_to_store([SAMPLE, MIXED], store)
    assert store_meta(store) == {"version": 1, "format": "gdelt", "dedupe": "one-a-day"}
    sample, mixed = part_name(SAMPLE), part_name(MIXED)
    assert sorted(str(p.relative_to(store)) for p in store.rglob("*.parquet")) == [
        f"month=2018-10/{sample}",
        f"month=2019-09/{sample}",
        f"month=2019-10/{sample}",
        f"month=2019-10/{mixed}",
    ]
    part = pq.ParquetFile(store / f"month=2019-10/{mixed}")
    assert part.schema_arrow.remove_metadata() == STORE_SCHEMA
    assert part.schema_arrow.metadata[b"relscore_source"] == str(MIXED).encode()
    # Any Parquet reader sees the dataset (the metadata file starts with "_").
    assert len(pd.read_parquet(store)) == 242 + 7
    assert (store / META_NAME).is_file()


def test_part_names_are_the_source_names_made_safe_and_keyed_by_their_folder(tmp_path):
    name = part_name("/x/20191024143000.export.CSV.zip")
    assert re.fullmatch(r"20191024143000\.export\.CSV\.zip\.[0-9a-f]{12}\.parquet", name)
    assert re.fullmatch(r"__\.tsv\.[0-9a-f]{12}\.parquet", part_name("a b/ç?.tsv"))
    assert part_name("/x/events.tab") != part_name("/y/events.tab")
    (tmp_path / "real.tsv").touch()
    (tmp_path / "link.tsv").symlink_to(tmp_path / "real.tsv")
    assert part_name(tmp_path / "real.tsv") == part_name(tmp_path / "sub/../real.tsv")
    assert part_name(tmp_path / "link.tsv") == part_name(tmp_path / "real.tsv").replace(
        "real.tsv", "link.tsv"
    )  # the key is the resolved path's; the readable name the one given


def test_importing_again_changes_nothing(tmp_path):
    store = tmp_path / "store"
    import_to_store([SAMPLE, MIXED], store)
    first = snapshot(store)
    import_to_store([SAMPLE], store)
    import_to_store([MIXED, SAMPLE], store)
    assert snapshot(store) == first  # same files, byte for byte: no duplicated partitions


def test_importing_in_parallel_writes_the_same_store(tmp_path):
    one = import_to_store([SAMPLE, MIXED, GDELT61], tmp_path / "one")
    two = import_to_store([SAMPLE, MIXED, GDELT61], tmp_path / "two", jobs=2)
    assert two.lines() == one.lines()
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_a_narrower_import_of_a_file_replaces_its_parts_in_every_month(tmp_path):
    store = tmp_path / "store"
    import_to_store([SAMPLE], store)
    import_to_store([SAMPLE], store, since="2019-10-01")
    assert list(month_parts(store)) == ["2019-10"]
    assert not list(store.glob("month=*/.*.tmp"))


def test_a_failed_import_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = tmp_path / "store"
    import_to_store([SAMPLE], store)
    before = snapshot(store)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("relscore.files.atomic.os.replace", broken)
    with pytest.raises(StoreError, match=r"month=2019-10/.*\.parquet: cannot write: disk full"):
        import_to_store([SAMPLE], store, since="2019-10-01")
    assert snapshot(store) == before


def test_a_store_holds_one_format_and_one_dedupe_mode(tmp_path):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    with pytest.raises(StoreError, match="dedupe 'one-a-day', not 'none'"):
        import_to_store([GDELT61], store, dedupe="none")
    with pytest.raises(StoreError, match="format 'gdelt', not 'icews'"):
        import_to_store([ICEWS], store, format="icews")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a relscore event store"):
        import_to_store([GDELT61], tmp_path / "other")


def test_icews_has_no_coverage_counts(tmp_path):
    events, _ = read_icews(ICEWS)
    import_to_store([ICEWS], tmp_path / "store", format="icews")
    got = stored(tmp_path / "store")
    assert len(got) == len(events) == 34
    assert got["num_mentions"].isna().all() and got["num_articles"].isna().all()


def test_an_empty_file_writes_no_part(tmp_path):
    empty = tmp_path / "empty.CSV"
    empty.write_bytes(b"")
    tally = import_to_store([empty], tmp_path / "store")
    assert tally.read == 0 and month_parts(tmp_path / "store") == {}


def test_read_month_of_empty_and_zero_row_parts(tmp_path):
    store = tmp_path / "store"
    import_to_store([MIXED], store)
    zero = store / "month=2019-10/zero.parquet"
    pq.write_table(STORE_SCHEMA.empty_table(), zero)
    (store / "month=2019-11").mkdir()  # a month folder without parts is no month
    assert list(month_parts(store)) == ["2019-10"]
    table = read_month(month_parts(store)["2019-10"], ["date", "actor1"])
    assert table.num_rows == 7 and table.column("actor1").num_chunks == 1
    assert read_month([zero], ["date", "actor1"]).num_rows == 0


def test_skipped_rows_match_the_csv_import(tmp_path):
    import_gdelt(MIXED, tmp_path / "events.csv", skipped=tmp_path / "csv_skipped.csv")
    import_to_store([MIXED], tmp_path / "store", skipped=tmp_path / "skipped.csv")
    assert (tmp_path / "skipped.csv").read_text() == (tmp_path / "csv_skipped.csv").read_text()


def test_cli_import_to_parquet(capsys, tmp_path):
    store = tmp_path / "store"
    code, _, err = run(capsys, "import", "gdelt", MIXED, "--to-parquet", store)
    assert code == 0
    assert err.splitlines()[0] == "read=39 kept=7 duplicates=4 skipped=28"
    assert err.splitlines()[-1].startswith(f"relscore: wrote 7 events to the store {store} (")
    code, _, err = run(capsys, "import", "icews", ICEWS, "--to-parquet", store)
    assert code == 1 and "the store holds format 'gdelt', not 'icews'" in err


def test_cli_import_needs_one_output(capsys, tmp_path):
    for extra in (
        [],
        ["-o", tmp_path / "e.csv", "--to-parquet", tmp_path / "s"],
        ["--to-parquet", tmp_path / "s", "--jobs", "0"],
    ):
        with pytest.raises(SystemExit) as info:
            main(["import", "gdelt", str(MIXED), *map(str, extra)])
        assert info.value.code == 2
    assert not (tmp_path / "s").exists() and not (tmp_path / "e.csv").exists()


def test_synthetic_files_import_whole(tmp_path):
    path = tmp_path / "synthetic.CSV"
    size = write_gdelt(path, 5000, n_dyads=50, n_codes=20, n_days=40, seed=3)
    assert size == path.stat().st_size and 300 < size / 5000 < 500  # about GDELT's width
    events, tally = read_gdelt(path, dedupe="none")
    assert tally.lines() == ["read=5000 kept=5000 duplicates=0 skipped=0"]
    assert events["actor1"].ne(events["actor2"]).all()
    assert events["event_code"].str.len().eq(3).all() and events["event_code"].nunique() == 20
    pairs = events["actor1"] + ">" + events["actor2"]
    assert pairs.nunique() <= 50 and events["date"].dt.normalize().nunique() == 40
    assert np.array_equal(events["num_mentions"].between(10, 99), np.ones(5000, bool))
    table = pa.Table.from_pandas(events[["num_articles"]])
    assert table.num_rows == 5000


def test_a_block_spread_over_millennia_goes_to_the_right_months_in_order(tmp_path):
    # Dates of years 1 to 9999 are valid; months that far apart do not fit 16 bits.
    from relscore.store.parts import PartWriter, encoded_rows

    dates = ["9999-12-31", "0001-01-01", "2019-10-24", "0001-01-05", "2019-10-01"]
    day = np.array([np.datetime64(d, "D").astype(np.int64) for d in dates])
    n = len(day)
    table = encoded_rows(
        np.arange(n), day, np.zeros(n), np.ones(n), np.zeros(n), {"origin_line": np.arange(n)}
    )
    store = tmp_path / "store"
    store.mkdir()
    with PartWriter(store, "far.tsv") as writer:
        writer.write(table)
    parts = month_parts(store).items()
    lines = {m: read_month(f, ["origin_line"])["origin_line"].to_pylist() for m, f in parts}
    assert lines == {"0001-01": [1, 3], "2019-10": [2, 4], "9999-12": [0]}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_later_file_that_fails_names_what_was_committed(capsys, tmp_path, jobs):
    # A .gz whose first MB reads well (so the check before the import passes) and whose
    # end is cut off: the first file is committed, the second adds nothing, and the error's
    # second line says so.
    import gzip

    broken = tmp_path / "b.gz"
    broken.write_bytes(gzip.compress(SAMPLE.read_bytes() * 4)[:-2000])
    store = tmp_path / "store"
    argv = ["import", "gdelt", GDELT61, broken, "--to-parquet", store, "--jobs", jobs]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert err.splitlines() == [
        f"relscore: error: {broken}: a truncated or damaged archive (Compressed file ended "
        "before the end-of-stream marker was reached)",
        f"relscore: 1 of 2 files was imported before the error, its events are in the store: "
        f"{GDELT61}; the others were not (importing a file again replaces its events: run "
        "the import again)",
    ]
    assert [p.name for p in month_parts(store)["2019-10"]] == [part_name(GDELT61)]
    assert not list(store.rglob("*.tmp"))


def test_coverage_counts_are_read_alike_into_a_csv_and_into_the_store(tmp_path):
    # Ten digits with leading zeros, and one above what int32 holds: the events CSV and the
    # store agree (the CSV kept 12 digits, the store nulled anything over 9).
    lines = GDELT61.read_text().splitlines()
    rows = [line.split("\t") for line in lines]
    kept = [r for r in rows if r[0] in {"881991096", "881991117"}]
    assert len(kept) == 2, "the fixture's first two kept events"
    kept[0][31], kept[0][33] = "0000000007", "2147483648"
    source = tmp_path / "g.tsv"
    source.write_text("\n".join("\t".join(r) for r in kept) + "\n")
    events, _ = read_gdelt(source)
    import_to_store([source], tmp_path / "store")
    got = stored(tmp_path / "store").sort_values("origin_line")
    assert events["num_mentions"].tolist()[0] == 7 == got["num_mentions"].tolist()[0]
    assert pd.isna(events["num_articles"].tolist()[0]) and pd.isna(got["num_articles"].iloc[0])
