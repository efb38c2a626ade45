"""The manifest of an index folder (``_relscore_index.json``): its schema, checked on every
read, and the month files it lists, checked against the folder.

A manifest is a JSON object of these fields, and no other:

==============  ==========================================================================
field           holds
==============  ==========================================================================
``version``     1
``settings``    ``scheme`` (a scheme's name), ``overrides`` (null, or code -> weight in
                -10 ... +10), ``weight_by`` (null, ``num_mentions``, ``num_articles``),
                ``window`` (null, or whole days 1 ... 109,938), ``half_life`` (null, or
                days > 0 up to the same), exactly one of the two kernels, ``directed``
                (true/false)
``first_day``   the first day with events, ``YYYY-MM-DD`` (null for an index of none)
``last_day``    the last, ``YYYY-MM-DD`` (null likewise)
``dyads``       the dyads, as relscore writes them (``IRN-PAK``, or ``IRN>PAK`` when
                directed), sorted, each once
``months``      ``YYYY-MM`` -> ``[first, last]``: the days with events of each month that
                has some; the first of all is ``first_day``, the last ``last_day``
``store``       the store's fingerprint: ``YYYY-MM`` -> ``[[part name, bytes, mtime ns],
                ...]``
``files``       (written since 0.4) ``YYYY-MM`` -> bytes of each month file
``patches``     (version 2, since 0.5) ``YYYY-MM`` -> ``[[patch file name, bytes], ...]``:
                the month's patch files (``YYYY-MM.patchN.parquet``), in the order they
                apply (:mod:`relscore.store.index_folder`)
==============  ==========================================================================

A field that breaks this is an :class:`~relscore.exceptions.IndexUpdateError` naming the
file and the field, in one line. The folder's month files (``YYYY-MM.parquet``) must be
those of the calendar ``first_day ... last_day``, each of the size recorded, and its patch
files those listed, each of its size (:func:`month_file_problems`): ``relscore update``
rebuilds a folder whose files do not match from its store, and :func:`relscore.read_index`
refuses it. A patch file the manifest does not list was left by an update killed before it
wrote its manifest: no reader reads it, and the next update that writes removes it.

Version 1 (0.3, 0.4) is version 2 without patches: it is read as it is, and an update
writes version 2, which 0.4 refuses by its version rather than misreading it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from relscore.codebook import SCHEMES, weight_problems
from relscore.exceptions import IndexUpdateError
from relscore.vocabulary import (
    DATE_MAX,
    DATE_MIN,
    SPAN_DAYS,
    day_number,
    iso_date,
    month_spans,
    parse_dyad,
)

VERSION = 2
VERSIONS_READ = (1, 2)
# What an index folder is computed with. An updatable index holds every dyad and day, so
# start, end and dyad are not among them.
SETTINGS = ("scheme", "overrides", "weight_by", "window", "half_life", "directed")
WEIGHT_BY = ("num_mentions", "num_articles")
FIELDS = ("version", "settings", "first_day", "last_day", "dyads", "months", "store")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
MONTH_FILE = re.compile(r"(\d{4}-\d{2})\.parquet")
PATCH_FILE = re.compile(r"(\d{4}-\d{2})\.patch([1-9]\d{0,8})\.parquet")


class _Bad(Exception):
    """A field that breaks the schema: its place (``settings.window``) and what is wrong."""

    def __init__(self, where: str, what: str):
        super().__init__(where, what)
        self.where, self.what = where, what


def check_manifest(path: str | Path, manifest: object) -> dict:
    """``manifest`` if it holds the schema above; else
    :class:`~relscore.exceptions.IndexUpdateError` naming ``path`` and the field.

    Examples
    --------
    >>> manifest = dict.fromkeys(FIELDS) | {"version": 1, "settings": []}
    >>> check_manifest("index/_relscore_index.json", manifest)
    Traceback (most recent call last):
    ...
    relscore.exceptions.IndexUpdateError: index/_relscore_index.json: settings: not an object
    (got []); not a manifest relscore update wrote: index into a new folder
    """
    try:
        _check(manifest)
    except _Bad as bad:
        raise IndexUpdateError(
            f"{path}: {bad.where}: {bad.what}; not a manifest relscore update wrote: "
            "index into a new folder"
        ) from None
    return manifest


def _check(manifest: object) -> None:
    if not isinstance(manifest, dict):
        raise _Bad("(file)", f"not a JSON object (got {_shown(manifest)})")
    for name in FIELDS:
        if name not in manifest:
            raise _Bad(name, "missing")
    other = sorted(set(manifest) - {*FIELDS, "files", "patches"})
    if other:
        raise _Bad(other[0], "not a field of an index manifest")
    if manifest["version"] not in VERSIONS_READ or isinstance(manifest["version"], bool):
        raise _Bad("version", f"{_shown(manifest['version'])} is not supported (1 or 2 is)")
    if manifest["version"] == 1 and "patches" in manifest:
        raise _Bad("patches", "not a field of a version 1 manifest")
    _check_settings(_object(manifest["settings"], "settings"))
    first, last = _day_or_none(manifest, "first_day"), _day_or_none(manifest, "last_day")
    if (first is None) != (last is None) or (first is not None and first > last):
        raise _Bad("last_day", f"{_shown(manifest['last_day'])} does not follow first_day")
    _check_dyads(manifest["dyads"], manifest["settings"]["directed"])
    _check_months(_object(manifest["months"], "months"), first, last)
    for name, parts in _object(manifest["store"], "store").items():
        _month_key(name, "store")
        if not isinstance(parts, list) or not all(_is_part(p) for p in parts):
            raise _Bad(f"store.{name}", f"not a list of [name, bytes, mtime] (got {_shown(parts)})")
    for name, size in _object(manifest.get("files", {}), "files").items():
        _month_key(name, "files")
        if not _whole(size) or size < 0:
            raise _Bad(f"files.{name}", f"not a number of bytes (got {_shown(size)})")
    for name, patches in _object(manifest.get("patches", {}), "patches").items():
        _month_key(name, "patches")
        if not isinstance(patches, list) or not all(_is_patch(p, name) for p in patches):
            raise _Bad(
                f"patches.{name}",
                f"not a list of [{name}.patchN.parquet, bytes] (got {_shown(patches)})",
            )
        numbers = [int(PATCH_FILE.fullmatch(p[0])[2]) for p in patches]
        if numbers != sorted(set(numbers)):
            raise _Bad(f"patches.{name}", f"not in the order of their numbers ({numbers})")


def _check_settings(settings: dict) -> None:
    for name in SETTINGS:
        if name not in settings:
            raise _Bad(f"settings.{name}", "missing")
    other = sorted(set(settings) - set(SETTINGS))
    if other:
        raise _Bad(f"settings.{other[0]}", "not a setting of an index")
    if settings["scheme"] not in SCHEMES:
        raise _Bad("settings.scheme", f"{_shown(settings['scheme'])} is not a scheme relscore has")
    overrides = settings["overrides"]
    if overrides is not None:
        for code, weight in _object(overrides, "settings.overrides").items():
            problems = weight_problems(code, weight, "", 0)
            if problems:
                raise _Bad(f"settings.overrides.{code}", problems[0].message)
    if settings["weight_by"] not in (None, *WEIGHT_BY):
        raise _Bad("settings.weight_by", f"{_shown(settings['weight_by'])} is not a count")
    window, half_life = settings["window"], settings["half_life"]
    if window is not None and not (_whole(window) and 1 <= window <= SPAN_DAYS):
        raise _Bad("settings.window", f"not a whole number of days 1 ... {SPAN_DAYS}")
    if half_life is not None and not (
        _number(half_life) and math.isfinite(half_life) and 0 < half_life <= SPAN_DAYS
    ):
        raise _Bad("settings.half_life", f"not a number of days > 0 up to {SPAN_DAYS}")
    if (window is None) == (half_life is None):
        raise _Bad("settings.window", "exactly one of window and half_life is a number")
    if not isinstance(settings["directed"], bool):
        raise _Bad("settings.directed", f"not true or false (got {_shown(settings['directed'])})")


def _check_dyads(dyads: object, directed: bool) -> None:
    if not isinstance(dyads, list):
        raise _Bad("dyads", f"not a list (got {_shown(dyads)})")
    if _well_formed(dyads, directed):
        return
    for at, dyad in enumerate(dyads):
        try:
            ok = isinstance(dyad, str) and parse_dyad(dyad, directed) == dyad
        except ValueError:
            ok = False
        if not ok:
            raise _Bad(f"dyads[{at}]", f"{_shown(dyad)} is not a dyad as relscore writes it")
        if at and dyad <= dyads[at - 1]:
            raise _Bad(f"dyads[{at}]", f"{dyad!r} is out of order, or twice")


def _well_formed(dyads: list, directed: bool) -> bool:
    """Whether every dyad is as relscore writes it, and they are sorted, each once: tens
    of thousands are read on every update, so this is decided on their code points at
    once; the check that names a bad one runs only if this fails."""
    if not all(type(d) is str for d in dyads):
        return False
    text = np.asarray(dyads, dtype=str) if dyads else np.empty(0, "<U7")
    if text.dtype != np.dtype("<U7"):
        return False
    points = text.view(np.uint32).reshape(-1, 7)
    letters = points[:, [0, 1, 2, 4, 5, 6]]
    if not ((letters >= ord("A")) & (letters <= ord("Z"))).all():
        return False
    if not (points[:, 3] == ord(">" if directed else "-")).all():
        return False
    weights = np.array([26 * 26, 26, 1], np.uint32)
    first, second = letters[:, :3] @ weights, letters[:, 3:] @ weights
    canonical = first != second if directed else first < second
    return bool(canonical.all() and (text[1:] > text[:-1]).all())


def _check_months(months: dict, first: int | None, last: int | None) -> None:
    """Each month's days with events, within the month and the calendar; together they
    span ``first ... last``."""
    lows, highs = [], []
    for name, days in months.items():
        _month_key(name, "months")
        if not (isinstance(days, list) and len(days) == 2):
            raise _Bad(f"months.{name}", f"not [first, last] (got {_shown(days)})")
        lo, hi = (_day(d, f"months.{name}") for d in days)
        start = day_number(f"{name}-01")
        (_, month_first, month_end), *_ = month_spans(start, start + 31)
        if not month_first <= lo <= hi < month_end:
            raise _Bad(f"months.{name}", f"{days} are not days of {name} in order")
        lows.append(lo)
        highs.append(hi)
    if first is None and months:
        raise _Bad("months", "lists days with events of an index of none")
    if first is not None and min(lows, default=None) != first:
        raise _Bad("first_day", f"is not the first day with events of the months ({_low(lows)})")
    if first is not None and max(highs) != last:
        raise _Bad("last_day", f"is not the last day with events of the months ({_high(highs)})")


def month_file_problems(folder: str | Path, manifest: dict) -> list[str]:
    """What in ``folder`` does not match the month files ``manifest`` lists: a month file
    missing, one outside its calendar, one of another size than it records, a patch file
    it lists missing or of another size; one line each, naming the file (empty if they
    match).

    >>> month_file_problems("index", {"first_day": None, "last_day": None})
    []
    """
    folder = Path(folder)
    first, last = manifest["first_day"], manifest["last_day"]
    wanted = [] if first is None else month_spans(day_number(first), day_number(last))
    wanted = [name for name, _, _ in wanted]
    found = {}
    if folder.is_dir():
        for path in folder.iterdir():
            match = MONTH_FILE.fullmatch(path.name)
            if match:
                found[match[1]] = path
    problems = [
        f"{folder / f'{name}.parquet'}: missing (the manifest lists month {name})"
        for name in wanted
        if name not in found
    ]
    problems += [
        f"{found[name]}: not a month of the manifest's calendar ({first} ... {last})"
        for name in sorted(set(found) - set(wanted))
    ]
    sizes = manifest.get("files", {})
    for name in wanted:
        if name in found and name in sizes:
            size = found[name].stat().st_size
            if size != sizes[name]:
                problems.append(
                    f"{found[name]}: {size:,} bytes, the manifest records {sizes[name]:,}"
                )
    for name in wanted:
        for patch, recorded in manifest.get("patches", {}).get(name, []):
            path = folder / patch
            size = path.stat().st_size if path.is_file() else None
            if size is None:
                problems.append(f"{path}: missing (the manifest lists it as a patch of {name})")
            elif size != recorded:
                problems.append(f"{path}: {size:,} bytes, the manifest records {recorded:,}")
    return problems


def file_sizes(folder: str | Path, manifest: dict) -> dict[str, int]:
    """The sizes of the month files of ``manifest``'s calendar, for its ``files`` field."""
    first, last = manifest["first_day"], manifest["last_day"]
    if first is None:
        return {}
    names = [name for name, _, _ in month_spans(day_number(first), day_number(last))]
    return {name: (Path(folder) / f"{name}.parquet").stat().st_size for name in names}


