"""Figures: current, deterministic, backed by CSVs whose numbers are checked independently."""

import io
import shutil

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.cli import main
from relscore.figures import (
    FIGURES,
    build_figures,
    check_figures,
    load_bundle,
    render_figures,
    weights_used,
)
from tests.conftest import ROOT

FIGURE_DIR = ROOT / "figures"
DATA_DIR = ROOT / "data"


@pytest.fixture(autouse=True)
def outside_the_checkout(tmp_path, monkeypatch):
    """Run from a folder without data/weights.toml: `relscore figures` run in a checkout
    reads the checkout's weights, which in a user's tree may be their own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def shipped_files() -> dict[str, bytes]:
    """Every file of figures/ as the shipped weights build it (whatever the user's are)."""
    return render_figures(load_bundle())


@pytest.fixture(scope="module")
def shipped(shipped_files):
    """Read one of the shipped build's CSVs."""

    def read(name: str, **options) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(shipped_files[name]), **options)

    return read


def test_committed_figures_are_current():
    """Checked against the weights they were built with; a tree whose figures hold the
    user's own weights (data/weights.toml, then make figures) says so in one line."""
    recorded = weights_used(FIGURE_DIR)
    assert check_figures(load_bundle(overrides=recorded), FIGURE_DIR) == []
    if recorded:
        mine = relscore.read_weights(DATA_DIR / "weights.toml")
        assert recorded == mine, (
            f"figures/ were built with {recorded}, but data/weights.toml has {mine}: "
            "run make figures (or git checkout data/weights.toml figures/)"
        )
        pytest.skip(
            f"figures/ hold your own weights from data/weights.toml ({recorded}) and are "
            "current for them; git checkout data/weights.toml figures/ returns to the shipped ones"
        )


def test_a_clean_tree_holds_the_shipped_figures():
    """What CI sees: no override recorded, so the check above compared the shipped build."""
    if relscore.read_weights(DATA_DIR / "weights.toml"):
        pytest.skip("data/weights.toml has active overrides: a user's tree, not a clean one")
    assert weights_used(FIGURE_DIR) == {}


def test_every_figure_has_png_svg_and_csv():
    names = {p.name for p in FIGURE_DIR.iterdir()}
    for figure in FIGURES:
        images = {f"{figure.name}.png", f"{figure.name}.svg"} if figure.draw else set()
        assert {f"{figure.name}.csv", *images} <= names


def test_no_timestamps_in_images():
    for figure in (f for f in FIGURES if f.draw):
        svg = (FIGURE_DIR / f"{figure.name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg
        png = (FIGURE_DIR / f"{figure.name}.png").read_bytes()
        assert b"Software" not in png and b"Creation Time" not in png


def independent_index(scheme: str) -> pd.DataFrame:
    """The Iran–Pakistan index recomputed from the files with plain pandas and a day loop."""
    events = pd.read_csv(
        DATA_DIR / "events" / "iran_pakistan.csv", dtype=str, keep_default_na=False
    )
    book = pd.read_csv(ROOT / "relscore" / "data" / "cameo_codebook.csv", dtype=str)
    book = book.set_index("code")
    quad_class = events["event_code"].map(book["quad_class"])
    material = quad_class.str.startswith("material")
    if scheme == "quad":
        weight = np.where(material, 2.0, 1.0) * np.where(quad_class.str.endswith("conflict"), -1, 1)
        size = 1.0
    else:
        weight = events["event_code"].map(book["goldstein"]).astype(float).to_numpy()
        size = 1.0
        if scheme == "magnitude":
            deaths = pd.to_numeric(events["fatalities"]).fillna(0)
            size = np.where(material, 2.0, 1.0) * (1 + np.log10(1 + deaths))
    contributions = pd.DataFrame(
        {
            "date": pd.to_datetime(events["date"]),
            "conflict": np.clip(-weight, 0, None) * size,
            "cooperation": np.clip(weight, 0, None) * size,
        }
    )
    daily = contributions.groupby("date").sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    daily = daily.reindex(days, fill_value=0.0)
    net = daily["conflict"] - daily["cooperation"]
    r = 0.5 ** (1 / 14)
    tension, level = [], 0.0
    for value in net:
        level = value + r * level
        tension.append(level)
    return daily.assign(net=net, tension=tension).rename_axis("date").reset_index()


@pytest.fixture(scope="module")
def expected():
    return {scheme: independent_index(scheme) for scheme in ("magnitude", "goldstein", "quad")}


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("iran_pakistan_timeline", None, None),
        ("iran_pakistan_2023_2025", "2023-01-01", "2025-12-31"),
        ("iran_pakistan_jan2024", "2024-01-10", "2024-02-15"),
    ],
)
def test_figure_csv_matches_an_independent_computation(shipped, expected, name, start, end):
    want = expected["magnitude"]
    if start is not None:
        want = want[want["date"].between(start, end)]
    table = shipped(f"{name}.csv", parse_dates=["date"])
    assert table["date"].tolist() == want["date"].tolist()
    assert (table["dyad"] == "IRN-PAK").all()
    for column in ("conflict", "cooperation", "net", "tension"):
        np.testing.assert_allclose(table[column], want[column], rtol=1e-8, atol=1e-8)


