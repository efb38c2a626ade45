"""The package builds, passes twine's checks, and works installed, away from the repository."""

import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import relscore
from tests.conftest import ROOT

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend is a dev dependency, so nothing is downloaded
    build = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)]
    result = subprocess.run(build, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_one_version_everywhere():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert relscore.__version__ == meta["version"]
    assert f"version: {meta['version']}" in citation
    assert f"## [{meta['version']}]" in changelog
    assert meta["license"] == "MIT" and (ROOT / "LICENSE").is_file()  # an SPDX string


def test_sdist_and_wheel_pass_twine_check(dist):
    files = sorted(dist.iterdir())
    version = relscore.__version__
    assert [f.name for f in files] == [
        f"relscore-{version}-py3-none-any.whl",
        f"relscore-{version}.tar.gz",
    ]
    check = [str(BIN / "twine"), "check", "--strict", *map(str, files)]
    result = subprocess.run(check, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheel_carries_the_data_the_package_needs(dist):
    wheel = next(dist.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in relscore.datasets.names():
        assert f"relscore/data/events/{name}.csv" in names
    assert "relscore/data/cameo_codebook.csv" in names
    assert "relscore/data/gdelt2_export_20191024143000.tsv" in names
    assert "relscore/styles/relscore.mplstyle" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A new venv holding only the wheel; its dependencies come from this environment's
    site-packages through a path file (so nothing is downloaded and the source tree, which
    this environment imports in editable mode, is not on its path)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(dist.glob("*.whl"))
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    return venv


def test_installed_package_runs_the_readme_snippet_from_another_folder(installed, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("## In Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    where = "import relscore, sys; assert 'site-packages' in relscore.__file__, relscore.__file__\n"
    result = subprocess.run(
        [installed / "bin" / "python", "-c", where + snippet],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "IRN-PAK" in result.stdout


def test_installed_figures_build_the_committed_bytes(installed, tmp_path):
    out = tmp_path / "figures"
    committed = ROOT / "figures"
    weights = committed / "weights_used.toml"  # the shipped weights, or the user's own
    result = subprocess.run(
        [installed / "bin" / "relscore", "figures", "--out", str(out), "--weights", str(weights)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in out.iterdir())
    assert built == sorted(p.name for p in committed.iterdir())
    for name in built:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), name
