"""relscore.analysis.alerts: the alert definition on series made by hand, against a plain loop
per day, and on the bundled data."""

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis._alert_kernel import scan_rows
from relscore.analysis.alerts import (
    ALERT_COLUMNS,
    STANDING_COLUMNS,
    alerts,
    floor_of,
    index_blocks,
    scan,
    with_top_events,
)
from tests.analysis.naive_alerts import naive_alerts

START = pd.Timestamp("2000-01-01")


def index_of(*series: list[float], dyads=("AAA-BBB", "CCC-DDD")) -> pd.DataFrame:
    """An index whose conflict is each series (one per dyad), an event on every day with
    conflict; read with ``window=1`` the alert series is the conflict itself."""
    frames = []
    for dyad, values in zip(dyads, series, strict=False):
        values = np.asarray(values, dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "dyad": dyad,
                    "date": pd.date_range(START, periods=len(values)),
                    "n_events": (values != 0).astype(int),
                    "conflict": values,
                    "cooperation": 0.0,
                    "net": values,
                    "tension": values,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def day(n: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=n)


def read(*series, **settings) -> pd.DataFrame:
    return alerts(index_of(*series), window=1, **settings)


def test_a_record_broken_then_held_is_one_alert():
    # A year and 35 days at 5 points, then 50, held, then beaten day after day.
    x = [5.0] * 400 + [50.0] * 10 + [51.0, 52.0, 53.0] + [5.0] * 30
    table = read(x)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["dyad"], row["date"], row["level"], row["value"]) == (
        "AAA-BBB",
        day(400),
        "1 year",
        50.0,
    )
    # The record it broke: the highest of the year before the rise (5, first on day 35).
    assert (row["previous_record"], row["previous_record_date"]) == (5.0, day(35))
    assert pd.isna(row["since"])  # never this high before
    assert list(table.columns) == list(ALERT_COLUMNS)


def test_a_second_record_after_the_quiet_period_is_a_second_alert():
    # 50 on day 400; 60 on day 491, 91 days later (quiet 90): a second alert.
    x = [5.0] * 400 + [50.0] + [5.0] * 90 + [60.0] + [5.0] * 10
    table = read(x)
    assert table["date"].tolist() == [day(400), day(491)]
    second = table.iloc[1]
    assert second["level"] == "1 year" and second["previous_record"] == 50.0
    assert second["previous_record_date"] == day(400)
    # The same 60 on day 490, 90 days after the first: still quiet.
    x = [5.0] * 400 + [50.0] + [5.0] * 89 + [60.0] + [5.0] * 10
    assert read(x)["date"].tolist() == [day(400)]
    # A shorter quiet period lets it through.
    assert read(x, quiet_days=89)["date"].tolist() == [day(400), day(490)]


def test_below_the_floor_nothing_alerts():
    x = [5.0] * 400 + [39.9] + [5.0] * 10
    assert read(x).empty
    assert read(x, floor=39.9)["value"].tolist() == [39.9]


def test_the_levels_and_a_higher_one_inside_the_quiet_period():
    # Four years at 5, 45 on day 1200, then 30 days later 70: the first beats everything
    # since the dyad's first event (a record: its history is over three years), so does
    # the second -- same level, inside the quiet period: no second alert.
    x = [5.0] * 1200 + [45.0] + [5.0] * 29 + [70.0] + [5.0] * 5
    assert read(x)[["date", "level"]].to_numpy().tolist() == [[day(1200), "record"]]
    # A high of 80 on day 100 makes day 1200's 45 a three-year record (80 is 1,100 days
    # back), and day 1230's 90 a record above it: a higher level speaks in the quiet.
    x[100] = 80.0
    x[1230] = 90.0
    table = read(x)
    assert table[["date", "level"]].to_numpy().tolist() == [
        [day(1200), "3 years"],
        [day(1230), "record"],
    ]
    assert table["since"].tolist() == [day(100), pd.NaT]
    assert table["previous_record"].tolist() == [5.0, 80.0]
    # 60 on day 600: a one-year record (80 was 500 days back), with its "since".
    y = [5.0] * 100 + [80.0] + [5.0] * 499 + [60.0] + [5.0] * 5
    row = read(y).iloc[0]
    assert (row["level"], row["since"], row["previous_record_date"]) == (
        "1 year",
        day(100),
        day(235),
    )


