"""An index folder's manifest is checked on every read, field by field, and its month files
against it: a damaged manifest is one line naming the file and the field, and a folder
whose month files do not match is rebuilt by ``relscore update`` (never "up to date" over
a missing month) and refused by ``read_index``."""

import json
import shutil

import pytest

import relscore
from relscore.exceptions import IndexUpdateError
from relscore.scale.update import update_index
from relscore.store.index_folder import MANIFEST_NAME
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import run


@pytest.fixture
def built(tmp_path):
    """A store of one synthetic file over 2024-01-20 ... 2024-03-29, and its index folder."""
    write_gdelt(tmp_path / "a.CSV", 600, n_dyads=6, n_days=70, start="2024-01-20", seed=1)
    store, index = tmp_path / "store", tmp_path / "index"
    import_to_store([tmp_path / "a.CSV"], store)
    update_index(store, index)
    return store, index


def edit(index, change):
    manifest = json.loads((index / MANIFEST_NAME).read_text())
    change(manifest)
    (index / MANIFEST_NAME).write_text(json.dumps(manifest))


# Each of the damaged manifests of the issue, and more: (change, field, what is wrong).
DAMAGED = {
    "settings a list": (lambda m: m.update(settings=[1]), "settings", "not an object (got [1])"),
    "store a list": (lambda m: m.update(store=[1]), "store", "not an object (got [1])"),
    "first_day garbage": (
        lambda m: m.update(first_day="garbage"),
        "first_day",
        "not a date YYYY-MM-DD of 1800-01-01 ... 2100-12-31 ('garbage')",
    ),
    "a store entry of the wrong shape": (
        lambda m: m["store"].update({"2024-01": [["x", 1]]}),
        "store.2024-01",
        "not a list of [name, bytes, mtime] (got [['x', 1]])",
    ),
    "half_life abc": (
        lambda m: m["settings"].update(half_life="abc"),
        "settings.half_life",
        "not a number of days > 0 up to 109938",
    ),
    "dyads null": (lambda m: m.update(dyads=None), "dyads", "not a list (got None)"),
    "months []": (lambda m: m.update(months=[]), "months", "not an object (got [])"),
    "last_day moved back": (
        lambda m: m.update(last_day="2024-02-10"),
        "last_day",
        "is not the last day with events of the months (2024-03-29)",
    ),
    "both kernels": (
        lambda m: m["settings"].update(window=7),
        "settings.window",
        "exactly one of window and half_life is a number",
    ),
    "an unknown scheme": (
        lambda m: m["settings"].update(scheme="goldstien"),
        "settings.scheme",
        "'goldstien' is not a scheme relscore has",
    ),
    "a weight out of range": (
        lambda m: m["settings"].update(overrides={"195": -12}),
        "settings.overrides.195",
        "weight -12 is outside -10...+10",
    ),
    "a dyad unsorted": (
        lambda m: m["dyads"].reverse(),
        "dyads[1]",
        "'KEN-SOM' is out of order, or twice",
    ),
    "a directed dyad in an undirected index": (
        lambda m: m["dyads"].__setitem__(0, "AND>ROU"),
        "dyads[0]",
        "'AND>ROU' is not a dyad as relscore writes it",
    ),
    "a dyad a list (found by fuzzing)": (
        lambda m: m["dyads"].__setitem__(2, ["AND", "ROU"]),
        "dyads[2]",
        "['AND', 'ROU'] is not a dyad as relscore writes it",
    ),
    "a dyad in lower case": (
        lambda m: m["dyads"].__setitem__(0, m["dyads"][0].lower()),
        "dyads[0]",
        "'and-rou' is not a dyad as relscore writes it",
    ),
    "a month's days outside it": (
        lambda m: m["months"].update({"2024-02": ["2024-02-01", "2024-03-02"]}),
        "months.2024-02",
        "['2024-02-01', '2024-03-02'] are not days of 2024-02 in order",
    ),
    "version true": (
        lambda m: m.update(version=True),
        "version",
        "True is not supported (1 or 2 is)",
    ),
    "a field too many": (
        lambda m: m.update(owner="me"),
        "owner",
        "not a field of an index manifest",
    ),
    "patches in a version 1 manifest": (
        lambda m: m.update(version=1, patches={}),
        "patches",
        "not a field of a version 1 manifest",
    ),
    "a patch of another month": (
        lambda m: m.update(patches={"2024-01": [["2024-02.patch1.parquet", 10]]}),
        "patches.2024-01",
        "not a list of [2024-01.patchN.parquet, bytes] (got [['2024-02.patch1.parquet', 10]])",
    ),
    "patches out of order": (
        lambda m: m.update(
            patches={"2024-01": [["2024-01.patch2.parquet", 1], ["2024-01.patch1.parquet", 1]]}
        ),
        "patches.2024-01",
        "not in the order of their numbers ([2, 1])",
    ),
    "a file size negative": (
        lambda m: m["files"].update({"2024-01": -1}),
        "files.2024-01",
        "not a number of bytes (got -1)",
    ),
}


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_manifest_is_one_line_naming_the_field(capsys, built, case):
    store, index = built
    change, field, what = DAMAGED[case]
    edit(index, change)
    expected = (
        f"relscore: error: {index / MANIFEST_NAME}: {field}: {what}; not a manifest relscore "
        "update wrote: index into a new folder\n"
    )
    assert run(capsys, "update", store, index)[::2] == (1, expected)
    with pytest.raises(IndexUpdateError) as error:
        relscore.read_index(index)
    assert f"relscore: error: {error.value}\n" == expected


def test_a_manifest_that_is_not_json_or_not_an_object(built):
    store, index = built
    for text, message in ((r"[1, 2]", r"\(file\): not a JSON object"), ("{", "not JSON")):
        (index / MANIFEST_NAME).write_text(text)
        with pytest.raises(IndexUpdateError, match=f"_relscore_index.json: .*{message}"):
            update_index(store, index)


