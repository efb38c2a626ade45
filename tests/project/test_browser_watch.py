"""The watch page as a reader meets it: a file opened in a real (headless) browser, with no
server and no network, its explorer link followed.

Needs Debian's ``chromium`` and ``chromium-driver`` (see ``tests/browser.py``); without them
the tests skip, unless ``RELSCORE_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import time

import pytest

import relscore
from relscore import explore
from relscore.explore.watch import SPARK_DAYS, watch_page

LOAD_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def page_file(browser_available, tmp_path_factory):
    """The bundled data's watch page (as `relscore figures` builds it), beside the explorer
    of one of its dyads, Iran–Pakistan, which it links; the other dyads have none."""
    folder = tmp_path_factory.mktemp("watch")
    explorer = folder / "explore_iran_pakistan.html"
    explorer.write_text(
        explore.explorer_html(relscore.datasets.load("iran_pakistan"), "IRN-PAK"), encoding="utf-8"
    )
    page = watch_page(relscore.datasets.load_all(), days=730, explorers={"IRN-PAK": explorer.name})
    path = folder / "watch.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def open_page(driver, page_file):
    """Each test starts from the watch page, freshly loaded in a browser of its own."""
    driver.get(page_file.as_uri())


def problems_in_console(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in {"SEVERE", "WARNING"}]


def test_the_page_shows_the_alerts_with_their_lines_and_events(driver):
    assert problems_in_console(driver) == []
    assert driver.title == "Which relations moved: the 730 days to 2025-12-17"
    alerted = driver.find_elements("css selector", "#alerts article")
    assert [a.get_attribute("data-dyad") for a in alerted] == ["IND-PAK", "IRN-ISR", "IRN-PAK"]
    iran = alerted[2]
    assert iran.find_element("css selector", "p.what").text == (
        "2024-01-17: highest on record, 71.0 (previous record 30.0 on 2017-05-27)"
    )
    events = iran.find_elements("css selector", "ol.events li")
    assert len(events) == 3 and events[0].text.startswith("+28.1 2024-01-16 195 Iran's")
    links = events[0].find_elements("css selector", ".sources a")
    assert links and all(a.get_attribute("href").startswith("https://") for a in links)
    for article in driver.find_elements("css selector", "article"):
        line = article.find_element("css selector", "svg.spark polyline")
        box = driver.execute_script("return arguments[0].getBBox()", line)
        assert box["width"] > 200 and box["height"] > 1  # drawn, a year wide
        points = line.get_attribute("points").split()
        assert len(points) == SPARK_DAYS


def test_the_page_loads_nothing_from_anywhere(driver):
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []
    assert driver.find_elements("css selector", "script") == []


def test_the_explorer_link_opens_the_explorer(driver, page_file):
    links = driver.find_elements("css selector", "a.explorer")
    assert {a.get_attribute("href") for a in links} == {
        page_file.with_name("explore_iran_pakistan.html").as_uri()
    }
    links[0].click()
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while not driver.execute_script("return !!window.relscoreView"):
        assert time.monotonic() < deadline, "the explorer did not render"
        time.sleep(0.1)
    assert driver.title == "Iran–Pakistan tension, 1947–2025"
    driver.back()
    assert driver.title.startswith("Which relations moved")
