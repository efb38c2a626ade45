"""Build ``relscore/data/cameo_codebook.csv`` and ``relscore/data/cameo_manual.csv`` from the
reference tables in ``data/reference``.

Run ``python tools/build_codebook.py`` after changing a reference table; ``tests/test_codebook.py``
checks that the shipped files are exactly what this script writes.

GDELT's description table has typos of its own (``GDELT_TYPOS``); the codebook gets the CAMEO
manual's wording instead, so that a reader of notebook 01 or of ``relscore codes`` does not meet
"matyerial". The manual's text (description, usage notes, example) comes from the CAMEO 1.1b3
table in ``cameo_codebook_icews.csv``, for ``relscore codes`` to search.

The class of each code follows GDELT's QuadClass split of CAMEO roots (01-05 verbal cooperation,
06-09 material cooperation, 10-14 verbal conflict, 15-20 material conflict), because the default
weights are GDELT's Goldstein values and GDELT data carry that split. The ICEWS tooling splits
differently (09 and 14 move class); the column makes the choice explicit instead of implied.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
OUTPUT = ROOT / "relscore" / "data" / "cameo_codebook.csv"
MANUAL_OUTPUT = ROOT / "relscore" / "data" / "cameo_manual.csv"
MANUAL_COLUMNS = ("description", "usage_notes", "example")  # of cameo_codebook_icews.csv
MOJIBAKE = re.compile("\u201aÄ[ìîòôúù]")  # – — ‘ ’ “ ” as UTF-8 bytes read as Mac Roman

QUAD_CLASS_BY_ROOT = {
    **{f"{r:02d}": "verbal_cooperation" for r in range(1, 6)},
    **{f"{r:02d}": "material_cooperation" for r in range(6, 10)},
    **{f"{r:02d}": "verbal_conflict" for r in range(10, 15)},
    **{f"{r:02d}": "material_conflict" for r in range(15, 21)},
}
# GDELT's description file glues code 106 onto the end of the line of 1056.
GLUED_106 = "106:[-5.0] "
# GDELT's own typos, and the CAMEO manual's wording that replaces them (code: (typo, fix)).
GDELT_TYPOS = {
    "033": ("matyerial", "material"),
    # curly quotes around "third" mis-decoded (Mac Roman) and its t lost
    "044": ("\u00d2hird\u00d3location", "third location"),
}


def read_goldstein(path: Path) -> dict[str, float]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {row["CAMEOEVENTCODE"]: float(row["GOLDSTEINSCALE"]) for row in rows}


def read_descriptions(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    descriptions = {}
    for line in text.splitlines()[1:]:
        if not line:
            continue
        code, description = line.split("\t", 1)
        if GLUED_106 in description:
            description, glued = description.split(GLUED_106)
            descriptions["106"] = glued.strip()
        descriptions[code] = description.strip()
    for code, (typo, fix) in GDELT_TYPOS.items():
        if typo not in descriptions[code]:
            sys.exit(f"GDELT's typo in {code} changed: {descriptions[code]!r}; update GDELT_TYPOS")
        descriptions[code] = descriptions[code].replace(typo, fix)
    return descriptions


def _repair(text: str) -> str:
    """Text of the manual table with its whitespace collapsed and its punctuation repaired:
    curly quotes and dashes that were UTF-8 read as Mac Roman upstream (``‚Äô`` for ``’``)."""
    return MOJIBAKE.sub(
        lambda m: m.group().encode("mac_roman").decode("utf-8"), " ".join(str(text).split())
    )


def manual_rows(codes: list[str]) -> list[dict[str, str]]:
    """The CAMEO manual's description, usage notes and example of each of ``codes``."""
    path = REFERENCE / "cameo_codebook_icews.csv"
    with path.open(newline="", encoding="cp1252") as fh:
        manual = {row["code"]: row for row in csv.DictReader(fh)}
    missing = sorted(set(codes) - set(manual))
    if missing:
        sys.exit(f"codes missing from {path.name}: {missing}")
    return [
        {"code": code}
        | {
            column: "" if manual[code][column] == "NA" else _repair(manual[code][column])
            for column in MANUAL_COLUMNS
        }
        for code in codes
    ]


def build_rows() -> list[dict[str, str]]:
    goldstein = read_goldstein(REFERENCE / "cameo_goldstein.tsv")
    descriptions = read_descriptions(REFERENCE / "cameo_eventcodes.tsv")
    if set(goldstein) != set(descriptions):
        sys.exit(f"code sets differ: {sorted(set(goldstein) ^ set(descriptions))}")
    rows = []
    for code in sorted(goldstein):
        root = code[:2]
        rows.append(
            {
                "code": code,
                "root": root,
                "quad_class": QUAD_CLASS_BY_ROOT[root],
                "goldstein": f"{goldstein[code]:g}",
                "description": descriptions[code],
            }
        )
    return rows


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    rows = build_rows()
    OUTPUT.write_text(render(rows), encoding="utf-8")
    MANUAL_OUTPUT.write_text(render(manual_rows([r["code"] for r in rows])), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} and {MANUAL_OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