def _low(days: list[int]) -> str:
    return iso_date(min(days)) if days else "none"


def _high(days: list[int]) -> str:
    return iso_date(max(days))


def _object(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Bad(where, f"not an object (got {_shown(value)})")
    return value


def _month_key(name: str, where: str) -> None:
    if not _MONTH.fullmatch(name):
        raise _Bad(f"{where}.{name}", "not a month YYYY-MM")


def _day(value: object, where: str) -> int:
    if not (isinstance(value, str) and _DATE.fullmatch(value) and DATE_MIN <= value <= DATE_MAX):
        raise _Bad(where, f"not a date YYYY-MM-DD of {DATE_MIN} ... {DATE_MAX} ({_shown(value)})")
    try:
        return day_number(value)
    except ValueError:
        raise _Bad(where, f"not a calendar day ({_shown(value)})") from None


def _day_or_none(manifest: dict, name: str) -> int | None:
    return None if manifest[name] is None else _day(manifest[name], name)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_part(part: object) -> bool:
    return (
        isinstance(part, list)
        and len(part) == 3
        and isinstance(part[0], str)
        and _whole(part[1])
        and part[1] >= 0
        and _whole(part[2])
    )


def _is_patch(patch: object, month: str) -> bool:
    if not (isinstance(patch, list) and len(patch) == 2 and isinstance(patch[0], str)):
        return False
    match = PATCH_FILE.fullmatch(patch[0])
    return match is not None and match[1] == month and _whole(patch[1]) and patch[1] >= 0


def _shown(value: object) -> str:
    """A value as a message quotes it, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
