"""``relscore alerts``, and the alerts ``relscore update`` ends with: every input kind, every
error path."""

import shutil

import pandas as pd
import pytest

import relscore
from relscore.analysis.alerts import ALERT_COLUMNS
from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import ROOT, run

EVENTS = sorted((ROOT / "data" / "events").glob("*.csv"))
KEDS, KNOWN = relscore.datasets.validation_files()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Three years of synthetic GDELT in a store, and the store's index folder."""
    folder = tmp_path_factory.mktemp("alerts")
    write_gdelt(folder / "a.CSV", 9_000, n_dyads=12, n_days=1200, start="2016-01-01", seed=5)
    import_to_store([folder / "a.CSV"], folder / "store")
    update_index(folder / "store", folder / "index")
    return folder


def test_the_bundled_files(capsys, tmp_path):
    out_csv = tmp_path / "alerts.csv"
    code, out, err = run(capsys, "alerts", *EVENTS, "-o", out_csv)
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "IND-PAK 2025-04-23: highest in a year, 70.5 (previous record 20.8 on 2025-04-01)"
    )
    assert lines[1].startswith("    +16.0  2025-04-23 163 India closed the Integrated Check Post")
    assert "IRN-PAK 2024-01-17: highest on record, 71.0 (previous record 30.0 on 2017-05-27)" in out
    assert err == (
        "relscore: 3 alert(s) in 3 of 4 dyad(s) (conflict, magnitude, decay, half-life 14 days, "
        f"floor 40, quiet 90 days; read 407 events); wrote them to {out_csv}\n"
    )
    table = pd.read_csv(out_csv)
    assert list(table.columns) == list(ALERT_COLUMNS)
    assert table[["dyad", "date", "level"]].to_numpy().tolist() == [
        ["IND-PAK", "2025-04-23", "1 year"],
        ["IRN-ISR", "2025-06-13", "1 year"],
        ["IRN-PAK", "2024-01-17", "record"],
    ]


def test_since_the_series_the_floor_and_the_scheme(capsys):
    code, out, err = run(capsys, "alerts", *EVENTS, "--since", "2025-05-01")
    assert (
        code == 0 and out.startswith("IRN-ISR 2025-06-13") and "1 alert(s) from 2025-05-01" in err
    )
    code, out, _ = run(capsys, "alerts", *EVENTS, "--series", "tension", "--since", "2024-01-01")
    assert "IRN-PAK 2024-01-17: highest on record, 50.4" in out
    code, out, err = run(capsys, "alerts", *EVENTS, "--floor", "1000")
    assert (code, out) == (0, "no alert\n") and "floor 1000" in err
    code, out, err = run(capsys, "alerts", *EVENTS, "--scheme", "quad", "--quiet-days", "0")
    assert code == 0 and "quad" in err and "floor 4," in err and "quiet 0 days" in err
    code, _, err = run(capsys, "alerts", *EVENTS, "--window", "30", "--directed")
    assert code == 0 and "rolling, 30-day window" in err


def test_the_check_against_known_crises(capsys):
    code, out, _ = run(capsys, "alerts", KEDS, "--known", KNOWN, "--since", "2006-01-01")
    assert code == 0
    assert (
        "  found  IRQ-TUR 1997-05-14 Operation Hammer incursion into northern Iraq -- alert "
        "1997-05-16 (1 year), +2 days\n" in out
    )
    assert "recall: 11 of 26 known crises alerted (42%)" in out
    assert "  all       29 in 66.6 years: 0.44" in out


def test_a_store_and_its_index_folder(capsys, store, tmp_path):
    code, _, err = run(capsys, "alerts", store / "store", "-o", tmp_path / "s.csv")
    assert code == 0 and "dyad-days with events" in err
    from_store = pd.read_csv(tmp_path / "s.csv")
    assert len(from_store) > 5 and from_store["source_1"].str.startswith("a.CSV line ").all()
    code, _, err = run(capsys, "alerts", store / "index", "-o", tmp_path / "i.csv")
    assert code == 0 and "an index folder holds no events" in err
    from_folder = pd.read_csv(tmp_path / "i.csv")
    pd.testing.assert_frame_equal(from_folder.iloc[:, :7], from_store.iloc[:, :7])
    assert from_folder["event_1"].isna().all()


