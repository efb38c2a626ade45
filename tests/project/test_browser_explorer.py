"""The explorer as a reader meets it: the standalone page in a real (headless) browser.

The page is opened from a ``file://`` address, as a reader who double-clicks it would, with
no server and no network. Needs Debian's ``chromium`` and ``chromium-driver`` (see
``tests/browser.py``); without them the tests skip, unless ``RELSCORE_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import contextlib
import time

import pandas as pd
import pytest

import relscore
from relscore import explore
from tests import browser

LOAD_TIMEOUT_S = 30
UPDATE_TIMEOUT_S = 10
SARAVAN_DAY = 19740  # 2024-01-18, days since 1970-01-01

# The items of one mark of the Vega scenegraph (by its name), with their position on the
# page: the view's origin, plus every enclosing group's offset, plus the canvas's place.
ITEMS = """
const view = window.relscoreView, name = arguments[0], found = [];
function walk(node, x, y) {
  if (node.marktype) {
    for (const item of node.items || []) {
      if (node.name === name) found.push([item, x, y]);
      walk(item, x, y);
    }
    return;
  }
  for (const mark of node.items || []) walk(mark, x + (node.x || 0), y + (node.y || 0));
}
const [ox, oy] = view.origin();
walk(view.scenegraph().root, ox, oy);
const box = document.querySelector('#vis canvas').getBoundingClientRect();
return found.map(([item, x, y]) => ({
  x: box.left + x + item.x, y: box.top + y + item.y, href: item.href || null,
  d: item.datum.d, ty: item.datum.ty === undefined ? null : item.datum.ty,
  url: item.datum.url === undefined ? null : item.datum.url,
}));
"""


@pytest.fixture(scope="module")
def events():
    return relscore.datasets.load("iran_pakistan")


@pytest.fixture(scope="module")
def page_file(browser_available, events, tmp_path_factory):
    path = tmp_path_factory.mktemp("explorer") / "explore_iran_pakistan.html"
    path.write_text(explore.explorer_html(events, "IRN-PAK"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def driver(page_file, tmp_path_factory):
    state = tmp_path_factory.mktemp("chromium-explorer")
    driver = browser.start_chromium(state / "profile", state / "chromedriver.log")
    try:
        driver.get(page_file.as_uri())
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while not driver.execute_script("return !!window.relscoreView"):
            if time.monotonic() > deadline:
                raise AssertionError(f"the chart did not render in {LOAD_TIMEOUT_S} s")
            time.sleep(0.1)
        driver.execute_script("document.querySelector('#vis canvas').scrollIntoView()")
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def screenshots(driver, tmp_path_factory):
    """Where the screenshots go, and a context manager that saves one on a failed check."""
    folder = tmp_path_factory.mktemp("explorer-screenshots")

    @contextlib.contextmanager
    def on_failure(name: str):
        try:
            yield folder
        except BaseException as error:
            path = folder / f"{name}-failed.png"
            with contextlib.suppress(Exception):
                driver.save_screenshot(str(path))
                error.add_note(f"screenshot of the page: {path}")
            raise

    return on_failure


def problems_in_console(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] in {"SEVERE", "WARNING"}
    ]


def items(driver, mark: str) -> list[dict]:
    return driver.execute_script(ITEMS, mark)


def plotted_on(driver, day: int) -> float:
    """The tension the detail view plots on ``day`` (days since 1970-01-01)."""
    (point,) = [p for p in items(driver, "hover_points_1_marks") if p["d"] == day]
    return point["ty"]


def weights_now(driver) -> str:
    """The line under the controls: each dominant code's weight at the chosen factor."""
    return driver.execute_script(
        "const found = [];"
        "function walk(node) { if (node.marktype) { for (const item of node.items || [])"
        " { if (node.name === 'weights_now_marks') found.push(item.text); walk(item); } return; }"
        " for (const mark of node.items || []) walk(mark); }"
        "walk(window.relscoreView.scenegraph().root); return found.join(' ');"
    )


