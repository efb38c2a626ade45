"""Read a known-crises file: the crises history records, to check episodes against.

One row per crisis, UTF-8 CSV with a header, these columns and no others:

==========  ==============================================================================
column      meaning
==========  ==============================================================================
``dyad``    the two states, ISO 3166-1 alpha-3, undirected (``GRC-TUR``; written in any
            order, read sorted)
``start``   the crisis's first day, ``YYYY-MM-DD``
``end``     its last day (the end of the acute phase), at or after ``start``
``what``    a few words on what happened
``source``  where the dates come from (several addresses joined by semicolons)
==========  ==============================================================================

Every problem is reported, as ``FILE:LINE: column: message``, before any is raised.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from relscore.exceptions import KnownCrisesError, Problem
from relscore.files.errors import reason
from relscore.vocabulary import date_in_range, did_you_mean, parse_dyad

CRISIS_COLUMNS = ("dyad", "start", "end", "what", "source")


def read_crises(path: str | Path) -> pd.DataFrame:
    """Read and check a known-crises file.

    Parameters
    ----------
    path : path
        A CSV file with the columns ``dyad, start, end, what, source``.

    Returns
    -------
    pandas.DataFrame
        One row per crisis, in file order: ``dyad`` (sorted, ``"GRC-TUR"``), ``start`` and
        ``end`` (datetime64), ``what``, ``source`` and ``line`` (the row's line in the file).

    Raises
    ------
    KnownCrisesError
        Listing every problem (a :class:`ValueError`): a missing or unknown column, a dyad
        that is not two ISO alpha-3 codes, a date that is not ``YYYY-MM-DD`` or lies
        outside 1800 ... 2100, an end before its start, an empty ``what`` or ``source``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "crises.csv"
    ...     _ = file.write_text("dyad,start,end,what,source\\n"
    ...         "TUR-GRC,1996-01-26,1996-01-31,Imia/Kardak standoff,a history of it\\n")
    ...     crises = read_crises(file)
    >>> crises[["dyad", "start", "end", "what", "line"]]
          dyad      start        end                  what  line
    0  GRC-TUR 1996-01-26 1996-01-31  Imia/Kardak standoff     2
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise KnownCrisesError([Problem(name, 1, "(file)", reason(exc))]) from None
    except UnicodeDecodeError:
        raise KnownCrisesError([Problem(name, 1, "(file)", "not UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(name, header)
    rows = []
    if not problems:
        line = reader.line_num + 1
        for record in reader:
            if any(field.strip() for field in record):
                row, found = _row(name, line, header, record)
                problems += found
                rows.append(row)
            line = reader.line_num + 1
    if problems:
        raise KnownCrisesError(problems)
    table = pd.DataFrame(rows, columns=[*CRISIS_COLUMNS, "line"])
    return table.astype({"start": "datetime64[s]", "end": "datetime64[s]", "line": "int64"})


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    if not header:
        return [Problem(name, 1, "(file)", "file is empty")]
    problems = [
        Problem(
            name,
            1,
            column or "(header)",
            f"unknown column {column!r}" + did_you_mean(column, CRISIS_COLUMNS),
        )
        for column in header
        if column not in CRISIS_COLUMNS
    ]
    problems += [
        Problem(name, 1, column, "required column is missing")
        for column in CRISIS_COLUMNS
        if column not in header
    ]
    return problems


def _row(name: str, line: int, header: list[str], record: list[str]) -> tuple[list, list]:
    if len(record) != len(header):
        problem = f"has {len(record)} fields, header has {len(header)}"
        return [None] * 5 + [line], [Problem(name, line, "(row)", problem)]
    fields = {h: v.strip() for h, v in zip(header, record, strict=True)}
    problems = []
    try:
        dyad = parse_dyad(fields["dyad"])
        if ">" in dyad:
            raise ValueError(
                f"a known crisis is between two states, undirected: {fields['dyad']!r}"
            )
    except ValueError as exc:
        dyad = None
        problems.append(Problem(name, line, "dyad", str(exc)))
    days = {}
    for column in ("start", "end"):
        value = fields[column]
        try:
            days[column] = pd.Timestamp(value) if len(value) == 10 else None
        except ValueError:
            days[column] = None
        if days[column] is None or not date_in_range(value):
            problems.append(
                Problem(name, line, column, f"not a date YYYY-MM-DD in 1800 ... 2100: {value!r}")
            )
            days[column] = None
    if days["start"] is not None and days["end"] is not None and days["end"] < days["start"]:
        problems.append(
            Problem(name, line, "end", f"{fields['end']} is before start {fields['start']}")
        )
    for column in ("what", "source"):
        if not fields[column]:
            problems.append(Problem(name, line, column, "must not be empty"))
    row = [dyad, days["start"], days["end"], fields["what"], fields["source"], line]
    return row, problems
