"""The range of every value relscore reads, in one place.

===================  ===========================  ==========================================
value                accepted                     outside it
===================  ===========================  ==========================================
event date           1800-01-01 ... 2100-12-31    events CSV: a problem on its line; GDELT,
                                                  ICEWS: the row is skipped as "bad date";
                                                  ``--start``/``--end``/``--since``/``--until``:
                                                  a usage error
fatalities           whole number 0 ... 10**7     a problem on its line
weight               finite, -10 ... +10          a problem on its line (events CSV, TOML)
===================  ===========================  ==========================================

The date range holds every event relscore is meant for (the oldest bundled event is from
the 1940s) and bounds a daily calendar at about 110,000 days, so no date typed by mistake
(``0019-10-24``, ``20190-10-24``) can ask for gigabytes of empty days. Ten million deaths is
above any single event on record; a larger number is a typo or a units mix-up.
"""

from __future__ import annotations

import numpy as np

from relscore.codebook import WEIGHT_MAX, WEIGHT_MIN

DATE_MIN, DATE_MAX = "1800-01-01", "2100-12-31"
# The same bounds as days since 1970-01-01.
DAY_MIN = int(np.datetime64(DATE_MIN, "D").astype(np.int64))
DAY_MAX = int(np.datetime64(DATE_MAX, "D").astype(np.int64))
FATALITIES_MAX = 10_000_000

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "DAY_MAX",
    "DAY_MIN",
    "FATALITIES_MAX",
    "WEIGHT_MAX",
    "WEIGHT_MIN",
]


def date_in_range(text: str) -> bool:
    """Whether an ISO date ``YYYY-MM-DD`` lies within :data:`DATE_MIN` ... :data:`DATE_MAX`.

    >>> date_in_range("2019-10-24"), date_in_range("0001-01-01")
    (True, False)
    """
    return DATE_MIN <= text <= DATE_MAX
