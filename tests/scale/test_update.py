"""``relscore update``: an index folder brought up to date equals a full re-index of the store
(the rows, ``n_events`` exactly, the floats to 1e-9 and in fact to the bit), writes only the
month files it must, and refuses what it cannot update."""

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relscore
from relscore.exceptions import IndexUpdateError
from relscore.scale import index_store
from relscore.scale.update import update_index
from relscore.store.index_folder import MANIFEST_NAME
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import run

FLOATS = ["conflict", "cooperation", "net", "tension"]
KERNELS = [{}, {"window": 7}, {"directed": True}, {"half_life": 3.0, "directed": True}]


def gdelt(path: Path, n_rows: int, start: str, n_days: int, seed: int = 1, first_id: int = 1):
    """A synthetic GDELT file: ``seed`` picks the dyads (and the rows), so files of one seed
    share their dyads; ``first_id`` keeps their event ids apart."""
    write_gdelt(
        path,
        n_rows,
        n_dyads=6,
        n_codes=20,
        n_days=n_days,
        start=start,
        seed=seed,
        first_id=1_000_000_000 + first_id,
    )
    return path


def add(store: Path, *paths: Path, dedupe: str = "one-a-day") -> None:
    for path in paths:  # one call per file, as files arrive
        import_to_store([path], store, dedupe=dedupe)


def check_equal_to_full(store: Path, index: Path, **kernel) -> float:
    """The updated folder against a fresh folder and against ``index_store``'s one file."""
    got = relscore.read_index(index)
    with tempfile.TemporaryDirectory() as folder:
        update_index(store, Path(folder) / "full", **kernel)
        fresh = relscore.read_index(Path(folder) / "full")
        index_store(store, Path(folder) / "full.parquet", **kernel)
        single = relscore.read_index(Path(folder) / "full.parquet")
    worst = 0.0
    for want in (fresh, single):
        assert len(got) == len(want)
        assert (got["dyad"].astype(str).to_numpy() == want["dyad"].astype(str).to_numpy()).all()
        assert (got["date"].to_numpy() == want["date"].to_numpy()).all()
        assert (got["n_events"].to_numpy() == want["n_events"].to_numpy()).all()
        diff = max(np.abs(got[c].to_numpy() - want[c].to_numpy()).max(initial=0) for c in FLOATS)
        assert diff <= 1e-9
        worst = max(worst, diff)
    if os.environ.get("RELSCORE_SHOW_DIFFERENCES"):
        print(f"max abs difference: {worst!r}")
    return worst


def mtimes(index: Path) -> dict[str, tuple[int, int]]:
    return {f.name: (f.stat().st_mtime_ns, f.stat().st_ino) for f in index.iterdir()}


# --- incremental equals full ---------------------------------------------------------


@pytest.fixture
def base(tmp_path):
    """A store of two files over 2024-01-20 ... 2024-03-29 and its index folder."""
    store, index = tmp_path / "store", tmp_path / "index"
    add(store, gdelt(tmp_path / "a.CSV", 600, "2024-01-20", 70))
    add(store, gdelt(tmp_path / "b.CSV", 300, "2024-02-10", 30, first_id=10_000))
    return store, index


CASES = {
    "on the last days": ("2024-03-27", 3, 1),
    "mid-calendar": ("2024-02-15", 10, 1),
    "after the last day, a new month": ("2024-03-25", 20, 1),
    "before the first day": ("2024-01-05", 10, 1),
    "new dyads": ("2024-02-01", 10, 7),
}


@pytest.mark.parametrize("kernel", KERNELS, ids=["decay", "window7", "directed", "hl3-directed"])
@pytest.mark.parametrize("case", CASES)
def test_new_files_give_the_full_index(tmp_path, base, case, kernel):
    store, index = base
    update_index(store, index, **kernel)
    start, n_days, seed = CASES[case]
    add(store, gdelt(tmp_path / "c.CSV", 150, start, n_days, seed, first_id=50_000))
    done = update_index(store, index, **kernel)
    assert done.months_changed >= 1 and done.parts_added >= 1
    assert done.built == (case in ("before the first day", "new dyads"))
    check_equal_to_full(store, index, **kernel)


