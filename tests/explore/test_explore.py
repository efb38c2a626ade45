"""relscore.explore: the explorer's numbers are the index's, and its page is standalone."""

import json
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore import explore
from relscore.cli import main
from relscore.explore import packing
from relscore.explore import page as page_module
from relscore.vocabulary import day_number
from tests.conftest import ROOT, run

pytest.importorskip("altair")
pytest.importorskip("vl_convert")

BUNDLED = ROOT / "data" / "events" / "iran_pakistan.csv"
SARAVAN = "irpk-20240118-01"  # Pakistan's strikes near Saravan, 18 January 2024
MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def events():
    return relscore.datasets.load("iran_pakistan")


@pytest.fixture(scope="module")
def data(events):
    return explore.explorer_data(events, "IRN-PAK")


@pytest.fixture(scope="module")
def page(events):
    return explore.explorer_html(events, "IRN-PAK")


def reading(data, scheme, kernel):
    """One reading's stored days, indexed by date."""
    v = list(relscore.SCHEMES).index(scheme) * len(explore.KERNELS) + kernel
    rows = data["series"][data["series"]["v"] == v]
    return rows.set_index(rows["d"].to_numpy().astype("datetime64[D]").astype("datetime64[s]"))


def index_of(events, scheme, kernel, overrides=None):
    _, window, half_life = explore.KERNELS[kernel]
    coded = relscore.code_events(events, scheme, overrides)
    index = relscore.tension_index(coded, window=window, half_life=half_life)
    return index[index["dyad"] == "IRN-PAK"].set_index("date")["tension"]


def test_the_dominant_codes_and_their_weights(data):
    # By summed |net| under magnitude: agreements (057), visits (042), air strikes (195).
    assert data["codes"] == ["057", "042", "195"]
    assert data["weights"] == {
        "magnitude": [8.0, 1.9, -10.0],
        "goldstein": [8.0, 1.9, -10.0],
        "quad": [1.0, 1.0, -2.0],
    }


@pytest.mark.parametrize("scheme", list(relscore.SCHEMES))
@pytest.mark.parametrize("kernel", range(len(explore.KERNELS)))
def test_every_reading_stores_the_index(events, data, scheme, kernel):
    stored = reading(data, scheme, kernel)
    index = index_of(events, scheme, kernel)
    np.testing.assert_array_equal(stored["y"], index[stored.index].round(2) + 0.0)
    # The first and last day of the calendar, every event day and the day before it.
    days = set(stored.index)
    assert {index.index[0], index.index[-1]} <= days
    event_days = set(events["date"].dt.normalize())
    assert event_days <= days
    assert {d - pd.Timedelta(days=1) for d in event_days if d > index.index[0]} <= days


@pytest.mark.parametrize("scheme", list(relscore.SCHEMES))
@pytest.mark.parametrize("kernel", range(len(explore.KERNELS)))
def test_a_straight_line_between_stored_days_stays_within_1_percent(events, data, scheme, kernel):
    stored = reading(data, scheme, kernel)
    index = index_of(events, scheme, kernel)
    line = np.interp(
        index.index.asi8, stored.index.asi8, stored["y"].to_numpy(dtype=float)
    )  # what the browser draws
    error = np.abs(line - index.to_numpy())
    allowed = explore.TOLERANCE * np.abs(index.to_numpy()) + explore.QUIET + 0.005  # + rounding
    assert (error <= allowed).all(), index.index[np.argmax(error - allowed)]


@pytest.mark.parametrize(
    ("scheme", "factors"),
    [("magnitude", (0.0, 1.0, 0.5)), ("goldstein", (2.0, 0.5, 1.5)), ("quad", (1.5, 0.0, 2.0))],
)
def test_the_weight_controls_give_the_index_of_those_weights(events, data, scheme, factors):
    """What the page computes: y + sum((r - 1) * part), r = clip(f * w, -10, 10) / w."""
    kernel = 2  # decay, half-life 28 days
    stored = reading(data, scheme, kernel)
    weights = data["weights"][scheme]
    ratios = [np.clip(f * w, -10, 10) / w for f, w in zip(factors, weights, strict=True)]
    shown = stored["y"] + sum((r - 1) * stored[f"p{j + 1}"] for j, r in enumerate(ratios))
    overrides = {
        code: float(np.clip(f * w, -10, 10))
        for code, f, w in zip(data["codes"], factors, weights, strict=True)
    }
    if scheme == "quad":  # overrides apply under every scheme: quad's own weights, scaled
        assert overrides == {"057": 1.5, "042": 0.0, "195": -4.0}
    truth = index_of(events, scheme, kernel, overrides)[stored.index]
    # y to 2 decimals, each part to 3: at most 0.005 + 3 * 2 * 0.0005 off.
    np.testing.assert_allclose(shown, truth, atol=0.0081)


