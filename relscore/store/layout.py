"""The event store: imported events as a Parquet dataset, one folder per month.

Layout::

    STORE/_relscore_store.json                  format ("gdelt"/"icews") and dedupe mode
    STORE/_relscore_store.lock                  held by the import writing the store
    STORE/month=2019-10/<source>.<key>.parquet  the events of one source file in one month

``<source>`` is the name of the file imported (``20191024143000.export.CSV.zip``), with
any character other than letters, digits, ``.``, ``_`` and ``-`` replaced by ``_``, and
``<key>`` the first 12 hex digits of the SHA-1 of its absolute path with symlinks resolved.
So a file always lands in the same parts: importing it again replaces them (and removes a
part of a month it no longer has), never adds to them; and two different files of the
same name (``a/events.tab``, ``b/events.tab``) never replace each other. The same file
imported from two places is two sources: the index removes the duplicates across files.

One import writes to a store at a time: it holds an exclusive lock on the lock file (a
``flock``, released by the system however the process ends), and a second import stops
with a :class:`~relscore.exceptions.StoreError` instead of mixing its parts in. Holding
the lock, an import removes the temporary files (:mod:`relscore.files.temporary`) that a
killed import left, and says so. Indexing takes a shared lock, so it never reads a store
mid-import.

The layout is checked as the store is read (:func:`month_parts`, :func:`count_rows`,
:func:`store_meta`): an entry named ``month=...`` that is not a folder of a month
(``month=18-10``, ``month=2019-9``, ``month=2019-13``), an entry of a month folder that is
not a part (a ``.parquet`` file) nor hidden, a part holding events of another month than
its folder's, and a description (``_relscore_store.json``) that is not ``{"version": 1,
"format": "gdelt"|"icews", "dedupe": MODE}`` are each a :class:`StoreError` naming the
entry: a store is never read without one of its months.

Columns (:data:`STORE_SCHEMA`), one row per event kept by the import:

================  ======================  =============================================
column            type                    meaning
================  ======================  =============================================
``event_id``      int64                   GLOBALEVENTID (GDELT) or Event ID (ICEWS)
``date``          date32 (int32 days)     the event's date, days since 1970-01-01
``actor1``        dictionary<int16, str>  initiator, ISO 3166-1 alpha-3 (``"IRN"``)
``actor2``        dictionary<int16, str>  target, ISO 3166-1 alpha-3
``event_code``    dictionary<int16, str>  CAMEO event code, zeros kept (``"036"``)
``num_mentions``  int32, nullable         GDELT's NumMentions (null for ICEWS)
``num_articles``  int32, nullable         GDELT's NumArticles (null for ICEWS)
``source_hash``   int64, nullable         64-bit hash of the source (URL, Story ID);
                                          only with ``--dedupe source-url``
``origin_line``   int64                   line of the event in its source file
================  ======================  =============================================

The raw event code is stored, not a score, so the scheme and weights are chosen when the
index is computed, as for CSV input. Each import deduplicates within each source file;
duplicates across files (an event reported in two 15-minute files) are removed when the
store is indexed, month by month (:mod:`relscore.scale.aggregate`), with the store's
dedupe mode: importing files one call at a time gives the same index as importing them
all at once. As in GDELT and ICEWS, an event id names one record: two rows with the same
id are the same event, with the same date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import StoreError
from relscore.files.atomic import write_text_atomic
from relscore.files.errors import file_errors, read_limited
from relscore.files.locks import folder_lock
from relscore.files.temporary import PREFIX, is_temporary
from relscore.files.temporary import remove_temporaries as _remove_temporaries
from relscore.importers.dedupe import DEDUPE_MODES
from relscore.vocabulary import month_spans

META_NAME = "_relscore_store.json"  # "_": Parquet readers skip it
LOCK_NAME = "_relscore_store.lock"
REPAIR = "import its source file again, or move the file out of the store"
STORE_VERSION = 1
STORE_FORMATS = ("gdelt", "icews")
META_BYTES_MAX = 1 << 20  # a store description is some 60 bytes
_EPOCH = dt.date(1970, 1, 1)
_ACTOR = pa.dictionary(pa.int16(), pa.string())
STORE_SCHEMA = pa.schema(
    [
        ("event_id", pa.int64()),
        ("date", pa.date32()),
        ("actor1", _ACTOR),
        ("actor2", _ACTOR),
        ("event_code", _ACTOR),
        ("num_mentions", pa.int32()),
        ("num_articles", pa.int32()),
        ("source_hash", pa.int64()),
        ("origin_line", pa.int64()),
    ]
)
_MONTH_DIR = re.compile(r"month=(\d{4}-(?:0[1-9]|1[0-2]))")


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding a relscore event store."""
    return (Path(path) / META_NAME).is_file()


