"""The known-crises check as a picture: one dyad's tension, the crises a list holds for it
shaded, and the top episodes marked, found or not."""

from __future__ import annotations

import pandas as pd

from relscore.plot.style import CONFLICT, NOTE, SHADE, TENSION, _axes, _zero


def plot_known_crises(index: pd.DataFrame, check: pd.DataFrame, dyad: str, ax=None):
    """``dyad``'s tension with its known crises shaded and its top episodes marked.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of :func:`relscore.tension_index` (any dyads; ``dyad``'s are drawn).
    check : pandas.DataFrame
        Output of :func:`relscore.known_crises`.
    dyad : str
        The dyad to draw, e.g. ``"SYR-TUR"``.

    Returns
    -------
    matplotlib.axes.Axes
        Each known crisis is an orange band from 3 days before its start to 30 days after its
        end (where its episode must peak); each top episode read is a dot at its peak, filled
        when it matches a crisis and hollow when no listed crisis matches it, with its rank.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import relscore
    >>> index = relscore.tension_index(relscore.code_events(relscore.datasets.load_all()))
    >>> known = pd.DataFrame({"dyad": ["IRN-PAK"], "start": pd.to_datetime(["2024-01-16"]),
    ...     "end": pd.to_datetime(["2024-01-29"]), "what": ["strikes"]})
    >>> check = relscore.known_crises(relscore.episodes(index), known)
    >>> ax = plot_known_crises(index, check, "IRN-PAK")
    >>> [text.get_text() for text in ax.texts][:2]
    ['1', '2']
    """
    ax = _axes(ax)
    _zero(ax)
    rows = index[index["dyad"] == dyad]
    mine = check[check["dyad"] == dyad]
    crises = mine[mine["status"] != "unlisted"]
    for n, crisis in enumerate(crises.itertuples()):
        ax.axvspan(
            crisis.start - pd.Timedelta(days=3),
            crisis.end + pd.Timedelta(days=30),
            color=SHADE,
            alpha=0.35,
            lw=0,
            label="known crisis (where its episode may peak)" if n == 0 else None,
        )
    ax.plot(rows["date"], rows["tension"], color=TENSION, lw=0.8, label="tension", zorder=3)
    tension = rows.set_index("date")["tension"]
    peaks = pd.concat(
        [
            crises[crises["status"] == "found"].assign(matched=True),
            mine[mine["status"] == "unlisted"].assign(matched=False),
        ]
    ).sort_values("rank")
    for matched, label in (
        (True, "top episode of a known crisis"),
        (False, "top episode, unlisted"),
    ):
        these = peaks[peaks["matched"] == matched]
        ax.scatter(
            these["peak_date"],
            tension.reindex(these["peak_date"]).to_numpy(),
            s=28,
            facecolor=CONFLICT if matched else "white",
            edgecolor=CONFLICT,
            zorder=4,
            label=label,
        )
    for peak in peaks.itertuples():
        ax.annotate(
            f"{peak.rank}",
            (peak.peak_date, tension.get(peak.peak_date, 0.0)),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color=NOTE,
        )
    ax.set_ylabel("tension (index points)")
    return ax