def test_the_hover_holds_the_top_events_of_each_day(data):
    stored = reading(data, "magnitude", explore.DEFAULT_KERNEL)
    day = stored.loc[np.datetime64("2024-01-18")]
    table = data["events"].set_index("i")
    assert day["y"] == 80.94
    assert [day["c1"], day["c2"], day["c3"]] == [40.0, 26.76, -13.4]  # as explain() gives
    assert "Saravan" in table.loc[day["e1"], "text"]
    assert table.loc[day["e1"], "url"].startswith("https://www.dawn.com/news/1806726/")
    assert table.loc[day["e1"], "host"] == "dawn.com"
    # Far from any event a day lists no event that adds 0.01 points or more.
    quiet = reading(data, "magnitude", 3).loc[np.datetime64("1960-06-01") :].iloc[0]
    assert pd.isna(quiet["e1"]) and pd.isna(quiet["c1"])


class Structure(HTMLParser):
    """Checks that every element closes in order, and collects scripts and links."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input"})

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.scripts, self.titles = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        if self.stack and self.stack[-1] in {"title", "h1"}:
            self.titles.append(data)


def check_standalone(text: str) -> Structure:
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n')
    assert text.rstrip().endswith("</html>")
    parsed = Structure()
    parsed.feed(text)
    parsed.close()
    assert parsed.errors == [] and parsed.stack == []
    assert all("src" not in script for script in parsed.scripts)  # everything inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, flags=re.IGNORECASE)
    assert not re.search(r"<link[^>]*https?://", text, flags=re.IGNORECASE)
    return parsed


def spec_of(text: str) -> dict:
    start = text.index("const spec = ") + len("const spec = ")
    return json.loads(text[start : text.index(";\n  const embedOpt", start)])


def test_the_page_is_standalone_and_small(page):
    parsed = check_standalone(page)
    assert parsed.titles == ["Iran–Pakistan tension, 1947–2025"] * 2
    assert len(page.encode("utf-8")) < MAX_BYTES
    assert "// vega-embed.js bundle with Vega-Lite version v6" in page
    assert "window.relscoreView = result.view" in page


def test_the_page_says_what_the_index_is_and_what_data_it_shows(page, events):
    assert "Data: iran_pakistan.csv: 267 sourced events of IRN-PAK, 1947–2025." in page
    words = re.sub(r"\s+", " ", page)
    assert "A positive value means more conflict than cooperation that day" in words
    assert "CAMEO/Goldstein scale" in words and "fade by half every half-life" in words
    # The episode table: the top episode of the default reading, as relscore.episodes has it.
    table = words[words.index('<section id="episodes">') :]
    assert (
        "<tr><td>2024-01-18</td><td>80.9</td><td>8</td><td>6.6</td><td>5.5–8.3</td>"
        "<td>faster</td></tr>" in table
    )
    assert table.count("<tr><td>") == 10


def test_the_words_name_the_defaults_they_follow(monkeypatch):
    """The page's words about the defaults come from the settings, not from its own text."""
    monkeypatch.setattr(page_module, "DEFAULT_SCHEME", "quad")
    monkeypatch.setattr(page_module, "DEFAULT_HALF_LIFE", 10.0)
    monkeypatch.setattr(page_module, "KERNELS", (("decay, half-life 10 days", None, 10.0),))
    monkeypatch.setattr(page_module, "DEFAULT_KERNEL", 0)
    page = explore.explorer_html(relscore.datasets.load("india_pakistan"), "IND-PAK")
    words = re.sub(r"\s+", " ", page)
    assert "every half-life (10 days unless you choose otherwise)" in words
    assert (
        "The default scheme, <i>quad</i>, scores ±1 words, ±2 deeds; <i>magnitude</i> counts "
        "deeds twice words and scales an event by 1 + log10(1 + deaths); <i>goldstein</i> is "
        "plain net Goldstein." in words
    )
    assert (
        "At the default reading (±1 words, ±2 deeds, fading by half every 10 days, the shipped "
        "weights)</span>: this table does not follow the controls above." in words
    )