def test_only_the_month_files_from_t0_on_are_written(tmp_path, base):
    store, index = base
    update_index(store, index)
    before = mtimes(index)
    add(store, gdelt(tmp_path / "c.CSV", 40, "2024-03-02", 5, first_id=50_000))
    done = update_index(store, index)
    after = mtimes(index)
    assert done.first_recomputed >= "2024-03-02" and done.files_rewritten == 1
    assert done.n_files == 3 and 0 < done.dyads_recomputed <= 6
    assert after["2024-01.parquet"] == before["2024-01.parquet"]
    assert after["2024-02.parquet"] == before["2024-02.parquet"]
    assert after["2024-03.parquet"] != before["2024-03.parquet"]
    check_equal_to_full(store, index)


def test_an_update_with_nothing_new_writes_nothing(tmp_path, base):
    store, index = base
    update_index(store, index, window=7)
    before = mtimes(index)
    done = update_index(store, index)
    assert done.up_to_date and done.summary() == "up to date (3 month files)"
    assert mtimes(index) == before


@pytest.mark.parametrize("kernel", [{}, {"window": 7}])
def test_a_file_imported_again_replaces_its_parts(tmp_path, kernel):
    """b.CSV is imported again changed: other rows, and without the dyads only it had."""
    store, index = tmp_path / "store", tmp_path / "index"
    a = gdelt(tmp_path / "a.CSV", 500, "2024-01-20", 60)
    b = gdelt(tmp_path / "b.CSV", 200, "2024-02-01", 40, seed=5, first_id=10_000)
    add(store, a, b)
    update_index(store, index, **kernel)
    dyads = set(relscore.read_index(index)["dyad"].astype(str))
    gdelt(b, 120, "2024-02-05", 20, seed=1, first_id=20_000)  # a's dyads only
    add(store, b)
    done = update_index(store, index, **kernel)
    assert done.parts_replaced >= 1 and done.built  # dyads gone: every file written
    assert set(relscore.read_index(index)["dyad"].astype(str)) < dyads
    check_equal_to_full(store, index, **kernel)
    gdelt(b, 100, "2024-02-07", 10, seed=1, first_id=30_000)  # same dyads: no rebuild
    add(store, b)
    done = update_index(store, index, **kernel)
    assert done.parts_replaced >= 1 and not done.built
    check_equal_to_full(store, index, **kernel)


@pytest.mark.parametrize("dedupe", ["one-a-day", "none"])
def test_duplicates_across_files(tmp_path, dedupe):
    """c repeats rows of a (ids and all); d has a's rows with new ids (one-a-day drops
    them, none keeps them); e sorts before a and repeats some of its rows."""
    store, index = tmp_path / "store", tmp_path / "index"
    a = gdelt(tmp_path / "b.CSV", 400, "2024-01-20", 50)
    add(store, a, dedupe=dedupe)
    update_index(store, index)
    lines = a.read_bytes().splitlines(keepends=True)
    (tmp_path / "c.CSV").write_bytes(b"".join(lines[300:]))
    gdelt(tmp_path / "d.CSV", 200, "2024-01-20", 50, first_id=90_000)
    (tmp_path / "a.CSV").write_bytes(b"".join(lines[::7]))
    for name in ("c", "d", "a"):
        add(store, tmp_path / f"{name}.CSV", dedupe=dedupe)
        update_index(store, index)
        check_equal_to_full(store, index)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=st.lists(
        st.tuples(
            st.integers(0, 90),  # first day, from 2024-01-01
            st.integers(1, 40),  # days
            st.integers(1, 120),  # rows
            st.sampled_from([1, 1, 1, 2]),  # seed: 2 brings other dyads
        ),
        min_size=2,
        max_size=5,
    ),
    built_after=st.integers(1, 4),
    again=st.none() | st.tuples(st.integers(0, 4), st.integers(1, 120), st.sampled_from([1, 2])),
    kernel=st.sampled_from(KERNELS),
    dedupe=st.sampled_from(["one-a-day", "none"]),
    fold=st.sampled_from([0.25, 1.0]),
)
def test_random_stores(files, built_after, again, kernel, dedupe, fold):
    """Files arrive one by one, with an update after each from the ``built_after``-th on;
    then, perhaps, one of them is imported ``again`` changed (rows, dyads). Patches are
    folded at a quarter of a month's rows (the default), or never for their rows."""
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch("relscore.scale.month_files.FOLD_SHARE", fold),
    ):
        folder = Path(folder)
        store, index = folder / "store", folder / "index"
        for k, (day, n_days, n_rows, seed) in enumerate(files):
            start = str(np.datetime64("2024-01-01") + day)
            path = gdelt(folder / f"f{k}.CSV", n_rows, start, n_days, seed, first_id=k * 1000)
            add(store, path, dedupe=dedupe)
            if k + 1 >= min(built_after, len(files) - 1):
                update_index(store, index, **kernel)
        if again is not None:
            k, n_rows, seed = again[0] % len(files), again[1], again[2]
            start = str(np.datetime64("2024-01-01") + files[k][0])
            path = gdelt(folder / f"f{k}.CSV", n_rows, start, files[k][1], seed, 9000 + k)
            add(store, path, dedupe=dedupe)
            update_index(store, index, **kernel)
        check_equal_to_full(store, index, **kernel)


