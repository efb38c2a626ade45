"""GDELT's file lists, kept in the download folder and brought up to date only when needed.

The lists are cached beside the files they list (``DIR/masterfilelist.txt`` for GDELT
2.0, ``DIR/md5sums`` and ``DIR/filesizes`` for 1.0), each written atomically. A cached list
that already lists files of a day after ``until`` (2.0; for 1.0, of ``until``) is used as
it is: a re-run over past dates asks
the server for nothing but the missing files. Otherwise it is refreshed: GDELT 2.0's list
only ever grows at its end (over 100 MB today), so the refresh asks for the bytes after
those cached (an HTTP ``Range`` request): ``206`` appends them, ``200`` (a server that
ignores ranges) replaces the list, ``416`` (nothing after them) leaves it. GDELT 1.0's two
small lists are fetched whole.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import requests

from relscore.exceptions import FetchError
from relscore.fetch.download import CHUNK, fetch_error
from relscore.fetch.lists import (
    FILESIZES,
    MASTER_LIST,
    MD5SUMS,
    FileList,
    parse_master_list,
    parse_v1_lists,
)
from relscore.files.atomic import atomic_path

TAIL = 1 << 16  # bytes at the end of the 2.0 list read to tell the last date it lists


def list_files(
    session: requests.Session,
    base_url: str,
    folder: Path,
    version: int,
    since: dt.date,
    until: dt.date,
    *,
    refresh: bool = False,
    timeout: float = 30.0,
) -> FileList:
    """The event files GDELT ``version`` (1 or 2) lists for ``since ... until``.

    Parameters
    ----------
    session : requests.Session
    base_url : str
        The folder the lists are in, ending in ``/``.
    folder : path
        Where the lists are cached.
    since, until : datetime.date
    refresh : bool
        Fetch the lists whole whatever the cache holds.
    timeout : float
        Seconds to wait for a connection, and for each read.

    Raises
    ------
    FetchError
        A list that cannot be fetched (naming its URL) or written.
    """
    if version == 2:
        path = folder / MASTER_LIST
        _refresh_master_list(session, base_url + MASTER_LIST, path, until, refresh, timeout)
        text = path.read_text("utf-8", errors="replace")
        return parse_master_list(text, str(path), since, until)
    paths = [folder / MD5SUMS, folder / FILESIZES]
    files = _read_v1(paths, base_url) if all(p.exists() for p in paths) else None
    if refresh or files is None or files.last is None or files.last < until:
        for path in paths:
            _get(session, base_url + path.name, path, timeout)
        files = _read_v1(paths, base_url)
    return files


def _read_v1(paths: list[Path], base_url: str) -> FileList:
    texts = [p.read_text("utf-8", errors="replace") for p in paths]
    return parse_v1_lists(*texts, url_base=base_url, where=(str(paths[0]), str(paths[1])))


def _refresh_master_list(session, url: str, path: Path, until, refresh: bool, timeout) -> None:
    """Bring the cached 2.0 list up to date, by a range request when it is only behind."""
    if refresh or not path.exists():
        _get(session, url, path, timeout)
        return
    last = last_listed(path)
    # Only a file of a later day proves the list was written after ``until`` ended: a
    # list whose last day is ``until`` may still grow by that day's later slots.
    if last is not None and last > until:
        return
    have = path.stat().st_size
    try:
        response = session.get(
            url, stream=True, timeout=timeout, headers={"Range": f"bytes={have}-"}
        )
    except requests.RequestException as exc:
        raise fetch_error(url, exc) from None
    with response:
        if response.status_code == 416:  # nothing after the bytes we have
            return
        appended = response.status_code == 206
        if appended and not _starts_at(response.headers.get("Content-Range", ""), have):
            response.close()  # a range we did not ask for: fetch the list whole
            _get(session, url, path, timeout)
            return
        if response.status_code not in (200, 206):
            raise fetch_error(url, response)
        with atomic_path(path, FetchError) as tmp:
            if appended:
                shutil.copyfile(path, tmp)
            _save(response, url, tmp, "ab" if appended else "wb")


def _starts_at(content_range: str, offset: int) -> bool:
    """Whether ``Content-Range: bytes A-B/N`` starts at ``offset``."""
    found = re.match(r"bytes (\d+)-", content_range)
    return found is not None and int(found[1]) == offset


def last_listed(path: Path) -> dt.date | None:
    """The last date the cached 2.0 list names an export file of, from its last bytes."""
    with open(path, "rb") as f:
        f.seek(max(os.path.getsize(path) - TAIL, 0))
        tail = f.read().decode("utf-8", errors="replace")
    return parse_master_list(tail.partition("\n")[2] if len(tail) >= TAIL else tail).last


def _get(session, url: str, path: Path, timeout: float) -> None:
    """Fetch ``url`` whole into ``path``, atomically."""
    try:
        response = session.get(url, stream=True, timeout=timeout)
    except requests.RequestException as exc:
        raise fetch_error(url, exc) from None
    with response:
        if response.status_code != 200:
            raise fetch_error(url, response)
        with atomic_path(path, FetchError) as tmp:
            _save(response, url, tmp, "wb")


def _save(response: requests.Response, url: str, tmp: Path, mode: str) -> None:
    """Write (or append) a response's body to ``tmp``; FetchError if it is cut short."""
    with open(tmp, mode) as out:
        try:
            for chunk in response.iter_content(CHUNK):
                out.write(chunk)
        except requests.RequestException as exc:
            raise fetch_error(url, exc) from None
