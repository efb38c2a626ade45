"""How far can you trust an episode? The known-crises recall on machine-coded data that nobody
on the project wrote, beside the curated readings that must hold.

Run from the repository root::

    python benchmarks/bench_validity.py

Reads ``data/validation/keds_turkey.csv`` (KEDS, 1992-2006) and its list of known crises
``data/validation/keds_turkey_crises.csv`` (compiled from historical sources before the
events were opened; see ``data/validation/README.md``), and for the defaults and each scheme
runs what ``relscore crises`` runs: the index, :func:`relscore.episodes` (with the scheme's
``min_rise``), :func:`relscore.known_crises`. Prints the recall per scheme, each crisis found
or missed with the events the data hold for its dyad around it, and the curated checks:
January 2024 is Iran-Pakistan's top episode (peak 16-20 January), May 2025 India-Pakistan's,
June 2025 Iran-Israel's. It measures no time; the settings are the package's defaults,
chosen without looking at which crisis they find.

Then the same for the alerts (:func:`relscore.alerts`, checked by
:func:`relscore.alert_check`): the recall, the false alarms per dyad-year of the five
busiest listed dyads and the median lag, for the default reading and the two other series
an alert could read, and for other quiet periods; each crisis found with its lag, or
missed with the reason computed from the series; and the onsets of the curated crises
(January 2024 must alert on the 16th or 17th).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

import relscore
from relscore.analysis import alerts as rule
from relscore.analysis.alert_check import false_alarms
from relscore.analysis.episodes import min_rise_of

EVENTS, KNOWN = relscore.datasets.validation_files()
# (bundled file, dyad, the top episode's peak must fall in this window)
CURATED = (
    ("iran_pakistan", "IRN-PAK", "2024-01-16", "2024-01-20"),
    ("india_pakistan", "IND-PAK", "2025-05-01", "2025-05-31"),
    ("iran_israel", "IRN-ISR", "2025-06-01", "2025-06-30"),
)


def recall_by_scheme(events: pd.DataFrame, known: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The known-crises check of ``events`` under each scheme (decay, 14 days)."""
    checks = {}
    for scheme in relscore.SCHEMES:
        index = relscore.tension_index(relscore.code_events(events, scheme))
        found = relscore.episodes(index, min_rise=min_rise_of(scheme))
        checks[scheme] = relscore.known_crises(found, known)
    return checks


def events_around(events: pd.DataFrame, check: pd.DataFrame) -> pd.Series:
    """Events the data hold for each crisis's dyad from 3 days before its start to 30 days
    after its end, as a multiple of the dyad's usual rate over as many days."""
    dyad = ["-".join(sorted(pair)) for pair in zip(events["actor1"], events["actor2"], strict=True)]
    events = events.assign(dyad=dyad)
    span = (events["date"].max() - events["date"].min()).days + 1
    out = []
    for row in check[check["status"] != "unlisted"].itertuples():
        mine = events[events["dyad"] == row.dyad]
        lo, hi = row.start - pd.Timedelta(days=3), row.end + pd.Timedelta(days=30)
        days = (hi - lo).days + 1
        inside = int(mine["date"].between(lo, hi).sum())
        out.append((inside, inside / max(len(mine) * days / span, 1e-9)))
    return pd.Series(out)


def fairness(events: pd.DataFrame, known: pd.DataFrame) -> dict[str, tuple[float, int]]:
    """The recall of the default reading after each correction for news volume that was
    tried, with the rows each drops (see docs/trust.md)."""
    coded = relscore.code_events(events)
    readings = {
        "none (the raw index)": coded,
        "one row per date, pair and code": coded.drop_duplicates(
            ["date", "actor1", "actor2", "event_code"]
        ),
        "one row per date, pair and root code": coded.assign(
            root=coded["event_code"].str[:2]
        ).drop_duplicates(["date", "actor1", "actor2", "root"]),
    }
    out = {}
    for name, rows in readings.items():
        found = relscore.episodes(relscore.tension_index(rows))
        out[name] = (
            relscore.crisis_recall(relscore.known_crises(found, known)),
            len(coded) - len(rows),
        )
    index = relscore.tension_index(coded)
    found = relscore.episodes(_volume_scaled(index))
    out["net / the dyad's mean daily score over the year before"] = (
        relscore.crisis_recall(relscore.known_crises(found, known)),
        0,
    )
    return out


