"""The rows an import writes: relscore's events schema, built from arrays of kept rows.

Every output row has the schema's required columns (``data/README.md``) and an
``event_id``; the importer adds its own columns after them. ``description`` is generated:
``"<actor1> to <actor2>: <codebook description of the code>"``, e.g.
``"IRN to PAK: Employ aerial weapons"`` -- a neutral sentence, not the source's words.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ..codebook import load_codebook
from .countries import iso3_table

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
        "date": day.astype("datetime64[D]").astype("datetime64[s]"),
        "actor1": first,
        "actor2": second,
        "event_code": codes[code].astype(str),
        "description": description.to_numpy(),
        "source": extra["source"],
    }
    columns |= {k: v for k, v in extra.items() if k not in columns}
    return pd.DataFrame(columns)


@cache
def _dictionaries() -> tuple[object, object]:
    """The ISO codes and the CAMEO codes as Arrow string arrays (the stores' dictionaries)."""
    import pyarrow as pa

    return pa.array(iso3_table().astype(str)), pa.array(codebook_table()[0].astype(str))


def encoded_rows(
    event_id: np.ndarray,
    day: np.ndarray,
    actor1: np.ndarray,
    actor2: np.ndarray,
    code: np.ndarray,
    extra: dict[str, np.ndarray | None],
):
    """Events as an Arrow table of the event store's schema, from positions found while
    parsing: no per-event strings are built.

    Parameters
    ----------
    event_id : numpy.ndarray
        The source's event ids (int64).
    day : numpy.ndarray
        Days since 1970-01-01 (stored as a date).
    actor1, actor2 : numpy.ndarray
        Positions in :func:`relscore.importers.countries.iso3_table` (stored as
        dictionary-encoded ISO codes).
    code : numpy.ndarray
        Positions in :func:`codebook_table` (stored as dictionary-encoded CAMEO codes).
    extra : dict
        ``origin_line`` (int), and optionally ``num_mentions``, ``num_articles`` (int, with
        a mask of the missing as ``<name>_missing``) and ``source_hash`` (int64); a column
        that is absent or None is stored as nulls.

    Returns
    -------
    pyarrow.Table
        :data:`relscore.scale.store.STORE_SCHEMA`.
    """
    import pyarrow as pa

    from ..scale.store import STORE_SCHEMA

    iso, cameo = _dictionaries()

    def dictionary(positions: np.ndarray, values) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(positions.astype(np.int16)), values)

    def optional(name: str, kind: pa.DataType) -> pa.Array:
        values = extra.get(name)
        if values is None:
            return pa.nulls(len(day), kind)
        return pa.array(values, kind, mask=extra.get(f"{name}_missing"))

    columns = [
        pa.array(event_id, pa.int64()),
        pa.array(day.astype(np.int32)).view(pa.date32()),
        dictionary(actor1, iso),
        dictionary(actor2, iso),
        dictionary(code, cameo),
        optional("num_mentions", pa.int32()),
        optional("num_articles", pa.int32()),
        optional("source_hash", pa.int64()),
        pa.array(extra["origin_line"], pa.int64()),
    ]
    return pa.Table.from_arrays(columns, schema=STORE_SCHEMA)
