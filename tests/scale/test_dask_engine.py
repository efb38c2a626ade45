"""The Dask engine on a 2-worker LocalCluster: identical numbers to the local engine."""

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from relscore.cli import main
from relscore.scale import index_store
from relscore.scale.dask_engine import index_store_dask
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """Five months of synthetic GDELT in two files, each in the store on its own."""
    folder = tmp_path_factory.mktemp("dask")
    for name, seed in (("a", 1), ("b", 2)):
        path = folder / f"{name}.export.CSV"
        write_gdelt(path, 4000, n_dyads=60, n_codes=15, n_days=150, start="2024-01-01", seed=seed)
        import_to_store([path], folder / "store")
    return folder / "store"


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"block_dyads": 1, "window": 30},
        {"block_dyads": 7, "directed": True, "start": "2024-03-01", "end": "2024-07-31"},
        {"block_dyads": 4, "weight_by": "num_articles", "scheme": "goldstein"},
    ],
    ids=["default", "one-dyad-blocks", "directed-dates", "weight-by"],
)
def test_dask_equals_local_bit_for_bit(tmp_path, cluster, store, settings):
    local = index_store(store, tmp_path / "local.parquet", **settings)
    on_dask = index_store_dask(store, tmp_path / "dask.parquet", client=cluster, **settings)
    assert on_dask == local and local.n_rows > 0
    assert pq.read_table(tmp_path / "dask.parquet").equals(
        pq.read_table(tmp_path / "local.parquet")
    )


def test_one_dyad_on_dask(tmp_path, cluster, store):
    dyad = pd.read_parquet(store)  # every event, to pick a dyad
    name = "-".join(sorted(dyad[["actor1", "actor2"]].astype(str).iloc[0]))
    index_store(store, tmp_path / "local.csv", dyad=name, half_life=3)
    index_store_dask(store, tmp_path / "dask.csv", client=cluster, dyad=name, half_life=3)
    text = (tmp_path / "dask.csv").read_text()
    assert text == (tmp_path / "local.csv").read_text() and f"\n{name}," in text


def test_cli_engine_dask(capsys, tmp_path, cluster, store):
    argv = ["index", str(store), "--all-dyads", "--block-dyads", "9"]
    assert main([*argv, "-o", str(tmp_path / "local.csv")]) == 0
    dask_argv = [*argv, "--engine", "dask", "--scheduler", cluster, "-o", str(tmp_path / "d.csv")]
    assert main(dask_argv) == 0
    err = capsys.readouterr().err.splitlines()  # scored ..., seconds, rows in store = ...
    assert err[0] == err[3] and err[0].startswith("relscore: scored ")
    assert err[2] == err[5] and err[2].startswith("relscore: rows in store = ")
    assert (tmp_path / "d.csv").read_text() == (tmp_path / "local.csv").read_text()


def test_an_empty_store_on_dask(tmp_path, cluster):
    empty = tmp_path / "empty.CSV"
    empty.write_bytes(b"")
    import_to_store([empty], tmp_path / "store")
    run = index_store_dask(tmp_path / "store", tmp_path / "i.csv", client=cluster)
    assert run.n_rows == 0 and (tmp_path / "i.csv").read_text().startswith("dyad,date,")
