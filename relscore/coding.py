"""Code events: give each one a weight and split it into conflict and cooperation.

The default scheme, ``magnitude``, exists because the Goldstein scale scores an event's
*type*, not its *size*: a missile strike that kills two children and a drone shot down
over empty desert both score -10, and a friendly phone call on the same day cancels a
tenth of either. ``magnitude`` keeps the Goldstein weights and adds two size terms that
event data routinely record:

* **deeds count more than words** -- material events (CAMEO roots 06-09 and 15-20) count
  ``material_factor`` = 2 times a verbal one, the same 2:1 ratio the ``quad`` scheme uses;
* **deaths scale the event** -- an event that killed ``f`` people counts
  ``1 + log10(1 + f)`` times: each tenfold rise in deaths adds the event's own weight
  once more, after Richardson's magnitude of deadly quarrels (log10 of deaths).

Plain net Goldstein stays available as the ``goldstein`` scheme, and ``quad`` scores
+-1 (verbal) / +-2 (material) by class. Whatever the scheme, conflict and cooperation are
kept as separate streams, so a cooperative statement never hides a strike from view.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.codebook import DEFAULT_SCHEME, MATERIAL_CLASSES, Scheme, get_scheme, weights_table
from relscore.exceptions import Problem, ProblemsError, UncoveredCodesError


def weight_coverage(
    events: pd.DataFrame,
    scheme: str | Scheme = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
) -> pd.DataFrame:
    """List each event code in ``events`` with the weight it gets and where that comes from.

    Returns
    -------
    pandas.DataFrame
        One row per code present in the data: ``event_code``, ``n_events``, ``weight``
        (Goldstein scale, NaN when nothing covers the code), ``origin`` (``"scheme"``,
        ``"override"`` or ``"missing"``) and ``description``. Rows with a per-event
        ``weight`` still appear under their code.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"event_code": ["195", "195", "036", "999"]})
    >>> weight_coverage(events, overrides={"036": 3.0})
      event_code  n_events  weight    origin                          description
    0        036         1     3.0  override  Express intent to meet or negotiate
    1        195         2   -10.0    scheme                Employ aerial weapons
    2        999         1     NaN   missing                                  NaN

    ``999`` is no CAMEO code: :func:`code_events` would raise
    :class:`~relscore.exceptions.UncoveredCodesError` for it rather than drop the event.
    """
    table = weights_table(scheme, overrides)
    counts = events["event_code"].value_counts().rename("n_events")
    coverage = counts.to_frame().join(table, how="left")
    coverage["origin"] = coverage["origin"].fillna("missing")
    return (
        coverage.rename_axis("event_code")
        .reset_index()
        .sort_values("event_code", ignore_index=True)[
            ["event_code", "n_events", "weight", "origin", "description"]
        ]
    )


def code_events(
    events: pd.DataFrame,
    scheme: str | Scheme = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Give each event its weight and its conflict and cooperation contributions.

    Parameters
    ----------
    events : pandas.DataFrame
        Events as returned by :func:`relscore.read_events` (at least ``date``, ``actor1``,
        ``actor2``, ``event_code``; optional ``fatalities`` and per-event ``weight``).
    scheme : str or Scheme, default "magnitude"
        How an event is scored; see :data:`relscore.SCHEMES` and this module's docstring.
    overrides : dict of str to float, optional
        CAMEO code to weight (Goldstein scale, -10 ... +10), e.g. from
        :func:`relscore.read_weights`. A per-event ``weight`` in the data wins over both.

    Returns
    -------
    pandas.DataFrame
        ``events`` plus ``quad_class``, ``weight`` (Goldstein scale), ``magnitude``
        (multiplier, >= 1), ``conflict`` and ``cooperation`` (both >= 0, in index points:
        ``max(-weight, 0) * magnitude`` and ``max(weight, 0) * magnitude``).

    Raises
    ------
    UncoveredCodesError
        If some event's code has no weight (and the event no per-event weight): such
        events are reported, never dropped.

    Examples
    --------
    One event of each quad class; the air strike (``195``) killed nine people:

    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "date": pd.to_datetime(["2024-01-16"] * 4),
    ...     "actor1": ["IRN", "IRN", "PAK", "PAK"], "actor2": ["PAK", "PAK", "IRN", "IRN"],
    ...     "event_code": ["036", "071", "112", "195"], "fatalities": [0.0, 0.0, 0.0, 9.0]})
    >>> columns = ["event_code", "quad_class", "weight", "magnitude", "conflict", "cooperation"]
    >>> code_events(events)[columns]
      event_code            quad_class  weight  magnitude  conflict  cooperation
    0        036    verbal_cooperation     4.0        1.0       0.0          4.0
    1        071  material_cooperation     7.4        2.0       0.0         14.8
    2        112       verbal_conflict    -2.0        1.0       2.0          0.0
    3        195     material_conflict   -10.0        4.0      40.0          0.0

    Under ``magnitude`` (the default) deeds count twice, and nine deaths double the strike
    again (``1 + log10(1 + 9) = 2``): ``10 * 2 * 2 = 40`` points of conflict. The ``quad``
    scheme scores the class alone:

    >>> code_events(events, "quad")[columns]
      event_code            quad_class  weight  magnitude  conflict  cooperation
    0        036    verbal_cooperation     1.0        1.0       0.0          1.0
    1        071  material_cooperation     2.0        1.0       0.0          2.0
    2        112       verbal_conflict    -1.0        1.0       1.0          0.0
    3        195     material_conflict    -2.0        1.0       2.0          0.0
    """
    scheme = get_scheme(scheme)
    table = weights_table(scheme, overrides)
    codes = events["event_code"]
    per_event = (
        events["weight"].astype(float)
        if "weight" in events
        else pd.Series(np.nan, index=events.index)
    )
    weight = per_event.fillna(codes.map(table["weight"]))
    uncovered = codes[weight.isna()].unique().tolist()
    if uncovered:
        raise UncoveredCodesError(uncovered)
    quad_class = codes.map(table["quad_class"])
    magnitude = np.where(quad_class.isin(MATERIAL_CLASSES), scheme.material_factor, 1.0)
    if scheme.fatality_magnitude and "fatalities" in events:
        deaths = events["fatalities"].astype(float).fillna(0.0).to_numpy()
        magnitude = magnitude * (1.0 + np.log10(1.0 + deaths))
    w = weight.to_numpy(dtype=float)
    return events.assign(
        quad_class=quad_class,
        weight=w,
        magnitude=magnitude,
        conflict=np.maximum(-w, 0.0) * magnitude,
        cooperation=np.maximum(w, 0.0) * magnitude,
    )


