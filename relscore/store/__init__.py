"""What relscore keeps on disk between runs, as Parquet:

* the **event store** (:mod:`~relscore.store.layout`: its folders, description, lock and
  months), written by an import (:mod:`~relscore.store.ingest`);
* the **index**: one file (:mod:`~relscore.store.index_file`) or an updatable folder of month
  files with its manifest.

May import :mod:`relscore.importers` (the rows an import encodes), :mod:`relscore.codebook`,
:mod:`relscore.files` and the bottom layer; never the kernel.
"""

from relscore.store.ingest import import_to_store
from relscore.store.layout import STORE_SCHEMA, is_store, month_parts, read_month

__all__ = ["STORE_SCHEMA", "import_to_store", "is_store", "month_parts", "read_month"]
