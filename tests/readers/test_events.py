import pandas as pd
import pytest

import relscore
from relscore import InvalidEventsError, read_events, validate_events
from relscore.readers import read_checked

GOOD = "a,2024-01-16,IRN,PAK,195,Iran strikes a border area.,seed,2,,"


def problems_of(path):
    return [(p.line, p.column, p.message) for p in validate_events(path)]


def test_good_file_loads_with_types(write_events):
    events = read_events(write_events(GOOD, "b,2024-01-19,PAK,IRN,040,A call.,seed,,,"))
    assert events["event_code"].tolist() == ["195", "040"]
    assert events["date"].tolist() == [pd.Timestamp("2024-01-16"), pd.Timestamp("2024-01-19")]
    assert events["fatalities"].iloc[0] == 2 and pd.isna(events["fatalities"].iloc[1])
    assert events["line"].tolist() == [2, 3]


def test_crlf_and_bom_are_accepted(tmp_path):
    path = tmp_path / "win.csv"
    text = "event_id,date,actor1,actor2,event_code,description,source\r\n"
    text += "a,2024-01-16,IRN,PAK,036,Intent to meet.,seed\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    events = read_events(path)
    assert events.loc[0, "event_code"] == "036" and events.loc[0, "source"] == "seed"


def test_line_numbers_count_physical_lines_inside_quotes(write_events):
    path = write_events(
        'a,2024-01-16,IRN,PAK,195,"two\nlines",seed,,,', "b,2024-13-01,IRN,PAK,195,x,seed,,,"
    )
    assert problems_of(path) == [(4, "date", "not a date in YYYY-MM-DD form")]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("a,16/01/2024,IRN,PAK,195,x,seed,,,", "date", "not a date"),
        ("a,2024-02-30,IRN,PAK,195,x,seed,,,", "date", "not a date"),
        ("a,2024-01-16,IRN,PAKI,195,x,seed,,,", "actor2", "unknown actor code 'PAKI'"),
        ("a,2024-01-16,irn,PAK,195,x,seed,,,", "actor1", "unknown actor code 'irn'"),
        ("a,2024-01-16,PAK,PAK,195,x,seed,,,", "actor2", "same actor on both sides"),
        ("a,2024-01-16,IRN,PAK,999,x,seed,,,", "event_code", "unknown CAMEO event code '999'"),
        ("a,2024-01-16,IRN,PAK,36,x,seed,,,", "event_code", "unknown CAMEO event code '36'"),
        ("a,2024-01-16,IRN,PAK,195,,seed,,,", "description", "is empty"),
        ("a,2024-01-16,IRN,PAK,195,x,,,,", "source", "is empty"),
        ("a,2024-01-16,IRN,PAK,195,x,seed,-1,,", "fatalities", "whole number"),
        ("a,2024-01-16,IRN,PAK,195,x,seed,2.5,,", "fatalities", "whole number"),
        ("a,2024-01-16,IRN,PAK,195,x,seed,,11,why", "weight", "outside -10...+10"),
        ("a,2024-01-16,IRN,PAK,195,x,seed,,heavy,why", "weight", "not a number"),
        ("a,2024-01-16,IRN,PAK,195,x,seed,,-3,", "notes", "needs its reason"),
        ("a,2024-01-16,IRN,PAK,195,x,seed", "(row)", "has 7 fields, header has 10"),
    ],
)
def test_each_bad_field_is_named_with_its_line(write_events, row, column, fragment):
    path = write_events(GOOD, "b" + row[1:])
    [(line, col, message)] = problems_of(path)
    assert (line, col) == (3, column)
    assert fragment in message
    events, _ = read_checked(path)
    assert events["event_id"].tolist() == ["a"]  # the good row is kept, the bad one reported


def test_date_precision(write_events):
    header = "date,date_precision,actor1,actor2,event_code,description,source"
    path = write_events(
        "1950-03-01,month,IRN,PAK,042,x,seed",
        "1950-03-04,month,IRN,PAK,042,x,seed",
        "1950-01-01,year,IRN,PAK,042,x,seed",
        "1950-01-01,decade,IRN,PAK,042,x,seed",
        header=header,
    )
    assert problems_of(path) == [
        (3, "date", "with month precision must be the 1st"),
        (5, "date_precision", "must be day, month or year"),
    ]


