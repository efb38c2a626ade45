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
# # 03 · Adjusting the weights
#
# Weights are data. To change one for the figures, edit `data/weights.toml` — list a CAMEO
# code under `[weights]` with a value from −10 to +10 — and run `make figures` again: it
# rebuilds every figure with your weights and says what moved. Codes you do not list keep
# their default. Here, in code, we ask which conclusions move when the weights move, and
# which hold. This notebook starts from the weights `figures/` were built with — the shipped
# ones, or yours after `make figures` (the `origin` column below says `override` for yours,
# and the last cell names them).

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import pandas as pd

import relscore
from relscore import figures
from relscore.plot import plot_schemes, style, weights_words

events = relscore.datasets.load("iran_pakistan")
overrides = figures.weights_in_effect()  # the weights figures/ were built with

# %% [markdown]
# ## The weights of the codes that matter most here

# %%
relscore.weights_table(overrides=overrides).loc[["036", "040", "042", "111", "161", "190", "195"]]

# %% [markdown]
# ## Three schemes
# * `magnitude` (default): Goldstein weights, deeds ×2, deaths scale the event;
# * `goldstein`: plain net Goldstein, each event counts its weight;
# * `quad`: ±1 for words, ±2 for deeds, by class.

# %%
relscore.compare_schemes(events, figures.DYAD, overrides=overrides)

# %%
with style():
    ax = plot_schemes(figures.schemes_table(events, overrides))
    ax.set_title("Each scheme scaled to its own peak")

# %% [markdown]
# **What holds:** under every scheme the highest episode of 1947–2025 is January 2024, and the
# index falls below half its peak within about a week — sooner than the 14 days that decay alone
# would take. **What moves:** how far above the runner-up (the 2014–2017 border incidents) the
# 2024 peak stands, and how long it takes to fall below half: the plain schemes let the
# cooperative statements of the strike days cancel more of the strikes.

# %% [markdown]
# ## A user's weights file
# The same file format as `data/weights.toml`; here a reader who thinks aerial strikes are
# overweighted and talk of meeting underweighted.

# %%
mine = Path(tempfile.mkdtemp()) / "my_weights.toml"
mine.write_text(
    '[weights]\n"195" = -6.0   # employ aerial weapons\n"036" = 6.0    # intent to meet\n'
)
my_overrides = relscore.read_weights(mine)
relscore.compare_schemes(events, figures.DYAD, overrides=my_overrides)

# %% [markdown]
# **Mind `quad`.** A weight in the file is on the Goldstein scale and applies under every
# scheme, *replacing* the scheme's own weight for that code. Under `magnitude` and `goldstein`
# "195" = −6 is milder than the shipped −10; under `quad` it replaces ±2 with −6 — three times
# harsher — so the `quad` peak goes *up*, not down (here from about 9 to about 17 index points).
# To compare schemes fairly, read `quad` with the shipped weights, or read its peak ratio
# (the peak over the runner-up), which the override moves far less.

# %%
quad = {
    name: relscore.compare_schemes(events, figures.DYAD, ["quad"], overrides=weights)
    .iloc[0][["peak", "peak_ratio"]]
    .round(1)
    for name, weights in (("shipped", {}), ("my file", my_overrides))
}
pd.DataFrame(quad).T

# %% [markdown]
# A mistake in the file is caught with the file and line named:

# %%
broken = mine.with_name("broken.toml")
broken.write_text('[weights]\n"195" = -12\n"999" = 1\n')
try:
    relscore.read_weights(broken)
except relscore.WeightsFileError as error:
    print(error)

# %% [markdown]
# ## Live sliders (optional)
# With `ipywidgets` installed (it comes with `make figures`), move a few key weights and the
# half-life and watch the January 2024 panel re-draw when you let go of a slider. They start
# from the weights in effect. Without ipywidgets, this cell says so and moves on.

# %%
figures.weight_sliders(events, codes=("195", "036", "161"), overrides=overrides)

# %%
print(weights_words(overrides) or "Weights: the shipped ones.")
