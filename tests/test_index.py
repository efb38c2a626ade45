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