def test_the_controls_offer_every_scheme_kernel_and_factor(page, data):
    spec = spec_of(page)
    params = {p["name"]: p for p in spec["params"]}
    # Plain words on the controls; each control's technical name goes in its tooltip.
    assert params["scheme"]["bind"]["labels"] == [
        "Goldstein weights, deeds ×2, deaths scale up",
        "plain Goldstein weights",
        "±1 words, ±2 deeds",
    ]
    assert params["kernel"]["bind"]["labels"] == [
        "fading, halves every 7 days",
        "fading, halves every 14 days",
        "fading, halves every 28 days",
        "the last 30 days, in full",
        "the last 90 days, in full",
    ]
    titles = json.loads(re.search(r'id="control-titles">(.*?)</script>', page)[1])
    assert titles[0].startswith("the weight scheme (Goldstein weights, deeds ×2, deaths scale ")
    assert "fading, halves every 7 days: decay, half-life 7 days" in titles[1]
    assert titles[2:] == [
        f"CAMEO code {code}: its weight times the factor, kept within −10 … +10"
        for code in data["codes"]
    ]
    assert params["kernel"]["value"] == 1  # the index's default kernel
    for code in data["codes"]:
        assert params[f"w{code}"]["bind"]["options"] == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert set(spec["datasets"]) == {"series", "events", "counts", "zero"}
    # Every name is pinned: nothing Altair numbers as it goes (param_1, view_2, ...).
    assert not re.search(r'"(param|view)_\d+"', page)
    start, end = params["brush"]["value"]["x"]  # opens on the top episode
    assert (start, end) == (
        (day_number("2024-01-18") - 30) * 86_400_000,
        (day_number("2024-01-18") + 60) * 86_400_000,
    )


def test_two_builds_give_the_same_bytes(page, events):
    assert explore.explorer_html(events, "IRN-PAK") == page


def test_explorer_files_are_the_three_bundled_dyads():
    files = explore.explorer_files()
    assert list(files) == [
        "explore_iran_pakistan.html",
        "explore_india_pakistan.html",
        "explore_iran_israel.html",
    ]
    for name, content in files.items():
        text = content.decode("utf-8")
        check_standalone(text)
        assert len(content) < MAX_BYTES, name
    assert "of IND-PAK" in files["explore_india_pakistan.html"].decode()
    assert "of IRN-ISR" in files["explore_iran_israel.html"].decode()
    assert explore.explorer_files() == files


def test_a_dyad_with_no_episode_and_a_missing_dyad():
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
            "actor1": ["IRN", "PAK"],
            "actor2": ["PAK", "IRN"],
            "event_code": ["042", "036"],
            "description": ["A visit.", "Intent to meet </script><script>alert(1)</script>."],
            "source": ["a report", "https://example.org/meet"],
        }
    )
    page = explore.explorer_html(rows, "PAK-IRN", title="A quiet pair")
    parsed = check_standalone(page)
    assert parsed.titles == ["A quiet pair"] * 2
    assert "No episode: no peak of the tension stood 5 points above its level of the year" in page
    table = packing.unpack(page)["events"]
    assert [e["url"] for e in table] == ["", "https://example.org/meet"]  # no web source: no link
    assert table[1]["text"] == "Intent to meet </script><script>alert(1)</script>."
    scripts = [script for script in parsed.scripts if script.get("id") != "control-titles"]
    assert len(scripts) == 3  # the bundles, the tables, the chart: the text ended none
    with pytest.raises(relscore.UnknownDyadError):
        explore.explorer_html(rows, "IND-PAK")


def test_cli_writes_the_page(capsys, tmp_path, page):
    out_html = tmp_path / "out" / "irn-pak.html"
    code, out, err = run(capsys, "explore", BUNDLED, "--dyad", "pak-irn", "-o", out_html)
    assert code == 0 and err == ""
    size = out_html.stat().st_size
    assert out == f"relscore: wrote {out_html} ({size:,} bytes) for IRN-PAK; read 267 events\n"
    assert out_html.read_text(encoding="utf-8") == page
    assert [p.name for p in out_html.parent.iterdir()] == ["irn-pak.html"]  # no temporary left


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--dyad", "IRN-PAK", "-o", str(BUNDLED)], "-o"),
        (["--dyad", "IRN>PAK", "-o", "x.html"], "--dyad"),
        (["--dyad", "IRAN-PAK", "-o", "x.html"], "--dyad"),
        (["--dyad", "IRN-PAK"], "--output"),
    ],
)
def test_cli_usage_errors_exit_2(capsys, tmp_path, monkeypatch, argv, option):
    monkeypatch.chdir(tmp_path)
    before = BUNDLED.read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["explore", str(BUNDLED), *argv])
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and option in err
    assert BUNDLED.read_bytes() == before and not list(tmp_path.iterdir())


def test_cli_absent_dyad_exits_1(capsys, tmp_path):
    code, out, err = run(capsys, "explore", BUNDLED, "--dyad", "IND-PAK", "-o", tmp_path / "x.html")
    assert code == 1 and out == "" and not (tmp_path / "x.html").exists()
    assert err == "relscore: error: no events for dyad IND-PAK (dyads in the data: IRN-PAK)\n"


