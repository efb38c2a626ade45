"""relscore.explain: every index value is the sum of its events' contributions."""

import math

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.analysis.explain import EXPLAIN_COLUMNS, kernel_factors, top_contributors
from relscore.cli import main
from tests.conftest import ROOT, run

BUNDLED = ROOT / "data" / "events" / "iran_pakistan.csv"
KERNELS = [
    {"half_life": 14.0},
    {"half_life": 7.0},
    {"half_life": 28.0},
    {"window": 30},
    {"window": 1},
    {"window": 90},
]


def events(*rows):
    """Events from (date, actor1, actor2, event_code) rows."""
    frame = pd.DataFrame(rows, columns=["date", "actor1", "actor2", "event_code"])
    return frame.assign(
        date=pd.to_datetime(frame["date"]),
        description=[f"event {i}" for i in range(len(rows))],
        source=[f"https://example.org/{i}" for i in range(len(rows))],
    )


# Goldstein weights: 195 (employ aerial weapons) -10, 042 (make a visit) +1.9.
HAND = events(
    ("2024-01-01", "IRN", "PAK", "195"),  # day 0
    ("2024-01-08", "PAK", "IRN", "042"),  # day 7
    ("2024-01-31", "IRN", "PAK", "042"),  # day 30: after the day explained
    ("2024-01-05", "IND", "PAK", "195"),  # another dyad
)


@pytest.fixture(scope="module")
def bundled():
    return relscore.datasets.load("iran_pakistan")


def index_value(coded, dyad, date, directed=False, **kernel):
    index = relscore.tension_index(coded, directed=directed, **kernel)
    return index[(index["dyad"] == dyad) & (index["date"] == pd.Timestamp(date))]["tension"].item()


def test_a_strike_fades_to_half_in_one_half_life_by_hand():
    table = relscore.explain(
        HAND, "PAK-IRN", "2024-01-15", scheme="goldstein", half_life=14, threshold=0
    )
    # The strike: conflict 10, 14 days old -> 10 * 2**-1 = 5, exactly.
    strike = table.iloc[0]
    assert (strike["event_code"], strike["age_days"], strike["kernel_factor"]) == ("195", 14, 0.5)
    assert strike["contribution"] == 5.0 and strike["net"] == 10.0 and strike["side"] == "conflict"
    # The visit: cooperation 1.9, 7 days old -> -1.9 * 2**-0.5.
    visit = table.iloc[1]
    assert visit["side"] == "cooperation" and visit["age_days"] == 7
    assert visit["contribution"] == pytest.approx(-1.9 / math.sqrt(2), abs=1e-15)
    assert len(table) == 2  # the visit of day 30 is in the future; IND-PAK is another dyad
    total = 5.0 - 1.9 / math.sqrt(2)
    assert table["contribution"].sum() == pytest.approx(total, abs=1e-12)
    coded = relscore.code_events(HAND, "goldstein")
    assert abs(table["contribution"].sum() - index_value(coded, "IRN-PAK", "2024-01-15")) <= 1e-9


def test_the_rolling_kernel_counts_an_event_for_window_days_then_drops_it():
    coded = relscore.code_events(HAND, "goldstein")
    inside = relscore.explain(coded, "IRN-PAK", "2024-01-15", window=15)
    assert list(inside["contribution"]) == [10.0, -1.9]
    outside = relscore.explain(coded, "IRN-PAK", "2024-01-15", window=14)
    # The strike is 14 days old: out of a 14-day window, folded into the last row with 0.
    assert list(outside["contribution"]) == [-1.9, 0.0]
    assert outside["n_events"].tolist() == [1, 1]
    assert outside["description"].iloc[-1] == "1 older events, each below 0.01 points this day"
    assert pd.isna(outside["date"].iloc[-1]) and pd.isna(outside["event_code"].iloc[-1])
    for window in (14, 15):
        assert relscore.explain(coded, "IRN-PAK", "2024-01-15", window=window)[
            "contribution"
        ].sum() == pytest.approx(index_value(coded, "IRN-PAK", "2024-01-15", window=window))


def test_columns_order_and_folding(bundled):
    table = relscore.explain(bundled, "IRN-PAK", "2024-01-18")
    assert tuple(table.columns) == EXPLAIN_COLUMNS
    events_rows, folded = table.iloc[:-1], table.iloc[-1]
    size = events_rows["contribution"].abs().to_numpy()
    assert (np.diff(size) <= 0).all()  # largest first
    assert (size >= 0.01).all() and events_rows["n_events"].eq(1).all()
    assert folded["n_events"] == 182 and abs(folded["contribution"]) < 182 * 0.01
    # Every IRN-PAK event up to that day is counted once.
    dates = bundled["date"]
    assert table["n_events"].sum() == (dates <= "2024-01-18").sum() == 206
    first = table.iloc[0]
    assert "Saravan" in first["description"] and first["contribution"] == 40.0
    assert first["source"].startswith("https://www.dawn.com/")
    # magnitude: Goldstein -10, x2 for a deed, x(1 + log10(1 + 9 deaths)) = x2.
    assert (first["weight"], first["magnitude"]) == (-10.0, 4.0)


