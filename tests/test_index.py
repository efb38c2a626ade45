import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relscore import apply_kernel, tension_index


def coded(rows):
    """rows: (date, actor1, actor2, conflict, cooperation)."""
    frame = pd.DataFrame(rows, columns=["date", "actor1", "actor2", "conflict", "cooperation"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


TWO_EVENTS = [("2024-01-01", "IRN", "PAK", 4.0, 0.0), ("2024-01-04", "PAK", "IRN", 0.0, 1.0)]


def test_rolling_by_hand_with_a_gap_in_the_calendar():
    index = tension_index(coded(TWO_EVENTS), window=2)
    assert index["date"].dt.strftime("%m-%d").tolist() == ["01-01", "01-02", "01-03", "01-04"]
    assert index["n_events"].tolist() == [1, 0, 0, 1]
    assert index["net"].tolist() == [4.0, 0.0, 0.0, -1.0]
    assert index["tension"].tolist() == [4.0, 4.0, 0.0, -1.0]
    assert set(index["dyad"]) == {"IRN-PAK"}


def test_decay_by_hand():
    # half-life 1 day: r = 0.5; 4, 2, 1, 0.5 - 1 = -0.5
    index = tension_index(coded(TWO_EVENTS), half_life=1)
    assert index["tension"].tolist() == [4.0, 2.0, 1.0, -0.5]


def test_default_kernel_is_decay_with_14_day_half_life():
    index = tension_index(coded(TWO_EVENTS))
    r = 2 ** (-1 / 14)
    assert index["tension"].tolist() == pytest.approx([4, 4 * r, 4 * r**2, 4 * r**3 - 1])


def test_same_day_events_add_up_and_are_counted():
    rows = [("2024-01-01", "IRN", "PAK", 10.0, 0.0), ("2024-01-01", "PAK", "IRN", 0.0, 3.0)]
    index = tension_index(coded(rows), window=3)
    assert index[["n_events", "conflict", "cooperation", "net", "tension"]].to_numpy().tolist() == [
        [2, 10.0, 3.0, 7.0, 7.0]
    ]


def test_directed_keeps_the_two_directions_apart():
    index = tension_index(coded(TWO_EVENTS), window=10, directed=True)
    last = index[index["date"] == "2024-01-04"].set_index("dyad")["tension"]
    assert last.to_dict() == {"IRN>PAK": 4.0, "PAK>IRN": -1.0}


def test_many_dyads_at_once_equal_one_at_a_time():
    rows = [
        *TWO_EVENTS,
        ("2024-01-02", "IND", "PAK", 5.0, 0.0),
        ("2024-01-03", "PAK", "IND", 0.0, 2.0),
        ("2024-01-06", "ISR", "IRN", 7.0, 0.0),
    ]
    together = tension_index(coded(rows), half_life=3)
    assert list(together["dyad"].cat.categories) == ["IND-PAK", "IRN-ISR", "IRN-PAK"]
    for dyad, pair in [
        ("IRN-PAK", {"IRN", "PAK"}),
        ("IND-PAK", {"IND", "PAK"}),
        ("IRN-ISR", {"IRN", "ISR"}),
    ]:
        alone_rows = [r for r in rows if {r[1], r[2]} == pair]
        # one shared calendar: pad the lone dyad's calendar to the same span
        alone = tension_index(coded(alone_rows), half_life=3, start="2024-01-01", end="2024-01-06")
        mine = together[together["dyad"] == dyad]
        first = alone["date"].min()
        np.testing.assert_allclose(
            mine.loc[mine["date"] >= first, "tension"].to_numpy(), alone["tension"].to_numpy()
        )


def test_start_and_end_trim_rows_but_keep_history():
    index = tension_index(coded(TWO_EVENTS), half_life=1, start="2024-01-03", end="2024-01-06")
    assert index["date"].dt.day.tolist() == [3, 4, 5, 6]
    assert index["tension"].tolist() == [1.0, -0.5, -0.25, -0.125]


def test_kernel_arguments_are_checked():
    with pytest.raises(ValueError, match="not both"):
        apply_kernel(np.zeros(3), window=2, half_life=2)
    with pytest.raises(ValueError, match="window"):
        apply_kernel(np.zeros(3), window=0)
    with pytest.raises(ValueError, match="half_life"):
        apply_kernel(np.zeros(3), half_life=-1)


def test_long_calendar_short_half_life_does_not_overflow():
    net = np.zeros(80 * 365)
    net[0], net[-1] = 5.0, 1.0
    tension = apply_kernel(net, half_life=0.5)
    assert np.isfinite(tension).all() and tension[-1] == 1.0


def test_empty_input_gives_empty_index_with_columns():
    empty = coded([])
    index = tension_index(empty)
    assert index.empty and list(index.columns) == [
        "dyad",
        "date",
        "n_events",
        "conflict",
        "cooperation",
        "net",
        "tension",
    ]


series = st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=60)
kernels = st.one_of(
    st.builds(dict, window=st.integers(1, 20)),
    st.builds(dict, half_life=st.floats(0.5, 60)),
)


@settings(max_examples=60, deadline=None)
@given(series, series, st.floats(-3, 3, allow_nan=False), kernels)
def test_kernel_is_linear(x, y, a, kernel):
    n = min(len(x), len(y))
    x, y = np.array(x[:n]), np.array(y[:n])
    lhs = apply_kernel(a * x + y, **kernel)
    rhs = a * apply_kernel(x, **kernel) + apply_kernel(y, **kernel)
    np.testing.assert_allclose(lhs, rhs, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(series, st.integers(0, 30), kernels)
def test_kernel_is_time_shift_invariant(x, shift, kernel):
    x = np.array(x)
    shifted = apply_kernel(np.concatenate([np.zeros(shift), x]), **kernel)
    np.testing.assert_allclose(shifted[shift:], apply_kernel(x, **kernel), atol=1e-9)
    assert not shifted[:shift].any()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.floats(0, 20), st.floats(0, 20)), min_size=1, max_size=30
    ),
    st.integers(0, 400),
)
def test_index_shifts_with_the_events(rows, shift):
    def frame(offset):
        return coded(
            [
                (pd.Timestamp("2020-01-01") + pd.Timedelta(days=d + offset), "IRN", "PAK", c, k)
                for d, c, k in rows
            ]
        )

    a, b = tension_index(frame(0), window=7), tension_index(frame(shift), window=7)
    np.testing.assert_array_equal(a["tension"].to_numpy(), b["tension"].to_numpy())
    assert (b["date"] - a["date"] == pd.Timedelta(days=shift)).all()


