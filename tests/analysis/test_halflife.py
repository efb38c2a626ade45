import numpy as np
import pandas as pd
import pytest

from relscore.analysis import halflife
from relscore.analysis.halflife import (
    days_to_half,
    first_below_half,
    fit_lengths,
    half_life_fit,
    half_life_fits,
    loglinear_slopes,
)

DAYS = pd.date_range("2020-01-01", periods=200, freq="D")


def series(values: dict[int, float]) -> pd.Series:
    s = pd.Series(0.0, index=DAYS)
    for day, value in values.items():
        s.iloc[day] = value
    return s


def test_days_to_half_of_an_exact_exponential_is_its_half_life():
    t = np.arange(len(DAYS))
    tension = pd.Series(np.where(t >= 5, 64 * 0.5 ** ((t - 5) / 7), 0.0), index=DAYS)
    # below half (32) first on day 5 + 8: 64 * 2**(-8/7) < 32 and 64 * 2**(-7/7) == 32
    assert days_to_half(tension) == 8


def test_days_to_half_counts_calendar_days():
    tension = pd.Series(
        [10.0, 8.0, 4.0], index=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-09"])
    )
    assert days_to_half(tension) == 8


def test_days_to_half_is_nan_when_it_never_falls():
    assert np.isnan(days_to_half(pd.Series(np.arange(1.0, 11.0), index=DAYS[:10])))


# --- post-peak decay measures -------------------------------------------------------------


@pytest.mark.parametrize("half_life", [3.0, 7.0, 14.5])
def test_half_life_fit_gives_back_an_exact_exponential(half_life):
    path = 64 * 0.5 ** (np.arange(120) / half_life)
    fit = half_life_fit(path)
    assert fit["fit_note"] == "ok"
    assert fit["half_life_days"] == pytest.approx(half_life, rel=1e-12)
    # residuals are zero, so the interval is the estimate up to rounding
    assert fit["half_life_low"] <= half_life * (1 + 1e-12)
    assert fit["half_life_high"] >= half_life * (1 - 1e-12)
    # the window runs until the path falls below a quarter of the peak: two half-lives
    assert fit["fit_days"] == np.floor(2 * half_life) + 1


def test_half_life_fit_by_hand():
    # log2 of the path is 4, 3, 3, 2, 1 on days 0..4: slope -7/10 per day, half-life 10/7
    fit = half_life_fit(np.array([16.0, 8, 8, 4, 2]), fit_until=0.1, cov_type="nonrobust")
    assert fit["half_life_days"] == pytest.approx(10 / 7, rel=1e-12)
    assert fit["fit_days"] == 5
    assert fit["half_life_low"] < 10 / 7 < fit["half_life_high"]


@pytest.mark.parametrize("cov_type", ["HAC", "nonrobust"])
def test_half_life_interval_covers_the_truth_under_noise(cov_type):
    rng = np.random.default_rng(3)
    path = 50 * 0.5 ** (np.arange(60) / 10) * np.exp(rng.normal(0, 0.05, 60))
    fit = half_life_fit(path, cov_type=cov_type)
    assert fit["half_life_low"] < 10 < fit["half_life_high"]
    assert fit["half_life_high"] - fit["half_life_low"] < 5


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ([10.0, 9.0, 1.0, 0.5], "too few post-peak days: 2"),
        ([-3.0, -4.0, -5.0, -6.0, -7.0, -8.0], "peak is not positive"),
        ([5.0] * 10, "tension stayed flat"),
        ([5.0, 5.0, 5.0, 5.0, 5.0, 5.0 - 1e-3, 5.0], "ok"),
    ],
)
def test_half_life_fit_says_why_there_is_no_estimate(path, reason):
    fit = half_life_fit(np.array(path))
    assert fit["fit_note"].startswith(reason)
    assert np.isnan(fit["half_life_days"]) == (reason != "ok")


def test_half_life_fit_reports_a_path_that_does_not_fall():
    fit = half_life_fit(np.array([5.0, 2.0, 3.0, 4.0, 4.5, 4.9]))
    assert np.isnan(fit["half_life_days"])
    assert fit["fit_note"].startswith("tension did not fall")


def test_half_life_fit_with_an_unbounded_interval():
    # falls, then almost recovers: the slope's interval includes zero
    fit = half_life_fit(np.array([10.0, 6, 9, 5, 8, 4, 7.5]), cov_type="nonrobust")
    assert fit["fit_note"] == "ok"
    assert fit["half_life_high"] == np.inf
    assert 0 < fit["half_life_low"] < fit["half_life_days"]


