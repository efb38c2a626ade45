"""Explorers: one standalone, interactive HTML page per dyad (Vega-Altair, JavaScript inlined).

May import :mod:`relscore.plot`, :mod:`relscore.datasets` (the bundled data the explorers of
``figures/`` show), :mod:`relscore.analysis`, :mod:`relscore.index`, :mod:`relscore.coding`,
:mod:`relscore.codebook` and the bottom layer.
"""

from relscore.explore.readings import (
    DEFAULT_KERNEL,
    FACTORS,
    FILES,
    KERNELS,
    N_CODES,
    QUIET,
    TOLERANCE,
    TOP,
    WIDTH,
    dominant_codes,
    explorer_data,
    explorer_files,
    explorer_html,
)

__all__ = [
    "DEFAULT_KERNEL",
    "FACTORS",
    "FILES",
    "KERNELS",
    "N_CODES",
    "QUIET",
    "TOLERANCE",
    "TOP",
    "WIDTH",
    "dominant_codes",
    "explorer_data",
    "explorer_files",
    "explorer_html",
]
