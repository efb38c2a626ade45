"""Alerts checked against known crises: do they come when a crisis begins, and how often do
they come when none does?

**The rule** (fixed, beside :mod:`relscore.analysis.crises` for episodes). A known crisis
of dyad ``D`` from ``start`` to ``end`` is *alerted* when an alert of ``D`` falls between
``start - 3`` days and ``end``: an alert speaks of a beginning, so it must come by the
crisis's end, and the days before allow for a start that sources date a day or two late.
``lag_days`` is the first such alert's distance from ``start``. *Recall* is the share of
listed crises alerted (:func:`relscore.crisis_recall` reads it).

An alert of a listed dyad that falls in no crisis's days is *unlisted*: a false alarm, or
a crisis the list lacks. Their rate is counted per **dyad-year** on the busiest dyads the
list names (those with the most events, where a list is most likely complete): the years
in which the dyad could alert, from a year after its first event (an alert needs a year of
history) to the data's last day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.analysis.crises import EARLY_DAYS

BUSIEST = 5  # dyads whose false alarms are counted
DAYS_PER_YEAR = 365.25
ALERT_CHECK_COLUMNS = (
    "dyad",
    "status",
    "start",
    "end",
    "what",
    "date",
    "level",
    "value",
    "lag_days",
)
FALSE_ALARM_COLUMNS = ("dyad", "n_events", "years", "false_alarms", "per_year")


def alert_check(alerts: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Check alerts against known crises (see the module docstring for the rule).

    Parameters
    ----------
    alerts : pandas.DataFrame
        Output of :func:`relscore.alerts` (undirected dyads).
    known : pandas.DataFrame
        Known crises, as :func:`relscore.read_crises` reads them.

    Returns
    -------
    pandas.DataFrame
        One row per crisis, in the list's order, ``status`` ``"found"`` or ``"missed"``,
        with the first alert in its days (``date``, ``level``, ``value``) and ``lag_days``
        from its start; then one row per alert of a listed dyad in no crisis's days
        (``"unlisted"``, by dyad and date). Columns: :data:`ALERT_CHECK_COLUMNS`.

    Examples
    --------
    >>> import relscore
    >>> coded = relscore.code_events(relscore.datasets.load("iran_pakistan"))
    >>> found = relscore.alerts(relscore.tension_index(coded))
    >>> known = pd.DataFrame({"dyad": ["IRN-PAK"], "start": pd.to_datetime(["2024-01-16"]),
    ...     "end": pd.to_datetime(["2024-01-29"]), "what": ["missile strikes both ways"]})
    >>> alert_check(found, known)[["dyad", "status", "date", "level", "lag_days"]]
          dyad status       date   level  lag_days
    0  IRN-PAK  found 2024-01-17  record         1
    """
    rows, matched = [], np.zeros(len(alerts), bool)
    for crisis in known.itertuples(index=False):
        early = pd.Timestamp(crisis.start) - pd.Timedelta(days=EARLY_DAYS)
        inside = (alerts["dyad"] == crisis.dyad) & alerts["date"].between(early, crisis.end)
        matched |= inside.to_numpy()
        row = {"dyad": crisis.dyad, "status": "missed", "start": crisis.start}
        row |= {"end": crisis.end, "what": crisis.what}
        if inside.any():
            first = alerts[inside].sort_values("date").iloc[0]
            row |= {"status": "found", "date": first["date"], "level": first["level"]}
            row |= {"value": first["value"]}
            row["lag_days"] = (first["date"] - pd.Timestamp(crisis.start)).days
        rows.append(row)
    listed = alerts["dyad"].isin(set(known["dyad"])).to_numpy()
    unlisted = alerts[listed & ~matched].sort_values(["dyad", "date"], kind="stable")
    rows += [
        {"dyad": a.dyad, "status": "unlisted", "date": a.date, "level": a.level, "value": a.value}
        for a in unlisted.itertuples()
    ]
    return pd.DataFrame(rows, columns=list(ALERT_CHECK_COLUMNS)).astype(
        {
            "dyad": "str",
            "status": "str",
            "start": "datetime64[s]",
            "end": "datetime64[s]",
            "what": "str",
            "date": "datetime64[s]",
            "level": "str",
            "value": "float64",
            "lag_days": "Int64",
        }
    )


def false_alarms(check: pd.DataFrame, standing: pd.DataFrame, busiest: int = BUSIEST):
    """The unlisted alerts per dyad-year of the ``busiest`` listed dyads.

    Parameters
    ----------
    check : pandas.DataFrame
        Output of :func:`alert_check`.
    standing : pandas.DataFrame
        Each dyad's ``first_event``, ``last_day`` and ``n_events``
        (:func:`relscore.analysis.alerts.scan` gives it).
    busiest : int, default 5
        How many of the listed dyads, by events.

    Returns
    -------
    pandas.DataFrame
        One row per dyad, busiest first, then a row ``"all"`` for their sum: ``n_events``,
        ``years`` (from a year after its first event to the last day, to 0.1),
        ``false_alarms`` (its unlisted alerts) and ``per_year`` (false alarms per dyad-year,
        to 0.01).

    Examples
    --------
    >>> check = pd.DataFrame({"dyad": ["A-B", "A-B", "A-B"],
    ...     "status": ["found", "unlisted", "unlisted"], "date": pd.to_datetime(
    ...         ["2003-03-01", "2004-01-01", "2005-01-01"])})
    >>> standing = pd.DataFrame({"dyad": ["A-B"], "n_events": [500],
    ...     "first_event": pd.to_datetime(["2000-01-01"]),
    ...     "last_day": pd.to_datetime(["2004-12-31"])})
    >>> false_alarms(check, standing)  # four years that could alert, two alarms
      dyad  n_events  years  false_alarms  per_year
    0  A-B       500    4.0             2       0.5
    1  all       500    4.0             2       0.5
    """
    listed = set(check.loc[check["status"] != "unlisted", "dyad"])
    mine = standing[standing["dyad"].isin(listed)]
    mine = mine.sort_values(["n_events", "dyad"], ascending=[False, True]).head(busiest)
    start = mine["first_event"] + pd.Timedelta(days=365)
    years = (mine["last_day"] - start).dt.days.clip(lower=0) / DAYS_PER_YEAR
    unlisted = check.loc[check["status"] == "unlisted", "dyad"].value_counts()
    table = pd.DataFrame(
        {
            "dyad": mine["dyad"].to_numpy(),
            "n_events": mine["n_events"].to_numpy(np.int64),
            "years": years.to_numpy(),
            "false_alarms": unlisted.reindex(mine["dyad"], fill_value=0).to_numpy(np.int64),
        }
    )
    total = table.drop(columns="dyad").sum().to_dict() | {"dyad": "all"}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["per_year"] = (table["false_alarms"] / table["years"].where(table["years"] > 0)).round(2)
    table["years"] = table["years"].round(1)
    return table.astype({"n_events": "int64", "false_alarms": "int64"})
