"""The block-wise index (local engine): the same numbers as ``relscore.tension_index``, bit for
bit, whatever the block size, the input (events in memory, CSV, the Parquet store) or the
way the store was filled; and the CLI around it."""

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import relscore
from relscore.cli import main
from relscore.files.progress import Progress
from relscore.importers import import_gdelt, read_gdelt
from relscore.scale import BudgetError, index_events, index_store
from relscore.scale.budget import parse_size
from relscore.store.index_folder import INDEX_SCHEMA
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import FIXTURES, GDELT_SAMPLE, run

ACTORS = np.array(["CHN", "IND", "IRN", "ISR", "PAK", "RUS", "TUR", "USA"])
CODES = np.array(["010", "036", "042", "057", "111", "112", "138", "173", "190", "195"])


def synthetic_events(n=400, n_days=120, seed=0) -> pd.DataFrame:
    """Events among 7 undirected dyads over ``n_days`` from 2024-01-01 (three or more
    months), either actor first; plus one IRN-USA event, the only one of its dyad."""
    rng = np.random.default_rng(seed)
    pairs = np.array([[0, 1], [1, 4], [2, 4], [2, 3], [5, 6], [0, 7], [3, 7]])
    pick = pairs[rng.integers(0, len(pairs), n)]
    swap = rng.random(n) < 0.5
    first, second = np.where(swap, pick[:, 1], pick[:, 0]), np.where(swap, pick[:, 0], pick[:, 1])
    events = pd.DataFrame(
        {
            "date": np.datetime64("2024-01-01") + rng.integers(0, n_days, n),
            "actor1": ACTORS[first],
            "actor2": ACTORS[second],
            "event_code": CODES[rng.integers(0, len(CODES), n)],
        }
    )
    once = pd.DataFrame(
        {"date": [np.datetime64("2024-02-10")], "actor1": ["USA"], "actor2": ["IRN"]}
    ).assign(event_code="195")
    return pd.concat([events, once], ignore_index=True).assign(
        date=lambda e: e["date"].astype("datetime64[s]")
    )


def as_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")


def read_index(path: Path) -> pd.DataFrame:
    """An index file read back with the column types of ``relscore.tension_index``."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return frame.assign(date=pd.to_datetime(frame["date"]).astype("datetime64[s]"))
    return pd.read_csv(path, parse_dates=["date"]).assign(
        date=lambda f: f["date"].astype("datetime64[s]")
    )


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal to the last bit, dyads compared as text."""
    pd.testing.assert_frame_equal(
        got.assign(dyad=got["dyad"].astype(str)).reset_index(drop=True),
        want.assign(dyad=want["dyad"].astype(str)).reset_index(drop=True),
        check_exact=True,
        check_dtype=False,
    )


@pytest.fixture(scope="module")
def coded() -> pd.DataFrame:
    return relscore.code_events(synthetic_events())


@pytest.mark.parametrize("block_dyads", [1, 2, 3, 7, 8, 100, None])
def test_blocks_give_the_whole_index(tmp_path, coded, block_dyads):
    """8 dyads: blocks of 1 (each dyad alone), 3 (3 + 3 + 2: a last partial block), ..."""
    want = relscore.tension_index(coded)
    assert want["dyad"].nunique() == 8
    for name in ("index.csv", "index.parquet"):
        run = index_events(coded, tmp_path / name, block_dyads=block_dyads)
        assert (run.n_events, run.n_rows, run.n_dyads) == (len(coded), len(want), 8)
        assert_same(read_index(tmp_path / name), want)
    assert (tmp_path / "index.csv").read_text() == as_csv(want)


@pytest.mark.parametrize(
    "kernel",
    [
        {"window": 30},
        {"half_life": 3.5},
        {"directed": True},
        {"start": "2024-02-01", "end": "2024-06-30", "window": 7},
        {"start": "2023-12-01", "end": "2024-01-10"},
        {"start": "2025-01-01"},  # after the last event: no rows
    ],
    ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()),
)
def test_kernels_directions_and_date_limits(tmp_path, coded, kernel):
    want = relscore.tension_index(coded, **kernel)
    directed = kernel.pop("directed", False)
    index_events(coded, tmp_path / "i.csv", directed=directed, block_dyads=3, **kernel)
    assert (tmp_path / "i.csv").read_text() == as_csv(want)


