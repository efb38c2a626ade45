"""The GDELT importer, on fixtures cut from a real GDELT 2.0 export (tests/fixtures/README.md).

Hand counts for ``gdelt2_61col.tsv`` (sample lines 261-300, all dated 2019-10-24):
23 rows lack a country code, 3 have the region AFR (lines 1-3), 4 are one country on both
sides (ARE-ARE, ARE-ARE, ARM-ARM, ARM-ARM); the 10 others are
ALB>ITA 026 x3 (one URL), ARE>ESP 086 x2 (one URL) + x3 (another URL), ARE>USA 036 and
AUS>GBR 036. So one-a-day keeps 4 (6 duplicates), source-url 5 (5), none 10.
"""

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import relscore
from relscore.analysis.dedupe import compare_dedupe
from relscore.cli import main
from relscore.coding import scale_by_coverage
from relscore.importers import DEDUPE_MODES, SKIP_REASONS, EventFileError, import_gdelt, read_gdelt
from relscore.importers.tsv import read_blocks
from tests.conftest import FIXTURES, GDELT_SAMPLE, run

LAYOUTS = {n: FIXTURES / f"gdelt{1 if n < 61 else 2}_{n}col.tsv" for n in (57, 58, 61)}
MIXED = FIXTURES / "gdelt_mixed_layouts.tsv"
ICEWS = FIXTURES / "icews_events_2018.tab"
SAMPLE = GDELT_SAMPLE
SKIPS_40 = {"no country": 23, "regional actor": 3, "same country": 4}
SKIPS_MIXED = {
    "wrong number of columns": 2,
    "bad event id": 1,
    "bad date": 1,
    "unknown event code": 1,
    "no country": 17,
    "regional actor": 2,
    "same country": 4,
}


def counts(tally):
    return tally.read, tally.kept, tally.duplicates, dict(tally.skipped)


def n_rows(path: Path) -> int:
    """Rows in a plain file, counted the slow obvious way: non-blank lines."""
    return sum(1 for line in path.read_bytes().split(b"\n") if line.strip(b"\r"))


@pytest.mark.parametrize("layout", [57, 58, 61])
def test_each_layout_gives_the_same_events(layout):
    events, tally = read_gdelt(LAYOUTS[layout])
    assert counts(tally) == (40, 4, 6, SKIPS_40)
    assert events["event_id"].tolist() == [
        "gdelt-881991096",  # ALB>ITA 026, lines 5-7
        "gdelt-881991104",  # ARE>ESP 086, lines 13-17
        "gdelt-881991116",  # ARE>USA 036, line 25
        "gdelt-881991131",  # AUS>GBR 036, line 40
    ]
    assert events["event_code"].tolist() == ["026", "086", "036", "036"]  # zeros kept
    assert events["date"].eq(pd.Timestamp("2019-10-24")).all()
    assert events["origin_line"].tolist() == [5, 13, 25, 40]
    assert events["num_mentions"].tolist() == [2, 4, 4, 4]  # NumMentions, column 31
    assert events["description"].iloc[0] == "ALB to ITA: Appeal to others to meet or negotiate"


def test_the_57_column_layout_has_no_url_so_the_source_names_the_line():
    events, _ = read_gdelt(LAYOUTS[57])
    assert events["source"].iloc[0] == f"GDELT {LAYOUTS[57]}:5"
    events, _ = read_gdelt(LAYOUTS[61])
    assert events["source"].iloc[0].startswith("https://vestnikkavkaza.net/analysis/")


@pytest.mark.parametrize(
    ("path", "mode", "kept", "duplicates"),
    [
        (LAYOUTS[61], "none", 10, 0),
        (LAYOUTS[61], "one-a-day", 4, 6),
        (LAYOUTS[61], "source-url", 5, 5),
        (LAYOUTS[57], "source-url", 4, 6),  # no URLs: one-a-day among themselves
        # mixed: AUS 030 | AUS 036 x2 | BEL | CAN | CHN 043 x2 | ESP 051 x3 | FRA; the second
        # AUS 036, CHN 043 and ESP 051 rows are 57-column (no URL), the first ESP two share one.
        (MIXED, "none", 11, 0),
        (MIXED, "one-a-day", 7, 4),
        (MIXED, "source-url", 10, 1),
    ],
)
def test_dedupe_modes_match_the_hand_counts(path, mode, kept, duplicates):
    _, tally = read_gdelt(path, dedupe=mode)
    assert (tally.kept, tally.duplicates) == (kept, duplicates)


