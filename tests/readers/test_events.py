import pandas as pd
import pytest

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
