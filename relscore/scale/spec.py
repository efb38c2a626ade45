"""What a scaled index run computes: one frozen description both engines take."""

from __future__ import annotations

from dataclasses import dataclass, field

from relscore.codebook import DEFAULT_SCHEME


@dataclass(frozen=True)
class IndexSpec:
    """The settings of a scaled index run (:func:`relscore.scale.index_store`,
    :func:`relscore.scale.dask_engine.index_store_dask`, :func:`relscore.scale.index_events`).

    Attributes
    ----------
    scheme, overrides, weight_by
        Scoring, as for :func:`relscore.code_events` and :func:`relscore.scale_by_coverage`.
    window, half_life, directed, start, end
        The kernel (days), directed dyads and the dates written, as for
        :func:`relscore.tension_index`.
    dyad : str, optional
        Write one dyad's rows (``"IRN-PAK"``; ``"IRN>PAK"`` if directed).
    block_dyads : int, optional
        Dyads per block of the kernel (default: about 4 M dyad-days a block).
    max_memory : float, optional
        Memory budget in bytes (default: the memory available; on Dask, each worker's).
    output_format : {"parquet", "csv"}, optional
        Output format; default from the output's suffix
        (:func:`relscore.store.index_file.output_format`).
    """

    scheme: str = DEFAULT_SCHEME
    overrides: dict[str, float] | None = field(default=None, hash=False)
    weight_by: str | None = None
    window: int | None = None
    half_life: float | None = None
    directed: bool = False
    start: str | None = None
    end: str | None = None
    dyad: str | None = None
    block_dyads: int | None = None
    max_memory: float | None = None
    output_format: str | None = None
