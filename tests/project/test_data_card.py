"""The bundled Iran–Pakistan dataset: valid, sourced, and the shape of the 2024 episode."""

import re

import numpy as np
import pandas as pd
import pytest

import relscore
from tests.conftest import ROOT

EVENTS = ROOT / "data" / "events" / "iran_pakistan.csv"


@pytest.fixture(scope="module")
def events():
    return relscore.read_events(EVENTS)


def index_of(events, scheme="magnitude", **kernel):
    index = relscore.tension_index(relscore.code_events(events, scheme), **kernel)
    return index[index["dyad"] == "IRN-PAK"].set_index("date")


def test_dataset_is_valid_and_covers_1947_to_2025(events):
    assert relscore.validate_events(EVENTS) == []
    assert len(events) >= 100
    assert events["date"].min().year == 1947 and events["date"].max().year == 2025
    assert set(events["actor1"]) | set(events["actor2"]) == {"IRN", "PAK"}
    assert events["event_id"].is_unique and (events["event_id"] != "").all()


def test_every_event_has_a_source_that_is_a_url_or_the_seed(events):
    for source in events["source"]:
        for part in source.split(" ; "):
            assert part.startswith(("http://", "https://", "seed:")), part


def test_january_2024_is_covered_day_by_day(events):
    january = events[events["date"].between("2024-01-16", "2024-01-31")]
    days = set(january["date"].dt.day)
    assert {16, 17, 18, 19, 22, 26, 27, 29} <= days
    strikes = january[january["event_code"].str.startswith("19")]
    assert strikes[["actor1", "actor2"]].to_numpy().tolist()[:2] == [["IRN", "PAK"], ["PAK", "IRN"]]
    # cooperative gestures on the days of the strikes are in, not left out
    same_days = january[january["date"].isin(pd.to_datetime(["2024-01-16", "2024-01-18"]))]
    assert (relscore.code_events(same_days)["cooperation"] > 0).any()


def _episode_peaks(series: pd.Series, gap_days: int = 60) -> pd.Series:
    """Highest value of each run of positive tension (runs closer than gap_days merge)."""
    positive = series[series > 1.0]
    run = (positive.index.to_series().diff() > pd.Timedelta(days=gap_days)).cumsum()
    return positive.groupby(run.to_numpy()).agg(lambda s: s.max()).sort_values(ascending=False)


def test_default_index_peaks_in_january_2024(events):
    tension = index_of(events)["tension"]
    peak_day = tension.idxmax()
    assert pd.Timestamp("2024-01-16") <= peak_day <= pd.Timestamp("2024-01-19")
    peaks = _episode_peaks(tension)
    # the highest episode, and clearly above the runner-up (e.g. the 2017 drone episode)
    assert peaks.iloc[0] == tension.max()
    assert peaks.iloc[0] > 1.5 * peaks.iloc[1]


def test_default_index_falls_below_half_well_before_mechanics_would(events):
    index = index_of(events)
    tension = index["tension"]
    peak_day, peak = tension.idxmax(), tension.max()
    after = tension[peak_day:]
    days_to_half = (after[after < peak / 2].index[0] - peak_day).days
    # with no new events, decay alone halves the index in one half-life (14 days)
    assert days_to_half <= 0.75 * relscore.DEFAULT_HALF_LIFE
    # and it is the events that do it: cooperation piles up after the peak
    window = index.loc[peak_day + pd.Timedelta(days=1) : peak_day + pd.Timedelta(days=days_to_half)]
    assert window["cooperation"].sum() > 2 * window["conflict"].sum()


def test_rolling_kernel_tells_the_same_story(events):
    tension = index_of(events, window=30)["tension"]
    assert tension.idxmax().strftime("%Y-%m") == "2024-01"


def test_plain_goldstein_stays_available_and_differs(events):
    plain = index_of(events, "goldstein")["tension"]
    default = index_of(events)["tension"]
    assert not np.allclose(plain.to_numpy(), default.to_numpy())


# --- The data card's numbers and rules, checked against the file -----------------------------

CARD = ROOT / "data" / "README.md"
FORCE_ROOTS = ("18", "19", "20")
# words a row coded as force must use: the act is a strike, shelling, fire, a shoot-down
FORCE_WORDS = r"strike|struck|fire|shell|mortar|missile|drone|attack|shot down|kill"


@pytest.fixture(scope="module")
def card():
    """The Iran-Pakistan section of the data card (up to the next file's heading)."""
    text = CARD.read_text(encoding="utf-8")
    start = text.index("## `events/iran_pakistan.csv`")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _number(pattern: str, text: str) -> list[int]:
    match = re.search(pattern, text)
    assert match, f"the data card no longer states {pattern!r}"
    return [int(g) for g in match.groups()]


