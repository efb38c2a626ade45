import tracemalloc

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis.episodes import episodes, min_rise_of
from relscore.analysis.robustness import (
    BYTES_PER_EVENT,
    BYTES_PER_VARIANT,
    BYTES_PER_VARIANT_DAY,
    MAX_CODES,
    MAX_DRAWS,
    robustness,
    summarise_robustness,
)
from relscore.analysis.variants import jitter_weights
from relscore.testing.dyad import synthetic_dyad
from tests.analysis import naive
from tests.conftest import ROOT

MEASURES = ["peak_date", "peak", "days_to_half", "runner_up_date", "runner_up"]


@pytest.fixture(scope="module")
def events():
    """Two small crises between IRN and PAK a year apart, and an unrelated dyad."""
    rows = [
        ("e01", "2020-01-05", "IRN", "PAK", "111", np.nan),
        ("e02", "2020-01-20", "PAK", "IRN", "173", np.nan),
        ("e03", "2020-01-21", "IRN", "PAK", "036", np.nan),
        ("e04", "2020-01-25", "IRN", "PAK", "042", np.nan),
        ("e05", "2020-06-01", "IND", "PAK", "195", 3.0),
        ("e06", "2021-03-10", "IRN", "PAK", "195", 2.0),
        ("e07", "2021-03-11", "PAK", "IRN", "190", 0.0),
        ("e08", "2021-03-11", "PAK", "IRN", "040", np.nan),
        ("e09", "2021-03-14", "IRN", "PAK", "036", np.nan),
        ("e10", "2021-03-16", "PAK", "IRN", "057", np.nan),
        ("e11", "2021-03-20", "IRN", "PAK", "161", np.nan),
        ("e12", "2021-04-02", "PAK", "IRN", "042", np.nan),
    ]
    frame = pd.DataFrame(
        rows, columns=["event_id", "date", "actor1", "actor2", "event_code", "fatalities"]
    )
    return frame.assign(date=pd.to_datetime(frame["date"]))


@pytest.fixture(scope="module")
def bundled():
    return relscore.read_events(ROOT / "data" / "events" / "iran_pakistan.csv")


def reference(events, dyad="IRN-PAK", scheme="magnitude", overrides=None, end=None, **kernel):
    """The top-episode measures from code_events + tension_index + episodes, one variant at
    a time: the top episode is the one relscore.episodes ranks first, the runner-up its
    second."""
    coded = relscore.code_events(events, scheme, overrides)
    index = relscore.tension_index(coded, end=end, **kernel)
    table = episodes(index[index["dyad"] == dyad], min_rise=min_rise_of(scheme), **kernel)
    top = table[table["rank"] == 1].iloc[0]
    second = table[table["rank"] == 2]
    return {
        "peak_date": top["peak_date"],
        "peak": top["peak"],
        "days_to_half": top["days_to_half"],
        "runner_up_date": second["peak_date"].iloc[0] if len(second) else pd.NaT,
        "runner_up": second["peak"].iloc[0] if len(second) else np.nan,
        "half_life_days": top["half_life_days"],
    }


def assert_same(row: pd.Series, expected: dict):
    for measure in MEASURES:  # exactly, not approximately
        if pd.isna(expected[measure]):
            assert pd.isna(row[measure]), measure
        else:
            assert row[measure] == expected[measure], measure
    if np.isnan(expected["half_life_days"]):
        assert np.isnan(row["half_life_days"])
    else:
        assert row["half_life_days"] == pytest.approx(expected["half_life_days"], rel=1e-9)


def test_one_row_per_variant_of_each_kind(events):
    table = robustness(events, "IRN-PAK", draws=7, half_lives=(7, 28), windows=(30,))
    counts = table["kind"].value_counts()
    n_events = 11  # IRN-PAK only
    assert counts.to_dict() == {
        "base": 1,
        "scheme": 3,
        "jitter": 7,
        "kernel": 3,
        "leave_one_out": n_events,
    }
    assert table["variant"].tolist() == list(range(len(table)))
    assert table["draw"].dropna().tolist() == list(range(7))
    assert table.loc[table["kind"] == "kernel", "kernel"].tolist() == ["decay", "decay", "rolling"]


