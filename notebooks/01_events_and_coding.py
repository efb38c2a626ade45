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
# # 01 · Events and their coding
#
# What is in the Iran–Pakistan dataset, how each event is coded, and what the data can and
# cannot tell. Every number here comes from a call into `relscore`; the notebook only narrates.

# %%
# %matplotlib inline

import pandas as pd

import relscore

events = relscore.datasets.load("iran_pakistan")  # the bundled data/events/iran_pakistan.csv
print(f"{len(events)} events, {events['date'].min():%Y-%m-%d} to {events['date'].max():%Y-%m-%d}")

# %% [markdown]
# ## Coding: a weight and a class for each event
# `code_events` looks up each CAMEO code's Goldstein weight (−10 … +10) and its class
# (verbal/material × cooperation/conflict), then splits the event into a **conflict** and a
# **cooperation** contribution. Under the default `magnitude` scheme deeds count twice
# words, and an event that killed *f* people counts `1 + log10(1 + f)` times.

# %%
coded = relscore.code_events(events)
pd.crosstab(coded["date"].dt.year // 10 * 10, coded["quad_class"], margins=True).rename_axis(
    index="decade", columns=None
)

# %%
pd.crosstab(coded["actor1"], coded["quad_class"]).rename_axis(index="initiator", columns=None)

# %% [markdown]
# ## The codebook
# 311 CAMEO codes, built from GDELT's public tables; codes are strings, so `"036"` keeps its zero.
# Two of GDELT's descriptions carry typos of GDELT's own ("matyerial" in 033, "ÒhirdÓlocation"
# in 044); the build (`tools/build_codebook.py`) corrects them to the CAMEO manual's words.

# %%
codebook = relscore.load_codebook()
codebook.loc[["033", "036", "040", "042", "044", "057", "111", "161", "190", "195"]]

# %% [markdown]
# To find the code for what happened, search by words: the codes' names, a small table of the
# words news reports use, and the CAMEO manual's text (`relscore codes border clash` on the
# command line).

# %%
relscore.find_codes("border clash", limit=5)

# %% [markdown]
# ## January 2024, coded
# The strikes of 16 and 18 January carry deaths, so they weigh more than their Goldstein
# type alone; the cooperative gestures of the same days stay in, as their own stream.

# %%
columns = [
    "date",
    "actor1",
    "actor2",
    "event_code",
    "weight",
    "magnitude",
    "conflict",
    "cooperation",
    "description",
]
with pd.option_context("display.max_colwidth", 90):
    display(coded.loc[coded["date"].between("2024-01-16", "2024-01-31"), columns])  # noqa: F821

# %% [markdown]
# ## Coverage check
# Every code in the data, the weight it gets, and where that weight comes from. A code that
# nothing covers would show `missing` here and stop `code_events` rather than be dropped.

# %%
coverage = relscore.weight_coverage(events)
print(coverage["origin"].value_counts().to_string())
coverage

# %% [markdown]
# ## Caveats (from `data/README.md`)
# * Interstate only: acts of armed groups appear through the governments' responses.
# * Coverage is thinner before 2010; deaths are as reported by one side.
# * Rows whose exact date or instrument no report confirmed are marked `unverified` and dated
#   to the month or year:

# %%
unverified = events[events["notes"].str.contains("unverified")]
unverified[["event_id", "date", "date_precision", "description"]]
