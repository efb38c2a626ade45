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
