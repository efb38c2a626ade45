"""Read a user's weight overrides from a TOML file (checked by :mod:`relscore.codebook`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from relscore.codebook import weight_problems
from relscore.exceptions import Problem, WeightsFileError
from relscore.files.errors import reason


def read_weights(path: str | Path) -> dict[str, float]:
    """Read user weight overrides from a TOML file.

    The file has one table, ``[weights]``, mapping quoted CAMEO codes to weights on the
    Goldstein scale (-10 ... +10); codes not listed keep their scheme's weight::

        [weights]
        "195" = -8.0     # employ aerial weapons

    Raises
    ------
    WeightsFileError
        If the file is missing, unreadable (a folder, no permission) or not TOML, or a
        code is unknown, a weight is not a number or lies outside -10 ... +10; every
        problem names the file and line.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "weights.toml"
    ...     _ = file.write_text('''
    ... [weights]
    ... "195" = -8.0     # employ aerial weapons
    ... "036" = 3
    ... ''')
    ...     weights = read_weights(file)
    >>> weights
    {'195': -8.0, '036': 3.0}
    >>> table = relscore.weights_table(overrides=weights)
    >>> table.loc[["036", "195", "190"], ["weight", "origin"]]
          weight    origin
    code
    036      3.0  override
    195     -8.0  override
    190    -10.0    scheme
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:  # missing, a folder, no permission, an I/O error
        raise WeightsFileError([Problem(name, 1, "(file)", reason(exc))]) from None
    except UnicodeDecodeError:
        raise WeightsFileError([Problem(name, 1, "(file)", "not UTF-8 text")]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError only carries the line inside its message.
        line = _line_from_message(str(exc))
        raise WeightsFileError([Problem(name, line, "(toml)", f"not valid TOML: {exc}")]) from None
    unknown_tables = sorted(set(document) - {"weights"})
    problems = [
        Problem(name, 1, key, "unknown table; expected only [weights]") for key in unknown_tables
    ]
    weights = document.get("weights", {})
    if not isinstance(weights, dict):
        problems.append(Problem(name, 1, "weights", "must be a table of code = weight"))
        weights = {}
    for code, weight in weights.items():
        problems += weight_problems(code, weight, name, _line_of_key(text, code))
    if problems:
        raise WeightsFileError(problems)
    return {code: float(w) for code, w in weights.items()}


def _line_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def _line_of_key(text: str, key: str) -> int:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1