@pytest.mark.parametrize("scheme", list(relscore.SCHEMES))
@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: "-".join(map(str, k.items())))
def test_contributions_sum_to_the_index_on_random_days(bundled, scheme, kernel):
    coded = relscore.code_events(bundled, scheme)
    index = relscore.tension_index(coded, **kernel).set_index("date")["tension"]
    rng = np.random.default_rng(20240118)
    days = list(rng.choice(index.index.to_numpy(), size=12, replace=False))
    days += [np.datetime64("2024-01-18"), index.index[0], index.index[-1]]  # and the edges
    for day in days:
        table = relscore.explain(coded, "IRN-PAK", day, **kernel)
        assert abs(table["contribution"].sum() - index[day]) <= 1e-9, (scheme, kernel, day)


def test_directed_dyads_split_the_undirected_sum(bundled):
    coded = relscore.code_events(bundled)
    both = relscore.explain(coded, "IRN-PAK", "2024-01-20")["contribution"].sum()
    parts = []
    for dyad in ("IRN>PAK", "PAK>IRN"):
        table = relscore.explain(coded, dyad, "2024-01-20", directed=True)
        value = index_value(coded, dyad, "2024-01-20", directed=True)
        assert abs(table["contribution"].sum() - value) <= 1e-9
        parts.append(value)
    assert abs(sum(parts) - both) <= 1e-9


def test_overrides_and_spelling_of_the_dyad(bundled):
    table = relscore.explain(bundled, "pak-irn", "2024-01-18", overrides={"195": -5.0})
    assert table["contribution"].iloc[0] == 20.0  # half the weight, half the points
    coded = relscore.code_events(bundled, overrides={"195": -5.0})
    assert abs(table["contribution"].sum() - index_value(coded, "IRN-PAK", "2024-01-18")) <= 1e-9


def test_top_contributors_are_explains_first_rows(bundled):
    days = ["2024-01-16", "2024-01-18", "2024-02-01", "2017-05-27"]
    top = top_contributors(bundled, "IRN-PAK", days, k=3, half_life=28)
    for day, rows in top.groupby("date"):
        table = relscore.explain(bundled, "IRN-PAK", day, half_life=28)
        assert rows["contribution"].tolist() == table["contribution"].head(3).tolist()
        assert rows["tension"].iloc[0] == pytest.approx(table["contribution"].sum(), abs=1e-9)
        assert bundled.loc[rows["event"], "description"].tolist() == (
            table["description"].head(3).tolist()
        )
    assert top["rank"].tolist() == [1, 2, 3] * 4


def test_kernel_factors_match_the_kernel_on_an_impulse():
    impulse = np.zeros(200)
    impulse[10] = 1.0
    for kernel in KERNELS:
        factors = kernel_factors(np.arange(200), np.array([10]), **kernel)[:, 0]
        np.testing.assert_allclose(factors, relscore.apply_kernel(impulse, **kernel), atol=1e-12)


def test_errors_say_what_is_wrong(bundled):
    with pytest.raises(relscore.UnknownDyadError, match="no events for dyad IND-PAK"):
        relscore.explain(bundled, "IND-PAK", "2024-01-18")
    with pytest.raises(ValueError, match="2030-01-01 is outside the data, which run from 1947"):
        relscore.explain(bundled, "IRN-PAK", "2030-01-01")
    with pytest.raises(ValueError, match="already coded"):
        relscore.explain(relscore.code_events(bundled), "IRN-PAK", "2024-01-18", scheme="quad")
    with pytest.raises(ValueError, match="either window or half_life"):
        relscore.explain(bundled, "IRN-PAK", "2024-01-18", window=3, half_life=3)
    with pytest.raises(ValueError, match="threshold"):
        relscore.explain(bundled, "IRN-PAK", "2024-01-18", threshold=-1)


def test_cli_prints_the_table_and_checks_the_sum(capsys, bundled):
    code, out, err = run(capsys, "explain", BUNDLED, "--dyad", "IRN-PAK", "--date", "2024-01-18")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "IRN-PAK on 2024-01-18: tension 80.94 = sum of 206 events below "
        "(magnitude, decay, half-life 14 days)"
    )
    assert lines[1].split() == ["date", "code", "description", "contribution"]
    assert lines[2].startswith("2024-01-18  195   Pakistan carried out drone")
    assert lines[2].endswith("+40.00")
    assert len(lines) == 2 + 10 + 2 + 1  # header, 10 events, the rest, the older ones, check
    printed = [float(line.split()[-1]) for line in lines[2:-1]]
    assert sum(printed) == pytest.approx(80.94, abs=0.005 * len(printed))
    assert lines[-1].startswith("sum of contributions 80.94 = tension 80.94 (difference ")
    assert lines[-1].endswith("read 267 events, 206 of them IRN-PAK's up to 2024-01-18")