def test_a_dyad_needs_a_year_of_history():
    x = [0.0] * 30 + [5.0] * 364 + [50.0]  # first event on day 30: 364 days before day 394
    assert read(x).empty
    assert read([0.0] * 30 + [5.0] * 365 + [50.0])["date"].tolist() == [day(395)]


def test_the_dyads_are_read_alone():
    a = [5.0] * 400 + [50.0]
    b = [0.0] * 200 + [5.0] * 400 + [80.0]  # its history starts on day 200
    both = read(a, b)
    assert both["dyad"].tolist() == ["AAA-BBB", "CCC-DDD"]
    assert both["date"].tolist() == [day(400), day(600)]
    alone = alerts(index_of(b, dyads=["CCC-DDD"]), window=1)
    pd.testing.assert_frame_equal(alone, both.iloc[[1]].reset_index(drop=True))


def test_since_keeps_later_alerts_and_reads_the_history_before():
    x = [5.0] * 400 + [50.0] + [5.0] * 100 + [60.0]
    assert read(x, since=day(401))["date"].tolist() == [day(501)]


def test_the_compiled_walk_is_the_plain_loop():
    rng = np.random.default_rng(7)
    for trial in range(60):
        n = int(rng.integers(300, 1500))
        spiky = rng.random(n) < rng.uniform(0.01, 0.3)
        x = np.where(spiky, rng.gamma(2.0, 20.0, n), 0.0).round(int(rng.integers(0, 2)))
        first = int(rng.integers(0, 50))
        x[:first] = 0.0
        x[first] = max(x[first], 1.0)  # the first event
        floor, quiet = float(rng.choice([1.0, 20.0, 40.0])), int(rng.choice([0, 7, 90]))
        # The package's spans on half the trials, short ones (every level reached) on the rest.
        year, three = (365, 1095) if trial % 2 else (30, 90)
        found = np.empty((3 * n, 5), np.int64)
        count = scan_rows(x[None].copy(), np.array([first]), floor, quiet, year, three, found)
        levels = ("1 year", "3 years", "record")
        got = [
            (t, levels[lvl], None if rec < 0 else rec, None if since < 0 else since)
            for _, t, lvl, rec, since in found[:count].tolist()
        ]
        assert got == naive_alerts(list(x), first, floor, quiet, year, three), trial


def test_the_buffer_grows_until_every_alert_fits():
    # Every day a new record and no quiet period: far more alerts than the first buffer.
    x = np.concatenate([[1.0] * 365, np.arange(50.0, 450.0)])
    table = read(x, quiet_days=0)
    assert len(table) == 400 and table["date"].iloc[-1] == day(764)


def test_floor_of_is_two_of_the_strongest_events():
    assert floor_of() == relscore.analysis.alerts.FLOOR == 40.0
    assert (floor_of("goldstein"), floor_of("quad")) == (20.0, 4.0)
    assert floor_of("goldstein", {"195": -5.0}) == 20.0  # other codes still weigh -10


def test_one_stray_report_cannot_alert():
    # A quiet year, then one deed of weight -10 (20 points under magnitude) on top of
    # another of 19 the day before: 20 + 19 * 2**(-1/14) < 40.
    rows = [("2000-01-01", "042"), ("2001-03-01", "190"), ("2001-03-02", "195")]
    events = pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in rows]),
            "actor1": "AAA",
            "actor2": "BBB",
            "event_code": [c for _, c in rows],
        }
    )
    coded = relscore.code_events(events)
    assert alerts(relscore.tension_index(coded)).empty
    twice = relscore.code_events(pd.concat([events, events.iloc[[2]]], ignore_index=True))
    assert alerts(relscore.tension_index(twice))["date"].tolist() == [pd.Timestamp("2001-03-02")]


