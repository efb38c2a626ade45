"""relscore at GDELT scale: the index of every dyad of an event store, in bounded memory,
on this machine or on a Dask cluster.

* :mod:`~relscore.scale.aggregate` -- pass 1: a month's events to dyad-day cells.
* :mod:`~relscore.scale.kernel` -- pass 2: the kernel on a block of dyads.
* :mod:`~relscore.scale.local`, :mod:`~relscore.scale.dask_engine` -- the two engines.
* :mod:`~relscore.scale.update`, :mod:`~relscore.scale.month_files` -- an index folder
  (:mod:`relscore.store.index_folder`: a Parquet file per month), built once
  and then brought up to date by recomputing only what new store files change.
* :mod:`~relscore.scale.budget` -- memory and disk limits, checked before work starts.

Every engine and block size gives the same numbers as :func:`relscore.tension_index`.
May import :mod:`relscore.index`, :mod:`relscore.coding`, :mod:`relscore.store` (the store it
reads, the index it writes) and below.
"""

from relscore.exceptions import BudgetError
from relscore.scale.local import IndexRun, index_events, index_store

__all__ = ["BudgetError", "IndexRun", "index_events", "index_store"]