# --- what an update refuses ----------------------------------------------------------


def test_settings_must_equal_the_recorded_ones(base):
    store, index = base
    update_index(store, index, window=7)
    update_index(store, index, window=7, scheme="magnitude")  # the same: fine
    with pytest.raises(IndexUpdateError, match=r"window=7, not 10; .*new folder"):
        update_index(store, index, window=10)
    with pytest.raises(IndexUpdateError, match=r"half_life=None, not 14\.0"):
        update_index(store, index, half_life=14)
    with pytest.raises(TypeError, match="'start'"):  # an updatable index holds every day
        update_index(store, index, start="2024-02-01")


def test_an_index_that_is_a_file_or_another_folder(tmp_path, base):
    store, _ = base
    (tmp_path / "i.parquet").write_bytes(b"x")
    with pytest.raises(IndexUpdateError, match="is a file"):
        update_index(store, tmp_path / "i.parquet")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(IndexUpdateError, match=f"no {MANIFEST_NAME}"):
        update_index(store, tmp_path / "other")


def test_cli(capsys, tmp_path, base):
    store, index = base
    code, _, err = run(capsys, "update", store, index, "--window", "7")
    assert code == 0 and "month files rewritten=3 of 3" in err
    assert run(capsys, "update", store, index)[::2] == (0, "relscore: up to date (3 month files)\n")
    add(store, gdelt(tmp_path / "c.CSV", 30, "2024-03-20", 5, first_id=70_000))
    code, _, err = run(capsys, "update", store, index, "--window", "7")
    assert code == 0
    assert err.startswith("relscore: store months changed=1 (parts added=1 replaced=0 removed=0)")
    assert err.endswith("month files rewritten=1 of 3\n")
    code, _, err = run(capsys, "update", store, index, "--half-life", "10")
    assert code == 1 and err.count("\n") == 1 and "half_life=None, not 10.0" in err
    code, _, err = run(capsys, "update", tmp_path / "nowhere", tmp_path / "i2")
    assert code == 1 and err.count("\n") == 1 and "not a relscore event store" in err
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "update", store, tmp_path / "file")
    assert code == 1 and err.count("\n") == 1 and "is a file" in err


@pytest.mark.parametrize("where", [".", "month=2024-01/idx", "idx"])
def test_cli_refuses_an_index_in_the_store(capsys, base, where):
    store, _ = base
    code, _, err = run(capsys, "update", store, store / where)
    assert code == 2 and err.count("\n") == 1 and "inside the event store" in err


def test_cli_usage_errors(capsys, base):
    store, index = base
    for argv in (
        ["--window", "0"],
        ["--start", "2024-01-01"],
        ["--window", "3", "--half-life", "2"],
    ):
        code, _, err = run(capsys, "update", store, index, *argv)
        assert code == 2 and err.count("\n") == 1


def test_read_index_of_a_folder_equals_the_file(tmp_path, base):
    store, index = base
    update_index(store, index)
    index_store(store, tmp_path / "i.csv")
    folder, csv = relscore.read_index(index), relscore.read_index(tmp_path / "i.csv")
    pd.testing.assert_frame_equal(folder, csv, check_categorical=False, check_exact=True)


