"""Faults from outside: a full disk under every writer, an import killed mid-way, two
imports at once, a read-only install. Each leaves the old output (or store) as it was,
no temporary file behind, and a one-line error naming the file.

A full disk is a small tmpfs where ``mount`` works (root, as in CI), else the test skips;
the same failures are also injected at the OS boundary (a file object whose ``write``
raises ENOSPC), which needs no mount.
"""

import errno
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from relscore.exceptions import OutputFileError, StoreError
from relscore.files.temporary import temp_name
from relscore.importers import import_gdelt
from relscore.store.ingest import import_to_store
from relscore.testing.synthetic import write_gdelt
from tests.conftest import FIXTURES, ROOT, run

GDELT61 = FIXTURES / "gdelt2_61col.tsv"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.tmp"))


def long_events(path: Path, years: int = 40, dyads=("IRN,PAK", "IND,PAK", "ISR,IRN")) -> Path:
    """Events one a month for ``years`` years per dyad: an index of years * 365 rows each."""
    rows = ["date,actor1,actor2,event_code,description,source"]
    for dyad in dyads:
        for month in pd.date_range("1960-01-01", periods=12 * years, freq="MS"):
            rows.append(f"{month:%Y-%m-%d},{dyad},195,x,seed")
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB file system (tmpfs), removed afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        gc.collect()
        if subprocess.run(["umount", str(disk)]).returncode:
            subprocess.run(["umount", "-l", str(disk)], check=True)  # leave no mount behind
            pytest.fail("a file on the small disk was left open")


# --- A full disk under every writer ------------------------------------------------------


@pytest.mark.parametrize("output", ["i.csv", "i.parquet"])
def test_a_full_disk_under_the_index_keeps_the_old_output(capsys, tmp_path, small_disk, output):
    events = long_events(tmp_path / "e.csv")
    target = small_disk / output
    target.write_text("the previous index\n")
    code, _, err = run(capsys, "index", events, "-o", target)
    assert code == 1
    # CSV: the write fails; Parquet (block-wise) stops at the disk estimate, before writing.
    assert err.startswith(
        f"relscore: error: {target}: cannot write: no space left on the disk"
    ) or ("its disk has" in err)
    assert err.count("\n") == 1
    assert target.read_text() == "the previous index\n"
    assert temporaries(small_disk) == []


def test_a_full_disk_under_the_block_wise_index_when_the_estimate_passes(
    capsys, tmp_path, small_disk, monkeypatch
):
    monkeypatch.setattr("relscore.scale.budget.check_disk", lambda *args: None)
    events = long_events(tmp_path / "e.csv")
    for output in ("i.parquet", "i.csv"):
        target = small_disk / output
        target.write_text("old\n")
        code, _, err = run(capsys, "index", events, "--all-dyads", "-o", target)
        assert (code, err) == (
            1,
            f"relscore: error: {target}: cannot write: no space left on the disk\n",
        )
        assert target.read_text() == "old\n"
        target.unlink()
    assert temporaries(small_disk) == []


def test_a_full_disk_under_a_csv_import(capsys, tmp_path, small_disk):
    source = tmp_path / "g.tsv"
    write_gdelt(source, 5000, n_days=30)
    target, skipped = small_disk / "events.csv", small_disk / "skipped.csv"
    target.write_text("old\n")
    code, _, err = run(capsys, "import", "gdelt", source, "-o", target, "--skipped", skipped)
    assert code == 1 and err.startswith("relscore: error: ") and err.count("\n") == 1
    assert "no space left on the disk" in err and str(small_disk) in err
    assert target.read_text() == "old\n" and not skipped.exists()
    assert temporaries(small_disk) == []


