"""GDELT's file lists, kept in the download folder and brought up to date only when needed.

The lists are cached beside the files they list (``DIR/masterfilelist.txt`` for GDELT
2.0, ``DIR/md5sums`` and ``DIR/filesizes`` for 1.0), each written atomically, and only
once it reads as a list (:func:`relscore.fetch.lists.list_trouble`): an error page, an
empty answer or a list cut short is never kept as one. A cached list that already lists
files of a day after ``until`` (2.0; for 1.0, of ``until``) is used as it is: a re-run over
past dates asks the server for nothing but the missing files. Otherwise it is refreshed:
GDELT 2.0's list only ever grows at its end (over 100 MB today), so the refresh asks for
the bytes after those cached (an HTTP ``Range`` request), if the cached list reads as a
list and ends with a whole line: ``206`` appends them, and the list so made is checked
whole before it is kept (else the list is fetched whole); ``200`` (a server that ignores
ranges) replaces the list; ``416`` (nothing after them) leaves it. GDELT 1.0's two small
lists are fetched whole. Every transfer is bounded (:class:`relscore.fetch.download.Limits`:
at most ``list_bytes``, at least ``min_rate`` a second) and a body that fails is tried
again, as a file's is.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import requests

from relscore.exceptions import FetchError
from relscore.fetch.download import BodyError, Limits, fetch_error, receive
from relscore.fetch.lists import (
    FILESIZES,
    MASTER_LIST,
    MD5SUMS,
    FileList,
    list_trouble,
    parse_master_list,
    parse_v1_lists,
)
from relscore.files.atomic import atomic_path

TAIL = 1 << 16  # bytes at either end of the 2.0 list read to tell what it holds

# What a list's check gives: the list read (None for a 1.0 list, read with its twin), and
# why it is no list (None if it is one).
Check = Callable[[str], tuple[FileList | None, str | None]]


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
    limits: Limits | None = None,
    attempts: int = 1,
    backoff: float = 0.5,
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
        Seconds to wait for a connection, and for each read (``limits.timeout`` if
        ``limits`` is given).
    limits : Limits, optional
        How long and how much a list's transfer may take.
    attempts, backoff
        Tries of a list's body in all, and the seconds before the second.

    Raises
    ------
    FetchError
        A list that cannot be fetched (naming its URL), that is no list (an error page),
        or that cannot be written.
    """
    limits = Limits(timeout=timeout) if limits is None else limits
    fetcher = _Fetcher(session, limits, attempts, backoff)
    if version == 2:
        return _master_list(
            fetcher, base_url + MASTER_LIST, folder / MASTER_LIST, since, until, refresh
        )
    paths = [folder / MD5SUMS, folder / FILESIZES]
    files = None
    if all(p.exists() for p in paths) and not any(list_trouble(_text(p), p.name) for p in paths):
        files = _read_v1(paths, base_url)
    if refresh or files is None or files.last is None or files.last < until:
        for path in paths:
            fetcher.whole(
                base_url + path.name,
                path,
                lambda text, name=path.name: (None, list_trouble(text, name)),
            )
        files = _read_v1(paths, base_url)
    return files


def _text(path: Path) -> str:
    return path.read_text("utf-8", errors="replace")


def _read_v1(paths: list[Path], base_url: str) -> FileList:
    texts = [_text(p) for p in paths]
    return parse_v1_lists(*texts, url_base=base_url, where=(str(paths[0]), str(paths[1])))


def _master_list(fetcher: _Fetcher, url: str, path: Path, since, until, refresh: bool) -> FileList:
    """The 2.0 list, from the cache if it covers ``until``, else brought up to date."""

    def check(text: str) -> tuple[FileList, str | None]:
        files = parse_master_list(text, str(path), since, until)
        return files, list_trouble(text, MASTER_LIST, files.bad)

    if not refresh and path.exists() and _resumable(path):
        # Only a file of a later day proves the list was written after ``until`` ended: a
        # list whose last day is ``until`` may still grow by that day's later slots.
        last = last_listed(path)
        if last is not None and last > until:
            files, trouble = check(_text(path))
            if trouble is None:
                return files
        else:
            appended = fetcher.appended(url, path, check)
            if appended is not None:
                return appended
    return fetcher.whole(url, path, check)


