"""relscore at GDELT scale: a Parquet event store and a block-wise index, local or on Dask.

* :mod:`~relscore.scale.store` -- the event store: months of encoded events as Parquet.
* :mod:`~relscore.scale.ingest` -- ``relscore import ... --to-parquet``.
* :mod:`~relscore.scale.aggregate` -- pass 1: a month's events to dyad-day cells.
* :mod:`~relscore.scale.kernel` -- pass 2: the kernel on a block of dyads.
* :mod:`~relscore.scale.local`, :mod:`~relscore.scale.dask_engine` -- the two engines.
* :mod:`~relscore.scale.sink` -- the index as Parquet or CSV, block by block.
* :mod:`~relscore.scale.budget`, :mod:`~relscore.scale.progress` -- limits and progress.
* :mod:`~relscore.scale.options`, :mod:`~relscore.scale.command` -- ``relscore index``'s
  options for all this, and the command that runs it.

Every engine and block size gives the same numbers as :func:`relscore.tension_index`.
"""

from ..exceptions import BudgetError, StoreError
from .ingest import import_to_store
from .local import IndexRun, index_events, index_store
from .store import STORE_SCHEMA, is_store, month_parts, read_month

__all__ = [
    "STORE_SCHEMA",
    "BudgetError",
    "IndexRun",
    "StoreError",
    "import_to_store",
    "index_events",
    "index_store",
    "is_store",
    "month_parts",
    "read_month",
]