def test_iran_pakistan_january_2024_alerts_on_the_16th_or_17th():
    coded = relscore.code_events(relscore.datasets.load("iran_pakistan"))
    index = relscore.tension_index(coded)
    for series in ("conflict", "tension"):
        table = alerts(index, coded, series=series, since="2024-01-01")
        assert table["date"].tolist() == [pd.Timestamp("2024-01-17")], series
        assert table["level"].tolist() == ["record"]


def test_the_top_events_are_explains_decomposition():
    coded = relscore.code_events(relscore.datasets.load("iran_pakistan"))
    index = relscore.tension_index(coded)
    table = alerts(index, coded, series="tension", since="2024-01-01")
    top = relscore.top_contributors(coded, "IRN-PAK", ["2024-01-17"], k=3)
    assert table.loc[0, ["contribution_1", "contribution_2", "contribution_3"]].tolist() == (
        pytest.approx(top["contribution"].tolist(), abs=1e-12)
    )
    first = coded.loc[top.loc[0, "event"]]
    assert table.loc[0, "event_1"] == (
        f"{first['date']:%Y-%m-%d} {first['event_code']} {first['description']}"
    )
    assert table.loc[0, "source_1"] == first["source"]
    # The conflict series weighs conflict only: the strike first, at its 2 ** (-1/14).
    conflict = alerts(index, coded, since="2024-01-01")
    assert conflict.loc[0, "contribution_1"] == pytest.approx(
        coded.loc[top.loc[0, "event"], "conflict"] * 2 ** (-1 / 14)
    )


def test_events_without_text_read_as_the_codebook_and_their_file():
    table = read([5.0] * 400 + [50.0])
    events = pd.DataFrame(
        {
            "date": [day(400)],
            "actor1": ["AAA"],
            "actor2": ["BBB"],
            "event_code": ["195"],
            "conflict": [50.0],
            "cooperation": [0.0],
            "file": ["export.CSV"],
            "line": [12],
        }
    )
    row = with_top_events(table, events, window=1).iloc[0]
    assert row["event_1"] == "2001-02-04 195 Employ aerial weapons"
    assert row["source_1"] == "export.CSV line 12" and row["contribution_1"] == 50.0
    assert pd.isna(row["event_2"]) and pd.isna(row["contribution_2"])


def test_the_standing_of_each_dyad():
    x = [5.0] * 100 + [80.0] + [5.0] * 499 + [60.0] + [5.0] * 5
    _, standing = scan(index_blocks(index_of(x), "conflict", 1, None), 40.0, 90, recent_days=30)
    assert list(standing.columns) == list(STANDING_COLUMNS)
    row = standing.iloc[0]
    assert (row["peak_date"], row["peak"], row["since"]) == (day(600), 60.0, day(100))
    assert (row["first_event"], row["last_day"], row["n_events"]) == (day(0), day(605), 606)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"series": "net"}, "series must be one of conflict, tension"),
        ({"floor": 0.0}, "floor must be a number of index points > 0"),
        ({"floor": float("nan")}, "floor must be"),
        ({"quiet_days": -1}, "quiet_days must be a whole number >= 0"),
        ({"quiet_days": 1.5}, "quiet_days must be a whole number >= 0"),
        ({"window": 0}, "window must be a whole number"),
    ],
)
def test_settings_out_of_range(settings, message):
    with pytest.raises(ValueError, match=message):
        alerts(index_of([1.0]), **settings)


def test_an_index_that_cannot_be_read():
    with pytest.raises(ValueError, match="lacks column"):
        alerts(index_of([1.0]).drop(columns="conflict"))
    twice = pd.concat([index_of([1.0, 2.0])] * 2)
    with pytest.raises(ValueError, match="two rows for one dyad and day"):
        alerts(twice)
    with pytest.raises(ValueError, match="must be coded"):
        alerts(index_of([1.0]), pd.DataFrame({"date": [START], "event_code": ["195"]}))
    empty = alerts(index_of([1.0]).iloc[:0])
    assert empty.empty and list(empty.columns) == list(ALERT_COLUMNS)
