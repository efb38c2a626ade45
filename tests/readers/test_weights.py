"""relscore.readers.weights: a user's weight overrides read from TOML, every problem named."""

import pytest

from relscore import WeightsFileError, read_weights, weights_table
from tests.conftest import ROOT


def test_read_weights_overrides_only_listed_codes(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('[weights]\n"195" = -8.0   # aerial\n"036" = 5\n', encoding="utf-8")
    overrides = read_weights(path)
    assert overrides == {"195": -8.0, "036": 5.0}
    table = weights_table("goldstein", overrides)
    assert table.loc["195", ["weight", "origin"]].tolist() == [-8.0, "override"]
    assert table.loc["190", ["weight", "origin"]].tolist() == [-10.0, "scheme"]


def test_shipped_weights_file_has_no_active_override():
    """A clean tree lists no override; a user's tree may, once figures/ follow them."""
    mine = read_weights(ROOT / "data" / "weights.toml")
    built = read_weights(ROOT / "figures" / "weights_used.toml")
    if mine and built == mine:
        pytest.skip(f"data/weights.toml holds your own weights ({mine}), and figures/ follow them")
    assert mine == {}, (
        f"data/weights.toml holds your own weights {mine}, but figures/ were built with "
        f"{built or 'the shipped ones'}: run `make figures` to rebuild them with yours, or "
        "`git checkout data/weights.toml` to go back to the shipped weights"
    )


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
