"""Bring an index folder up to date with its event store, recomputing only what changed.

An updatable index is a folder of month files and a manifest (:mod:`relscore.store.index_file`)
that records the settings, the calendar, the dyads and the store's **fingerprint**: each
part file's name, size and modification time, month by month. An update compares the
fingerprint with the store's:

* a month with only new parts: the dyad-days (``touched``) their rows fall on are
  recomputed from every row of the month on those dyad-days, with the very dedupe, scores
  and sums of a full index (:func:`relscore.scale.aggregate.month_cells` with ``only``);
* a month with a part replaced or removed (or gone): the whole month is recomputed, and
  every dyad with it.

The other cells come from the index itself. If the dyads or the first day change, or the
last day moves earlier, the kernel runs again for every dyad and every month file is
written (from the cells: no store month is read twice). Otherwise only the touched dyads
(and every dyad's new days if the calendar grows) are recomputed, each from its own first
touched day ``T0`` on, with the kernel restarted from the rows before: for the decay, one
day of net equal to ``tension(T0 - 1)`` (``0 * ratio + s == s``, so the recursion goes on
bit for bit); for a window of ``w`` days, the ``w - 1`` days of net before ``T0``, added in
the same order as a full run adds them. The recomputed rows are written as patches of the
months they fall in, or a month is written whole if it grows or its patches would hold
too much of it (:func:`relscore.scale.month_files.write_changes`); then the manifest, and
last the patches folded away are removed. The output equals a full re-index of the store,
to the last bit. A GDELT file carries events dated up to a year back: one such row changes
its dyad's tension on every day since, which a patch of that dyad's rows records without
writing a year of month files again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.codebook import DEFAULT_SCHEME
from relscore.exceptions import IndexUpdateError, OutputFileError
from relscore.files.errors import file_errors
from relscore.files.progress import Progress
from relscore.files.temporary import remove_temporaries
from relscore.index import apply_kernel, half_life_or_default
from relscore.scale import budget
from relscore.scale.aggregate import month_cells, scoring, touched_cells
from relscore.scale.local import combine, read_store
from relscore.scale.month_files import cells_of_grids, write_all, write_changes
from relscore.store.index_folder import (
    MonthFiles,
    changes_between,
    fingerprint_of,
    index_days,
    manifest_fields,
    month_path,
    read_manifest,
    write_manifest,
)
from relscore.store.layout import month_parts, store_lock, store_meta
from relscore.store.manifest import (
    MONTH_FILE,
    PATCH_FILE,
    SETTINGS,
    VERSION,
    VERSIONS_READ,
    month_file_problems,
)
from relscore.vocabulary import day_number, iso_date, month_spans

SUMS = ("n_events", "conflict", "cooperation")
NEVER = np.iinfo(np.int64).max  # the start of a dyad that is not recomputed


@dataclass(frozen=True)
class UpdateRun:
    """What an update did: the store months and parts that changed, the dyads recomputed
    and from which day, the month files written whole of those in the index and the patch
    files written beside them; ``built`` if every month file was written (a new index, or
    new dyads or days); ``rebuilt`` why a folder whose files did not match its manifest
    was written again from the store.

    Examples
    --------
    >>> run = UpdateRun(months_changed=1, parts_added=1, dyads_recomputed=3,
    ...                 first_recomputed="2019-10-24", files_rewritten=1, n_files=13)
    >>> print(run.summary())
    store months changed=1 (parts added=1 replaced=0 removed=0); dyads recomputed=3 from
    2019-10-24; month files rewritten=1 of 13
    >>> UpdateRun(n_files=13).up_to_date, UpdateRun(n_files=13).summary()
    (True, 'up to date (13 month files)')
    >>> print(UpdateRun(dyads_recomputed=3, first_recomputed="2019-10-24", files_rewritten=13,
    ...                 n_files=13, built=True, rebuilt="index/2019-10.parquet: missing").summary())
    rebuilt from the store, as index/2019-10.parquet: missing; dyads recomputed=3 from
    2019-10-24; month files rewritten=13 of 13
    """

    months_changed: int = 0
    parts_added: int = 0
    parts_replaced: int = 0
    parts_removed: int = 0
    dyads_recomputed: int = 0
    first_recomputed: str | None = None
    files_rewritten: int = 0
    n_files: int = 0
    patches_written: int = 0
    built: bool = False
    rebuilt: str | None = None

    @property
    def up_to_date(self) -> bool:
        """Nothing changed in the store: no file was written."""
        return not self.built and self.months_changed == 0

    def summary(self) -> str:
        """The accounting line of ``relscore update``."""
        if self.up_to_date:
            return f"up to date ({self.n_files} month files)"
        since = f" from {self.first_recomputed}" if self.first_recomputed else ""
        if self.rebuilt:
            return (
                f"rebuilt from the store, as {self.rebuilt}; dyads recomputed="
                f"{self.dyads_recomputed}{since}; month files rewritten={self.files_rewritten} "
                f"of {self.n_files}"
            )
        patched = f", patches written={self.patches_written}" if self.patches_written else ""
        return (
            f"store months changed={self.months_changed} (parts added={self.parts_added} "
            f"replaced={self.parts_replaced} removed={self.parts_removed}); dyads recomputed="
            f"{self.dyads_recomputed}{since}; month files rewritten={self.files_rewritten} "
            f"of {self.n_files}{patched}"
        )


def first_settings(settings: dict) -> dict:
    """Every setting of a new index: those given, the defaults for the others.

    >>> first_settings({"window": 7})["half_life"], first_settings({})["half_life"]
    (None, 14.0)
    """
    given = _given(settings)
    spec = dict.fromkeys(SETTINGS) | {"scheme": DEFAULT_SCHEME, "directed": False} | given
    if spec["window"] is not None and spec["half_life"] is not None:
        raise ValueError("give either window or half_life, not both")
    apply_kernel(np.zeros(1), spec["window"], spec["half_life"])  # raises for a bad value
    if spec["window"] is None:
        spec["half_life"] = half_life_or_default(spec["half_life"])
    return spec


def same_settings(index: Path, manifest: dict, settings: dict) -> dict:
    """The recorded settings, once every setting given is found equal to its record;
    :class:`~relscore.exceptions.IndexUpdateError` names the first that is not."""
    if manifest.get("version") not in VERSIONS_READ:
        raise IndexUpdateError(f"{index}: index version {manifest.get('version')} is not supported")
    recorded = manifest["settings"]
    for name, value in _given(settings).items():
        if value != recorded.get(name):
            raise IndexUpdateError(
                f"{index}: the index was computed with {name}={recorded.get(name)!r}, not "
                f"{value!r}; update it with its own settings, or index into a new folder"
            )
    return recorded


def _given(settings: dict) -> dict:
    """The settings given (not None), as the manifest records them."""
    return {k: _normal(k, v) for k, v in settings.items() if k in SETTINGS and v is not None}


def _normal(name: str, value):
    """A setting as JSON holds it (numbers as floats or ints, no empty dict)."""
    if name == "overrides":
        return {str(k): float(v) for k, v in sorted(value.items())} or None
    if name == "half_life":
        return float(value)
    if name == "window":
        return int(value)
    if name == "directed":
        return bool(value)
    return str(value)


def update_index(
    store: str | Path,
    index: str | Path,
    *,
    scheme: str | None = None,
    overrides: dict[str, float] | None = None,
    weight_by: str | None = None,
    window: int | None = None,
    half_life: float | None = None,
    directed: bool | None = None,
    progress: Progress | None = None,
) -> UpdateRun:
    """Build the index folder ``index`` of every dyad of ``store``, or bring it up to date.

    Parameters
    ----------
    store : path
        The event store (``relscore import ... --to-parquet``).
    index : path
        The index folder: written in full if it does not exist (or is empty), else updated.
    scheme, overrides, weight_by, window, half_life, directed : optional
        The index's settings, as for :func:`relscore.scale.index_store` (default: the
        magnitude scheme, no overrides, no coverage weighting, the decay kernel with a
        14-day half-life, undirected). Recorded by the first run; a later run may leave them
        out (None) or give the recorded values. An updatable index holds every dyad and
        day: use ``relscore index`` for a part of one.
    progress : Progress, optional
        Told the share of the store months read (total 1) and their cells.

    Returns
    -------
    UpdateRun

    Raises
    ------
    IndexUpdateError
        If ``index`` is a file, a folder that no update wrote, or an index of other
        settings.

    Examples
    --------
    >>> import tempfile
    >>> from relscore.store.ingest import import_to_store
    >>> from relscore.testing.synthetic import write_gdelt
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp)
    ...     size = write_gdelt(folder / "a.CSV", 200, n_dyads=5, n_days=40, start="2024-01-10")
    ...     tally = import_to_store([folder / "a.CSV"], folder / "store")
    ...     run = update_index(folder / "store", folder / "index")
    ...     again = update_index(folder / "store", folder / "index")
    >>> run.built, run.parts_added, run.first_recomputed, run.files_rewritten
    (True, 2, '2024-01-10', 2)
    >>> print(again.summary())
    up to date (2 month files)
    """
    settings = {
        "scheme": scheme,
        "overrides": overrides,
        "weight_by": weight_by,
        "window": window,
        "half_life": half_life,
        "directed": directed,
    }
    index = Path(index)
    meta = store_meta(store)
    if index.is_dir():  # what a killed update left
        remove_temporaries(index, OutputFileError)
    fresh = not index.exists() or (index.is_dir() and not any(index.iterdir()))
    manifest = None if fresh else read_manifest(index)
    spec = first_settings(settings) if fresh else same_settings(index, manifest, settings)
    # Month files that are not those the manifest lists (one deleted, one of another size):
    # the folder cannot be trusted, and is written again from the store.
    damage = None if fresh else (month_file_problems(index, manifest) or [None])[0]
    score = scoring(spec["scheme"], spec["overrides"], spec["weight_by"])
    with store_lock(store, exclusive=False):
        parts = month_parts(store)
        fingerprint = fingerprint_of(parts)
        if fresh or damage:
            memory = budget.available_memory()
            cells = read_store(store, meta, score, memory, spec["directed"], progress)[0]
        else:
            changes = changes_between(manifest["store"], fingerprint)
            new = {}
            for name, change in changes.items():
                touched, cells, n_events = _month_changes(
                    parts.get(name, []), change, score, meta, spec
                )
                new[name] = touched, cells
                if progress is not None:
                    progress.update(1 / len(changes), n_events)
    if fresh:
        with file_errors(index, OutputFileError, "cannot create the index folder"):
            index.mkdir(parents=True, exist_ok=True)
        n_parts = sum(len(files) for files in parts.values())
        run = UpdateRun(len(parts), n_parts)
        return _write_all(index, spec, cells, fingerprint, run)
    if damage:
        run = _write_all(index, spec, cells, fingerprint, UpdateRun(rebuilt=damage))
        kept = {f"{name}.parquet" for name in _names(*index_days(read_manifest(index)))}
        for path in index.iterdir():  # month files of no month of the calendar
            if MONTH_FILE.fullmatch(path.name) and path.name not in kept:
                path.unlink()
        return run
    if not changes:
        return UpdateRun(n_files=len(month_spans(*index_days(manifest))))
    counts = [sum(len(c[k]) for c in changes.values()) for k in ("added", "replaced", "removed")]
    return _apply(index, manifest, spec, new, fingerprint, UpdateRun(len(changes), *counts))


def _month_changes(files, change, score, meta, spec) -> tuple:
    """A changed store month's new cells: only on the dyad-days of its added parts' rows
    (``touched``, returned first), or, if a part was replaced or removed, all of them
    (``touched`` None: the whole month); and the events they count."""
    if change["replaced"] or change["removed"] or not files:
        return None, *month_cells(files, score, meta["dedupe"], spec["directed"])
    added = [f for f in files if f.name in set(change["added"])]
    touched = touched_cells(added, spec["directed"])
    return touched, *month_cells(files, score, meta["dedupe"], spec["directed"], touched)


def _apply(
    index: Path, manifest: dict, spec: dict, new: dict, fingerprint: dict, run: UpdateRun
) -> UpdateRun:
    """Merge the changed months' new cells into the index: only the dyads and days they
    change if the dyads and the calendar's first day stay, else every month file."""
    labels = np.asarray(manifest["dyads"], dtype=object)
    old = index_days(manifest)
    found = [np.asarray(c["dyad"].cat.categories, dtype=object) for _, c in new.values()]
    every = np.unique(np.concatenate([labels, *found])).astype(object)
    ranges = {m: (day_number(a), day_number(b)) for m, (a, b) in manifest["months"].items()}
    files = MonthFiles(index, manifest)
    grids = {}
    starts = np.full(len(every), NEVER, np.int64)  # each dyad's first day to recompute
    for name, (touched, cells) in new.items():
        if touched is not None and touched.empty:  # parts without rows: nothing to do
            continue
        grids[name] = _month_grid(files, name, every, touched, cells)
        first_day, grid = grids[name]
        busy = np.flatnonzero(grid["n_events"].any(axis=0))
        ranges[name] = (first_day + int(busy[0]), first_day + int(busy[-1])) if len(busy) else None
        if touched is None:  # the whole month: every dyad, from its first day
            np.minimum(starts, max(first_day, old[0]), out=starts)
        else:
            at = np.searchsorted(every, _labels(touched))
            np.minimum.at(starts, at, touched["day"].to_numpy().astype(np.int64))
    ranges = {m: r for m, r in ranges.items() if r}
    first = min((r[0] for r in ranges.values()), default=None)
    last = max((r[1] for r in ranges.values()), default=None)
    whole = any(touched is None for touched, _ in new.values())  # events may have gone
    gone = whole and _some_dyad_gone(files, every, grids, ranges)
    if len(every) != len(labels) or gone or first != old[0] or last < old[1]:
        months = [
            cells_of_grids(every, *grids[name]) if name in grids else _old_cells(files, name)
            for name in sorted(ranges)
        ]
        return _write_all(index, spec, combine(months), fingerprint, run, old)
    listed = manifest.get("patches", {})
    if (starts == NEVER).all():  # the fingerprint changed, the cells did not
        fields = manifest_fields(labels, first, last, ranges)
        _write_manifest(index, spec, fields, fingerprint, listed)
        return replace(run, n_files=len(month_spans(first, last)))
    if last > old[1]:  # new days: every dyad gets rows, so every dyad is recomputed
        np.minimum(starts, old[1] + 1, out=starts)
    kernel = (spec["window"], spec["half_life"])
    written, patched, patches = write_changes(files, (first, last), labels, grids, starts, kernel)
    _write_manifest(index, spec, manifest_fields(labels, first, last, ranges), fingerprint, patches)
    kept = {p for month in patches.values() for p, _ in month}
    for path in index.iterdir():  # the patches folded into their months, and strays
        if PATCH_FILE.fullmatch(path.name) and path.name not in kept:
            path.unlink()
    redo = starts[starts <= last]
    return replace(
        run,
        dyads_recomputed=len(redo),
        first_recomputed=iso_date(int(redo.min())),
        files_rewritten=written,
        patches_written=patched,
        n_files=len(month_spans(first, last)),
    )


