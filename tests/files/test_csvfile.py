"""The one CSV writer: text cells that a spreadsheet would run are neutralised, a line
break inside a cell is quoted, numbers and dates are written as they are."""

import csv
import io

import pandas as pd

from relscore.files.csvfile import csv_text, safe_cells, write_csv_rows

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_every_formula_start_gets_a_quote_and_nothing_else_changes():
    table = pd.DataFrame(
        {
            "text": [*FORMULAS, "https://fine.example/-=@", "'=already"],
            "label": pd.Categorical(["-x"] * 8),
            "number": [-1.5] * 8,
            "date": pd.to_datetime(["2024-01-18"] * 8),
        }
    )
    rows = rows_of(csv_text(table))
    assert [r[0] for r in rows[1:]] == [
        "'" + FORMULAS[0],
        "'" + FORMULAS[1],
        "'" + FORMULAS[2],
        "'" + FORMULAS[3],
        "'\t=1+1",
        "'\n=1+1",
        "https://fine.example/-=@",
        "'=already",
    ]
    assert {r[1] for r in rows[1:]} == {"'-x"}
    assert {(r[2], r[3]) for r in rows[1:]} == {("-1.5", "2024-01-18")}


def test_a_carriage_return_in_a_cell_is_quoted_so_the_row_stays_one_row():
    table = pd.DataFrame(
        {"source": ["http://a.example/x\ry", "two\r\nlines", "ok"], "n": [1, 2, 3]}
    )
    text = csv_text(table)
    assert text == 'source,n\n"http://a.example/x\ny",1\n"two\nlines",2\nok,3\n'
    assert [len(r) for r in rows_of(text)] == [2, 2, 2, 2]
    out = io.StringIO()
    write_csv_rows(table, out)
    assert out.getvalue() == text.split("\n", 1)[1]


def test_a_safe_table_is_not_copied():
    table = pd.DataFrame({"dyad": ["IRN-PAK"], "tension": [-3.0], "missing": [None]})
    assert safe_cells(table) is table
