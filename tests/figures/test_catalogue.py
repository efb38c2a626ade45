"""relscore.figures.catalogue: the words on each figure follow the weights it was built with,
and the live sliders redraw their chart whatever the backend."""

import pytest

import relscore
from relscore.figures import FIGURES, load_bundle, weight_sliders


def figure_text(name: str, overrides: dict[str, float]) -> str:
    """Every word drawn on the figure ``name`` built with ``overrides``."""
    import matplotlib.pyplot as plt

    from relscore.plot import style

    figure = next(f for f in FIGURES if f.name == name)
    rows = figure.table(load_bundle(overrides=overrides))
    with style():
        fig = figure.draw(rows)
        text = " ".join(" ".join(t.get_text().split()) for t in fig.findobj(plt.Text))
        plt.close(fig)
    return text


def test_a_figure_of_your_weights_says_so_and_its_caption_follows_them():
    # magnitude: 195 scores -8 x 2 (a deed) = 16; 9 deaths: x (1 + log10(10)) = 32
    text = figure_text("iran_pakistan_jan2024", {"195": -8.0})
    assert "an air strike scores 16 (32 if it kills 9 people)" in text
    assert 'Weights: yours, not the shipped ones: "195" = −8 (shipped −10).' in text


def test_a_figure_of_the_shipped_weights_names_none():
    text = figure_text("iran_pakistan_jan2024", {})
    assert "an air strike scores 20 (40 if it kills 9 people)" in text
    assert "Weights:" not in text


@pytest.fixture(scope="module")
def events():
    return relscore.datasets.load("iran_pakistan")


def test_weight_sliders_return_the_widget_and_redraw_when_moved(events):
    widget = weight_sliders(events, codes=("195", "036"))
    *sliders, half_life, chart = widget.children
    assert [s.description for s in sliders] == ['"195"', '"036"']
    assert [s.value for s in sliders] == [-10.0, 4.0]  # the shipped weights
    before = bytes(chart.value)
    assert before.startswith(b"\x89PNG")
    sliders[0].value = -4.0
    moved = bytes(chart.value)
    assert moved != before
    half_life.value = 30
    assert bytes(chart.value) not in (before, moved)


def test_weight_sliders_start_from_the_weights_in_effect(events):
    widget = weight_sliders(events, codes=("195",), overrides={"195": -8.0, "036": 5.0})
    assert widget.children[0].value == -8.0


def test_weight_sliders_leave_no_pyplot_figure_open(events):
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    weight_sliders(events, codes=("195",)).children[0].value = -2.0
    assert plt.get_fignums() == open_before