def until_changed(driver, day: int, before: float) -> float:
    deadline = time.monotonic() + UPDATE_TIMEOUT_S
    while (value := plotted_on(driver, day)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def index_on(events, day: str, scheme: str, overrides=None, **kernel) -> float:
    coded = relscore.code_events(events, scheme, overrides)
    index = relscore.tension_index(coded, start=day, end=day, **kernel)
    return float(index[index["dyad"] == "IRN-PAK"]["tension"].iloc[0])


def test_the_page_loads_without_a_console_error(driver, screenshots):
    with screenshots("load"):
        assert problems_in_console(driver) == []
        assert driver.title == "Iran–Pakistan tension, 1947–2025"
        assert driver.find_element("css selector", "#vis canvas").size["width"] > 800
        # every control carries its technical name as a tooltip
        controls = driver.find_elements("css selector", "#vis .vega-bind")
        assert controls[0].get_attribute("title").startswith("the weight scheme (")
        assert controls[1].get_attribute("title").startswith("the kernel (")
        rows = driver.find_elements("css selector", "#episodes tbody tr")
        assert len(rows) == 10 and rows[0].text.startswith("2024-01-18 80.9 8 6.6 5.5–8.3")


def test_hovering_18_january_2024_shows_the_strike_near_saravan(driver, screenshots):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    with screenshots("hover") as folder:
        (point,) = [p for p in items(driver, "hover_points_1_marks") if p["d"] == SARAVAN_DAY]
        pointer = ActionBuilder(driver)
        pointer.pointer_action.move_to_location(int(point["x"]) - 20, int(point["y"]) + 30)
        pointer.pointer_action.move_to_location(round(point["x"]), round(point["y"]))
        pointer.perform()
        deadline = time.monotonic() + UPDATE_TIMEOUT_S
        tips = []
        while "2024-01-18" not in "".join(tips) and time.monotonic() < deadline:
            tips = [t.text for t in driver.find_elements("css selector", "#vg-tooltip-element")]
            time.sleep(0.1)
        (tip,) = tips
        lines = tip.splitlines()
        assert lines[:3] == ["date 18 Jan 2024", "tension 80.94", "events on this day 5"]
        assert lines[3].startswith(
            "contribution 1 +40.00 from an event of 18 Jan 2024: Pakistan carried out drone"
        )
        assert "Saravan" in lines[3] and lines[3].endswith("(dawn.com)")
        # an event of an earlier day, faded, says its own day
        assert lines[4].startswith(
            "contribution 2 +26.76 from an event of 16 Jan 2024: Iran's Revolutionary Guards"
        )
        driver.save_screenshot(str(folder / "explorer_hover.png"))
        print(f"screenshot: {folder / 'explorer_hover.png'}")


def test_the_event_markers_link_to_their_sources(driver, events, screenshots):
    with screenshots("links"):
        markers = items(driver, "markers_marks")
        assert len(markers) == len(events) == 267
        first_sources = events["source"].str.extract(r"(https?://[^\s;]+)", expand=False)
        assert {m["href"] for m in markers} == set(first_sources)
        assert all(m["href"] == m["url"] for m in markers)
        saravan = [m for m in markers if m["d"] == SARAVAN_DAY and "dawn.com" in m["href"]]
        assert saravan[0]["href"] == (
            "https://www.dawn.com/news/1806726/"
            "pakistan-strikes-terrorist-hideouts-in-iran-after-airspace-violation-by-tehran"
        )


def test_the_controls_change_the_plotted_values(driver, events, screenshots):
    from selenium.webdriver.support.ui import Select

    with screenshots("controls"):
        shown = plotted_on(driver, SARAVAN_DAY)
        assert shown == round(index_on(events, "2024-01-18", "magnitude"), 2) == 80.94

        driver.find_element("css selector", 'input[name="scheme"][value="1"]').click()
        shown = until_changed(driver, SARAVAN_DAY, shown)
        assert shown == round(index_on(events, "2024-01-18", "goldstein"), 2)

        Select(driver.find_element("css selector", 'select[name="kernel"]')).select_by_index(3)
        shown = until_changed(driver, SARAVAN_DAY, shown)
        assert shown == round(index_on(events, "2024-01-18", "goldstein", window=30), 2)

        Select(driver.find_element("css selector", 'select[name="w195"]')).select_by_index(0)
        shown = until_changed(driver, SARAVAN_DAY, shown)
        expected = index_on(events, "2024-01-18", "goldstein", {"195": 0.0}, window=30)
        assert shown == pytest.approx(expected, abs=0.01)  # stored to 2 and 3 decimals

        # x 2 on 195 (-10) asks for -20: the page says it is capped at -10
        Select(driver.find_element("css selector", 'select[name="w195"]')).select_by_index(4)
        deadline = time.monotonic() + UPDATE_TIMEOUT_S
        while "capped" not in (line := weights_now(driver)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "employ aerial weapons: −10 (× 2 asks −20, capped at ±10)" in line.replace("-", "−")
        assert problems_in_console(driver) == []
        assert pd.Timestamp("2024-01-18").value // 86_400_000_000_000 == SARAVAN_DAY