def test_a_dyad_seen_once(tmp_path, coded):
    index_events(coded, tmp_path / "i.parquet", dyad="IRN-USA", half_life=14)
    rows = read_index(tmp_path / "i.parquet")
    assert rows["n_events"].sum() == 1 and rows["dyad"].eq("IRN-USA").all()
    strike = rows.set_index("date").loc["2024-02-10"]
    assert strike["conflict"] == 20.0  # 195: Goldstein -10, material: x2
    later = rows.set_index("date").loc["2024-02-24", "tension"]
    assert later == pytest.approx(10.0, rel=1e-12)  # one half-life later
    assert rows["date"].min() == coded["date"].min()  # the shared calendar


@pytest.fixture(scope="module")
def gdelt(tmp_path_factory) -> dict:
    """Three synthetic GDELT files over four months that repeat each other's events (b
    repeats the last 2000 rows of a, ids and all; c has new ids but the same dyads, days and
    codes), imported three ways."""
    folder = tmp_path_factory.mktemp("gdelt")
    files = [folder / f"{name}.export.CSV" for name in "abc"]
    synthetic = {"n_dyads": 40, "n_codes": 12, "n_days": 100, "start": "2024-01-20"}
    write_gdelt(files[0], 3000, seed=1, **synthetic)
    lines = files[0].read_bytes().splitlines(keepends=True)
    files[1].write_bytes(b"".join(lines[1000:]))
    write_gdelt(files[2], 1500, first_id=2_000_000_000, seed=2, **synthetic)
    import_gdelt(files, folder / "events.csv")  # one call: dedupe across the files
    for mode in ("one-a-day", "none"):
        for path in files:  # one call per file: dedupe across files is left to the index
            import_to_store([path], folder / f"store-{mode}", dedupe=mode)
    import_gdelt(files, folder / "events-none.csv", dedupe="none")
    return {"folder": folder, "files": files}


@pytest.mark.parametrize("mode", ["one-a-day", "none"])
@pytest.mark.parametrize("block_dyads", [1, 7, None])
def test_the_store_gives_the_csv_index(tmp_path, gdelt, mode, block_dyads):
    csv = gdelt["folder"] / ("events.csv" if mode == "one-a-day" else "events-none.csv")
    events = relscore.read_events(csv)
    want = relscore.tension_index(relscore.code_events(events))
    run = index_store(
        gdelt["folder"] / f"store-{mode}", tmp_path / "i.csv", block_dyads=block_dyads
    )
    assert run.n_events == len(events) and run.n_rows == len(want)
    assert (tmp_path / "i.csv").read_text() == as_csv(want)


@pytest.mark.parametrize(
    "options_",
    [
        {"scheme": "goldstein", "window": 10},
        {"scheme": "quad", "directed": True, "half_life": 30},
        {"weight_by": "num_mentions", "overrides": {"010": -1.5}},
        {"dyad": "CHN-PSE"},
    ],
    ids=["goldstein", "quad-directed", "weight-by", "one-dyad"],
)
def test_scoring_options_on_the_store(tmp_path, gdelt, options_):
    options_ = dict(options_)
    events = relscore.read_events(gdelt["folder"] / "events.csv")
    coded = relscore.code_events(
        events, options_.get("scheme", "magnitude"), options_.get("overrides")
    )
    if "weight_by" in options_:
        coded = relscore.scale_by_coverage(coded, options_["weight_by"])
    kernel = {k: options_[k] for k in ("window", "half_life", "directed") if k in options_}
    want = relscore.tension_index(coded, **kernel)
    dyad = options_.pop("dyad", None)
    if dyad is not None:
        dyad = want["dyad"].cat.categories[5]  # whatever the seed made
        want = want[want["dyad"] == dyad]
    index_store(gdelt["folder"] / "store-one-a-day", tmp_path / "i.parquet", dyad=dyad, **options_)
    assert_same(read_index(tmp_path / "i.parquet"), want)


