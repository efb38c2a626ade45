"""The explorer against the number of events: build time, page size and first draw.

Run from the repository root::

    python benchmarks/bench_explore.py                      # 2,000 and 17,000 events
    python benchmarks/bench_explore.py --events 2000,17000,50000 --no-browser

For each size, a seeded synthetic dyad (``relscore.testing.synthetic_dyad``: 32 years,
descriptions of a real one's length) is built into an explorer page (the best of
``--repeat`` builds, in this process, after a warm-up on 200 events so that imports and
compiled code are loaded), its bytes counted, and (unless ``--no-browser``) the page
opened in headless Chromium: first draw is the time from the request to the moment the
chart's view exists (``window.relscoreView``: the tables unpacked and the chart drawn
once), the best of three loads. Ratios are against the smallest size, measured in the
same run; the issue's budget for 17,000 events (5 MB, 10 s, 3 s) is printed beside them.
See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relscore.explore import explorer_html
from relscore.testing.dyad import synthetic_dyad


def build(n_events: int, repeat: int) -> tuple[float, str]:
    events = synthetic_dyad(n_events, seed=0)
    best, page = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        page = explorer_html(events, "ISR-PSE")
        best = min(best, time.perf_counter() - start)
    return best, page


def first_draw(driver, path: Path, loads: int = 3) -> float:
    best = float("inf")
    for _ in range(loads):
        driver.get("about:blank")
        start = time.perf_counter()
        driver.get(path.as_uri())
        while not driver.execute_script("return !!window.relscoreView"):
            if time.perf_counter() - start > 120:
                raise RuntimeError(f"{path.name}: no chart after 120 s")
            time.sleep(0.02)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="2000,17000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    sizes = [int(n.replace("_", "")) for n in args.events.split(",")]
    build(200, 1)  # warm-up
    folder = Path(tempfile.mkdtemp(prefix="bench-explore-"))
    driver = None
    if not args.no_browser:
        from tests import browser

        if browser.missing_browser() is None:
            driver = browser.start_chromium(folder / "profile", folder / "chromedriver.log")
    rows = []
    try:
        for n in sizes:
            seconds, page = build(n, args.repeat)
            path = folder / f"explore_{n}.html"
            path.write_text(page, encoding="utf-8")
            draw = first_draw(driver, path) if driver else float("nan")
            rows.append((n, seconds, len(page.encode("utf-8")), draw))
    finally:
        if driver is not None:
            driver.quit()
    n0, s0, b0, d0 = rows[0]
    print(f"explorer of a synthetic dyad, 32 years; baseline: {n0:,} events")
    print("   events  build_s  build_ratio      bytes  bytes_ratio  first_draw_s  draw_ratio")
    for n, seconds, size, draw in rows:
        print(
            f"{n:9,d} {seconds:8.2f} {seconds / s0:12.2f} {size:10,d} {size / b0:12.2f}"
            f" {draw:13.2f} {draw / d0:11.2f}"
        )
    print("budget at 17,000 events: <= 5,000,000 bytes, build < 10 s, first draw < 3 s")


if __name__ == "__main__":
    main()
