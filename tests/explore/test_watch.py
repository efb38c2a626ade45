"""relscore.explore.watch: the watch page says what the alerts say, stands alone, and is the
same bytes every time."""

import re

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis.alerts import index_blocks
from relscore.explore.watch import SPARK_DAYS, shown, watch_data, watch_html, watch_page
from tests.analysis.test_alerts import index_of

BUNDLED_EXPLORERS = {
    "IRN-PAK": "explore_iran_pakistan.html",
    "IND-PAK": "explore_india_pakistan.html",
}


@pytest.fixture(scope="module")
def events():
    return relscore.datasets.load_all()


@pytest.fixture(scope="module")
def page(events):
    return watch_page(events, days=730, explorers=BUNDLED_EXPLORERS)


def articles(page: str, section: str) -> list[str]:
    """The articles of one section (``alerts`` or ``highest``), in order."""
    start = page.index(f'<section id="{section}">')
    part = page[start : page.index("</section>", start)]
    return re.findall(r"<article .*?</article>", part, re.DOTALL)


def test_the_alerts_of_the_window_with_their_events_and_sources(page):
    alerted = articles(page, "alerts")
    assert [re.search(r'data-dyad="([^"]+)"', a)[1] for a in alerted] == [
        "IND-PAK",
        "IRN-ISR",
        "IRN-PAK",
    ]
    iran = alerted[2]
    assert (
        "<b>2024-01-17</b>: highest on record, <b>71.0</b> (previous record 30.0 on 2017-05-27)"
        in iran
    )
    first = re.search(r"<li>(.*?)</li>", iran)[1]
    assert first.startswith(
        '<span class="part">+28.1</span> 2024-01-16 195 Iran&#x27;s Revolutionary'
    )
    assert '<a href="https://' in first  # each source a link named by its host
    assert "<h2>Alerted in the last 730 days: 3</h2>" in page


def test_the_dyads_highest_against_their_own_history(page):
    highest = articles(page, "highest")
    dyads = [re.search(r'data-dyad="([^"]+)"', a)[1] for a in highest]
    # Never as high before (a record) first, by peak; then the longest unmatched.
    assert dyads[:2] == ["IRN-ISR", "IND-PAK"]
    # Iran–Israel's history is under three years: "in a year", as an alert would say.
    assert "highest in a year, <b>512.0</b>" in highest[0] and 'class="alerted"' in highest[0]
    assert "IRN-USA" not in dyads  # its history is shorter than a year


def test_explorer_links_only_where_one_is_built(page):
    assert page.count('class="explorer"') == 4  # IND-PAK and IRN-PAK, in both lists
    assert 'href="explore_iran_pakistan.html"' in page
    for article in articles(page, "alerts"):
        if 'data-dyad="IRN-ISR"' in article:
            assert 'class="explorer"' not in article


def test_the_sparkline_is_the_last_year_with_the_day_marked(events):
    coded = relscore.code_events(events)
    index = relscore.tension_index(coded)
    watch = watch_data(
        lambda dyads: index_blocks(index if dyads is None else index[index["dyad"].isin(dyads)]),
        lambda _: coded,
        days=730,
    )
    spark = watch.sparks["IRN-PAK"]
    assert len(spark) == SPARK_DAYS
    whole = index[index["dyad"] == "IRN-PAK"]
    want = relscore.apply_kernel(whole["conflict"].to_numpy())[-SPARK_DAYS:]
    np.testing.assert_array_equal(spark, want)
    html = watch_html(watch, data="test")
    article = next(a for a in articles(html, "alerts") if 'data-dyad="IND-PAK"' in a)
    points = re.search(r'<polyline points="([^"]+)"', article)[1].split()
    assert len(points) == SPARK_DAYS
    dot = re.search(r'<circle cx="([\d.]+)"', article)[1]
    at = SPARK_DAYS - 1 - (pd.Timestamp("2025-12-17") - pd.Timestamp("2025-04-23")).days
    assert points[at].split(",")[0] == dot  # the dot sits on the alert's day


def test_the_page_stands_alone_and_is_the_same_bytes_each_time(events, page):
    assert watch_page(events, days=730, explorers=BUNDLED_EXPLORERS) == page
    for outside in ("<script", "src=", "<link", "@import", "url("):
        assert outside not in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">') and page.endswith("</html>\n")


def test_text_is_escaped_and_a_source_without_an_address_is_text(events):
    mine = events.copy()
    strike = (mine["date"] == pd.Timestamp("2024-01-16")) & (mine["event_code"] == "195")
    row = mine.index[strike][0]
    mine.loc[row, "description"] = "a <b>bold</b> claim & more"
    mine.loc[row, "source"] = "a book, p. 3 ; https://example.org/x?a=1&b=2"
    page = watch_page(mine, days=730)
    assert "a &lt;b&gt;bold&lt;/b&gt; claim &amp; more" in page
    assert '(a book, p. 3, <a href="https://example.org/x?a=1&amp;b=2">example.org</a>)' in page


def test_a_hand_made_window():
    # Two dyads: one alerts on its last day; one peaks at 30 in the window, last as high
    # 500 days before it (a one-year high below the floor: listed, not alerted).
    a = [5.0] * 700 + [50.0]
    b = [5.0] * 100 + [30.0] + [5.0] * 499 + [30.0] + [5.0] * 100
    index = index_of(a, b)

    def blocks_of(dyads):
        return index_blocks(index if dyads is None else index[index["dyad"].isin(dyads)], window=1)

    no_events = pd.DataFrame(columns=["date", "actor1", "actor2", "conflict", "cooperation"])
    watch = watch_data(blocks_of, lambda _: no_events, days=150, window=1)
    # Never as high in its 700 days: a one-year record (a record needs three years).
    assert watch.alerts[["dyad", "level"]].to_numpy().tolist() == [["AAA-BBB", "1 year"]]
    assert watch.highest[["dyad", "level"]].to_numpy().tolist() == [
        ["AAA-BBB", "1 year"],
        ["CCC-DDD", "1 year"],
    ]
    assert watch.highest["since"].tolist() == [pd.NaT, pd.Timestamp("2000-04-10")]
    assert shown(watch) == ["AAA-BBB", "CCC-DDD"]
    with pytest.raises(ValueError, match="days must be >= 1"):
        watch_data(blocks_of, lambda _: None, days=0)
    with pytest.raises(ValueError, match="no events to watch"):
        watch_data(lambda _: iter(()), lambda _: None)
