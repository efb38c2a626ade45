"""The files a person writes by hand: events CSV (:mod:`~relscore.readers.events`), weight
overrides in TOML (:mod:`~relscore.readers.weights`) and known crises
(:mod:`~relscore.readers.crises`), each read and checked with every problem reported as
``FILE:LINE: column: message``.

May import :mod:`relscore.importers` (the compiled CSV scan, the ISO codes, the columns an
import adds), :mod:`relscore.codebook`, :mod:`relscore.files` and the bottom layer.
"""

from relscore.readers.crises import read_crises
from relscore.readers.events import load_events, read_checked, read_events, validate_events
from relscore.readers.weights import read_weights

__all__ = [
    "load_events",
    "read_checked",
    "read_crises",
    "read_events",
    "read_weights",
    "validate_events",
]