def test_empty_partitions_change_nothing(tmp_path, gdelt):
    store = tmp_path / "store"
    shutil.copytree(gdelt["folder"] / "store-one-a-day", store)
    index_store(store, tmp_path / "before.csv")
    pq.write_table(relscore.store.STORE_SCHEMA.empty_table(), store / "month=2024-02/zero.parquet")
    (store / "month=2030-01").mkdir()
    index_store(store, tmp_path / "after.csv")
    assert (tmp_path / "after.csv").read_text() == (tmp_path / "before.csv").read_text()


def test_an_empty_store_gives_an_empty_index(tmp_path):
    empty = tmp_path / "empty.CSV"
    empty.write_bytes(b"")
    import_to_store([empty], tmp_path / "store")
    run = index_store(tmp_path / "store", tmp_path / "i.parquet")
    assert (run.n_events, run.n_rows, run.n_dyads) == (0, 0, 0)
    table = pq.read_table(tmp_path / "i.parquet")
    assert table.num_rows == 0 and table.schema.remove_metadata() == INDEX_SCHEMA
    index_store(tmp_path / "store", tmp_path / "i.csv")
    assert (tmp_path / "i.csv").read_text() == ",".join(INDEX_SCHEMA.names) + "\n"


def test_a_store_scored_with_a_code_without_weight_fails(tmp_path, gdelt):
    with pytest.raises(relscore.UnknownSchemeError):
        index_store(gdelt["folder"] / "store-none", tmp_path / "i.csv", scheme="nope")


# --- budgets ----------------------------------------------------------------------------


def test_memory_budget_is_checked_before_reading(tmp_path, gdelt):
    with pytest.raises(BudgetError, match=r"reading month 2024-01 .* budget is 0.00 GB"):
        index_store(gdelt["folder"] / "store-none", tmp_path / "i.csv", max_memory=10_000)
    assert not (tmp_path / "i.csv").exists()


def test_a_block_too_big_for_the_budget_is_refused(tmp_path, coded):
    with pytest.raises(BudgetError, match="smaller --block-dyads"):
        index_events(coded, tmp_path / "i.csv", block_dyads=8, max_memory=60_000)
    index_events(coded, tmp_path / "i.csv", max_memory=60_000)  # blocks shrink to fit
    assert (tmp_path / "i.csv").read_text() == as_csv(relscore.tension_index(coded))


def test_disk_budget_is_checked_before_writing(tmp_path, gdelt, monkeypatch):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        "relscore.scale.budget.shutil.disk_usage", lambda p: usage._replace(free=1000)
    )
    with pytest.raises(BudgetError, match=r"has 0\.00 GB free"):
        index_store(gdelt["folder"] / "store-none", tmp_path / "i.parquet")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "size"), [("512M", 512_000_000), ("4G", 4_000_000_000), ("1.5gb", 1_500_000_000)]
)
def test_sizes(text, size):
    assert parse_size(text) == size
    with pytest.raises(ValueError, match="not a size"):
        parse_size("lots")


def test_progress_line():
    stream = io.StringIO()
    progress = Progress("index", 1.0, stream=stream, enabled=True, interval=0)
    progress.update(0.5, 2_000_000)
    assert "index:  50% |##########          | 2.0 M events" in stream.getvalue()
    progress.close()
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    Progress("index", 1.0, stream=quiet).update(1.0, 5)  # not a terminal: nothing
    assert quiet.getvalue() == ""


# --- the command line -------------------------------------------------------------------


