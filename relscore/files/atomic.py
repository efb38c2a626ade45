"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every writer of relscore goes through here: a temporary file beside the target (so the
final ``os.replace`` is a rename on one file system), named as relscore's own
(:mod:`relscore.files.temporary`), moved into place only when complete and removed on any
error. A write that fails (a full disk, a read-only folder, a name that is a folder) raises
:class:`~relscore.exceptions.OutputFileError` naming the file, and the old file stays.
The temporaries a killed run left beside a target are removed by the next write of it.

What the target already is decides how it is written:

* a regular file, or nothing yet: replaced atomically, as above;
* a symbolic link: the file it leads to is replaced; the link stays a link;
* a FIFO or a character device (``/dev/null``, a terminal, ``/dev/stdout`` on a pipe):
  written to as it is, as a stream, and never replaced or removed;
* a socket or a block device: refused, naming it;
* ``-`` (:data:`STDOUT`): standard output, for :func:`text_output` and
  :meth:`AtomicFiles.open`.

:func:`same_file` is how the command line tells that an output would overwrite an input.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from functools import cache
from pathlib import Path
from typing import TextIO

from relscore.exceptions import OutputFileError, RelscoreError
from relscore.files.errors import file_errors
from relscore.files.temporary import (
    is_temporary,
    remove_temporaries_of,
    temp_beside,
    temp_name,
)