def test_a_month_gone_from_the_store(tmp_path, base):
    store, index = base
    update_index(store, index)
    shutil.rmtree(store / "month=2024-03")
    done = update_index(store, index)
    assert done.built and done.parts_removed >= 1
    assert not (index / "2024-03.parquet").exists()
    check_equal_to_full(store, index)


@pytest.mark.parametrize("case", ["mid-calendar", "new dyads"])
def test_an_update_killed_before_its_manifest_is_done_again(tmp_path, base, monkeypatch, case):
    """Month files written, manifest not: the next run finds the same changes and gives the
    same index (it recomputes the touched dyads, whatever the files now hold)."""
    store, index = base
    update_index(store, index, window=7)
    start, n_days, seed = CASES[case]
    add(store, gdelt(tmp_path / "c.CSV", 150, start, n_days, seed, first_id=50_000))

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr("relscore.scale.update.write_manifest", killed)
        with pytest.raises(KeyboardInterrupt):
            update_index(store, index)
    update_index(store, index)
    check_equal_to_full(store, index, window=7)


def test_an_empty_store_and_its_first_events(tmp_path):
    store, index = tmp_path / "store", tmp_path / "index"
    (tmp_path / "empty.CSV").write_bytes(b"")
    add(store, tmp_path / "empty.CSV")
    done = update_index(store, index)
    assert done.built and done.n_files == 0 and relscore.read_index(index).empty
    add(store, gdelt(tmp_path / "a.CSV", 100, "2024-01-20", 30))
    assert update_index(store, index).built
    check_equal_to_full(store, index)


def test_a_damaged_manifest(base):
    store, index = base
    update_index(store, index)
    (index / MANIFEST_NAME).write_text("{}")
    with pytest.raises(IndexUpdateError, match="version: missing; not a manifest relscore update"):
        update_index(store, index)


def test_a_part_without_rows_changes_no_month_file(base):
    store, index = base
    update_index(store, index)
    before = {k: v for k, v in mtimes(index).items() if k != MANIFEST_NAME}
    pq.write_table(relscore.store.STORE_SCHEMA.empty_table(), store / "month=2024-02/zero.parquet")
    done = update_index(store, index)
    assert (done.parts_added, done.files_rewritten) == (1, 0)
    assert {k: v for k, v in mtimes(index).items() if k != MANIFEST_NAME} == before
    check_equal_to_full(store, index)


# --- patches: rows an update changed, beside the month files ---------------------------


def one_dyad(path: Path, start: str, n_days: int, first_id: int) -> Path:
    """A file of the rows of one dyad of the base's (seed 1), dated ``start`` on."""
    gdelt(path, 200, start, n_days, seed=1, first_id=first_id)
    lines = path.read_bytes().splitlines(keepends=True)
    pair = lambda line: (line.split(b"\t")[7], line.split(b"\t")[17])  # noqa: E731
    path.write_bytes(b"".join(line for line in lines if pair(line) == pair(lines[0])))
    return path


def listed_patches(index: Path) -> dict:
    import json

    return json.loads((index / MANIFEST_NAME).read_text()).get("patches", {})


@pytest.mark.parametrize("kernel", [{}, {"window": 7}])
def test_an_old_date_of_one_dyad_is_written_as_patches(tmp_path, base, kernel, monkeypatch):
    """Rows dated in January for one dyad: its tension changes on every day after, so each
    month gets a patch of that dyad's rows; no month file is written again. A second
    patch of the dyad, allowed up to half a month's rows, goes after the first."""
    store, index = base
    update_index(store, index, **kernel)
    before = mtimes(index)
    add(store, one_dyad(tmp_path / "c.CSV", "2024-01-25", 3, 50_000))
    done = update_index(store, index)
    assert (done.dyads_recomputed, done.files_rewritten, done.patches_written) == (1, 0, 3)
    assert done.first_recomputed == "2024-01-25"
    assert done.summary().endswith("month files rewritten=0 of 3, patches written=3")
    after = mtimes(index)
    for month in ("2024-01", "2024-02", "2024-03"):
        assert after[f"{month}.parquet"] == before[f"{month}.parquet"]
        assert [p for p, _ in listed_patches(index)[month]] == [f"{month}.patch1.parquet"]
    january = pq.read_table(index / "2024-01.patch1.parquet").to_pandas()
    assert len(set(january["dyad"])) == 1 and str(january["date"].min()) == "2024-01-25"
    assert january[["n_events", "net", "tension"]].notna().all().all()  # a month of new events
    march = pq.read_table(index / "2024-03.patch1.parquet").to_pandas()
    assert march["tension"].notna().all() and march[["n_events", "net"]].isna().all().all()
    check_equal_to_full(store, index, **kernel)
    monkeypatch.setattr("relscore.scale.month_files.FOLD_SHARE", 0.5)
    add(store, one_dyad(tmp_path / "d.CSV", "2024-02-03", 2, 60_000))
    done = update_index(store, index)
    assert done.patches_written == 2 and [p for p, _ in listed_patches(index)["2024-03"]] == [
        "2024-03.patch1.parquet",
        "2024-03.patch2.parquet",
    ]
    check_equal_to_full(store, index, **kernel)