def test_a_short_files_episode_table_agrees_with_its_index(tmp_path):
    """Eleven events of one October, alone in their file: the explorer's episode table, the
    episodes table and the index name the same peak, on the same day."""
    from relscore.explore import explorer_html

    rows = [
        ("2025-10-09", "AFG", "PAK", "112"),
        ("2025-10-10", "PAK", "AFG", "195"),
        ("2025-10-11", "AFG", "PAK", "190"),
        ("2025-10-11", "PAK", "AFG", "111"),
        ("2025-10-12", "PAK", "AFG", "194"),
        ("2025-10-12", "AFG", "PAK", "193"),
        ("2025-10-13", "PAK", "AFG", "172"),
        ("2025-10-15", "AFG", "PAK", "0874"),
        ("2025-10-15", "PAK", "AFG", "0874"),
        ("2025-10-19", "AFG", "PAK", "057"),
        ("2025-10-25", "PAK", "AFG", "043"),
    ]
    events = pd.DataFrame(rows, columns=["date", "actor1", "actor2", "event_code"]).assign(
        date=lambda t: pd.to_datetime(t["date"]),
        description="a row",
        source="a test",
    )
    index = relscore.tension_index(relscore.code_events(events))
    table = relscore.episodes(index)
    top = table[table["rank"] == 1].iloc[0]
    assert top["peak"] == index["tension"].max()
    assert top["peak_date"] == index.loc[index["tension"].idxmax(), "date"]
    assert top["start"] == pd.Timestamp("2025-10-09") and top["n_events"] >= 7
    page = explorer_html(events, "AFG-PAK")
    episodes_html = page[page.index('<section id="episodes">') :]
    assert f"<td>{top['peak_date']:%Y-%m-%d}</td><td>{top['peak']:.1f}</td>" in episodes_html


def test_an_explorer_of_your_weights_names_them_in_its_footer():
    events = relscore.datasets.load("iran_pakistan")
    mine = explore.explorer_html(events, "IRN-PAK", overrides={"195": -8.0})
    footer = mine[mine.index("<footer>") : mine.index("</footer>")]
    assert "Weights: yours, not the shipped ones: &quot;195&quot; = −8 (shipped −10)." in footer
    assert "<footer>" not in explore.explorer_html(events, "IRN-PAK")


def views(spec: dict) -> dict:
    return {view["name"]: view for view in spec["vconcat"]}


def test_a_short_file_gets_its_year_once_and_ticks_that_name_days():
    rows = relscore.datasets.load("india_pakistan")
    rows = rows[rows["date"].between("2025-04-20", "2025-05-20")].reset_index(drop=True)
    page = explore.explorer_html(rows, "IND-PAK")
    assert "<h1>India–Pakistan tension, 2025</h1>" in page  # not "2025–2025"
    spec = views(spec_of(page))
    assert spec["overview"]["encoding"]["x"]["axis"]["format"] == "%e %b"  # not "Apr 2025" x 8
    first, last = rows["date"].min(), rows["date"].max()
    brush = spec_of(page)["params"]
    (value,) = [p["value"]["x"] for p in brush if p["name"] == "brush"]
    assert value == [first.value // 10**6, last.value // 10**6]  # the whole record shown


def test_hover_events_carry_their_own_date_and_a_zeroed_one_is_not_listed(page):
    tip = json.dumps(views(spec_of(page))["detail"])
    assert "' from an event of ' + utcFormat(datum.d1 * 86400000, '%e %b %Y')" in tip
    assert "'events on this day': datum.n" in tip
    assert "isValid(datum.c1) && abs(datum.c1 * [1, " in tip and ">= 0.005 ?" in tip


def test_capped_weights_are_said_under_the_controls(page, data):
    line = views(spec_of(page))["weights_now"]["transform"][0]["calculate"]
    assert line.startswith("'weights now: ' + ")
    assert "' asks ' + " in line and "capped at ±10" in line
    assert all(f"w{code}" in line for code in data["codes"])


def test_sources_open_in_a_new_tab_and_the_table_says_it_does_not_follow(page):
    assert '"loader": {"target": "_blank"}' in page
    words = re.sub(r"\s+", " ", page)
    assert "this table does not follow the controls above" in words


def test_the_page_carries_every_stored_number_as_it_was_rounded(page, data):
    """The packed tables unpack (as the page's script does) to the stored readings, number
    for number, and to the events with what the page derives from them."""
    tables = packing.unpack(page)
    series = pd.DataFrame(tables["series"]).astype(float)
    expected = data["series"].astype(float)
    pd.testing.assert_frame_equal(series, expected, check_exact=True)
    events = pd.DataFrame(tables["events"])
    table = data["events"].reset_index(drop=True)
    for column in ("i", "d", "code", "cameo", "text", "host", "url", "side", "g"):
        assert events[column].tolist() == table[column].tolist(), column
    per_day = table.groupby("d").size()
    assert tables["counts"] == [{"d": int(d), "n": int(n)} for d, n in per_day.items()]


def test_the_tables_script_cannot_be_ended_by_the_data(page):
    start = page.index('<script id="relscore-data"')
    body = page[page.index(">", start) + 1 : page.index("</script>", start)]
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", body)
