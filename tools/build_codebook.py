"""Build ``relscore/data/cameo_codebook.csv`` from the reference tables in ``data/reference``.

Run ``python tools/build_codebook.py`` after changing a reference table; ``tests/test_codebook.py``
checks that the shipped codebook is exactly what this script writes.

The class of each code follows GDELT's QuadClass split of CAMEO roots (01-05 verbal cooperation,
06-09 material cooperation, 10-14 verbal conflict, 15-20 material conflict), because the default
weights are GDELT's Goldstein values and GDELT data carry that split. The ICEWS tooling splits
differently (09 and 14 move class); the column makes the choice explicit instead of implied.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
OUTPUT = ROOT / "relscore" / "data" / "cameo_codebook.csv"

QUAD_CLASS_BY_ROOT = {
    **{f"{r:02d}": "verbal_cooperation" for r in range(1, 6)},
    **{f"{r:02d}": "material_cooperation" for r in range(6, 10)},
    **{f"{r:02d}": "verbal_conflict" for r in range(10, 15)},
    **{f"{r:02d}": "material_conflict" for r in range(15, 21)},
}
# GDELT's description file glues code 106 onto the end of the line of 1056.
GLUED_106 = "106:[-5.0] "


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
    return descriptions


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
    OUTPUT.write_text(render(build_rows()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
