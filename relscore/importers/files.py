"""Open event files as byte streams, whatever their compression, and name their parts.

A plain file, a ``.gz`` file and a ``.zip`` archive are told apart by their first bytes,
not by their names (GDELT calls its tab-separated files ``.CSV``). Every member of a
``.zip`` is read, in the archive's order, and named ``ARCHIVE.zip/MEMBER`` in messages.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from relscore.exceptions import EventFileError
from relscore.files.errors import file_errors

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"


def _checked(name: str):
    """Turn the I/O and decompression errors of reading ``name`` into EventFileError."""
    return file_errors(name, EventFileError)


def open_parts(path: str | Path) -> Iterator[tuple[str, BinaryIO]]:
    """Yield ``(name, stream)`` for each part of ``path``: the file itself, or each member
    of a zip archive; gzip is decompressed on the fly.

    Raises
    ------
    EventFileError
        If the file is missing, a folder, or a broken archive (also while it is read).
    """
    name = str(path)
    with _checked(name):
        with open(path, "rb") as raw:
            magic = raw.read(4)
        if magic.startswith(ZIP_MAGIC):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        with archive.open(info) as member:
                            yield f"{name}/{info.filename}", _Checked(member, name)
        elif magic.startswith(GZIP_MAGIC):
            with gzip.open(path, "rb") as stream:
                yield name, _Checked(stream, name)
        else:
            with open(path, "rb") as stream:
                yield name, _Checked(stream, name)


class _Checked:
    """A read-only stream whose read errors (a truncated .gz, a bad CRC) name the file."""

    def __init__(self, stream: BinaryIO, name: str):
        self._stream, self._name = stream, name

    def read(self, size: int = -1) -> bytes:
        with _checked(self._name):
            return self._stream.read(size)

    def readinto(self, buffer) -> int:
        with _checked(self._name):
            return self._stream.readinto(buffer)
