"""Known crises as a check anyone can run: are the crises history records among the episodes
relscore reads, and what else does it call an episode?

**The rule** (fixed; the same for every data set and every setting). A known crisis of dyad
``D`` from ``start`` to ``end`` is *found* when an episode of ``D`` whose rank is at most
``max(5, listed + 3)`` -- ``listed`` being the number of crises the list holds for ``D`` --
peaks between ``start - 3`` days and ``end + 30`` days. The days before allow for a date
that sources give a day or two late; the month after, for a crisis whose peak of reporting
follows its first act. The rank limit lets a dyad with many listed crises have as many top
episodes, plus three for the crises no list holds. The matching episode is the best ranked
of those that qualify; ``lag_days`` is its peak's distance from ``start``.

*Recall* is the share of listed crises found. The top episodes (within the rank limit) of
the listed dyads that match no listed crisis are returned too, for the analyst to judge:
a crisis the list lacks, or a reading that is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EARLY_DAYS = 3  # an episode may peak this many days before a crisis's listed start
LATE_DAYS = 30  # or this many days after its listed end
MIN_RANK_LIMIT = 5  # every listed dyad's top five episodes are read
SPARE_RANKS = 3  # and three more than it has listed crises

CHECK_COLUMNS = (
    "dyad",
    "status",
    "start",
    "end",
    "what",
    "rank",
    "rank_limit",
    "peak_date",
    "peak",
    "lag_days",
)


def known_crises(episodes: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Check episodes against known crises (see the module docstring for the rule).

    Parameters
    ----------
    episodes : pandas.DataFrame
        Output of :func:`relscore.episodes` (undirected dyads).
    known : pandas.DataFrame
        Known crises, as :func:`relscore.read_crises` reads them: ``dyad``, ``start``,
        ``end`` and ``what``.

    Returns
    -------
    pandas.DataFrame
        First one row per known crisis, in the list's order, with ``status`` ``"found"`` or
        ``"missed"``, then one row per top episode of a listed dyad that matches no crisis
        (``status`` ``"unlisted"``, by dyad and rank). Columns: :data:`CHECK_COLUMNS`:
        the crisis's ``dyad``, ``start``, ``end`` and ``what`` (empty for an unlisted
        episode), the episode's ``rank``, ``peak_date`` and ``peak`` (empty for a missed
        crisis), ``rank_limit`` and ``lag_days`` (days from the crisis's start to the peak).
        :func:`crisis_recall` reads the recall from it.

    Examples
    --------
    >>> import relscore
    >>> index = relscore.tension_index(relscore.code_events(relscore.datasets.load_all()))
    >>> known = pd.DataFrame({"dyad": ["IRN-PAK", "IND-PAK"],
    ...     "start": pd.to_datetime(["2024-01-16", "2025-04-22"]),
    ...     "end": pd.to_datetime(["2024-01-29", "2025-05-10"]),
    ...     "what": ["missile strikes both ways", "Pahalgam to the ceasefire"]})
    >>> check = known_crises(relscore.episodes(index), known)
    >>> columns = ["dyad", "status", "rank", "peak_date", "lag_days"]
    >>> check.loc[check["status"] != "unlisted", columns]
          dyad status  rank  peak_date  lag_days
    0  IRN-PAK  found     1 2024-01-18         2
    1  IND-PAK  found     1 2025-05-10        18
    >>> crisis_recall(check)
    1.0
    """
    listed = known["dyad"].value_counts()
    limit = np.maximum(MIN_RANK_LIMIT, listed + SPARE_RANKS)
    top = episodes[episodes["dyad"].isin(listed.index)].copy()
    top["rank_limit"] = top["dyad"].map(limit)
    top = top[top["rank"] <= top["rank_limit"]]
    rows, matched = [], set()
    for crisis in known.itertuples(index=False):
        mine = top[top["dyad"] == crisis.dyad]
        early = pd.Timestamp(crisis.start) - pd.Timedelta(days=EARLY_DAYS)
        late = pd.Timestamp(crisis.end) + pd.Timedelta(days=LATE_DAYS)
        hits = mine[mine["peak_date"].between(early, late)].sort_values("rank")
        row = {
            "dyad": crisis.dyad,
            "status": "found" if len(hits) else "missed",
            "start": crisis.start,
            "end": crisis.end,
            "what": crisis.what,
            "rank_limit": int(limit[crisis.dyad]),
        }
        if len(hits):
            best = hits.iloc[0]
            matched.update(hits.index)
            row |= {
                "rank": best["rank"],
                "peak_date": best["peak_date"],
                "peak": best["peak"],
                "lag_days": (best["peak_date"] - pd.Timestamp(crisis.start)).days,
            }
        rows.append(row)
    unlisted = top.drop(index=list(matched)).sort_values(["dyad", "rank"])
    rows += [
        {
            "dyad": episode.dyad,
            "status": "unlisted",
            "rank": episode.rank,
            "rank_limit": episode.rank_limit,
            "peak_date": episode.peak_date,
            "peak": episode.peak,
        }
        for episode in unlisted.itertuples()
    ]
    table = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    return table.astype(
        {
            "dyad": "str",
            "status": "str",
            "start": "datetime64[s]",
            "end": "datetime64[s]",
            "what": "str",
            "rank": "Int64",
            "rank_limit": "int64",
            "peak_date": "datetime64[s]",
            "peak": "float64",
            "lag_days": "Int64",
        }
    )


def crisis_recall(check: pd.DataFrame) -> float:
    """The share of known crises found in a :func:`known_crises` table (NaN for none).

    Examples
    --------
    >>> check = pd.DataFrame({"status": ["found", "missed", "found", "unlisted"]})
    >>> crisis_recall(check)  # two of the three listed crises; unlisted episodes don't count
    0.6666666666666666
    """
    crises = check[check["status"] != "unlisted"]
    return float((crises["status"] == "found").mean()) if len(crises) else float("nan")
