"""Score the tension between two states from dated, coded events."""

import importlib.metadata as _metadata

try:
    __version__ = _metadata.version("relscore")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

from relscore import datasets
from relscore.analysis.alert_check import alert_check
from relscore.analysis.alerts import ALERT_COLUMNS, alerts
from relscore.analysis.crises import crisis_recall, known_crises
from relscore.analysis.dedupe import compare_dedupe
from relscore.analysis.episodes import EPISODE_COLUMNS, episodes
from relscore.analysis.explain import explain, top_contributors
from relscore.analysis.halflife import days_to_half, half_life_fit
from relscore.analysis.latent import LATENT_COLUMNS, latent_tension
from relscore.analysis.robustness import compare_schemes, robustness, summarise_robustness
from relscore.analysis.variants import jitter_weights
from relscore.codebook import (
    DEFAULT_SCHEME,
    SCHEMES,
    Scheme,
    base_weights,
    check_weights,
    get_scheme,
    load_codebook,
    weights_table,
)
from relscore.codesearch import find_codes
from relscore.coding import code_events, scale_by_coverage, weight_coverage
from relscore.exceptions import (
    BudgetError,
    EventFileError,
    FetchError,
    IndexUpdateError,
    InvalidEventsError,
    KnownCrisesError,
    OutputFileError,
    Problem,
    ProblemsError,
    RelscoreError,
    RelscoreWarning,
    StoreError,
    UncoveredCodesError,
    UnknownDyadError,
    UnknownSchemeError,
    WeightsFileError,
)
from relscore.fetch import Failure, FetchReport, fetch_gdelt
from relscore.importers import Tally, import_gdelt, import_icews, read_gdelt, read_icews
from relscore.index import (
    DEFAULT_HALF_LIFE,
    apply_kernel,
    decay_from_peak,
    dyad_codes,
    tension_index,
)
from relscore.readers.crises import read_crises
from relscore.readers.events import read_events, validate_events
from relscore.readers.weights import read_weights
from relscore.scale.local import IndexRun, index_store
from relscore.scale.update import UpdateRun, update_index
from relscore.store.index_file import read_index
from relscore.store.ingest import import_to_store
from relscore.vocabulary import parse_dyad

__all__ = [
    "ALERT_COLUMNS",
    "DEFAULT_HALF_LIFE",
    "DEFAULT_SCHEME",
    "EPISODE_COLUMNS",
    "LATENT_COLUMNS",
    "SCHEMES",
    "BudgetError",
    "EventFileError",
    "Failure",
    "FetchError",
    "FetchReport",
    "IndexRun",
    "IndexUpdateError",
    "InvalidEventsError",
    "KnownCrisesError",
    "OutputFileError",
    "Problem",
    "ProblemsError",
    "RelscoreError",
    "RelscoreWarning",
    "Scheme",
    "StoreError",
    "Tally",
    "UncoveredCodesError",
    "UnknownDyadError",
    "UnknownSchemeError",
    "UpdateRun",
    "WeightsFileError",
    "__version__",
    "alert_check",
    "alerts",
    "apply_kernel",
    "base_weights",
    "check_weights",
    "code_events",
    "compare_dedupe",
    "compare_schemes",
    "crisis_recall",
    "datasets",
    "days_to_half",
    "decay_from_peak",
    "dyad_codes",
    "episodes",
    "explain",
    "fetch_gdelt",
    "find_codes",
    "get_scheme",
    "half_life_fit",
    "import_gdelt",
    "import_icews",
    "import_to_store",
    "index_store",
    "jitter_weights",
    "known_crises",
    "latent_tension",
    "load_codebook",
    "parse_dyad",
    "read_crises",
    "read_events",
    "read_gdelt",
    "read_icews",
    "read_index",
    "read_weights",
    "robustness",
    "scale_by_coverage",
    "summarise_robustness",
    "tension_index",
    "top_contributors",
    "update_index",
    "validate_events",
    "weight_coverage",
    "weights_table",
]


def __getattr__(name: str):
    # load_events was the events reader's name before 0.4; it warns until 0.5.
    if name == "load_events":
        from relscore.readers.events import load_events

        return load_events
    raise AttributeError(f"module 'relscore' has no attribute {name!r}")
