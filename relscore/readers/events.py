"""Read and validate events CSV files (the schema is in ``data/README.md``).

Beyond the schema's rules per field:

* every header column is known (the schema's, and those ``relscore import`` adds) and
  named once; an unknown one is an error with the closest known name (``fatalites``:
  ``did you mean 'fatalities'?``), as a misspelt column would otherwise be ignored;
* dates lie in 1800-01-01 ... 2100-12-31, ``fatalities`` is a whole number 0 ... 10**7
  and ``weight`` a finite number -10 ... +10 (:mod:`relscore.vocabulary`);
* a row may be up to :data:`~relscore.vocabulary.LINE_BYTES_MAX` long (a longer one, a
  quote never closed mostly, is a problem on its line), and a file that cannot be read
  (missing, a folder, no permission, not UTF-8: UTF-16 too) is a problem on its line 1;
* a field may hold a line break (quoted) only in a column of free text
  (:data:`FREE_TEXT`); in any other column it is a problem. A quoted field whose later
  lines read as rows of their own (a stray quote that swallowed the rows after it) is a
  problem too, naming the lines;
* the same file given twice is read once, and the repeat is a problem.

And two things it reads but warns of (:class:`~relscore.exceptions.RelscoreWarning`): rows
without an ``event_id`` that repeat an earlier row exactly (each is scored: give different
events their own ``event_id``, or delete the repeats), and, in a file whose codes lost their
leading zeros (``36`` for ``036``, a problem), the codes that are also codes with a zero in
front (``10``, demand, or ``010``, make statement?).

The file is split into rows by :mod:`relscore.readers.csv_records`.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.codebook import code_hint, load_codebook
from relscore.exceptions import InvalidEventsError, Problem, RelscoreWarning
from relscore.files.atomic import same_file
from relscore.files.errors import reason
from relscore.importers.countries import actor_hint, iso3_codes
from relscore.importers.gdelt import COLUMNS as GDELT_COLUMNS
from relscore.importers.icews import COLUMNS as ICEWS_COLUMNS
from relscore.readers.csv_records import NotCsv, fast_records, records
from relscore.vocabulary import (
    DATE_MAX,
    DATE_MIN,
    FATALITIES_MAX,
    WEIGHT_MAX,
    WEIGHT_MIN,
    did_you_mean,
)

REQUIRED_COLUMNS = ("date", "actor1", "actor2", "event_code", "description", "source")
OPTIONAL_COLUMNS = ("event_id", "date_precision", "fatalities", "weight", "notes")
DATE_PRECISIONS = ("day", "month", "year")
# Any other column is an error (a misspelt ``fatalites`` would otherwise be ignored): the
# schema's, and those ``relscore import`` adds after them.
KNOWN_COLUMNS = tuple(
    dict.fromkeys(
        ("event_id", *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *GDELT_COLUMNS, *ICEWS_COLUMNS)
    )
)
# The columns of free text, which may hold a line break; in any other a line break is a
# stray quote's doing.
FREE_TEXT = ("description", "source", "notes", "actor1_name", "actor2_name", "story_id")
FREE_TEXT += ("origin_file",)
_BREAK = re.compile(r"\r\n|\r|\n")


def read_events(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read and validate one or more events CSV files.

    Parameters
    ----------
    paths : path or list of paths
        UTF-8 CSV files with a header (a BOM and CRLF line ends are accepted).

    Returns
    -------
    pandas.DataFrame
        One row per event with the schema's columns (``date`` as datetime64, ``fatalities``
        and ``weight`` as floats with NaN for empty) plus ``file`` and ``line``, the event's
        origin.

    Raises
    ------
    InvalidEventsError
        Listing every problem in every file as ``FILE:LINE: column: message`` (a
        :class:`ValueError`); :func:`validate_events` lists them without raising.

    Examples
    --------
    >>> import relscore
    >>> with relscore.datasets.path("iran_pakistan") as file:
    ...     events = read_events(file)
    >>> strikes = events[events["event_code"] == "195"]
    >>> strikes[["date", "actor1", "actor2", "fatalities"]].tail(2)
              date actor1 actor2  fatalities
    190 2024-01-16    IRN    PAK         2.0
    201 2024-01-18    PAK    IRN         9.0
    """
    events, problems = read_checked(paths)
    if problems:
        raise InvalidEventsError(problems)
    return events


def validate_events(paths: str | Path | Iterable[str | Path]) -> list[Problem]:
    """Every problem in the given events files (empty if they are valid).

    Examples
    --------
    >>> import relscore
    >>> with relscore.datasets.path("iran_pakistan") as file:
    ...     validate_events(file)
    []
    """
    return read_checked(paths)[1]


