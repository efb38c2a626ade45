"""Find a CAMEO code by words: in its name, in a small table of the words news reports use
(``relscore/data/code_synonyms.csv``) and in the CAMEO manual's description, usage notes and
example of each code (``relscore/data/cameo_manual.csv``; see ``data/reference/README.md``).

The synonym table is hand-made: each row maps an everyday word ("air", "border", "clash") to the
codes whose definition in the CAMEO manual covers it, and says why in its ``why`` column.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd

from relscore.codebook import DEFAULT_SCHEME, Scheme, weights_table

# Points a search word earns a code, by where it is found (a code's own number wins outright).
WHERE = {"name": 8.0, "synonym": 6.0, "description": 3.0, "usage notes": 1.0, "example": 0.5}
_SUFFIXES = ("ings", "ing", "ies", "ed", "es", "s")
FOUND_COLUMNS = ["code", "description", "weight", "quad_class", "found_in", "score"]


def _stem(word: str) -> str:
    """A word without its plural or verb ending, or a final e: "clashes" and "clashed" ->
    "clash", "closed" and "close" -> "clos"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", str(text).lower())}


def _read(name: str) -> pd.DataFrame:
    with resources.files("relscore.data").joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@cache
def _texts() -> dict[str, pd.Series]:
    """Where to look -> for each code, its word stems there and the points each earns."""
    manual = _read("cameo_manual.csv").set_index("code")
    names = weights_table()["description"]
    found = {
        "name": names,
        "description": manual["description"],
        "usage notes": manual["usage_notes"],
        "example": manual["example"],
    }
    texts = {
        where: text.map(lambda t, where=where: dict.fromkeys(_words(t), WHERE[where]))
        for where, text in found.items()
    }
    # A synonym's codes are listed most likely first: each later one earns a little less.
    synonyms: dict[str, dict[str, float]] = {code: {} for code in names.index}
    for row in _read("code_synonyms.csv").itertuples():
        for at, code in enumerate(row.codes.split()):
            synonyms[code][_stem(row.word)] = WHERE["synonym"] - 0.25 * at
    return {"name": texts["name"], "synonym": pd.Series(synonyms)} | {
        where: texts[where] for where in ("description", "usage notes", "example")
    }


def find_codes(
    search: str,
    scheme: str | Scheme = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    limit: int | None = 10,
) -> pd.DataFrame:
    """CAMEO codes that match ``search``, best first, with the weight and class of each.

    Each word of ``search`` (plural and verb endings ignored) earns a code points by where it
    is found: the code's name (8), the synonym table of news words (6, a little less for the
    later codes of a word), the CAMEO manual's description (3), usage notes (1) or example
    sentence (0.5). The sum is scaled by the share of the words the code matched, so a code
    that matches every word comes first. A word that is a code, or a code's first digits,
    matches that code above everything else. Ties go to the lower code.

    Parameters
    ----------
    search : str
        Words ("air strike", "border clash") or a code ("195", "19").
    scheme : str or Scheme
        The scheme whose weights are shown (default :data:`relscore.DEFAULT_SCHEME`).
    overrides : dict of str to float, optional
        Weight overrides (:func:`relscore.read_weights`), shown in the ``weight`` column.
    limit : int or None
        At most this many codes (None: every match).

    Returns
    -------
    pandas.DataFrame
        ``code``, ``description`` (the code's name), ``weight`` (Goldstein scale, after
        ``overrides``), ``quad_class``, ``found_in`` (where the words matched) and ``score``;
        empty when nothing matches.

    Examples
    --------
    >>> find_codes("border clash", limit=3)[["code", "weight", "quad_class", "found_in"]]
      code  weight         quad_class          found_in
    0  193   -10.0  material_conflict           synonym
    1  190   -10.0  material_conflict  synonym, example
    2  194   -10.0  material_conflict  synonym, example
    """
    table = weights_table(scheme, overrides)
    words = sorted(_words(search))
    score = pd.Series(0.0, index=table.index)
    matched = pd.DataFrame(False, index=table.index, columns=words)
    found = pd.Series([[] for _ in table.index], index=table.index, dtype=object)
    for where, stems in _texts().items():
        stems = stems.reindex(table.index)
        points = stems.map(lambda s: sum(s.get(w, 0.0) for w in words) if s else 0.0)
        score += points
        for word in words:
            matched[word] |= stems.map(lambda s, word=word: bool(s) and word in s)
        for code in points.index[points > 0]:
            found[code] = [*found[code], where]
    if words:
        score *= matched.sum(axis=1) / len(words)
    for word in (w for w in re.findall(r"\d+", search)):
        numbered = table.index.str.startswith(word)
        score[numbered] += 100.0 + 10.0 * (table.index[numbered] == word)
        for code in table.index[numbered]:
            found[code] = ["code", *found[code]]
    result = table.assign(found_in=found.map(", ".join), score=score)[score > 0]
    result = result.rename_axis("code").reset_index()
    result = result.sort_values(["score", "code"], ascending=[False, True], ignore_index=True)
    result = result[FOUND_COLUMNS]
    return result if limit is None else result.head(limit)
