import math

import numpy as np
import pandas as pd
import pytest

from relscore import UncoveredCodesError, code_events, weight_coverage


def events(**columns):
    n = len(columns["event_code"])
    base = {
        "date": pd.to_datetime(["2024-01-16"] * n),
        "actor1": ["IRN"] * n,
        "actor2": ["PAK"] * n,
    }
    return pd.DataFrame({**base, **columns})


def test_goldstein_is_plain_net_weight():
    coded = code_events(
        events(event_code=["195", "040", "111"], fatalities=[2.0, np.nan, np.nan]), "goldstein"
    )
    assert coded["weight"].tolist() == [-10.0, 1.0, -2.0]
    assert coded["magnitude"].tolist() == [1.0, 1.0, 1.0]
    assert coded["conflict"].tolist() == [10.0, 0.0, 2.0]
    assert coded["cooperation"].tolist() == [0.0, 1.0, 0.0]


def test_magnitude_doubles_deeds_and_scales_by_log10_deaths():
    # 195 material conflict, 9 deaths: 10 * 2 * (1 + log10(10)) = 40
    # 061 material cooperation (+6.4), no deaths: 6.4 * 2 = 12.8
    # 111 verbal conflict (-2), 99 deaths recorded: 2 * 1 * (1 + log10(100)) = 6
    coded = code_events(
        events(event_code=["195", "061", "111"], fatalities=[9.0, np.nan, 99.0]), "magnitude"
    )
    assert coded["conflict"].tolist() == pytest.approx([40.0, 0.0, 6.0])
    assert coded["cooperation"].tolist() == pytest.approx([0.0, 12.8, 0.0])
    assert coded["magnitude"].iloc[1] == 2.0


def test_magnitude_of_two_deaths():
    coded = code_events(events(event_code=["195"], fatalities=[2.0]))
    assert coded["conflict"].iloc[0] == pytest.approx(20 * (1 + math.log10(3)))


def test_quad_scores_by_class():
    coded = code_events(events(event_code=["040", "061", "111", "195", "09"]), "quad")
    assert coded["weight"].tolist() == [1.0, 2.0, -1.0, -2.0, 2.0]


def test_overrides_then_per_event_weight_win():
    data = events(event_code=["195", "195", "036"], weight=[np.nan, -3.0, np.nan])
    coded = code_events(data, "goldstein", {"195": -8.0})
    assert coded["weight"].tolist() == [-8.0, -3.0, 4.0]


def test_zero_weight_event_counts_in_neither_stream():
    coded = code_events(events(event_code=["010"]))
    assert (coded["conflict"].iloc[0], coded["cooperation"].iloc[0]) == (0.0, 0.0)


def test_uncovered_codes_are_reported_not_dropped():
    with pytest.raises(UncoveredCodesError, match=r"no weight for event code.*: 999"):
        code_events(events(event_code=["195", "999"]))


def test_coverage_lists_every_code_with_origin():
    coverage = weight_coverage(
        events(event_code=["195", "195", "036", "999"]), "goldstein", {"036": 5}
    )
    assert coverage[["event_code", "n_events", "weight", "origin"]].to_dict("records") == [
        {"event_code": "036", "n_events": 1, "weight": 5.0, "origin": "override"},
        {"event_code": "195", "n_events": 2, "weight": -10.0, "origin": "scheme"},
        {
            "event_code": "999",
            "n_events": 1,
            "weight": pytest.approx(np.nan, nan_ok=True),
            "origin": "missing",
        },
    ]
