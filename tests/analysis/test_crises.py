"""relscore.analysis.crises: the known-crises rule, on episodes made by hand."""

import pandas as pd

from relscore.analysis.crises import crisis_recall, known_crises


def episodes_of(*rows):
    return pd.DataFrame(rows, columns=["dyad", "rank", "peak_date", "peak"]).assign(
        peak_date=lambda t: pd.to_datetime(t["peak_date"])
    )


def crises_of(*rows):
    table = pd.DataFrame(rows, columns=["dyad", "start", "end", "what"])
    return table.assign(start=pd.to_datetime(table["start"]), end=pd.to_datetime(table["end"]))


def test_the_window_runs_from_three_days_before_to_thirty_after():
    known = crises_of(("AAA-BBB", "2000-01-10", "2000-01-20", "x"))
    for peak, found in [
        ("2000-01-06", False),  # 4 days before the start
        ("2000-01-07", True),  # 3 days before
        ("2000-02-19", True),  # 30 days after the end
        ("2000-02-20", False),  # 31 days after
    ]:
        check = known_crises(episodes_of(("AAA-BBB", 1, peak, 50.0)), known)
        assert (check.loc[0, "status"] == "found") == found, peak
        if found:
            assert (
                check.loc[0, "lag_days"] == (pd.Timestamp(peak) - pd.Timestamp("2000-01-10")).days
            )


def test_the_rank_limit_is_five_or_the_listed_crises_plus_three():
    one = crises_of(("AAA-BBB", "2000-01-10", "2000-01-20", "x"))
    ranks = [("AAA-BBB", r, f"20{r:02d}-01-01", 100.0 - r) for r in range(1, 9)]
    ep = episodes_of(*ranks, ("AAA-BBB", 6, "2000-01-15", 10.0))
    check = known_crises(ep.drop(index=5), one)  # rank 6 near the crisis: beyond 5
    assert check.loc[0, "status"] == "missed" and check.loc[0, "rank_limit"] == 5
    many = crises_of(*[("AAA-BBB", "2000-01-10", "2000-01-20", "x")] * 3)  # 3 + 3 = 6
    check = known_crises(ep.drop(index=5), many)
    assert (check.loc[:2, "status"] == "found").all() and check.loc[0, "rank"] == 6


def test_the_best_ranked_episode_matches_and_the_rest_are_unlisted():
    known = crises_of(
        ("AAA-BBB", "2000-01-10", "2000-01-20", "x"), ("CCC-DDD", "2001-05-01", "2001-05-02", "y")
    )
    ep = episodes_of(
        ("AAA-BBB", 2, "2000-01-12", 40.0),
        ("AAA-BBB", 1, "2000-01-25", 60.0),
        ("AAA-BBB", 3, "1999-01-01", 30.0),
        ("EEE-FFF", 1, "2000-01-12", 99.0),  # a dyad with no listed crisis: not read
    )
    check = known_crises(ep, known)
    assert check["status"].tolist() == ["found", "missed", "unlisted"]
    assert check.loc[0, "rank"] == 1 and check.loc[0, "peak_date"] == pd.Timestamp("2000-01-25")
    assert check.loc[2, ["dyad", "rank"]].tolist() == ["AAA-BBB", 3]
    assert crisis_recall(check) == 0.5