def _years(text: str) -> set[int]:
    return {int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text)}


def test_card_total_is_the_number_of_rows(events, card):
    [total] = _number(r"\*\*What it is\.\*\*\s+(\d+)\s+dated events", card)
    assert total == len(events)


def test_card_decade_table_counts_the_rows_per_decade(events, card):
    lines = [line for line in card.splitlines() if line.startswith(("| decade |", "| events |"))]
    assert len(lines) == 2, lines
    decades = [int(cell.strip().rstrip("s")) for cell in lines[0].split("|")[2:-1]]
    counts = [int(cell) for cell in lines[1].split("|")[2:-1]]
    in_file = (events["date"].dt.year // 10 * 10).value_counts()
    assert dict(zip(decades, counts, strict=True)) == in_file.to_dict()
    assert sum(counts) == len(events)


def test_card_class_counts_match_the_codebook_classes(events, card):
    stated = _number(
        r"(\d+) verbal cooperation, (\d+) material cooperation,\s+(\d+) verbal conflict, "
        r"(\d+) material conflict",
        card,
    )
    classes = relscore.code_events(events, "goldstein")["quad_class"].value_counts()
    order = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    assert stated == [int(classes.get(name, 0)) for name in order]


def test_card_date_precisions_match(events, card):
    stated = _number(r"Dates:\s+(\d+) to the day,\s+(\d+) to the month,\s+(\d+) to the year", card)
    precision = events["date_precision"].value_counts()
    assert stated == [int(precision.get(p, 0)) for p in ("day", "month", "year")]


def test_card_unverified_count_matches_and_those_rows_are_not_dated_to_the_day(events, card):
    [stated] = _number(r"\*\*(\d+)\s+rows are marked `unverified:`\*\*", card)
    unverified = events[events["notes"].str.contains("unverified:", regex=False)]
    assert stated == len(unverified)
    assert (unverified["date_precision"] != "day").all(), unverified["event_id"].tolist()


def test_card_seed_count_matches(events, card):
    [stated] = _number(r"is cited for what it states\s+\((\d+) rows\)", card)
    assert stated == events["source"].str.contains("seed:", regex=False).sum()


def test_no_year_since_1947_is_empty_unless_the_card_lists_it_as_searched(events, card):
    empty = set(range(1947, 2026)) - set(events["date"].dt.year)
    searched = re.search(r"\*\*Years searched and nothing found:\*\*\s+([^.]*)\.", card)
    assert searched, "the card has no 'Years searched and nothing found' list"
    assert empty == _years(searched.group(1))
    no_rows = re.search(r"has no rows for\s+([^.]*)\.", card)
    assert no_rows and _years(no_rows.group(1)) == empty


def test_every_row_in_the_force_roots_is_a_use_of_force(events):
    coded = relscore.code_events(events, "goldstein")
    force = coded[coded["event_code"].str[:2].isin(FORCE_ROOTS)]
    assert len(force) > 0
    assert (force["quad_class"] == "material_conflict").all()
    described = force["description"].str.contains(FORCE_WORDS, case=False, regex=True)
    assert described.all(), force.loc[~described, "event_id"].tolist()


def test_border_closures_are_administrative_not_force(events):
    closures = events[
        events["description"].str.contains(r"\bclosed\b", regex=True)
        & events["description"].str.contains(r"border|crossing", regex=True)
    ]
    assert len(closures) >= 3  # 2020, 2021 and June 2025
    assert (closures["event_code"] == "172").all(), closures[["event_id", "event_code"]]


def test_every_row_has_a_source(events):
    assert (events["source"].str.strip() != "").all()
    assert (events["description"].str.strip() != "").all()


def test_event_ids_follow_the_date(events):
    ids = events["event_id"].str.extract(r"^irpk-(\d{8})-(\d{2})$")
    assert ids.notna().all().all(), events.loc[ids[0].isna(), "event_id"].tolist()
    assert (ids[0] == events["date"].dt.strftime("%Y%m%d")).all()


def test_card_india_pakistan_initiator_counts_match():
    text = CARD.read_text(encoding="utf-8")
    stated = _number(r"(\d+) events \((\d+) initiated by Pakistan,\s+(\d+) by India\)", text)
    india = relscore.read_events(ROOT / "data" / "events" / "india_pakistan.csv")
    by_initiator = india["actor1"].value_counts()
    assert stated == [len(india), int(by_initiator["PAK"]), int(by_initiator["IND"])]