# The compiled passes (numba): edge cases of the grid, the calendar and the threads.


def event_order_reference(frame, window):
    """The index by hand: Python sums per (dyad, day) in event order, a Python window sum."""
    days = frame["date"].dt.floor("D")
    first, last = days.min(), days.max()
    dyads = sorted(
        {"-".join(sorted(pair)) for pair in zip(frame["actor1"], frame["actor2"], strict=True)}
    )
    n_days = (last - first).days + 1
    sums = {dyad: np.zeros((n_days, 3)) for dyad in dyads}
    for day, a1, a2, conflict, cooperation in zip(
        days, frame["actor1"], frame["actor2"], frame["conflict"], frame["cooperation"], strict=True
    ):
        cell = sums["-".join(sorted((a1, a2)))][(day - first).days]
        cell += [1.0, conflict, cooperation]  # elementwise, in event order
    rows = []
    for dyad in dyads:
        net = [float(c - k) for _, c, k in sums[dyad]]
        for d, (n, c, k) in enumerate(sums[dyad]):
            tension = 0.0
            for x in net[max(0, d - window + 1) : d + 1]:  # oldest day first
                tension += x
            rows.append((dyad, first + pd.Timedelta(days=d), int(n), c, k, net[d], tension))
    return pd.DataFrame(rows, columns=["dyad", "date", "n_events", *COMPUTED])


COMPUTED = ["conflict", "cooperation", "net", "tension"]


def assert_same_index(mine, want):
    assert mine["dyad"].astype(str).tolist() == want["dyad"].astype(str).tolist()
    assert (mine["date"].to_numpy() == want["date"].to_numpy("datetime64[s]")).all()
    np.testing.assert_array_equal(mine["n_events"].to_numpy(), want["n_events"].to_numpy())
    for column in COMPUTED:  # bit for bit
        np.testing.assert_array_equal(mine[column].to_numpy(), want[column].to_numpy())