def test_jitter_variants_equal_code_events_and_tension_index(events):
    table = robustness(events, "IRN-PAK", draws=5, seed=11)
    weights = jitter_weights(events["event_code"], 5, 11)
    jitter = table[table["kind"] == "jitter"].set_index("draw")
    for draw in (0, 3, 4):
        overrides = weights.loc[draw].to_dict()
        assert_same(jitter.loc[draw], reference(events, overrides=overrides))


def test_scheme_and_kernel_variants_equal_code_events_and_tension_index(events):
    table = robustness(events, "IRN-PAK", draws=0, half_lives=(5.0,), windows=(20,))
    for _, row in table[table["kind"] == "scheme"].iterrows():
        assert_same(row, reference(events, scheme=row["scheme"]))
    kernel = table[table["kind"] == "kernel"]
    assert_same(kernel.iloc[0], reference(events, half_life=5.0))
    assert_same(kernel.iloc[1], reference(events, window=20))
    assert_same(table.iloc[0], reference(events))


def test_leave_one_out_drops_each_event_of_the_dyad_once(events):
    table = robustness(events, "IRN-PAK", draws=0, schemes=(), half_lives=(), windows=())
    dropped = table[table["kind"] == "leave_one_out"]
    mine = events[events["event_id"] != "e05"]
    assert dropped["left_out"].tolist() == mine["event_id"].tolist()
    by_id = dropped.set_index("left_out")
    for event_id in ("e06", "e07", "e12"):
        # the calendar stays that of all the events, even when the last one is left out
        expected = reference(events[events["event_id"] != event_id], end="2021-04-02")
        assert_same(by_id.loc[event_id], expected)


def test_bundled_variants_equal_code_events_and_tension_index(bundled):
    table = robustness(bundled, "IRN-PAK", draws=3, seed=5, schemes=(), half_lives=(), windows=())
    weights = jitter_weights(bundled["event_code"], 3, 5)
    for draw in range(3):
        row = table[table["draw"] == draw].iloc[0]
        assert_same(row, reference(bundled, overrides=weights.loc[draw].to_dict()))
    dropped = table[table["kind"] == "leave_one_out"]
    assert len(dropped) == len(bundled)
    first = bundled["event_id"].iloc[0]
    row = dropped[dropped["left_out"] == first].iloc[0]
    # dropping the first event moves the calendar's start: the measures do not move
    assert_same(row, reference(bundled[bundled["event_id"] != first]))


def test_seeded_runs_are_reproducible(events):
    first = robustness(events, "IRN-PAK", draws=20, seed=3)
    pd.testing.assert_frame_equal(first, robustness(events, "IRN-PAK", draws=20, seed=3))
    other = robustness(events, "IRN-PAK", draws=20, seed=4)
    jitter = first["kind"] == "jitter"
    assert not np.array_equal(first.loc[jitter, "peak"], other.loc[jitter, "peak"])
    pd.testing.assert_frame_equal(first[~jitter], other[~jitter])


def test_jitter_weights_stay_within_their_range():
    codes = ["195", "036", "040", "111"]
    base = np.array([4.0, 1.0, -2.0, -10.0])  # Goldstein weights of 036, 040, 111, 195
    assert (relscore.weights_table().loc[sorted(codes), "weight"].to_numpy() == base).all()
    relative = jitter_weights(codes, 500, seed=1).to_numpy()
    assert list(jitter_weights(codes, 1).columns) == sorted(codes)
    assert (np.abs(relative - base) <= 0.2 * np.abs(base) + 1e-12).all()
    assert (np.sign(relative) == np.sign(base)).all()
    assert relative.min() >= -10  # -10 can only move towards zero
    points = jitter_weights(codes, 500, seed=1, jitter=2.0, jitter_mode="points").to_numpy()
    assert (np.abs(points - base) <= 2 + 1e-12).all()
    assert points.min() >= -10 and (points[:, 1] < 0).any()  # "040" (+1) can flip
    with pytest.raises(ValueError, match="jitter_mode"):
        jitter_weights(codes, 1, jitter_mode="percent")


