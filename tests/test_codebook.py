import importlib.util

import pytest

import relscore
from relscore import WeightsFileError, base_weights, load_codebook, read_weights, weights_table
from tests.conftest import ROOT


def _build_script():
    spec = importlib.util.spec_from_file_location("build", ROOT / "tools" / "build_codebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_codebook_is_what_the_build_script_makes():
    build = _build_script()
    shipped = (ROOT / "relscore" / "data" / "cameo_codebook.csv").read_text(encoding="utf-8")
    assert shipped == build.render(build.build_rows())


def test_codebook_keeps_codes_as_strings_with_zeros():
    book = load_codebook()
    assert len(book) == 311
    assert {"01", "010", "036", "0874", "195"} <= set(book.index)
    assert book.loc["036", "goldstein"] == 4.0
    assert book.loc["195", "goldstein"] == -10.0


def test_glued_code_106_is_split_from_1056():
    book = load_codebook()
    assert book.loc["106", "description"] == "Demand withdrawal"
    assert book.loc["1056", "description"] == "Demand de-escalation of military engagement"


@pytest.mark.parametrize(
    ("code", "quad_class"),
    [
        ("05", "verbal_cooperation"),
        ("061", "material_cooperation"),
        ("09", "material_cooperation"),  # GDELT's split; Goldstein -2 all the same
        ("111", "verbal_conflict"),
        ("14", "verbal_conflict"),
        ("161", "material_conflict"),
        ("195", "material_conflict"),
    ],
)
def test_quad_class_follows_gdelt_split(code, quad_class):
    assert load_codebook().loc[code, "quad_class"] == quad_class


def test_quad_weights_are_one_or_two_by_class():
    quad = base_weights("quad")
    assert (quad["040"], quad["061"], quad["111"], quad["195"]) == (1.0, 2.0, -1.0, -2.0)


def test_goldstein_weights_stay_in_range():
    weights = base_weights("goldstein")
    assert weights.between(-10, 10).all()


def test_read_weights_overrides_only_listed_codes(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('[weights]\n"195" = -8.0   # aerial\n"036" = 5\n', encoding="utf-8")
    overrides = read_weights(path)
    assert overrides == {"195": -8.0, "036": 5.0}
    table = weights_table("goldstein", overrides)
    assert table.loc["195", ["weight", "origin"]].tolist() == [-8.0, "override"]
    assert table.loc["190", ["weight", "origin"]].tolist() == [-10.0, "scheme"]


def test_shipped_weights_file_has_no_active_override():
    mine = read_weights(ROOT / "data" / "weights.toml")
    if mine and read_weights(ROOT / "figures" / "weights_used.toml") == mine:
        pytest.skip(f"data/weights.toml holds your own weights ({mine}), and figures/ follow them")
    assert mine == {}


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ('[weights]\n"195" = \n', 2, "(toml)", "not valid TOML"),
        ('[weights]\n"036" = 1\n"999" = 1.0\n', 3, "weights.999", "unknown CAMEO event code"),
        (
            '[weights]\n"36" = 5\n',
            2,
            "weights.36",
            "unknown CAMEO event code '36'; did you mean '036'?",
        ),
        (
            "[weights]\n36 = 5\n",
            2,
            "weights.36",
            "did you mean '036'? (codes are strings: quote them",
        ),
        ('[weights]\n"195" = "high"\n', 2, "weights.195", "must be a number"),
        ('[weights]\n"195" = true\n', 2, "weights.195", "must be a number"),
        ('[weights]\n\n"195" = -11\n', 3, "weights.195", "outside -10...+10"),
        ('[weight]\n"195" = -1\n', 1, "weight", "unknown table"),
    ],
)
def test_bad_weights_file_names_file_line_and_key(tmp_path, text, line, column, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WeightsFileError) as info:
        read_weights(path)
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.column) == (str(path), line, column)
    assert fragment in problem.message
    assert str(problem).startswith(f"{path}:{line}: {column}: ")


def test_every_bad_weight_is_reported_at_once(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[weights]\n"999" = 1\n"195" = 12\n', encoding="utf-8")
    with pytest.raises(WeightsFileError) as info:
        read_weights(path)
    assert [p.line for p in info.value.problems] == [2, 3]


def test_missing_weights_file(tmp_path):
    with pytest.raises(WeightsFileError, match="no such file"):
        read_weights(tmp_path / "absent.toml")


def test_weights_in_code_are_checked_too():
    with pytest.raises(WeightsFileError, match="outside"):
        relscore.check_weights({"195": -20})
    with pytest.raises(relscore.UnknownSchemeError, match="known: magnitude"):
        relscore.get_scheme("nope")