def _volume_scaled(index: pd.DataFrame) -> pd.DataFrame:
    """Each day's net divided by the dyad's mean daily |score| over the 365 days before it
    (at least its mean over all its days, so a quiet start does not blow up), in units of
    that overall mean; the kernel run again."""
    parts = []
    for _, rows in index.groupby("dyad", observed=True):
        volume = (rows["conflict"] + rows["cooperation"]).to_numpy()
        busy = np.flatnonzero(volume > 0)
        if not len(busy):
            continue
        overall = volume[busy[0] :].mean()
        total = np.concatenate([[0.0], np.cumsum(volume)])
        day = np.arange(len(volume))
        before = np.maximum(day - 365, 0)
        mean = (total[day] - total[before]) / np.maximum(day - before, 1)
        net = rows["net"].to_numpy() / np.maximum(mean, overall) * overall
        parts.append(rows.assign(net=net, tension=relscore.apply_kernel(net)))
    return pd.concat(parts, ignore_index=True)


def curated_checks() -> list[tuple[str, str, bool]]:
    rows = []
    for name, dyad, first, last in CURATED:
        index = relscore.tension_index(relscore.code_events(relscore.datasets.load(name)))
        found = relscore.episodes(index)
        top = found[(found["dyad"] == dyad) & (found["rank"] == 1)].iloc[0]
        ok = pd.Timestamp(first) <= top["peak_date"] <= pd.Timestamp(last)
        rows.append((dyad, f"{top['peak_date']:%Y-%m-%d} ({top['peak']:.1f})", ok))
    return rows


# What an alert could read: (name, series, kernel); the first is the default.
ALERT_READINGS = (
    ("conflict, decay 14 days (default)", "conflict", {}),
    ("tension index, decay 14 days", "tension", {}),
    ("conflict, 30-day sum (as HDX Signals)", "conflict", {"window": 30}),
)
QUIET_TRIED = (0, 30, 90, 180)  # days; the default is rule.QUIET_DAYS
# (bundled file, dyad, onset, what): each must alert from its onset to 3 days after it
CURATED_ONSETS = (
    ("iran_pakistan", "IRN-PAK", "2024-01-16", "Iran's strikes in Panjgur"),
    ("india_pakistan", "IND-PAK", "2025-04-22", "the Pahalgam attack"),
    ("iran_israel", "IRN-ISR", "2025-06-13", "Israel's strikes on Iran"),
)
ONSET_DAYS = 3


def alert_check_of(
    events,
    known,
    series=rule.DEFAULT_SERIES,
    quiet_days=rule.QUIET_DAYS,
    floor=rule.FLOOR,
    **kernel,
):
    """The alerts of ``events`` (magnitude scheme) checked against ``known``: the check,
    the false alarms of the busiest listed dyads, and the alerts."""
    index = relscore.tension_index(relscore.code_events(events), **kernel)
    found, standing = rule.scan(rule.index_blocks(index, series, **kernel), floor, quiet_days)
    check = relscore.alert_check(found, known)
    return check, false_alarms(check, standing), found


def alert_readings(events, known) -> dict[str, tuple]:
    """The check of each reading of :data:`ALERT_READINGS`, the defaults otherwise."""
    return {
        name: alert_check_of(events, known, series, **kernel)[:2]
        for name, series, kernel in ALERT_READINGS
    }


def quiet_periods(events, known) -> dict[int, tuple]:
    """The check of the default reading under each quiet period of :data:`QUIET_TRIED`."""
    return {q: alert_check_of(events, known, quiet_days=q)[:2] for q in QUIET_TRIED}


def any_record(events, known) -> tuple:
    """The ceiling of the rule on these data: every record of a year at all, with no floor
    (a millionth of a point) and no quiet period."""
    return alert_check_of(events, known, quiet_days=0, floor=1e-6)[:2]


