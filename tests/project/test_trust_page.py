"""docs/trust.md says how far an episode can be trusted: its numbers must be what
benchmarks/bench_validity.py computes today, on the validation data."""

import importlib.util

import pytest

import relscore
from tests.conftest import ROOT

PAGE = ROOT / "docs" / "trust.md"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_validity", ROOT / "benchmarks" / "bench_validity.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data():
    events, known = relscore.datasets.validation_files()
    return relscore.read_events(events), relscore.read_crises(known)


def share(recall: float, n: int) -> str:
    return f"{round(recall * 100)} % ({round(recall * n)} of {n})"


def test_the_recall_per_scheme_is_the_pages(bench, data):
    text = PAGE.read_text(encoding="utf-8")
    events, known = data
    for scheme, check in bench.recall_by_scheme(events, known).items():
        recall = relscore.crisis_recall(check)
        mark = " (default)" if scheme == relscore.DEFAULT_SCHEME else ""
        assert f"| `{scheme}`{mark} | {share(recall, len(known))} |" in text, scheme
    default = bench.recall_by_scheme(events, known)[relscore.DEFAULT_SCHEME]
    found = int((default["status"] == "found").sum())
    words = (
        f"**{found} of the {len(known)} crises are\nfound ({round(found / len(known) * 100)} %)**"
    )
    assert words in text


def test_the_corrections_tried_are_the_pages(bench, data):
    text = PAGE.read_text(encoding="utf-8")
    table = text[text.index("## Is the reading fair") : text.index("## The curated")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "%" in line]
    tried = bench.fairness(*data)
    assert len(rows) == len(tried)
    for row, (recall, dropped) in zip(rows, tried.values(), strict=True):
        assert share(recall, 26) in row
        assert (f"drops {dropped} rows" in row or f"drops {dropped})" in row) == bool(dropped)


def test_the_curated_readings_hold(bench):
    text = PAGE.read_text(encoding="utf-8")
    for dyad, _, ok in bench.curated_checks():
        assert ok, dyad
    assert "peaks on 18 January 2024 (80.9)" in text


# -- Alerts -------------------------------------------------------------------------------


def alert_row(label: str, check, alarms, n: int) -> str:
    found = int((check["status"] == "found").sum())
    lag = check["lag_days"].dropna().median()
    return (
        f"| {label} | {share(found / n, n)} | {alarms['per_year'].iloc[-1]:.2f} | {lag:+.0f} days |"
    )


def test_the_alerts_recall_per_reading_and_quiet_period_is_the_pages(bench, data):
    text = PAGE.read_text(encoding="utf-8")
    events, known = data
    n = len(known)
    for label, (check, alarms) in bench.alert_readings(events, known).items():
        assert alert_row(label, check, alarms, n) in text, label
    for quiet, (check, alarms) in bench.quiet_periods(events, known).items():
        mark = " (default)" if quiet == relscore.analysis.alerts.QUIET_DAYS else ""
        assert alert_row(f"{quiet} days{mark}", check, alarms, n) in text, quiet
    label = "any record at all (no floor, no quiet)"
    assert alert_row(label, *bench.any_record(events, known), n) in text
    check, alarms, _ = bench.alert_check_of(events, known)
    found = int((check["status"] == "found").sum())
    assert f"**{found} of the {n} crises alert ({round(found / n * 100)} %)**" in text
    lag = check["lag_days"].dropna().median()
    said = f"median lag of {lag:+.0f} days and {alarms['per_year'].iloc[-1]:.2f} false alarms"
    assert said in " ".join(text.split())


def test_the_false_alarms_and_the_misses_are_the_pages(bench, data):
    text = PAGE.read_text(encoding="utf-8")
    _, alarms, _ = bench.alert_check_of(*data)
    for row in alarms.itertuples():
        line = f"| {row.dyad} | {row.n_events} | {row.years:.1f} | {row.false_alarms} | "
        assert line + f"{row.per_year:.2f} |" in text, row.dyad
    misses = bench.alert_misses(*data)
    words = {
        "floor": "Below the floor",
        "history": "Less than a year of history",
        "quiet": "Kept quiet",
        "record": "Not a record",
    }
    assert f"The {len(misses)} misses" in text
    for reason, count in misses["reason"].value_counts().items():
        assert f"**{words[reason]} ({count}).**" in text, reason
    for row in misses[misses["reason"] == "floor"].itertuples():
        highest = row.detail.split()[1]
        assert f"({highest})" in text or f"(highest {highest})" in text, row.dyad


def test_the_alerts_at_the_floor_are_the_pages(bench, data):
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    said = (
        "Of the {alerts} alerts on all {dyads} dyads, {near} sit within half a point of the "
        "floor, {pairs} of them two events of code 190"
    )
    assert said.format(**bench.near_the_floor(data[0])) in text


def test_the_curated_crises_alert_at_their_onset(bench):
    text = PAGE.read_text(encoding="utf-8")
    rows = bench.curated_alerts()
    assert all(ok for *_, ok in rows), rows
    dates = {dyad: words.split()[0] for dyad, _, words, _ in rows}
    assert dates == {"IRN-PAK": "2024-01-17", "IND-PAK": "2025-04-23", "IRN-ISR": "2025-06-13"}
    for said in ("on 17 January 2024", "on 23 April 2025", "on 13 June 2025"):
        assert said in " ".join(text.split())
