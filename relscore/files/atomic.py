"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every writer of relscore goes through here: a temporary file beside the target (so the
final ``os.replace`` is a rename on one file system), named uniquely (so two runs at once
never share one), moved into place only when complete and removed on any error. A write
that fails (a full disk, a read-only folder, a name that is a folder) raises
:class:`~relscore.exceptions.OutputFileError` naming the file, and the old file stays.

:func:`same_file` is how the command line tells that an output would overwrite an input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from relscore.exceptions import OutputFileError, RelscoreError
from relscore.files.errors import file_errors


def temp_beside(path: str | Path) -> Path:
    """Create an empty, uniquely named temporary file beside ``path`` and return its path.

    The name is hidden (``.NAME.XXXX.tmp``) and the mode 0644, as for any output meant to
    be shared. The caller moves it into place with :func:`os.replace`, or removes it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600
    return Path(tmp)


@contextmanager
def atomic_path(path: str | Path, error: type[RelscoreError] = OutputFileError) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; moved into place when the
    block ends without error, removed otherwise (``path`` is then left untouched).

    Any OS error in the block (the writes to the temporary file) or in the move is raised
    as ``error`` naming ``path``.
    """
    path = Path(path)
    with file_errors(path, error, "cannot write"):
        if path.is_dir():
            raise error(f"{path}: is a folder; name a file to write")
        tmp = temp_beside(path)
        try:
            yield tmp
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


class AtomicFiles:
    """Files written together, all or none: each to a temporary file beside its target,
    all moved into place by :meth:`commit`, all removed by :meth:`abort`.

    As a context manager it commits when the block ends without error and aborts
    otherwise. The moves are renames, one per file: a crash between two of them can leave
    some targets new and some old, which the callers' own recovery handles (an import run
    again, an index folder rebuilt from its manifest).

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
        target = Path(target)
        with file_errors(target, self.error, "cannot write"):
            if target.is_dir():
                raise self.error(f"{target}: is a folder; name a file to write")
            self.temporaries[target] = temp_beside(target)
        return self.temporaries[target]

    def commit(self) -> None:
        """Move every temporary file into place, in the order they were made."""
        try:
            for target, tmp in self.temporaries.items():
                with file_errors(target, self.error, "cannot write"):
                    os.replace(tmp, target)
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


def write_atomic(
    path: str | Path, write: Callable[[Path], None], error: type[RelscoreError] = OutputFileError
) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place."""
    with atomic_path(path, error) as tmp:
        write(tmp)


def write_text_atomic(
    path: str | Path, text: str, error: type[RelscoreError] = OutputFileError
) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, with ``\\n`` line ends."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"), error)


def same_file(output: str | Path, given: str | Path) -> bool:
    """Whether writing ``output`` would write over ``given``: the same file through any
    symlink or hard link, or the same resolved path; or, if ``given`` is an event store
    folder, a file inside one of its ``month=`` folders (which the store would read).

    >>> same_file("a/../b.csv", "b.csv")
    True
    """
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