STDOUT = "-"  # an output named so goes to standard output
_REFUSED = {stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device (a disk)"}


def is_stream(path: str | Path, error: type[RelscoreError] = OutputFileError) -> bool:
    """Whether ``path`` is written to as it is (a FIFO or a character device, through any
    symbolic link) rather than replaced; ``error`` naming it if it is a socket or a block
    device, which relscore does not write."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # nothing there yet, or a dangling link: a file will be made
        return False
    kind = stat.S_IFMT(mode)
    if kind in _REFUSED:
        raise error(
            f"{path}: is {_REFUSED[kind]}; name a file, a FIFO or a character device to write"
        )
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _followed(path: Path) -> Path:
    """Where a write of ``path`` goes: through a symbolic link, the file it leads to."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def atomic_path(path: str | Path, error: type[RelscoreError] = OutputFileError) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; moved into place when the
    block ends without error, removed otherwise (``path`` is then left untouched). A FIFO
    or a character device is yielded itself, to be written as a stream.

    Any OS error in the block (the writes to the temporary file) or in the move is raised
    as ``error`` naming ``path``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with atomic_path(Path(folder) / "a.txt") as tmp:
    ...         _ = tmp.write_text("new")
    ...     with atomic_path("/dev/null") as stream:
    ...         _ = stream.write_text("nothing")
    ...     (Path(folder) / "a.txt").read_text(), stream
    ('new', PosixPath('/dev/null'))
    """
    path = Path(path)
    with file_errors(path, error, "cannot write"):
        if is_stream(path, error):
            yield path
            return
        target = _followed(path)
        if target.is_dir():
            raise error(f"{path}: is a folder; name a file to write")
        remove_temporaries_of(target, error)
        tmp = temp_beside(target)
        try:
            yield tmp
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


@contextmanager
def text_output(path: str | Path, error: type[RelscoreError] = OutputFileError) -> Iterator[TextIO]:
    """An open UTF-8 text file (``\\n`` line ends) to write ``path``'s new content to,
    atomically as :func:`atomic_path` does; ``-`` is standard output (left open)."""
    if str(path) == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(path, error) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        yield out


def _move_all(moves: list[tuple[Path, Path]], error: type[RelscoreError]) -> None:
    """Rename each prepared file onto its target, in order; if one rename fails, put back
    the targets already renamed over (each old file was kept as a hard link) and raise.

    Only a crash between two renames can leave some targets new and some old."""
    done: list[tuple[Path, Path | None, bool]] = []  # target, its old file's link, existed
    try:
        for source, target in moves:
            with file_errors(target, error, "cannot write"):
                existed = target.exists()
                kept = _keep(target) if existed else None
                done.append((target, kept, existed))
                os.replace(source, target)
    except BaseException:
        for target, kept, existed in reversed(done):
            with suppress(OSError):
                if kept is not None:
                    os.replace(kept, target)
                elif not existed:
                    target.unlink(missing_ok=True)
        raise
    finally:
        for _, kept, _ in done:
            if kept is not None and kept.exists():
                with suppress(OSError):
                    kept.unlink()


def _keep(target: Path) -> Path | None:
    """A second name (a hard link, so no byte is copied) for ``target``'s old file, to put
    it back with; None where the file system has no hard links."""
    link = temp_name(target)
    try:
        os.link(target, link)
    except OSError:
        return None
    return link


class AtomicFiles:
    """Files written together, all or none: each to a temporary file beside its target,
    all moved into place by :meth:`commit`, all removed by :meth:`abort`.

    As a context manager it commits when the block ends without error and aborts
    otherwise. If a rename of the commit fails, the targets renamed before it get their
    old files back (kept as hard links); only a crash between two renames can leave some
    targets new and some old, which the callers' own recovery handles (an import run
    again, an index folder rebuilt from its store). A FIFO or a character device among
    the targets is written as a stream (:func:`atomic_path`), so not rolled back.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with AtomicFiles() as files:
    ...     files.path(folder / "a.txt").write_text("a")
    ...     files.path(folder / "b.txt").write_text("b")
    1
    1
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """

    def __init__(self, error: type[RelscoreError] = OutputFileError):
        self.error = error
        self.temporaries: dict[Path, Path] = {}  # target -> its temporary file

    def path(self, target: str | Path) -> Path:
        """A new temporary file for ``target`` (created empty), to write its content to."""
        given = Path(target)
        with file_errors(given, self.error, "cannot write"):
            if is_stream(given, self.error):
                return given
            target = _followed(given)
            if target.is_dir():
                raise self.error(f"{given}: is a folder; name a file to write")
            remove_temporaries_of(target, self.error)
            self.temporaries[target] = temp_beside(target)
        return self.temporaries[target]

    def open(self, target: str | Path):
        """A context manager: ``target``'s temporary file opened as UTF-8 text (``\\n``
        line ends); for ``-``, standard output."""
        if str(target) == STDOUT:
            return nullcontext(sys.stdout)
        return open(self.path(target), "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        """Move every temporary file into place, in the order they were made."""
        try:
            _move_all([(tmp, target) for target, tmp in self.temporaries.items()], self.error)
        except BaseException:
            self.abort()
            raise
        self.temporaries = {}

    def abort(self) -> None:
        """Remove the temporary files not moved into place; the targets keep what they had."""
        for tmp in self.temporaries.values():
            tmp.unlink(missing_ok=True)
        self.temporaries = {}

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


class AtomicFolder:
    """A folder's files written as one set: built in a temporary folder beside it, and
    swapped in whole by :meth:`commit`, or removed by :meth:`abort` (the folder is then as
    it was).

    Files of the folder that the new set does not hold (a user's notes) are kept. The swap
    is one exchange of names (Linux's ``renameat2``) where the file system has it, else a
    move of file after file that puts the old files back if one fails (as
    :class:`AtomicFiles` does). A folder that is a mount point is built inside itself, in a
    hidden temporary folder, and moved file after file.

    >>> import tempfile
    >>> parent = Path(tempfile.mkdtemp())
    >>> (parent / "figures").mkdir()
    >>> _ = (parent / "figures" / "notes.txt").write_text("mine")
    >>> with AtomicFolder(parent / "figures") as folder:
    ...     _ = folder.path("a.csv").write_text("x\\n1\\n")
    >>> sorted(p.name for p in (parent / "figures").iterdir())
    ['a.csv', 'notes.txt']
    """

    def __init__(self, folder: str | Path, error: type[RelscoreError] = OutputFileError):
        self.given, self.error = Path(folder), error
        self.folder = _followed(self.given)
        with file_errors(self.given, error, "cannot write"):
            if self.folder.exists() and not self.folder.is_dir():
                raise error(f"{self.given}: is a file; name a folder to write the files into")
            self.inside = self.folder.is_dir() and os.path.ismount(self.folder)
            home = self.folder / self.folder.name if self.inside else self.folder
            remove_temporaries_of(home, error)
            self.tmp = temp_beside(home, folder=True)

    def path(self, name: str) -> Path:
        """Where to write the new file ``name``."""
        return self.tmp / name

    def commit(self) -> None:
        """Swap the new set in, keeping the folder's other files."""
        try:
            with file_errors(self.given, self.error, "cannot write"):
                if not self.folder.exists():
                    os.rename(self.tmp, self.folder)
                    return
                new = sorted(p.name for p in self.tmp.iterdir())
                if not self.inside:
                    # The folder's other files go into the new set first, as hard links (or
                    # copies): a crash after the swap loses none of them.
                    for other in sorted(self.folder.iterdir()):
                        if other.name not in new and not is_temporary(other.name):
                            _link_or_copy(other, self.tmp / other.name)
                    os.chmod(self.tmp, stat.S_IMODE(os.stat(self.folder).st_mode))
                    if _exchange(self.tmp, self.folder):  # the old set is at tmp now
                        shutil.rmtree(self.tmp, ignore_errors=True)
                        return
                _move_all([(self.tmp / n, self.folder / n) for n in new], self.error)
                shutil.rmtree(self.tmp, ignore_errors=True)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove the temporary folder; the folder keeps what it had."""
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> AtomicFolder:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """``source`` (a file or a folder) at ``target`` too: hard links, or copies."""
    source = Path(source)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


@cache
def _renameat2():
    """Linux's ``renameat2`` from the C library, or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of ``a`` and ``b`` in one step; False if this system cannot."""
    function = _renameat2() if sys.platform.startswith("linux") else None
    if function is None:
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return function(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0


def write_atomic(
    path: str | Path, write: Callable[[Path], None], error: type[RelscoreError] = OutputFileError
) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place."""
    with atomic_path(path, error) as tmp:
        write(tmp)


def write_text_atomic(
    path: str | Path, text: str, error: type[RelscoreError] = OutputFileError
) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, with ``\\n`` line ends (``-``:
    standard output)."""
    with text_output(path, error) as out:
        out.write(text)


def same_file(output: str | Path, given: str | Path) -> bool:
    """Whether writing ``output`` would write over ``given``: the same file through any
    symlink or hard link, or the same resolved path; or, if ``given`` is an event store
    folder, a file inside one of its ``month=`` folders (which the store would read).
    Standard output (``-``) is no file.

    >>> same_file("a/../b.csv", "b.csv"), same_file("-", "-")
    (True, False)
    """
    if STDOUT in (str(output), str(given)):
        return False
    try:
        if os.path.samefile(output, given):
            return True
    except OSError:  # one of them does not exist (yet): compare where they would be
        pass
    out, other = Path(output).resolve(), Path(given).resolve()
    if out == other:
        return True
    inside = other.is_dir() and out.is_relative_to(other)
    return inside and any(p.startswith("month=") for p in out.relative_to(other).parts[:-1])
