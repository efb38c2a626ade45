"""Errors raised by relscore, each named for what went wrong, and the warning it gives on
input that it reads but that may not say what was meant."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BudgetError",
    "EventFileError",
    "FetchError",
    "IndexUpdateError",
    "InvalidEventsError",
    "KnownCrisesError",
    "OutputFileError",
    "Problem",
    "ProblemsError",
    "RelscoreError",
    "RelscoreWarning",
    "StoreError",
    "UncoveredCodesError",
    "UnknownDyadError",
    "UnknownSchemeError",
    "WeightsFileError",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    path : str
        The file, as the user named it.
    line : int
        Line number in the file; the header is line 1.
    column : str
        The column (or TOML key) at fault.
    message : str
        What is wrong, in a few words.

    Examples
    --------
    >>> problem = Problem("events.csv", 3, "date", "not a date in YYYY-MM-DD form")
    >>> print(problem)
    events.csv:3: date: not a date in YYYY-MM-DD form
    """

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"


class RelscoreError(Exception):
    """Base class of every error relscore raises on purpose.

    The errors of bad input (a file, a code, a scheme, a dyad or a weight that is wrong) are
    also :class:`ValueError`, so ``except ValueError`` catches them as it catches pandas'.

    Examples
    --------
    >>> import relscore
    >>> try:
    ...     relscore.get_scheme("goldstien")
    ... except RelscoreError as error:
    ...     print(type(error).__name__, isinstance(error, ValueError))
    UnknownSchemeError True
    """


