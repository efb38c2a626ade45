import os
import subprocess
import sys
from pathlib import Path

import pytest

from relscore.cli import main
from tests import browser

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GDELT_SAMPLE = ROOT / "data/reference/gdelt2_export_20191024143000.tsv"  # a real 15-minute file
HEADER = "event_id,date,actor1,actor2,event_code,description,source,fatalities,weight,notes"


@pytest.fixture
def write_events(tmp_path):
    """Write an events CSV from data lines (header added) and return its path."""

    def write(*rows: str, name: str = "events.csv", header: str = HEADER) -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def ended_pid() -> int:
    """The id of a process that has ended: what a killed run's temporaries carry."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(child.stdout)


@pytest.fixture(scope="session")
def browser_available():
    """Skip a browser test where Chromium is missing, with the line that installs it; with
    RELSCORE_REQUIRE_BROWSER=1 (as .ci/run sets it) fail instead."""
    reason = browser.missing_browser()
    if reason is None:
        return
    if os.environ.get(browser.REQUIRE_BROWSER) == "1":
        pytest.fail(f"{browser.REQUIRE_BROWSER}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def driver(browser_available, tmp_path_factory):
    """A headless Chromium of its own for each browser test (about a second to start): no
    page, connection or cache of an earlier test is left to slow or mislead the next."""
    state = tmp_path_factory.mktemp("chromium")
    driver = browser.start_chromium(state / "profile", state / "chromedriver.log")
    try:
        yield driver
    finally:
        driver.quit()


def run(capsys, *argv):
    """Run ``relscore ARGV`` in this process: (exit code, stdout, stderr); a usage error's
    exit code (2) is returned like any other."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err