def store_meta(path: str | Path) -> dict:
    """The store's description, checked: ``version``, ``format`` and ``dedupe``.

    Raises
    ------
    StoreError
        If ``path`` is no store, or its description cannot be read or is not one relscore
        wrote; the message names the file and the field.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / META_NAME).write_text('{"version": 1, "format": "gdelt"}')
    ...     store_meta(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.StoreError: .../_relscore_store.json: dedupe: missing; not a relscore
    store description (import into a new folder)
    """
    meta_path = Path(path) / META_NAME
    if not meta_path.exists():
        raise StoreError(f"{path}: not a relscore event store (no {META_NAME})")
    raw = read_limited(meta_path, META_BYTES_MAX, StoreError)
    try:
        meta = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise StoreError(f"{meta_path}: cannot be read (not JSON: {exc})") from None
    if not isinstance(meta, dict):
        raise StoreError(f"{meta_path}: not a relscore store description (not a JSON object)")
    if meta.get("version") != STORE_VERSION:
        raise StoreError(f"{meta_path}: store version {meta.get('version')!r} is not supported")
    for key, known in (("format", STORE_FORMATS), ("dedupe", DEDUPE_MODES)):
        if key not in meta:
            problem = "missing"
        elif meta[key] not in known:
            problem = f"{meta[key]!r} is not one of {', '.join(known)}"
        else:
            continue
        raise StoreError(
            f"{meta_path}: {key}: {problem}; not a relscore store description "
            "(import into a new folder)"
        )
    other = sorted(set(meta) - {"version", "format", "dedupe"})
    if other:
        raise StoreError(f"{meta_path}: {other[0]}: not a field of a relscore store description")
    return meta


