"""The docs as a reader meets them: built with warnings as errors (`make docs`), every page
there, every link and image inside the site, nothing fetched from the network, the tutorial
runnable as printed, and the pages clean in a real (headless) browser.

The docs are built once, into a temporary folder, for the whole module: the notebooks execute
(about a minute). A second, quick build without executing the notebooks puts a stand-in
explorer beside them, so the explorer pages are checked whether or not ``figures/`` has any.
"""

from __future__ import annotations

import contextlib
import html
import html.parser
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

import relscore
from tests import browser
from tests.conftest import ROOT
from tools.execute_notebooks import notebook_sources

DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
from relscore_docs import tutorial  # noqa: E402
from relscore_docs.explorers import explorer_files, explorer_name  # noqa: E402

WITHOUT_PLOTS = {"01_events_and_coding"}
PAGES = ["index", "tutorial", "explorer", "cli", "api/index", "notebooks/index", "data/README"]
STAND_IN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer: Iran–Pakistan</title></head>
<body><h1>A stand-in explorer</h1><script>document.body.dataset.ran = "yes";</script></body>
</html>
"""
SERVER_TIMEOUT_S = 20
BUILD_TIMEOUT_S = 600


def start_build(out: Path, *options: str, env: dict | None = None) -> subprocess.Popen:
    """Start building the docs into ``out`` as ``make docs`` does (warnings are errors); what
    Sphinx says goes to ``out``'s sibling ``sphinx.log``."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html"]
    with (out.parent / "sphinx.log").open("w", encoding="utf-8") as log:
        return subprocess.Popen(
            [*command, *options, str(DOCS), str(out)],
            cwd=ROOT,
            env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def finish(process: subprocess.Popen, out: Path) -> Path:
    """Wait for a build; fail with Sphinx's words if it failed."""
    process.wait(timeout=BUILD_TIMEOUT_S)
    log = (out.parent / "sphinx.log").read_text(encoding="utf-8")
    assert process.returncode == 0, f"sphinx-build failed:\n{log}"
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Both builds, run at the same time: ``site``, the docs as ``make docs`` builds them
    (notebooks executed, the explorers of ``figures/``), and ``stand_in``, a quick one beside a
    stand-in explorer (notebooks and tutorial not run)."""
    folder = tmp_path_factory.mktemp("explorers")
    (folder / "explore_iran_pakistan.html").write_text(STAND_IN, encoding="utf-8")
    outs = {name: tmp_path_factory.mktemp(f"docs-{name}") / "html" for name in ("site", "stand_in")}
    processes = {
        "site": start_build(outs["site"]),
        "stand_in": start_build(
            outs["stand_in"],
            *("-D", "nb_execution_mode=off", "-D", "relscore_run_tutorial=0"),
            env={"RELSCORE_DOCS_EXPLORERS": str(folder)},
        ),
    }
    try:
        yield {name: finish(process, outs[name]) for name, process in processes.items()}
    finally:
        for process in processes.values():
            browser.stop(process)


@pytest.fixture(scope="module")
def site(builds) -> Path:
    return builds["site"]


@pytest.fixture(scope="module")
def stand_in_site(builds) -> Path:
    return builds["stand_in"]


def page(site: Path, name: str) -> str:
    path = site / f"{name}.html"
    assert path.is_file(), f"{name}.html was not built"
    return path.read_text(encoding="utf-8")


def words(markup: str) -> str:
    """The text of some HTML, as a reader sees it (tags out, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


class Links(html.parser.HTMLParser):
    """Every address a page refers to: (tag, attribute, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append((tag, name, value))


def links(text: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(text)
    return parser.found


# -- The build ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_is_built(site, name):
    assert "<h1" in page(site, name)


def test_every_notebook_has_a_page():
    links_ = sorted(path.stem for path in (DOCS / "notebooks").glob("*.nblink"))
    assert links_ == [source.stem for source in notebook_sources()]


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda path: path.stem)
def test_notebook_page_shows_its_outputs(site, source):
    text = page(site, f"notebooks/{source.stem}")
    assert 'class="cell_output' in text, "the notebook was rendered without its outputs"
    if source.stem not in WITHOUT_PLOTS:
        assert "<img" in text, "no plot on the page"


def test_landing_page_is_the_readme(site):
    text = page(site, "index")
    assert "The index in one paragraph" in text
    assert text.count("<img") >= 4  # the README's figures


def test_cli_reference_is_the_parser(site):
    text = words(page(site, "cli"))
    for option in ("--half-life", "--window", "--weights", "--check"):
        assert option in text
    for command in ("validate", "index", "episodes", "robustness", "import", "figures"):
        assert f"relscore {command}" in text


def test_api_reference_has_the_public_api(site):
    text = page(site, "api/index")
    assert 'id="relscore.tension_index"' in text
    for name in relscore.__all__:
        if name not in ("datasets", "__version__"):
            assert f'id="relscore.{name}"' in text, name


def test_every_link_and_image_is_in_the_site(site):
    """The README's relative links (data card, reference tables, benchmarks) and its figures
    resolve inside the site, as does every other page's; nothing is loaded from elsewhere."""
    broken, external = [], []
    for path in site.rglob("*.html"):
        if "_static" in path.relative_to(site).parts:
            continue  # the theme's template fragments, not pages
        for tag, attribute, value in links(path.read_text(encoding="utf-8")):
            address = urlsplit(value)
            if address.scheme in ("http", "https") or value.startswith("//"):
                if tag != "a":  # a link to read elsewhere is fine; a resource to load is not
                    external.append(f"{path.relative_to(site)}: <{tag} {attribute}={value}>")
                continue
            if address.scheme or not address.path:
                continue  # mailto:, javascript:, or a fragment of this page
            target = (path.parent / unquote(address.path)).resolve()
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {value}")
    assert not broken, "links to nothing:\n" + "\n".join(broken)
    assert not external, "resources from the network:\n" + "\n".join(external)


# -- The tutorial ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory):
    """The tutorial's files and commands, run in a fresh folder: (steps, folder, problems)."""
    steps = tutorial.tutorial_steps((DOCS / "tutorial.md").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("tutorial") / "my_dyad"
    return steps, folder, tutorial.run_steps(steps, folder)


def test_tutorial_runs_as_printed(tutorial_run):
    """The tutorial builds a pair relscore does not ship: its files and commands, in a fresh
    folder, print what the page says and leave the chart and the explorer."""
    steps, folder, problems = tutorial_run
    events_file = next(step for step in steps if step.file)
    commands = [step.command for step in steps if step.command]
    for command in ("codes", "validate", "chart", "episodes", "explain", "explore"):
        assert any(c.startswith(f"relscore {command}") for c in commands), command
    assert not problems, "\n\n".join(problems)
    events = relscore.read_events(folder / events_file.file)
    _, dyads = relscore.dyad_codes(events["actor1"], events["actor2"])
    every = relscore.datasets.load_all()
    _, shipped = relscore.dyad_codes(every["actor1"], every["actor2"])
    assert not set(dyads) & set(shipped), "the tutorial's pair is one relscore ships"
    assert events["source"].str.startswith("https://").all()
    chart = folder / "tension.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    explorer = folder / "explore_afghanistan_pakistan.html"
    assert "Afghanistan–Pakistan tension, 2025" in explorer.read_text(encoding="utf-8")
    # the episode the page prints is the index's own peak, its day and its value
    index = relscore.tension_index(relscore.code_events(events))
    (top,) = pd.read_csv(folder / "episodes.csv", parse_dates=["peak_date"]).itertuples()
    highest = index.loc[index["tension"].idxmax()]
    assert (top.peak_date, top.peak) == (highest["date"], pytest.approx(highest["tension"]))


def test_the_tutorials_explorer_opens_in_a_browser(tutorial_run, driver):
    """The newcomer's own explorer, opened from disk in headless Chromium, draws its chart
    and lists the episode the tutorial's `relscore episodes` wrote, with the same peak."""
    _, folder, problems = tutorial_run
    assert not problems, "\n\n".join(problems)
    (top,) = pd.read_csv(folder / "episodes.csv").itertuples()  # the page prints one
    driver.get((folder / "explore_afghanistan_pakistan.html").as_uri())
    deadline = time.monotonic() + 30
    while not driver.execute_script("return !!window.relscoreView"):
        assert time.monotonic() < deadline, "the chart did not render in 30 s"
        time.sleep(0.1)
    assert driver.title == "Afghanistan–Pakistan tension, 2025"
    assert driver.find_element("css selector", "#vis canvas").size["width"] > 400
    rows = driver.find_elements("css selector", "#episodes tbody tr")
    assert len(rows) == 1
    assert rows[0].text.startswith(f"{top.peak_date} {top.peak:.1f} {top.days_to_half} ")


def test_tutorial_steps_are_read_in_order():
    page_ = (
        "```{code-block} text\n:caption: a.csv\n\nx,y\n```\n\n"
        "```console\n$ cat a.csv\nx,y\n$ echo done\ndone\n```\n"
    )
    assert tutorial.tutorial_steps(page_) == [
        tutorial.Step(text="x,y\n", file="a.csv"),
        tutorial.Step(text="x,y", command="cat a.csv"),
        tutorial.Step(text="done", command="echo done"),
    ]


@pytest.mark.parametrize(
    ("printed", "expected", "matches"),
    [
        ("a,1,2.5", "a,1,...", True),
        ("a,1,2.5\nb,2,3.5", "...\nb,2,...", True),
        ("a,1,2.5", "a,2,...", False),
        ("ok", "ok\nmore", False),
    ],
)
def test_outputs_match_with_ellipsis(printed, expected, matches):
    assert bool(tutorial.expected_pattern(expected).fullmatch(printed)) is matches


def test_tutorial_page_shows_the_chart(site):
    text = page(site, "tutorial")
    assert "tension.png" in text
    assert (site / "_images" / "tension.png").is_file()


# -- The explorers --------------------------------------------------------------------------


def test_explorer_page_lists_or_explains(site):
    text = words(page(site, "explorer"))
    files = explorer_files()
    if not files:
        assert "No explorers built yet" in text and "make figures" in text
    for path in files:
        name = explorer_name(path)
        assert f'href="explorer/{name}.html"' in page(site, "explorer")
        embedding = page(site, f"explorer/{name}")
        assert f'<iframe class="relscore-explorer" src="{path.name}"' in embedding
        assert (site / "explorer" / path.name).read_bytes() == path.read_bytes()


def test_stand_in_explorer_gets_a_page(stand_in_site):
    assert 'href="explorer/iran_pakistan.html"' in page(stand_in_site, "explorer")
    embedding = page(stand_in_site, "explorer/iran_pakistan")
    assert "Explorer: Iran–Pakistan" in embedding
    assert '<iframe class="relscore-explorer" src="explore_iran_pakistan.html"' in embedding
    copied = stand_in_site / "explorer" / "explore_iran_pakistan.html"
    assert copied.read_text(encoding="utf-8") == STAND_IN


# -- In a browser ---------------------------------------------------------------------------


@contextlib.contextmanager
def serve(folder: Path):
    """``python -m http.server`` on 127.0.0.1 for ``folder``; stopped by its process id."""
    port = browser.free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while True:
            try:
                opener.open(f"{url}/index.html", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the HTTP server did not answer on {url}") from None
                time.sleep(0.1)
        yield url
    finally:
        browser.stop(process)


def open_page(driver, url: str) -> list[dict]:
    """Open ``url``, wait for it and its images, and return the console's errors."""
    driver.get_log("browser")  # start from an empty log
    driver.get(url)
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while time.monotonic() < deadline:
        if driver.execute_script(
            "return document.readyState === 'complete'"
            " && Array.from(document.images).every(image => image.complete)"
        ):
            break
        time.sleep(0.1)
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def broken_images(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.images)"
        ".filter(image => !(image.naturalWidth > 0)).map(image => image.src)"
    )


@pytest.mark.parametrize(
    ("name", "heading", "images"),
    [
        ("index", "relscore", 4),
        ("notebooks/02_tension_timeline", "02 · The tension timeline", 3),
        ("tutorial", "Your own dyad", 1),
        ("api/index", "Python API", 0),
    ],
)
def test_page_in_a_browser(site, driver, name, heading, images):
    with serve(site) as url:
        errors = open_page(driver, f"{url}/{name}.html")
        assert not errors, f"errors in the console of {name}.html: {errors}"
        assert driver.title.startswith(heading.split(" · ")[0]), driver.title
        h1 = driver.find_element("css selector", "article h1, main h1").text
        assert h1.startswith(heading), h1
        assert not broken_images(driver)
        assert len(driver.find_elements("css selector", "article img, main img")) >= images


def test_explorer_in_a_browser(stand_in_site, driver):
    with serve(stand_in_site) as url:
        errors = open_page(driver, f"{url}/explorer/iran_pakistan.html")
        assert not errors, f"errors in the console: {errors}"
        frame = driver.find_element("css selector", "iframe.relscore-explorer")
        assert frame.size["width"] > 600 and frame.size["height"] > 400
        driver.switch_to.frame(frame)
        try:
            assert driver.execute_script("return document.body.dataset.ran") == "yes"
        finally:
            driver.switch_to.default_content()


def test_built_explorers_in_a_browser(site, driver):
    """Each explorer of ``figures/`` (if there are any yet) loads in its page without an error."""
    files = explorer_files()
    if not files:
        pytest.skip("no figures/explore_*.html yet: `make figures` builds them")
    with serve(site) as url:
        for path in files:
            name = explorer_name(path)
            errors = open_page(driver, f"{url}/explorer/{name}.html")
            assert not errors, f"errors in the console of explorer/{name}.html: {errors}"
            assert driver.find_element("css selector", "iframe.relscore-explorer").size["height"]
