"""The CAMEO codebook, weight schemes and the checks on weight overrides (pure; the
TOML reader is :mod:`relscore.readers.weights`).

Weights are on the Goldstein scale: -10 (most conflictual) ... +10 (most cooperative).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from relscore.exceptions import Problem, UnknownSchemeError, WeightsFileError
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN, did_you_mean

MATERIAL_CLASSES = ("material_cooperation", "material_conflict")
QUAD_WEIGHTS = {
    "verbal_cooperation": 1.0,
    "material_cooperation": 2.0,
    "verbal_conflict": -1.0,
    "material_conflict": -2.0,
}


@dataclass(frozen=True)
class Scheme:
    """How one event is scored.

    Attributes
    ----------
    name : str
        The name used on the command line (``--scheme``).
    weights_from : {"goldstein", "quad"}
        Where a code's weight comes from: its GDELT Goldstein value, or +-1 (verbal) /
        +-2 (material) by its quad class.
    material_factor : float
        Multiplier for material events (deeds) relative to verbal ones (words).
    fatality_magnitude : bool
        Whether an event's contribution is multiplied by ``1 + log10(1 + fatalities)``.

    Examples
    --------
    A scheme of one's own: Goldstein weights, deeds three times words, deaths not counted.

    >>> import pandas as pd
    >>> import relscore
    >>> deeds = Scheme("deeds", "goldstein", material_factor=3.0)
    >>> events = pd.DataFrame({"event_code": ["112", "195"]})
    >>> relscore.code_events(events, deeds)[["event_code", "weight", "conflict"]]
      event_code  weight  conflict
    0        112    -2.0       2.0
    1        195   -10.0      30.0
    """

    name: str
    weights_from: str
    material_factor: float = 1.0
    fatality_magnitude: bool = False


SCHEMES = {
    s.name: s
    for s in (
        Scheme("magnitude", "goldstein", material_factor=2.0, fatality_magnitude=True),
        Scheme("goldstein", "goldstein"),
        Scheme("quad", "quad"),
    )
}
DEFAULT_SCHEME = "magnitude"


def get_scheme(scheme: str | Scheme) -> Scheme:
    """Return the :class:`Scheme` named ``scheme`` (or ``scheme`` itself).

    Examples
    --------
    >>> get_scheme("quad")
    Scheme(name='quad', weights_from='quad', material_factor=1.0, fatality_magnitude=False)
    >>> get_scheme("goldstien")
    Traceback (most recent call last):
    ...
    relscore.exceptions.UnknownSchemeError: unknown scheme 'goldstien'; known: magnitude,
    goldstein, quad
    """
    if isinstance(scheme, Scheme):
        return scheme
    try:
        return SCHEMES[scheme]
    except KeyError:
        known = ", ".join(SCHEMES)
        raise UnknownSchemeError(f"unknown scheme {scheme!r}; known: {known}") from None


@cache
def _codebook() -> pd.DataFrame:
    with resources.files("relscore.data").joinpath("cameo_codebook.csv").open("rb") as fh:
        book = pd.read_csv(fh, dtype={"code": str, "root": str, "quad_class": str})
    return book.set_index("code", drop=False)


def load_codebook() -> pd.DataFrame:
    """Return the CAMEO codebook shipped with relscore.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``, one row per CAMEO event code (2, 3 or 4 digits, as strings),
        with columns ``code``, ``root``, ``quad_class`` (verbal/material x
        cooperation/conflict, GDELT's split of roots), ``goldstein`` (-10 ... +10) and
        ``description``.

    Examples
    --------
    >>> book = load_codebook()
    >>> len(book)
    311
    >>> book.loc[["036", "195"], ["root", "quad_class", "goldstein", "description"]]
         root          quad_class  goldstein                          description
    code
    036    03  verbal_cooperation        4.0  Express intent to meet or negotiate
    195    19   material_conflict      -10.0                Employ aerial weapons
    """
    return _codebook().copy()


def base_weights(scheme: str | Scheme = DEFAULT_SCHEME) -> pd.Series:
    """Weight of every CAMEO code under ``scheme``, before user overrides (Goldstein scale).

    Examples
    --------
    >>> base_weights().loc[["036", "195"]]  # magnitude: the Goldstein values
    code
    036     4.0
    195   -10.0
    Name: weight, dtype: float64
    >>> base_weights("quad").loc[["036", "195"]]  # +-1 for words, +-2 for deeds
    code
    036    1.0
    195   -2.0
    Name: weight, dtype: float64
    """
    book = _codebook()
    if get_scheme(scheme).weights_from == "quad":
        return book["quad_class"].map(QUAD_WEIGHTS).rename("weight")
    return book["goldstein"].astype(float).rename("weight")


def check_weights(overrides: dict[str, float], path: str = "<weights>") -> dict[str, float]:
    """Check weight overrides given in code; raise :class:`WeightsFileError` if any is bad.

    Parameters
    ----------
    overrides : dict of str to float
        CAMEO code (string, e.g. ``"036"``) to weight on the Goldstein scale (-10 ... +10).
    path : str
        Name used in error messages.

    Examples
    --------
    >>> check_weights({"195": -8, "036": 3.5})
    {'195': -8.0, '036': 3.5}
    >>> check_weights({"36": 3.5})
    Traceback (most recent call last):
    ...
    relscore.exceptions.WeightsFileError: <weights>:0: weights.36: unknown CAMEO event code
    '36'; did you mean '036'? (codes are strings: quote them, zeros kept)
    """
    problems = [p for code, w in overrides.items() for p in weight_problems(code, w, path, 0)]
    if problems:
        raise WeightsFileError(problems)
    return {code: float(w) for code, w in overrides.items()}


def code_hint(code: str) -> str:
    """A hint for an unknown code: one that lost its leading zeros (``36`` for ``036``), a
    TOML number written for a string, or a near miss.

    >>> code_hint("36"), code_hint("1955")
    ("; did you mean '036'? (codes are strings: quote them, zeros kept)", "; did you mean '195'?")
    """
    known = _codebook().index
    padded = [c for c in (code.zfill(3), code.zfill(4)) if code.isdigit() and c in known]
    if padded:
        return f"; did you mean {padded[0]!r}? (codes are strings: quote them, zeros kept)"
    return did_you_mean(code, known, cutoff=0.75) if len(code) >= 3 else ""


def weight_problems(code, weight, path: str, line: int) -> list[Problem]:
    where = f"weights.{code}"
    if code not in _codebook().index:
        hint = code_hint(str(code))
        return [Problem(path, line, where, f"unknown CAMEO event code {code!r}{hint}")]
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        return [Problem(path, line, where, f"weight must be a number, got {weight!r}")]
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        return [Problem(path, line, where, f"weight {weight} is outside -10...+10")]
    return []


def weights_table(
    scheme: str | Scheme = DEFAULT_SCHEME, overrides: dict[str, float] | None = None
) -> pd.DataFrame:
    """Every code's weight under ``scheme`` with ``overrides`` applied, and where it came from.

    Returns
    -------
    pandas.DataFrame
        Indexed by code, with ``weight`` (Goldstein scale), ``origin`` (``"scheme"`` or
        ``"override"``), ``quad_class`` and ``description``.

    Examples
    --------
    >>> table = weights_table("goldstein", {"195": -8.0})
    >>> table.loc[["036", "195"], ["weight", "origin", "quad_class"]]
          weight    origin          quad_class
    code
    036      4.0    scheme  verbal_cooperation
    195     -8.0  override   material_conflict
    """
    overrides = check_weights(overrides or {})
    book = _codebook()
    table = book[["quad_class", "description"]].assign(weight=base_weights(scheme), origin="scheme")
    if overrides:
        codes = list(overrides)
        table.loc[codes, "weight"] = list(overrides.values())
        table.loc[codes, "origin"] = "override"
    return table[["weight", "origin", "quad_class", "description"]]
