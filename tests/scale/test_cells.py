"""relscore.scale.cells: an event store's and an index folder's cells give the alerts the
index in memory gives, and the events behind them are those of the files imported."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis.alerts import cell_blocks, index_blocks, scan, with_top_events
from relscore.exceptions import IndexUpdateError, StoreError
from relscore.scale.cells import folder_cells, store_cells, store_events
from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt

KERNELS = [{}, {"window": 30}, {"half_life": 5.0}]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Four years of synthetic GDELT in two files (a store whose months each hold two
    parts), the store's index folder and the same events read into memory."""
    folder = tmp_path_factory.mktemp("cells")
    files = []
    for k, seed in enumerate((3, 3)):
        path = folder / f"part{k}.CSV"
        write_gdelt(
            path, 12_000, n_dyads=24, n_days=1500, start="2015-01-01", seed=seed, first_id=10**9
        )  # the same rows twice: the second file's are duplicates across parts
        files.append(path)
    import_to_store(files[:1], folder / "store")
    import_to_store(files[1:], folder / "store")
    update_index(folder / "store", folder / "index")
    events, _ = relscore.read_gdelt(files[0])
    return folder, relscore.code_events(events)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("series", ["conflict", "tension"])
def test_the_store_and_the_folder_give_the_alerts_of_the_index_in_memory(data, kernel, series):
    folder, coded = data
    index = relscore.tension_index(coded, **kernel)
    want, standing = scan(index_blocks(index, series, **kernel), 40.0, 90, recent_days=60)
    assert len(want) > 20
    from_store = store_cells(folder / "store")
    got = scan(cell_blocks(from_store, series, **kernel), 40.0, 90, recent_days=60)
    pd.testing.assert_frame_equal(got[0], want)
    pd.testing.assert_frame_equal(got[1], standing)
    if not kernel:  # the folder holds the index of the default kernel
        cells, settings = folder_cells(folder / "index")
        assert settings["half_life"] == 14.0 and settings["scheme"] == "magnitude"
        got = scan(cell_blocks(cells, series, **kernel), 40.0, 90, recent_days=60)
        pd.testing.assert_frame_equal(got[0], want)


def test_the_events_behind_an_alert_are_those_read_from_the_files(data):
    folder, coded = data
    index = relscore.tension_index(coded)
    table, _ = scan(index_blocks(index, "conflict", None, None), 40.0, 90)
    table = table.head(8)
    last = table["date"].to_numpy("datetime64[D]").astype(np.int64)
    days = pd.DataFrame({"dyad": table["dyad"], "first": last - 280, "last": last})
    events = store_events(folder / "store", days)
    assert events["file"].unique().tolist() == ["part0.CSV"]  # part1's rows are duplicates
    assert (events["line"] == events["event_id"] - 10**9 + 1).all()  # ids count the lines
    got = with_top_events(table, events)
    want = with_top_events(table, coded)
    for k in (1, 2, 3):
        np.testing.assert_array_equal(got[f"contribution_{k}"], want[f"contribution_{k}"])
    row = got.iloc[0]
    assert row["source_1"].startswith("part0.CSV line ")
    code = row["event_1"].split()[1]
    assert row["event_1"].endswith(relscore.load_codebook().loc[code, "description"])


def test_events_of_no_day_and_of_days_beyond_the_store(data):
    folder, _ = data
    none = store_events(folder / "store", pd.DataFrame({"dyad": [], "first": [], "last": []}))
    assert none.empty and "conflict" in none
    later = pd.DataFrame({"dyad": ["AAA-BBB"], "first": [30_000], "last": [30_001]})
    assert store_events(folder / "store", later).empty


def test_what_is_not_a_store_or_an_index_folder(tmp_path):
    with pytest.raises(StoreError, match="not a relscore event store"):
        store_cells(tmp_path)
    with pytest.raises(IndexUpdateError, match="not an updatable index"):
        folder_cells(tmp_path)
    with pytest.raises(IndexUpdateError, match="is a file"):
        folder_cells(Path(__file__))
