"""Deprecated: the readers and writers moved in 0.4, by what they read and write.

=========================================  ==============================================
was                                        is now
=========================================  ==============================================
``relscore.io`` atomic, errors, locks,     :mod:`relscore.files`
progress
``relscore.io.events``, ``.weights``       :mod:`relscore.readers`
``relscore.io.importers``                  :mod:`relscore.importers`
``relscore.io.store``, ``.ingest``,        :mod:`relscore.store`
``.index_file``
``relscore.io.fetch``                      :mod:`relscore.fetch` (its test server:
                                           :mod:`relscore.testing`)
=========================================  ==============================================

The names this package exported still resolve here, with a DeprecationWarning, until 0.5.
Imports nothing at import time; a name is looked up when it is asked for.
"""

from __future__ import annotations

import importlib
import warnings

_MOVED = {
    "STORE_SCHEMA": "relscore.store",
    "EventFileError": "relscore.exceptions",
    "StoreError": "relscore.exceptions",
    "import_gdelt": "relscore.importers",
    "import_icews": "relscore.importers",
    "read_gdelt": "relscore.importers",
    "read_icews": "relscore.importers",
    "import_to_store": "relscore.store",
    "is_store": "relscore.store",
    "month_parts": "relscore.store",
    "read_month": "relscore.store",
    "load_events": "relscore.readers",
    "read_events": "relscore.readers",
    "validate_events": "relscore.readers",
    "read_weights": "relscore.readers",
}


def __getattr__(name: str):
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _MOVED[name]
    warnings.warn(
        f"relscore.io.{name} moved to {home}.{name}; relscore.io goes in 0.5",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(home), name)