def test_a_mixed_file_is_read_row_by_row(tmp_path):
    out, skipped = tmp_path / "events.csv", tmp_path / "skipped.csv"
    tally = import_gdelt(MIXED, out, skipped=skipped)
    assert counts(tally) == (39, 7, 4, SKIPS_MIXED)
    rows = pd.read_csv(skipped, dtype={"row": str})
    assert rows.columns.tolist() == ["file", "line", "reason", "row"]
    assert len(rows) == 28 and rows["file"].eq(str(MIXED)).all()
    malformed = rows[~rows["reason"].isin(["no country", "regional actor", "same country"])]
    assert malformed[["line", "reason"]].to_numpy().tolist() == [
        [5, "bad date"],
        [8, "unknown event code"],
        [13, "bad event id"],  # line 11 is blank, so row 12 is on line 13
        [21, "wrong number of columns"],  # rows 20 and 21 run together
        [40, "wrong number of columns"],  # truncated, no final newline
    ]
    assert malformed["row"].iloc[-1] == "\t".join(MIXED.read_text().splitlines()[-1].split("\t"))
    assert not rows["row"].str.endswith("\r").any()  # line 3 ends with CRLF
    events = pd.read_csv(out, dtype=str)
    assert events["origin_line"].tolist() == ["16", "17", "19", "20", "22", "30", "35"]


@pytest.mark.parametrize("path", [*LAYOUTS.values(), MIXED, SAMPLE], ids=lambda p: p.stem)
@pytest.mark.parametrize("mode", ["none", "one-a-day", "source-url"])
def test_every_row_is_accounted_for(path, mode):
    _, tally = read_gdelt(path, dedupe=mode)
    assert tally.read == n_rows(path)
    assert tally.read == tally.kept + tally.duplicates + tally.n_skipped
    assert set(tally.skipped) <= set(SKIP_REASONS)


def test_the_real_sample_by_reason():
    _, tally = read_gdelt(SAMPLE)
    assert tally.lines() == [
        "read=2111 kept=242 duplicates=180 skipped=1689",
        "  no country: 1521",
        "  regional actor: 47",  # AFR, EUR, SAF
        "  same country: 121",
    ]


def test_block_size_changes_nothing():
    whole, tally = read_gdelt(MIXED, dedupe="source-url")
    small, small_tally = read_gdelt(MIXED, dedupe="source-url", chunk_bytes=700)
    pd.testing.assert_frame_equal(whole, small)
    assert counts(tally) == counts(small_tally)
    with MIXED.open("rb") as stream:
        assert len(list(read_blocks(stream, 700))) > 5  # really in several blocks


def test_zip_and_gzip_read_like_the_plain_file(tmp_path):
    plain, _ = read_gdelt(MIXED)
    zipped = tmp_path / "20191024.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(MIXED, "20191024.export.CSV")
    gzipped = tmp_path / "20191024.export.CSV.gz"
    gzipped.write_bytes(gzip.compress(MIXED.read_bytes()))
    for path, name in [(zipped, f"{zipped}/20191024.export.CSV"), (gzipped, str(gzipped))]:
        events, tally = read_gdelt(path)
        assert counts(tally) == (39, 7, 4, SKIPS_MIXED)
        assert events["origin_file"].eq(name).all()
        assert events["source"].iloc[-1] == f"GDELT {name}:35"  # a 57-column row: no URL
        named = ["origin_file", "source"]
        pd.testing.assert_frame_equal(events.drop(columns=named), plain.drop(columns=named))


