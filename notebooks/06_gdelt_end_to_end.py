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
# # 06 · GDELT end to end: fetch, import, index, update, explain
#
# GDELT publishes a new events file every 15 minutes and lists every file it has published,
# with its size and MD5, in `masterfilelist.txt`. The loop a GDELT user runs is always the
# same: fetch the new files, add them to the event store, bring the index up to date, and
# look at what moved. This notebook runs that loop on this machine, offline: the bundled
# real GDELT 2.0 export (2,111 rows, 24 October 2019) is cut into four 15-minute files and
# served from 127.0.0.1 as a GDELT mirror would serve them. Against GDELT itself, leave out
# `base_url`.

# %%
# %matplotlib inline

import shutil
import tempfile
from pathlib import Path

import relscore
from relscore.plot import style
from relscore.testing.mirror import serve, write_master_list

work = Path(tempfile.mkdtemp(prefix="relscore-06-"))
mirror, downloads = work / "mirror", work / "gdelt"
store, index = work / "store", work / "index"

files = relscore.datasets.gdelt_sample_files(mirror)  # four zipped 15-minute exports
[f.name for f in files]

# %% [markdown]
# ## Fetch the first half hour
# At first the mirror lists only the first two slots, as GDELT's list would have at 14:45.
# `fetch_gdelt` reads the list, picks the export files of the dates asked for (mentions
# and GKG files are listed too, and left alone), downloads each to a temporary file,
# checks its size and MD5 against the list, and only then gives it its name. With
# `to_parquet` each verified file goes into the event store as it arrives.

# %%
write_master_list(mirror, files[:2])
with serve(mirror) as url:
    first = relscore.fetch_gdelt(
        "2019-10-24", "2019-10-24", downloads, base_url=url, to_parquet=store
    )
print("\n".join(first.lines()))
print("\n".join(first.imported.lines()))

# %% [markdown]
# ## Index every dyad
# `update_index` on a folder that does not exist yet builds the index in full: every dyad,
# every day from the first event to the last, one Parquet file per month, and a manifest
# that records the settings and what the store held.

# %%
built = relscore.update_index(store, index)
print(built.summary())
before = relscore.read_index(index)
before.tail()

# %% [markdown]
# ## Fifteen minutes later
# The mirror now lists all four slots. Fetching the same day again downloads only the two
# new files: the two already here are verified and skipped (re-running a fetch is cheap,
# and an interrupted one resumes). The cached list is brought up to date with a range
# request for its new lines.

# %%
write_master_list(mirror, files)
with serve(mirror) as url:
    second = relscore.fetch_gdelt(
        "2019-10-24", "2019-10-24", downloads, base_url=url, to_parquet=store
    )
print("\n".join(second.lines()))

# %% [markdown]
# ## Update the index, not rebuild it
# `update_index` compares the store with what the manifest says it held, recomputes the
# dyad-days the new events fall on (from every event of the store on those days, with the
# same deduplication across files), then the tension of each dyad they touch from its own
# earliest date on, and writes those rows as small patches beside the month files (a month
# that gains days is written whole). In this half hour of news new dyads appear, so here
# every month file is written again; in a year of GDELT a 15-minute file writes its last
# month and a patch of each month its older dates reach (`benchmarks/bench_update.py`).
# Either way the result is what a full re-index of the store gives, bit for bit:

# %%
updated = relscore.update_index(store, index)
print(updated.summary())
after = relscore.read_index(index)
relscore.update_index(store, work / "full")  # a full re-index, into a new folder
full = relscore.read_index(work / "full")
numbers = ["n_events", "conflict", "cooperation", "net", "tension"]
print(
    "same dyads and days as a full re-index:",
    after[["dyad", "date"]].equals(full[["dyad", "date"]]),
)
print(
    "largest difference (index points):",
    float((after[numbers] - full[numbers]).abs().max().max()),
)

# %% [markdown]
# ## What moved
# The dyads whose tension on the 24th changed most with the second half hour of news:

# %%
day = "2019-10-24"
moved = (
    after[after["date"] == day]
    .set_index("dyad")["tension"]
    .rename("after")
    .to_frame()
    .join(before[before["date"] == day].set_index("dyad")["tension"].rename("before"))
    .fillna(0.0)
)
moved["change"] = moved["after"] - moved["before"]
top = moved.reindex(moved["change"].abs().sort_values(ascending=False).index).head(8)
top

# %%
with style():
    ax = top[["before", "after"]][::-1].plot.barh(figsize=(7, 4.5))
    ax.set_xlabel(f"tension on {day} (index points, + = conflict)")
    ax.set_ylabel("")
    ax.set_title("Tension before and after the second half hour of news")
    ax.legend(loc="lower right")

# %% [markdown]
# ## Explain a day
# Any value of the index comes apart into the events behind it. `explain` works on the
# events themselves: the same four files, read with the same deduplication the store
# uses, give the same number the index holds.

# %%
dyad = top.index[0]
events, tally = relscore.read_gdelt([downloads / f.name for f in files])
table = relscore.explain(events, dyad, day)
value = after[(after["dyad"] == dyad) & (after["date"] == day)]["tension"].iloc[0]
print(f"{dyad} on {day}: index {value:.3f}, sum of contributions {table['contribution'].sum():.3f}")
table[["date", "event_code", "description", "side", "contribution"]].head(8)

# %% [markdown]
# ## At GDELT's scale
# * From the command line the loop is `relscore fetch gdelt --since DATE --until DATE
#   --to DIR --to-parquet STORE`, then `relscore update STORE INDEX`; run both every 15
#   minutes, or once a day.
# * `benchmarks/` measures the update after one 15-minute file against a full re-index of a
#   100-million-event year, and the fetch against importing the same files from disk.
# * The index folder holds every dyad and day; `relscore.read_index` reads it back as one
#   table, in dyad and date order, as `relscore index` writes it.

# %%
shutil.rmtree(work)  # the mirror, the downloads, the store and the index were for this run
