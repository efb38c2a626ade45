"""Score the tension between two states from dated, coded events."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("relscore")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

from relscore import datasets
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
from relscore.coding import code_events, scale_by_coverage, weight_coverage
from relscore.exceptions import (
    EventFileError,
    InvalidEventsError,
    Problem,
    RelscoreError,
    UncoveredCodesError,
    UnknownDyadError,
    UnknownSchemeError,
    WeightsFileError,
)
from relscore.fetch import fetch_gdelt
from relscore.importers import import_gdelt, import_icews, read_gdelt, read_icews
from relscore.index import (
    DEFAULT_HALF_LIFE,
    apply_kernel,
    decay_from_peak,
    dyad_codes,
    tension_index,
)
from relscore.readers.events import load_events, read_events, validate_events
from relscore.readers.weights import read_weights
from relscore.scale.update import update_index
from relscore.store.index_file import read_index
from relscore.store.ingest import import_to_store

__all__ = [
    "DEFAULT_HALF_LIFE",
    "DEFAULT_SCHEME",
    "EPISODE_COLUMNS",
    "LATENT_COLUMNS",
    "SCHEMES",
    "EventFileError",
    "InvalidEventsError",
    "Problem",
    "RelscoreError",
    "Scheme",
    "UncoveredCodesError",
    "UnknownDyadError",
    "UnknownSchemeError",
    "WeightsFileError",
    "__version__",
    "apply_kernel",
    "base_weights",
    "check_weights",
    "code_events",
    "compare_dedupe",
    "compare_schemes",
    "datasets",
    "days_to_half",
    "decay_from_peak",
    "dyad_codes",
    "episodes",
    "explain",
    "fetch_gdelt",
    "get_scheme",
    "half_life_fit",
    "import_gdelt",
    "import_icews",
    "import_to_store",
    "jitter_weights",
    "latent_tension",
    "load_codebook",
    "load_events",
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
