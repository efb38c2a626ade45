# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Measuring the de-escalation
#
# "A spike and a quick de-escalation" as measured statements: how high, how fast it calmed,
# how sure we are, and whether it survives other weights — for Iran–Pakistan in January 2024,
# set beside the India–Pakistan crisis of May 2025 and the Iran–Israel war of June 2025.

# %%
# %matplotlib inline

import pandas as pd

import relscore
from relscore import figures
from relscore.plot import weights_words

pd.set_option("display.precision", 2)
# the bundled event files, with the weights figures/ were built with (the last cell says which)
bundle = figures.load_bundle(overrides=figures.weights_in_effect())
print(f"{len(bundle.all_events)} events in {bundle.all_events['file'].nunique()} files")

# %% [markdown]
# ## Episodes
# An episode is a peak of a dyad's tension that stands out: the index climbed to it from below half
# of it, and it rises at least 5 index points above the median of the year before
# (`relscore.episodes` says it in full; `docs/trust.md` checks it against known crises). For
# each: its peak, the days it took to fall below half the peak, and a half-life fitted with
# statsmodels (log-linear OLS after the peak, 95 % interval) when events moved the index after
# the peak. The decay kernel alone halves the index every 14 days: an interval wholly below
# that (`versus_decay == "faster"`) means events brought the tension down, not forgetting.
# Below, the two highest episodes of each of the three pairs, in rank order within each pair.

# %%
table = figures.episodes_table(bundle.all_events, bundle.overrides)
columns = [
    "dyad",
    "rank",
    "start",
    "peak_date",
    "peak",
    "end",
    "n_events",
    "days_to_half",
    "half_life_days",
    "half_life_low",
    "half_life_high",
    "versus_decay",
]
shown = table[table["dyad"].isin(figures.COMPARED) & (table["rank"] <= 2)]
order = shown["dyad"].map({dyad: at for at, dyad in enumerate(figures.COMPARED)})
shown.assign(order=order).sort_values(["order", "rank"])[columns].reset_index(drop=True)

# %% [markdown]
# ## How sure: a latent level with a 95 % band
# A local-level state-space model (statsmodels `UnobservedComponents`) on the weekly net.
# Fitted freely it calls almost everything noise — strikes were answered by cooperation, not
# by a lasting shift — so the band figure fixes the signal-to-noise ratio and says so.

# %%
free = relscore.latent_tension(figures.dyad_index(bundle.events, bundle.overrides), freq="W")
noise, step = free.attrs["params"]["sigma2.irregular"], free.attrs["params"]["sigma2.level"]
pd.DataFrame(
    {
        "fitted freely": [noise, step, step / noise, free["level"].min(), free["level"].max()],
        "model's name": ["sigma2.irregular", "sigma2.level", "", "", ""],
    },
    index=[
        "variance of the weekly noise",
        "variance of the level's weekly step",
        "signal-to-noise ratio (step / noise)",
        "level, lowest (index points a week)",
        "level, highest (index points a week)",
    ],
).style.format({"fitted freely": "{:.4g}"})

# %%
# The figure as figures/ has it: its title, the subtitle that says what is drawn, its footers.
fig = figures.draw_figure("iran_pakistan_latent", bundle)

# %% [markdown]
# ## Does it survive other weights? 1,000 variants
# Every named scheme, 1,000 seeded random jitters of every code's weight, a grid of windows
# and half-lives, and leaving out each event in turn; for each variant, its top episode.

# %%
variants = relscore.robustness(
    bundle.events, figures.DYAD, draws=1000, seed=0, overrides=bundle.overrides
)
summary = relscore.summarise_robustness(variants, "2024-01-16", "2024-01-31")
start, end = summary["start"].iloc[0], summary["end"].iloc[0]
print(f"on top: the variant's highest episode peaks between {start:%d %B} and {end:%d %B %Y}")
summary.drop(columns=["start", "end"]).set_index("kind")

# %% [markdown]
# ## Three crises on one clock
# Each dyad's top episode, tension divided by its peak, against days since the peak.

# %%
fig = figures.draw_figure("episodes_compared", bundle)

# %% [markdown]
# **Reading.** Iran–Pakistan fell below half its peak in about a week, with a fitted half-life
# whose interval lies wholly below the kernel's 14 days: the calls, the joint statement and
# the ambassadors' return did the work. India–Pakistan (May 2025) and Iran–Israel (June 2025)
# decayed at about the kernel's own rate or slower: after their ceasefires the recorded
# events did not pull tension down faster than forgetting would. The Iran–Pakistan reading
# holds across the variants above.

# %%
print(weights_words(bundle.overrides) or "Weights: the shipped ones.")
