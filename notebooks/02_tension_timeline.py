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
# # 02 · The tension timeline, 1947–2025
#
# The daily tension index for Iran–Pakistan: the long view, the last three years, and the
# January 2024 missile exchange day by day, drawn by the functions that draw `figures/` and with
# the weights those figures were built with: the shipped ones, or yours once you have edited
# `data/weights.toml` and run `make figures`. The last cell says which.

# %%
# %matplotlib inline

import relscore
from relscore import figures
from relscore.analysis.halflife import days_to_half
from relscore.plot import plot_streams, plot_tension, style, weights_words

events = relscore.datasets.load("iran_pakistan")
overrides = figures.weights_in_effect()  # the weights figures/ were built with
index = figures.dyad_index(events, overrides)  # default scheme and kernel
tension = index.set_index("date")["tension"]

# %% [markdown]
# ## The long view
# Positive is tension, negative is warmth. Most of the 78 years are quiet or warm; the spikes
# are the 2014–2017 border incidents and, far above them, January 2024.

# %%
with style():
    ax = plot_tension(index, milestones=figures.timeline_labels(index), label=None)
    ax.set_title("Iran–Pakistan tension, 1947–2025")

# %%
relscore.episodes(index).sort_values("peak", ascending=False).head(5)[
    ["start", "peak_date", "peak", "end", "n_events", "days_to_half"]
]

# %% [markdown]
# ## 2023–2025

# %%
recent = index[index["date"].between("2023-01-01", "2025-12-31")]
with style():
    ax = plot_tension(recent, shade=figures.CRISIS, label=None)
    ax.set_title("Iran–Pakistan tension, 2023–2025")

# %% [markdown]
# ## January 2024, day by day
# Conflict (up) and cooperation (down) per day, the index, and — dashed — how the index would
# have fallen from its peak by decay alone. It falls faster: the calls of 19 January, the joint
# statement of 22 January, the ambassadors' return on 26 January and the foreign minister's
# visit on 29 January pull it down.

# %%
january = index[index["date"].between(*figures.JANUARY_2024)]
with style():
    ax = plot_streams(
        january, milestones=figures.JANUARY_2024_MILESTONES, half_life=relscore.DEFAULT_HALF_LIFE
    )
    ax.set_title("January 2024, day by day")

# %%
print(f"peak {tension.max():.1f} index points on {tension.idxmax():%d %B %Y}")
print(
    f"below half the peak after {days_to_half(tension):.0f} days; "
    f"decay alone would take {relscore.DEFAULT_HALF_LIFE:g} days"
)
print(weights_words(overrides) or "Weights: the shipped ones.")
