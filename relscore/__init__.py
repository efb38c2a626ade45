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
from .coding import code_events, weight_coverage
from .events import load_events, read_events, validate_events
from .exceptions import (
    InvalidEventsError,
    Problem,
    RelscoreError,
    UncoveredCodesError,
    UnknownSchemeError,
    WeightsFileError,
)
from .index import DEFAULT_HALF_LIFE, apply_kernel, decay_from_peak, dyad_codes, tension_index

__all__ = [
    "DEFAULT_HALF_LIFE",
    "DEFAULT_SCHEME",
    "SCHEMES",
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
    "decay_from_peak",
    "dyad_codes",
    "get_scheme",
    "load_codebook",
    "load_events",
    "read_events",
    "read_weights",
    "tension_index",
    "validate_events",
    "weight_coverage",
    "weights_table",
]