def test_first_below_half_by_hand():
    paths = np.array(
        [
            [10.0, 6.0, 5.0, 4.9, 1.0],  # 5 is not below half of 10; 4.9 is, on day 3
            [10.0, 4.0, 9.0, 1.0, np.nan],  # day 1
            [10.0, 9.0, 8.0, np.nan, np.nan],  # never within the path
            [-2.0, -5.0, -9.0, -9.0, -9.0],  # peak not positive
        ]
    )
    np.testing.assert_array_equal(first_below_half(paths), [3.0, 1.0, np.nan, np.nan])


def test_fit_lengths_by_hand():
    paths = np.array([[8.0, 4, 2, 1.9, 1], [8.0, 8, 8, 8, 8], [-1.0, -2, -3, -4, -5]])
    np.testing.assert_array_equal(fit_lengths(paths, fit_until=0.25), [3, 5, 0])
    np.testing.assert_array_equal(fit_lengths(paths, fit_until=0.25, max_fit_days=1), [2, 2, 0])
    with pytest.raises(ValueError, match="fit_until"):
        fit_lengths(paths, fit_until=0)


def test_loglinear_slopes_match_statsmodels():
    rng = np.random.default_rng(1)
    paths = np.exp(rng.normal(0, 1, (6, 30)).cumsum(axis=1) * 0.1 - np.arange(30) * 0.2)
    lengths = np.array([3, 5, 9, 17, 30, 1])
    slopes = loglinear_slopes(paths, lengths)
    for path, n, slope in zip(paths[:5], lengths[:5], slopes[:5], strict=True):
        fit = half_life_fit(path, fit_until=1e-9, min_fit_days=3, max_fit_days=n - 1)
        assert fit["fit_days"] == n
        assert -np.log(2) / slope == pytest.approx(fit["half_life_days"], rel=1e-10)
    assert np.isnan(slopes[5])


def test_half_life_fit_needs_room_for_an_interval():
    with pytest.raises(ValueError, match="min_fit_days"):
        half_life_fit(np.array([4.0, 2.0, 1.0]), min_fit_days=2)


def many_paths() -> np.ndarray:
    """Paths of every kind a fit meets: fitted, too short, not positive, flat, rising,
    NaN-padded, with and without noise."""
    rng = np.random.default_rng(5)
    noisy = 50 * 0.5 ** (np.arange(40) / rng.uniform(2, 20, (12, 1)))
    noisy *= np.exp(rng.normal(0, 0.05, noisy.shape))
    odd = np.full((5, 40), np.nan)
    odd[0, :4] = [10.0, 9.0, 1.0, 0.5]
    odd[1, :6] = [-3.0, -4.0, -5.0, -6.0, -7.0, -8.0]
    odd[2, :10] = 5.0
    odd[3, :6] = [5.0, 2.0, 3.0, 4.0, 4.5, 4.9]
    odd[4, :7] = [10.0, 6, 9, 5, 8, 4, 7.5]
    return np.vstack([noisy, odd])


@pytest.mark.parametrize("cov_type", ["HAC", "nonrobust"])
def test_half_life_fits_are_half_life_fit_row_by_row(cov_type):
    paths = many_paths()
    table = half_life_fits(paths, cov_type=cov_type, max_fit_days=30)
    assert list(table.columns) == [*half_life_fit(paths[0])]
    for path, row in zip(paths, table.to_dict("records"), strict=True):
        one = half_life_fit(path, cov_type=cov_type, max_fit_days=30)
        assert row.keys() == one.keys()
        for key, value in one.items():  # to the last bit
            assert row[key] == value or (np.isnan(row[key]) and np.isnan(value)), key
    assert table["fit_note"].str.startswith("ok").sum() == 13  # 12 noisy, 1 unbounded


def test_half_life_fits_in_processes_give_the_same_numbers(monkeypatch):
    paths = many_paths()
    monkeypatch.setattr(halflife, "FITS_PER_PROCESS", 4)  # 17 paths: 2 processes
    pd.testing.assert_frame_equal(half_life_fits(paths, jobs=2), half_life_fits(paths))
    with pytest.raises(ValueError, match="min_fit_days"):
        half_life_fits(paths, min_fit_days=2)
