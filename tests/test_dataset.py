"""The bundled Iran–Pakistan dataset: valid, sourced, and the shape of the 2024 episode."""

import numpy as np
import pandas as pd
import pytest

import relscore
from tests.conftest import ROOT

EVENTS = ROOT / "data" / "events" / "iran_pakistan.csv"


@pytest.fixture(scope="module")
def events():
    return relscore.load_events(EVENTS)


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
