"""GDELT's file lists, read: which event files there are, their sizes, MD5 sums and dates.

GDELT 2.0 lists every file in one append-only ``masterfilelist.txt``, a ``SIZE MD5 URL``
line per file (three per 15-minute slot: ``.export``, ``.mentions`` and ``.gkg``; only the
``export`` files hold events). GDELT 1.0 lists its event files in two files, ``md5sums``
(``MD5  NAME``, as ``md5sum`` writes it) and ``filesizes`` (``SIZE NAME``), and names them
by the time they cover: a day (``YYYYMMDD.export.CSV.zip``, from 2013-04-01), a month
(``YYYYMM.zip``, 2006-01 to 2013-03) or a year (``YYYY.zip``, 1979 to 2005).

Everything here is a pure function of the lists' text. A line that does not parse is never
dropped silently: it becomes a :class:`ListProblem` naming the list and the line, which the
fetch counts as failed unless the line names a file outside the dates asked for.

Examples
--------
>>> text = (
...     "150383 297a16b493de7cf6ca809a7cc31d0b93 "
...     "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\\n"
...     "318084 bb27f78ba45f69a17ea6ed7755e9f8ff "
...     "http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\\n"
...     "oops\\n"
... )
>>> files = parse_master_list(text)
>>> [(e.name, e.size, str(e.first)) for e in files.entries]
[('20150218230000.export.CSV.zip', 150383, '2015-02-18')]
>>> print(files.problems[0])
masterfilelist.txt:3: expected SIZE MD5 URL, got 'oops'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MASTER_LIST = "masterfilelist.txt"  # GDELT 2.0
MD5SUMS, FILESIZES = "md5sums", "filesizes"  # GDELT 1.0
DEFAULT_BASE_URL = {
    2: "https://data.gdeltproject.org/gdeltv2/",
    1: "https://data.gdeltproject.org/events/",
}

# The names of event files, and what their digits are: a 15-minute slot or a day
# (``.export.CSV.zip``), a month or a year (``.zip``, GDELT 1.0 before 2013-04).
_EVENT_NAME = re.compile(r"(\d{14}|\d{8})\.export\.CSV\.zip|(\d{6}|\d{4})\.zip")
_NAME_IN_TEXT = re.compile(r"(?<![\w.])(?:(?:\d{14}|\d{8})\.export\.CSV|\d{6}|\d{4})\.zip")
# A 2.0 line of an export file, and a line of any file (everything else is a problem).
_V2_EXPORT = re.compile(
    r"^(\d+) ([0-9a-fA-F]{32}) ((?:\S*/)?((\d{14})\.export\.CSV\.zip))\r?$", re.MULTILINE
)
_V2_BAD = re.compile(r"^(?!\d+ [0-9a-fA-F]{32} \S+\r?$)(.*\S.*)$", re.MULTILINE)
_MD5_LINE = re.compile(r"([0-9a-fA-F]{32}) [ *](\S+)")
_SIZE_LINE = re.compile(r"(\d+)\s+(\S+)")
_LIST_LINES = {
    MASTER_LIST: ("SIZE MD5 URL", re.compile(r"\d+ [0-9a-fA-F]{32} \S+")),
    MD5SUMS: ("MD5  NAME", _MD5_LINE),
    FILESIZES: ("SIZE NAME", _SIZE_LINE),
}


def check_base_url(url: str) -> str:
    """``url``, if it can be where a mirror's lists are: ``http://`` or ``https://`` and a
    host; ValueError otherwise (an empty one too: GDELT's own host is used only when no
    base URL is given at all, never in place of a mirror that was meant).

    >>> check_base_url("http://127.0.0.1:8000/gdeltv2/")
    'http://127.0.0.1:8000/gdeltv2/'
    >>> check_base_url("")
    Traceback (most recent call last):
    ValueError: not an http:// or https:// address with a host: ''
    """
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    if scheme.lower() not in ("http", "https") or not host or any(c.isspace() for c in url):
        raise ValueError(f"not an http:// or https:// address with a host: {url!r}")
    return url


@dataclass(frozen=True)
class Entry:
    """One event file of a list.

    Attributes
    ----------
    name : str
        The file's name, e.g. ``20150218230000.export.CSV.zip``.
    url : str
        Where the list says it is (GDELT's host; a mirror serves the same ``name``).
    size : int
        Bytes.
    md5 : str
        MD5 of its bytes, 32 lower-case hex digits.
    first, last : datetime.date
        The dates (UTC) it covers: one day, or a month or year of GDELT 1.0.
    """

    name: str
    url: str
    size: int
    md5: str
    first: dt.date
    last: dt.date

    def meets(self, since: dt.date, until: dt.date) -> bool:
        """Whether the file covers a date of ``since ... until`` (inclusive)."""
        return self.first <= until and self.last >= since


@dataclass(frozen=True)
class ListProblem:
    """A line of a list that does not parse (or a file only one 1.0 list names).

    ``first`` and ``last`` are the dates of the file the line seems to name, None if that
    cannot be told (then it counts as in every range).
    """

    where: str
    line: int
    message: str
    first: dt.date | None = None
    last: dt.date | None = None

    def meets(self, since: dt.date, until: dt.date) -> bool:
        """Whether the line may name a file of ``since ... until``."""
        if self.first is None or self.last is None:
            return True
        return self.first <= until and self.last >= since

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}"


@dataclass(frozen=True)
class FileList:
    """What a list holds: the event files, the problems, and the first and last date of
    any event file it lists (None for a list of none)."""

    entries: tuple[Entry, ...]
    problems: tuple[ListProblem, ...]
    last: dt.date | None
    first: dt.date | None = None
    bad: int = 0  # lines of the whole list that do not parse (in the dates asked for or not)


def event_dates(name: str) -> tuple[dt.date, dt.date] | None:
    """The first and last date an event file of this name covers; None if the name is not
    an event file's (a mentions or GKG file, a file of several years, a typo).

    >>> event_dates("20191024143000.export.CSV.zip")
    (datetime.date(2019, 10, 24), datetime.date(2019, 10, 24))
    >>> [str(d) for d in event_dates("200602.zip")]
    ['2006-02-01', '2006-02-28']
    >>> event_dates("20191024143000.gkg.csv.zip") is None
    True
    """
    match = _EVENT_NAME.fullmatch(name)
    if match is None:
        return None
    digits = match[1] or match[2]
    try:
        if len(digits) >= 8:
            day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
            if len(digits) == 14:
                dt.time(int(digits[8:10]), int(digits[10:12]), int(digits[12:14]))
            return day, day
        if len(digits) == 6:
            year, month = int(digits[:4]), int(digits[4:])
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        return dt.date(int(digits), 1, 1), dt.date(int(digits), 12, 31)
    except ValueError:  # month 13, 30 February, hour 25: not a file GDELT writes
        return None


def _shown(line: str) -> str:
    """A line as a problem quotes it: in quotes, cut to 120 characters."""
    return repr(line if len(line) <= 120 else line[:117] + "...")


def _problem(where: str, number: int, message: str, line: str) -> ListProblem:
    """A line that does not parse, with the dates of the file it seems to name."""
    found = _NAME_IN_TEXT.search(line)
    dates = event_dates(found[0]) if found else None
    first, last = dates if dates else (None, None)
    return ListProblem(where, number, message, first, last)


def _stamp(day: dt.date | None) -> str | None:
    return None if day is None else f"{day:%Y%m%d}"


def parse_master_list(
    text: str,
    where: str = MASTER_LIST,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> FileList:
    """The export files and the problems of a GDELT 2.0 ``masterfilelist.txt``.

    Parameters
    ----------
    text : str
        The list (``SIZE MD5 URL`` lines).
    where : str
        The list's name in problems.
    since, until : datetime.date, optional
        Keep only the entries and problems that meet this range (as :func:`entries_between`): the
        full list holds millions of files, of which a fetch wants a few.

    Returns
    -------
    FileList
        Entries in list order; ``last`` is the last date of any export file listed.
    """
    low, high = _stamp(since) or "0", _stamp(until) or "99999999"
    entries, first, last, bad = [], "99999999", "", []
    # One regular expression over the whole text: a million lines in about a second.
    for match in _V2_EXPORT.finditer(text):
        stamp = match[5]
        last = max(last, stamp[:8])
        first = min(first, stamp[:8])
        if low <= stamp[:8] <= high:
            dates = event_dates(match[4])
            if dates is not None:
                md5 = match[2].lower()
                entries.append(Entry(match[4], match[3], int(match[1]), md5, *dates))
            else:  # 20151399...: a slot of no calendar
                bad.append((match.start(), f"not a date and time: {match[4]!r}"))
    bad += [
        (m.start(), f"expected SIZE MD5 URL, got {_shown(m[1].rstrip(chr(13)))}")
        for m in _V2_BAD.finditer(text)
    ]
    problems = []
    at, number = 0, 1
    for start, message in sorted(bad):
        number += text.count("\n", at, start)
        at = start
        problems.append(_problem(where, number, message, text[start : text.find("\n", start)]))
    n_bad = len(problems)
    if since is not None and until is not None:
        problems = [p for p in problems if p.meets(since, until)]
    return FileList(
        tuple(entries), tuple(problems), _date(last), _date(first if last else ""), n_bad
    )


def _date(stamp: str) -> dt.date | None:
    """``YYYYMMDD`` as a date; None for none, or for a stamp that is no date (a problem of
    its own: no coverage is known)."""
    try:
        return dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:])) if stamp else None
    except ValueError:
        return None


def parse_v1_lists(
    md5sums: str,
    filesizes: str,
    url_base: str = DEFAULT_BASE_URL[1],
    where: tuple[str, str] = (MD5SUMS, FILESIZES),
) -> FileList:
    """The event files and the problems of GDELT 1.0's ``md5sums`` and ``filesizes``.

    Names that are not event files of a date (``GDELT.MASTERREDUCEDV2.1979-2013.zip``)
    are left out; an event file that only one list names is a problem.

    >>> files = parse_v1_lists(
    ...     "0123456789abcdef0123456789abcdef  20130401.export.CSV.zip\\n",
    ...     "5119043 20130401.export.CSV.zip\\n1024 GDELT.MASTERREDUCEDV2.1979-2013.zip\\n",
    ... )
    >>> files.entries[0].url
    'https://data.gdeltproject.org/events/20130401.export.CSV.zip'
    >>> files.problems, str(files.last)
    ((), '2013-04-01')
    """
    problems: list[ListProblem] = []

    def pairs(text: str, pattern: re.Pattern, expected: str, name: str) -> dict[str, tuple]:
        found = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            match = pattern.fullmatch(line.strip())
            if match is None:
                message = f"expected {expected}, got {_shown(line)}"
                problems.append(_problem(name, number, message, line))
            elif event_dates(match[2]) is not None:
                found[match[2]] = (match[1], number)
        return found

    sums = pairs(md5sums, _MD5_LINE, "MD5  NAME", where[0])
    sizes = pairs(filesizes, _SIZE_LINE, "SIZE NAME", where[1])
    entries = []
    for name in sorted(sums.keys() | sizes.keys()):
        first, last = event_dates(name)
        if name not in sizes or name not in sums:
            listed, other = (0, 1) if name in sums else (1, 0)
            number = (sums if name in sums else sizes)[name][1]
            message = f"{name} is not in {where[other]}: its size or MD5 is not known"
            problems.append(ListProblem(where[listed], number, message, first, last))
            continue
        md5, size = sums[name][0].lower(), int(sizes[name][0])
        entries.append(Entry(name, url_base + name, size, md5, first, last))
    last = max((e.last for e in entries), default=None)
    first = min((e.first for e in entries), default=None)
    problems.sort(key=lambda p: (p.where, p.line))
    return FileList(tuple(entries), tuple(problems), last, first, len(problems))


def list_trouble(text: str, kind: str = MASTER_LIST, bad: int | None = None) -> str | None:
    """Why ``text`` is not a GDELT file list of ``kind`` (``masterfilelist.txt``,
    ``md5sums`` or ``filesizes``), in a few words; None if it is one. A list is one if its
    first line is a line of the list and most of its lines are (a few odd lines are
    problems of the list, named line by line): an error page or an empty answer is not.
    ``bad``: the lines that are not, if counted already (:attr:`FileList.bad`).

    >>> list_trouble("<!DOCTYPE html>\\n<title>502 Bad Gateway</title>\\n")
    "its first line is '<!DOCTYPE html>', not SIZE MD5 URL"
    >>> list_trouble("1 0123456789abcdef0123456789abcdef http://x/a.zip\\n") is None
    True
    """
    expected, line = _LIST_LINES[kind]
    first = text.lstrip().partition("\n")[0]
    if not first:
        return "it is empty"
    if not line.fullmatch(first.strip()):
        return f"its first line is {_shown(first.rstrip())}, not {expected}"
    n_lines = text.count("\n") + (not text.endswith("\n"))
    if bad is None:
        bad = sum(1 for t in text.splitlines() if t.strip() and not line.fullmatch(t.strip()))
    if bad > n_lines // 2:
        return f"{bad} of its {n_lines} lines are not {expected}"
    return None


def entries_between(
    files: FileList, since: dt.date, until: dt.date
) -> tuple[list[Entry], list[ListProblem]]:
    """The entries whose dates meet ``since ... until`` (inclusive), and the problems
    that may name such a file (those whose date cannot be told included).

    >>> files = parse_master_list(
    ...     "1 0123456789abcdef0123456789abcdef http://x/20150218230000.export.CSV.zip\\n"
    ...     "1 0123456789abcdef0123456789abcdef http://x/20150219000000.export.CSV.zip\\n"
    ...     "2 bad http://x/20150301000000.export.CSV.zip\\n"
    ... )
    >>> entries, problems = entries_between(files, dt.date(2015, 2, 19), dt.date(2015, 2, 28))
    >>> [e.name for e in entries], problems
    (['20150219000000.export.CSV.zip'], [])
    """
    entries = [e for e in files.entries if e.meets(since, until)]
    return entries, [p for p in files.problems if p.meets(since, until)]