def load_events(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Deprecated name of :func:`read_events` (until 0.5)."""
    warnings.warn(
        "relscore.load_events is now relscore.read_events", DeprecationWarning, stacklevel=2
    )
    return read_events(paths)


def read_checked(
    paths: str | Path | Iterable[str | Path],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read events files; return the valid rows and the problems of the invalid ones
    (what :func:`read_events` and :func:`validate_events` are built on).

    Every row read is either in the returned frame or named by a problem. A file given
    twice (through a symlink, say) is read once, and the repeat is a problem.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    frames, problems, read = [], [], []
    for path in paths:
        earlier = next((p for p in read if same_file(path, p)), None)
        if earlier is not None:  # its rows would count twice
            problems.append(Problem(str(path), 1, "(file)", f"given twice (also as {earlier})"))
            continue
        read.append(path)
        frame, file_problems = _read_one(str(path))
        frames.append(frame)
        problems += file_problems
    frames = [f for f in frames if len(f)]
    events = pd.concat(frames, ignore_index=True) if len(frames) > 1 else (frames or [_empty()])[0]
    duplicate_problems, duplicated = _duplicate_ids(events)
    problems += duplicate_problems
    keep = ~duplicated & ~events.pop("_invalid")
    if not keep.all():
        events = events[keep].reset_index(drop=True)
    _warn_of_repeats(events)
    problems.sort(key=lambda p: (p.path, p.line))
    return events, problems


def _empty() -> pd.DataFrame:
    columns = ["event_id", *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS[1:], "file", "line"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}).assign(_invalid=False)


def _read_one(path: str) -> tuple[pd.DataFrame, list[Problem]]:
    def fail(line: int, column: str, message: str):
        return _empty(), [Problem(path, line, column, message)]

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:  # missing, a folder, no permission, an I/O error
        return fail(1, "(file)", reason(exc) + _missing_hint(path, exc))
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw or raw.isspace():
        return fail(1, "(file)", "file is empty")
    if b"\0" in raw[: raw.find(b"\n")]:  # valid UTF-8, but no header is made of NULs
        return fail(1, "(file)", "not UTF-8 text (NUL bytes in the header: UTF-16?)")
    parsed = fast_records(raw)  # None unless plain CSV and UTF-8 (Arrow checks)
    if parsed is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return fail(raw.count(b"\n", 0, exc.start) + 1, "(file)", "not UTF-8 text")
        try:
            parsed = records(text)
        except NotCsv as exc:
            return fail(exc.line, "(file)", exc.message)
        del text
    header, frame, lines, problems = parsed
    if len(header) == 1 and ";" in header[0]:  # saved with semicolons, as some spreadsheets do
        return fail(
            1,
            "(header)",
            "the columns are separated by semicolons; relscore reads comma-separated CSV "
            "(in a spreadsheet, save as 'CSV UTF-8 (comma delimited)')",
        )
    header_problems = _header_problems(header, path)
    if header_problems:
        return _empty(), header_problems
    problems = [
        Problem(path, line, "(row)", f"has {n} fields, header has {len(header)}")
        for line, n in problems
    ]
    for column in OPTIONAL_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame["file"] = path
    frame["line"] = np.asarray(lines, dtype=np.int64)
    spanning, span_problems = _line_breaks(frame, header, raw, path)
    del raw  # the rows are copied out: free the file's bytes before the checks
    frame, row_problems = _check_rows(frame, path)
    frame["_invalid"] |= spanning
    return frame, problems + span_problems + row_problems


def _line_breaks(
    frame: pd.DataFrame, header: list[str], raw: bytes, path: str
) -> tuple[np.ndarray, list[Problem]]:
    """The rows with a quoted field that spans lines where it should not (and their
    problems): in a column that is not free text, or swallowing later lines that read as
    rows of their own (a stray quote's doing)."""
    bad = np.zeros(len(frame), bool)
    lines = frame["line"].to_numpy()
    if not len(lines):
        return bad, []
    # A row spans lines only if the next row starts more than one line after it.
    candidates = np.flatnonzero(np.diff(lines, append=lines[-1] + 2) > 1)
    spans = frame[header].iloc[candidates].apply(lambda c: c.str.contains(_BREAK))
    problems, physical = [], None
    for at in candidates[spans.any(axis=1).to_numpy()]:
        row = frame.iloc[at]
        breaks = {c: len(_BREAK.findall(row[c])) for c in header if _BREAK.search(row[c])}
        first = int(lines[at])
        last = first + sum(breaks.values())
        where = f"a quoted field from line {first} to line {last}"
        found = [
            Problem(path, first, c, f"holds a line break ({where}); a stray quote?")
            for c in breaks
            if c not in FREE_TEXT
        ]
        if not found:
            if physical is None:
                physical = _BREAK.split(raw.decode("utf-8"))
            rows = [n for n in range(first + 1, last + 1) if _a_row(physical[n - 1], header)]
            if rows:
                shown = ", ".join(str(n) for n in rows[:3]) + (", ..." if len(rows) > 3 else "")
                message = f"{where} holds line(s) {shown} that read as rows of their own"
                found.append(Problem(path, first, next(iter(breaks)), f"{message}; a stray quote?"))
        bad[at] = bool(found)
        problems += found
    return bad, problems


def _a_row(line: str, header: list[str]) -> bool:
    """Whether ``line``, read alone, is a row of the header's width."""
    try:
        return len(next(csv.reader([line]), [])) == len(header)
    except csv.Error:
        return False


def _missing_hint(path: str, exc: OSError) -> str:
    """For a file that is not there: where relscore looked, and a near name beside it."""
    if not isinstance(exc, FileNotFoundError):
        return ""
    folder = Path(path).parent
    if not folder.is_dir():
        return f" (nor is its folder {folder}; paths are relative to the current folder)"
    near = did_you_mean(Path(path).name, [p.name for p in folder.glob("*.csv")], cutoff=0.8)
    return near or f" (no CSV file of that name in {folder.resolve()})"


def _header_problems(header: list[str], path: str) -> list[Problem]:
    """Every column of the header named once, known, and the required ones there."""
    problems = []
    for at, name in enumerate(header):
        if name in header[:at]:
            problems.append(Problem(path, 1, name, "column appears twice in the header"))
        elif name not in KNOWN_COLUMNS:
            hint = did_you_mean(name, KNOWN_COLUMNS, cutoff=0.75)
            label = repr(name) if name else "(a column without a name)"
            problems.append(Problem(path, 1, name or "(header)", f"unknown column {label}{hint}"))
    problems += [
        Problem(path, 1, c, "required column is missing")
        for c in REQUIRED_COLUMNS
        if c not in header
    ]
    return problems


def _check_rows(frame: pd.DataFrame, path: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check each row; return the rows (typed, bad ones flagged ``_invalid``) and a problem
    for each bad field. A message is a text, or a function of the bad fields' values (so
    it is built for the bad rows only)."""
    checks: list[tuple[str, pd.Series, str | Callable]] = []  # column, bad mask, message

    for column in REQUIRED_COLUMNS:
        checks.append((column, frame[column] == "", "is empty"))

    text = frame["date"]
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    # Compared as dates: 2100-2-1 is in range, as 2024-1-16 is (as text it sorts after 2100-12).
    outside = dates.notna() & ((dates < pd.Timestamp(DATE_MIN)) | (dates > pd.Timestamp(DATE_MAX)))
    checks.append(("date", (text != "") & dates.isna(), "not a date in YYYY-MM-DD form"))
    checks.append(("date", outside, f"outside the dates relscore reads, {DATE_MIN} ... {DATE_MAX}"))
    dates = dates.mask(outside)
    precision = frame["date_precision"].replace("", "day")
    checks.append(
        ("date_precision", ~precision.isin(DATE_PRECISIONS), "must be day, month or year")
    )
    checks.append(
        (
            "date",
            (precision == "month") & (dates.dt.day != 1),
            "with month precision must be the 1st",
        )
    )
    checks.append(
        (
            "date",
            (precision == "year") & ((dates.dt.day != 1) | (dates.dt.month != 1)),
            "with year precision must be January 1st",
        )
    )

    iso3 = iso3_codes()
    for column in ("actor1", "actor2"):
        bad = (frame[column] != "") & ~frame[column].isin(iso3)
        checks.append(
            (
                column,
                bad,
                lambda v: (
                    "unknown actor code "
                    + v.map(repr)
                    + " (ISO 3166-1 alpha-3)"
                    + v.map(actor_hint)
                ),
            )
        )
    checks.append(
        (
            "actor2",
            (frame["actor1"] == frame["actor2"]) & (frame["actor1"] != ""),
            "same actor on both sides",
        )
    )

    known_codes = load_codebook().index
    bad_code = (frame["event_code"] != "") & ~frame["event_code"].isin(known_codes)
    _warn_of_lost_zeros(frame, bad_code, known_codes, path)
    checks.append(
        (
            "event_code",
            bad_code,
            lambda v: "unknown CAMEO event code " + v.map(lambda c: repr(c) + code_hint(c)),
        )
    )

    fatalities = pd.to_numeric(frame["fatalities"].replace("", np.nan), errors="coerce")
    whole = (
        (fatalities >= 0) & (fatalities <= FATALITIES_MAX) & (fatalities == np.floor(fatalities))
    )
    checks.append(
        (
            "fatalities",
            (frame["fatalities"] != "") & ~whole,
            f"must be a whole number of deaths, 0 ... {FATALITIES_MAX}",
        )
    )
    fatalities = fatalities.where(whole)

    weight = pd.to_numeric(frame["weight"].replace("", np.nan), errors="coerce")
    given = frame["weight"] != ""
    checks.append(("weight", given & ~np.isfinite(weight), "not a number"))
    outside = np.isfinite(weight) & ((weight < WEIGHT_MIN) | (weight > WEIGHT_MAX))
    checks.append(("weight", given & outside, "outside -10...+10"))
    checks.append(
        ("notes", given & (frame["notes"] == ""), "a per-event weight needs its reason in notes")
    )

    problems = []
    bad_rows = pd.Series(False, index=frame.index)
    for column, bad, message in checks:
        bad = bad.fillna(False).astype(bool)
        if not bad.any():
            continue
        bad_rows |= bad
        n_bad = int(bad.sum())
        messages = message(frame.loc[bad, column]) if callable(message) else [message] * n_bad
        problems += [
            Problem(path, int(line), column, text)
            for line, text in zip(frame.loc[bad, "line"], messages, strict=True)
        ]
    typed = frame.assign(
        date=dates,
        date_precision=precision,
        fatalities=fatalities,
        weight=weight,
        _invalid=bad_rows,
    )
    return typed, problems


def _warn_of_lost_zeros(
    frame: pd.DataFrame, bad_code: pd.Series, known_codes: pd.Index, path: str
) -> None:
    """Warn of the codes that are codes as written and also with a zero in front (``10``
    and ``010``), in a file whose other codes lost their leading zeros (``36``)."""
    codes = frame["event_code"]
    lost = bad_code & ("0" + codes).isin(known_codes)
    if not lost.any():
        return
    ambiguous = ~bad_code & (codes != "") & ("0" + codes).isin(known_codes)
    if not ambiguous.any():
        return
    evidence = frame.loc[lost].iloc[0]
    found = frame.loc[ambiguous].groupby("event_code", sort=True)["line"].agg(["size", "min"])
    listed = "; ".join(
        f"'{code}' ({n} row{'s' if n > 1 else ''}, first line {first}) may be '0{code}'"
        for code, (n, first) in found.iterrows()
    )
    warnings.warn(
        f"{path}: {listed}: this file's codes lost their leading zeros elsewhere "
        f"('{evidence['event_code']}' on line {evidence['line']}); write codes as text, "
        "zeros kept",
        RelscoreWarning,
        stacklevel=4,
    )


def _warn_of_repeats(events: pd.DataFrame) -> None:
    """Warn of rows without an ``event_id`` that repeat an earlier row exactly (every
    column but where they were read): each is scored, as an event of its own."""
    blank = events["event_id"] == ""
    if blank.sum() < 2:
        return
    columns = [c for c in events.columns if c not in ("file", "line")]
    rows = events.loc[blank]
    repeated = rows.duplicated(subset=columns, keep="first")
    if not repeated.any():
        return
    first = rows.drop_duplicates(subset=columns).set_index(columns)[["file", "line"]]
    shown = []
    for row in rows.loc[repeated].head(3).itertuples(index=False):
        key = tuple(getattr(row, c) for c in columns)
        origin = first.loc[[key]].iloc[0]
        shown.append(f"{row.file}:{row.line} repeats {origin['file']}:{origin['line']}")
    n = int(repeated.sum())
    more = f"; {n - 3} more" if n > 3 else ""
    warnings.warn(
        f"{n} row{'s' if n > 1 else ''} without an event_id repeat{'s' if n == 1 else ''} an "
        f"earlier row exactly ({', '.join(shown)}{more}): each is scored as an event; give "
        "different events their own event_id, or delete the repeats",
        RelscoreWarning,
        stacklevel=4,
    )


def _duplicate_ids(events: pd.DataFrame) -> tuple[list[Problem], pd.Series]:
    ids = events["event_id"]
    duplicated = (ids != "") & ids.duplicated(keep="first")
    if not duplicated.any():
        return [], duplicated
    first = events[ids != ""].drop_duplicates("event_id").set_index("event_id")
    problems = [
        Problem(
            row.file,
            int(row.line),
            "event_id",
            f"duplicate event_id {row.event_id!r} (first at {first.at[row.event_id, 'file']}:"
            f"{first.at[row.event_id, 'line']})",
        )
        for row in events[duplicated].itertuples()
    ]
    return problems, duplicated
