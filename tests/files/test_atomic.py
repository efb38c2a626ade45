"""Atomic writes: a file, a set of files, a whole folder; streams written as they are;
what cannot be written refused; the old content back whenever a write fails."""

import os
import socket
import stat
import threading

import pytest

from relscore.exceptions import OutputFileError
from relscore.files import atomic
from relscore.files.atomic import (
    AtomicFiles,
    AtomicFolder,
    atomic_path,
    text_output,
    write_text_atomic,
)
from relscore.files.temporary import temp_name


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_write_replaces_the_file_and_sweeps_what_a_killed_run_left(tmp_path, ended_pid):
    target = tmp_path / "index.csv"
    target.write_text("old")
    left = temp_name(target, pid=ended_pid)
    left.write_text("half of a killed run's index")
    write_text_atomic(target, "new")
    assert target.read_text() == "new" and names(tmp_path) == ["index.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "index.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("the disk is gone")
    assert target.read_text() == "old" and names(tmp_path) == ["index.csv"]


def test_a_symbolic_link_stays_a_link_to_the_new_file(tmp_path):
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old")
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_text_atomic(fifo, "dyad,date\n")
    reader.join(10)
    assert received == ["dyad,date\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert names(tmp_path) == ["out.fifo"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_is_written_as_a_stream_never_replaced(tmp_path):
    null = tmp_path / "null"  # a twin of /dev/null, so the real one is never at risk
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    with pytest.raises(RuntimeError), atomic_path(null) as stream:  # an error: not removed
        stream.write_text("an index")
        raise RuntimeError
    write_text_atomic(null, "an index")
    with AtomicFiles() as files:
        files.path(null).write_text("a set")
    assert stat.S_ISCHR(os.stat(null).st_mode) and names(tmp_path) == ["null"]


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputFileError, match=r"s\.sock: is a socket; name a file, a FIFO"):
            write_text_atomic(path, "x")
    assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_a_dash_is_standard_output(capsys):
    write_text_atomic("-", "dyad,date\n")
    with text_output("-") as out:
        out.write("IRN-PAK,2024-01-18\n")
    assert capsys.readouterr().out == "dyad,date\nIRN-PAK,2024-01-18\n"


def test_a_set_whose_last_rename_fails_puts_the_first_back(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("old a")
    real = os.replace

    def fails_for_b(source, target):
        if str(target) == str(b):
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(atomic.os, "replace", fails_for_b)
    failed = pytest.raises(OutputFileError, match=r"b\.csv: cannot write: no space left")
    with failed, AtomicFiles() as files:
        files.path(a).write_text("new a")
        files.path(b).write_text("new b")
    assert a.read_text() == "old a" and not b.exists()
    assert names(tmp_path) == ["a.csv"]  # no temporary, no kept link


@pytest.fixture(params=["exchange", "file by file"])
def swap(request, monkeypatch):
    if request.param == "file by file":  # a system without renameat2
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    return request.param


def test_a_folder_is_swapped_in_whole_and_keeps_the_users_files(tmp_path, swap):
    folder = tmp_path / "figures"
    folder.mkdir()
    for name, text in (("a.csv", "old a"), ("stale.png", "old"), ("notes.txt", "mine")):
        (folder / name).write_text(text)
    (folder / "drafts").mkdir()
    (folder / "drafts" / "d.txt").write_text("mine too")
    with AtomicFolder(folder) as new:
        new.path("a.csv").write_text("new a")
        new.path("b.csv").write_text("new b")
    assert names(folder) == ["a.csv", "b.csv", "drafts", "notes.txt", "stale.png"]
    assert [(folder / n).read_text() for n in ("a.csv", "b.csv", "notes.txt")] == [
        "new a",
        "new b",
        "mine",
    ]
    assert (folder / "drafts" / "d.txt").read_text() == "mine too"
    assert names(tmp_path) == ["figures"]


def test_a_folder_whose_build_fails_is_untouched(tmp_path, swap):
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "a.csv").write_text("old a")
    before = os.stat(folder).st_ino
    with pytest.raises(RuntimeError), AtomicFolder(folder) as new:
        new.path("a.csv").write_text("new a")
        raise RuntimeError("the disk filled")
    assert names(tmp_path) == ["figures"] and os.stat(folder).st_ino == before
    assert names(folder) == ["a.csv"] and (folder / "a.csv").read_text() == "old a"


def test_a_new_folder_appears_whole(tmp_path):
    with AtomicFolder(tmp_path / "out" / "figures") as new:
        new.path("a.csv").write_text("a")
    assert names(tmp_path / "out") == ["figures"] and names(tmp_path / "out/figures") == ["a.csv"]


def test_a_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "figures").write_text("a file")
    with pytest.raises(OutputFileError, match="figures: is a file; name a folder"):
        AtomicFolder(tmp_path / "figures")
