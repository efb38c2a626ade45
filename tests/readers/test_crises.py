"""relscore.readers.crises: a known-crises file read, every problem named by file and line."""

import pandas as pd
import pytest

from relscore import KnownCrisesError, read_crises
from tests.conftest import ROOT

HEADER = "dyad,start,end,what,source"


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "crises.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_good_file_reads_in_order_with_dyads_sorted(tmp_path):
    path = write(
        tmp_path,
        "TUR-GRC,1996-01-26,1996-01-31,Imia,a source",
        '"SYR-TUR","1998-09-16","1998-10-20","Ocalan, Adana","one ; two"',
    )
    table = read_crises(path)
    assert table["dyad"].tolist() == ["GRC-TUR", "SYR-TUR"]
    assert table["start"].tolist() == [pd.Timestamp("1996-01-26"), pd.Timestamp("1998-09-16")]
    assert table["what"].tolist() == ["Imia", "Ocalan, Adana"]
    assert table["line"].tolist() == [2, 3]


def test_every_problem_is_named_with_its_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "GRC-TUR,1996-01-26,1996-01-31,ok,ok",
        "GRC>TUR,1996-01-26,1996-01-31,directed,x",
        "GR-TUR,1996-01-26,1996-01-31,two letters,x",
        "GRC-TUR,1996-02-30,1996-03-01,no such day,x",
        "GRC-TUR,1996-03-01,1996-02-01,end first,x",
        "GRC-TUR,1996-01-26,1996-01-31,,",
        "GRC-TUR,1996-01-26",
    )
    with pytest.raises(KnownCrisesError) as info:
        read_crises(path)
    found = [(p.line, p.column) for p in info.value.problems]
    assert found == [
        (3, "dyad"),
        (4, "dyad"),
        (5, "start"),
        (6, "end"),
        (7, "what"),
        (7, "source"),
        (8, "(row)"),
    ]
    assert all(str(p).startswith(f"{path}:") for p in info.value.problems)
    assert isinstance(info.value, ValueError)


def test_a_misspelt_or_missing_column_is_named(tmp_path):
    path = write(tmp_path, "GRC-TUR,1996-01-26,1996-01-31,x,y", header="dyad,start,edn,what,source")
    with pytest.raises(KnownCrisesError) as info:
        read_crises(path)
    messages = [str(p) for p in info.value.problems]
    assert messages == [
        f"{path}:1: edn: unknown column 'edn'; did you mean 'end'?",
        f"{path}:1: end: required column is missing",
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "no such file"),
        (lambda p: p.mkdir() or p, "is a folder"),
        (lambda p: p.write_bytes(b"dyad,\xff\n") and p, "not UTF-8 text"),
        (lambda p: (p.write_text("") and p) or p, "file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path, make, message):
    path = make(tmp_path / "crises.csv")
    if not path.exists():
        path = tmp_path / "crises.csv"
    with pytest.raises(KnownCrisesError, match=message):
        read_crises(path)


def test_the_shipped_validation_list_reads():
    table = read_crises(ROOT / "data" / "validation" / "keds_turkey_crises.csv")
    assert len(table) >= 15 and table["dyad"].nunique() >= 6
    assert table["source"].str.startswith("http").all()
