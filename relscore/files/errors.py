"""The one error path of every reader and writer: what the operating system or a file
format raised, turned into relscore's own error with the file named.

A missing file, a folder where a file was expected, a permission, a full disk, an I/O
error, a truncated ``.gz``/``.zip`` or a damaged Parquet file all end the same way: an
:class:`~relscore.exceptions.RelscoreError` whose message starts with the file's name and
says what is wrong in a few words, which ``relscore`` prints as one line before it exits 1.
Only a bug shows a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from relscore.exceptions import EventFileError, RelscoreError

# What the user sees for each errno; any other says the system's own words.
REASONS = {
    errno.ENOENT: "no such file",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a folder on its path is a file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error (a failing disk or network share?)",
    errno.EFBIG: "file too large for its file system",
    errno.ENAMETOOLONG: "file name too long",
}
# Every error a read or a write can raise for reasons outside relscore.
CONVERTED = (OSError, EOFError, zlib.error, zipfile.BadZipFile, pa.ArrowException)


def reason(exc: BaseException) -> str:
    """What went wrong, in a few words, without the file's name (the caller adds it)."""
    number = getattr(exc, "errno", None)
    if number is None:  # pyarrow puts the errno in its message only
        found = re.search(r"\[Errno (\d+)\]", str(exc))
        number = int(found[1]) if found else None
    if number in REASONS:
        return REASONS[number]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    if isinstance(exc, pa.ArrowException):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"not a readable Parquet file, truncated or damaged ({first})"
    if isinstance(exc, EOFError | zlib.error | zipfile.BadZipFile):
        return f"a truncated or damaged archive ({exc or type(exc).__name__})"
    return str(exc) or type(exc).__name__


def read_limited(path: str | Path, limit: int, error: type[RelscoreError]) -> bytes:
    """The bytes of ``path``, if it holds at most ``limit`` of them: a file of relscore's
    own (a description, a manifest) that has grown beyond any it writes is damaged, and is
    not read into memory.

    >>> read_limited(__file__, 10, EventFileError)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    relscore.exceptions.EventFileError: .../errors.py: ... bytes, more than the 10 such a file
    can hold: damaged, or not relscore's
    """
    with file_errors(path, error, "cannot be read"), open(path, "rb") as f:
        data = f.read(limit + 1)
        if len(data) > limit:
            size = os.fstat(f.fileno()).st_size
            raise error(
                f"{path}: {size:,} bytes, more than the {limit:,} such a file can hold: "
                "damaged, or not relscore's"
            )
    return data


@contextmanager
def file_errors(
    name: str | Path, error: type[RelscoreError] = EventFileError, doing: str = "", hint: str = ""
) -> Iterator[None]:
    """Raise ``error("NAME: [doing: ]reason[; hint]")`` for any error of :data:`CONVERTED`
    raised in the block; relscore's own errors pass through unchanged.

    >>> with file_errors("missing.csv"):
    ...     open("/nonexistent/missing.csv")
    Traceback (most recent call last):
    relscore.exceptions.EventFileError: missing.csv: no such file
    """
    try:
        yield
    except RelscoreError:
        raise
    except CONVERTED as exc:
        doing = f"{doing}: " if doing else ""
        raise error(f"{name}: {doing}{reason(exc)}{'; ' + hint if hint else ''}") from None
