"""The words on the charts, built from the settings they describe, so that a changed default
changes the captions with it."""

from __future__ import annotations

import pandas as pd

from relscore.codebook import DEFAULT_SCHEME, QUAD_WEIGHTS, get_scheme
from relscore.index import DEFAULT_HALF_LIFE
from relscore.plot.style import EXAMPLE_CODES
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN


def signed(value: float) -> str:
    """A number with its sign, the minus a typographic one: ``signed(-10)`` is ``"−10"``."""
    return f"{value:+g}".replace("-", "−")


def _quad_weights() -> str:
    return (
        f"±{QUAD_WEIGHTS['verbal_cooperation']:g} words, "
        f"±{QUAD_WEIGHTS['material_cooperation']:g} deeds"
    )


def scheme_words(scheme=DEFAULT_SCHEME, *, default: str | None = DEFAULT_SCHEME) -> str:
    """A weight scheme in plain words, for a legend: what its weights are and what it adds.

    Parameters
    ----------
    scheme : str or Scheme
        A name in :data:`relscore.SCHEMES` or a :class:`relscore.Scheme`.
    default : str, optional
        The name of the default scheme, which gets "(default)"; None: no such mark.

    Returns
    -------
    str
        The words, then the scheme's name in brackets.

    Examples
    --------
    >>> for name in ("magnitude", "goldstein", "quad"):
    ...     print(scheme_words(name))
    Goldstein weights, deeds ×2, deaths scale up (default: 'magnitude')
    plain Goldstein weights ('goldstein')
    ±1 words, ±2 deeds ('quad')
    """
    s = get_scheme(scheme)
    words = [_quad_weights()] if s.weights_from == "quad" else ["Goldstein weights"]
    if s.material_factor != 1:
        words.append(f"deeds ×{s.material_factor:g}")
    if s.fatality_magnitude:
        words.append("deaths scale up")
    if words == ["Goldstein weights"]:
        words = ["plain Goldstein weights"]
    name = f"default: '{s.name}'" if s.name == default else f"'{s.name}'"
    return f"{', '.join(words)} ({name})"


def _times(factor: float) -> str:
    return "twice" if factor == 2 else f"{factor:g} times"


def scheme_does(scheme=DEFAULT_SCHEME) -> str:
    """What a weight scheme does to an event, as the predicate of a sentence that names it.

    Parameters
    ----------
    scheme : str or Scheme
        A name in :data:`relscore.SCHEMES` or a :class:`relscore.Scheme`.

    Examples
    --------
    >>> for name in ("magnitude", "goldstein", "quad"):
    ...     print(name, scheme_does(name))
    magnitude counts deeds twice words and scales an event by 1 + log10(1 + deaths)
    goldstein is plain net Goldstein
    quad scores ±1 words, ±2 deeds
    """
    s = get_scheme(scheme)
    does = [f"scores {_quad_weights()}"] if s.weights_from == "quad" else []
    if s.material_factor != 1:
        does.append(f"counts deeds {_times(s.material_factor)} words")
    if s.fatality_magnitude:
        does.append("scales an event by 1 + log10(1 + deaths)")
    return " and ".join(does) or "is plain net Goldstein"


def kernel_words(*, window: int | None = None, half_life: float | None = None) -> str:
    """A kernel in a few words, for a control or a command's report.

    Parameters
    ----------
    window : int, optional
        The rolling kernel's window (days); it wins over ``half_life``.
    half_life : float, optional
        The decay kernel's half-life (days); default :data:`relscore.DEFAULT_HALF_LIFE`,
        as for :func:`relscore.tension_index`.

    Examples
    --------
    >>> kernel_words(window=30), kernel_words(half_life=7), kernel_words()
    ('rolling, 30-day window', 'decay, half-life 7 days', 'decay, half-life 14 days')
    """
    if window:
        return f"rolling, {window:g}-day window"
    return f"decay, half-life {half_life or DEFAULT_HALF_LIFE:g} days"


