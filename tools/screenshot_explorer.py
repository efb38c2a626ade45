"""Take the README's screenshot of the Iran–Pakistan explorer, hovering 18 January 2024.

    .venv/bin/python tools/screenshot_explorer.py [OUT.png]

Needs Debian's chromium and chromium-driver (the browser tests' harness, tests/browser.py).
Browser screenshots differ by a pixel between machines, so this one is not part of the
byte-for-byte figures check; run this after `make figures` when the explorer changes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "figures" / "explore_iran_pakistan.html"
OUT = ROOT / "docs" / "images" / "explorer.png"


def main(out: Path = OUT) -> int:
    sys.path.insert(0, str(ROOT))
    from tests import browser

    if problem := browser.missing_browser():
        print(f"screenshot_explorer: {problem}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as state:
        driver = browser.start_chromium(Path(state) / "profile", Path(state) / "driver.log")
        try:
            driver.set_window_size(1200, 1500)
            driver.get(PAGE.as_uri())
            deadline = time.monotonic() + 60
            while not driver.execute_script("return !!window.relscoreView"):
                if time.monotonic() > deadline:
                    raise SystemExit("screenshot_explorer: the chart did not render in 60 s")
                time.sleep(0.1)
            from selenium.webdriver.common.actions.action_builder import ActionBuilder

            from tests.project.test_browser_explorer import ITEMS, SARAVAN_DAY

            marks = driver.execute_script(ITEMS, "hover_points_1_marks")
            (point,) = [p for p in marks if p["d"] == SARAVAN_DAY]
            pointer = ActionBuilder(driver)
            pointer.pointer_action.move_to_location(int(point["x"]) - 20, int(point["y"]) + 30)
            pointer.pointer_action.move_to_location(round(point["x"]), round(point["y"]))
            pointer.perform()
            time.sleep(1.0)  # the tooltip fades in
            out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
