"""Figures: current, deterministic, backed by CSVs whose numbers are checked independently."""

import shutil

import numpy as np
import pandas as pd
import pytest

from relscore.cli import main
from relscore.figures import FIGURES, build_figures, check_figures
from tests.conftest import ROOT

FIGURE_DIR = ROOT / "figures"
DATA_DIR = ROOT / "data"


def test_committed_figures_are_current():
    assert check_figures(DATA_DIR, FIGURE_DIR) == []


def test_every_figure_has_png_svg_and_csv():
    names = {p.name for p in FIGURE_DIR.iterdir()}
    for figure in FIGURES:
        assert {f"{figure.name}.png", f"{figure.name}.svg", f"{figure.name}.csv"} <= names


def test_no_timestamps_in_images():
    for figure in FIGURES:
        svg = (FIGURE_DIR / f"{figure.name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg
        png = (FIGURE_DIR / f"{figure.name}.png").read_bytes()
        assert b"Software" not in png and b"Creation Time" not in png


def test_timeline_csv_matches_an_independent_computation():
    """Recompute the default index with plain pandas, day by day, from the events file."""
    events = pd.read_csv(
        DATA_DIR / "events" / "iran_pakistan.csv", dtype=str, keep_default_na=False
    )
    book = pd.read_csv(ROOT / "relscore" / "data" / "cameo_codebook.csv", dtype=str).set_index(
        "code"
    )
    weight = events["event_code"].map(book["goldstein"]).astype(float)
    material = events["event_code"].map(book["quad_class"]).str.startswith("material")
    deaths = pd.to_numeric(events["fatalities"]).fillna(0)
    size = np.where(material, 2.0, 1.0) * (1 + np.log10(1 + deaths))
    daily = (-weight * size).groupby(pd.to_datetime(events["date"])).sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    net = daily.reindex(days, fill_value=0.0)
    r = 0.5 ** (1 / 14)
    expected, level = [], 0.0
    for value in net:
        level = value + r * level
        expected.append(level)

    shipped = pd.read_csv(FIGURE_DIR / "iran_pakistan_timeline.csv", parse_dates=["date"])
    assert shipped["date"].tolist() == list(days)
    np.testing.assert_allclose(shipped["net"], net.to_numpy(), atol=1e-8)
    np.testing.assert_allclose(shipped["tension"], expected, rtol=1e-8, atol=1e-8)


def test_building_twice_gives_identical_bytes(tmp_path):
    first = {p.name: p.read_bytes() for p in build_figures(DATA_DIR, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build_figures(DATA_DIR, tmp_path / "b")}
    assert first == second


@pytest.fixture
def project_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "events", data / "events")
    shutil.copy(DATA_DIR / "weights.toml", data / "weights.toml")
    shutil.copytree(FIGURE_DIR, tmp_path / "figures")
    return tmp_path


def test_weights_file_moves_the_figure_csv_in_the_expected_direction(project_copy, capsys):
    before = pd.read_csv(project_copy / "figures" / "iran_pakistan_jan2024.csv")
    (project_copy / "data" / "weights.toml").write_text(
        '[weights]\n"195" = -5.0\n', encoding="utf-8"
    )
    out = project_copy / "figures"
    assert main(["figures", "--data", str(project_copy / "data"), "--out", str(out)]) == 0
    after = pd.read_csv(out / "iran_pakistan_jan2024.csv")
    strike_days = before["date"].isin(["2024-01-16", "2024-01-18"])
    # halving the weight of aerial strikes lowers conflict on the strike days, nothing else
    assert (after.loc[strike_days, "conflict"] < before.loc[strike_days, "conflict"]).all()
    assert (
        after.loc[~strike_days, "conflict"].tolist()
        == before.loc[~strike_days, "conflict"].tolist()
    )
    assert after["tension"].max() < before["tension"].max()
    assert (
        main(["figures", "--check", "--data", str(project_copy / "data"), "--out", str(out)]) == 0
    )


def test_broken_weights_stop_the_build_and_leave_figures_untouched(project_copy, capsys):
    weights = project_copy / "data" / "weights.toml"
    weights.write_text('[weights]\n"195" = "loud"\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (project_copy / "figures").iterdir()}
    code = main(
        ["figures", "--data", str(project_copy / "data"), "--out", str(project_copy / "figures")]
    )
    assert code == 1
    assert capsys.readouterr().err.startswith(f"{weights}:2: weights.195: weight must be a number")
    assert {p.name: p.read_bytes() for p in (project_copy / "figures").iterdir()} == before


def test_check_fails_on_a_stale_figure(project_copy, capsys):
    (project_copy / "figures" / "iran_pakistan_jan2024.csv").write_text("stale\n")
    code = main(
        [
            "figures",
            "--check",
            "--data",
            str(project_copy / "data"),
            "--out",
            str(project_copy / "figures"),
        ]
    )
    assert code == 1
    assert "iran_pakistan_jan2024.csv: differs" in capsys.readouterr().err
