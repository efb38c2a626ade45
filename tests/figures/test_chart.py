"""relscore.figures.chart and `relscore chart`: one file's dyad, drawn in the house style."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import relscore
from relscore.figures.chart import dyad_chart
from tests.conftest import run


@pytest.fixture(scope="module")
def may_2025(tmp_path_factory):
    """The India–Pakistan events of 20 April – 20 May 2025, as a file of one's own."""
    path = tmp_path_factory.mktemp("chart") / "india_pakistan_may.csv"
    with relscore.datasets.path("india_pakistan") as shipped:
        table = pd.read_csv(shipped, dtype=str, keep_default_na=False)
    table[table["date"].between("2025-04-20", "2025-05-20")].to_csv(path, index=False)
    return path


def texts(fig) -> str:
    return " ".join(" ".join(t.get_text().split()) for t in fig.findobj(plt.Text))


def test_a_short_record_is_drawn_day_by_day_with_its_year_and_its_words(may_2025):
    events = relscore.read_events(may_2025)
    fig = dyad_chart(events, "IND-PAK", overrides={"195": -8.0})
    words = texts(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "2025"  # the ticks name days and months only
    assert "India–Pakistan tension, 23 April – 15 May 2025" in words
    assert "an air strike scores 16 (32 if it kills 9 people)" in words
    assert "Data: india_pakistan_may.csv, 46 sourced events of IND-PAK, 2025." in words
    assert 'Weights: yours, not the shipped ones: "195" = −8 (shipped −10).' in words
    assert "conflict that day (drawn up)" in words  # the day-by-day bars
    plt.close(fig)


def test_a_long_record_is_drawn_as_the_index_over_the_years():
    fig = dyad_chart(relscore.datasets.load("india_pakistan"), "IND-PAK", half_life=7)
    words = texts(fig)
    assert "India–Pakistan tension, 2024–2025" in words
    assert "halving every 7 days" in words
    assert fig.axes[0].get_xlabel() == ""  # the year ticks name the years
    assert "Weights:" not in words
    plt.close(fig)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart_command_writes_the_same_bytes_twice(may_2025, tmp_path, capsys, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    code, out, _ = run(capsys, "chart", may_2025, "--dyad", "PAK-IND", "-o", first)
    assert code == 0
    assert out == f"relscore: wrote {first} for IND-PAK; read 46 events\n"
    assert run(capsys, "chart", may_2025, "--dyad", "IND-PAK", "-o", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[:8] == (b"\x89PNG\r\n\x1a\n" if suffix == ".png" else b"<?xml ve")


def test_chart_command_wants_a_png_or_an_svg(may_2025, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    code, _, err = run(capsys, "chart", may_2025, "--dyad", "IND-PAK", "-o", out)
    assert code == 2
    assert f"relscore chart: error: -o {out}: write a .png or a .svg file" in err
    assert not out.exists()


def test_chart_of_a_dyad_the_file_does_not_hold(may_2025, capsys):
    code, _, err = run(capsys, "chart", may_2025, "--dyad", "AFG-PAK", "-o", "x.png")
    assert code == 1
    assert "AFG-PAK" in err and "IND-PAK" in err
