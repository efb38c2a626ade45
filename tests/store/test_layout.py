"""The store's layout and description, checked as the store is read: a folder that looks
like a month but is not one, a stray entry in a month, a part in the wrong month, and a
description that is not one relscore wrote each end in one line naming it, never in an
index without some of the store's events."""

import json
import shutil

import pytest

from relscore.exceptions import StoreError
from relscore.scale import index_store
from relscore.store.ingest import import_to_store
from relscore.store.layout import META_NAME, month_parts, store_meta
from relscore.testing.synthetic import write_gdelt
from tests.conftest import run


@pytest.fixture
def store(tmp_path):
    """A store of one synthetic file over 2024-01-20 ... 2024-03-29 (three months)."""
    write_gdelt(tmp_path / "a.CSV", 600, n_dyads=6, n_days=70, start="2024-01-20", seed=1)
    import_to_store([tmp_path / "a.CSV"], tmp_path / "store")
    return tmp_path / "store"


@pytest.mark.parametrize("name", ["month=24-02", "month=2024-2", "month=2024-13", "month=x"])
def test_a_month_folder_renamed_is_an_error_naming_it(capsys, store, name):
    (store / "month=2024-02").rename(store / name)
    code, out, err = run(capsys, "index", store)
    assert (code, out) == (1, "")
    assert err == (
        f"relscore: error: {store / name}: not a month folder of the store (a folder "
        "month=YYYY-MM); move it out of the store, or name it for its month\n"
    )


def test_a_file_named_like_a_month_is_an_error(store):
    (store / "month=2024-04").write_text("not a folder")
    with pytest.raises(StoreError, match=r"month=2024-04: not a month folder"):
        month_parts(store)


@pytest.mark.parametrize("stray", ["notes.txt", "part.parquet.bak", "old.PARQUET", "sub.parquet"])
def test_an_entry_of_a_month_that_is_not_a_part_is_an_error(store, stray):
    path = store / "month=2024-02" / stray
    path.mkdir() if stray == "sub.parquet" else path.write_text("x")
    with pytest.raises(StoreError) as error:
        index_store(store, store.parent / "i.csv")
    assert str(error.value) == (
        f"{path}: not a part of the store (a part is a NAME.parquet file that relscore import "
        "wrote); move it out of the store"
    )


def test_hidden_files_in_a_month_are_left_alone(store):
    (store / "month=2024-02" / ".DS_Store").write_bytes(b"\0")
    assert [len(files) for files in month_parts(store).values()] == [1, 1, 1]


def test_a_part_moved_to_another_months_folder_is_an_error(store):
    (part,) = (store / "month=2024-02").iterdir()
    (store / "month=2024-05").mkdir()
    moved = store / "month=2024-05" / part.name
    shutil.move(part, moved)
    with pytest.raises(StoreError) as error:
        index_store(store, store.parent / "i.csv")
    assert str(error.value) == (
        f"{moved}: holds events of 2024-02-01 ... 2024-02-29, not of its folder's month "
        "2024-05; move the part back to its month's folder, or import its source file again"
    )


DESCRIPTIONS = {
    "format a list": ({"format": ["gdelt"]}, "format: ['gdelt'] is not one of gdelt, icews"),
    "dedupe unknown": ({"dedupe": "twice"}, "dedupe: 'twice' is not one of one-a-day, "),
    "dedupe missing": ({"dedupe": None}, "dedupe: missing; not a relscore store description"),
    "version 2": ({"version": 2}, "store version 2 is not supported"),
    "a field too many": ({"owner": "me"}, "owner: not a field of a relscore store description"),
}


@pytest.mark.parametrize("case", DESCRIPTIONS)
def test_a_description_not_written_by_relscore_names_its_field(capsys, store, case):
    change, message = DESCRIPTIONS[case]
    meta = json.loads((store / META_NAME).read_text()) | change
    meta = {k: v for k, v in meta.items() if v is not None}
    (store / META_NAME).write_text(json.dumps(meta))
    for argv in (
        ["index", store],
        ["import", "gdelt", store.parent / "a.CSV", "--to-parquet", store],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 1 and err.startswith(f"relscore: error: {store / META_NAME}: ")
        assert message in err and err.count("\n") == 1


def test_a_description_that_is_no_json_or_far_too_long(store):
    (store / META_NAME).write_text("{'version': 1")
    with pytest.raises(StoreError, match=r"_relscore_store\.json: cannot be read \(not JSON"):
        store_meta(store)
    (store / META_NAME).write_text(" " * (1 << 21) + "{}")
    with pytest.raises(StoreError, match=r"2,097,154 bytes, more than the 1,048,576 such a file"):
        store_meta(store)
