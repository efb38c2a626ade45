"""Import machine-coded event data (GDELT 1.0/2.0, ICEWS) as relscore events.

Each importer streams its files block by block, keeps the rows that are events between
two states, deduplicates them (:mod:`~relscore.importers.dedupe`) and accounts for every
row read (:mod:`~relscore.importers.accounting`). ``relscore import gdelt|icews`` is the
command line (:mod:`~relscore.cli.importing`).

May import :mod:`relscore.codebook`, :mod:`relscore.files`, :mod:`relscore._compiled` and the
bottom layer.
"""

from relscore.exceptions import EventFileError
from relscore.importers.accounting import SKIP_REASONS, Tally
from relscore.importers.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE
from relscore.importers.gdelt import import_gdelt, read_gdelt
from relscore.importers.icews import import_icews, read_icews

__all__ = [
    "DEDUPE_MODES",
    "DEFAULT_DEDUPE",
    "SKIP_REASONS",
    "EventFileError",
    "Tally",
    "import_gdelt",
    "import_icews",
    "read_gdelt",
    "read_icews",
]
