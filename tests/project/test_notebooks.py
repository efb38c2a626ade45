"""Every notebook runs top to bottom on a clean kernel and shows its figures."""

import nbformat
import pytest

from tools.execute_notebooks import notebook_sources, write_executed


def test_notebook_sources_exist_in_order():
    assert [p.stem for p in notebook_sources()] == [
        "01_events_and_coding",
        "02_tension_timeline",
        "03_adjusting_weights",
        "04_deescalation",
        "05_machine_coded_data",
        "06_gdelt_end_to_end",
        "07_known_crises",
    ]


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebook_executes_cleanly(source, tmp_path):
    written = write_executed(source, tmp_path)
    assert written == tmp_path / f"{source.stem}.ipynb"
    notebook = nbformat.read(written, as_version=4)
    nbformat.validate(notebook)
    # A plain notebook: the source's Jupytext pairing (py:percent) would stop JupyterLab
    # from opening the .ipynb ("matches none of the export formats").
    assert "jupytext" not in notebook.metadata
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == [], stderr  # no warnings leak into what a reader sees
    if source.stem != "01_events_and_coding":
        assert any("image/png" in o.get("data", {}) for o in outputs)
