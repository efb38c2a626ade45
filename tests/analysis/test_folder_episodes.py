"""relscore.analysis.folder_episodes: every dyad of an index folder, block by block."""

import pandas as pd
import pytest

import relscore
from relscore.analysis.folder_episodes import BYTES_PER_DYAD_DAY, folder_episodes
from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing import write_gdelt
from tests.conftest import run


@pytest.fixture(scope="module", params=[{}, {"window": 30}], ids=["decay", "window30"])
def folder(request, tmp_path_factory):
    """An index folder of 40 dyads over 200 days, and its kernel."""
    tmp = tmp_path_factory.mktemp("folder")
    write_gdelt(tmp / "a.CSV", 4000, n_dyads=40, n_codes=250, n_days=200, start="2024-01-10")
    import_to_store([tmp / "a.CSV"], tmp / "store")
    update_index(tmp / "store", tmp / "index", **request.param)
    return tmp / "index", request.param


@pytest.mark.parametrize("block", [None, 1, 7])
def test_every_dyads_episodes_as_from_the_whole_index(folder, block):
    index, kernel = folder
    expected = relscore.episodes(relscore.read_index(index), **kernel)
    got = folder_episodes(index, block_dyads=block)
    assert len(got) > 40  # most dyads have episodes
    pd.testing.assert_frame_equal(got, expected)


def test_only_the_dyads_asked_for_are_read(folder):
    index, _ = folder
    every = folder_episodes(index)
    some = sorted(every["dyad"].unique())[3:6]
    got = folder_episodes(index, dyads=[some[2], "AAA-ZZZ", some[0], some[1]])
    expected = every[every["dyad"].isin(some)].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert folder_episodes(index, dyads=["AAA-ZZZ"]).empty  # a dyad it does not hold


def test_the_budget_picks_the_block_and_stops_a_run_that_cannot_fit(folder):
    index, _ = folder
    n_days = 200 + 1  # the calendar from the first to the last event's day, about
    with pytest.raises(relscore.BudgetError, match="episodes of one dyad over"):
        folder_episodes(index, max_memory=10)
    small = folder_episodes(index, max_memory=3 * (n_days + 10) * BYTES_PER_DYAD_DAY)
    pd.testing.assert_frame_equal(small, folder_episodes(index))


def test_not_an_index_folder_is_one_clear_error(tmp_path):
    with pytest.raises(relscore.IndexUpdateError, match="not an updatable index"):
        folder_episodes(tmp_path)


def test_the_episodes_command_reads_an_index_folder(folder, capsys, tmp_path):
    index, _ = folder
    out = tmp_path / "episodes.csv"
    code, _, err = run(capsys, "episodes", index, "-o", out)
    assert code == 0
    table = pd.read_csv(out)
    expected = folder_episodes(index)
    assert len(table) == len(expected) and table["peak"].is_monotonic_decreasing
    assert f"{len(expected)} episode(s) of {expected['dyad'].nunique()} dyad(s)" in err
    for option in (["--half-life", "7"], ["--scheme", "goldstein"], ["--weights", "w.toml"]):
        code, _, err = run(capsys, "episodes", index, *option)
        assert code == 2 and f"{option[0]}: an index folder was computed with its own" in err


def test_the_episodes_command_reads_one_dyad_of_an_index_folder(folder, capsys, tmp_path):
    index, _ = folder
    every = folder_episodes(index)
    dyad = every["dyad"].iloc[0]
    code, _, err = run(capsys, "episodes", index, "--dyad", dyad, "-o", tmp_path / "one.csv")
    table = pd.read_csv(tmp_path / "one.csv", parse_dates=["start", "peak_date", "end"])
    assert code == 0 and set(table["dyad"]) == {dyad}
    assert len(table) == (every["dyad"] == dyad).sum() and table["peak"].is_monotonic_decreasing
    code, _, err = run(capsys, "episodes", index, "--dyad", "AAA-ZZZ")
    assert code == 1 and err.startswith("relscore: error: no events for dyad AAA-ZZZ (dyads in")