def test_schemes_csv_matches_an_independent_computation(shipped, expected):
    table = shipped("iran_pakistan_schemes.csv", parse_dates=["date"])
    assert list(table["scheme"].unique()) == ["magnitude", "goldstein", "quad"]
    for scheme, rows in table.groupby("scheme"):
        want = expected[scheme]
        share = want["tension"] / want["tension"].max()
        want = want.assign(share=share).set_index("date").loc[rows["date"]]
        np.testing.assert_allclose(rows["tension"], want["tension"], rtol=1e-8, atol=1e-8)
        np.testing.assert_allclose(rows["share_of_peak"], want["share"], rtol=1e-8, atol=1e-8)


def test_episode_table_and_comparison_agree_with_the_timeline(shipped):
    table = shipped("episodes.csv", parse_dates=["peak_date"])
    top = table[table["rank"] == 1].set_index("dyad")
    assert set(top.index) >= {"IRN-PAK", "IND-PAK", "IRN-ISR"}
    assert top.loc["IRN-PAK", "peak_date"] == pd.Timestamp("2024-01-18")
    # de-escalation by events: the whole interval lies below the kernel's own half-life
    assert top.loc["IRN-PAK", "half_life_high"] < top.loc["IRN-PAK", "mechanical_half_life"]
    assert top.loc["IRN-PAK", "versus_decay"] == "faster"

    compared = shipped("episodes_compared.csv", parse_dates=["peak_date"])
    assert list(compared["dyad"].unique()) == ["IRN-PAK", "IND-PAK", "IRN-ISR"]
    timeline = shipped("iran_pakistan_timeline.csv", parse_dates=["date"])
    tension = timeline.set_index("date")["tension"]
    mine = compared[compared["dyad"] == "IRN-PAK"]
    days = tension.idxmax() + pd.to_timedelta(mine["days_since_peak"], unit="D")
    np.testing.assert_allclose(mine["share_of_peak"], tension[days] / tension.max(), rtol=1e-8)
    assert (compared.loc[compared["days_since_peak"] == 0, "share_of_peak"] == 1).all()


def test_latent_band_brackets_its_level(shipped):
    latent = shipped("iran_pakistan_latent.csv", parse_dates=["date"])
    assert (latent["lower"] <= latent["level"]).all() and (latent["level"] <= latent["upper"]).all()
    assert latent["converged"].all()
    assert latent.loc[latent["level"].idxmax(), "date"].strftime("%Y-%m") == "2024-01"


