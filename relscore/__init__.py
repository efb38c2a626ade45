"""Score the tension between two states from dated, coded events."""

from .codebook import (
    DEFAULT_SCHEME,
    SCHEMES,
    Scheme,
    base_weights,
    check_weights,
    get_scheme,
    load_codebook,
    read_weights,
    weights_table,
)
from .coding import code_events, scale_by_coverage, weight_coverage
from .episodes import EPISODE_COLUMNS, episodes
from .events import load_events, read_events, validate_events
from .exceptions import (
    EventFileError,
    InvalidEventsError,
    Problem,
    RelscoreError,
    UncoveredCodesError,
    UnknownSchemeError,
    WeightsFileError,
)
from .importers import import_gdelt, import_icews, read_gdelt, read_icews
from .index import DEFAULT_HALF_LIFE, apply_kernel, decay_from_peak, dyad_codes, tension_index
from .robustness import robustness, summarise_robustness
from .summary import compare_schemes, days_to_half, half_life_fit
from .uncertainty import LATENT_COLUMNS, latent_tension
from .variants import jitter_weights

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
    "UnknownSchemeError",
    "WeightsFileError",
    "apply_kernel",
    "base_weights",
    "check_weights",
    "code_events",
    "compare_schemes",
    "days_to_half",
    "decay_from_peak",
    "dyad_codes",
    "episodes",
    "get_scheme",
    "half_life_fit",
    "import_gdelt",
    "import_icews",
    "jitter_weights",
    "latent_tension",
    "load_codebook",
    "load_events",
    "read_events",
    "read_gdelt",
    "read_icews",
    "read_weights",
    "robustness",
    "scale_by_coverage",
    "summarise_robustness",
    "tension_index",
    "validate_events",
    "weight_coverage",
    "weights_table",
]
