import numpy as np
import pandas as pd
import pytest

from relscore.summary import compare_schemes, days_to_half, episode_peaks

DAYS = pd.date_range("2020-01-01", periods=200, freq="D")


def series(values: dict[int, float]) -> pd.Series:
    s = pd.Series(0.0, index=DAYS)
    for day, value in values.items():
        s.iloc[day] = value
    return s


def test_episode_peaks_merges_close_stretches_and_sorts_by_peak():
    tension = series({10: 5, 11: 8, 30: 3, 150: 20, 151: 4})
    peaks = episode_peaks(tension, threshold=1, gap_days=60)
    assert peaks["peak"].tolist() == [20, 8]
    assert peaks["peak_date"].tolist() == [DAYS[150], DAYS[11]]
    assert peaks["start"].tolist() == [DAYS[150], DAYS[10]]
    assert peaks["end"].tolist() == [DAYS[151], DAYS[30]]


def test_episode_peaks_of_a_quiet_series_is_empty():
    assert episode_peaks(series({})).empty


def test_days_to_half_of_an_exact_exponential_is_its_half_life():
    t = np.arange(len(DAYS))
    tension = pd.Series(np.where(t >= 5, 64 * 0.5 ** ((t - 5) / 7), 0.0), index=DAYS)
    # below half (32) first on day 5 + 8: 64 * 2**(-8/7) < 32 and 64 * 2**(-7/7) == 32
    assert days_to_half(tension) == 8


def test_days_to_half_is_nan_when_it_never_falls():
    assert np.isnan(days_to_half(pd.Series(np.arange(1.0, 11.0), index=DAYS[:10])))


def test_compare_schemes_reads_each_scheme():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-06-01", "2020-06-02"]),
            "actor1": ["IRN", "PAK", "IRN"],
            "actor2": ["PAK", "IRN", "PAK"],
            "event_code": ["111", "195", "040"],
            "fatalities": [np.nan, 9.0, np.nan],
        }
    )
    table = compare_schemes(events, "IRN-PAK", schemes=["goldstein", "magnitude"], half_life=1)
    assert table["scheme"].tolist() == ["goldstein", "magnitude"]
    assert (table["peak_date"] == pd.Timestamp("2020-06-01")).all()
    assert table["peak"].tolist() == [10.0, 40.0]
    # goldstein: 10, then 5 - 1 = 4 < 5 on the next day; magnitude: 40, then 20 - 1 = 19 < 20
    assert table["days_to_half"].tolist() == [1.0, 1.0]
    assert table["peak_ratio"].tolist() == pytest.approx([10 / 2, 40 / 2])
