"""A seeded synthetic dyad of any size, as :func:`relscore.read_events` would give it.

For the reading tools at machine-coded volumes (robustness, the explorer, episodes): one
dyad's events over ``years`` years, a share of them bunched into crises (so the index has
episodes to find), with CAMEO codes of relscore's codebook, deaths on some deeds of force,
and a description of the length of a real one (about 150 characters, as in the bundled
files) that names the two sides, the code's meaning and the day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.codebook import weights_table

CRISIS_SHARE = 0.4  # of the events, bunched after a crisis' first day
CRISIS_DAYS = 10.0  # mean days from a crisis' first day to one of its events
CRISES_PER_YEAR = 2
WORDS_PER_EVENT = 12  # drawn words after the code's own: about 150 characters in all


def _sentences(rng, descriptions: pd.Series, actor1, actor2, code, date) -> np.ndarray:
    """Per event: who toward whom, the code's words, then words drawn one by one from the
    codebook's descriptions (as often as they occur there), and the day. Drawn words make
    text that compresses about as real prose does, which repeated sentences would not."""
    vocabulary = " ".join(descriptions.str.lower()).replace(",", "").split()
    drawn = np.asarray(vocabulary)[rng.integers(0, len(vocabulary), (len(code), WORDS_PER_EVENT))]
    # Every third word a name of random letters: places and people, the part of real
    # reports that no vocabulary predicts.
    letters = rng.integers(ord("a"), ord("z") + 1, (len(code), WORDS_PER_EVENT // 3, 7))
    drawn[:, ::3] = letters.astype(np.uint32).view("<U7")[..., 0]
    what = descriptions.reindex(code).str.lower().to_numpy(str)
    return np.asarray(
        [
            f"{a} toward {b}: {w}; {' '.join(more)}, on {day}."
            for a, b, w, more, day in zip(
                actor1, actor2, what, drawn, np.datetime_as_string(date), strict=True
            )
        ]
    )


def synthetic_dyad(
    n_events: int,
    *,
    years: int = 32,
    actors: tuple[str, str] = ("ISR", "PSE"),
    start: str = "1987-01-01",
    seed: int = 0,
) -> pd.DataFrame:
    """``n_events`` events of one dyad over ``years`` years from ``start``, seeded.

    Parameters
    ----------
    n_events : int
        Number of events (>= 1).
    years : int, default 32
        Years the events span (365 days each).
    actors : tuple of str, default ("ISR", "PSE")
        The two ISO codes; either may be the initiator of an event.
    start : str, default "1987-01-01"
        The first possible day.
    seed : int, default 0
        The same seed gives the same events.

    Returns
    -------
    pandas.DataFrame
        ``event_id``, ``date`` (``datetime64[us]``, sorted), ``actor1``, ``actor2``,
        ``event_code``, ``description``, ``source`` and ``fatalities`` (NaN where unknown),
        the columns and dtypes :func:`relscore.read_events` gives.

    Examples
    --------
    >>> events = synthetic_dyad(1000, years=2, seed=1)
    >>> len(events), events["date"].is_monotonic_increasing
    (1000, True)
    >>> sorted(set(events["actor1"]) | set(events["actor2"]))
    ['ISR', 'PSE']
    >>> bool(synthetic_dyad(1000, years=2, seed=1).equals(events))
    True
    """
    if n_events < 1 or years < 1:
        raise ValueError(f"n_events and years must be >= 1, got {n_events} and {years}")
    rng = np.random.default_rng(seed)
    n_days = 365 * years
    crises = rng.integers(0, n_days, CRISES_PER_YEAR * years)
    in_crisis = rng.random(n_events) < CRISIS_SHARE
    after = rng.exponential(CRISIS_DAYS, n_events).astype(np.int64)
    day = np.where(
        in_crisis,
        crises[rng.integers(0, len(crises), n_events)] + after,
        rng.integers(0, n_days, n_events),
    )
    order = np.argsort(np.clip(day, 0, n_days - 1), kind="stable")
    day, in_crisis = np.clip(day, 0, n_days - 1)[order], in_crisis[order]
    table = weights_table("goldstein")
    table = table[table.index.str.len() >= 3]  # codes, not their roots
    conflict = table.index[table["weight"] < 0].to_numpy(str)
    every = table.index.to_numpy(str)
    code = np.where(
        rng.random(n_events) < np.where(in_crisis, 0.8, 0.3),
        conflict[rng.integers(0, len(conflict), n_events)],
        every[rng.integers(0, len(every), n_events)],
    )
    forceful = np.isin(np.char.ljust(code, 2).astype("<U2"), ["18", "19", "20"])
    deaths = np.where(forceful & (rng.random(n_events) < 0.5), rng.poisson(3, n_events), np.nan)
    flip = rng.random(n_events) < 0.5
    actor1 = np.where(flip, actors[1], actors[0])
    actor2 = np.where(flip, actors[0], actors[1])
    date = pd.Timestamp(start).to_datetime64().astype("datetime64[D]") + day
    text = _sentences(rng, table["description"], actor1, actor2, code, date)
    ids = pd.Series(np.arange(n_events)).map("syn-{:07d}".format)
    return pd.DataFrame(
        {
            "event_id": ids.astype("str"),
            "date": date.astype("datetime64[us]"),
            "actor1": pd.Series(actor1, dtype="str"),
            "actor2": pd.Series(actor2, dtype="str"),
            "event_code": pd.Series(code, dtype="str"),
            "description": pd.Series(text, dtype="str"),
            "source": ("https://news.example.org/" + ids).astype("str"),
            "fatalities": deaths,
        }
    )