def open_store(path: str | Path, fmt: str, dedupe: str) -> Path:
    """Create the store at ``path`` or check that it holds ``fmt`` events deduplicated
    with ``dedupe`` (a store mixes neither formats, whose event ids could collide, nor
    dedupe modes). Returns the folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: exists and is not a folder")
    if is_store(path):
        meta = store_meta(path)
        for key, value in (("format", fmt), ("dedupe", dedupe)):
            if meta.get(key) != value:
                raise StoreError(
                    f"{path}: the store holds {key} {meta.get(key)!r}, not {value!r}; "
                    "import into a new folder"
                )
        return path
    # A run killed while it created the store leaves only its lock and a temporary file.
    if path.is_dir() and any(
        f.name != LOCK_NAME and not is_temporary(f.name) for f in path.iterdir()
    ):
        raise StoreError(f"{path}: a folder with files that is not a relscore event store")
    with file_errors(path, StoreError, "cannot create the store"):
        path.mkdir(parents=True, exist_ok=True)
    meta = {"version": STORE_VERSION, "format": fmt, "dedupe": dedupe}
    write_text_atomic(path / META_NAME, json.dumps(meta, indent=1) + "\n", StoreError)
    return path


def store_lock(path: str | Path, exclusive: bool = True) -> AbstractContextManager[None]:
    """Hold the store's lock for the block: ``exclusive`` to write (an import), shared to
    read (an index). :class:`StoreError` at once if the other kind is held: runs never
    wait, and never mix. A store whose lock file cannot be made (read-only) is read
    without one."""
    other = "importing into or indexing" if exclusive else "importing into"
    busy = (
        f"{path}: another relscore run is {other} this store (it holds {LOCK_NAME}); "
        "run again when it has finished"
    )
    return folder_lock(Path(path) / LOCK_NAME, busy, StoreError, exclusive=exclusive)


def remove_temporaries(path: str | Path) -> list[Path]:
    """Remove the temporary files an interrupted import left in the store (call with the
    lock held); return them."""
    ours = f"{PREFIX}.*.tmp"
    return _remove_temporaries(path, StoreError, (f"month=*/{ours}", ours))


def part_name(source: str | Path) -> str:
    """The file name of a source file's parts: its own name, made safe, and a key of its
    resolved absolute path (so files of one name in two folders differ)."""
    key = hashlib.sha1(str(Path(source).resolve()).encode(), usedforsecurity=False)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(source).name)
    return f"{safe}.{key.hexdigest()[:12]}.parquet"


def month_parts(path: str | Path) -> dict[str, list[Path]]:
    """The store's months, in order, each with its part files in name order (a month
    folder without parts is left out).

    Raises
    ------
    StoreError
        Naming an entry ``month=...`` that is not a folder of a month (``month=YYYY-MM``),
        or an entry of a month folder that is neither a part (``*.parquet`` file) nor
        hidden (a ``.`` name, as relscore's temporaries): its events would not be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (Path(folder) / "month=2019-9").mkdir()
    ...     month_parts(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.StoreError: .../month=2019-9: not a month folder of the store (a folder
    month=YYYY-MM); move it out of the store, or name it for its month
    """
    months = {}
    with file_errors(path, StoreError, "cannot be read"):
        entries = sorted(Path(path).glob("month=*"))
    for folder in entries:
        match = _MONTH_DIR.fullmatch(folder.name)
        if not (match and folder.is_dir()):
            raise StoreError(
                f"{folder}: not a month folder of the store (a folder month=YYYY-MM); move it "
                "out of the store, or name it for its month"
            )
        with file_errors(folder, StoreError, "cannot be read"):
            inside = sorted(folder.iterdir())
        for entry in inside:
            if entry.name.startswith("."):
                continue  # relscore's temporaries, a system's hidden files
            if entry.suffix != ".parquet" or not entry.is_file():
                raise StoreError(
                    f"{entry}: not a part of the store (a part is a NAME.parquet file that "
                    "relscore import wrote); move it out of the store"
                )
        files = [e for e in inside if not e.name.startswith(".")]
        if files:
            months[match[1]] = files
    return months


def read_month(files: Iterable[str | Path], columns: list[str]) -> pa.Table:
    """One month's events from its part files, in file order, with one dictionary per
    dictionary column (unified across files). :class:`StoreError` names a part that
    cannot be read."""
    tables = []
    for f in files:
        with file_errors(f, StoreError, "cannot be read", REPAIR):
            tables.append(pq.read_table(f, columns=columns, schema=STORE_SCHEMA))
    schema = pa.schema([STORE_SCHEMA.field(c) for c in columns])
    table = pa.concat_tables([t for t in tables if t.num_rows] or [schema.empty_table()])
    return table.unify_dictionaries().combine_chunks()


def count_rows(files: Iterable[str | Path]) -> int:
    """Events in ``files``, from their footers (no data is read).

    Raises
    ------
    StoreError
        Naming a part that is truncated or damaged, a Parquet file that no relscore
        import wrote (other columns or column types), or a part whose events are of
        another month than its folder's.
    """
    total = 0
    for f in files:
        with file_errors(f, StoreError, "cannot be read", REPAIR):
            metadata = pq.read_metadata(f)
            schema = metadata.schema.to_arrow_schema()
        if not _is_part(schema):
            shown = ", ".join(schema.names[:6]) + (", ..." if len(schema.names) > 6 else "")
            raise StoreError(
                f"{f}: a Parquet file that relscore import did not write (columns: {shown}); "
                "move it out of the store"
            )
        _check_month(Path(f), metadata)
        total += metadata.num_rows
    return total


def _check_month(part: Path, metadata: pq.FileMetaData) -> None:
    """A part's dates, from its footer's statistics, within its folder's month."""
    month = part.parent.name.removeprefix("month=")
    spans = month_spans(*_day_range(month))
    days = metadata.schema.to_arrow_schema().get_field_index("date")
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(days).statistics
        if stats is None or not stats.has_min_max:
            continue
        lo, hi = (int((d - _EPOCH).days) for d in (stats.min, stats.max))
        if spans and (lo < spans[0][1] or hi >= spans[0][2]):
            raise StoreError(
                f"{part}: holds events of {stats.min} ... {stats.max}, not of its folder's "
                f"month {month}; move the part back to its month's folder, or import its "
                "source file again"
            )


def _day_range(month: str) -> tuple[int, int]:
    """The first and last day (days since 1970-01-01) of ``YYYY-MM``."""
    start = (dt.date.fromisoformat(f"{month}-01") - _EPOCH).days
    year, number = int(month[:4]), int(month[5:])
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return start, (following - _EPOCH).days - 1


def _is_part(schema: pa.Schema) -> bool:
    """Whether a Parquet file's schema has every column of :data:`STORE_SCHEMA`, typed so."""
    names = set(schema.names)
    return all(f.name in names and schema.field(f.name).type == f.type for f in STORE_SCHEMA)