def test_too_many_patches_of_a_month_are_merged_into_one(tmp_path, base, monkeypatch):
    store, index = base
    update_index(store, index)
    monkeypatch.setattr("relscore.scale.month_files.FOLD_SHARE", 1.0)
    monkeypatch.setattr("relscore.scale.month_files.MAX_PATCHES", 2)
    for k, start in enumerate(["2024-02-03", "2024-02-10", "2024-02-20"]):
        add(store, one_dyad(tmp_path / f"c{k}.CSV", start, 2, 50_000 + 1000 * k))
        done = update_index(store, index)
        assert (done.files_rewritten, done.patches_written) == (0, 2)
        check_equal_to_full(store, index)
    assert listed_patches(index)["2024-02"][0][0] == "2024-02.patch3.parquet"
    assert len(listed_patches(index)["2024-02"]) == 1  # 1 and 2, and the third, merged
    assert sorted(p.name for p in index.glob("2024-02.*")) == [
        "2024-02.parquet",
        "2024-02.patch3.parquet",
    ]


def test_patches_holding_a_quarter_of_a_month_are_folded(tmp_path, base):
    """Two of the six dyads over most of February: more than a quarter of its rows."""
    store, index = base
    update_index(store, index)
    add(store, gdelt(tmp_path / "c.CSV", 40, "2024-02-02", 3, first_id=50_000))
    done = update_index(store, index)
    assert done.dyads_recomputed >= 2 and done.files_rewritten == 2 and done.patches_written == 0
    check_equal_to_full(store, index)


def test_every_reader_of_a_folder_applies_its_patches(tmp_path, base):
    from relscore.analysis.folder_episodes import folder_episodes
    from relscore.scale.cells import folder_cells

    store, index = base
    update_index(store, index)
    add(store, one_dyad(tmp_path / "c.CSV", "2024-01-25", 3, 50_000))
    assert update_index(store, index).patches_written == 3
    update_index(store, tmp_path / "fresh")
    (got, _), (want, _) = folder_cells(index), folder_cells(tmp_path / "fresh")
    assert list(got.labels) == list(want.labels) and got.n_cells == want.n_cells
    pd.testing.assert_frame_equal(got.block(0, 6), want.block(0, 6))
    pd.testing.assert_frame_equal(folder_episodes(index), folder_episodes(tmp_path / "fresh"))
    assert relscore.read_index(index).equals(relscore.read_index(tmp_path / "fresh"))


def test_an_update_killed_before_its_manifest_leaves_patches_no_reader_reads(
    tmp_path, base, monkeypatch
):
    store, index = base
    update_index(store, index)
    before = relscore.read_index(index)
    add(store, one_dyad(tmp_path / "c.CSV", "2024-01-25", 3, 50_000))
    with monkeypatch.context() as patch:
        patch.setattr("relscore.scale.update.write_manifest", lambda *args: exec("raise OSError"))
        with pytest.raises(OSError):
            update_index(store, index)
    assert (index / "2024-01.patch1.parquet").exists()  # written, not listed
    assert relscore.read_index(index).equals(before)
    done = update_index(store, index)
    assert done.patches_written == 3 and not done.built
    check_equal_to_full(store, index)
    (index / "2024-02.patch7.parquet").write_bytes(b"left by a killed run")
    add(store, one_dyad(tmp_path / "d.CSV", "2024-03-03", 2, 60_000))
    update_index(store, index)
    assert not (index / "2024-02.patch7.parquet").exists()
    check_equal_to_full(store, index)
