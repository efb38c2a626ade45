"""relscore.analysis.episodes: the one definition of an episode, worked out by hand on small
series, and the properties it promises (a dyad's own events decide, nothing else)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relscore
from relscore.analysis.episodes import (
    EPISODE_COLUMNS,
    NOTHING_TO_FIT,
    episodes,
    min_rise_of,
    top_episodes,
)
from relscore.index import apply_kernel

START = pd.Timestamp("2020-01-01")
R = 2 ** (-1 / 14)  # the default decay's daily factor


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


def test_one_event_is_one_episode_whose_decay_is_not_fitted():
    row = episodes(index_of({400: 64.0}, half_life=7.5), half_life=7.5).iloc[0]
    assert (row["start"], row["peak_date"], row["peak"]) == (day(400), day(400), 64.0)
    # at or above half (32) while 64 * 2**(-t/7.5) >= 32: t <= 7.5, so days 400 ... 407
    assert row["end"] == day(407)
    assert row["n_events"] == 1 and row["rank"] == 1 and row["baseline"] == 0
    assert row["days_to_half"] == row["mechanical_days_to_half"] == 8
    # no event after the peak: the path is the kernel's own, nothing is fitted
    assert np.isnan(row["half_life_days"]) and np.isnan(row["half_life_low"])
    assert row["fit_note"] == NOTHING_TO_FIT and pd.isna(row["versus_decay"])
    assert row["mechanical_half_life"] == 7.5 and row["kernel"] == "decay 7.5 d"


def test_a_path_the_kernel_alone_decays_goes_through_no_fit(monkeypatch):
    from relscore.analysis import halflife

    def no_fit(*args):
        raise AssertionError("fitted a path no event moves")

    monkeypatch.setattr(halflife, "_ols_slope", no_fit)
    # the second strike comes after the first's fit window (its path fell below a quarter)
    table = episodes(index_of({100: 64.0, 300: 64.0}))
    assert (table["fit_note"] == NOTHING_TO_FIT).all() and len(table) == 2
    assert (table["fit_days"] == 29).all()  # 64 * 2**(-t/14) >= 16 while t <= 28


def test_cooperation_after_the_peak_is_fitted_and_faster_than_decay():
    # a strike, then gestures that each take 10 points off: decay alone would take 15 days
    row = episodes(index_of({400: 80.0, 402: -10.0, 403: -10.0, 405: -10.0})).iloc[0]
    day3 = (80 * R**2 - 10) * R - 10  # days 1..3: 76.1, 62.4, 49.4
    assert day3 * R > 40 > day3 * R**2 - 10  # day 4: 47.0; day 5: 34.7, below half of 80
    assert row["days_to_half"] == 5 and row["mechanical_days_to_half"] == 15
    assert row["end"] == day(404)  # the last day at or above 40
    assert row["half_life_high"] < 14 and row["versus_decay"] == "faster"
    assert row["fit_note"] == "ok"
    assert row["n_events"] == 3  # the strike and two gestures on days 400 ... 404


def test_two_surges_with_a_fall_below_half_between_them_are_two_episodes():
    # window 1: tension = net. 20 on day 400, 0 between, 30 on day 431: two episodes
    table = episodes(index_of({400: 20.0, 431: 30.0}, window=1), window=1)
    assert table["peak_date"].tolist() == [day(400), day(431)]
    assert table["rank"].tolist() == [2, 1]
    assert table["start"].tolist() == [day(400), day(431)]
    assert table["end"].tolist() == [day(400), day(431)]


def test_a_surge_without_such_a_fall_is_part_of_the_higher_episode():
    # decay: 40 on day 400, 30 on day 410. Day 409 holds 40 r^9 = 25.6, above half of 40,
    # so the first surge is no episode of its own; the one episode peaks at 25.6 r + 30.
    table = episodes(index_of({400: 40.0, 410: 30.0}))
    assert len(table) == 1
    row = table.iloc[0]
    assert row["peak_date"] == day(410)
    assert row["peak"] == pytest.approx(40 * R**10 + 30, rel=1e-12)
    # its days run from the first surge (40, above half of 54.4) to the last day above 27.2
    assert row["start"] == day(400) and row["n_events"] == 2
    assert row["end"] == day(424)  # 14 days later the index is half the peak, then below


def test_a_surge_inside_a_long_conflict_is_an_episode_of_its_own():
    # Months of daily fighting hold the index near 10 / (1 - r) = 207; it calms to a tenth,
    # then a second surge rises from there. The old rule (a rise above a year's median)
    # stopped firing once the conflict was the normal; a fall below half separates them.
    net = dict.fromkeys(range(100, 250), 10.0) | dict.fromkeys(range(300, 330), 12.0)
    table = episodes(index_of(net))
    assert len(table) == 2
    first, second = table.iloc[0], table.iloc[1]
    assert first["peak_date"] == day(249) and second["peak_date"] == day(329)
    assert first["start"] == day(100) and second["start"] == day(300)
    # 10 a day for five months (about 207) tops 12 a day for a month (about 192)
    assert (first["rank"], second["rank"]) == (1, 2)


def test_a_short_file_gets_the_index_peak_and_its_own_days():
    # A crisis alone in its file: no history before it, so it is measured against 0. The
    # peak is the index's peak, whatever happened the days before.
    net = {0: 20.0, 1: 30.0, 2: -5.0, 3: 50.0, 5: -20.0, 6: -15.0, 8: -10.0}
    index = index_of(net, n_days=12)
    tension = index["tension"].to_numpy()
    row = episodes(index).iloc[0]
    assert row["peak"] == tension.max() and row["peak_date"] == day(int(tension.argmax()))
    assert row["start"] == day(0)  # the rise began with the file's first event
    assert row["n_events"] == 5  # the days 0 ... 5 at or above half the peak hold 5 events
    below = np.flatnonzero(tension[3:] < tension[3] / 2)[0]
    assert row["days_to_half"] == below  # read on the index itself
    assert row["end"] == day(3 + below - 1)
    assert row["baseline"] == 0  # nothing before the file's first event


def test_a_peak_after_a_dip_is_not_measured_against_its_own_episode():
    # A strike (20), three days of fading, then a threat (4.4) three days on: the peak is
    # 20 r^3 + 4.4 = 21.64 on day 3, reached after a dip. Its episode starts on day 0, so
    # its bar is the nothing before the file (0), not the strike's own days (median 18.6,
    # which a 21.64 peak would not clear by 5: the whole crisis vanished).
    row = episodes(index_of({0: 20.0, 3: 4.4}, n_days=30)).iloc[0]
    assert row["peak"] == pytest.approx(20 * R**3 + 4.4, abs=1e-12)
    assert (row["start"], row["peak_date"], row["baseline"]) == (day(0), day(3), 0)
    assert row["n_events"] == 2


def test_days_past_the_index_end_are_the_kernel_alone():
    # The index stops 2 days after the strike; the dyad's series runs on by the decay alone,
    # exactly as a longer calendar would show it.
    short = episodes(index_of({400: 64.0}, n_days=403))
    long = episodes(index_of({400: 64.0}, n_days=900))
    pd.testing.assert_frame_equal(short, long)
    assert short.iloc[0]["days_to_half"] == 15


def test_the_rolling_kernel_is_compared_with_its_own_mechanics():
    # window 5: tension 30, 40, 40, 15, 15, -15, ...; without the -25: 40 to day 404, then 10
    index = index_of({400: 30.0, 401: 10.0, 403: -25.0}, window=5)
    row = episodes(index, window=5).iloc[0]
    assert (row["peak_date"], row["peak"]) == (day(401), 40.0)  # the plateau's first day
    assert (row["start"], row["end"]) == (day(400), day(402))
    assert row["days_to_half"] == 2  # 15 < 20 on day 403
    assert row["mechanical_days_to_half"] == 4  # 10 (day 401's event alone) on day 405
    assert np.isnan(row["mechanical_half_life"]) and pd.isna(row["versus_decay"])
    assert row["kernel"] == "rolling 5 d"
    assert row["fit_note"].startswith("too few post-peak days: 4")  # 40, 40, 15, 15 >= 10


def test_too_few_post_peak_days_give_nan_and_a_reason():
    row = episodes(index_of({400: 40.0, 401: -35.0})).iloc[0]
    assert np.isnan(row["half_life_days"]) and np.isnan(row["half_life_low"])
    assert row["fit_days"] == 1
    assert row["fit_note"].startswith("too few post-peak days")
    assert row["days_to_half"] == 1


def test_a_rise_that_stays_below_zero_is_no_episode():
    # a year of daily cooperation holds tension near -1 / (1 - r) = -20.7; one strike lifts
    # it, but never above zero: nothing to call tension
    net = dict.fromkeys(range(600), -1.0) | {450: 12.0}
    assert episodes(index_of(net)).empty


def test_a_failed_fit_is_reported(monkeypatch):
    from statsmodels.regression.linear_model import OLS

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("SVD did not converge")

    monkeypatch.setattr(OLS, "fit", broken)
    row = episodes(index_of({400: 80.0, 402: -10.0, 403: -10.0})).iloc[0]
    assert row["fit_note"] == "fit failed: SVD did not converge"
    assert np.isnan(row["half_life_days"])


@pytest.mark.parametrize("net", [{}, {100: 4.0, 300: 3.0, 500: -20.0}, None])
def test_no_episode_gives_an_empty_table_with_every_column(net):
    index = index_of(net) if net is not None else relscore.tension_index(pd.DataFrame())
    table = episodes(index)
    assert table.empty
    assert tuple(table.columns) == EPISODE_COLUMNS
    assert table["peak_date"].dtype.kind == "M" and table["peak"].dtype == float


def test_the_peak_must_rise_min_rise_above_the_median_before_it():
    # window 1: tension stays at 4 for a year; a peak of 8.9 rises 4.9 above that median
    # (no episode), 9.1 rises 5.1 (an episode), with the default min_rise of 5.
    base = dict.fromkeys(range(600), 4.0)
    for peak, found in [(8.9, False), (9.1, True)]:
        table = episodes(index_of(base | {401: peak}, window=1), window=1)
        assert (day(401) in set(table["peak_date"])) == found


def test_min_rise_follows_the_scheme():
    assert min_rise_of("magnitude") == min_rise_of("goldstein") == 5.0
    assert min_rise_of("quad") == 1.0


def test_several_dyads_at_once_match_one_at_a_time():
    a = index_of({400: 64.0, 402: -20.0}, dyad="AAA-BBB")
    b = index_of({100: 30.0, 300: 50.0, 305: -10.0}, dyad="CCC-DDD")
    both = episodes(pd.concat([b, a], ignore_index=True))
    assert both["dyad"].tolist() == ["AAA-BBB", "CCC-DDD", "CCC-DDD"]
    assert both["rank"].tolist() == [1, 2, 1]
    alone = pd.concat([episodes(a), episodes(b)], ignore_index=True)
    pd.testing.assert_frame_equal(both, alone)


def test_a_path_stops_at_the_next_episode():
    # window 1: 64 falls to 20 (below half of the next peak, 70): two episodes. The first's
    # path stops on day 406; without the stop its fit window would take in day 407's 70.
    net = {400: 64.0, 401: 60.0, 402: 55.0, 403: 50.0, 404: 45.0, 405: 40.0, 406: 20.0}
    table = episodes(index_of(net | {407: 70.0}, window=1), window=1)
    assert table["peak_date"].tolist() == [day(400), day(407)]
    first = table.iloc[0]
    assert first["fit_days"] == 7 and first["days_to_half"] == 6 and first["end"] == day(405)


def test_the_calendar_must_be_continuous():
    index = index_of({400: 64.0}).drop(index=10)
    with pytest.raises(ValueError, match="continuous calendar"):
        episodes(index)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.integers(0, 200), st.floats(-40, 40, allow_nan=False), max_size=25),
    st.dictionaries(st.integers(0, 900), st.floats(-40, 40, allow_nan=False), max_size=25),
    st.integers(-300, 300),
    st.sampled_from([{}, {"window": 7}, {"half_life": 5.0}]),
)
def test_a_dyads_episodes_are_its_own_whatever_else_is_loaded(mine, other, shift, kernel):
    """Another dyad's events, on any days, and a calendar that starts and ends elsewhere,
    change nothing of a dyad's episodes."""
    mine = {k + 300: v for k, v in mine.items() if v}
    other = {k + shift: v for k, v in other.items() if v and k + shift >= 0}
    if not mine:
        return
    frames = [
        pd.DataFrame(
            {
                "date": [day(d) for d in net],
                "actor1": a,
                "actor2": b,
                "conflict": np.maximum(list(net.values()), 0.0),
                "cooperation": np.maximum(-np.array(list(net.values())), 0.0),
            }
        )
        for net, a, b in (
            (mine, "AAA", "BBB"),
            ({k + shift: v for k, v in other.items()}, "CCC", "DDD"),
        )
        if net
    ]
    if not frames[0].shape[0] or not mine:
        return
    alone = episodes(relscore.tension_index(frames[0], **kernel), **kernel)
    together = episodes(relscore.tension_index(pd.concat(frames), **kernel), **kernel)
    together = together[together["dyad"] == "AAA-BBB"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, together)