def test_an_event_with_its_own_weight_keeps_it_under_jitter(events):
    own = events.assign(weight=np.where(events["event_id"] == "e06", -9.0, np.nan))
    table = robustness(own, "IRN-PAK", draws=30, seed=2, schemes=(), leave_one_out=False)
    jitter = table[table["kind"] == "jitter"]
    weights = jitter_weights(own["event_code"], 30, 2)
    for draw in (0, 29):
        expected = reference(own, overrides=weights.loc[draw].to_dict())
        assert_same(jitter[jitter["draw"] == draw].iloc[0], expected)


def test_an_unknown_dyad_is_an_error_that_names_the_known_ones(events):
    with pytest.raises(
        relscore.UnknownDyadError, match=r"IRN-ISR \(dyads in the data: IND-PAK, IRN-PAK\)"
    ):
        robustness(events, "IRN-ISR", draws=1)


def test_summarise_robustness_by_hand():
    table = pd.DataFrame(
        {
            "kind": ["base", "jitter", "jitter", "jitter", "jitter", "kernel"],
            "peak_date": pd.to_datetime(
                ["2024-01-18", "2024-01-18", "2024-01-17", "2017-06-19", "2024-01-31", "2024-02-01"]
            ),
            "days_to_half": [8.0, 9.0, 7.0, 3.0, 10.0, 20.0],
            "half_life_days": [6.7, 7.0, np.nan, 2.0, 8.0, 15.0],
        }
    )
    summary = summarise_robustness(table, "2024-01-16", "2024-01-31", level=0.5)
    assert summary["kind"].tolist() == ["base", "jitter", "kernel", "all"]
    assert summary["n_variants"].tolist() == [1, 4, 1, 6]
    assert summary["n_on_top"].tolist() == [1, 3, 0, 4]
    assert summary["share_on_top"].tolist() == [1.0, 0.75, 0.0, 4 / 6]
    jitter = summary.set_index("kind").loc["jitter"]
    assert jitter["days_to_half_median"] == 9.0  # of 9, 7, 10
    assert (jitter["days_to_half_low"], jitter["days_to_half_high"]) == (8.0, 9.5)
    assert jitter["half_life_median"] == 7.5  # of 7, 8 (NaN skipped)
    # by default: 14 days either side of the base reading's peak
    default = summarise_robustness(table).set_index("kind")
    assert default.loc["all", "start"] == pd.Timestamp("2024-01-04")
    assert default.loc["all", "n_on_top"] == 5


def test_compare_schemes_reads_each_scheme_as_its_top_episode():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-06-01", "2020-06-02"]),
            "actor1": ["IRN", "PAK", "IRN"],
            "actor2": ["PAK", "IRN", "PAK"],
            "event_code": ["138", "195", "040"],
            "fatalities": [np.nan, 9.0, np.nan],
        }
    )
    table = relscore.compare_schemes(
        events, "IRN-PAK", schemes=["goldstein", "magnitude"], half_life=1
    )
    assert table["scheme"].tolist() == ["goldstein", "magnitude"]
    assert (table["peak_date"] == pd.Timestamp("2020-06-01")).all()
    # 195 is -10; under magnitude a deed counts twice and 9 deaths add log10(10) = 1 more
    assert table["peak"].tolist() == [10.0, 40.0]
    # goldstein: 10, then 5 - 1 = 4 < 5 on the next day; magnitude: 40, then 20 - 1 = 19 < 20
    assert table["days_to_half"].tolist() == [1.0, 1.0]
    # the runner-up is the episode of rank 2: the threat of force (138, -7) of 1 January
    assert (table["runner_up_date"] == pd.Timestamp("2020-01-01")).all()
    assert table["peak_ratio"].tolist() == pytest.approx([10 / 7, 40 / 7])


@pytest.mark.parametrize("scheme", sorted(relscore.SCHEMES))
def test_the_top_episode_is_the_one_episodes_ranks_first(scheme):
    """One definition of "top": the vectorised reading and the episode table agree."""
    events = relscore.datasets.load_all()
    index = relscore.tension_index(relscore.code_events(events, scheme))
    ranked = relscore.episodes(index)
    for dyad in ("IRN-PAK", "IND-PAK", "IRN-ISR"):
        top = relscore.compare_schemes(events, dyad, schemes=[scheme])
        first = ranked[(ranked["dyad"] == dyad) & (ranked["rank"] == 1)]
        assert top["peak_date"].tolist() == first["peak_date"].tolist()
        assert top["peak"].to_numpy() == pytest.approx(first["peak"].to_numpy(), rel=1e-12)
        assert top["days_to_half"].tolist() == first["days_to_half"].tolist()