def test_a_full_disk_under_a_store_import_keeps_the_store(capsys, tmp_path, small_disk):
    store = small_disk / "store"
    assert run(capsys, "import", "gdelt", GDELT61, "--to-parquet", store)[0] == 0
    before = snapshot(store)
    source = tmp_path / "big.tsv"
    write_gdelt(source, 50_000, n_days=90)
    code, _, err = run(capsys, "import", "gdelt", source, "--to-parquet", store)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"relscore: error: {store}") and "no space left on the disk" in err
    assert snapshot(store) == before
    assert temporaries(small_disk) == []


def test_a_full_disk_under_figures_leaves_the_old_set_whole(capsys, tmp_path):
    """The disk fills while the new set is written: the folder keeps the old set, every
    file as it was (a set that no build made, 20 new and 6 old files, was left before)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(p.stat().st_size for p in (ROOT / "figures").iterdir()) + 4 * 2**20
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        out = disk / "figures"
        out.mkdir()
        for path in (ROOT / "figures").iterdir():
            (out / path.name).write_bytes(path.read_bytes())
        (out / "notes.txt").write_text("a user's own")
        before = snapshot(out)
        weights = tmp_path / "w.toml"
        weights.write_text('[weights]\n"195" = -8.0\n')
        code, _, err = run(capsys, "figures", "--out", out, "--weights", weights)
        assert code == 1  # after the progress lines, one error line
        assert err.splitlines()[-1] == (
            f"relscore: error: {out}: cannot write: no space left on the disk"
        )
        assert snapshot(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["figures"]
    finally:
        gc.collect()
        subprocess.run(["umount", str(disk)], check=True)


class FullFile:
    """A text file whose writes fail as on a full disk (ENOSPC), after a few bytes."""

    def __init__(self, path, *args, **kwargs):
        self._file = open(path, *args, **kwargs)  # noqa: SIM115
        self.written = 0

    def write(self, text):
        self.written += len(text)
        if self.written > 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(text)

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.mark.parametrize("writer", ["index", "import"])
def test_enospc_at_the_os_boundary_is_one_error_and_no_temporary(
    capsys, tmp_path, monkeypatch, writer
):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    if writer == "index":
        monkeypatch.setattr("relscore.store.index_file.open", FullFile, raising=False)
        argv = ["index", long_events(tmp_path / "e.csv"), "--all-dyads", "-o", target]
    else:
        monkeypatch.setattr("relscore.files.atomic.open", FullFile, raising=False)
        argv = ["import", "gdelt", GDELT61, "-o", target]
    code, _, err = run(capsys, *argv)
    assert (code, err) == (
        1,
        f"relscore: error: {target}: cannot write: no space left on the disk\n",
    )
    assert target.read_text() == "old\n"
    assert temporaries(tmp_path) == []


def test_enospc_in_the_library_is_output_file_error(tmp_path, monkeypatch):
    monkeypatch.setattr("relscore.files.atomic.open", FullFile, raising=False)
    with pytest.raises(OutputFileError, match="no space left on the disk"):
        import_gdelt(GDELT61, tmp_path / "out.csv")


# --- An import killed mid-way, and two at once ------------------------------------------

# Small row groups, so that a store import writes temporary parts from its first blocks
# and is slow enough to be caught mid-way.
SLOW_IMPORT = """
import sys
import relscore.store.parts as store
from relscore.store.ingest import import_to_store
from relscore.importers.options import options
store.ROW_GROUP_ROWS = 1024
import_to_store(sys.argv[2:], sys.argv[1], chunk_bytes=1 << 16)
"""


@pytest.fixture(scope="module")
def big_sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    paths = [folder / "a.tsv", folder / "b.tsv"]
    write_gdelt(paths[0], 60_000, n_days=200, seed=1)
    write_gdelt(paths[1], 60_000, n_days=200, seed=2, first_id=1_100_000_000)
    return paths


def _start_slow_import(store: Path, sources: list[Path]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_IMPORT, str(store), *map(str, sources)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_temporaries(process: subprocess.Popen, store: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not temporaries(store):
        if process.poll() is not None:
            pytest.fail(f"the import ended before it wrote: {process.stderr.read().decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import wrote no temporary part in time")
        time.sleep(0.005)


def stored_events(store: Path) -> pd.DataFrame:
    from relscore.store.layout import STORE_SCHEMA, month_parts, read_month

    frames = [read_month(f, STORE_SCHEMA.names).to_pandas() for f in month_parts(store).values()]
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.astype({c: str for c in ("actor1", "actor2", "event_code")})
    return frame.sort_values(["event_id", "origin_line"], ignore_index=True)


def test_an_import_killed_mid_way_then_run_again_gives_the_clean_store(tmp_path, big_sources):
    clean = tmp_path / "clean"
    tally = import_to_store(big_sources, clean)
    store = tmp_path / "store"
    process = _start_slow_import(store, big_sources)
    _wait_for_temporaries(process, store)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert temporaries(store)  # what the killed run left
    again = import_to_store(big_sources, store)
    assert again.notes and again.notes[0].startswith("removed ")
    assert temporaries(store) == []
    assert snapshot(store) == snapshot(clean)  # byte for byte, part for part
    assert len(stored_events(store)) == tally.kept


def test_two_imports_at_once_serialise_or_fail_cleanly(capsys, tmp_path, big_sources):
    store = tmp_path / "store"
    process = _start_slow_import(store, big_sources[:1])
    _wait_for_temporaries(process, store)
    code, _, err = run(capsys, "import", "gdelt", big_sources[1], "--to-parquet", store)
    _, stderr = process.communicate(timeout=300)
    process.stdout.close()
    assert process.returncode == 0, stderr.decode()
    assert code == 1 and "another relscore run is importing into or indexing this store" in err
    clean = tmp_path / "clean"
    import_to_store(big_sources[:1], clean)
    # The refused import left nothing: the same parts, with the same events (the bytes
    # differ only by the slow import's small row groups).
    assert [p.relative_to(store) for p in sorted(store.rglob("*.parquet"))] == [
        p.relative_to(clean) for p in sorted(clean.rglob("*.parquet"))
    ]
    pd.testing.assert_frame_equal(stored_events(store), stored_events(clean))
    with pytest.raises(StoreError):  # and the library says the same
        from relscore.store.layout import store_lock

        with store_lock(store):
            import_to_store(big_sources[1:], store)


# --- A read-only install ----------------------------------------------------------------


def test_compiled_code_runs_from_a_read_only_install_and_home(tmp_path):
    disk = tmp_path / "ro"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        subprocess.run(
            ["cp", "-r", str(ROOT / "relscore"), str(disk)], check=True
        )  # without __pycache__: nothing compiled yet
        subprocess.run(
            ["find", str(disk), "-name", "__pycache__", "-prune", "-exec", "rm", "-rf", "{}", "+"],
            check=True,
        )
        (disk / "home").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        script = (
            "import relscore, relscore.importers.tsv\n"
            "from relscore.importers import read_gdelt\n"
            f"events, tally = read_gdelt({str(GDELT61)!r})\n"
            "print(relscore.__file__, tally.kept)\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA", "XDG"))}
        env |= {"HOME": str(disk / "home"), "PYTHONPATH": str(disk)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == [str(disk / "relscore" / "__init__.py"), "4"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    assert np  # numpy is what the compiled code runs on


def test_a_store_whose_creation_was_killed_is_created_again(tmp_path, big_sources, ended_pid):
    """Killed between taking the lock and writing its description, a first import leaves
    only the lock file and a temporary description: the next import creates the store."""
    store = tmp_path / "store"
    store.mkdir()
    (store / "_relscore_store.lock").touch()
    temp_name(store / "_relscore_store.json", pid=ended_pid).write_text("{")
    import_to_store(big_sources[:1], store)
    clean = tmp_path / "clean"
    import_to_store(big_sources[:1], clean)
    assert temporaries(store) == []
    assert snapshot(store) == snapshot(clean)
