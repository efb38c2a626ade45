"""Download one listed file, verified: to a temporary file beside it, then renamed.

HTTP is left to ``requests``: one ``requests.Session`` whose adapter retries what
urllib3 can see (:func:`http_session`: a refused or reset connection, a time-out before
the headers, a 429 or 5xx answer), with exponential backoff. What urllib3 cannot see, the
body, is checked here (:func:`download`): a body cut short, a time-out in the middle of it,
a size or MD5 other than the list's is tried again a bounded number of times. A file only
takes its final name once its size and MD5 match the list, so a file under that name is a
verified one, and a re-run skips it (:func:`verified`).

No transfer can hang or fill the disk (:class:`Limits`, :func:`receive`): a body is read
as it arrives, packet by packet, and fails (to be tried again) as soon as

* it holds more bytes than it may: an event file one byte more than its listed size (a
  ``Content-Length`` other than the listed size fails it before any byte is read), a file
  list more than ``list_bytes``;
* fewer than ``min_rate`` bytes a second arrived over the last ``stall`` seconds (a server
  that trickles a byte a second: each read returns, so ``timeout`` never fires);
* it has taken longer than ``stall + size / min_rate`` seconds in all, its deadline;
* nothing arrived for ``timeout`` seconds.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from relscore.exceptions import FetchError
from relscore.files.atomic import atomic_path

RETRY_STATUSES = (429, 500, 502, 503, 504)
CHUNK = 1 << 16  # bytes read and hashed at a time


class BodyError(Exception):
    """A body cut short, timed out, stalled, too long or not the listed bytes: worth
    another try."""


@dataclass(frozen=True)
class Limits:
    """How long and how much one transfer may take.

    Attributes
    ----------
    timeout : float
        Seconds to wait for a connection, and for any byte of an answer.
    min_rate : float
        Bytes a second: a transfer slower than this over ``stall`` seconds has stalled.
    stall : float
        Seconds over which the rate is measured.
    list_bytes : int
        The most bytes a file list may have (GDELT 2.0's grows by some 30 MB a year).

    Examples
    --------
    A file of 2 MB may take at most 60 + 2,000,000 / 1,000 seconds:

    >>> Limits().deadline(2_000_000)
    2060.0
    """

    timeout: float = 30.0
    min_rate: float = 1000.0
    stall: float = 60.0
    list_bytes: int = 2 * 10**9

    def deadline(self, size: int) -> float:
        """Seconds a body of ``size`` bytes may take in all."""
        return self.stall + size / self.min_rate


def receive(
    response: requests.Response,
    out: BinaryIO,
    budget: int,
    limits: Limits,
    on_bytes: Callable[[bytes], None] | None = None,
) -> int:
    """Write ``response``'s body to ``out`` as it arrives; return its bytes.

    Raises
    ------
    BodyError
        A body of more than ``budget`` bytes (stopped at ``budget + 1``), one that stalls
        (below ``limits.min_rate`` over ``limits.stall`` seconds) or passes its deadline
        (``limits.deadline``), a read that times out, or a connection dropped mid-body.
    """
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > budget:
        raise BodyError(f"the server announces {int(announced)} bytes, more than {budget}")
    deadline = limits.deadline(int(announced) if announced.isdigit() else budget)
    started = window = time.monotonic()
    received = in_window = 0
    read = response.raw.read1
    try:
        while chunk := read(CHUNK):
            received += len(chunk)
            if received > budget:
                raise BodyError(f"more than {budget} bytes sent; stopped")
            out.write(chunk)
            if on_bytes is not None:
                on_bytes(chunk)
            now = time.monotonic()
            in_window += len(chunk)
            if now - started > deadline:
                raise BodyError(
                    f"not done in {deadline:.0f} s (--stall + size / --min-rate); "
                    f"{received} bytes received"
                )
            if now - window >= limits.stall:
                if in_window < limits.min_rate * (now - window):
                    raise BodyError(
                        f"stalled: {in_window} bytes in {now - window:.0f} s, below "
                        f"{limits.min_rate:g} bytes/s (--min-rate)"
                    )
                window, in_window = now, 0
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise BodyError(request_words(exc)) from None
    return received


def http_session(retries: int = 3, backoff: float = 0.5, pool: int = 4) -> requests.Session:
    """A session that retries connection errors, time-outs and 429/5xx answers.

    Parameters
    ----------
    retries : int
        Tries after the first, for each kind of error (urllib3's ``Retry``).
    backoff : float
        Seconds; the waits grow as ``backoff * 2**n`` (urllib3's ``backoff_factor``).
    pool : int
        Connections kept per host (one per concurrent download).

    Examples
    --------
    >>> with http_session(retries=2, backoff=0.1) as session:
    ...     session.get_adapter("https://data.gdeltproject.org/").max_retries.status
    2
    """
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=backoff,
        raise_on_status=False,  # the last 5xx answer is returned, and reported with its status
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=pool, pool_maxsize=pool)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Sizes and byte ranges are of the file itself: no compression on the way.
    session.headers.update({"Accept-Encoding": "identity", "User-Agent": "relscore-fetch"})
    return session


def fetch_error(url: str, cause: requests.Response | requests.RequestException | str) -> FetchError:
    """The one message of a failed request: the URL, then in a few words what went wrong (an
    HTTP status, a requests error, or words of ours).

    >>> str(fetch_error("http://127.0.0.1/x", requests.Timeout()))
    'http://127.0.0.1/x: timed out'
    """
    if isinstance(cause, requests.Response):
        words = f"HTTP {cause.status_code} {cause.reason or ''}".strip()
    elif isinstance(cause, requests.RequestException):
        words = request_words(cause)
    else:
        words = str(cause)
    return FetchError(f"{url}: {words}")


def request_words(exc: requests.RequestException | urllib3.exceptions.HTTPError) -> str:
    """A few words for a requests (or urllib3) error (its message is a nest of reprs)."""
    if isinstance(exc, requests.Timeout | urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | urllib3.exceptions.ProtocolError):
        return "connection dropped before the end of the file"
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "timed out" in text.lower():
            return "timed out"
        if "refused" in text.lower():
            return "connection refused"
        return "connection failed"
    return type(exc).__name__


def file_md5(path: str | Path) -> str:
    """MD5 of a file's bytes, as 32 lower-case hex digits."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verified(path: str | Path, size: int, md5: str) -> bool:
    """Whether ``path`` exists with this size and MD5 (the size is checked first)."""
    try:
        if os.path.getsize(path) != size:
            return False
    except OSError:
        return False
    return file_md5(path) == md5


def download(
    session: requests.Session,
    url: str,
    target: str | Path,
    size: int,
    md5: str,
    *,
    timeout: float = 30.0,
    attempts: int = 3,
    backoff: float = 0.5,
    on_bytes: Callable[[int], None] | None = None,
    limits: Limits | None = None,
) -> int:
    """Download ``url`` to ``target`` if its bytes have ``size`` and ``md5``; return the size.

    Parameters
    ----------
    session : requests.Session
        From :func:`http_session`.
    url, target
        What to fetch, and where it goes (its folder must exist).
    size, md5
        What the list says.
    timeout : float
        Seconds to wait for a connection, and for each read (``limits.timeout`` if
        ``limits`` is given).
    attempts : int
        Tries of the body in all (a body cut short, timed out, stalled or too long, a wrong
        size or MD5).
    backoff : float
        Seconds before the second try, doubled for each one after.
    on_bytes : callable, optional
        Called with the number of bytes of each chunk received.
    limits : Limits, optional
        How long and how much the body may take (default: :class:`Limits` with
        ``timeout``); the body may hold ``size`` bytes at most.

    Raises
    ------
    FetchError
        ``URL: reason`` in one line: an HTTP error (a 404 at once; a 5xx after the
        session's retries), a connection that failed, or a body still wrong after
        ``attempts`` tries. ``target`` is then as it was and no temporary file is left.
    """
    limits = Limits(timeout=timeout) if limits is None else limits
    reason = ""
    for attempt in range(max(attempts, 1)):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return _attempt(session, url, Path(target), size, md5, limits, on_bytes)
        except BodyError as exc:
            reason = str(exc)
    tries = "once" if attempts <= 1 else f"{max(attempts, 1)} times"
    raise fetch_error(url, f"{reason} (tried {tries})")


def _attempt(session, url, target: Path, size, md5, limits: Limits, on_bytes) -> int:
    """One try: stream the body to a temporary file beside ``target``, hashing it."""
    try:
        response = session.get(url, stream=True, timeout=limits.timeout)
    except requests.RequestException as exc:  # urllib3 has retried it already
        raise fetch_error(url, exc) from None
    with response, atomic_path(target, FetchError) as tmp:
        if response.status_code != 200:
            raise fetch_error(url, response)
        digest = hashlib.md5(usedforsecurity=False)

        def seen(chunk: bytes) -> None:
            digest.update(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))

        with open(tmp, "wb") as out:
            received = receive(response, out, size, limits, seen)
        if received != size:
            raise BodyError(f"{received} bytes received, the list says {size}")
        if digest.hexdigest() != md5:
            raise BodyError(f"MD5 {digest.hexdigest()}, the list says {md5}")
    return received
