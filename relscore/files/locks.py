"""Folders written by one run at a time: a lock file.

A lock is a ``flock`` on a file in the folder, so the system releases it however the
process ends (a crash, SIGKILL, a power cut), and a run never waits for another: it stops at
once with the caller's message. Holding it, a run removes the temporary files a killed run
left (:func:`relscore.files.temporary.remove_temporaries`) and says so.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from relscore.exceptions import RelscoreError
from relscore.files.errors import reason


@contextmanager
def folder_lock(
    lock: str | Path,
    busy: str,
    error: type[RelscoreError],
    *,
    exclusive: bool = True,
) -> Iterator[None]:
    """Hold a lock on the file ``lock`` for the block (created if needed).

    Parameters
    ----------
    lock : path
        The lock file.
    busy : str
        The message of the ``error`` raised at once if another run holds the lock in a
        way that excludes this one.
    error : type of RelscoreError
        What is raised, also if an ``exclusive`` lock cannot be made (a read-only folder).
    exclusive : bool
        One holder (a writer) or many (readers). A shared lock that cannot be made is
        done without: a read-only folder has no writer to wait for.

    Examples
    --------
    >>> import tempfile
    >>> from relscore.exceptions import FetchError
    >>> folder = Path(tempfile.mkdtemp())
    >>> with folder_lock(folder / "lock", "busy", FetchError):
    ...     with folder_lock(folder / "lock", "busy: run again later", FetchError):
    ...         pass
    Traceback (most recent call last):
    relscore.exceptions.FetchError: busy: run again later
    """
    lock = Path(lock)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exclusive:
            raise error(f"{lock}: cannot lock the folder to write it: {reason(exc)}") from None
        fd = None
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except BlockingIOError:
                raise error(busy) from None
        yield
    finally:
        if fd is not None:
            os.close(fd)