def scale_by_coverage(coded: pd.DataFrame, column: str) -> pd.DataFrame:
    """Weight each event by how much it was reported: multiply its contributions by ``column``.

    Machine-coded data (GDELT) count each event's coverage: ``num_mentions`` (mentions in
    all articles) or ``num_articles`` (articles that mention it). Scaling by it lets a
    much-reported event weigh more than one a single article mentioned. Off by default
    (``relscore index --weight-by``): coverage measures attention, not the event itself.

    Parameters
    ----------
    coded : pandas.DataFrame
        Coded events (:func:`code_events`) with a ``column`` of counts >= 0.
    column : str
        The coverage column, e.g. ``"num_mentions"`` or ``"num_articles"``.

    Returns
    -------
    pandas.DataFrame
        ``coded`` with ``conflict`` and ``cooperation`` (index points) multiplied by the count.

    Raises
    ------
    ProblemsError
        One problem per file (``file`` column) that lacks ``column``, and one per row whose
        count is empty, not a number or negative, as ``FILE:LINE: column: message``.

    Examples
    --------
    >>> import pandas as pd
    >>> coded = pd.DataFrame(
    ...     {"conflict": [10.0, 0.0], "cooperation": [0.0, 4.0], "num_mentions": [3, 1]})
    >>> scale_by_coverage(coded, "num_mentions")
       conflict  cooperation  num_mentions
    0      30.0          0.0             3
    1       0.0          4.0             1
    """
    values = coded[column] if column in coded else pd.Series(np.nan, index=coded.index)
    count = pd.to_numeric(values, errors="coerce")
    files = coded["file"] if "file" in coded else pd.Series("<events>", index=coded.index)
    lines = coded["line"] if "line" in coded else pd.Series(0, index=coded.index)
    without = values.isna().groupby(files).all()  # every row NaN: the file has no such column
    absent = files.isin(without.index[without])
    bad = (count.isna() | (count < 0)) & ~absent
    problems = [
        Problem(str(f), 1, column, "no such column (needed to weight by coverage)")
        for f in files[absent].unique()
    ] + [
        Problem(str(f), int(n), column, "not a count >= 0")
        for f, n in zip(files[bad], lines[bad], strict=True)
    ]
    if problems:
        raise ProblemsError(problems)
    factor = count.to_numpy(dtype=float)
    return coded.assign(
        conflict=coded["conflict"] * factor, cooperation=coded["cooperation"] * factor
    )
