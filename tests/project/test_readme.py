"""The numbers the README quotes are the ones the shipped data and weights give.

Each phrase is rebuilt here from a fresh computation (bundled events, shipped weights,
default kernel); when the data or the method moves, this test names the phrase to update.
"""

import pytest

import relscore
from tests.conftest import ROOT

README = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # lines joined


def quoted_phrases() -> dict[str, str]:
    events = relscore.datasets.load("iran_pakistan")
    index = relscore.tension_index(relscore.code_events(events))
    table = relscore.episodes(index)
    top = table[(table["dyad"] == "IRN-PAK") & (table["rank"] == 1)].iloc[0]
    variants = relscore.robustness(events, "IRN-PAK", draws=1000, seed=0)
    summary = relscore.summarise_robustness(variants, "2024-01-16", "2024-01-31")
    everything = summary.set_index("kind").loc["all"]
    assert everything["share_on_top"] == 1.0, "the README says 'in all ... variants'"
    ratio = relscore.compare_schemes(events, "IRN-PAK").set_index("scheme")["peak_ratio"]
    years = events["date"].max().year - events["date"].min().year
    alert = relscore.alerts(index, since="2024-01-01").iloc[0]
    return {
        "alert": (
            f"Iran–Pakistan's alert comes on {alert['date'].day} {alert['date']:%B %Y}, the "
            f"{relscore.analysis.alerts.LEVEL_WORDS[alert['level']]}"
        ),
        "events": f"Iran–Pakistan, 1947–2025 ({len(events)} events)",
        "high": f"to its {years}-year high",
        "days to half": f"below half its peak in {top['days_to_half']:.0f} days",
        "kernel": f"faster than the {relscore.DEFAULT_HALF_LIFE:g} days decay alone",
        "half-life": (
            f"fitted half-life of {top['half_life_days']:.1f} days (95 % interval "
            f"{top['half_life_low']:.1f}–{top['half_life_high']:.1f})"
        ),
        "variants": f"in all {int(everything['n_variants']):,} variants",
        "ratio": (
            f"stands {ratio['magnitude']:.1f}× above the next episode under `magnitude`, "
            f"against {ratio['goldstein']:.1f}× under plain `goldstein`"
        ),
    }


def what_moved_example() -> dict[str, str]:
    """The README's example of `make figures` after "195" = -8.0 and "036" = 5.0."""
    from relscore.figures import episodes_table, read_top_episodes, what_moved

    events = relscore.datasets.load_all()

    def top(overrides):
        return read_top_episodes(episodes_table(events, overrides).to_csv(index=False).encode())

    lines = what_moved(top({}), top({"195": -8.0, "036": 5.0}))
    mine = next(i for i, line in enumerate(lines) if line.startswith("IRN-PAK"))
    return {"what moved": " ".join(" ".join(lines[mine : mine + 2]).split())}


PHRASES = quoted_phrases() | what_moved_example()


@pytest.mark.parametrize("what", sorted(PHRASES))
def test_the_readme_quotes_the_current_number(what):
    assert PHRASES[what] in README, f"README.md should say: {PHRASES[what]!r}"
