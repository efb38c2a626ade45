"""The newcomer's walk with their own weights, in a real (headless) browser.

Edit a weight in ``data/weights.toml``, rebuild with ``relscore figures`` run in the checkout,
open notebook 03 in JupyterLab and run it: its footer names the weights, and moving a slider
redraws the chart. Then open the rebuilt explorer: its footer names the weights too. The
checkout is a temporary copy (``notebooks/``, ``data/weights.toml``), so the tree is never
written. Needs Debian's ``chromium`` and ``chromium-driver`` (see ``tests/browser.py``);
without them the test skips, unless ``RELSCORE_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import contextlib
import shutil
import time

import pytest

from relscore.cli import main
from tests import browser
from tests.conftest import ROOT

RUN_TIMEOUT_S = 240  # the notebook's cells, robustness and all, on a clean kernel
REDRAW_TIMEOUT_S = 30
WEIGHTS_LINE = 'Weights: yours, not the shipped ones: "195" = −8 (shipped −10).'
PANEL = "#jp-main-dock-panel .lm-DockPanel-widget:not(.lm-mod-hidden)"


@pytest.fixture(scope="module")
def checkout(browser_available, tmp_path_factory):
    """A checkout whose user took the '#' off the first example line of data/weights.toml
    and ran `relscore figures` in it."""
    root = tmp_path_factory.mktemp("walk")
    shutil.copytree(
        ROOT / "notebooks",
        root / "notebooks",
        ignore=shutil.ignore_patterns("executed", ".ipynb_checkpoints", "__pycache__"),
    )
    (root / "data").mkdir()
    shipped = (ROOT / "data" / "weights.toml").read_text(encoding="utf-8")
    assert '# "195" = -8.0' in shipped
    mine = shipped.replace('# "195" = -8.0', '"195" = -8.0', 1)
    (root / "data" / "weights.toml").write_text(mine, encoding="utf-8")
    with contextlib.chdir(root):
        assert main(["figures"]) == 0
    return root


@pytest.fixture(scope="module")
def lab(checkout, tmp_path_factory):
    lab = browser.start_lab(checkout, tmp_path_factory.mktemp("walk-lab"))
    try:
        yield lab
    finally:
        browser.stop(lab.process)


def wait_for(what: str, check, timeout: float):
    """Poll ``check()`` until it returns something true; return it, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            found = check()
            if found:
                return found
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {timeout:g} s")


def click_menu(driver, *labels: str) -> None:
    """Click through JupyterLab's menu bar: ``click_menu(driver, "Run", "Run All Cells")``."""
    top, *items = labels
    bar = driver.find_elements("css selector", ".lm-MenuBar-itemLabel")
    next(e for e in bar if e.text == top).click()
    for label in items:
        entry = wait_for(
            f"menu entry {label!r}",
            lambda label=label: next(
                e
                for e in driver.find_elements("css selector", ".lm-Menu-itemLabel")
                if e.text == label
            ),
            5,
        )
        entry.click()


def test_your_weights_from_the_file_to_the_notebook_sliders_and_the_explorer(
    checkout, lab, driver, tmp_path
):
    from selenium.webdriver.common.action_chains import ActionChains

    try:
        driver.get(lab.tree_url("notebooks/03_adjusting_weights.py"))
        wait_for(
            "notebook 03 opened",
            lambda: driver.find_elements("css selector", f"{PANEL} .jp-Notebook .jp-Cell"),
            60,
        )
        browser.kernel_idle(driver, 60)
        click_menu(driver, "Run", "Run All Cells")
        image = wait_for(
            "the sliders' chart",
            lambda: driver.find_element("css selector", f"{PANEL} img.widget-image"),
            RUN_TIMEOUT_S,
        )
        driver.execute_script("arguments[0].scrollIntoView()", image)
        before = wait_for("a drawn chart", lambda: image.get_attribute("src"), REDRAW_TIMEOUT_S)
        assert driver.execute_script("return arguments[0].naturalWidth", image) > 0
        footer = wait_for(
            "the footer naming the weights",
            lambda: [
                e.text
                for e in driver.find_elements("css selector", f"{PANEL} .jp-OutputArea-output")
                if WEIGHTS_LINE in e.text
            ],
            RUN_TIMEOUT_S,
        )
        assert footer
        values = driver.find_elements("css selector", f"{PANEL} .widget-readout")
        # the "195" slider starts at the weight in effect (the readout has a typographic minus)
        assert values[0].text.replace("−", "-") == "-8.00"
        driver.save_screenshot(str(tmp_path / "notebook-03-before.png"))

        handle = driver.find_elements("css selector", f"{PANEL} .widget-slider .noUi-handle")[0]
        ActionChains(driver).click_and_hold(handle).move_by_offset(60, 0).release().perform()
        after = wait_for(
            "the chart redrawn after moving the slider",
            lambda: (src := image.get_attribute("src")) != before and src,
            REDRAW_TIMEOUT_S,
        )
        assert values[0].text.replace("−", "-") != "-8.00"
        assert driver.execute_script("return arguments[0].naturalWidth", image) > 0
        assert after != before
        driver.save_screenshot(str(tmp_path / "notebook-03-after.png"))

        driver.get((checkout / "figures" / "explore_iran_pakistan.html").as_uri())
        footer = wait_for(
            "the explorer's footer", lambda: driver.find_element("css selector", "footer"), 30
        )
        assert WEIGHTS_LINE in footer.text
        driver.save_screenshot(str(tmp_path / "explorer.png"))
    except BaseException as error:
        with contextlib.suppress(Exception):
            driver.save_screenshot(str(tmp_path / "failure.png"))
        error.add_note(f"screenshots: {tmp_path}")
        error.add_note(browser.server_report(lab))
        raise
