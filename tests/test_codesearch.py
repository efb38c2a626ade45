"""relscore.codesearch: CAMEO codes found by words, synonyms and the manual's text, ranked."""

import pytest

from relscore import find_codes, load_codebook
from relscore.codesearch import FOUND_COLUMNS, _stem
from tests.conftest import run


@pytest.mark.parametrize(
    ("search", "first"),
    [
        ("air", "195"),  # only the synonym table and the manual know "air"
        ("air strike", "195"),  # both words beat "hunger strike", which has one
        ("border", "193"),  # a synonym's first code ranks first
        ("clash", "193"),
        ("clashes", "193"),  # plural endings ignored
        ("ceasefire", "196"),  # name, synonym, and the manual's text
        ("195", "195"),  # a code wins outright
        ("Employ aerial weapons", "195"),
    ],
)
def test_the_right_code_comes_first(search, first):
    assert find_codes(search)["code"].iloc[0] == first


def test_clash_finds_every_kind_of_armed_clash_and_says_where():
    found = find_codes("clash").set_index("code")
    assert list(found.index[:3]) == ["193", "190", "194"]
    # synonym points 6, then 0.25 less for each later code of the word
    assert found.loc[["193", "190", "194"], "score"].tolist() == [6.0, 5.75, 5.5]
    assert found.loc["193", "found_in"] == "synonym"


def test_each_row_carries_the_weight_and_class_the_scheme_and_overrides_give():
    shipped = find_codes("195").iloc[0]
    assert (shipped["weight"], shipped["quad_class"]) == (-10.0, "material_conflict")
    assert find_codes("195", overrides={"195": -8.0}).iloc[0]["weight"] == -8.0
    assert find_codes("195", "quad").iloc[0]["weight"] == -2.0


def test_a_number_lists_the_code_and_the_codes_under_it():
    found = find_codes("19", limit=None)
    assert found["code"].iloc[0] == "19"
    assert {"190", "191", "192", "193", "194", "195", "196"} <= set(found["code"])


def test_nothing_found_is_an_empty_table_and_limit_holds():
    assert find_codes("xyzzy").empty
    assert list(find_codes("xyzzy").columns) == FOUND_COLUMNS
    assert len(find_codes("border", limit=3)) == 3
    assert len(find_codes("border", limit=None)) > 3


def test_every_synonym_names_known_codes():
    from relscore.codesearch import _read

    known = set(load_codebook().index)
    table = _read("code_synonyms.csv")
    assert all(table["why"].str.len() > 0)
    assert {c for codes in table["codes"] for c in codes.split()} <= known


def test_stem():
    words = ("clashes", "clashed", "bombing", "air", "casualties", "closed", "close")
    assert [_stem(w) for w in words] == [
        "clash",
        "clash",
        "bomb",
        "air",
        "casualty",
        "clos",
        "clos",
    ]


def test_codes_command_lists_codes_with_weight_and_class(capsys):
    code, out, _ = run(capsys, "codes", "border", "clash")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["code", "weight", "class", "name", "found", "in"]
    assert lines[1].split()[:5] == ["193", "-10", "deeds", "of", "conflict"]
    assert "; the first 10 shown (--all for every one)" in out


def test_codes_command_with_nothing_found_says_what_to_try(capsys):
    code, out, err = run(capsys, "codes", "xyzzy")
    assert (code, out) == (1, "")
    assert err.startswith("relscore: no CAMEO code matches 'xyzzy'; try other or fewer words")