def test_a_file_read_twice_is_all_duplicates():
    _, tally = read_gdelt([LAYOUTS[61], LAYOUTS[61]], dedupe="none")
    assert counts(tally) == (80, 10, 10, {k: 2 * v for k, v in SKIPS_40.items()})


def test_dates_and_dyad_filters_are_skip_reasons():
    _, tally = read_gdelt(LAYOUTS[61], dyad="ESP-ARE")
    assert (tally.kept, tally.duplicates, tally.skipped["not the --dyad"]) == (1, 4, 5)
    _, tally = read_gdelt(LAYOUTS[61], dyad="ESP>ARE")
    assert (tally.kept, tally.skipped["not the --dyad"]) == (0, 10)
    _, tally = read_gdelt(LAYOUTS[61], since="2019-10-25")
    assert (tally.kept, tally.skipped["outside --since/--until"]) == (0, 10)
    _, tally = read_gdelt(LAYOUTS[61], since="2019-10-24", until="2019-10-24")
    assert (tally.kept, tally.n_skipped) == (4, 30)


@pytest.mark.parametrize("not_gdelt", [ICEWS, "text"])
def test_a_file_that_is_not_gdelt_is_an_error_naming_it(tmp_path, not_gdelt):
    if not_gdelt == "text":
        not_gdelt = tmp_path / "notes.txt"
        not_gdelt.write_text("just\tsome\ttext\nand more\n")
    with pytest.raises(EventFileError, match=f"^{not_gdelt}: not a GDELT events file"):
        read_gdelt([LAYOUTS[61], not_gdelt])


def test_an_empty_file_imports_nothing(tmp_path):
    empty = tmp_path / "empty.CSV"
    empty.write_bytes(b"")
    events, tally = read_gdelt(empty)
    assert len(events) == 0 and counts(tally) == (0, 0, 0, {})
    assert list(events.columns[:7]) == ["event_id", *relscore.readers.events.REQUIRED_COLUMNS]


def test_cli_import_validate_index(capsys, tmp_path):
    out, skipped = tmp_path / "gdelt.csv", tmp_path / "skipped.csv"
    code, _, err = run(capsys, "import", "gdelt", MIXED, "-o", out, "--skipped", skipped)
    assert code == 0
    assert err.splitlines() == [
        "read=39 kept=7 duplicates=4 skipped=28",
        "  wrong number of columns: 2",
        "  bad event id: 1",
        "  bad date: 1",
        "  unknown event code: 1",
        "  no country: 17",
        "  regional actor: 2",
        "  same country: 4",
        f"relscore: wrote 7 events to {out}",
    ]
    assert len(pd.read_csv(skipped)) == 28
    code, stdout, _ = run(capsys, "validate", out)
    assert code == 0 and stdout.startswith("ok: 7 events")
    index_path = tmp_path / "index.csv"
    code, _, err = run(capsys, "index", out, "--scheme", "goldstein", "-o", index_path)
    assert code == 0 and "scored 7 events" in err
    index = pd.read_csv(index_path)
    assert index["dyad"].unique().tolist() == [
        "AUS-GBR",
        "BEL-GBR",
        "CAN-GBR",
        "CHN-GBR",
        "ESP-GBR",
        "FRA-GBR",
    ]
    assert index["n_events"].sum() == 7


def test_cli_import_with_dyad_and_dates(capsys, tmp_path):
    out = tmp_path / "are_esp.csv"
    argv = ["import", "gdelt", LAYOUTS[61], "-o", out, "--dyad", "ARE-ESP", "--dedupe", "none"]
    code, _, err = run(capsys, *argv, "--since", "2019-10-01", "--until", "2019-10-31")
    assert code == 0 and err.splitlines()[0] == "read=40 kept=5 duplicates=0 skipped=35"
    events = relscore.read_events(out)
    assert events["actor1"].eq("ARE").all() and events["actor2"].eq("ESP").all()


