"""Import machine-coded event data (GDELT 1.0/2.0, ICEWS) as relscore events.

Each importer streams its files block by block, keeps the rows that are events between
two states, deduplicates them (:mod:`~relscore.importers.dedupe`) and accounts for every
row read (:mod:`~relscore.importers.accounting`). ``relscore import gdelt|icews`` is the
command line (:mod:`~relscore.importers.cli`).
"""

from ..exceptions import EventFileError
from .accounting import SKIP_REASONS, Tally
from .compare import compare_dedupe
from .dedupe import DEDUPE_MODES, DEFAULT_DEDUPE
from .gdelt import import_gdelt, read_gdelt
from .icews import import_icews, read_icews

__all__ = [
    "DEDUPE_MODES",
    "DEFAULT_DEDUPE",
    "SKIP_REASONS",
    "EventFileError",
    "Tally",
    "compare_dedupe",
    "import_gdelt",
    "import_icews",
    "read_gdelt",
    "read_icews",
]
