"""``fetch_gdelt``: GDELT's event files of a date range, downloaded, verified, and imported.

The steps: the file list, from the cache in ``to`` or the server
(:func:`relscore.fetch.cache.list_files`); the export files of the dates asked for
(:func:`relscore.fetch.lists.entries_between`); each one not already in ``to`` with the listed
size and MD5 downloaded ``jobs`` at a time (:func:`relscore.fetch.download.download`);
and, with ``to_parquet``, each verified file imported into the event store as it arrives,
in one import session (:class:`relscore.store.ingest.ImportSession`). Every file listed ends
as fetched, already there, or failed with a reason: ``listed == fetched + already +
failed``. The report says when the dates asked for reach outside what the list holds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path

from relscore.exceptions import EventFileError, FetchError, OutputFileError, RelscoreError
from relscore.fetch.cache import list_files
from relscore.fetch.download import Limits, download, http_session, verified
from relscore.fetch.lists import DEFAULT_BASE_URL, Entry, check_base_url, entries_between
from relscore.files.errors import file_errors
from relscore.files.locks import folder_lock
from relscore.files.progress import Progress
from relscore.files.temporary import remove_temporaries
from relscore.importers.accounting import Tally
from relscore.importers.dedupe import DEFAULT_DEDUPE
from relscore.importers.options import Options, options
from relscore.store.ingest import ImportSession
from relscore.store.layout import part_name
from relscore.vocabulary import check_date_range

LOCK_NAME = ".relscore_fetch.lock"  # hidden: the folder is GDELT's files and their list


@dataclass(frozen=True)
class Failure:
    """A file that was not fetched (``where`` its URL), or a list line that does not parse
    (``where`` is ``LIST:LINE``), and why, in a few words.

    Examples
    --------
    >>> failure = Failure("masterfilelist.txt:7", "not SIZE MD5 URL")
    >>> print(failure)
    masterfilelist.txt:7: not SIZE MD5 URL
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class FetchReport:
    """What a fetch did.

    Attributes
    ----------
    listed : int
        Files of the dates asked for in the list, and list lines that do not parse and may
        name one: ``listed == fetched + already + failed``.
    fetched, already, failed : int
        Downloaded and verified now; in the folder, verified, before; not fetched (or
        fetched but not importable).
    failures : tuple of Failure
        One per failed file, in list order.
    imported : Tally or None
        The import's row accounting (``to_parquet`` only).
    bytes : int
        Bytes of the files fetched now.
    seconds : float
        Wall-clock time of the whole fetch.
    removed : int
        Temporary files of an interrupted fetch removed from ``folder`` before this one.
    folder : str
        The download folder.
    asked : (datetime.date, datetime.date) or None
        The dates asked for.
    holds : (datetime.date, datetime.date) or None
        The first and last date of any event file the list holds (None: it holds none).

    Examples
    --------
    A mirror of the bundled sample in four files, one of them missing:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import relscore
    >>> from relscore.testing.mirror import serve
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = relscore.datasets.gdelt_sample_files(Path(folder) / "mirror")
    ...     files[2].unlink()
    ...     with serve(Path(folder) / "mirror") as url:
    ...         report = relscore.fetch_gdelt("2019-10-24", "2019-10-24", Path(folder) / "gdelt",
    ...                                       base_url=url, retries=0)
    >>> report.listed == report.fetched + report.already + report.failed
    True
    >>> for line in report.lines():  # doctest: +ELLIPSIS
    ...     print(line)
    relscore: listed=4 fetched=3 already=0 failed=1
    relscore: failed: http://127.0.0.1:.../20191024150000.export.CSV.zip: HTTP 404 File not found
    """

    listed: int
    fetched: int
    already: int
    failed: int
    failures: tuple[Failure, ...]
    imported: Tally | None
    bytes: int
    seconds: float
    removed: int = 0
    folder: str = ""
    asked: tuple[dt.date, dt.date] | None = None
    holds: tuple[dt.date, dt.date] | None = None

    def lines(self) -> list[str]:
        """The accounting line, then one line per failure, then what the list holds if
        the dates asked for reach outside it."""
        head = (
            f"relscore: listed={self.listed} fetched={self.fetched} already={self.already} "
            f"failed={self.failed}"
        )
        notes = []
        if self.removed:
            notes.append(
                f"relscore: removed {self.removed} temporary file(s) an interrupted fetch left "
                f"in {self.folder}"
            )
        return [*notes, head, *(f"relscore: failed: {f}" for f in self.failures), *self._outside()]

    def _outside(self) -> list[str]:
        """A line if the dates asked for reach outside those the list holds."""
        if self.asked is None:
            return []
        since, until = self.asked
        if self.holds is None:
            return ["relscore: the list holds no event file: nothing to fetch"]
        first, last = self.holds
        if since >= first and until <= last:
            return []
        held = f"the list holds event files of {first} ... {last}"
        if self.listed == 0:
            return [f"relscore: nothing listed for {since} ... {until}: {held}"]
        return [f"relscore: note: {held}; none before or after those dates"]