def test_cli_store_and_csv_give_the_same_file(capsys, tmp_path, gdelt):
    store, csv = gdelt["folder"] / "store-one-a-day", gdelt["folder"] / "events.csv"
    assert run(capsys, "index", csv, "-o", tmp_path / "from_csv.csv")[0] == 0
    code, _, err = run(capsys, "index", store, "-o", tmp_path / "from_store.csv")
    assert code == 0
    n_events = len(relscore.read_events(csv))
    assert err.splitlines()[0].startswith(f"relscore: scored {n_events} events; wrote ")
    assert "events/s" in err.splitlines()[1]
    text = (tmp_path / "from_csv.csv").read_text()
    assert (tmp_path / "from_store.csv").read_text() == text
    code, out, _ = run(capsys, "index", store, "--all-dyads", "--block-dyads", "2")
    assert code == 0 and out == text  # standard output, CSV
    code, _, _ = run(capsys, "index", csv, "--all-dyads", "-o", tmp_path / "all.parquet")
    assert (
        code == 0
        and pq.read_table(tmp_path / "all.parquet").schema.remove_metadata() == INDEX_SCHEMA
    )
    assert_same(read_index(tmp_path / "all.parquet"), read_index(tmp_path / "from_csv.csv"))
    code, _, _ = run(capsys, "index", store, "--format", "parquet", "-o", tmp_path / "i.out")
    assert code == 0 and (tmp_path / "i.out").read_bytes()[:4] == b"PAR1"


def test_cli_one_dyad_of_the_store(capsys, tmp_path, gdelt):
    store, csv = gdelt["folder"] / "store-one-a-day", gdelt["folder"] / "events.csv"
    dyad = pd.read_csv(csv)[["actor1", "actor2"]].iloc[0].tolist()
    argv = ["--dyad", f"{dyad[1]}-{dyad[0]}", "--window", "5"]
    assert run(capsys, "index", csv, *argv, "-o", tmp_path / "a.csv")[0] == 0
    assert run(capsys, "index", store, *argv, "-o", tmp_path / "b.csv")[0] == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    code, _, err = run(capsys, "index", store, "--dyad", "IRN-PAK")
    assert code == 1 and err.startswith("relscore: error: no events for dyad IRN-PAK")


@pytest.mark.parametrize(
    "argv",
    [
        ["{store}", "{csv}"],
        ["{store}", "--all-dyads", "--dyad", "IRN-PAK"],
        ["{csv}", "--engine", "dask"],
        ["{store}", "--scheduler", "tcp://127.0.0.1:1"],
        ["{store}", "--format", "parquet"],
        ["{store}", "--block-dyads", "0"],
        ["{store}", "--max-memory", "lots"],
    ],
)
def test_cli_usage_errors(tmp_path, gdelt, argv):
    paths = {"store": gdelt["folder"] / "store-none", "csv": gdelt["folder"] / "events.csv"}
    with pytest.raises(SystemExit) as info:
        main(["index", *(a.format(**paths) for a in argv)])
    assert info.value.code == 2


def test_cli_budget_and_store_errors_exit_1(capsys, tmp_path, gdelt):
    store = gdelt["folder"] / "store-none"
    code, _, err = run(capsys, "index", store, "--max-memory", "10K", "-o", tmp_path / "i.csv")
    assert code == 1 and "needs about" in err and "budget is" in err
    code, _, err = run(capsys, "index", tmp_path, "-o", tmp_path / "i.csv")
    assert code == 1 and "not a relscore event store" in err
    assert not (tmp_path / "i.csv").exists()


def test_cli_weight_by_on_icews_says_what_is_missing(capsys, tmp_path):
    icews = FIXTURES / "icews_events_2018.tab"
    import_to_store([icews], tmp_path / "store", format="icews")
    code, _, err = run(capsys, "index", tmp_path / "store", "--weight-by", "num_mentions")
    assert code == 1 and "have no num_mentions" in err


def test_gdelt_sample_store_against_read_gdelt(tmp_path):
    sample = GDELT_SAMPLE
    events, _ = read_gdelt(sample)
    import_to_store([sample], tmp_path / "store")
    index_store(tmp_path / "store", tmp_path / "i.parquet", block_dyads=10)
    want = relscore.tension_index(relscore.code_events(events))
    assert_same(read_index(tmp_path / "i.parquet"), want)
