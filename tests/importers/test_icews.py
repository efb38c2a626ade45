"""The ICEWS importer, on a fixture cut from the real ICEWS 2018 sample (tests/fixtures/README.md).

Hand counts for ``icews_events_2018.tab`` (47 rows, all dated 2018-06-01): 7 rows have one
country on both sides (lines 4, 7, 15, 17, 18, 19, 27), 1 has ``NA`` for a country (line 46)
and 1 the unmatched name "Kosovo" (line 48); of the 38 others, 4 repeat an earlier row's
date, actors and code -- and story: lines 30 and 31 (India-Pakistan 030), 40 (Greece >
Macedonia 010) and 45 (Palestine > Israel 010). So one-a-day and source-url keep 34, none 38.
"""

import zipfile

import pandas as pd
import pytest

import relscore
from relscore.importers import EventFileError, import_icews, read_icews
from relscore.importers.countries import iso3_of_name
from tests.conftest import FIXTURES, run

FIXTURE = FIXTURES / "icews_events_2018.tab"
GDELT = FIXTURES / "gdelt2_61col.tsv"
SKIPS = {"same country": 7, "no country": 1, "not an ISO 3166 country": 1}


@pytest.mark.parametrize(("mode", "kept"), [("none", 38), ("one-a-day", 34), ("source-url", 34)])
def test_dedupe_modes_and_row_accounting(mode, kept):
    _, tally = read_icews(FIXTURE, dedupe=mode)
    assert (tally.read, tally.kept, tally.duplicates, dict(tally.skipped)) == (
        47,
        kept,
        38 - kept,
        SKIPS,
    )
    assert tally.read == tally.kept + tally.duplicates + tally.n_skipped


def test_unmatched_names_are_listed():
    _, tally = read_icews(FIXTURE)
    assert dict(tally.unmatched) == {"Kosovo": 1}
    assert tally.lines()[-1] == "  unmatched country names: Kosovo (1)"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Iran", "IRN"),  # pycountry's common name
        ("Russian Federation", "RUS"),  # pycountry's name
        ("North Korea", "PRK"),
        ("south korea", "KOR"),  # any case
        ("Turkey", "TUR"),  # the aliases: names of the sample pycountry misses
        ("Occupied Palestinian Territory", "PSE"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("Cote d'Ivoire", "CIV"),
        ("Democratic Republic of Congo", "COD"),
        ("Swaziland", "SWZ"),
        ("Holy See", "VAT"),
        ("Kosovo", None),  # no ISO 3166-1 code
        ("NA", None),  # a code is not a name: not Namibia
        ("IR", None),
    ],
)
def test_country_names_to_iso3(name, iso3):
    assert iso3_of_name(name) == iso3


def test_events_carry_codes_intensity_and_names():
    events, _ = read_icews(FIXTURE)
    first = events.iloc[0]
    assert (first["event_id"], first["actor1"], first["actor2"], first["event_code"]) == (
        "icews-32889836",
        "BGD",
        "VNM",
        "040",
    )
    assert first["intensity"] == 1.0 and first["story_id"] == "47400351"
    assert first["actor1_name"] == "Foreign Affairs (Bangladesh)"
    assert first["source"] == f"ICEWS {FIXTURE}:2"
    pairs = set(zip(events["actor1"], events["actor2"], strict=True))
    assert {("COD", "KEN"), ("CHN", "SWZ"), ("TUR", "GEO"), ("GRC", "MKD"), ("PSE", "ISR")} <= pairs
    assert ("GBR", "CIV") in pairs
    # lines 41, 43 and 44 (line 45 repeats line 43): 145, 010, 141
    assert events.loc[events["actor1"].eq("PSE"), "intensity"].tolist() == [-7.5, 0.0, -6.5]


def test_a_row_with_the_wrong_number_of_fields_is_skipped(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit("\t", 3)[0]  # drop the last three fields of line 2
    broken = tmp_path / "events.2018.tab"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skipped = tmp_path / "skipped.csv"
    tally = import_icews(broken, tmp_path / "out.csv", skipped=skipped)
    assert tally.skipped["wrong number of columns"] == 1 and tally.read == 47
    rows = pd.read_csv(skipped)
    assert rows.loc[rows["reason"].eq("wrong number of columns"), "line"].tolist() == [2]


def test_zipped_input(tmp_path):
    zipped = tmp_path / "events.2018.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURE, "events.2018.tab")
    events, tally = read_icews(zipped)
    assert (tally.read, tally.kept) == (47, 34)
    assert events["origin_file"].eq(f"{zipped}/events.2018.tab").all()


def test_a_file_without_the_icews_header_is_an_error_naming_it():
    with pytest.raises(EventFileError, match=f"^{GDELT}: not an ICEWS events file"):
        read_icews(GDELT)


def test_cli_import_validate_index(capsys, tmp_path):
    out = tmp_path / "icews.csv"
    code, _, err = run(capsys, "import", "icews", FIXTURE, "-o", out, "--dyad", "IND-PAK")
    assert code == 0
    assert err.splitlines() == [
        "read=47 kept=2 duplicates=2 skipped=43",
        "  no country: 1",
        "  not an ISO 3166 country: 1",
        "  same country: 7",
        "  not the --dyad: 34",
        "  unmatched country names: Kosovo (1)",
        f"relscore: wrote 2 events to {out}",
    ]
    assert relscore.validate_events(out) == []
    events = relscore.read_events(out)
    assert events[["actor1", "actor2", "event_code"]].to_numpy().tolist() == [
        ["PAK", "IND", "030"],
        ["IND", "PAK", "030"],
    ]
    code, stdout, _ = run(capsys, "index", out, "--scheme", "goldstein", "--window", "1")
    assert code == 0
    assert stdout.splitlines()[1] == "IND-PAK,2018-06-01,2,0.0,8.0,-8.0,-8.0"  # 2 x 030 (+4)