class ProblemsError(RelscoreError, ValueError):
    """Input had problems; ``problems`` lists every one, in file and line order.

    Examples
    --------
    A coverage count that is negative, on line 3 of ``a.csv``:

    >>> import pandas as pd
    >>> import relscore
    >>> coded = pd.DataFrame({"conflict": [10.0, 0.0], "cooperation": [0.0, 4.0],
    ...     "num_mentions": [3, -1], "file": "a.csv", "line": [2, 3]})
    >>> try:
    ...     relscore.scale_by_coverage(coded, "num_mentions")
    ... except ProblemsError as error:
    ...     problems = error.problems
    >>> problems
    [Problem(path='a.csv', line=3, column='num_mentions', message='not a count >= 0')]
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidEventsError(ProblemsError):
    """One or more events files failed validation.

    Examples
    --------
    An impossible date and a code that lost its leading zero, on lines 3 and 4:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import relscore
    >>> events = pd.DataFrame({
    ...     "date": ["2024-01-16", "2024-02-30", "2024-01-29"],
    ...     "actor1": ["IRN", "PAK", "PAK"], "actor2": ["PAK", "IRN", "IRN"],
    ...     "event_code": ["195", "195", "36"],
    ...     "description": ["Strikes in Panjgur", "Strikes near Saravan", "Talks"],
    ...     "source": ["news"] * 3})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     events.to_csv(Path(folder) / "events.csv", index=False)
    ...     try:
    ...         relscore.read_events(Path(folder) / "events.csv")
    ...     except InvalidEventsError as error:
    ...         problems = error.problems
    >>> for problem in problems:
    ...     print(problem.line, problem.column, problem.message, sep=" | ")
    3 | date | not a date in YYYY-MM-DD form
    4 | event_code | unknown CAMEO event code '36'; did you mean '036'? (codes are strings:
    quote them, zeros kept)
    """


class WeightsFileError(ProblemsError):
    """A weights TOML file is broken, names an unknown code, or gives a bad weight.

    Examples
    --------
    >>> import relscore
    >>> try:
    ...     relscore.check_weights({"195": -12.0}, path="weights.toml")
    ... except WeightsFileError as error:
    ...     print(error)
    weights.toml:0: weights.195: weight -12.0 is outside -10...+10
    """


class KnownCrisesError(ProblemsError):
    """A known-crises file is unreadable, lacks a column, or has a bad dyad, date or field.

    Examples
    --------
    >>> import tempfile, relscore
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "crises.csv"
    ...     _ = file.write_text("dyad,start,end,what,source\\nGRC-TUR,1996-01-31,1996-01-26,x,y\\n")
    ...     try:
    ...         relscore.read_crises(file)
    ...     except KnownCrisesError as error:
    ...         print(error.problems[0].line, error.problems[0].column, error.problems[0].message)
    2 end 1996-01-26 is before start 1996-01-31
    """


class EventFileError(RelscoreError, ValueError):
    """An input file is missing, unreadable, or not the kind of file an importer reads.

    The message starts with the file's name.

    Examples
    --------
    >>> import relscore
    >>> relscore.read_gdelt("missing.CSV")
    Traceback (most recent call last):
    ...
    relscore.exceptions.EventFileError: missing.CSV: no such file
    """


class OutputFileError(RelscoreError):
    """An output file cannot be written (a folder, a read-only place, a full disk).

    The message starts with the file's name; the previous file of that name, if any, is
    left as it was.

    Examples
    --------
    An import told to write its events CSV onto a folder:

    >>> import tempfile
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         relscore.import_gdelt(sample, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.OutputFileError: ...: is a folder; name a file to write
    """


class StoreError(RelscoreError):
    """A folder is not a relscore event store, is one of another format or dedupe mode, is
    being written by another import, or holds a part that cannot be read or written.

    Examples
    --------
    >>> import tempfile
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     relscore.index_store(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.StoreError: ...: not a relscore event store (no _relscore_store.json)
    """


class FetchError(RelscoreError):
    """A file list that cannot be read, or a download that failed: the message names the
    URL or file and what went wrong.

    Examples
    --------
    A mirror, served on this machine, that holds no file list:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> from relscore.testing.mirror import serve
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (Path(folder) / "mirror").mkdir()
    ...     with serve(Path(folder) / "mirror") as url:
    ...         relscore.fetch_gdelt("2019-10-24", "2019-10-24", Path(folder) / "gdelt",
    ...                              base_url=url, retries=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.FetchError: http://127.0.0.1:.../masterfilelist.txt: HTTP 404 File not
    found
    """


class IndexUpdateError(RelscoreError):
    """An index folder that ``relscore update`` cannot bring up to date: not an updatable
    index, written with other settings than those asked for, or damaged.

    Examples
    --------
    An index folder built with the default 14-day half-life, then asked for 7 days:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store, index = Path(folder) / "store", Path(folder) / "index"
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         tally = relscore.import_to_store(sample, store)
    ...     run = relscore.update_index(store, index)
    ...     relscore.update_index(store, index, half_life=7)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    relscore.exceptions.IndexUpdateError: .../index: the index was computed with half_life=14.0,
    not 7.0; update it with its own settings, or index into a new folder
    """


class BudgetError(RelscoreError):
    """The work would need more memory or disk than there is (or than the user allowed).

    Examples
    --------
    A budget of 10,000 bytes: the store's month of 238 events needs 64 bytes each.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         tally = relscore.import_to_store(sample, Path(folder) / "store")
    ...     relscore.index_store(Path(folder) / "store", max_memory=10_000)
    Traceback (most recent call last):
    ...
    relscore.exceptions.BudgetError: reading month 2019-10 (238 events) needs about 0.00 GB of
    memory and the budget is 0.00 GB; raise --max-memory, or use --engine dask on a cluster
    """


class UncoveredCodesError(RelscoreError, ValueError):
    """Events carry codes for which the chosen weights give no weight.

    Examples
    --------
    >>> import pandas as pd
    >>> import relscore
    >>> events = pd.DataFrame({"event_code": ["195", "999"]})
    >>> relscore.code_events(events)
    Traceback (most recent call last):
    ...
    relscore.exceptions.UncoveredCodesError: no weight for event code(s): 999

    A weight of its own covers the event:

    >>> coded = relscore.code_events(events.assign(weight=[None, -5.0]))
    >>> coded[["event_code", "weight", "conflict"]]
      event_code  weight  conflict
    0        195   -10.0      20.0
    1        999    -5.0       5.0
    """

    def __init__(self, codes: list[str]):
        self.codes = sorted(codes)
        super().__init__("no weight for event code(s): " + ", ".join(self.codes))


class UnknownSchemeError(RelscoreError, ValueError):
    """A scoring scheme name that relscore does not know.

    Examples
    --------
    >>> import pandas as pd
    >>> import relscore
    >>> relscore.code_events(pd.DataFrame({"event_code": ["195"]}), scheme="Goldstein")
    Traceback (most recent call last):
    ...
    relscore.exceptions.UnknownSchemeError: unknown scheme 'Goldstein'; known: magnitude,
    goldstein, quad
    """


class UnknownDyadError(RelscoreError, ValueError):
    """A dyad was asked for that the data hold no event of.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> relscore.explain(events, "IND-PAK", "2024-01-18")
    Traceback (most recent call last):
    ...
    relscore.exceptions.UnknownDyadError: no events for dyad IND-PAK (dyads in the data: IRN-PAK)
    """

    def __init__(self, dyad: str, known: list[str]):
        self.dyad, self.known = dyad, list(known)
        shown = ", ".join(self.known[:12]) + (
            f", ... ({len(self.known)} in all)" if len(self.known) > 12 else ""
        )
        super().__init__(f"no events for dyad {dyad} (dyads in the data: {shown or 'none'})")


class RelscoreWarning(UserWarning):
    """Input that relscore reads and uses, but that may not say what was meant: a row that
    repeats an earlier row exactly, a code that may have lost its leading zero. The
    command line prints it as one ``relscore: warning: ...`` line.

    Examples
    --------
    >>> import tempfile, warnings
    >>> from pathlib import Path
    >>> import relscore
    >>> row = "2024-01-16,IRN,PAK,195,Strikes in Panjgur,news"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "events.csv"
    ...     _ = path.write_text("date,actor1,actor2,event_code,description,source\\n"
    ...                         + f"{row}\\n{row}\\n")
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         events = relscore.read_events(path)
    >>> len(events), caught[0].category.__name__
    (2, 'RelscoreWarning')
    """