def _day(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def fetch_gdelt(
    since: str | dt.date,
    until: str | dt.date,
    to: str | Path,
    *,
    version: int = 2,
    base_url: str | None = None,
    to_parquet: str | Path | None = None,
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    jobs: int = 4,
    refresh_list: bool = False,
    retries: int = 3,
    timeout: float = 30.0,
    backoff: float = 0.5,
    progress: Progress | None = None,
    import_options: Options | None = None,
    min_rate: float = Limits.min_rate,
    stall: float = Limits.stall,
    max_list_bytes: int = Limits.list_bytes,
) -> FetchReport:
    """Fetch GDELT's event files of ``since ... until`` into ``to``, verified and resumable.

    Parameters
    ----------
    since, until : str or datetime.date
        First and last date (``YYYY-MM-DD``, inclusive, UTC) of the files: the 15-minute
        files of those days (GDELT 2.0), or the daily, monthly or yearly files that cover
        one of them (GDELT 1.0).
    to : path
        Folder of the files (created if needed), and of the cached list.
    version : {2, 1}
        GDELT 2.0 (``masterfilelist.txt``) or 1.0 (``md5sums`` and ``filesizes``).
    base_url : str, optional
        Where the lists and the files are (``http://`` or ``https://``): each file is
        fetched from ``base_url`` joined with its name (a mirror serves GDELT's names).
        Default (None only; an empty string is an error): GDELT's own folder
        (:data:`relscore.fetch.lists.DEFAULT_BASE_URL`).
    to_parquet : path, optional
        An event store to import each verified file into as it arrives (and each file
        already in ``to`` with no part in the store yet), in one import session that
        holds the store's lock for the whole fetch.
    dedupe, dyad : optional
        What the import into ``to_parquet`` keeps, as for :func:`relscore.import_to_store`.
    jobs : int
        Downloads at once (threads).
    refresh_list : bool
        Fetch the list whole, whatever the cache holds.
    retries : int
        Tries after the first: of the HTTP request (connection errors, time-outs, 429 and
        5xx answers, by urllib3), and of a body cut short or of the wrong size or MD5.
    timeout : float
        Seconds to wait for a connection, and for any byte of an answer.
    backoff : float
        Seconds of the first wait before a retry, doubled for each one after.
    min_rate, stall : float
        A transfer slower than ``min_rate`` bytes a second over the last ``stall`` seconds
        has stalled: it fails, and is tried again. Each file may take ``stall + SIZE /
        min_rate`` seconds in all, and hold its listed size, no byte more
        (:class:`relscore.fetch.download.Limits`).
    max_list_bytes : int
        The most bytes a file list may have.
    progress : Progress, optional
        Told the bytes received (its total is replaced by the bytes listed) and the files
        done; made by the caller (``Progress("fetch", 1, unit="bytes")``).
    import_options : optional
        Deprecated (until 0.5): give ``dedupe`` and ``dyad``.

    Returns
    -------
    FetchReport

    Raises
    ------
    FetchError
        The list cannot be fetched or read (or is no list: an error page is never cached
        as one), or another fetch is writing to ``to``. A file that cannot be fetched is
        not an error: it is counted in the report's ``failed``, with its reason.
    StoreError
        The store cannot be opened, is locked by another run, or a part cannot be written.

    Examples
    --------
    A mirror of the bundled sample, cut into four 15-minute files, served on this machine:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from relscore import datasets
    >>> from relscore.testing.mirror import serve
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = datasets.gdelt_sample_files(Path(tmp) / "mirror")
    ...     with serve(Path(tmp) / "mirror") as url:
    ...         first = fetch_gdelt("2019-10-24", "2019-10-24", Path(tmp) / "gdelt", base_url=url)
    ...         again = fetch_gdelt("2019-10-24", "2019-10-24", Path(tmp) / "gdelt", base_url=url)
    >>> first.lines()
    ['relscore: listed=4 fetched=4 already=0 failed=0']
    >>> again.lines()
    ['relscore: listed=4 fetched=0 already=4 failed=0']
    """
    started = time.perf_counter()
    check_date_range(since, until)
    if import_options is not None:
        warnings.warn(
            "fetch_gdelt(import_options=...) is now fetch_gdelt(dedupe=..., dyad=...)",
            DeprecationWarning,
            stacklevel=2,
        )
    opts = import_options if import_options is not None else options(dedupe, dyad)
    since, until = _day(since), _day(until)
    if version not in DEFAULT_BASE_URL:
        raise ValueError(f"version must be 1 or 2, got {version!r}")
    folder = Path(to)
    with file_errors(folder, OutputFileError, "cannot make the folder"):
        folder.mkdir(parents=True, exist_ok=True)
    base = DEFAULT_BASE_URL[version] if base_url is None else check_base_url(base_url)
    base = base if base.endswith("/") else base + "/"
    # One fetch writes to a folder at a time; holding its lock, it removes the temporary
    # files of a fetch that was killed (which resumes from the verified files).
    busy = (
        f"{folder}: another relscore fetch is writing to this folder (it holds {LOCK_NAME}); "
        "run again when it has finished"
    )
    limits = Limits(timeout, min_rate, stall, max_list_bytes)
    with folder_lock(folder / LOCK_NAME, busy, FetchError):
        removed = remove_temporaries(folder, FetchError)
        with http_session(retries, backoff, jobs) as session:
            files = list_files(
                session,
                base,
                folder,
                version,
                since,
                until,
                refresh=refresh_list,
                limits=limits,
                attempts=retries + 1,
                backoff=backoff,
            )
            entries, problems = entries_between(files, since, until)
            # Failures in list order: the list's own problems first, then the files.
            failures = {
                (0, n): Failure(f"{p.where}:{p.line}", p.message) for n, p in enumerate(problems)
            }
            counts, received, importing = {"fetched": 0, "already": 0}, 0, None
            if progress is not None:
                progress.total = max(float(sum(e.size for e in entries)), 1e-12)
                progress.files = len(entries)
            with ExitStack() as stack:
                if to_parquet is not None:
                    importing = stack.enter_context(ImportSession("gdelt", to_parquet, opts))
                fetching = Fetching(session, base, folder, retries, limits, backoff, progress)
                done = stack.enter_context(closing(fetching.run(entries, jobs)))
                for order, entry, outcome, size in done:
                    path, url = folder / entry.name, base + entry.name
                    if isinstance(outcome, RelscoreError):
                        failures[(1, order)] = Failure(url, str(outcome).removeprefix(f"{url}: "))
                        continue
                    if importing is not None and (
                        outcome == "fetched" or not _in_store(importing, path)
                    ):
                        try:
                            # Not checked ahead: reading it checks each member's start the
                            # same way, before any row is written, and costs it once.
                            importing.add(path, check=False)
                        except EventFileError as exc:  # GDELT's file, as listed, but not readable
                            failures[(1, order)] = Failure(url, f"fetched, but not imported: {exc}")
                            continue
                    counts[outcome] += 1
                    received += size
    ordered = tuple(failures[k] for k in sorted(failures))
    return FetchReport(
        listed=len(entries) + len(problems),
        fetched=counts["fetched"],
        already=counts["already"],
        failed=len(ordered),
        failures=ordered,
        imported=None if importing is None else importing.tally,
        bytes=received,
        seconds=time.perf_counter() - started,
        removed=len(removed),
        folder=str(folder),
        asked=(since, until),
        holds=None if files.first is None else (files.first, files.last),
    )


def _in_store(session: ImportSession, path: Path) -> bool:
    """Whether the store has a part of ``path`` (a file with no kept event has none, and is
    imported again on each run: a cheap no-op)."""
    return any(session.store.glob(f"month=*/{part_name(path)}"))


@dataclass(frozen=True)
class Fetching:
    """The downloads of one fetch: where from and to, how patient, whom to tell."""

    session: object
    base: str
    folder: Path
    retries: int
    limits: Limits
    backoff: float
    progress: Progress | None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _tell(self, work: float, count: float = 0, files: int = 0) -> None:
        if self.progress is not None:
            with self.lock:  # the downloads run on several threads
                self.progress.update(work, count, files)

    def one(self, entry: Entry) -> tuple[str | RelscoreError, int]:
        """Fetch one file unless it is there, verified: ``("fetched"|"already", bytes)``,
        or the error that stopped it."""
        target = self.folder / entry.name
        streamed = 0

        def received(n: int) -> None:
            nonlocal streamed
            streamed += n
            self._tell(n, n)

        try:
            if verified(target, entry.size, entry.md5):
                return "already", 0
            size = download(
                self.session,
                self.base + entry.name,
                target,
                entry.size,
                entry.md5,
                attempts=self.retries + 1,
                backoff=self.backoff,
                on_bytes=received,
                limits=self.limits,
            )
            return "fetched", size
        except RelscoreError as exc:  # the server's, the network's or the disk's
            return exc, 0
        finally:
            self._tell(max(entry.size - streamed, 0), files=1)

    def run(self, entries: list[Entry], jobs: int) -> Iterator[tuple]:
        """Yield ``(position, entry, outcome, bytes)`` as each file is done, ``jobs`` at a
        time; closing the generator early cancels the downloads not yet started."""
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            futures = {pool.submit(self.one, e): (n, e) for n, e in enumerate(entries)}
            try:
                for future in as_completed(futures):
                    outcome, size = future.result()
                    yield (*futures[future], outcome, size)
            finally:
                for future in futures:
                    future.cancel()