def test_top_episodes_of_a_grid_are_the_rank_one_and_two_episodes():
    net = np.zeros((2, 500))
    net[0, [100, 300]] = [30.0, 50.0]
    net[1, [50, 51]] = [40.0, -30.0]
    tension = apply_kernel(net)
    top = top_episodes(tension, net, 0)
    assert top["peak"].tolist() == pytest.approx([50 + 30 * R**200, 40.0], rel=1e-12)
    assert top["runner_up"].iloc[0] == pytest.approx(30.0) and np.isnan(top["runner_up"].iloc[1])
    assert top["peak_ratio"].iloc[0] == pytest.approx((50 + 30 * R**200) / 30, rel=1e-12)
    assert np.isnan(top["half_life_days"].iloc[0])  # one event, nothing after: not fitted


def test_bundled_data_january_2024_is_the_top_episode_and_faster_than_decay():
    events = relscore.read_events("data/events/iran_pakistan.csv")
    table = episodes(relscore.tension_index(relscore.code_events(events)))
    top = table[table["rank"] == 1].iloc[0]
    assert top["peak_date"] == pd.Timestamp("2024-01-18")
    assert top["start"] == pd.Timestamp("2024-01-16")  # Iran's strikes in Panjgur
    assert top["days_to_half"] == 8
    assert top["half_life_high"] < top["mechanical_half_life"] == 14
    assert top["versus_decay"] == "faster"