def alert_misses(events, known) -> pd.DataFrame:
    """Why each crisis the default alerts miss is missed, from the series itself: ``reason``
    (``history``, ``quiet``, ``floor`` or ``record``) and the numbers behind it."""
    check, _, found = alert_check_of(events, known)
    loud = alert_check_of(events, known, quiet_days=0)[2]
    index = relscore.tension_index(relscore.code_events(events))
    series = {}
    for block in rule.index_blocks(index):
        for label, row, n in zip(block.labels, block.reading, block.n_events, strict=True):
            series[label] = (block.first_day, row, int(np.flatnonzero(n)[0]))
    rows = []
    for crisis in check[check["status"] == "missed"].itertuples():
        first_day, x, first = series[crisis.dyad]

        def date(k: int, first_day: int = first_day) -> pd.Timestamp:
            return pd.Timestamp(0) + pd.Timedelta(days=k + first_day)

        lo = (crisis.start - pd.Timestamp(0)).days - first_day - 3
        hi = (crisis.end - pd.Timestamp(0)).days - first_day
        peak = lo + int(np.argmax(x[lo : hi + 1]))
        year = x[max(first, peak - 365) : peak]
        heard = loud[(loud["dyad"] == crisis.dyad) & loud["date"].between(date(lo), date(hi))]
        if hi - first < rule.YEAR_DAYS:
            reason, detail = "history", f"first event {date(first):%Y-%m-%d}"
        elif len(heard):
            kept = found[(found["dyad"] == crisis.dyad) & (found["date"] < heard["date"].iloc[0])]
            last = kept.iloc[-1]
            days = (heard["date"].iloc[0] - last["date"]).days
            reason = "quiet"
            detail = (
                f"{heard['value'].iloc[0]:.1f}, {days} days after an alert on "
                f"{last['date']:%Y-%m-%d} ({last['value']:.1f})"
            )
        elif x[peak] < rule.FLOOR:
            reason, detail = "floor", f"highest {x[peak]:.1f} on {date(peak):%Y-%m-%d}"
        else:
            at = max(first, peak - 365) + int(np.argmax(year))
            reason = "record"
            detail = (
                f"highest {x[peak]:.1f} on {date(peak):%Y-%m-%d}, below "
                f"{x[at]:.1f} on {date(at):%Y-%m-%d}"
            )
        rows.append((crisis.dyad, crisis.start, crisis.what, reason, detail))
    return pd.DataFrame(rows, columns=["dyad", "start", "what", "reason", "detail"])


def near_the_floor(events) -> dict[str, int]:
    """How many of the default alerts (all dyads) sit within half a point of the floor, and
    how many of those are two events of code 190 on one day (one report coded both ways)."""
    coded = relscore.code_events(events)
    found = relscore.alerts(relscore.tension_index(coded), coded)
    near = found[found["value"] < rule.FLOOR + 0.5]
    same_day = near["event_1"].str[:10] == near["event_2"].str[:10]
    pairs = near["event_1"].str[11:15].eq("190 ") & near["event_2"].str[11:15].eq("190 ")
    return {
        "alerts": len(found),
        "dyads": int(relscore.tension_index(coded)["dyad"].nunique()),
        "near": len(near),
        "pairs": int((same_day & pairs).sum()),
    }


def curated_alerts() -> list[tuple[str, str, str, bool]]:
    """Each curated crisis's first alert from 3 days before its onset: dyad, onset, the
    alert in words, and whether it came within :data:`ONSET_DAYS` days of the onset."""
    rows = []
    for name, dyad, onset, what in CURATED_ONSETS:
        coded = relscore.code_events(relscore.datasets.load(name))
        start = pd.Timestamp(onset) - pd.Timedelta(days=ONSET_DAYS)
        found = relscore.alerts(relscore.tension_index(coded), since=start)
        found = found[found["dyad"] == dyad]
        if found.empty:
            rows.append((dyad, onset, f"no alert ({what})", False))
            continue
        first = found.iloc[0]
        lag = (first["date"] - pd.Timestamp(onset)).days
        words = (
            f"{first['date']:%Y-%m-%d} ({first['level']}, {first['value']:.1f}; {what}, "
            f"{lag:+d} days)"
        )
        rows.append((dyad, onset, words, abs(lag) <= ONSET_DAYS))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=Path, default=EVENTS)
    parser.add_argument("--known", type=Path, default=KNOWN)
    args = parser.parse_args(argv)
    events = relscore.read_events(args.events)
    known = relscore.read_crises(args.known)
    checks = recall_by_scheme(events, known)
    print(
        f"known crises: {len(known)} over {known['dyad'].nunique()} dyads; {len(events):,} events"
    )
    for scheme, check in checks.items():
        crises = check[check["status"] != "unlisted"]
        n = int((crises["status"] == "found").sum())
        mark = " (default)" if scheme == relscore.DEFAULT_SCHEME else ""
        print(f"recall_{scheme}: {relscore.crisis_recall(check):.3f}  ({n} of {len(crises)}){mark}")
    check = checks[relscore.DEFAULT_SCHEME]
    crises = check[check["status"] != "unlisted"].reset_index(drop=True)
    around = events_around(events, crises)
    print(f"\nthe default reading ({relscore.DEFAULT_SCHEME}), crisis by crisis:")
    for row, (inside, ratio) in zip(crises.itertuples(), around, strict=True):
        where = f"rank {row.rank}, peak {row.peak_date:%Y-%m-%d}" if row.status == "found" else ""
        print(
            f"  {row.status:<6} {row.dyad} {row.start:%Y-%m-%d}  {inside:4d} events "
            f"({ratio:4.1f}x usual)  {where}  {row.what}"
        )
    print("\ncorrections for news volume tried (default reading):")
    for name, (recall, dropped) in fairness(events, known).items():
        print(f"  {recall:.3f}  {name}" + (f" (drops {dropped} rows)" if dropped else ""))
    print("\ncurated readings:")
    for dyad, peak, ok in curated_checks():
        print(f"  {'ok  ' if ok else 'FAIL'} {dyad} top episode peaks {peak}")
    print_alerts(events, known)