def _month_grid(
    files: MonthFiles,
    name: str,
    every: np.ndarray,
    touched: pd.DataFrame | None,
    cells: pd.DataFrame,
) -> tuple[int, dict[str, np.ndarray]]:
    """A changed month's new sums on a grid of every dyad x the month's days: the old
    cells (from the index) off the touched dyad-days, then the new cells."""
    start = day_number(f"{name}-01")
    n_days = len(
        np.arange(np.datetime64(name, "M"), np.datetime64(name, "M") + 1, dtype="datetime64[D]")
    )
    grid = {c: np.zeros((len(every), n_days), np.int64 if c == "n_events" else float) for c in SUMS}
    if touched is not None and files.exists(name):
        own, own_first, sums = files.read(name)
        same = len(own) == len(every) and (own == every).all()  # no new dyad: most updates
        rows = np.arange(len(own)) if same else np.searchsorted(every, own)
        for c in SUMS:
            grid[c][rows, own_first - start : own_first - start + sums[c].shape[1]] = sums[c]
        at = np.searchsorted(every, _labels(touched)) * n_days + (touched["day"].to_numpy() - start)
        for c in SUMS:
            grid[c].ravel()[at] = 0
    at = np.searchsorted(every, _labels(cells)) * n_days + (cells["day"].to_numpy() - start)
    for c in SUMS:
        grid[c].ravel()[at] = cells[c].to_numpy()
    return start, grid


