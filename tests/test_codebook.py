import importlib.util

import pytest

import relscore
from relscore import WeightsFileError, base_weights, load_codebook
from tests.conftest import ROOT


def _build_script():
    spec = importlib.util.spec_from_file_location("build", ROOT / "tools" / "build_codebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_codebook_is_what_the_build_script_makes():
    build = _build_script()
    shipped = (ROOT / "relscore" / "data" / "cameo_codebook.csv").read_text(encoding="utf-8")
    rows = build.build_rows()
    assert shipped == build.render(rows)
    manual = (ROOT / "relscore" / "data" / "cameo_manual.csv").read_text(encoding="utf-8")
    assert manual == build.render(build.manual_rows([row["code"] for row in rows]))


def test_gdelt_typos_are_corrected_at_build():
    book = load_codebook()
    assert book.loc["033", "description"] == (
        "Express intent to provide material aid, not specified below"
    )
    assert book.loc["044", "description"] == "Meet at a third location"
    text = (ROOT / "relscore" / "data" / "cameo_codebook.csv").read_text(encoding="utf-8")
    assert "matyerial" not in text and "\u00d2" not in text


def test_the_manual_text_is_repaired_punctuation_and_all():
    build = _build_script()
    assert build._repair("somebody else\u201a\u00c4\u00f4s  property\n") == (
        "somebody else\u2019s property"
    )
    manual = (ROOT / "relscore" / "data" / "cameo_manual.csv").read_text(encoding="utf-8")
    assert "\u201a\u00c4" not in manual  # no quote or dash left mis-decoded


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


def test_weights_in_code_are_checked_too():
    with pytest.raises(WeightsFileError, match="outside"):
        relscore.check_weights({"195": -20})
    with pytest.raises(relscore.UnknownSchemeError, match="known: magnitude"):
        relscore.get_scheme("nope")
