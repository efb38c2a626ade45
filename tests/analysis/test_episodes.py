import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis.episodes import EPISODE_COLUMNS, episodes
from relscore.index import apply_kernel

START = pd.Timestamp("2020-01-01")


def index_of(net: dict[int, float], n_days: int = 600, dyad: str = "AAA-BBB", **kernel):
    """A one-dyad index: ``net`` maps day number to the day's net score; one event a day."""
    daily = np.zeros(n_days)
    for day, value in net.items():
        daily[day] = value
    return pd.DataFrame(
        {
            "dyad": dyad,
            "date": pd.date_range(START, periods=n_days, freq="D"),
            "n_events": (daily != 0).astype(np.int64),
            "net": daily,
            "tension": apply_kernel(daily, **kernel),
        }
    )


def day(n: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=n)


def test_an_exact_exponential_decay_gives_back_its_half_life():
    index = index_of({400: 64.0}, half_life=7)
    table = episodes(index, half_life=7)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["start"], row["peak_date"], row["peak"]) == (day(400), day(400), 64.0)
    assert row["half_life_days"] == pytest.approx(7, rel=1e-9)
    assert row["half_life_low"] <= 7 * (1 + 1e-9) and row["half_life_high"] >= 7 * (1 - 1e-9)
    # 64 * 2**(-7/7) is half, not below it; day 8 is the first below
    assert row["days_to_half"] == row["mechanical_days_to_half"] == 8
    assert row["mechanical_half_life"] == 7
    assert row["versus_decay"] == "same"
    assert row["fit_note"] == "ok"
    assert row["fit_days"] == 15  # days 0..14: 64 * 2**(-14/7) is a quarter of the peak
    assert row["kernel"] == "decay 7 d"
    # the episode ends when tension sinks back under the floor of 5 points above zero:
    # 64 * 2**(-t/7) <= 5 from t = 7 * log2(64 / 5) = 25.7 days
    assert row["end"] == day(425)
    assert row["n_events"] == 1 and row["rank"] == 1


def test_cooperation_after_the_peak_is_faster_than_decay():
    # a strike, then gestures that each take 10 points off: decay alone would take 15 days
    index = index_of({400: 80.0, 402: -10.0, 403: -10.0, 405: -10.0})
    row = episodes(index).iloc[0]
    r = 2 ** (-1 / 14)
    day3 = (80 * r**2 - 10) * r - 10  # days 1..3: 76.1, 62.4, 49.4
    assert day3 * r > 40 > day3 * r**2 - 10  # day 4: 47.0; day 5: 34.7, below half of 80
    assert row["days_to_half"] == 5
    assert row["mechanical_days_to_half"] == 15
    assert row["half_life_high"] < 14
    assert row["versus_decay"] == "faster"
    assert row["n_events"] == 4


def test_the_rolling_kernel_is_compared_with_its_own_mechanics():
    # window 5: tension 30, 40, 40, 15, 15, -15, ...; without the -25: 40 to day 404, then 10
    index = index_of({400: 30.0, 401: 10.0, 403: -25.0}, window=5)
    row = episodes(index, window=5).iloc[0]
    assert (row["peak_date"], row["peak"]) == (day(401), 40.0)
    assert (row["start"], row["end"]) == (day(400), day(404))
    assert row["days_to_half"] == 2  # 15 < 20 on day 403
    assert row["mechanical_days_to_half"] == 4  # 10 (day 401's event alone) on day 405
    assert np.isnan(row["mechanical_half_life"]) and pd.isna(row["versus_decay"])
    assert row["kernel"] == "rolling 5 d"
    # 40, 40, 15, 15 are at least a quarter of the peak: four days, too few to fit
    assert np.isnan(row["half_life_days"])
    assert row["fit_note"].startswith("too few post-peak days: 4")
    assert row["n_events"] == 3


def test_too_few_post_peak_days_give_nan_and_a_reason():
    index = index_of({400: 40.0, 401: -35.0})
    row = episodes(index).iloc[0]
    assert np.isnan(row["half_life_days"]) and np.isnan(row["half_life_low"])
    assert row["fit_days"] == 1
    assert row["fit_note"].startswith("too few post-peak days")
    assert row["days_to_half"] == 1


