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
def test_figure_csv_matches_an_independent_computation(expected, name, start, end):
    want = expected["magnitude"]
    if start is not None:
        want = want[want["date"].between(start, end)]
    shipped = pd.read_csv(FIGURE_DIR / f"{name}.csv", parse_dates=["date"])
    assert shipped["date"].tolist() == want["date"].tolist()
    assert (shipped["dyad"] == "IRN-PAK").all()
    for column in ("conflict", "cooperation", "net", "tension"):
        np.testing.assert_allclose(shipped[column], want[column], rtol=1e-8, atol=1e-8)


def test_schemes_csv_matches_an_independent_computation(expected):
    shipped = pd.read_csv(FIGURE_DIR / "iran_pakistan_schemes.csv", parse_dates=["date"])
    assert list(shipped["scheme"].unique()) == ["magnitude", "goldstein", "quad"]
    for scheme, rows in shipped.groupby("scheme"):
        want = expected[scheme]
        share = want["tension"] / want["tension"].max()
        want = want.assign(share=share).set_index("date").loc[rows["date"]]
        np.testing.assert_allclose(rows["tension"], want["tension"], rtol=1e-8, atol=1e-8)
        np.testing.assert_allclose(rows["share_of_peak"], want["share"], rtol=1e-8, atol=1e-8)


def test_episode_table_and_comparison_agree_with_the_timeline():
    table = pd.read_csv(FIGURE_DIR / "episodes.csv", parse_dates=["peak_date"])
    top = table[table["rank"] == 1].set_index("dyad")
    assert set(top.index) >= {"IRN-PAK", "IND-PAK", "IRN-ISR"}
    assert top.loc["IRN-PAK", "peak_date"] == pd.Timestamp("2024-01-18")
    # de-escalation by events: the whole interval lies below the kernel's own half-life
    assert top.loc["IRN-PAK", "half_life_high"] < top.loc["IRN-PAK", "mechanical_half_life"]
    assert top.loc["IRN-PAK", "versus_decay"] == "faster"

    compared = pd.read_csv(FIGURE_DIR / "episodes_compared.csv", parse_dates=["peak_date"])
    assert list(compared["dyad"].unique()) == ["IRN-PAK", "IND-PAK", "IRN-ISR"]
    timeline = pd.read_csv(FIGURE_DIR / "iran_pakistan_timeline.csv", parse_dates=["date"])
    tension = timeline.set_index("date")["tension"]
    mine = compared[compared["dyad"] == "IRN-PAK"]
    days = tension.idxmax() + pd.to_timedelta(mine["days_since_peak"], unit="D")
    np.testing.assert_allclose(mine["share_of_peak"], tension[days] / tension.max(), rtol=1e-8)
    assert (compared.loc[compared["days_since_peak"] == 0, "share_of_peak"] == 1).all()


def test_latent_band_brackets_its_level():
    latent = pd.read_csv(FIGURE_DIR / "iran_pakistan_latent.csv", parse_dates=["date"])
    assert (latent["lower"] <= latent["level"]).all() and (latent["level"] <= latent["upper"]).all()
    assert latent["converged"].all()
    assert latent.loc[latent["level"].idxmax(), "date"].strftime("%Y-%m") == "2024-01"


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


def test_project_data_dir_is_found_from_below_and_not_invented(tmp_path):
    from relscore.figures import project_data_dir

    assert project_data_dir(ROOT / "notebooks").resolve() == DATA_DIR.resolve()
    assert project_data_dir(ROOT).resolve() == DATA_DIR.resolve()
    with pytest.raises(FileNotFoundError, match="no data/events folder"):
        project_data_dir(tmp_path)
