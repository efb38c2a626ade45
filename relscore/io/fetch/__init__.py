"""``relscore fetch gdelt``: GDELT's event files of a date range, verified and resumable.

:mod:`~relscore.io.fetch.lists` reads GDELT's file lists (pure functions over text),
:mod:`~relscore.io.fetch.cache` keeps them up to date in the download folder,
:mod:`~relscore.io.fetch.download` fetches one file and verifies it,
:mod:`~relscore.io.fetch.fetch` runs a whole fetch (and the import into an event store),
and :mod:`~relscore.io.fetch.mirror` serves a folder as a GDELT mirror on this machine.
"""

from relscore.io.fetch.fetch import Failure, FetchReport, fetch_gdelt

__all__ = ["Failure", "FetchReport", "fetch_gdelt"]
