"""The layers of the package hold: no module imports from a layer above it, every part of the
package is in the contract, the contract lists them in the data-flow order, and each
package's docstring says what it may import, truthfully."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGE = ROOT / "relscore"
# The data flow, from the bottom up: what the contract must say, in this order.
DATA_FLOW = [
    "relscore.exceptions",
    "relscore.vocabulary | relscore._compiled",
    "relscore.files",
    "relscore.codebook",
    "relscore.codesearch",
    "relscore.importers",
    "relscore.readers",
    "relscore.store",
    "relscore.fetch",
    "relscore.coding",
    "relscore.index",
    "relscore.scale",
    "relscore.analysis",
    "relscore.testing",
    "relscore.datasets",
    "relscore.plot",
    "relscore.explore",
    "relscore.figures",
    "relscore.cli",
]
OUTSIDE_THE_LAYERS = {"__init__", "__main__", "data", "styles", "io"}  # io: a deprecated shim


def contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return contract["layers"]


def layer_of() -> dict[str, int]:
    """Each module named in the contract, and its height (0 = the bottom)."""
    layers = list(reversed(contract_layers()))
    return {name.strip(): at for at, layer in enumerate(layers) for name in layer.split("|")}


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contract_in_pyproject_is_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_lists_the_layers_in_the_data_flow_order():
    assert list(reversed(contract_layers())) == DATA_FLOW


def test_every_part_of_the_package_is_in_a_layer():
    parts = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file())
    }
    named = {name.removeprefix("relscore.") for name in layer_of()}
    assert parts - OUTSIDE_THE_LAYERS == named


def test_the_contract_would_catch_an_import_from_above(tmp_path):
    """The same tool, with the layers turned upside down, must report broken imports."""
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_package = relscore\n\n"
        "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
        "layers =\n    relscore.index\n    relscore.cli\n",
        encoding="utf-8",
    )
    result = lint_imports("--config", str(config))
    assert result.returncode == 1
    assert "relscore.cli" in result.stdout and "BROKEN" in result.stdout


def may_import(init: Path) -> str:
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    found = re.search(r"May import (.*?)(?:\.\s|\.$|;)", " ".join(doc.split()))
    assert found, f"{init}: the docstring does not say what the package may import"
    return found[1]


def test_every_package_says_what_it_may_import_and_names_only_layers_below_it():
    heights = layer_of()
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        name = f"relscore.{init.parent.name}"
        if init.parent.name in OUTSIDE_THE_LAYERS:
            continue
        named = set(re.findall(r"relscore\.(\w+)", may_import(init))) - {init.parent.name}
        above = [n for n in named if heights[f"relscore.{n}"] >= heights[name]]
        assert not above, f"{init}: says it may import {above}, which are not below it"


def test_the_vocabulary_imports_nothing_of_ours_but_the_errors():
    tree = ast.parse((PACKAGE / "vocabulary.py").read_text(encoding="utf-8"))
    ours = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("relscore")
    }
    ours |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("relscore")
    }
    assert ours == {"relscore.exceptions"}
