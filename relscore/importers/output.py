"""The rows an import writes: relscore's events schema, built from arrays of kept rows.

Every output row has the schema's required columns (``data/README.md``) and an
``event_id``; the importer adds its own columns after them. ``description`` is generated:
``"<actor1> to <actor2>: <codebook description of the code>"``, e.g.
``"IRN to PAK: Employ aerial weapons"`` -- a neutral sentence, not the source's words.

Text copied from a source (GDELT's SOURCEURL, ICEWS's actor names and Story ID, the file
name) is kept as it is in memory; the CSV writer (:mod:`relscore.files.csvfile`) makes it
safe for a spreadsheet on the way out, as it does every text cell relscore writes.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from relscore.codebook import load_codebook
from relscore.importers.countries import iso3_table
from relscore.vocabulary import dates_of

SCHEMA_COLUMNS = ("event_id", "date", "actor1", "actor2", "event_code", "description", "source")


@cache
def codebook_table() -> tuple[np.ndarray, np.ndarray]:
    """The codebook's CAMEO codes, sorted, as ``S4`` bytes, and their descriptions."""
    book = load_codebook().reset_index(drop=True).sort_values("code")
    codes = np.array([c.encode() for c in book["code"]], dtype="S4")
    return codes, book["description"].to_numpy(dtype=object)


def event_rows(
    day: np.ndarray,
    actor1: np.ndarray,
    actor2: np.ndarray,
    code: np.ndarray,
    extra: dict[str, object],
) -> pd.DataFrame:
    """Events in relscore's schema from positions found while parsing.

    Parameters
    ----------
    day : numpy.ndarray
        Days since 1970-01-01.
    actor1, actor2 : numpy.ndarray
        Positions in :func:`relscore.importers.countries.iso3_table`.
    code : numpy.ndarray
        Positions in :func:`codebook_table`.
    extra : dict
        ``event_id`` and ``source`` (required), then any further columns, in order.
    """
    iso = iso3_table().astype(str)
    codes, descriptions = codebook_table()
    first, second = iso[actor1], iso[actor2]
    description = pd.Series(first, dtype=object) + " to " + second + ": " + descriptions[code]
    columns = {
        "event_id": extra["event_id"],
        "date": dates_of(day),
        "actor1": first,
        "actor2": second,
        "event_code": codes[code].astype(str),
        "description": description.to_numpy(),
        "source": extra["source"],
    }
    columns |= {k: v for k, v in extra.items() if k not in columns}
    return pd.DataFrame(columns)