def test_building_twice_gives_identical_bytes(tmp_path):
    first = {p.name: p.read_bytes() for p in build_figures(load_bundle(), tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build_figures(load_bundle(), tmp_path / "b")}
    assert first == second


@pytest.fixture
def project_copy(tmp_path, shipped_files):
    """A folder holding a weights file and the shipped figures (not the tree's own, which
    may hold the user's weights)."""
    shutil.copy(DATA_DIR / "weights.toml", tmp_path / "weights.toml")
    (tmp_path / "figures").mkdir()
    for name, content in shipped_files.items():
        (tmp_path / "figures" / name).write_bytes(content)
    return tmp_path


def figures(project, *extra):
    return main(["figures", "--out", str(project / "figures"), *map(str, extra)])


def test_weights_file_moves_the_figures_and_says_what_moved(project_copy, capsys):
    before = pd.read_csv(project_copy / "figures" / "iran_pakistan_jan2024.csv")
    weights = project_copy / "weights.toml"
    weights.write_text('[weights]\n"195" = -5.0\n', encoding="utf-8")
    capsys.readouterr()
    assert figures(project_copy, "--weights", weights) == 0
    after = pd.read_csv(project_copy / "figures" / "iran_pakistan_jan2024.csv")
    strike_days = before["date"].isin(["2024-01-16", "2024-01-18"])
    # halving the weight of aerial strikes lowers conflict on the strike days, nothing else
    assert (after.loc[strike_days, "conflict"] < before.loc[strike_days, "conflict"]).all()
    assert (
        after.loc[~strike_days, "conflict"].tolist()
        == before.loc[~strike_days, "conflict"].tolist()
    )
    assert after["tension"].max() < before["tension"].max()
    err = capsys.readouterr().err
    assert "built with your weights (195 = -5)" in err
    moved = err[err.index("what moved") :].splitlines()
    mine = next(i for i, line in enumerate(moved) if line.startswith("  IRN-PAK: was peak"))
    assert moved[mine].startswith("  IRN-PAK: was peak 18 January 2024 at")
    assert moved[mine + 1].lstrip().startswith("now peak 18 January 2024 at")
    assert moved[-1].startswith("to go back") and "git checkout data/weights.toml figures/" in err
    # the check reads the weights the figures record, and says which they are
    assert figures(project_copy, "--check") == 0
    assert "built with your weights (195 = -5)" in capsys.readouterr().out
    # ... and a check against the shipped weights sees they are not the shipped figures
    assert figures(project_copy, "--check", "--weights", DATA_DIR / "weights.toml") == 1


def test_rebuilding_the_same_weights_says_nothing_moved(project_copy, capsys):
    assert figures(project_copy) == 0
    err = capsys.readouterr().err
    assert "nothing moved" in err and "go back" not in err


def test_broken_weights_stop_the_build_and_leave_figures_untouched(project_copy, capsys):
    weights = project_copy / "weights.toml"
    weights.write_text('[weights]\n"195" = "loud"\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (project_copy / "figures").iterdir()}
    assert figures(project_copy, "--weights", weights) == 1
    assert capsys.readouterr().err.startswith(f"{weights}:2: weights.195: weight must be a number")
    assert {p.name: p.read_bytes() for p in (project_copy / "figures").iterdir()} == before


def test_check_fails_on_a_stale_figure(project_copy, capsys):
    (project_copy / "figures" / "iran_pakistan_jan2024.csv").write_text("stale\n")
    assert figures(project_copy, "--check") == 1
    assert "iran_pakistan_jan2024.csv: differs" in capsys.readouterr().err


def test_data_that_points_nowhere_is_one_clear_error(tmp_path, capsys):
    assert main(["figures", "--data", str(tmp_path), "--out", str(tmp_path / "f")]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"relscore: error: {tmp_path}: no events/iran_pakistan.csv here (--data names a folder "
        "holding events/*.csv; leave it out to use the bundled data)\n"
    )
    assert not (tmp_path / "f").exists()


def test_a_data_folder_builds_like_the_bundled_data(tmp_path):
    shutil.copytree(DATA_DIR / "events", tmp_path / "events")
    mine = render_figures(load_bundle(tmp_path))
    assert mine == render_figures(load_bundle())


def test_in_a_checkout_figures_builds_with_data_weights_toml_and_says_so(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "weights.toml").write_text('[weights]\n"195" = -8.0\n', encoding="utf-8")
    assert main(["figures", "--out", "figures"]) == 0
    err = capsys.readouterr().err
    assert (
        "relscore: weights from data/weights.toml (this folder's own; --weights FILE to "
        "build with another)\n" in err
    )
    assert "built with your weights (195 = -8)" in err
    assert weights_used(tmp_path / "figures") == {"195": -8.0}


def test_weights_in_effect_are_the_ones_the_nearest_figures_record(tmp_path):
    from relscore.figures import weights_in_effect

    (tmp_path / "figures").mkdir()
    (tmp_path / "notebooks").mkdir()
    assert weights_in_effect(tmp_path / "notebooks") == {}
    (tmp_path / "figures" / "weights_used.toml").write_text('[weights]\n"036" = 5.0\n')
    assert weights_in_effect(tmp_path / "notebooks") == {"036": 5.0}
    assert weights_in_effect(tmp_path) == {"036": 5.0}


def test_draw_figure_draws_a_figure_as_figures_has_it():
    import matplotlib.pyplot as plt

    from relscore.figures import SOURCE, draw_figure

    fig = draw_figure("iran_pakistan_latent", load_bundle(overrides={"195": -8.0}))
    words = " ".join(" ".join(t.get_text().split()) for t in fig.findobj(plt.Text))
    plt.close(fig)
    assert "the level beneath the weekly ups and downs" in words  # the title
    assert "Blue: the slow-moving level" in words  # the subtitle
    assert SOURCE in words and 'Weights: yours, not the shipped ones: "195" = −8' in words
    with pytest.raises(KeyError, match="no figure 'episodes'"):
        draw_figure("episodes", load_bundle())  # a table, not an image