def test_update_ends_with_the_alerts_of_the_days_it_added(capsys, tmp_path):
    write_gdelt(tmp_path / "a.CSV", 6_000, n_dyads=8, n_days=800, start="2016-01-01", seed=2)
    import_to_store([tmp_path / "a.CSV"], tmp_path / "store")
    code, out, _ = run(capsys, "update", tmp_path / "store", tmp_path / "index")
    first = relscore.alerts(relscore.read_index(tmp_path / "index"))
    assert code == 0
    assert out == (
        f"alerts: the new index holds {len(first)}, from 2016-01-01 to 2018-03-10; "
        f"relscore alerts {tmp_path / 'index'} lists them\n"
    )
    write_gdelt(
        tmp_path / "b.CSV",
        600,
        n_dyads=8,
        n_days=40,
        start="2018-03-11",
        seed=2,
        first_id=2 * 10**9,
    )
    import_to_store([tmp_path / "b.CSV"], tmp_path / "store")
    code, out, _ = run(capsys, "update", tmp_path / "store", tmp_path / "index")
    coded = relscore.code_events(relscore.read_gdelt([tmp_path / "a.CSV", tmp_path / "b.CSV"])[0])
    want = relscore.alerts(relscore.tension_index(coded), since="2018-03-11")
    assert code == 0 and len(want) > 0
    assert out.startswith(f"alerts on the days added, 2018-03-11 to 2018-04-19: {len(want)}\n")
    for row in want.itertuples():
        assert f"{row.dyad} {row.date:%Y-%m-%d}: " in out
    assert "(b.CSV line " in out  # the events come from the store
    code, out, _ = run(capsys, "update", tmp_path / "store", tmp_path / "index")
    assert (code, out) == (0, "")  # up to date: nothing added, nothing to say


def test_usage_errors(capsys, store, tmp_path):
    for argv in (
        ["--since", "2024-13-01"],
        ["--since", "0024-01-01"],
        ["--floor", "0"],
        ["--floor", "many"],
        ["--quiet-days", "-1"],
        ["--series", "net"],
        ["--window", "0"],
        ["--window", "7", "--half-life", "3"],
        ["--scheme", "goldstien"],
        ["-o", EVENTS[0]],
        ["--known", KNOWN, "-o", KNOWN],
    ):
        code, _, err = run(capsys, "alerts", *EVENTS, *argv)
        assert code == 2 and err.count("\n") == 1 and err.startswith("relscore alerts: error: "), (
            argv
        )
    code, _, err = run(capsys, "alerts", store / "store", *EVENTS)
    assert code == 2 and "not both" in err
    code, _, err = run(capsys, "alerts", store / "index", "--scheme", "quad", "--window", "3")
    assert code == 2 and "--scheme, --window: an index folder keeps the settings" in err
    code, _, err = run(capsys, "alerts")
    assert code == 2 and err.count("\n") == 1 and "arguments are required" in err


def test_input_errors_are_one_line_each(capsys, store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,actor1,actor2,event_code,description,source\n2024-13-01,IRN,PAK,195,x,y\n")
    code, _, err = run(capsys, "alerts", bad)
    assert code == 1 and err == f"{bad}:2: date: not a date in YYYY-MM-DD form\n"
    code, _, err = run(capsys, "alerts", tmp_path / "missing.csv")
    assert code == 1 and err == f"{tmp_path / 'missing.csv'}:1: (file): no such file\n"
    code, _, err = run(capsys, "alerts", tmp_path)
    assert code == 1 and err.count("\n") == 1 and "neither an event store" in err
    crises = tmp_path / "crises.csv"
    crises.write_text("dyad,start,end,what,source\nIRN-PAK,2024-01-16,2024-01-01,x,y\n")
    code, _, err = run(capsys, "alerts", *EVENTS, "--known", crises)
    assert code == 1 and err == f"{crises}:2: end: 2024-01-01 is before start 2024-01-16\n"
    weights = tmp_path / "w.toml"
    weights.write_text('[weights]\n"999" = -5.0\n')
    code, _, err = run(capsys, "alerts", *EVENTS, "--weights", weights)
    assert code == 1 and err.startswith(f"{weights}:") and "999" in err
    code, _, err = run(capsys, "alerts", *EVENTS, "-o", "/proc/relscore-alerts.csv")
    assert code == 1 and err.startswith("relscore: error: /proc/relscore-alerts.csv: cannot write")


def test_a_damaged_index_folder(capsys, store, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(store / "index", copy)
    month = sorted(copy.glob("*.parquet"))[3]
    month.write_bytes(b"not parquet")
    code, _, err = run(capsys, "alerts", copy)
    assert code == 1 and err.count("\n") == 1 and str(month) in err