def test_cli_a_wrong_file_exits_1_and_writes_nothing(capsys, tmp_path):
    out = tmp_path / "events.csv"
    out.write_text("old\n")
    code, _, err = run(capsys, "import", "gdelt", LAYOUTS[61], ICEWS, "-o", out)
    assert code == 1 and err.startswith(f"relscore: error: {ICEWS}: not a GDELT events file")
    assert out.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["events.csv"]
    code, _, err = run(capsys, "import", "gdelt", tmp_path / "missing.CSV", "-o", out)
    assert code == 1 and err == f"relscore: error: {tmp_path / 'missing.CSV'}: no such file\n"


@pytest.mark.parametrize(
    "options",
    [
        ["--dyad", "IRAN-PAKISTAN"],
        ["--dyad", "IRN-IRN"],
        ["--dedupe", "twice-a-day"],
        ["--since", "yesterday-ish"],
        ["--since", "2019-10-25", "--until", "2019-10-24"],
        [],  # -o is required
    ],
)
def test_cli_bad_options_are_usage_errors(capsys, tmp_path, options):
    argv = ["import", "gdelt", str(LAYOUTS[61]), *options]
    if options:
        argv += ["-o", str(tmp_path / "out.csv")]
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2 and not (tmp_path / "out.csv").exists()


def test_index_weight_by_coverage_scales_each_event(capsys, tmp_path):
    out = tmp_path / "gdelt.csv"
    import_gdelt(LAYOUTS[61], out)
    plain, weighted = tmp_path / "plain.csv", tmp_path / "weighted.csv"
    base = ["index", out, "--scheme", "goldstein", "--dyad", "ARE-ESP"]
    assert run(capsys, *base, "-o", plain)[0] == 0
    assert run(capsys, *base, "--weight-by", "num_articles", "-o", weighted)[0] == 0
    # One ARE>ESP 086 event (Goldstein +9), found in 4 articles.
    assert pd.read_csv(plain)["cooperation"].tolist() == [9.0]
    assert pd.read_csv(weighted)["cooperation"].tolist() == [36.0]


def test_index_weight_by_a_missing_column_names_the_file(capsys, tmp_path, write_events):
    hand = write_events("a,2024-01-16,IRN,PAK,195,Strike.,seed,,,")
    code, _, err = run(capsys, "index", hand, "--weight-by", "num_mentions")
    assert code == 1
    assert err == f"{hand}:1: num_mentions: no such column (needed to weight by coverage)\n"


def test_scale_by_coverage_flags_bad_counts():
    coded = pd.DataFrame(
        {
            "conflict": [1.0, 2.0, 0.0],
            "cooperation": [0.0, 0.0, 3.0],
            "num_mentions": ["2", "", "-1"],
            "file": "f.csv",
            "line": [2, 3, 4],
        }
    )
    with pytest.raises(relscore.exceptions.ProblemsError) as info:
        scale_by_coverage(coded, "num_mentions")
    assert [str(p) for p in info.value.problems] == [
        "f.csv:3: num_mentions: not a count >= 0",
        "f.csv:4: num_mentions: not a count >= 0",
    ]
    scaled = scale_by_coverage(coded.iloc[:1], "num_mentions")
    assert scaled[["conflict", "cooperation"]].to_numpy().tolist() == [[2.0, 0.0]]


def test_compare_dedupe_reads_each_mode_and_keeps_every_dyad():
    tension, counts = compare_dedupe(read_gdelt, SAMPLE, "2019-10-24", half_life=14)
    assert list(tension.columns) == list(DEDUPE_MODES)
    assert counts.loc["one-a-day"].tolist() == [242, 180, 1689]  # the hand-checked tally
    assert (counts.sum(axis=1) == 2111).all()  # every row read, in every mode
    dyads = set()
    for mode in DEDUPE_MODES:
        events, _ = read_gdelt(SAMPLE, dedupe=mode)
        index = relscore.tension_index(relscore.code_events(events), half_life=14)
        day = index[index["date"] == "2019-10-24"].set_index("dyad")["tension"]
        pd.testing.assert_series_equal(tension.loc[day.index, mode], day, check_names=False)
        assert (tension.loc[~tension.index.isin(day.index), mode] == 0).all()
        dyads |= set(day.index)
    assert set(tension.index) == dyads  # a dyad seen under any mode, once
    assert tension.index.is_unique
