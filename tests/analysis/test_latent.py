import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize_scalar
from statsmodels.tsa.statespace.structural import UnobservedComponents

from relscore.analysis.latent import LATENT_COLUMNS, latent_tension


def synthetic(n: int = 800, seed: int = 7, level_sd: float = 0.5, noise_sd: float = 2.0):
    """A random walk plus noise, as a one-dyad index; returns the index and the true level."""
    rng = np.random.default_rng(seed)
    level = np.cumsum(rng.normal(0, level_sd, n))
    index = pd.DataFrame(
        {
            "dyad": "AAA-BBB",
            "date": pd.date_range("2000-01-03", periods=n, freq="D"),
            "net": level + rng.normal(0, noise_sd, n),
        }
    )
    index["tension"] = index["net"]
    return index, level


def test_the_band_covers_the_true_level():
    index, level = synthetic()
    table = latent_tension(index, "D")
    assert tuple(table.columns) == LATENT_COLUMNS
    assert len(table) == len(index)
    assert table["converged"].all() and (table["fit_note"] == "ok").all()
    covered = (table["lower"] <= level) & (level <= table["upper"])
    assert covered.mean() > 0.85  # nominal 95 %
    assert np.sqrt(np.mean((table["level"] - level) ** 2)) < 1.5  # noise sd is 2
    params = table.attrs["params"]
    assert params["sigma2.irregular"] == pytest.approx(4, rel=0.3)
    assert 0.1 < params["sigma2.level"] < 0.6  # true 0.25


def test_filtered_levels_use_only_the_past():
    index, _ = synthetic(n=300)
    full = latent_tension(index, "D", smoothed=False, signal_to_noise=0.1)
    head = latent_tension(index.iloc[:200], "D", smoothed=False, signal_to_noise=0.1)
    # with the ratio fixed the filter's gain does not depend on the scale: the first 200
    # filtered levels are the same (up to the diffuse start) whether or not the later days
    # exist; smoothed ones differ
    np.testing.assert_allclose(full["level"].iloc[:200], head["level"], rtol=1e-5)
    smoothed = latent_tension(index.iloc[:200], "D", signal_to_noise=0.1)
    assert not np.allclose(smoothed["level"], head["level"])


def test_weekly_net_is_the_sum_of_each_week_labelled_by_its_sunday():
    index, _ = synthetic(n=21)  # 2000-01-03 is a Monday: three whole weeks
    table = latent_tension(index, "W")
    assert table["date"].tolist() == list(pd.date_range("2000-01-09", periods=3, freq="7D"))
    expected = index["net"].to_numpy().reshape(3, 7).sum(axis=1)
    np.testing.assert_allclose(table["observed"], expected)
    weekly_mean = latent_tension(index, "W", column="tension")["observed"]
    np.testing.assert_allclose(weekly_mean, expected / 7)


def test_a_fit_that_does_not_converge_is_reported():
    index, _ = synthetic(n=400)
    table = latent_tension(index, "D", maxiter=1)
    assert not table["converged"].any()
    assert table["fit_note"].iloc[0].startswith("optimiser did not converge in 1 iterations")
    assert table["level"].notna().all()  # the last estimates are still returned


def test_a_fixed_signal_to_noise_ratio_estimates_the_scale_by_maximum_likelihood():
    index, _ = synthetic(n=300)
    table = latent_tension(index, "D", signal_to_noise=0.25)
    scale = table.attrs["params"]["sigma2.irregular"]
    assert table.attrs["params"]["sigma2.level"] == pytest.approx(0.25 * scale)
    model = UnobservedComponents(index["net"].to_numpy(), level="local level")
    best = minimize_scalar(
        lambda s: -model.loglike([np.exp(s), 0.25 * np.exp(s)]), bounds=(-5, 5), method="bounded"
    )
    assert scale == pytest.approx(np.exp(best.x), rel=1e-4)
    assert table["converged"].all() and "fixed at 0.25" in table["fit_note"].iloc[0]


def test_one_dyad_at_a_time_and_known_options():
    index, _ = synthetic(n=30)
    two = pd.concat([index, index.assign(dyad="CCC-DDD")])
    with pytest.raises(ValueError, match="one dyad"):
        latent_tension(two)
    with pytest.raises(ValueError, match="freq"):
        latent_tension(index, "M")
    with pytest.raises(ValueError, match="column"):
        latent_tension(index, column="conflict")


def test_an_empty_index_gives_an_empty_table():
    index, _ = synthetic(n=10)
    table = latent_tension(index.iloc[:0], "D")
    assert table.empty and tuple(table.columns) == LATENT_COLUMNS
