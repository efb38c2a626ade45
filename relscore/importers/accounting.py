"""Row accounting: every row read is kept, a duplicate, or skipped for a named reason.

``read = kept + duplicates + skipped`` holds exactly, and each skipped row is counted once,
under the first of :data:`SKIP_REASONS` that applies to it (the order below). Blank lines
are not rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

KEEP = 0  # reason code of a row that is not skipped
SKIP_REASONS = (
    "wrong number of columns",  # a truncated or run-together line
    "bad event id",  # GLOBALEVENTID / Event ID not a whole number
    "bad date",  # SQLDATE / Event Date not a real date
    "unknown event code",  # not a CAMEO code of relscore's codebook
    "no country",  # an actor without a country code (GDELT) or name (ICEWS)
    "regional actor",  # a CAMEO region (EUR, AFR, MEA, ...) is not a state
    "not an ISO 3166 country",  # a code or name that maps to no ISO alpha-3 state
    "same country",  # both actors in one country: not a dyad
    "outside --since/--until",
    "not the --dyad",
)
(
    BAD_COLUMNS,
    BAD_ID,
    BAD_DATE,
    BAD_CODE,
    NO_COUNTRY,
    REGIONAL,
    NOT_ISO,
    SAME_COUNTRY,
    OUT_OF_RANGE,
    OTHER_DYAD,
) = range(1, len(SKIP_REASONS) + 1)


def first_reason(checks: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Each row's first reason to skip it, :data:`KEEP` if none applies.

    ``checks`` pairs a mask of the rows a reason applies to with the reason's code, in
    :data:`SKIP_REASONS` order.
    """
    return np.select([mask for mask, _ in checks], [code for _, code in checks], KEEP).astype(
        np.uint8
    )


@dataclass
class Tally:
    """Counts for one import.

    Attributes
    ----------
    read : int
        Rows read (non-blank lines, headers excluded).
    kept, duplicates : int
        Rows written, and rows left out as duplicates of a kept row.
    skipped : collections.Counter
        Skipped rows per reason (a text of :data:`SKIP_REASONS`).
    unmatched : collections.Counter
        Actor codes or country names that map to no state, with their number of rows.
    unmatched_label : str
        What those are, for the report ("unmatched actor codes").
    notes : list of str
        Anything else the report should say (temporary files of a killed run removed).

    Examples
    --------
    What became of the 2,111 rows of the bundled GDELT sample:

    >>> import relscore
    >>> with relscore.datasets.gdelt_sample() as sample:
    ...     events, tally = relscore.read_gdelt(sample)
    >>> tally.read == tally.kept + tally.duplicates + tally.n_skipped
    True
    >>> for line in tally.lines():
    ...     print(line)
    read=2111 kept=242 duplicates=180 skipped=1689
      no country: 1521
      regional actor: 47
      same country: 121
    """

    read: int = 0
    kept: int = 0
    duplicates: int = 0
    skipped: Counter = field(default_factory=Counter)
    unmatched: Counter = field(default_factory=Counter)
    unmatched_label: str = "unmatched"
    notes: list = field(default_factory=list)

    def add(self, reason: np.ndarray, n_kept: int) -> None:
        """Count one block: ``reason`` (a code per row, :data:`KEEP` for rows not skipped)
        and how many of the rows not skipped were kept."""
        counts = np.bincount(reason, minlength=len(SKIP_REASONS) + 1)
        self.read += len(reason)
        self.kept += n_kept
        self.duplicates += int(counts[KEEP]) - n_kept
        for code in np.flatnonzero(counts[1:]) + 1:
            self.skipped[SKIP_REASONS[code - 1]] += int(counts[code])

    @property
    def n_skipped(self) -> int:
        """Skipped rows, all reasons together."""
        return sum(self.skipped.values())

    def lines(self, most: int = 20) -> list[str]:
        """The report: ``read=N kept=K duplicates=D skipped=S``, one line per skip reason
        (in :data:`SKIP_REASONS` order), and one listing the ``most`` frequent unmatched
        codes or names with their rows."""
        lines = [
            f"read={self.read} kept={self.kept} duplicates={self.duplicates} "
            f"skipped={self.n_skipped}"
        ]
        lines += [f"  {r}: {self.skipped[r]}" for r in SKIP_REASONS if self.skipped[r]]
        if self.unmatched:
            common = self.unmatched.most_common(most)
            listed = ", ".join(f"{k} ({n})" for k, n in common)
            if len(self.unmatched) > most:
                listed += f", and {len(self.unmatched) - most} more"
            lines.append(f"  {self.unmatched_label}: {listed}")
        return lines + [f"  {note}" for note in self.notes]
