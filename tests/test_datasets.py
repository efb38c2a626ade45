"""The bundled event files load by name from the installed package, from any folder."""

import os
import subprocess
import sys

import pytest

import relscore
from tests.conftest import ROOT


def test_the_bundled_files_are_the_ones_in_data_events():
    folder = ROOT / "data" / "events"
    assert relscore.datasets.names() == sorted(p.stem for p in folder.glob("*.csv"))
    for name in relscore.datasets.names():
        with relscore.datasets.path(name) as bundled:
            assert bundled.read_bytes() == (folder / f"{name}.csv").read_bytes()


def test_load_gives_the_validated_events_of_one_file():
    events = relscore.datasets.load("iran_pakistan")
    on_disk = relscore.read_events(ROOT / "data" / "events" / "iran_pakistan.csv")
    assert events.drop(columns="file").equals(on_disk.drop(columns="file"))


def test_load_all_reads_every_file():
    assert relscore.datasets.load_all()["file"].nunique() == len(relscore.datasets.names())


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="no bundled event file 'iran'; there are: india_pakistan"):
        relscore.datasets.load("iran")


def test_the_readme_snippet_runs_from_another_folder(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("## In Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