def test_draws_are_bounded(events):
    with pytest.raises(ValueError, match="draws must lie between 0 and 100,000, got 100001"):
        robustness(events, "IRN-PAK", draws=MAX_DRAWS + 1)


@pytest.mark.parametrize(
    ("dyad", "kwargs"),
    [
        ("IRN-PAK", {"draws": 60, "seed": 1}),
        ("IND-PAK", {"draws": 20, "seed": 2, "window": 30}),
        ("IRN-ISR", {"draws": 20, "seed": 3, "jitter": 2.0, "jitter_mode": "points"}),
    ],
)
def test_the_curated_dyads_read_as_the_first_form_did(dyad, kwargs):
    """Against the first form (tests/analysis/naive.py: leave-one-out from an events x
    events matrix, jitter from a draws x events one): the same sums in the same order."""
    events = relscore.datasets.load_all()
    pd.testing.assert_frame_equal(
        robustness(events, dyad, **kwargs), naive.robustness(events, dyad, **kwargs)
    )


def test_a_busy_synthetic_dyad_reads_as_the_first_form_did():
    """Many events a day (so that leaving one out sums a day of several again), an event
    with its own weight, and rows that the first form built one by one."""
    events = synthetic_dyad(1500, years=4, seed=3).assign(weight=np.nan)
    events.loc[[5, 700], "weight"] = [-7.0, 3.0]
    fast = robustness(events, "ISR-PSE", draws=40, seed=2, chunk=7)
    pd.testing.assert_frame_equal(fast, naive.robustness(events, "ISR-PSE", draws=40, seed=2))
    # variants whose day reads the same without the event share one reading
    dropped = fast[fast["kind"] == "leave_one_out"]
    assert dropped["peak"].nunique() < len(dropped)


def test_memory_grows_with_the_events_not_their_square():
    """Eight times the events on the same days: the first form's peak grows about 64-fold
    (events x events), this one's far less than eight-fold."""

    def peak(n):
        events = synthetic_dyad(n, years=1, seed=1)
        robustness(events.iloc[:50], "ISR-PSE", draws=1)  # compiled code loaded
        tracemalloc.start()
        robustness(events, "ISR-PSE", draws=1, schemes=(), half_lives=(), windows=(), chunk=8)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    assert peak(2000) < 8 * peak(250)


def test_a_run_that_would_not_fit_stops_before_it_starts(events):
    # 11 events; 1 base + 3 schemes + 10 draws + 9 kernels + 11 left out = 34 variants;
    # 2020-01-04 (the day before the first event) to 365 days after 2021-04-02: 820 days
    needed = 11 * BYTES_PER_EVENT + 10 * MAX_CODES * 24 + 34 * BYTES_PER_VARIANT
    needed += 820 * BYTES_PER_VARIANT_DAY  # one row of the grid
    with pytest.raises(relscore.BudgetError) as error:
        robustness(events, "IRN-PAK", draws=10, max_memory=needed - 1)
    assert str(error.value) == (
        f"robustness of IRN-PAK (11 events, 820 days, 34 variants) needs about "
        f"{needed / 1e9:.2f} GB of memory and the budget is {(needed - 1) / 1e9:.2f} GB; "
        "fewer --draws, or more memory"
    )
    assert robustness(events, "IRN-PAK", draws=10, max_memory=needed)["peak"].notna().all()


def test_the_budget_makes_the_blocks_smaller_not_the_results_different(events):
    whole = robustness(events, "IRN-PAK", draws=30)
    # room for the events, the draws, the table and three rows of the grid at a time
    tight = 11 * BYTES_PER_EVENT + 30 * MAX_CODES * 24 + 54 * BYTES_PER_VARIANT
    tight += 3 * 820 * BYTES_PER_VARIANT_DAY
    pd.testing.assert_frame_equal(robustness(events, "IRN-PAK", draws=30, max_memory=tight), whole)
