"""Every reader and writer: events CSV, weights TOML, GDELT/ICEWS files, the Parquet event
store, the index output, and the one atomic writer they all use.

May import :mod:`relscore.codebook`, :mod:`relscore.index` and below; the computation
layers never open a file themselves.
"""

from relscore.exceptions import EventFileError, StoreError
from relscore.io.events import load_events, read_events, validate_events
from relscore.io.importers import import_gdelt, import_icews, read_gdelt, read_icews
from relscore.io.ingest import import_to_store
from relscore.io.store import STORE_SCHEMA, is_store, month_parts, read_month
from relscore.io.weights import read_weights

__all__ = [
    "STORE_SCHEMA",
    "EventFileError",
    "StoreError",
    "import_gdelt",
    "import_icews",
    "import_to_store",
    "is_store",
    "load_events",
    "month_parts",
    "read_events",
    "read_gdelt",
    "read_icews",
    "read_month",
    "read_weights",
    "validate_events",
]
