"""Read and validate events CSV files (the schema is in ``data/README.md``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from relscore.codebook import WEIGHT_MAX, WEIGHT_MIN, did_you_mean, load_codebook
from relscore.exceptions import InvalidEventsError, Problem

REQUIRED_COLUMNS = ("date", "actor1", "actor2", "event_code", "description", "source")
OPTIONAL_COLUMNS = ("event_id", "date_precision", "fatalities", "weight", "notes")
DATE_PRECISIONS = ("day", "month", "year")


@cache
def iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes of current countries (from pycountry)."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


def load_events(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
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
        Listing every problem in every file as ``FILE:LINE: column: message``.
    """
    events, problems = read_events(paths)
    if problems:
        raise InvalidEventsError(problems)
    return events


def validate_events(paths: str | Path | Iterable[str | Path]) -> list[Problem]:
    """Return every problem in the given events files (empty if they are valid)."""
    return read_events(paths)[1]


def read_events(paths: str | Path | Iterable[str | Path]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read events files; return the valid rows and the problems of the invalid ones.

    Every row read is either in the returned frame or named by a problem.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    frames, problems = [], []
    for path in paths:
        frame, file_problems = _read_one(str(path))
        frames.append(frame)
        problems += file_problems
    frames = [f for f in frames if len(f)]
    events = pd.concat(frames, ignore_index=True) if frames else _empty()
    duplicate_problems, duplicated = _duplicate_ids(events)
    problems += duplicate_problems
    events = events[~duplicated & ~events.pop("_invalid")].reset_index(drop=True)
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
    except FileNotFoundError:
        return fail(1, "(file)", "no such file")
    except IsADirectoryError:
        return fail(1, "(file)", "is a folder, not a CSV file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(raw.count(b"\n", 0, exc.start) + 1, "(file)", "not UTF-8 text")
    if not text.strip():
        return fail(1, "(file)", "file is empty")

    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return _empty(), [Problem(path, 1, c, "required column is missing") for c in missing]
    lines, records, problems = [], [], []
    start = reader.line_num + 1
    for record in reader:
        if any(field.strip() for field in record):
            if len(record) != len(header):
                problems.append(
                    Problem(
                        path, start, "(row)", f"has {len(record)} fields, header has {len(header)}"
                    )
                )
            else:
                lines.append(start)
                records.append(record)
        start = reader.line_num + 1
    frame = pd.DataFrame(records, columns=header, dtype=str)
    for column in OPTIONAL_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame = frame.apply(lambda s: s.str.strip())
    frame["file"] = path
    frame["line"] = np.array(lines, dtype=np.int64)
    frame, row_problems = _check_rows(frame, path)
    return frame, problems + row_problems


def _check_rows(frame: pd.DataFrame, path: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check each row; return the rows (typed, bad ones flagged ``_invalid``) and a problem
    for each bad field."""
    checks: list[tuple[str, pd.Series, pd.Series | str]] = []  # column, bad mask, message(s)

    for column in REQUIRED_COLUMNS:
        checks.append((column, frame[column] == "", "is empty"))

    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    checks.append(("date", (frame["date"] != "") & dates.isna(), "not a date in YYYY-MM-DD form"))
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
            (column, bad, "unknown actor code " + frame[column].map(repr) + " (ISO 3166-1 alpha-3)")
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
    checks.append(
        (
            "event_code",
            bad_code,
            "unknown CAMEO event code "
            + frame["event_code"].map(lambda code: repr(code) + did_you_mean(code)),
        )
    )

    fatalities = pd.to_numeric(frame["fatalities"].replace("", np.nan), errors="coerce")
    bad_fatalities = (frame["fatalities"] != "") & ~(
        (fatalities >= 0) & (fatalities == np.floor(fatalities))
    )
    checks.append(("fatalities", bad_fatalities, "must be a whole number of deaths, 0 or more"))

    weight = pd.to_numeric(frame["weight"].replace("", np.nan), errors="coerce")
    given = frame["weight"] != ""
    checks.append(("weight", given & weight.isna(), "not a number"))
    checks.append(
        ("weight", given & ((weight < WEIGHT_MIN) | (weight > WEIGHT_MAX)), "outside -10...+10")
    )
    checks.append(
        ("notes", given & (frame["notes"] == ""), "a per-event weight needs its reason in notes")
    )

    problems = []
    bad_rows = pd.Series(False, index=frame.index)
    for column, bad, message in checks:
        bad = bad.fillna(False).astype(bool)
        bad_rows |= bad
        messages = message[bad] if isinstance(message, pd.Series) else [message] * int(bad.sum())
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


def _duplicate_ids(events: pd.DataFrame) -> tuple[list[Problem], pd.Series]:
    ids = events["event_id"]
    duplicated = (ids != "") & ids.duplicated(keep="first")
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