def test_a_deleted_month_file_is_rebuilt_not_up_to_date(capsys, built):
    store, index = built
    (index / "2024-02.parquet").unlink()
    with pytest.raises(IndexUpdateError) as error:
        relscore.read_index(index)
    assert str(error.value) == (
        f"{index / '2024-02.parquet'}: missing (the manifest lists month 2024-02); run "
        "relscore update to rebuild the folder"
    )
    code, _, err = run(capsys, "update", store, index)
    assert code == 0
    assert err == (
        f"relscore: rebuilt from the store, as {index / '2024-02.parquet'}: missing (the "
        "manifest lists month 2024-02); dyads recomputed=6 from 2024-01-20; month files "
        "rewritten=3 of 3\n"
    )
    assert_full(store, index)
    assert run(capsys, "update", store, index)[2] == "relscore: up to date (3 month files)\n"


def test_a_month_file_of_another_size_or_outside_the_calendar_is_rebuilt(built):
    store, index = built
    shutil.copy(index / "2024-01.parquet", index / "2024-02.parquet")
    with pytest.raises(IndexUpdateError, match=r"2024-02\.parquet: [\d,]+ bytes, the manifest"):
        relscore.read_index(index)
    shutil.copy(index / "2024-01.parquet", index / "2024-07.parquet")
    with pytest.raises(IndexUpdateError, match=r"2024-07\.parquet: not a month of the manifest"):
        relscore.read_index(index)
    done = update_index(store, index)
    assert done.built and done.rebuilt.startswith(f"{index / '2024-07.parquet'}: ")
    assert sorted(p.name for p in index.glob("*.parquet")) == [
        "2024-01.parquet",
        "2024-02.parquet",
        "2024-03.parquet",
    ]
    assert_full(store, index)


def test_a_deleted_month_after_a_store_change_is_rebuilt_too(built, tmp_path):
    store, index = built
    write_gdelt(tmp_path / "b.CSV", 100, n_dyads=6, n_days=10, start="2024-03-20", seed=1)
    import_to_store([tmp_path / "b.CSV"], store)
    (index / "2024-01.parquet").unlink()
    done = update_index(store, index)
    assert done.rebuilt is not None and done.files_rewritten == 3
    assert_full(store, index)


def assert_full(store, index):
    """The folder equals a fresh index of the store."""
    fresh = index.parent / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    update_index(store, fresh)
    got, want = relscore.read_index(index), relscore.read_index(fresh)
    assert got.equals(want)


def test_the_temporaries_a_killed_update_or_index_left_go_with_the_next_run(
    capsys, built, ended_pid
):
    from relscore.files.temporary import temp_name

    store, index = built
    left = [
        temp_name(index / "2024-02.parquet", pid=ended_pid),
        temp_name(index / MANIFEST_NAME, pid=ended_pid),
    ]
    output = index.parent / "i.csv"
    left.append(temp_name(output, pid=ended_pid))
    for path in left:
        path.write_bytes(b"half of a file")
    assert run(capsys, "update", store, index)[2] == "relscore: up to date (3 month files)\n"
    assert run(capsys, "index", store, "-o", output)[0] == 0
    assert not any(path.exists() for path in left)
    assert sorted(p.name for p in index.iterdir())[-1] == MANIFEST_NAME


def patched(tmp_path, store, index, name="c"):
    """The folder after an update that wrote patches: rows of one dyad dated in January,
    from the file ``name``."""
    path = tmp_path / f"{name}.CSV"
    write_gdelt(path, 200, n_dyads=6, n_days=3, start="2024-01-25", seed=1, first_id=2 * 10**9)
    lines = path.read_bytes().splitlines(keepends=True)
    pair = lines[0].split(b"\t")[7:18:10]
    path.write_bytes(b"".join(line for line in lines if line.split(b"\t")[7:18:10] == pair))
    import_to_store([path], store)
    assert update_index(store, index).patches_written == 3
    return json.loads((index / MANIFEST_NAME).read_text())["patches"]


def test_a_patch_deleted_or_of_another_size_is_refused_and_rebuilt(tmp_path, built):
    store, index = built
    patches = patched(tmp_path, store, index)
    assert sorted(patches) == ["2024-01", "2024-02", "2024-03"]
    (index / "2024-02.patch1.parquet").unlink()
    with pytest.raises(IndexUpdateError) as error:
        relscore.read_index(index)
    assert str(error.value) == (
        f"{index / '2024-02.patch1.parquet'}: missing (the manifest lists it as a patch of "
        "2024-02); run relscore update to rebuild the folder"
    )
    done = update_index(store, index)
    assert done.built and done.rebuilt.endswith(
        "missing (the manifest lists it as a patch of 2024-02)"
    )
    assert not list(index.glob("*.patch*.parquet"))
    assert_full(store, index)
    patched(tmp_path, store, index, "d")
    with open(index / "2024-03.patch1.parquet", "ab") as grown:
        grown.write(b"x")
    with pytest.raises(
        IndexUpdateError, match=r"2024-03\.patch1\.parquet: [\d,]+ bytes, the manifest"
    ):
        relscore.read_index(index)


def test_a_version_1_folder_is_read_and_updated_to_version_2(tmp_path, built):
    """0.4 wrote version 1 (no patches): read as it is; the next update writes version 2."""
    store, index = built
    edit(index, lambda m: m.update(version=1))
    before = relscore.read_index(index)
    patched(tmp_path, store, index)
    assert json.loads((index / MANIFEST_NAME).read_text())["version"] == 2
    assert not relscore.read_index(index).equals(before)
    assert_full(store, index)
