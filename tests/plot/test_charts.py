"""Plots: pure functions, words built from the settings, labels where the data put them,
and no text on a figure drawn over other text."""

import itertools
import struct
import subprocess
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

import relscore
from relscore import figures, plot
from relscore.figures import FIGURES, SOURCE, coverage_table, data_note, load_bundle
from relscore.plot import index_words, layout, points_words, scheme_words, source_note, style


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def drawn(bundle):
    """Every figure as ``relscore figures`` draws it, rendered (Agg), by name."""
    import matplotlib.pyplot as plt

    out = {}
    with style():
        for figure in (f for f in FIGURES if f.draw):
            fig = figure.draw(figure.table(bundle))
            source_note(fig, SOURCE)
            fig.canvas.draw()
            out[figure.name] = fig
    yield out
    for fig in out.values():
        plt.close(fig)


def texts(fig):
    """Every visible piece of text on ``fig`` (a legend as one block) with its box."""
    renderer = fig.canvas.get_renderer()
    found = [(t.get_text(), t) for t in fig.texts]
    for ax in fig.axes:
        found += [(t.get_text(), t) for t in ax.texts]
        found += [(ax.title.get_text(), ax.title), (ax.get_xlabel(), ax.xaxis.label)]
        found += [(ax.get_ylabel(), ax.yaxis.label)]
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:  # drawn
                    found.append((tick.label1.get_text(), tick.label1))
        if ax.get_legend() is not None:
            found.append(("legend", ax.get_legend()))
    boxes = []
    for text, artist in found:
        if not text or not artist.get_visible():
            continue
        if isinstance(artist, Text):  # the text alone, without an annotation's arrow
            box = Text.get_window_extent(artist, renderer)
        else:
            box = artist.get_window_extent(renderer)
        boxes.append((text, artist, box))
    return boxes


def leaders(fig):
    """Each annotation with a leader line: (annotation, the line's path in pixels)."""
    return [
        (t, t.arrow_patch.get_path())
        for ax in fig.axes
        for t in ax.texts
        if getattr(t, "arrow_patch", None) is not None
    ]


@pytest.mark.parametrize("name", [f.name for f in FIGURES if f.draw])
def test_no_text_overlaps_other_text_or_a_leader_line(drawn, name):
    fig = drawn[name]
    boxes = texts(fig)
    for (a, _, box_a), (b, _, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.shrunk(0.98, 0.98).overlaps(box_b), f"{name}: {a!r} overlaps {b!r}"
    for annotation, path in leaders(fig):
        for text, artist, box in boxes:
            if artist is not annotation:
                crossed = path.intersects_bbox(box.shrunk(0.98, 0.98), filled=False)
                assert not crossed, f"{name}: {annotation.get_text()!r}'s line crosses {text!r}"


@pytest.mark.parametrize("name", [f.name for f in FIGURES if f.draw])
def test_a_label_sits_over_a_spike_and_under_a_dip(drawn, name):
    """The issue: the 1965 war, a warm dip, was labelled above the line, like a spike."""
    for ax in drawn[name].axes:
        for annotation, _ in leaders(drawn[name]):
            if annotation.axes is not ax:
                continue
            value = annotation.xy[1]
            point = ax.transData.transform((ax.get_xlim()[0], value))[1]
            box = Text.get_window_extent(annotation, drawn[name].canvas.get_renderer())
            if value >= 0:
                assert box.y0 >= point - 0.5, annotation.get_text()
            else:
                assert box.y1 <= point + 0.5, annotation.get_text()


def test_the_timeline_labels_its_highest_episodes_and_the_1965_war_as_warmth(bundle):
    index = figures.dyad_index(bundle.events, bundle.overrides)
    labels = dict(figures.timeline_labels(index))
    found = relscore.episodes(index, half_life=relscore.DEFAULT_HALF_LIFE)
    for peak in found.nlargest(figures.TIMELINE_PEAKS, "peak")["peak_date"]:
        assert labels[peak].startswith(f"{peak:%b %Y}")
    warm = pd.Timestamp("1965-09-01")
    assert labels[warm] == "Sep 1965\nIran aids Pakistan\nin its war with India"
    assert index.set_index("date").loc[warm, "tension"] < 0  # drawn under the zero line
    top = found.loc[found["peak"].idxmax()]
    assert labels[top["peak_date"]] == "Jan 2024\nmissile strikes\nboth ways"


def test_a_crowded_cluster_of_labels_stacks_without_crossing():
    """Four peaks a few points apart: boxes clear of each other and of every leader."""
    labels = [(100.0, 30.0, 60.0, 20.0), (105.0, 20.0, 40.0, 10.0)]
    labels += [(110.0, 20.0, 40.0, 10.0), (115.0, 30.0, 60.0, 20.0)]
    boxes = layout._layout(labels, lambda a, b: 30.0 if a < 116 and b > 99 else 0.0, 500.0)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b, 0.0) and not a.crosses(b) and not b.crosses(a)
    assert all(box.y0 >= 30.0 for box in boxes)  # over the data


