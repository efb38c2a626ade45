"""``relscore crises``: the known-crises check on the command line."""

import io

import pandas as pd
import pytest

import relscore
from relscore.cli.crises import _text as crises_text
from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing import write_gdelt
from tests.conftest import ROOT, run

EVENTS = [ROOT / "data" / "events" / name for name in ("iran_pakistan.csv", "iran_israel.csv")]


def known(tmp_path, *rows):
    path = tmp_path / "known.csv"
    path.write_text("dyad,start,end,what,source\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_found_missed_recall_and_the_unlisted_top_episodes(capsys, tmp_path):
    path = known(
        tmp_path,
        "PAK-IRN,2024-01-16,2024-01-29,missile strikes both ways,seed",
        "IRN-PAK,1950-06-01,1950-06-30,no such crisis,nowhere",
    )
    code, out, err = run(capsys, "crises", *EVENTS, "--known", path, "-o", tmp_path / "c.csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("found  IRN-PAK 2024-01-16 missile strikes both ways -- ")
    assert "episode rank 1 of 5 read, peak 2024-01-18, +2 days from the start" in lines[0]
    assert lines[1].startswith("missed IRN-PAK 1950-06-01 no such crisis -- no episode")
    assert lines[2] == "recall: 1 of 2 known crises found (50%)"
    assert lines[3].startswith("top episodes that match no listed crisis (4):")
    assert "IRN-PAK rank 2: peak 2017-05-27" in out and "IRN-ISR" not in out  # not listed
    table = pd.read_csv(tmp_path / "c.csv")
    assert table["status"].tolist() == ["found", "missed"] + ["unlisted"] * 4
    assert err == f"relscore: wrote 6 rows to {tmp_path / 'c.csv'}\n"


def test_the_weights_options_change_the_reading(capsys, tmp_path):
    path = known(tmp_path, "IRN-PAK,2017-05-27,2017-05-27,mortar fire,seed")
    code, out, _ = run(capsys, "crises", *EVENTS, "--known", path, "--scheme", "quad")
    assert code == 0 and "recall: " in out


def test_a_bad_known_file_is_named_by_line_and_a_missing_one_is_a_usage_error(capsys, tmp_path):
    path = known(tmp_path, "IRN-PAK,2024-13-01,2024-01-29,x,y")
    code, _, err = run(capsys, "crises", *EVENTS, "--known", path)
    assert code == 1 and err.startswith(f"{path}:2: start: not a date")
    code, _, err = run(capsys, "crises", *EVENTS)
    assert code == 2 and "--known" in err and err.count("\n") == 1
    code, _, err = run(capsys, "crises", *EVENTS, "--known", path, "-o", EVENTS[0])
    assert code == 2 and "would overwrite" in err


# --- an index folder ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Index folders of 30 synthetic dyads over 200 days: undirected and directed."""
    tmp = tmp_path_factory.mktemp("crises")
    write_gdelt(tmp / "a.CSV", 3000, n_dyads=30, n_codes=250, n_days=200, start="2024-01-10")
    import_to_store([tmp / "a.CSV"], tmp / "store")
    update_index(tmp / "store", tmp / "index")
    update_index(tmp / "store", tmp / "directed", directed=True)
    return tmp / "index", tmp / "directed"


def test_an_index_folder_is_checked_as_its_whole_index_would_be(folders, capsys, tmp_path):
    index, _ = folders
    every = relscore.episodes(relscore.read_index(index))
    top = every[every["rank"] == 1].iloc[0]  # a crisis at a top episode's peak is found
    rows = [
        f"{top['dyad']},{top['peak_date']:%Y-%m-%d},{top['peak_date']:%Y-%m-%d},a peak,test",
        f"{top['dyad']},2030-01-10,2030-01-10,after every event,test",
        "AAA-ZZZ,2024-03-01,2024-03-02,a dyad the folder does not hold,test",
    ]
    path = known(tmp_path, *rows)
    code, out, err = run(capsys, "crises", index, "--known", path, "-o", tmp_path / "c.csv")
    check = relscore.known_crises(every, relscore.read_crises(path))
    assert code == 0 and err == f"relscore: wrote {len(check)} rows to {tmp_path / 'c.csv'}\n"
    assert out == crises_text(check) + "\n"
    assert out.splitlines()[0].startswith(f"found  {top['dyad']} ")
    assert out.splitlines()[3] == "recall: 1 of 3 known crises found (33%)"
    written = pd.read_csv(tmp_path / "c.csv")
    assert len(written) > 3 and written["status"].tolist()[:3] == ["found", "missed", "missed"]
    pd.testing.assert_frame_equal(written, pd.read_csv(io.StringIO(check.to_csv(index=False))))


@pytest.mark.parametrize(
    "option", [["--window", "7"], ["--half-life", "7"], ["--scheme", "quad"], ["--weights", "w"]]
)
def test_an_index_folder_refuses_other_settings(folders, capsys, tmp_path, option):
    path = known(tmp_path, "IRN-PAK,2024-01-16,2024-01-29,x,y")
    code, _, err = run(capsys, "crises", folders[0], "--known", path, *option)
    assert code == 2 and err.count("\n") == 1
    assert f"{option[0]}: an index folder was computed with its own settings; drop it" in err


def test_a_directed_index_folder_is_one_clear_error(folders, capsys, tmp_path):
    path = known(tmp_path, "IRN-PAK,2024-01-16,2024-01-29,x,y")
    code, out, err = run(capsys, "crises", folders[1], "--known", path)
    assert code == 1 and out == ""
    assert err == (
        f"relscore: error: {folders[1]}: an index of directed dyads (A>B); known crises name "
        "undirected dyads: check them against an index computed without --directed\n"
    )
