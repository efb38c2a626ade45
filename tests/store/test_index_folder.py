"""A month of an index folder is its file with its patches laid over it, in order; a patch
that names a dyad or a day the month does not hold, or cannot be read, is one error naming
it."""

import numpy as np
import pyarrow as pa
import pytest

from relscore.exceptions import IndexUpdateError
from relscore.store.index_folder import (
    GRID_COLUMNS,
    month_table,
    patch_name,
    patch_table,
    read_index_month,
    write_month_file,
)
from relscore.vocabulary import day_number

LABELS = np.array(["AFG-PAK", "IND-PAK", "IRN-PAK"], object)
JAN = day_number("2024-01-01")


@pytest.fixture
def folder(tmp_path):
    """A January of three dyads x 31 days: n_events 1, the floats the day of the month."""
    day = np.tile(np.arange(1.0, 32.0), (3, 1))
    grids = {c: np.ones((3, 31), np.int64) if c == "n_events" else day.copy() for c in GRID_COLUMNS}
    write_month_file(tmp_path / "2024-01.parquet", month_table(pa.array(LABELS), JAN, grids))
    return tmp_path


def manifest(*patches):
    return {"dyads": list(LABELS), "patches": {"2024-01": [[p, 0] for p in patches]}}


def test_patches_apply_in_order_and_a_null_keeps_the_value_under_it(folder):
    first = patch_table(
        LABELS,
        np.array([2, 2]),
        np.array([JAN + 4, JAN + 5]),
        {"tension": np.array([50.0, 60.0]), "net": np.array([-1.0, np.nan])},
    )
    second = patch_table(LABELS, np.array([2]), np.array([JAN + 5]), {"tension": np.array([7.0])})
    write_month_file(folder / patch_name("2024-01", 1), first)
    write_month_file(folder / patch_name("2024-01", 2), second)
    labels, first_day, grids = read_index_month(
        folder, manifest(*(patch_name("2024-01", k) for k in (1, 2))), "2024-01"
    )
    assert list(labels) == list(LABELS) and first_day == JAN
    assert grids["tension"][2, 3:7].tolist() == [4.0, 50.0, 7.0, 7.0]
    assert grids["net"][2, 3:7].tolist() == [4.0, -1.0, 6.0, 7.0]  # NaN written as null: kept
    assert grids["tension"][:2, 4].tolist() == [5.0, 5.0]  # other dyads untouched
    assert grids["n_events"][2].tolist() == [1] * 31  # a column the patches leave out
    unpatched = read_index_month(folder, manifest(), "2024-01")[2]
    assert unpatched["tension"][2, 4] == 5.0


@pytest.mark.parametrize(
    ("labels", "day"),
    [(np.array(["AFG-PAK", "ISR-PSE"], object), JAN), (LABELS, JAN + 31), (LABELS, JAN - 1)],
    ids=["a dyad of no month", "a day after", "a day before"],
)
def test_a_patch_of_another_dyad_or_day_is_refused(folder, labels, day):
    bad = patch_table(labels, np.array([1]), np.array([day]), {"tension": np.array([1.0])})
    write_month_file(folder / "2024-01.patch1.parquet", bad)
    with pytest.raises(IndexUpdateError, match=r"2024-01\.patch1\.parquet: holds a dyad or day"):
        read_index_month(folder, manifest("2024-01.patch1.parquet"), "2024-01")


def test_a_patch_that_cannot_be_read(folder):
    (folder / "2024-01.patch1.parquet").write_bytes(b"not parquet")
    with pytest.raises(IndexUpdateError, match=r"2024-01\.patch1\.parquet: cannot be read"):
        read_index_month(folder, manifest("2024-01.patch1.parquet"), "2024-01")