def _resumable(path: Path) -> bool:
    """Whether the cached 2.0 list starts as a list and ends with a whole line: one that an
    error page was kept as (by relscore 0.3), or that was cut short, is fetched whole."""
    with open(path, "rb") as f:
        head = f.read(TAIL)
        f.seek(max(path.stat().st_size - 1, 0))
        end = f.read(1)
    head = head[: head.rfind(b"\n") + 1] or head
    return end == b"\n" and list_trouble(head.decode("utf-8", errors="replace")) is None


def last_listed(path: Path) -> dt.date | None:
    """The last date the cached 2.0 list names an export file of, from its last bytes."""
    with open(path, "rb") as f:
        f.seek(max(path.stat().st_size - TAIL, 0))
        tail = f.read().decode("utf-8", errors="replace")
    return parse_master_list(tail.partition("\n")[2] if len(tail) >= TAIL else tail).last


class _Fetcher:
    """The transfers of the lists of one fetch: bounded, checked, tried again."""

    def __init__(self, session: requests.Session, limits: Limits, attempts: int, backoff: float):
        self.session, self.limits = session, limits
        self.attempts, self.backoff = max(attempts, 1), backoff

    def _get(self, url: str, headers: dict | None = None) -> requests.Response:
        try:
            return self.session.get(
                url, stream=True, timeout=self.limits.timeout, headers=headers or {}
            )
        except requests.RequestException as exc:
            raise fetch_error(url, exc) from None

    def whole(self, url: str, path: Path, check: Check) -> FileList | None:
        """Fetch ``url`` whole into ``path``, atomically, once ``check`` finds it a list;
        the body tried ``attempts`` times."""
        reason = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with self._get(url) as response:
                    if response.status_code != 200:
                        raise fetch_error(url, response)
                    return self._keep(response, url, path, check)
            except BodyError as exc:
                reason = str(exc)
        tries = "once" if self.attempts == 1 else f"{self.attempts} times"
        raise fetch_error(url, f"{reason} (tried {tries})")

    def appended(self, url: str, path: Path, check: Check) -> FileList | None:
        """The cached list with the bytes after it appended (a ``Range`` request), once the
        whole checks as a list; the cached list if nothing came after it; None if what came
        does not make a list (then the list is to be fetched whole)."""
        have = path.stat().st_size
        with self._get(url, {"Range": f"bytes={have}-"}) as response:
            if response.status_code == 416:  # nothing after the bytes we have
                files, trouble = check(_text(path))
                return files if trouble is None else None
            if response.status_code == 200:  # a server that ignores ranges: the list whole
                try:
                    return self._keep(response, url, path, check)
                except BodyError:
                    return None
            if response.status_code != 206:
                raise fetch_error(url, response)
            if not _starts_at(response.headers.get("Content-Range", ""), have):
                return None  # a range we did not ask for
            try:
                return self._keep(response, url, path, check, after=path)
            except (BodyError, FetchError):  # not a list once appended: fetch it whole
                return None

    def _keep(
        self, response, url: str, path: Path, check: Check, after: Path | None = None
    ) -> FileList | None:
        """Write the body (after the bytes of ``after``) to a temporary file, and move it
        into place once ``check`` finds it a list; else FetchError, and nothing kept."""
        have = after.stat().st_size if after else 0
        with atomic_path(path, FetchError) as tmp:
            if after is not None:
                shutil.copyfile(after, tmp)
            with open(tmp, "ab") as out:
                receive(response, out, max(self.limits.list_bytes - have, 0), self.limits)
            files, trouble = check(_text(tmp))
            if trouble is None and after is not None:  # the seam: a whole line of the list
                with open(tmp, "rb") as appended:
                    appended.seek(have)
                    seam = appended.readline(TAIL).decode("utf-8", errors="replace")
                if list_trouble(seam):  # a blank line there is no seam either
                    trouble = f"the line appended after byte {have} is {seam.strip()[:60]!r}"
            if trouble is not None:
                raise fetch_error(
                    url,
                    f"not a GDELT file list ({trouble}), so not kept: an error page of a "
                    "server or a proxy?",
                )
        return files


def _starts_at(content_range: str, offset: int) -> bool:
    """Whether ``Content-Range: bytes A-B/N`` starts at ``offset``."""
    found = re.match(r"bytes (\d+)-", content_range)
    return found is not None and int(found[1]) == offset
