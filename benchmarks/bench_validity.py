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
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

import relscore
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


if __name__ == "__main__":
    main()
