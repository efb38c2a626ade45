"""``relscore crises``: the known-crises check on the command line."""

import pandas as pd

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