def _some_dyad_gone(files: MonthFiles, every: np.ndarray, grids: dict, ranges: dict) -> bool:
    """Whether a dyad has no event left: counted over the changed months' new grids and
    the other months' files (whose counts no update changes)."""
    totals = np.zeros(len(every), np.int64)
    for _, grid in grids.values():
        totals += grid["n_events"].sum(axis=1)
    for name in set(ranges) - set(grids):
        own, _, sums = files.read(name, ("n_events",))
        totals[np.searchsorted(every, own)] += sums["n_events"].sum(axis=1)
    return bool((totals == 0).any())


def _old_cells(files: MonthFiles, name: str) -> pd.DataFrame:
    """The cells of a month that did not change, from its file."""
    return cells_of_grids(*files.read(name, SUMS))


def _write_all(index: Path, spec: dict, cells, fingerprint: dict, run: UpdateRun, old=None):
    """Every month file from the cells, then the manifest; drop the months no longer in
    the calendar."""
    described = write_all(index, cells, spec["window"], spec["half_life"])
    _write_manifest(index, spec, described, fingerprint)
    kept = set(_names(*index_days(described)))
    for name in set(_names(*old)) - kept if old else ():
        month_path(index, name).unlink(missing_ok=True)
    for path in index.iterdir():  # every month written whole: no patch is left to apply
        if PATCH_FILE.fullmatch(path.name):
            path.unlink()
    return replace(
        run,
        dyads_recomputed=len(described["dyads"]),
        first_recomputed=described["first_day"],
        files_rewritten=len(kept),
        n_files=len(kept),
        built=True,
    )


def _write_manifest(
    index: Path, spec: dict, described: dict, fingerprint: dict, patches: dict | None = None
) -> None:
    patches = {m: p for m, p in (patches or {}).items() if p}
    extra = {"patches": patches} if patches else {}
    write_manifest(
        index, {"version": VERSION, "settings": spec, **described, "store": fingerprint, **extra}
    )


def _names(first: int, last: int) -> list[str]:
    return [name for name, _, _ in month_spans(first, last)]


def _labels(frame: pd.DataFrame) -> np.ndarray:
    return np.asarray(frame["dyad"].astype(str), dtype=object)