def test_figures_are_about_800_pixels_at_readme_width(bundle):
    files = figures.render_figures(bundle)
    for figure in (f for f in FIGURES if f.draw):
        width, height = struct.unpack(">II", files[f"{figure.name}.png"][16:24])
        assert 1000 <= width <= 1300, (figure.name, width)  # shown at ~800: text >= 8 px
        assert height <= 1000, (figure.name, height)


def test_the_words_follow_the_settings():
    assert [scheme_words(name) for name in relscore.SCHEMES] == [
        "Goldstein weights, deeds ×2, deaths scale up (default: 'magnitude')",
        "plain Goldstein weights ('goldstein')",
        "±1 words, ±2 deeds ('quad')",
    ]
    assert "(default" not in scheme_words("magnitude", default="quad")
    assert "halving every 14 days" in index_words()
    assert "halving every 7 days" in index_words(half_life=7)
    assert "fades" not in index_words(half_life=None)
    assert "±1 for words and ±2 for deeds" in index_words("quad")
    # by hand: Goldstein -10 for an air strike (195), +1.9 for a visit (042); deeds x 2;
    # 9 deaths: x (1 + log10(10)) = x 2
    assert points_words() == (
        "Index points: an air strike scores 20 (40 if it kills 9 people), a visit 1.9."
    )
    assert points_words("goldstein") == "Index points: an air strike scores 10, a visit 1.9."
    assert points_words("quad") == "Index points: an air strike scores 2, a visit 1."


def test_the_data_note_counts_the_events_it_cites(bundle):
    events = bundle.events
    n, first, last = len(events), events["date"].min().year, events["date"].max().year
    assert data_note(events) == (
        f"Data: relscore Iran–Pakistan events, {first}–{last} ({n} sourced events)."
    )
    note = data_note(bundle.all_events, figures.COMPARED)
    assert note.startswith(f"Data: relscore Iran–Pakistan events, {first}–{last} ({n} sourced")
    assert "India–Pakistan" in note and "Iran–Israel" in note and "USA" not in note


def test_the_coverage_table_counts_every_event_once_and_every_year(bundle):
    table = coverage_table(bundle.events, {})
    coded = relscore.code_events(bundle.events)
    years = coded["date"].dt.year
    assert table["year"].tolist() == list(range(years.min(), years.max() + 1))
    assert table["n_events"].sum() == len(bundle.events)
    for quad_class, count in coded["quad_class"].value_counts().items():
        assert table[quad_class].sum() == count
    classes = list(plot.QUAD_CLASSES)
    assert list(table.columns) == ["year", *classes, "n_events"]
    assert set(classes) == set(relscore.codebook.QUAD_WEIGHTS)
    empty = sorted(set(table["year"]) - set(years))
    assert empty  # the record has gaps, and they are rows of zeros, not missing rows
    assert (table.set_index("year").loc[empty] == 0).all().all()


def test_plots_are_pure_and_return_their_axes(bundle):
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    index = figures.dyad_index(bundle.events, {})
    january = index[index["date"].between(*figures.JANUARY_2024)]
    calls = [
        lambda ax: plot.plot_tension(index, ax, milestones=figures.TIMELINE_MILESTONES),
        lambda ax: plot.plot_streams(january, ax, half_life=14, shade=figures.CRISIS),
        lambda ax: plot.plot_schemes(figures.schemes_table(bundle.events, {}), ax),
        lambda ax: plot.plot_coverage(coverage_table(bundle.events, {}), ax),
        lambda ax: plot.titled(ax, "title", "a subtitle"),
    ]
    for call in calls:
        fig, ax = plt.subplots()
        assert call(ax) is ax
        plt.close(fig)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if not np.array_equal(before[k], after[k])} == set()


def test_importing_the_plots_does_not_import_matplotlib():
    code = "import sys, relscore.plot; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
