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
# # 05 · Machine-coded data: one GDELT export, every dyad
#
# The hand-curated Iran–Pakistan events tell one story well. GDELT codes the world's news
# by machine, every 15 minutes, for every pair of countries. Here is one real GDELT 2.0
# export (2,111 rows, 24 October 2019, 14:30 UTC; `data/reference/`), imported with
# `relscore import gdelt`'s library function, scored, and turned into an index for every
# dyad in it — and what the deduplication choice does to that index.

# %%
# %matplotlib inline

import relscore
from relscore import compare_dedupe, read_gdelt
from relscore.coding import scale_by_coverage
from relscore.plot import style

with relscore.datasets.gdelt_sample() as SAMPLE:  # one real 15-minute GDELT 2.0 file
    events, tally = read_gdelt(SAMPLE)  # the default deduplication: one-a-day
print("\n".join(tally.lines()))

# %% [markdown]
# ## Where the rows go
# Every row read is kept, a duplicate, or skipped for a reason — the counts always add up.
# Most rows are not events between two states: 1,521 lack a country on one side (a protester,
# "police", an unnamed official), 121 have the same country on both sides (domestic politics),
# 47 name a CAMEO region (`EUR`, `AFR`) rather than a state. Of the 422 interstate rows left,
# 180 repeat an earlier row's date, actors and event code.
#
# The event date is GDELT's `SQLDATE`, not when GDELT saw the article: a few rows are about
# events the articles date weeks or a year back.

# %%
events["date"].dt.strftime("%Y-%m-%d").value_counts().rename("events").to_frame()

# %% [markdown]
# ## An index for every dyad
# The same code as for the curated data: `code_events` (default `magnitude` scheme) and
# `tension_index` (decay, 14-day half-life), all dyads at once. The most tense dyads on the
# export's day:

# %%
coded = relscore.code_events(events)
index = relscore.tension_index(coded)
on_the_day = index[index["date"] == "2019-10-24"].set_index("dyad")
columns = ["n_events", "conflict", "cooperation", "tension"]
on_the_day.sort_values("tension", ascending=False)[columns].head(10)

# %% [markdown]
# And the warmest: in a day of news, cooperation (statements, meetings, visits) is the bulk
# of what states do to each other.

# %%
on_the_day.sort_values("tension")[columns].head(5)

# %% [markdown]
# ## What the deduplication choice changes
# GDELT writes one row per article and per sentence that mentions an event, so a widely
# reported event comes many times. `one-a-day` (default) keeps one row per date, initiator,
# target and code; `source-url` one per article as well; `none` every row. The choice moves
# the index: a dyad that many articles cover climbs under `none`.

# %%
with relscore.datasets.gdelt_sample() as SAMPLE:
    tension, counts = compare_dedupe(read_gdelt, SAMPLE, "2019-10-24")
counts

# %%
top = tension.sort_values("none", ascending=False).head(8)
top

# %%
with style():
    ax = top[::-1].plot.barh(figsize=(7, 4.5))
    ax.set_xlabel("tension on 24 Oct 2019 (index points, + = conflict)")
    ax.set_ylabel("")
    ax.set_title("The most tense dyads under each deduplication mode")
    ax.legend(title="--dedupe", loc="lower right")

# %% [markdown]
# ## Weighting by coverage (optional)
# `relscore index --weight-by num_mentions` multiplies each event by how often the news
# mentioned it. It is off by default: coverage measures attention, not the event — but it
# shows which tensions the news dwelt on.

# %%
weighted = relscore.tension_index(scale_by_coverage(coded, "num_mentions"))
weighted_day = weighted[weighted["date"] == "2019-10-24"].set_index("dyad")["tension"]
weighted_day.sort_values(ascending=False).head(5).to_frame("tension, weighted by mentions")

# %% [markdown]
# ## Caveats
# * Fifteen minutes of news is a snapshot: an index needs months of exports
#   (`relscore import gdelt *.export.CSV.zip` streams them, memory bounded by a chunk).
# * Machine coding errs: actors are states by *affiliation*, so "Pakistani militants" count
#   as Pakistan; codes come from sentence parsing, not a reader.
# * The deduplication mode is a choice to report with any result drawn from GDELT.
