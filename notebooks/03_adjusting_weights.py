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
# which hold; this notebook always starts from the shipped weights.

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import relscore
from relscore import figures
from relscore.plot import plot_schemes, style

events = relscore.datasets.load("iran_pakistan")
overrides = {}  # the shipped weights

# %% [markdown]
# ## The defaults for the codes that matter most here

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
# half-life and watch the January 2024 panel re-draw. Without it, this cell says so and moves on.

# %%
figures.weight_sliders(events, codes=("195", "036", "161"))