def index_words(scheme=DEFAULT_SCHEME, half_life: float | None = DEFAULT_HALF_LIFE) -> str:
    """The tension index defined in plain words, for a chart's subtitle.

    Parameters
    ----------
    scheme : str or Scheme
        The weight scheme behind the index.
    half_life : float, optional
        The decay kernel's half-life (days); None for a series that does not fade.

    Examples
    --------
    >>> print(index_words("goldstein", 14))
    Above 0: more conflict than cooperation between the two governments; below 0: more
    cooperation. Each event is scored on the CAMEO/Goldstein scale (−10 most hostile … +10
    most friendly), and a day's score fades, halving every 14 days.
    """
    s = get_scheme(scheme)
    if s.weights_from == "quad":
        scored = (
            f"±{QUAD_WEIGHTS['verbal_cooperation']:g} for words and "
            f"±{QUAD_WEIGHTS['material_cooperation']:g} for deeds (CAMEO event classes)"
        )
    else:
        scored = (
            f"on the CAMEO/Goldstein scale ({signed(WEIGHT_MIN)} most hostile … "
            f"{signed(WEIGHT_MAX)} most friendly)"
        )
    extra = []
    if s.material_factor != 1:
        extra.append(f"deeds counting {_times(s.material_factor)} as much as words")
    if s.fatality_magnitude:
        extra.append("deadly events more")
    scored += "".join(f", {e}" for e in extra[:1]) + "".join(f" and {e}" for e in extra[1:])
    fades = f", and a day's score fades, halving every {half_life:g} days" if half_life else ""
    return (
        "Above 0: more conflict than cooperation between the two governments; below 0: more "
        f"cooperation. Each event is scored {scored}{fades}."
    )


def points_words(scheme=DEFAULT_SCHEME, overrides: dict[str, float] | None = None) -> str:
    """What one index point is, by example: what an air strike and a visit score.

    Parameters
    ----------
    scheme : str or Scheme
        The weight scheme; the scores come from :func:`relscore.code_events` under it.
    overrides : dict of str to float, optional
        Weight overrides (:func:`relscore.read_weights`); default none, the shipped weights.
        The scores follow them, so a caption says what the chart beside it plots.

    Examples
    --------
    >>> print(points_words("magnitude"))
    Index points: an air strike scores 20 (40 if it kills 9 people), a visit 1.9.
    >>> print(points_words("magnitude", {"195": -8.0}))
    Index points: an air strike scores 16 (32 if it kills 9 people), a visit 1.9.
    """
    from relscore.coding import code_events

    codes = [code for code, _ in EXAMPLE_CODES]
    coded = code_events(
        pd.DataFrame({"event_code": [*codes, codes[0]], "fatalities": [0.0] * len(codes) + [9.0]}),
        scheme,
        overrides,
    )
    score = (coded["conflict"] + coded["cooperation"]).to_numpy()
    (_, first), (_, second) = EXAMPLE_CODES
    deadly = f" ({score[-1]:.3g} if it kills 9 people)" if score[-1] != score[0] else ""
    return f"Index points: {first} scores {score[0]:.3g}{deadly}, {second} {score[1]:.3g}."


def weights_words(overrides: dict[str, float] | None, scheme=DEFAULT_SCHEME) -> str:
    """Which weights a figure or a notebook was built with, for its footer: empty for the
    shipped weights, else each override beside the weight it replaced.

    Parameters
    ----------
    overrides : dict of str to float or None
        Weight overrides (:func:`relscore.read_weights`).
    scheme : str or Scheme
        The scheme whose weights the overrides replace (the shipped value shown).

    Examples
    --------
    >>> weights_words({})
    ''
    >>> print(weights_words({"195": -8.0, "036": 5.0}))
    Weights: yours, not the shipped ones: "036" = +5 (shipped +4), "195" = −8 (shipped −10).
    """
    if not overrides:
        return ""
    from relscore.codebook import base_weights

    shipped = base_weights(scheme)
    listed = ", ".join(
        f'"{code}" = {signed(weight)} (shipped {signed(shipped[code])})'
        for code, weight in sorted(overrides.items())
    )
    return f"Weights: yours, not the shipped ones: {listed}."


def shade_words(shade: tuple[str, str], what: str = "crisis window") -> str:
    """A legend entry for a shaded window: what it is and its dates.

    Examples
    --------
    >>> shade_words(("2024-01-16", "2024-01-29"))
    'crisis window, 16–29 Jan 2024'
    """
    start, end = pd.Timestamp(shade[0]), pd.Timestamp(shade[1])
    if (start.year, start.month) == (end.year, end.month):
        return f"{what}, {start.day}–{end.day} {end:%b %Y}"
    return f"{what}, {start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