def test_all_problems_of_all_files_in_one_run(write_events, tmp_path):
    first = write_events(GOOD, "b,2024-01-16,XXX,PAK,195,x,seed,,,", name="one.csv")
    second = write_events(
        "a,2024-01-17,IRN,PAK,111,x,seed,,,", "c,bad,IRN,IRN,1,x,seed,,,", name="two.csv"
    )
    problems = validate_events([first, second, tmp_path / "missing.csv"])
    rendered = [str(p) for p in problems]
    assert f"{first}:3: actor1: unknown actor code 'XXX' (ISO 3166-1 alpha-3)" in rendered
    assert f"{second}:2: event_id: duplicate event_id 'a' (first at {first}:2)" in rendered
    assert f"{second}:3: date: not a date in YYYY-MM-DD form" in rendered
    assert f"{second}:3: actor2: same actor on both sides" in rendered
    assert f"{second}:3: event_code: unknown CAMEO event code '1'" in rendered
    assert (
        f"{tmp_path / 'missing.csv'}:1: (file): no such file (no CSV file of that name in "
        f"{tmp_path.resolve()})" in rendered
    )
    with pytest.raises(InvalidEventsError) as info:
        read_events([first, second])
    assert len(info.value.problems) == len(problems) - 1


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [
        (b"", 1, "(file)", "file is empty"),
        (b"  \n\n", 1, "(file)", "file is empty"),
        (b"date,actor1\n\xff\xfe,IRN\n", 2, "(file)", "not UTF-8 text"),
    ],
)
def test_unreadable_files(tmp_path, content, line, column, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert problems_of(path) == [(line, column, message)]


def test_missing_columns_are_each_named(write_events):
    path = write_events("2024-01-16,IRN,PAK,x", header="date,actor1,actor2,description")
    assert problems_of(path) == [
        (1, "event_code", "required column is missing"),
        (1, "source", "required column is missing"),
    ]


def test_blank_lines_are_skipped_not_errors(write_events):
    assert validate_events(write_events(GOOD, "", ",,,,,,,,,")) == []


# --- quotes that span lines, encodings, dates, long rows -------------------------------


def test_a_stray_quote_that_swallows_the_next_row_is_a_problem(write_events):
    # A notes field opened by a quote that nothing closes: the next row becomes part of it,
    # and 'ok: 1 events' was all validate said of a file of two.
    path = write_events(
        'a,2024-01-16,IRN,PAK,195,x,seed,,,"never closed', GOOD.replace("a", "b", 1)
    )
    assert problems_of(path) == [
        (2, "notes", "a quoted field from line 2 to line 3 holds line(s) 3 that read as rows "
         "of their own; a stray quote?"),
    ]  # fmt: skip
    events, _ = read_checked(path)
    assert events.empty


def test_a_stray_quote_closed_by_a_later_rows_quote_is_a_problem(write_events):
    path = write_events(
        GOOD,
        'b,2024-01-17,IRN,PAK,195,y,seed,,,"stray note',
        'c,2024-01-18,IRN,PAK,195,z,seed,,,"quoted note"',
        "d,2024-01-19,IRN,PAK,195,w,seed,,,",
    )
    [(line, column, message)] = problems_of(path)
    assert (line, column) == (3, "notes") and "holds line(s) 4 that read as rows" in message
    assert read_checked(path)[0]["event_id"].tolist() == ["a", "d"]


def test_a_line_break_in_a_column_that_holds_none_is_a_problem(write_events):
    path = write_events('"a\nb",2024-01-16,IRN,PAK,195,x,seed,,,', GOOD.replace("a", "c", 1))
    assert problems_of(path) == [
        (2, "event_id", "holds a line break (a quoted field from line 2 to line 3); a stray quote?")
    ]


def test_a_description_or_note_on_several_lines_is_read(write_events):
    path = write_events(
        'a,2024-01-16,IRN,PAK,195,"first line\r\nsecond, with commas",seed,,,"two\nlines"',
        'b,2024-01-17,IRN,PAK,195,"x\ry",seed,,,',
    )
    events, problems = read_checked(path)
    assert problems == [] and events["line"].tolist() == [2, 5]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_not_utf8(tmp_path, encoding):
    path = tmp_path / "e.csv"
    path.write_bytes(
        ("event_id,date,actor1,actor2,event_code,description,source\n").encode(encoding)
    )
    assert problems_of(path) == [(1, "(file)", "not UTF-8 text (NUL bytes in the header: UTF-16?)")]


def test_dates_are_compared_as_dates_not_as_text(write_events):
    path = write_events(
        "a,2100-2-1,IRN,PAK,195,x,seed,,,",
        "b,2024-1-16,IRN,PAK,195,x,seed,,,",
        "c,2101-1-1,IRN,PAK,195,x,seed,,,",
        "d,1799-12-31,IRN,PAK,195,x,seed,,,",
    )
    outside = "outside the dates relscore reads, 1800-01-01 ... 2100-12-31"
    assert problems_of(path) == [(4, "date", outside), (5, "date", outside)]
    events, _ = read_checked(path)
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2100-02-01", "2024-01-16"]


def test_a_row_longer_than_relscore_reads_is_a_problem_on_its_line(write_events, monkeypatch):
    monkeypatch.setattr("relscore.readers.csv_records.LINE_BYTES_MAX", 1000)
    path = write_events(
        GOOD,
        f'b,2024-01-16,IRN,PAK,195,"{"x" * 2000}",seed,,,',
        "c,2024-01-17,IRN,PAK,195,x,seed,,,",
    )
    assert problems_of(path) == [
        (3, "(file)", "a field of over 1,000 characters, more than relscore reads (a quote never "
         "closed?)")
    ]  # fmt: skip


# --- what is read, with a warning ---------------------------------------------------------


def test_rows_that_repeat_an_earlier_row_exactly_are_scored_with_a_warning(write_events, tmp_path):
    row = ",2024-01-16,IRN,PAK,195,x,seed,,,"
    first = write_events(row, row, ",2024-01-17,IRN,PAK,195,x,seed,,,", name="a.csv")
    again = write_events(row, name="b.csv")  # the same file given again, its ids dropped
    with pytest.warns(relscore.RelscoreWarning) as caught:
        events = read_events([first, again])
    assert len(events) == 4
    assert [str(w.message) for w in caught] == [
        f"2 rows without an event_id repeat an earlier row exactly ({first}:3 repeats "
        f"{first}:2, {again}:2 repeats {first}:2): each is scored as an event; give different "
        "events their own event_id, or delete the repeats"
    ]


def test_codes_that_may_have_lost_a_zero_are_warned_of_where_others_did(write_events):
    path = write_events(
        "a,2024-01-16,IRN,PAK,10,x,seed,,,",
        "b,2024-01-17,IRN,PAK,36,x,seed,,,",
        "c,2024-01-18,IRN,PAK,10,y,seed,,,",
        "d,2024-01-18,IRN,PAK,12,y,seed,,,",
    )
    with pytest.warns(relscore.RelscoreWarning) as caught:
        problems = validate_events(path)
    assert [p.line for p in problems] == [3]  # '36' is no code
    assert str(caught[0].message) == (
        f"{path}: '10' (2 rows, first line 2) may be '010'; '12' (1 row, first line 5) may be "
        "'012': this file's codes lost their leading zeros elsewhere ('36' on line 3); write "
        "codes as text, zeros kept"
    )
    clean = write_events("a,2024-01-16,IRN,PAK,10,x,seed,,,", name="clean.csv")
    assert validate_events(clean) == []  # '10' alone is demand, and no warning


def test_a_missing_file_names_a_near_one_beside_it(write_events, tmp_path):
    write_events(GOOD, name="afghanistan_pakistan.csv")
    [problem] = validate_events([tmp_path / "afghanistan_pakistn.csv"])
    assert problem.message == "no such file; did you mean 'afghanistan_pakistan.csv'?"
    [problem] = validate_events([tmp_path / "nowhere" / "events.csv"])
    assert problem.message == (
        f"no such file (nor is its folder {tmp_path / 'nowhere'}; paths are relative to the "
        "current folder)"
    )


def test_a_file_saved_with_semicolons_is_one_problem_with_a_hint(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(
        "date;actor1;actor2;event_code;description;source\n2024-01-16;IRN;PAK;195;x;y\n",
        encoding="utf-8",
    )
    [problem] = validate_events([path])
    assert (problem.line, problem.column) == (1, "(header)")
    assert problem.message.startswith("the columns are separated by semicolons; relscore reads")


@pytest.mark.parametrize(
    ("actor", "hint"),
    [
        ("pak", "; did you mean 'PAK'?"),
        ("Pakistan", "; did you mean 'PAK' (Pakistan)?"),
        ("IR", "; did you mean 'IRN' (Iran)? IR is its alpha-2 code"),
        ("XYZ", ""),
    ],
)
def test_an_unknown_actor_gets_the_code_it_means(write_events, actor, hint):
    path = write_events(f"b,2024-01-16,{actor},PAK,195,x,seed,,,")
    messages = [p.message for p in validate_events([path]) if p.column == "actor1"]
    assert messages == [f"unknown actor code {actor!r} (ISO 3166-1 alpha-3){hint}"]
