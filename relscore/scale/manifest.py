"""What an index folder records (its manifest): the settings it was computed with, and
the store's fingerprint, against which an update finds what changed.

The fingerprint lists each store month's part files with their size and modification time
(nanoseconds): an import writes a part whole and moves it into place, so a part that was
added, replaced (imported again) or removed changes the fingerprint, and nothing else does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from relscore.codebook import DEFAULT_SCHEME
from relscore.exceptions import IndexUpdateError
from relscore.index import apply_kernel, half_life_or_default

VERSION = 1
SETTINGS = ("scheme", "overrides", "weight_by", "window", "half_life", "directed")
NOT_UPDATABLE = ("start", "end", "dyad")  # an updatable index holds every dyad and day


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
    if manifest.get("version") != VERSION:
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
    for name in NOT_UPDATABLE:
        if settings.get(name) is not None:
            raise IndexUpdateError(
                f"{name} is not an option of an updatable index, which holds every dyad "
                "and day; use relscore index for a part of it"
            )
    unknown = set(settings) - set(SETTINGS) - set(NOT_UPDATABLE)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
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


def fingerprint_of(parts: dict[str, list[Path]]) -> dict[str, list[list]]:
    """Each store month's parts (:func:`relscore.store.layout.month_parts`) as
    ``[name, size, mtime_ns]``."""
    out = {}
    for name, files in parts.items():
        stats = [(f.name, f.stat()) for f in files]
        out[name] = [[n, s.st_size, s.st_mtime_ns] for n, s in stats]
    return out


def changes_between(old: dict, new: dict) -> dict[str, dict[str, list[str]]]:
    """The months whose parts differ between two fingerprints: the names of the parts
    ``added``, ``replaced`` (same name, other size or time) and ``removed``.

    >>> changes_between({"2024-01": [["a", 1, 5]]}, {"2024-01": [["a", 1, 6], ["b", 2, 7]]})
    {'2024-01': {'added': ['b'], 'removed': [], 'replaced': ['a']}}
    """
    changes = {}
    for month in sorted(set(old) | set(new)):
        was = {n: (s, t) for n, s, t in old.get(month, [])}
        now = {n: (s, t) for n, s, t in new.get(month, [])}
        added = sorted(set(now) - set(was))
        removed = sorted(set(was) - set(now))
        replaced = sorted(n for n in set(now) & set(was) if now[n] != was[n])
        if added or removed or replaced:
            changes[month] = {"added": added, "removed": removed, "replaced": replaced}
    return changes