@pytest.mark.parametrize(
    ("alone", "dyad"),
    [("iran_israel", "IRN-ISR"), ("india_pakistan", "IND-PAK"), ("iran_pakistan", "IRN-PAK")],
)
def test_a_bundled_dyad_reads_the_same_alone_or_beside_the_other_files(alone, dyad):
    one = relscore.tension_index(relscore.code_events(relscore.datasets.load(alone)))
    every = relscore.tension_index(relscore.code_events(relscore.datasets.load_all()))
    mine = episodes(one).query("dyad == @dyad").reset_index(drop=True)
    beside = episodes(every).query("dyad == @dyad").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, beside)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-20, 80, allow_nan=False), min_size=1, max_size=400),
    st.integers(1, 4),
    st.integers(1, 30),
)
def test_the_compiled_walks_equal_their_first_forms(values, n_series, days):
    """_rise_start, _farthest, _baselines against tests/analysis/naive.py."""
    from relscore.analysis import episodes as defined
    from tests.analysis import naive

    x = np.round(np.asarray(values), 1)  # ties and plateaus
    bounds = np.unique(np.linspace(0, len(x), n_series + 1).astype(np.int64))
    np.testing.assert_array_equal(defined._rise_start(x, bounds), naive.rise_start(x, bounds))
    pos = np.arange(len(x))
    owner = np.searchsorted(bounds, pos, side="right") - 1
    level = 0.5 * x
    for step, limit in ((-1, bounds[owner]), (1, bounds[owner + 1] - 1)):
        np.testing.assert_array_equal(
            defined._farthest(x, pos, limit, level, 0.5, step),
            naive.farthest(x, pos, limit, level, 0.5, step),
        )
    start, bar = pos, np.full(len(x), 5.0)
    mine = defined._baselines(x, bounds[owner], start, days, x, bar)
    first = naive.baselines(x, bounds[owner], start, days)
    cleared = x - first >= bar
    np.testing.assert_array_equal(x - mine >= bar, cleared)  # the same peaks clear
    np.testing.assert_array_equal(mine[cleared], first[cleared])  # with the same baseline