def test_cli_writes_every_row_and_its_sum_is_the_index(capsys, tmp_path, bundled):
    out_csv = tmp_path / "explained.csv"
    code, out, _ = run(
        capsys, "explain", BUNDLED, "--dyad", "PAK-IRN", "--date", "2024-01-20",
        "--window", "30", "--scheme", "goldstein", "--top", "2", "-o", out_csv,
    )  # fmt: skip
    assert code == 0 and f"wrote 24 rows to {out_csv}" in out
    written = pd.read_csv(out_csv, dtype={"event_code": str})
    assert tuple(written.columns) == EXPLAIN_COLUMNS and len(written) == 24
    coded = relscore.code_events(bundled, "goldstein")
    value = index_value(coded, "IRN-PAK", "2024-01-20", window=30)
    assert abs(written["contribution"].sum() - value) <= 1e-9
    assert written["n_events"].sum() == (bundled["date"] <= "2024-01-20").sum()


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--dyad", "IRN-PAK", "--date", "2024-02-30"], "--date"),
        (["--dyad", "IRN-PAK", "--date", "18/01/2024"], "--date"),
        (["--dyad", "IRN-PAK", "--date", "2030-01-01"], "--date"),
        (["--dyad", "IRN-PAK", "--date", "2024-01-18", "--top", "0"], "--top"),
        (["--dyad", "IRAN-PAK", "--date", "2024-01-18"], "--dyad"),
        (["--date", "2024-01-18"], "--dyad"),
        (["--dyad", "IRN-PAK", "--date", "2024-01-18", "-o", str(BUNDLED)], "-o"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_line(capsys, argv, option):
    before = BUNDLED.read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["explain", str(BUNDLED), *argv])
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and option in err and "Traceback" not in err
    assert BUNDLED.read_bytes() == before


def test_cli_absent_dyad_exits_1_with_one_line(capsys):
    code, out, err = run(capsys, "explain", BUNDLED, "--dyad", "IND-PAK", "--date", "2024-01-18")
    assert code == 1 and out == ""
    assert err == "relscore: error: no events for dyad IND-PAK (dyads in the data: IRN-PAK)\n"


def test_cli_help_shows_the_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    out = capsys.readouterr().out
    assert "(default: magnitude" in out and "(default: 10;" in out and "%%" not in out


def test_top_contributors_in_blocks_of_days_give_the_same_table(bundled, monkeypatch):
    from relscore.analysis import explain

    days = pd.date_range("2023-01-01", "2024-12-31")
    whole = top_contributors(bundled, "IRN-PAK", days, k=4, window=90)
    monkeypatch.setattr(explain, "CELLS", 1000)  # a few days at a time
    pd.testing.assert_frame_equal(top_contributors(bundled, "IRN-PAK", days, k=4, window=90), whole)
    assert len(whole) > 4 * 300


@pytest.mark.parametrize(
    "kernel", [{}, {"half_life": 7.0}, {"half_life": 28.0}, {"window": 30}, {"window": 90}]
)
def test_top_contributors_pick_what_the_whole_days_x_events_array_picks(kernel):
    """Against the first form (tests/analysis/naive.py): every day of the calendar, each
    day's events among all of them, ties in the data's order."""
    from relscore.analysis import explain
    from relscore.testing.dyad import synthetic_dyad
    from tests.analysis import naive

    events = synthetic_dyad(1500, years=2, seed=5)
    events = pd.concat([events, events.iloc[::7]], ignore_index=True)  # ties, out of order
    coded, first, last = explain._dyad_events(events, "ISR-PSE", None, None, False)
    days = np.arange(first, last + 1)
    top = top_contributors(events, "ISR-PSE", days.astype("datetime64[D]"), k=3, **kernel)
    order, picked = naive.top_contributors(coded, days, 3, **kernel)
    keep = (picked != 0).ravel()
    assert top["event"].tolist() == coded.index.to_numpy()[order.ravel()][keep].tolist()
    assert top["contribution"].tolist() == picked.ravel()[keep].tolist()
    index = relscore.tension_index(relscore.code_events(events), **kernel)
    tension = index.set_index("date")["tension"].reindex(top["date"]).to_numpy()
    np.testing.assert_allclose(top["tension"], tension, rtol=1e-12, atol=1e-9)
