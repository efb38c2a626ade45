"""``relscore watch``: a folder of events files, files, an event store; every error path."""

import re

import pytest

from relscore.scale.update import update_index
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import ROOT, run

FOLDER = ROOT / "data" / "events"
EVENTS = sorted(FOLDER.glob("*.csv"))


def whats(page: str) -> list[str]:
    """Each entry's dyad and its line of words."""
    return re.findall(r'data-dyad="([^"]+)">.*?<p class="what">(.*?)</p>', page, re.DOTALL)


def test_a_folder_of_events_files_with_its_explorers(capsys, tmp_path):
    out = tmp_path / "site" / "watch.html"
    code, _, err = run(capsys, "watch", FOLDER, "-o", out, "--days", "365", "--explorers")
    assert code == 0
    assert err == (
        f"relscore: wrote {out} ({out.stat().st_size:,} bytes): read 407 events; wrote 3 "
        "explorer(s) beside it\n"
    )
    page = out.read_text(encoding="utf-8")
    assert [d for d, _ in whats(page)] == ["IND-PAK", "IRN-ISR", "IRN-ISR", "IND-PAK", "IRN-PAK"]
    for name in ("explore_ind_pak.html", "explore_irn_isr.html", "explore_irn_pak.html"):
        assert (out.parent / name).is_file() and f'href="{name}"' in page
    code, _, _ = run(capsys, "watch", *EVENTS, "-o", tmp_path / "again.html", "--days", "365")
    assert code == 0
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert whats(again) == whats(page) and 'class="explorer"' not in again


def test_options(capsys, tmp_path):
    out = tmp_path / "w.html"
    argv = ["--days", "730", "--top", "1", "--title", "Mine", "--floor", "60", "--quiet-days", "0"]
    code, _, _ = run(capsys, "watch", *EVENTS, "-o", out, *argv)
    page = out.read_text(encoding="utf-8")
    assert code == 0 and "<h1>Mine</h1>" in page and "floor 60 points; quiet 0 days" in page
    assert len(re.findall('class="dyad highest"', page)) == 1
    # Without a quiet period every new high speaks: 20 alerts, not 3.
    assert "<h2>Alerted in the last 730 days: 20</h2>" in page
    code, _, _ = run(capsys, "watch", *EVENTS, "-o", out, "--series", "tension", "--window", "30")
    assert code == 0 and "series: tension (rolling, 30-day window)" in out.read_text()


def test_an_event_store(capsys, tmp_path):
    write_gdelt(tmp_path / "a.CSV", 9_000, n_dyads=12, n_days=1200, start="2016-01-01", seed=5)
    import_to_store([tmp_path / "a.CSV"], tmp_path / "store")
    code, _, err = run(
        capsys, "watch", tmp_path / "store", "-o", tmp_path / "w.html", "--days", "90"
    )
    assert code == 0 and "dyad-days" in err
    page = (tmp_path / "w.html").read_text(encoding="utf-8")
    assert "Data: the event store store: " in page and "(a.CSV line " in page
    update_index(tmp_path / "store", tmp_path / "index")
    code, _, err = run(capsys, "watch", tmp_path / "index", "-o", tmp_path / "x.html")
    assert code == 2 and "is an index folder, which holds no events" in err
    code, _, err = run(
        capsys, "watch", tmp_path / "store", "-o", tmp_path / "x.html", "--explorers"
    )
    assert code == 2 and "--explorers needs events files" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],  # no -o
        ["-o", "w.html", "--days", "0"],
        ["-o", "w.html", "--top", "-1"],
        ["-o", "w.html", "--floor", "-3"],
        ["-o", "w.html", "--series", "both"],
        ["-o", "w.html", "--window", "2", "--half-life", "3"],
        ["-o", str(EVENTS[0])],
    ],
)
def test_usage_errors(capsys, argv):
    code, _, err = run(capsys, "watch", *EVENTS, *argv)
    assert code == 2 and err.count("\n") == 1 and err.startswith("relscore watch: error: ")


def test_input_errors(capsys, tmp_path):
    code, _, err = run(capsys, "watch", FOLDER, EVENTS[0], "-o", tmp_path / "w.html")
    assert code == 2 and "give one folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "watch", empty, "-o", tmp_path / "w.html")
    assert (code, err) == (1, f"relscore: error: {empty}: no events files (*.csv) in it, and not "
                           "an event store (relscore import --to-parquet)\n")  # fmt: skip
    header = tmp_path / "header.csv"
    header.write_text("date,actor1,actor2,event_code,description,source\n")
    code, _, err = run(capsys, "watch", header, "-o", tmp_path / "w.html")
    assert (code, err) == (1, f"relscore: error: {header}: no events to watch\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,actor1,actor2,event_code,description,source\n2024-01-01,IRN,XXX,195,x,y\n")
    code, _, err = run(capsys, "watch", bad, "-o", tmp_path / "w.html")
    assert code == 1 and err.startswith(f"{bad}:2: actor2: ") and err.count("\n") == 1
    assert not (tmp_path / "w.html").exists()
