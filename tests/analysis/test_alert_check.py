"""relscore.analysis.alert_check: the known-crises rule for alerts, on alerts made by hand."""

import pandas as pd

import relscore
from relscore.analysis.alert_check import ALERT_CHECK_COLUMNS, alert_check, false_alarms


def alerts_of(*rows):
    table = pd.DataFrame(rows, columns=["dyad", "date", "level", "value"])
    return table.assign(date=pd.to_datetime(table["date"]))


def crises_of(*rows):
    table = pd.DataFrame(rows, columns=["dyad", "start", "end", "what"])
    return table.assign(start=pd.to_datetime(table["start"]), end=pd.to_datetime(table["end"]))


def test_an_alert_counts_from_three_days_before_the_start_to_the_end():
    known = crises_of(("AAA-BBB", "2000-01-10", "2000-01-20", "x"))
    for date, found in [
        ("2000-01-06", False),  # 4 days before the start
        ("2000-01-07", True),  # 3 days before
        ("2000-01-20", True),  # the last day
        ("2000-01-21", False),  # the day after: an alert speaks of a beginning
    ]:
        check = alert_check(alerts_of(("AAA-BBB", date, "1 year", 50.0)), known)
        assert (check.loc[0, "status"] == "found") == found, date
        assert list(check.columns) == list(ALERT_CHECK_COLUMNS)
        if found:
            lag = (pd.Timestamp(date) - pd.Timestamp("2000-01-10")).days
            assert check.loc[0, "lag_days"] == lag
        else:  # the alert is a false alarm, or a crisis the list lacks
            assert check["status"].tolist() == ["missed", "unlisted"]


def test_the_first_alert_matches_and_other_dyads_are_not_judged():
    known = crises_of(
        ("AAA-BBB", "2000-01-10", "2000-01-20", "x"), ("CCC-DDD", "2001-05-01", "2001-05-02", "y")
    )
    found = alerts_of(
        ("AAA-BBB", "2000-01-15", "3 years", 70.0),
        ("AAA-BBB", "2000-01-12", "1 year", 50.0),
        ("AAA-BBB", "1999-06-01", "1 year", 45.0),
        ("EEE-FFF", "2000-01-12", "record", 99.0),  # no crisis listed for it: not read
    )
    check = alert_check(found, known)
    assert check["status"].tolist() == ["found", "missed", "unlisted"]
    assert check.loc[0, ["date", "level", "lag_days"]].tolist() == [
        pd.Timestamp("2000-01-12"),
        "1 year",
        2,
    ]
    assert check.loc[2, "date"] == pd.Timestamp("1999-06-01")
    assert relscore.crisis_recall(check) == 0.5


def test_false_alarms_per_dyad_year_of_the_busiest_listed_dyads():
    check = pd.DataFrame(
        {
            "dyad": ["A-B", "A-B", "C-D", "E-F", "C-D"],
            "status": ["found", "unlisted", "missed", "missed", "unlisted"],
            "date": pd.to_datetime(["2001-01-01", "2002-01-01", None, None, "2003-01-01"]),
        }
    )
    standing = pd.DataFrame(
        {
            "dyad": ["A-B", "C-D", "E-F", "G-H"],
            "n_events": [900, 500, 100, 5000],  # G-H lists no crisis: not counted
            "first_event": pd.to_datetime(["2000-01-01", "2002-12-31", "2000-01-01", "2000-01-01"]),
            "last_day": pd.to_datetime(["2004-12-31"] * 4),
        }
    )
    table = false_alarms(check, standing, busiest=2)
    assert table["dyad"].tolist() == ["A-B", "C-D", "all"]
    # A-B could alert from 2000-12-31 (a year after its first event): 4.0 years, 1 alarm;
    # C-D from 2003-12-31: 1.0 year, 1 alarm.
    assert table["years"].tolist() == [4.0, 1.0, 5.0]
    assert table["false_alarms"].tolist() == [1, 1, 2]
    assert table["per_year"].tolist() == [0.25, 1.0, 0.4]
