"""A GDELT mirror on this machine: a folder served over HTTP, and its file list.

For the tests, the notebook and the benchmark, which must never touch the network:
:func:`serve` serves a folder on ``127.0.0.1`` (standard library only, with byte ranges so
a cached list can be brought up to date), and :func:`write_master_list` writes the
``masterfilelist.txt`` GDELT 2.0 would publish for the zip files in it.

Examples
--------
>>> import tempfile, urllib.request
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = (Path(tmp) / "20191024143000.export.CSV.zip").write_bytes(b"PK")
...     listed = write_master_list(tmp)
...     with serve(tmp) as url, urllib.request.urlopen(url + listed.name) as answer:
...         answer.read().decode().split()[:2]
['2', 'd71bdd22c8bb93b8d287dce6f46aed25']
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from relscore.fetch.lists import DEFAULT_BASE_URL, MASTER_LIST
from relscore.files.atomic import write_text_atomic

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class MirrorHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder's files, whole or by one byte range (``Range: bytes=A-`` or
    ``bytes=A-B``), quietly. Subclass it to inject faults."""

    protocol_version = "HTTP/1.1"  # keep-alive: the client's pool reuses connections

    def log_message(self, format: str, *args) -> None:
        """Say nothing: a test's or a notebook's output stays clean."""

    def do_GET(self) -> None:
        """A file whole (the base class), or one range of it: 206, or 416 past its end."""
        wanted = _RANGE.fullmatch(self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if wanted is None or not path.is_file():
            super().do_GET()
            return
        size = path.stat().st_size
        start = int(wanted[1])
        end = min(int(wanted[2]), size - 1) if wanted[2] else size - 1
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        with open(path, "rb") as f:
            f.seek(start)
            shutil.copyfileobj(_Limited(f, end - start + 1), self.wfile)


class _Limited:
    """A file read no further than ``left`` bytes."""

    def __init__(self, f, left: int):
        self.f, self.left = f, left

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.f.read(n)
        self.left -= len(data)
        return data


class _QuietServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that says nothing of a client gone away mid-answer."""

    daemon_threads = True  # a handler stuck on a slow client never holds up the exit

    def handle_error(self, request, client_address) -> None:
        """Ignore a connection the client closed (a time-out, a dropped download); report
        anything else as the base class does."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: str | Path, handler: type[MirrorHandler] = MirrorHandler) -> Iterator[str]:
    """Serve ``folder`` on ``127.0.0.1`` at a free port for the block; yield its base URL
    (``http://127.0.0.1:PORT/``).

    Parameters
    ----------
    folder : path
    handler : type, default MirrorHandler
        The request handler (a subclass may drop connections, answer 500, count requests).
    """
    server = _QuietServer(("127.0.0.1", 0), partial(handler, directory=os.fspath(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def write_master_list(
    folder: str | Path,
    files: Iterable[str | Path] | None = None,
    url_base: str = DEFAULT_BASE_URL[2].replace("https:", "http:"),
) -> Path:
    """Write ``folder/masterfilelist.txt`` listing ``files`` as GDELT 2.0 does.

    Parameters
    ----------
    folder : path
    files : iterable of path, optional
        The files, in list order (default: every ``*.zip`` of ``folder``, by name).
    url_base : str
        What each URL starts with (GDELT's own folder, as in its list; a fetch takes the
        names only).

    Returns
    -------
    pathlib.Path
        The list written (atomically).
    """
    folder = Path(folder)
    paths = sorted(folder.glob("*.zip")) if files is None else [Path(f) for f in files]
    lines = []
    for path in paths:
        data = path.read_bytes()
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
        lines.append(f"{len(data)} {md5} {url_base}{path.name}\n")
    target = folder / MASTER_LIST
    write_text_atomic(target, "".join(lines))
    return target
