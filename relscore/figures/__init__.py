"""Every figure in ``figures/``: the tables behind them (:mod:`~relscore.figures.tables`),
how each is drawn (:mod:`~relscore.figures.catalogue`), and the byte-for-byte build, check
and report of what moved (:mod:`~relscore.figures.build`).

May import every layer below it (plot, datasets, analysis, the index, io); only the
command line imports it.
"""

from relscore.figures.build import (
    WEIGHTS_USED,
    build_figures,
    check_figures,
    read_top_episodes,
    render_figures,
    weights_toml,
    weights_used,
    what_moved,
)
from relscore.figures.catalogue import (
    FIGURES,
    JANUARY_2024_MILESTONES,
    SOURCE,
    TIMELINE_MILESTONES,
    TIMELINE_PEAKS,
    Figure,
    january_2024_panel,
    timeline_labels,
    weight_sliders,
)
from relscore.figures.tables import (
    COMPARED,
    CRISIS,
    DATASET,
    DYAD,
    JANUARY_2024,
    Bundle,
    comparison_table,
    coverage_table,
    data_note,
    dyad_index,
    episodes_table,
    latent_table,
    load_bundle,
    schemes_table,
)

__all__ = [
    "COMPARED",
    "CRISIS",
    "DATASET",
    "DYAD",
    "FIGURES",
    "JANUARY_2024",
    "JANUARY_2024_MILESTONES",
    "SOURCE",
    "TIMELINE_MILESTONES",
    "TIMELINE_PEAKS",
    "WEIGHTS_USED",
    "Bundle",
    "Figure",
    "build_figures",
    "check_figures",
    "comparison_table",
    "coverage_table",
    "data_note",
    "dyad_index",
    "episodes_table",
    "january_2024_panel",
    "latent_table",
    "load_bundle",
    "read_top_episodes",
    "render_figures",
    "schemes_table",
    "timeline_labels",
    "weight_sliders",
    "weights_toml",
    "weights_used",
    "what_moved",
]
