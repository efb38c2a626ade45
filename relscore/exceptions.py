"""Errors raised by relscore, each named for what went wrong."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BudgetError",
    "EventFileError",
    "FetchError",
    "IndexUpdateError",
    "InvalidEventsError",
    "OutputFileError",
    "Problem",
    "ProblemsError",
    "RelscoreError",
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
    """


class ProblemsError(RelscoreError, ValueError):
    """Input had problems; ``problems`` lists every one, in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidEventsError(ProblemsError):
    """One or more events files failed validation."""


class WeightsFileError(ProblemsError):
    """A weights TOML file is broken, names an unknown code, or gives a bad weight."""


class EventFileError(RelscoreError, ValueError):
    """An input file is missing, unreadable, or not the kind of file an importer reads.

    The message starts with the file's name.
    """


class OutputFileError(RelscoreError):
    """An output file cannot be written (a folder, a read-only place, a full disk).

    The message starts with the file's name; the previous file of that name, if any, is
    left as it was.
    """


class StoreError(RelscoreError):
    """A folder is not a relscore event store, is one of another format or dedupe mode, is
    being written by another import, or holds a part that cannot be read or written."""


class FetchError(RelscoreError):
    """A file list that cannot be read, or a download that failed: the message names the
    URL or file and what went wrong."""


class IndexUpdateError(RelscoreError):
    """An index folder that ``relscore update`` cannot bring up to date: not an updatable
    index, written with other settings than those asked for, or damaged."""


class BudgetError(RelscoreError):
    """The work would need more memory or disk than there is (or than the user allowed)."""


class UncoveredCodesError(RelscoreError, ValueError):
    """Events carry codes for which the chosen weights give no weight."""

    def __init__(self, codes: list[str]):
        self.codes = sorted(codes)
        super().__init__("no weight for event code(s): " + ", ".join(self.codes))


class UnknownSchemeError(RelscoreError, ValueError):
    """A scoring scheme name that relscore does not know."""


class UnknownDyadError(RelscoreError, ValueError):
    """A dyad was asked for that the data hold no event of."""

    def __init__(self, dyad: str, known: list[str]):
        self.dyad, self.known = dyad, list(known)
        shown = ", ".join(self.known[:12]) + (
            f", ... ({len(self.known)} in all)" if len(self.known) > 12 else ""
        )
        super().__init__(f"no events for dyad {dyad} (dyads in the data: {shown or 'none'})")