def print_alerts(events: pd.DataFrame, known: pd.DataFrame) -> None:
    n = len(known)

    def line(label: str, check: pd.DataFrame, alarms: pd.DataFrame) -> str:
        per_year = alarms["per_year"].iloc[-1]
        return f"  {label:<42} {_share(check, n):<11} {per_year:<20.2f} {_lag(check)}"

    print(f"\nalerts (floor {rule.FLOOR:g}, quiet {rule.QUIET_DAYS} days unless named):")
    print(f"  {'reading':<42} {'recall':<11} {'false alarms/dyad-yr':<20} median lag")
    for name, (check, alarms) in alert_readings(events, known).items():
        print(line(name, check, alarms))
    print("  the default reading, other quiet periods:")
    for quiet, (check, alarms) in quiet_periods(events, known).items():
        mark = " (default)" if quiet == rule.QUIET_DAYS else ""
        print(line(f"quiet {quiet} days{mark}", check, alarms))
    print(line("any record at all (no floor, no quiet)", *any_record(events, known)))
    check, alarms, _ = alert_check_of(events, known)
    print("\nthe default alerts, crisis by crisis:")
    misses = alert_misses(events, known).set_index(["dyad", "start"])
    for row in check[check["status"] != "unlisted"].itertuples():
        head = f"  {row.status:<6} {row.dyad} {row.start:%Y-%m-%d}  "
        if row.status == "found":
            print(
                f"{head}alert {row.date:%Y-%m-%d} ({row.level}) {row.lag_days:+d} days  {row.what}"
            )
        else:
            miss = misses.loc[(row.dyad, row.start)]
            print(f"{head}{miss['reason']}: {miss['detail']}  {row.what}")
    print(f"  reasons: {alert_misses(events, known)['reason'].value_counts().to_dict()}")
    print(
        "  {alerts} alerts on all {dyads} dyads, {near} within half a point of the floor, "
        "{pairs} of them two events of code 190 on one day".format(**near_the_floor(events))
    )
    print("\nfalse alarms of the busiest listed dyads (alerts in no listed crisis):")
    for row in alarms.itertuples():
        print(
            f"  {row.dyad:<8} {row.n_events:5d} events  {row.false_alarms:3d} in "
            f"{row.years:4.1f} years  {row.per_year:.2f}/year"
        )
    print("\ncurated onsets:")
    for dyad, onset, words, ok in curated_alerts():
        print(f"  {'ok  ' if ok else 'FAIL'} {dyad} onset {onset}: alert {words}")


def _share(check: pd.DataFrame, n: int) -> str:
    found = int((check["status"] == "found").sum())
    return f"{found / n:.0%} ({found}/{n})"


def _lag(check: pd.DataFrame) -> str:
    lags = check["lag_days"].dropna()
    return f"{lags.median():+.0f} days" if len(lags) else "-"


if __name__ == "__main__":
    main()
