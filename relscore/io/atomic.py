"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every writer of relscore goes through here: a temporary file beside the target (so the
final ``os.replace`` is a rename on one file system), named uniquely (so two runs at once
never share one), moved into place only when complete and removed on any error.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


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
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; moved into place when the
    block ends without error, removed otherwise (``path`` is then left untouched)."""
    tmp = temp_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place."""
    with atomic_path(path) as tmp:
        write(tmp)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, with ``\\n`` line ends."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
