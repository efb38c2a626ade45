"""relscore's own temporaries: named so, and swept only when the run that made them ended."""

import os

from relscore.exceptions import OutputFileError
from relscore.files.temporary import (
    abandoned,
    is_temporary,
    remove_temporaries,
    remove_temporaries_of,
    temp_beside,
    temp_name,
)


def test_a_temporary_is_named_for_its_process_machine_and_target(tmp_path):
    tmp = temp_beside(tmp_path / "index.csv")
    assert tmp.parent == tmp_path and tmp.exists()
    pid, host, *rest = tmp.name.removeprefix(".relscore.").split(".")
    assert pid == str(os.getpid()) and len(host) == 6
    assert ".".join(rest[:-2]) == "index.csv" and rest[-1] == "tmp"
    assert oct(tmp.stat().st_mode & 0o777) == "0o644"
    folder = temp_beside(tmp_path / "figures", folder=True)
    assert folder.is_dir() and is_temporary(folder.name)


def test_only_ours_of_ended_runs_are_removed(tmp_path, ended_pid):
    ended = temp_name(tmp_path / "index.csv", pid=ended_pid)
    ended.write_text("half")
    ended_folder = temp_name(tmp_path / "figures", pid=ended_pid)
    ended_folder.mkdir()
    (ended_folder / "a.png").write_bytes(b"x")
    running = temp_beside(tmp_path / "index.csv")  # this process: still writing
    others = [tmp_path / n for n in (".thesis_draft.tmp", ".draft.tmp", "a.tmp", ".relscore.tmp")]
    for other in others:
        other.write_text("a user's own")
    elsewhere = tmp_path / f".relscore.{ended_pid}.000000.index.csv.0123abcd.tmp"  # other host
    elsewhere.write_text("another machine's run, on a shared disk")
    removed = remove_temporaries(tmp_path, OutputFileError)
    assert sorted(removed) == sorted([ended, ended_folder])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [running.name, elsewhere.name, *(o.name for o in others)]
    )


def test_the_temporaries_of_one_target(tmp_path, ended_pid):
    mine = temp_name(tmp_path / "a[1].csv", pid=ended_pid)
    other = temp_name(tmp_path / "b.csv", pid=ended_pid)
    for path in (mine, other):
        path.write_text("x")
    assert remove_temporaries_of(tmp_path / "a[1].csv", OutputFileError) == [mine]
    assert other.exists()


def test_abandoned_reads_the_process_and_the_machine(ended_pid):
    assert abandoned(temp_name("x", pid=ended_pid).name)
    assert not abandoned(temp_name("x").name)  # this process
    assert not abandoned(temp_name("x", pid=1).name)  # init runs
    assert not abandoned(".x.abc123.tmp")  # the names of relscore 0.3, or a user's