def random_events(n, seed, actors=("IND", "IRN", "ISR", "PAK"), days=40, start="2023-12-20"):
    rng = np.random.default_rng(seed)
    pairs = rng.choice(len(actors), size=(n, 2))
    pairs[:, 1] = (pairs[:, 0] + 1 + rng.integers(0, len(actors) - 1, n)) % len(actors)
    weight = rng.normal(0, 5, n)
    return pd.DataFrame(
        {
            "date": pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D"),
            "actor1": np.array(actors)[pairs[:, 0]],
            "actor2": np.array(actors)[pairs[:, 1]],
            "conflict": np.maximum(-weight, 0) * rng.uniform(0.1, 3, n),
            "cooperation": np.maximum(weight, 0) * rng.uniform(0.1, 3, n),
        }
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sums_are_in_event_order_whatever_the_order(seed):
    events = random_events(300, seed).sample(frac=1, random_state=seed)  # out of date order
    assert not events["date"].is_monotonic_increasing
    assert_same_index(tension_index(events, window=7), event_order_reference(events, 7))


def test_a_dyad_alone_with_a_single_event():
    index = tension_index(coded([("2024-01-16", "PAK", "IRN", 6.0, 0.0)]), window=3)
    assert index[["n_events", *COMPUTED]].to_numpy().tolist() == [[1, 6.0, 0.0, 6.0, 6.0]]
    assert index["dyad"].tolist() == ["IRN-PAK"] and str(index["date"].dtype) == "datetime64[s]"


def test_quiet_dyads_have_rows_of_zeros_and_shown_days_can_be_empty():
    rows = [("2024-01-01", "IRN", "PAK", 4.0, 0.0), ("2024-03-01", "IND", "PAK", 0.0, 1.0)]
    index = tension_index(coded(rows), window=2)
    quiet = index[(index["dyad"] == "IRN-PAK") & (index["date"] > "2024-01-02")]
    assert len(quiet) == 59 and not quiet[["n_events", *COMPUTED]].to_numpy().any()
    after = tension_index(coded(rows), window=2, start="2024-06-01")
    assert after.empty and list(after.columns) == list(index.columns)
    assert after["n_events"].dtype == np.int64 and str(after["date"].dtype) == "datetime64[s]"
    before = tension_index(coded(rows), window=2, end="2023-06-01")
    assert before.empty


def test_end_after_the_last_event_extends_the_calendar():
    index = tension_index(coded(TWO_EVENTS), half_life=1, end="2024-01-06")
    assert index["tension"].tolist() == [4.0, 2.0, 1.0, -0.5, -0.25, -0.125]
    assert index["n_events"].tolist() == [1, 0, 0, 1, 0, 0]


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s", "str"])
def test_dates_before_1970_and_times_of_day(unit):
    rows = [
        ("1947-08-14 23:59:59", "IRN", "PAK", 0.0, 3.0),  # recognition, the day before 1970
        ("1965-09-06 00:00:00", "IND", "PAK", 9.0, 0.0),
        ("1969-12-31 23:00:00", "IRN", "PAK", 2.0, 0.0),  # an hour before 1970
        ("1970-01-01 00:00:00", "IRN", "PAK", 1.0, 0.0),
        ("1965-09-06 12:00:00", "PAK", "IND", 0.0, 1.0),
    ]
    events = coded(rows)
    if unit == "str":  # dates as text: read as whole days
        events["date"] = events["date"].dt.strftime("%Y-%m-%d").astype(object)
    else:
        events["date"] = events["date"].astype(f"datetime64[{unit}]")
    index = tension_index(events, window=1).set_index(["dyad", "date"])
    assert str(index.index.levels[1].min().date()) == "1947-08-14"
    irn_pak = index.loc["IRN-PAK"]
    assert irn_pak.loc["1947-08-14", "net"] == -3.0
    assert irn_pak.loc["1969-12-31", "net"] == 2.0 and irn_pak.loc["1970-01-01", "net"] == 1.0
    assert index.loc[("IND-PAK", "1965-09-06"), "n_events"] == 2
    assert index["n_events"].sum() == 5


def test_categorical_actors_give_the_same_index_as_strings():
    events = random_events(200, 3)
    names = sorted(set(events["actor1"]) | set(events["actor2"]))
    as_categories = events.assign(
        actor1=pd.Categorical(events["actor1"], categories=names),
        actor2=pd.Categorical(events["actor2"], categories=names[::-1]),  # other codes
    )
    assert_same_index(tension_index(as_categories, window=5), tension_index(events, window=5))


@pytest.mark.parametrize("kernel", [{"window": 9}, {"half_life": 3.0}])
def test_threads_do_not_change_a_bit(monkeypatch, kernel):
    import relscore._compiled as compiled

    events = random_events(2000, 4, actors=("A", "B", "C", "D", "E", "F"), days=300)
    monkeypatch.setattr(compiled, "CPUS", 1)
    alone = tension_index(events, **kernel, start="2024-02-01")
    monkeypatch.setattr(compiled, "CPUS", 3)
    monkeypatch.setattr(compiled, "WORK_PER_THREAD", 1)  # threads even for small data
    monkeypatch.setattr(compiled, "CHUNK", 7)  # many chunks, the last one partial
    assert_same_index(tension_index(events, **kernel, start="2024-02-01"), alone)


@pytest.mark.parametrize("kernel", [{"window": 1}, {"window": 30}, {"window": 500}, {}])
def test_index_tension_is_apply_kernel_of_net_bit_for_bit(kernel):
    events = random_events(500, 5, days=400)
    index = tension_index(events, **kernel)
    days = index["date"].nunique()
    net = index["net"].to_numpy().reshape(-1, days)
    tension = index["tension"].to_numpy().reshape(-1, days)
    np.testing.assert_array_equal(apply_kernel(net, **kernel), tension)


def test_decay_matches_lfilter_bit_for_bit_and_rolling_the_plain_sum():
    from scipy.signal import lfilter

    rng = np.random.default_rng(6)
    net = rng.normal(0, 10, (5, 400)) * (rng.random((5, 400)) < 0.3)
    for half_life in (0.5, 14.0, 200.0):
        ratio = 2.0 ** (-1.0 / half_life)
        np.testing.assert_array_equal(
            apply_kernel(net, half_life=half_life), lfilter([1.0], [1.0, -ratio], net, axis=-1)
        )
    rolling = apply_kernel(net, window=30)
    np.testing.assert_allclose(rolling, lfilter(np.ones(30), [1.0], net, axis=-1), rtol=1e-12)
    by_hand = [sum(row[max(0, d - 29) : d + 1]) for row in net.tolist() for d in range(400)]
    np.testing.assert_array_equal(rolling.ravel(), by_hand)


def test_apply_kernel_keeps_the_shape():
    net = np.arange(24.0).reshape(2, 3, 4)
    assert apply_kernel(net, window=2).shape == (2, 3, 4)
    np.testing.assert_array_equal(apply_kernel(net, window=2)[1, 2], [20.0, 41.0, 43.0, 45.0])
    assert apply_kernel(np.zeros((3, 0))).shape == (3, 0)
    assert apply_kernel([1, 2], window=5).tolist() == [1.0, 3.0]  # a list of ints


def test_sum_onto_grid_sums_in_event_order_and_checks_cells():
    from relscore.index import sum_onto_grid

    rng = np.random.default_rng(7)
    cell = rng.integers(0, 12, 1000)
    conflict, cooperation = rng.uniform(0, 9, 1000), rng.uniform(0, 9, 1000)
    n_events, conflict_sum, cooperation_sum = sum_onto_grid(cell, conflict, cooperation, 3, 4)
    assert n_events.shape == (3, 4) and n_events.dtype == np.int64
    np.testing.assert_array_equal(n_events.ravel(), np.bincount(cell, minlength=12))
    np.testing.assert_array_equal(conflict_sum.ravel(), np.bincount(cell, conflict, 12))
    np.testing.assert_array_equal(cooperation_sum.ravel(), np.bincount(cell, cooperation, 12))
    with pytest.raises(ValueError, match="event 1: cell 12 is outside the 3 x 4 grid"):
        sum_onto_grid(np.array([0, 12]), np.ones(2), np.ones(2), 3, 4)
    with pytest.raises(ValueError, match="cell -1"):
        sum_onto_grid(np.array([-1]), np.ones(1), np.ones(1), 3, 4)
    with pytest.raises(TypeError, match="integers"):
        sum_onto_grid(np.array([0.0]), np.ones(1), np.ones(1), 3, 4)


def test_missing_dates_or_actors_are_errors():
    events = coded(TWO_EVENTS)
    with pytest.raises(ValueError, match="date"):
        tension_index(events.assign(date=[pd.NaT, events["date"][1]]))
    with pytest.raises(ValueError, match="actor1 and actor2"):
        tension_index(events.assign(actor2=["PAK", None]))
