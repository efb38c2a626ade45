"""The notebooks as a reader meets them: JupyterLab in a real (headless) browser.

Every executed copy opens without an error dialog and shows all of its plots; every source
(`notebooks/NN_*.py`) opens as a notebook, and opening and saving it leaves its bytes alone.
The server's root is a temporary copy of ``notebooks/`` (with the project's Jupytext config)
holding freshly executed copies, so the tree is never written. Needs Debian's ``chromium``
and ``chromium-driver``; without them the tests skip, unless ``RELSCORE_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path

import jupytext
import nbformat
import pytest

from tests import browser
from tests.conftest import ROOT
from tools.execute_notebooks import notebook_sources, write_executed

NOTEBOOKS = ROOT / "notebooks"
SOURCES = notebook_sources()
WITHOUT_PLOTS = {"01_events_and_coding"}
RENDER_TIMEOUT_S = 60
SAVE_TIMEOUT_S = 20

# The visible document in JupyterLab's main area.
PANEL = "#jp-main-dock-panel .lm-DockPanel-widget:not(.lm-mod-hidden)"


@pytest.fixture(scope="session")
def lab_root(browser_available, tmp_path_factory) -> Path:
    """A copy of ``notebooks/`` (sources and config) with every notebook executed into it."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(
        NOTEBOOKS,
        root,
        ignore=shutil.ignore_patterns("executed", ".ipynb_checkpoints", "__pycache__"),
    )
    for source in SOURCES:
        write_executed(source, root / "executed")
    return root


@pytest.fixture
def lab(lab_root, tmp_path_factory):
    """A JupyterLab of its own for each test: nothing a test leaves behind (a kernel still
    starting, a connection the browser held) can slow the next test's kernel."""
    lab = browser.start_lab(lab_root, tmp_path_factory.mktemp("lab-state"))
    try:
        yield lab
    finally:
        browser.stop(lab.process)


@pytest.fixture
def screenshots(lab, driver, tmp_path_factory):
    """A context manager: on a failed check, save what the browser showed and say where, with
    what the server said of its kernels and the end of its log."""
    folder = tmp_path_factory.mktemp("screenshots")

    @contextlib.contextmanager
    def on_failure(name: str):
        try:
            yield
        except BaseException as error:
            path = folder / f"{name}.png"
            with contextlib.suppress(Exception):
                driver.save_screenshot(str(path))
                error.add_note(f"screenshot of the page: {path}")
            error.add_note(browser.server_report(lab))
            raise

    return on_failure


@pytest.fixture
def open_in_lab(lab, driver):
    """Open a path of the lab's root in a fresh layout and wait until it has loaded.

    Loaded means: ``cells`` cells rendered as a notebook, a text editor instead, or a dialog.
    The page is left at the end, before the server stops.
    """

    def open_(path: str, cells: int) -> None:
        driver.get(lab.tree_url(path))
        deadline = time.monotonic() + RENDER_TIMEOUT_S
        while time.monotonic() < deadline:
            if dialogs(driver) or text_editors(driver) or rendered_cells(driver) == cells:
                return
            time.sleep(0.25)
        raise AssertionError(
            f"{path} did not load within {RENDER_TIMEOUT_S} s: "
            f"{rendered_cells(driver)} of {cells} cells rendered"
        )

    yield open_
    driver.get("about:blank")


def dialogs(driver) -> list[str]:
    """The text of every JupyterLab dialog on the page."""
    return [dialog.text for dialog in driver.find_elements("css selector", ".jp-Dialog")]


def rendered_cells(driver) -> int:
    return len(driver.find_elements("css selector", f"{PANEL} .jp-Notebook .jp-Cell"))


def text_editors(driver) -> list:
    return driver.find_elements("css selector", f"{PANEL} .jp-FileEditor")


def count_images(notebook) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_executed_notebook_opens_with_its_plots(source, lab_root, open_in_lab, driver, screenshots):
    path = f"executed/{source.stem}.ipynb"
    notebook = nbformat.read(lab_root / path, as_version=4)
    with screenshots(f"executed-{source.stem}"):
        open_in_lab(path, cells=len(notebook.cells))
        assert not dialogs(driver), f"JupyterLab showed a dialog: {dialogs(driver)}"
        assert rendered_cells(driver) == len(notebook.cells)
        images = driver.find_elements("css selector", f"{PANEL} .jp-OutputArea-output img")
        expected = count_images(notebook)
        assert (expected == 0) == (source.stem in WITHOUT_PLOTS)
        assert len(images) == expected, f"{len(images)} of the {expected} plots shown"
        assert all(
            driver.execute_script("return arguments[0].naturalWidth", image) > 0 for image in images
        ), "an image did not decode"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_source_opens_as_notebook_and_saves_unchanged(
    source, lab_root, open_in_lab, driver, screenshots
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    copy = lab_root / source.name
    original = copy.read_bytes()
    with screenshots(f"source-{source.stem}"):
        cells = len(jupytext.read(copy).cells)
        open_in_lab(source.name, cells=cells)
        assert not dialogs(driver), f"JupyterLab showed a dialog: {dialogs(driver)}"
        assert not text_editors(driver), (
            "the source opened in the text editor, not as a notebook: is the project's "
            "jupyter-config/labconfig/ installed in <venv>/etc/jupyter/labconfig/? (make does)"
        )
        assert rendered_cells(driver) == cells
        assert copy.read_bytes() == original, "opening the source rewrote it"
        # Once its kernel is up, the unedited source is not marked modified (closing it
        # would ask to save it): the server gives it the kernel's language_info.
        browser.kernel_idle(driver, RENDER_TIMEOUT_S)
        assert not browser.dirty_tabs(driver), "the unedited source is marked modified"

        # Save without an edit, as a reader who presses Ctrl+S would.
        saved_before = copy.stat().st_mtime_ns
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
        deadline = time.monotonic() + SAVE_TIMEOUT_S
        while copy.stat().st_mtime_ns == saved_before and time.monotonic() < deadline:
            time.sleep(0.25)
        assert copy.stat().st_mtime_ns != saved_before, "Ctrl+S did not save the notebook"
        assert not dialogs(driver), f"JupyterLab showed a dialog: {dialogs(driver)}"
        assert copy.read_text(encoding="utf-8") == original.decode("utf-8"), (
            "saving the source without an edit rewrote it"
        )
