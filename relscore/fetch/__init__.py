"""``relscore fetch gdelt``: GDELT's event files of a date range, verified and resumable.

:mod:`~relscore.fetch.lists` reads GDELT's file lists (pure functions over text),
:mod:`~relscore.fetch.cache` keeps them up to date in the download folder,
:mod:`~relscore.fetch.download` fetches one file and verifies it,
:mod:`~relscore.fetch.fetch` runs a whole fetch (and the import into an event store),
and :mod:`~relscore.testing.mirror` serves a folder as a GDELT mirror on this machine.

May import :mod:`relscore.store` (to import files as they arrive), :mod:`relscore.importers`,
:mod:`relscore.files` and the bottom layer.
"""

from relscore.fetch.fetch import Failure, FetchReport, fetch_gdelt

__all__ = ["Failure", "FetchReport", "fetch_gdelt"]
