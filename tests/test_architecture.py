"""The layers of the package hold: no module imports from a layer above it."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


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


def test_every_package_says_what_lives_there_and_what_it_may_import():
    for init in sorted((ROOT / "relscore").glob("*/__init__.py")):
        if init.parent.name in {"data", "styles"}:
            continue
        doc = init.read_text(encoding="utf-8").split('"""')[1]
        assert "import" in doc, f"{init}: the docstring does not say what it may import"
