"""relscore.vocabulary: dyads, days, months, calendars and date ranges, worked out by hand."""

import numpy as np
import pytest

from relscore.exceptions import UnknownDyadError
from relscore.vocabulary import (
    calendar,
    check_date_range,
    check_dyad,
    dates_of,
    day_number,
    day_numbers,
    did_you_mean,
    iso_date,
    month_name,
    month_spans,
    month_start,
    parse_dyad,
)


@pytest.mark.parametrize(
    ("text", "directed", "dyad"),
    [
        ("pak-irn", None, "IRN-PAK"),
        (" IRN-PAK ", None, "IRN-PAK"),
        ("PAK>IRN", None, "PAK>IRN"),
        ("PAK-IRN", True, "PAK>IRN"),
        ("PAK>IRN", False, "IRN-PAK"),
    ],
)
def test_a_dyad_as_people_type_it(text, directed, dyad):
    assert parse_dyad(text, directed) == dyad


@pytest.mark.parametrize(
    "text", ["IRN", "IRN-PAK-IND", "IR-PK", "IRAN-PAKISTAN", "IRN-IRN", "1RN-PAK"]
)
def test_what_is_not_a_dyad(text):
    with pytest.raises(ValueError, match=r"alpha-3|two different"):
        parse_dyad(text)


def test_check_dyad_finds_it_or_names_the_dyads_there_are():
    assert check_dyad(["IND-PAK", "IRN-PAK"], "IRN-PAK") == 1
    with pytest.raises(
        UnknownDyadError,
        match=r"no events for dyad IRN-ISR \(dyads in the data: IND-PAK, IRN-PAK\)",
    ):
        check_dyad(["IND-PAK", "IRN-PAK"], "IRN-ISR")
    with pytest.raises(ValueError):  # an input error is a ValueError too
        check_dyad([], "IRN-PAK")


def test_days_since_1970_both_ways():
    assert day_number("1970-01-01") == 0
    assert day_number("1969-12-31") == -1
    assert day_number("2024-01-18") == 19740  # 54 years of 365 days, 13 of them leap: 19723 + 17
    assert iso_date(19740) == "2024-01-18"
    assert day_numbers(np.array(["2024-01-18T23:59"], "datetime64[m]")).tolist() == [19740]
    assert dates_of([0, 19740]).astype(str).tolist() == [
        "1970-01-01T00:00:00",
        "2024-01-18T00:00:00",
    ]


def test_months_cut_to_the_range():
    # 2024 is a leap year: February has 29 days, 19754 = 1 February, 19783 = 1 March.
    assert month_name(19783) == "2024-03"
    assert month_start(19760) == 19754
    assert month_spans(19750, 19760) == [("2024-01", 19750, 19754), ("2024-02", 19754, 19761)]
    assert month_spans(19760, 19759) == []


def test_a_calendar_keeps_its_history_and_cuts_what_is_written():
    cal = calendar(100, 109, start="1970-04-13", end="1970-04-20")  # days 102 ... 109
    assert (cal.first_day, cal.n_days, cal.n_kept) == (100, 10, 8)
    longer = calendar(100, 109, end="1970-04-25")  # day 114: the calendar grows to it
    assert (longer.n_days, longer.n_kept) == (15, 15)


def test_a_date_range_in_order():
    check_date_range("2024-01-01", "2024-01-01")
    check_date_range(None, "2024-01-01")
    with pytest.raises(ValueError, match=r"^--start 2024-02-01 is after --end 2024-01-01$"):
        check_date_range("2024-02-01", "2024-01-01", ("--start", "--end"))


def test_did_you_mean():
    assert did_you_mean("episdoes", ["index", "episodes"]) == "; did you mean 'episodes'?"
    assert did_you_mean("zzz", ["index", "episodes"]) == ""