def test_a_rise_from_warmth_that_stays_below_zero_is_reported_not_fitted():
    # a year of daily cooperation holds tension near -1 / (1 - r) = -20.7; one strike lifts it
    net = dict.fromkeys(range(600), -1.0) | {450: 12.0}
    row = episodes(index_of(net)).iloc[0]
    assert row["peak_date"] == day(450) and row["peak"] < 0
    assert np.isnan(row["half_life_days"]) and np.isnan(row["days_to_half"])
    assert row["fit_note"].startswith("peak is not positive")


def test_a_failed_fit_is_reported(monkeypatch):
    from statsmodels.regression.linear_model import OLS

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("SVD did not converge")

    monkeypatch.setattr(OLS, "fit", broken)
    row = episodes(index_of({400: 64.0})).iloc[0]
    assert row["fit_note"] == "fit failed: SVD did not converge"
    assert np.isnan(row["half_life_days"]) and row["days_to_half"] == 15


@pytest.mark.parametrize("net", [{}, {100: 4.0, 300: 3.0, 500: -20.0}, None])
def test_no_episode_gives_an_empty_table_with_every_column(net):
    index = index_of(net) if net is not None else relscore.tension_index(pd.DataFrame())
    table = episodes(index)
    assert table.empty
    assert tuple(table.columns) == EPISODE_COLUMNS
    assert table["peak_date"].dtype.kind == "M" and table["peak"].dtype == float


def test_the_threshold_is_median_plus_k_mads():
    # tension alternates +4 / -4 (window 1: tension = net); over an even number of days the
    # median is 0 and the MAD 4, so the bar is 3 * 1.4826 * 4 = 17.8 points. 15 is not an
    # episode, 20 is; with k = 2 (bar 11.9) both are.
    net = {d: 4.0 if d % 2 else -4.0 for d in range(600)} | {401: 15.0, 501: 20.0}
    index = index_of(net, window=1)
    for k, peaks in [(3, [501]), (2, [401, 501])]:
        table = episodes(index, window=1, baseline_days=364, k=k)
        assert table["peak_date"].tolist() == [day(d) for d in peaks]


@pytest.mark.parametrize(("second", "n_episodes"), [(431, 1), (432, 2)])
def test_stretches_closer_than_gap_days_merge(second, n_episodes):
    # window 1: the hot days are the spike days; 30 cool days between them merge, 31 do not
    table = episodes(index_of({400: 20.0, second: 30.0}, window=1), window=1, gap_days=30)
    assert len(table) == n_episodes
    assert table["start"].iloc[0] == day(400) and table["end"].iloc[-1] == day(second)
    assert table["peak"].max() == 30.0


def test_several_dyads_at_once_match_one_at_a_time():
    a = index_of({400: 64.0, 402: -20.0}, dyad="AAA-BBB")
    b = index_of({100: 30.0, 300: 50.0, 305: -10.0}, dyad="CCC-DDD")
    both = episodes(pd.concat([b, a], ignore_index=True))
    assert both["dyad"].tolist() == ["AAA-BBB", "CCC-DDD", "CCC-DDD"]
    assert both["rank"].tolist() == [1, 2, 1]
    alone = pd.concat([episodes(a), episodes(b)], ignore_index=True)
    pd.testing.assert_frame_equal(both, alone)


def test_a_dyad_whose_path_runs_into_its_next_episode():
    # the second strike comes back before the first episode has calmed to half
    table = episodes(index_of({400: 64.0, 445: 40.0}, window=1), window=1, gap_days=3)
    first = table.iloc[0]
    assert first["days_to_half"] == 1 and table["peak_date"].tolist() == [day(400), day(445)]


def test_the_calendar_must_be_continuous():
    index = index_of({400: 64.0}).drop(index=10)
    with pytest.raises(ValueError, match="continuous calendar"):
        episodes(index)


def test_bundled_data_january_2024_is_the_top_episode_and_faster_than_decay():
    events = relscore.read_events("data/events/iran_pakistan.csv")
    table = episodes(relscore.tension_index(relscore.code_events(events)))
    top = table[table["rank"] == 1].iloc[0]
    assert top["peak_date"] == pd.Timestamp("2024-01-18")
    assert top["days_to_half"] == 8
    assert top["half_life_high"] < top["mechanical_half_life"] == 14
    assert top["versus_decay"] == "faster"
