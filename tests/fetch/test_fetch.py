"""``relscore fetch gdelt``: lists, verified downloads, resume, the list cache, the import.

Nothing here touches the network: a mirror of the bundled sample, cut into four 15-minute
files (:func:`relscore.datasets.gdelt_sample_files`), is served on 127.0.0.1 by a handler
that logs every request and injects the faults a test asks for, file by file, in order.
"""

import datetime as dt
import hashlib
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from relscore import datasets
from relscore.exceptions import FetchError
from relscore.fetch import fetch_gdelt
from relscore.fetch.lists import entries_between, event_dates, parse_master_list, parse_v1_lists
from relscore.scale import index_store
from relscore.store.ingest import import_to_store
from relscore.testing.mirror import MirrorHandler, serve, write_master_list
from tests.conftest import run

DAY = "2019-10-24"
FAST = {"retries": 2, "timeout": 2.0, "backoff": 0.01}
SLOTS = ["20191024143000", "20191024144500", "20191024150000", "20191024151500"]
NAMES = [f"{s}.export.CSV.zip" for s in SLOTS]


def faulty(faults: dict[str, list[str]] | None = None, ranges: bool = True):
    """A mirror handler class that logs ``(name, Range header)`` per request and answers
    the next fault queued for a name: ``500``, ``404``, ``drop`` (half the body, then the
    connection closes), ``sleep`` (no answer for a second), ``stall`` (half the body,
    then 20 seconds of nothing), or ``trickle``, ``endless``, ``longer``, ``html`` (see
    ``_hostile``)."""
    queued = {k: list(v) for k, v in (faults or {}).items()}
    lock = threading.Lock()

    class Faulty(MirrorHandler):
        log: ClassVar[list] = []

        def do_GET(self):
            name = self.path.lstrip("/")
            with lock:
                self.log.append((name, self.headers.get("Range")))
                fault = queued[name].pop(0) if queued.get(name) else None
            if not ranges and "Range" in self.headers:
                del self.headers["Range"]
            if fault in ("500", "404"):
                self.send_response(int(fault))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif fault in ("drop", "stall"):  # half the body; a stall then waits long
                data = (Path(self.directory) / name).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                if fault == "stall":
                    time.sleep(20.0)
                self.close_connection = True
            elif fault == "sleep":
                time.sleep(1.0)
                self.close_connection = True
            elif fault in ("trickle", "endless", "longer", "html"):
                self._hostile(fault, name)
            else:
                super().do_GET()

        def _hostile(self, fault, name):
            """``trickle``: the body a byte every 50 ms; ``endless``: bytes without end and
            no Content-Length; ``longer``: a Content-Length 20 MB over the file's; ``html``:
            an error page. Each stops when the client goes away (or after 60 s)."""
            data = (Path(self.directory) / name).read_bytes()
            self.send_response(200)
            if fault == "html":
                page = b"<!DOCTYPE html>\n<title>502 Bad Gateway</title>\n<h1>502</h1>\n"
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return
            if fault != "endless":
                extra = 20 * 2**20 if fault == "longer" else 0
                self.send_header("Content-Length", str(len(data) + extra))
            self.end_headers()
            self.close_connection = True
            stop = time.monotonic() + 60
            try:
                while time.monotonic() < stop:
                    if fault == "trickle":
                        self.wfile.write(data[:1])
                        self.wfile.flush()
                        time.sleep(0.05)
                    else:
                        self.wfile.write(data.ljust(1 << 16, b"x"))
            except OSError:  # the client has gone: the point of the test
                pass

    return Faulty


def requested(handler, suffix=".export.CSV.zip") -> list[str]:
    return [name for name, _ in handler.log if name.endswith(suffix)]


@pytest.fixture
def mirror(tmp_path):
    """The mirror folder: four export files (and mentions, gkg) and its master list."""
    folder = tmp_path / "mirror"
    datasets.gdelt_sample_files(folder)
    return folder


def no_temporaries(folder: Path) -> bool:
    return not list(folder.glob(".*.tmp"))


# -- the lists, pure -----------------------------------------------------------------


def test_master_list_problems_name_file_and_line():
    text = (
        "1 0123456789abcdef0123456789abcdef http://x/20191024143000.export.CSV.zip\n"
        "\n"
        "garbage\n"
        "1 nothex http://x/20191024150000.export.CSV.zip\n"
        "1 nothex http://x/20200101000000.export.CSV.zip\n"
        "1 0123456789abcdef0123456789abcdef http://x/20191399000000.export.CSV.zip\n"
    )
    files = parse_master_list(text, "L.txt")
    assert [str(p) for p in files.problems] == [
        "L.txt:3: expected SIZE MD5 URL, got 'garbage'",
        "L.txt:4: expected SIZE MD5 URL, got '1 nothex http://x/20191024150000.export.CSV.zip'",
        "L.txt:5: expected SIZE MD5 URL, got '1 nothex http://x/20200101000000.export.CSV.zip'",
        "L.txt:6: not a date and time: '20191399000000.export.CSV.zip'",
    ]
    entries, problems = entries_between(files, dt.date(2019, 10, 24), dt.date(2019, 10, 24))
    assert [e.name for e in entries] == ["20191024143000.export.CSV.zip"]
    # The line of no date and the line of the day count; the line of 2020 does not.
    assert [p.line for p in problems] == [3, 4, 6]


def test_v1_lists_dates_and_problems():
    md5 = "0123456789abcdef0123456789abcdef"
    files = parse_v1_lists(
        f"{md5}  1979.zip\n{md5}  200602.zip\n{md5}  20130401.export.CSV.zip\n"
        f"{md5}  GDELT.MASTERREDUCEDV2.1979-2013.zip\nbroken\n{md5}  20130402.export.CSV.zip\n",
        "1 1979.zip\n2 200602.zip\n3 20130401.export.CSV.zip\n4 20130403.export.CSV.zip\n",
    )
    assert [(e.name, str(e.first), str(e.last), e.size) for e in files.entries] == [
        ("1979.zip", "1979-01-01", "1979-12-31", 1),
        ("200602.zip", "2006-02-01", "2006-02-28", 2),
        ("20130401.export.CSV.zip", "2013-04-01", "2013-04-01", 3),
    ]
    assert [str(p) for p in files.problems] == [
        "filesizes:4: 20130403.export.CSV.zip is not in md5sums: its size or MD5 is not known",
        "md5sums:5: expected MD5  NAME, got 'broken'",
        "md5sums:6: 20130402.export.CSV.zip is not in filesizes: its size or MD5 is not known",
    ]
    entries, problems = entries_between(files, dt.date(2006, 2, 10), dt.date(2006, 2, 11))
    assert [e.name for e in entries] == ["200602.zip"]
    assert [p.line for p in problems] == [5]  # the line whose file cannot be told


@pytest.mark.parametrize(
    ("name", "dates"),
    [
        ("20191024143000.export.CSV.zip", ("2019-10-24", "2019-10-24")),
        ("20130401.export.CSV.zip", ("2013-04-01", "2013-04-01")),
        ("200802.zip", ("2008-02-01", "2008-02-29")),
        ("2005.zip", ("2005-01-01", "2005-12-31")),
        ("20191024143000.mentions.CSV.zip", None),
        ("GDELT.MASTERREDUCEDV2.1979-2013.zip", None),
        ("20191324.export.CSV.zip", None),
    ],
)
def test_event_dates(name, dates):
    found = event_dates(name)
    assert (None if found is None else tuple(map(str, found))) == dates


def test_sample_files_are_deterministic(tmp_path):
    a = datasets.gdelt_sample_files(tmp_path / "a", n_files=3)
    b = datasets.gdelt_sample_files(tmp_path / "b", n_files=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    listed = (tmp_path / "a" / "masterfilelist.txt").read_text().splitlines()
    assert len(listed) == 9
    size, md5, url = listed[0].split(" ")
    assert url == "http://data.gdeltproject.org/gdeltv2/20191024143000.export.CSV.zip"
    assert (int(size), md5) == (len(a[0].read_bytes()), hashlib.md5(a[0].read_bytes()).hexdigest())


# -- downloads and their faults ----------------------------------------------------------


def fetch(mirror, to, handler=None, **kwargs):
    handler = handler or faulty()
    settings = {**FAST, **kwargs}
    with serve(mirror, handler) as url:
        return fetch_gdelt(DAY, DAY, to, base_url=url, **settings)


def test_fetch_all_verified(mirror, tmp_path):
    handler = faulty()
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert (report.listed, report.fetched, report.already, report.failed) == (4, 4, 0, 0)
    for name in NAMES:
        assert (tmp_path / "gdelt" / name).read_bytes() == (mirror / name).read_bytes()
    assert report.bytes == sum((mirror / n).stat().st_size for n in NAMES)
    assert sorted(requested(handler)) == NAMES
    assert no_temporaries(tmp_path / "gdelt")


def test_500_then_success(mirror, tmp_path):
    handler = faulty({NAMES[0]: ["500"]})
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert (report.fetched, report.failed) == (4, 0)
    assert requested(handler).count(NAMES[0]) == 2


def test_500_every_time_fails_after_retries(mirror, tmp_path):
    handler = faulty({NAMES[0]: ["500"] * 10})
    report = fetch(mirror, tmp_path / "gdelt", handler, retries=2)
    assert (report.fetched, report.failed) == (3, 1)
    assert report.failures[0].where.endswith(NAMES[0])
    assert "HTTP 500" in report.failures[0].reason
    assert requested(handler).count(NAMES[0]) == 3  # urllib3's tries only, not ours too


def test_dropped_mid_body_then_success(mirror, tmp_path):
    handler = faulty({NAMES[1]: ["drop"]})
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert (report.fetched, report.failed) == (4, 0)
    assert requested(handler).count(NAMES[1]) == 2
    assert (tmp_path / "gdelt" / NAMES[1]).read_bytes() == (mirror / NAMES[1]).read_bytes()


def test_wrong_md5_fails_and_leaves_nothing(mirror, tmp_path):
    listing = mirror / "masterfilelist.txt"
    lines = listing.read_text().splitlines(keepends=True)
    size, _, url = lines[0].split(" ")
    lines[0] = f"{size} {'0' * 32} {url}"
    listing.write_text("".join(lines))
    handler = faulty()
    report = fetch(mirror, tmp_path / "gdelt", handler, retries=1)
    assert (report.fetched, report.failed) == (3, 1)
    failure = report.failures[0]
    assert failure.where.endswith(NAMES[0]) and failure.where.startswith("http://127.0.0.1:")
    assert f"the list says {'0' * 32}" in failure.reason
    assert "tried 2 times" in failure.reason
    assert requested(handler).count(NAMES[0]) == 2
    assert not (tmp_path / "gdelt" / NAMES[0]).exists()
    assert no_temporaries(tmp_path / "gdelt")


def test_404_fails_at_once(mirror, tmp_path):
    handler = faulty({NAMES[2]: ["404"] * 10})
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert (report.fetched, report.failed) == (3, 1)
    assert str(report.failures[0]).endswith(f"{NAMES[2]}: HTTP 404 Not Found")
    assert requested(handler).count(NAMES[2]) == 1
    assert not (tmp_path / "gdelt" / NAMES[2]).exists()


def test_timeout_fails_after_retries_in_bounded_time(mirror, tmp_path):
    handler = faulty({NAMES[3]: ["sleep"] * 10})
    started = time.perf_counter()
    report = fetch(mirror, tmp_path / "gdelt", handler, retries=1, timeout=0.2)
    assert time.perf_counter() - started < 5
    assert (report.fetched, report.failed) == (3, 1)
    assert report.failures[0].reason == "timed out"
    assert requested(handler).count(NAMES[3]) == 2
    assert no_temporaries(tmp_path / "gdelt")


def test_bad_list_line_is_named_and_failed(mirror, tmp_path):
    listing = mirror / "masterfilelist.txt"
    lines = listing.read_text().splitlines(keepends=True)
    lines.insert(1, "this is not a list line\n")
    listing.write_text("".join(lines))
    report = fetch(mirror, tmp_path / "gdelt")
    assert (report.listed, report.fetched, report.failed) == (5, 4, 1)
    cached = tmp_path / "gdelt" / "masterfilelist.txt"
    assert str(report.failures[0]) == (
        f"{cached}:2: expected SIZE MD5 URL, got 'this is not a list line'"
    )


def test_only_export_files_in_range_are_requested(mirror, tmp_path):
    # Two more export files, the day before and the day after.
    for slot in ("20191023234500", "20191025000000"):
        (mirror / f"{slot}.export.CSV.zip").write_bytes((mirror / NAMES[0]).read_bytes())
    write_master_list(mirror)
    handler = faulty()
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert report.listed == 4
    assert sorted(requested(handler)) == NAMES
    assert not requested(handler, ".mentions.CSV.zip") and not requested(handler, ".gkg.csv.zip")
    assert sorted(p.name for p in (tmp_path / "gdelt").glob("*.zip")) == NAMES


def test_resume_fetches_only_the_rest(mirror, tmp_path):
    handler = faulty({NAMES[1]: ["404"], NAMES[3]: ["drop"] * 3})
    first = fetch(mirror, tmp_path / "gdelt", handler)
    assert (first.fetched, first.already, first.failed) == (2, 0, 2)
    handler.log.clear()
    second = fetch(mirror, tmp_path / "gdelt", handler)
    assert (second.fetched, second.already, second.failed) == (2, 2, 0)
    # The verified files were not downloaded again; the cached list (which ends on the day
    # asked for) was only asked for its bytes after those cached.
    assert sorted(requested(handler)) == [NAMES[1], NAMES[3]]
    have = (tmp_path / "gdelt" / "masterfilelist.txt").stat().st_size
    others = [entry for entry in handler.log if entry[0] not in requested(handler)]
    assert others == [("masterfilelist.txt", f"bytes={have}-")]


def test_a_fetch_killed_mid_file_resumes_without_fetching_verified_files_again(mirror, tmp_path):
    # The third file stalls half-way, and the fetch (a process of its own, one download at
    # a time) is killed there, as by a power cut: two files verified, one begun.
    to = tmp_path / "gdelt"
    with serve(mirror, faulty({NAMES[2]: ["stall"]})) as url:
        argv = [sys.executable, "-m", "relscore", "fetch", "gdelt", "--since", DAY]
        argv += ["--until", DAY, "--to", str(to), "--base-url", url, "--jobs", "1"]
        process = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(to.glob(f".relscore.*.{NAMES[2]}.*.tmp")):  # its download has begun
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.kill()
        process.wait()
    assert sorted(p.name for p in to.glob("*.zip")) == NAMES[:2]
    assert len(list(to.glob(".*.tmp"))) == 1
    handler = faulty()
    report = fetch(mirror, to, handler)
    assert (report.fetched, report.already, report.failed, report.removed) == (2, 2, 0, 1)
    assert sorted(requested(handler)) == NAMES[2:]  # the verified files were not fetched
    assert report.lines()[0] == (
        f"relscore: removed 1 temporary file(s) an interrupted fetch left in {to}"
    )
    assert no_temporaries(to)
    assert sorted(p.name for p in to.glob("*.zip")) == NAMES


def test_two_fetches_into_one_folder_at_once(mirror, tmp_path):
    from relscore.exceptions import FetchError
    from relscore.fetch.fetch import LOCK_NAME
    from relscore.files.locks import folder_lock

    to = tmp_path / "gdelt"
    to.mkdir()
    held = folder_lock(to / LOCK_NAME, "held", FetchError)  # as a running fetch holds it
    busy = pytest.raises(FetchError, match="another relscore fetch is writing to this folder")
    with held, busy:
        fetch(mirror, to)
    assert fetch(mirror, to).fetched == 4


def test_a_damaged_file_in_the_folder_is_fetched_again(mirror, tmp_path):
    fetch(mirror, tmp_path / "gdelt")
    (tmp_path / "gdelt" / NAMES[0]).write_bytes(b"PK damaged")
    handler = faulty()
    report = fetch(mirror, tmp_path / "gdelt", handler)
    assert (report.fetched, report.already) == (1, 3)
    assert requested(handler) == [NAMES[0]]


def add_next_day(mirror: Path) -> None:
    """GDELT publishes a slot of 2019-10-25: a file, and a line at the end of its list."""
    new = mirror / "20191025000000.export.CSV.zip"
    data = (mirror / NAMES[0]).read_bytes()
    new.write_bytes(data)
    line = f"{len(data)} {hashlib.md5(data).hexdigest()} http://x/gdeltv2/{new.name}\n"
    with open(mirror / "masterfilelist.txt", "a") as listing:
        listing.write(line)


# -- the list cache -------------------------------------------------------------------------


def test_list_cache_reused_when_it_lists_a_later_day(mirror, tmp_path):
    add_next_day(mirror)
    handler = faulty()
    fetch(mirror, tmp_path / "gdelt", handler)
    assert [n for n, _ in handler.log].count("masterfilelist.txt") == 1
    handler.log.clear()
    fetch(mirror, tmp_path / "gdelt", handler)
    assert handler.log == []


def test_a_list_ending_on_until_is_refreshed_for_later_slots_of_that_day(mirror, tmp_path):
    # GDELT at 14:45: the list has the day's first two slots. Fifteen minutes later it has
    # two more of the same day, and a fetch of that day must see them.
    to = tmp_path / "gdelt"
    listing = mirror / "masterfilelist.txt"
    full = listing.read_text()
    lines = full.splitlines(keepends=True)
    listing.write_text("".join(lines[:6]))  # two slots of three files each
    assert fetch(mirror, to).fetched == 2
    listing.write_text(full)
    handler = faulty()
    report = fetch(mirror, to, handler)
    assert handler.log[0] == ("masterfilelist.txt", f"bytes={len(''.join(lines[:6]))}-")
    assert (report.listed, report.fetched, report.already) == (4, 2, 2)
    assert (to / "masterfilelist.txt").read_text() == full


def test_list_cache_refreshed_by_range_when_behind(mirror, tmp_path):
    to = tmp_path / "gdelt"
    handler = faulty()
    fetch(mirror, to, handler)
    cached = to / "masterfilelist.txt"
    have = cached.stat().st_size
    # Until the next day, which the list does not reach yet: a range request, 416.
    handler.log.clear()
    with serve(mirror, handler) as url:
        report = fetch_gdelt(DAY, "2019-10-25", to, base_url=url, **FAST)
    assert handler.log == [("masterfilelist.txt", f"bytes={have}-")]
    assert report.already == 4
    # GDELT adds a slot of the next day: the range request gets just the new lines (206).
    add_next_day(mirror)
    handler.log.clear()
    with serve(mirror, handler) as url:
        report = fetch_gdelt(DAY, "2019-10-25", to, base_url=url, **FAST)
    assert handler.log[0] == ("masterfilelist.txt", f"bytes={have}-")
    assert cached.read_bytes() == (mirror / "masterfilelist.txt").read_bytes()
    assert (report.listed, report.fetched, report.already) == (5, 1, 4)
    assert no_temporaries(to)


def test_list_cache_replaced_when_server_ignores_ranges(mirror, tmp_path):
    to = tmp_path / "gdelt"
    fetch(mirror, to, faulty())
    add_next_day(mirror)
    handler = faulty(ranges=False)
    with serve(mirror, handler) as url:
        report = fetch_gdelt("2019-10-25", "2019-10-25", to, base_url=url, **FAST)
    assert (to / "masterfilelist.txt").read_bytes() == (mirror / "masterfilelist.txt").read_bytes()
    assert (report.listed, report.fetched) == (1, 1)


def test_refresh_list_fetches_it_whole(mirror, tmp_path):
    handler = faulty()
    fetch(mirror, tmp_path / "gdelt", handler)
    handler.log.clear()
    fetch(mirror, tmp_path / "gdelt", handler, refresh_list=True)
    assert handler.log == [("masterfilelist.txt", None)]


# -- into the event store ---------------------------------------------------------------


def index_frame(store: Path, out: Path) -> pd.DataFrame:
    index_store(store, out)
    return pd.read_csv(out)


def test_to_parquet_indexes_as_an_import_from_disk(mirror, tmp_path):
    store = tmp_path / "store"
    report = fetch(mirror, tmp_path / "gdelt", to_parquet=store)
    assert report.imported is not None
    assert (report.imported.read, report.imported.kept) == (2111, 242)
    disk = tmp_path / "disk-store"
    tally = import_to_store([mirror / n for n in NAMES], disk)
    assert (tally.read, tally.kept, tally.duplicates) == (
        report.imported.read,
        report.imported.kept,
        report.imported.duplicates,
    )
    fetched = index_frame(store, tmp_path / "fetched.csv")
    pd.testing.assert_frame_equal(fetched, index_frame(disk, tmp_path / "disk.csv"))
    assert len(fetched) > 0


def test_to_parquet_imports_files_already_there_once(mirror, tmp_path):
    to, store = tmp_path / "gdelt", tmp_path / "store"
    fetch(mirror, to)  # no store yet
    report = fetch(mirror, to, to_parquet=store)
    assert (report.fetched, report.already) == (0, 4)
    assert report.imported.read == 2111  # the files on disk, with no part in the store yet
    again = fetch(mirror, to, to_parquet=store)
    assert again.imported.read == 0  # every file has its part: nothing to import


# -- GDELT 1.0 --------------------------------------------------------------------------------


def test_a_verified_file_that_is_not_gdelt_is_failed_and_the_others_imported(mirror, tmp_path):
    import zipfile

    with zipfile.ZipFile(mirror / NAMES[1], "w") as archive:  # listed, but not events
        archive.writestr(NAMES[1].removesuffix(".zip"), "not\ta GDELT row\n")
    write_master_list(mirror)
    report = fetch(mirror, tmp_path / "gdelt", to_parquet=tmp_path / "store")
    assert (report.fetched, report.failed) == (3, 1)
    assert report.failures[0].where.endswith(NAMES[1])
    assert report.failures[0].reason.startswith("fetched, but not imported: ")
    assert "GDELT" in report.failures[0].reason
    parts = sorted(p.name.split(".")[0] for p in (tmp_path / "store").glob("month=*/*.parquet"))
    assert sorted(set(parts)) == sorted({SLOTS[0], SLOTS[2], SLOTS[3]})


def test_gdelt1_lists_fetched(mirror, tmp_path):
    v1 = tmp_path / "v1"
    v1.mkdir()
    daily = v1 / "20191024.export.CSV.zip"
    daily.write_bytes((mirror / NAMES[0]).read_bytes())
    monthly = v1 / "200601.zip"
    monthly.write_bytes(b"a month of GDELT 1.0, in short")
    other = v1 / "GDELT.MASTERREDUCEDV2.1979-2013.zip"
    other.write_bytes(b"not an event file of a date")
    files = [daily, monthly, other]
    (v1 / "md5sums").write_text(
        "".join(f"{hashlib.md5(f.read_bytes()).hexdigest()}  {f.name}\n" for f in files)
    )
    (v1 / "filesizes").write_text("".join(f"{f.stat().st_size} {f.name}\n" for f in files))
    handler = faulty()
    with serve(v1, handler) as url:
        day = fetch_gdelt(DAY, DAY, tmp_path / "g1", version=1, base_url=url, **FAST)
        month = fetch_gdelt("2006-01-30", "2006-02-02", tmp_path / "g1", version=1, base_url=url)
    assert (day.listed, day.fetched, month.listed, month.fetched) == (1, 1, 1, 1)
    assert (tmp_path / "g1" / "200601.zip").read_bytes() == monthly.read_bytes()
    assert sorted(n for n, _ in handler.log) == [
        "200601.zip",
        "20191024.export.CSV.zip",
        "filesizes",
        "md5sums",
    ]


# -- the command line -------------------------------------------------------------------------


def test_cli_fetch_and_exit_codes(mirror, tmp_path, capsys):
    handler = faulty({NAMES[2]: ["404"]})
    with serve(mirror, handler) as url:
        args = ["fetch", "gdelt", "--since", DAY, "--until", DAY, "--to", tmp_path / "gdelt"]
        args += ["--base-url", url, "--retries", "1", "--timeout", "2"]
        code, out, err = run(capsys, *args)
        assert code == 1
        lines = err.splitlines()
        assert lines[0] == "relscore: listed=4 fetched=3 already=0 failed=1"
        assert lines[1] == f"relscore: failed: {url}{NAMES[2]}: HTTP 404 Not Found"
        code, out, err = run(capsys, *args, "--to-parquet", tmp_path / "store")
    assert code == 0
    lines = err.splitlines()
    assert lines[0] == "relscore: listed=4 fetched=1 already=3 failed=0"
    assert lines[1] == "read=2111 kept=242 duplicates=180 skipped=1689"
    assert lines[-1] == f"relscore: wrote 242 events to the store {tmp_path / 'store'}"
    assert out == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--since", "2019-10-25"], "--since 2019-10-25 is after --until 2019-10-24"),
        (["--gdelt", "3"], "argument --gdelt: invalid choice: 3"),
        (["--jobs", "four"], "argument --jobs: must be a whole number 1 ... 256, got 'four'"),
        (
            ["--timeout", "-1"],
            "argument --timeout: must be a number of seconds > 0 and at most 86,400, got '-1'",
        ),
        (["--base-url", ""], "argument --base-url: not an http:// or https:// address with a"),
        (["--base-url", "ftp://127.0.0.1/"], "not an http:// or https:// address with a host"),
        (["--min-rate", "0"], "argument --min-rate: must be a size of 1 byte"),
        (["--stall", "1e9"], "argument --stall: must be a number of seconds > 0 and at most"),
        (["--max-list-size", "lots"], "argument --max-list-size: must be a size of 1 byte"),
        (["--until", "2019-13-01"], "argument --until: not a date: '2019-13-01'"),
        (["--dedupe", "one-a-dya"], "argument --dedupe: invalid choice: 'one-a-dya'"),
    ],
)
def test_cli_usage_errors(tmp_path, capsys, extra, message):
    args = ["fetch", "gdelt", "--since", DAY, "--until", DAY, "--to", tmp_path / "gdelt"]
    code, _, err = run(capsys, *args, *extra)
    assert code == 2
    assert len(err.splitlines()) == 1 and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "gdelt").exists()


def test_cli_list_unreachable_is_one_line(tmp_path, capsys):
    with serve(tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else None) as url:
        code, _, err = run(
            capsys,
            "fetch",
            "gdelt",
            "--since",
            DAY,
            "--until",
            DAY,
            "--to",
            tmp_path / "g",
            "--base-url",
            url,
            "--retries",
            "0",
        )
    assert code == 1
    assert err == f"relscore: error: {url}masterfilelist.txt: HTTP 404 File not found\n"


# -- transfers that would hang or fill the disk -------------------------------------------------
# Each ends well within its deadline: the server would go on for a minute.

BOUNDED = {**FAST, "retries": 1, "min_rate": 1000, "stall": 0.5}


def test_a_body_that_trickles_stalls_and_is_tried_again(mirror, tmp_path):
    handler = faulty({NAMES[0]: ["trickle"], NAMES[1]: ["trickle", "trickle"]})
    started = time.monotonic()
    report = fetch(mirror, tmp_path / "gdelt", handler, **BOUNDED)
    assert time.monotonic() - started < 30
    assert (report.fetched, report.failed) == (3, 1)
    assert requested(handler).count(NAMES[0]) == requested(handler).count(NAMES[1]) == 2
    (failure,) = report.failures
    assert failure.where.endswith(NAMES[1])
    assert re.fullmatch(
        r"stalled: \d+ bytes in [01] s, below 1000 bytes/s \(--min-rate\) \(tried 2 times\)",
        failure.reason,
    ), failure.reason
    assert no_temporaries(tmp_path / "gdelt")


def test_a_body_that_never_ends_stops_at_its_listed_size_and_one(mirror, tmp_path):
    handler = faulty({NAMES[2]: ["endless", "endless"]})
    started = time.monotonic()
    report = fetch(mirror, tmp_path / "gdelt", handler, **BOUNDED)
    assert time.monotonic() - started < 30
    size = (mirror / NAMES[2]).stat().st_size
    assert report.failures[0].reason == f"more than {size} bytes sent; stopped (tried 2 times)"
    assert not (tmp_path / "gdelt" / NAMES[2]).exists() and no_temporaries(tmp_path / "gdelt")


def test_a_body_announced_longer_than_listed_fails_before_it_is_read(mirror, tmp_path):
    handler = faulty({NAMES[3]: ["longer"] * 4})
    report = fetch(mirror, tmp_path / "gdelt", handler, **{**BOUNDED, "retries": 3})
    size = (mirror / NAMES[3]).stat().st_size
    assert report.failures[0].reason == (
        f"the server announces {size + 20 * 2**20} bytes, more than {size} (tried 4 times)"
    )


def test_a_list_that_never_ends_or_trickles_is_refused_and_not_kept(mirror, tmp_path):
    for fault, reason in (
        ("endless", "more than 5000 bytes sent; stopped"),
        ("trickle", "stalled"),
    ):
        handler = faulty({"masterfilelist.txt": [fault, fault]})
        started = time.monotonic()
        with serve(mirror, handler) as url, pytest.raises(FetchError) as error:
            fetch_gdelt(DAY, DAY, tmp_path / "gdelt", base_url=url, max_list_bytes=5000, **BOUNDED)
        assert time.monotonic() - started < 30
        assert str(error.value).startswith(f"{url}masterfilelist.txt: {reason}")
        assert str(error.value).endswith("(tried 2 times)")
        assert sorted(p.name for p in (tmp_path / "gdelt").iterdir()) == [".relscore_fetch.lock"]


def test_an_error_page_is_never_kept_as_the_list(mirror, tmp_path, capsys):
    handler = faulty({"masterfilelist.txt": ["html"]})
    with serve(mirror, handler) as url:
        code, _, err = run(
            capsys,
            "fetch",
            "gdelt",
            "--since",
            DAY,
            "--until",
            DAY,
            "--to",
            tmp_path / "gdelt",
            "--base-url",
            url,
            "--retries",
            "0",
        )
        assert code == 1
        assert err == (
            f"relscore: error: {url}masterfilelist.txt: not a GDELT file list (its first line "
            "is '<!DOCTYPE html>', not SIZE MD5 URL), so not kept: an error page of a server or "
            "a proxy?\n"
        )
        assert not (tmp_path / "gdelt" / "masterfilelist.txt").exists()
        report = fetch_gdelt(DAY, DAY, tmp_path / "gdelt", base_url=url, **FAST)
    assert (report.listed, report.fetched) == (4, 4)


def test_a_cached_error_page_is_fetched_whole_not_resumed(mirror, tmp_path):
    # An error page that relscore 0.3 kept as the list: a Range request from its end spliced
    # the list's tail onto it, and the list failed run after run.
    to = tmp_path / "gdelt"
    to.mkdir()
    (to / "masterfilelist.txt").write_text("<html><body>Service Unavailable</body></html>\n")
    handler = faulty()
    report = fetch(mirror, to, handler)
    assert (report.listed, report.fetched, report.failed) == (4, 4, 0)
    assert [entry for entry in handler.log if entry[0] == "masterfilelist.txt"] == [
        ("masterfilelist.txt", None)
    ]
    assert (to / "masterfilelist.txt").read_bytes() == (mirror / "masterfilelist.txt").read_bytes()


def test_a_resumed_list_whose_seam_is_no_line_is_fetched_whole(mirror, tmp_path):
    # The server's list is not the one cached plus lines (it was rewritten): the bytes after
    # the cached ones start mid-line. The list made by appending them is not kept.
    to = tmp_path / "gdelt"
    listing = mirror / "masterfilelist.txt"
    full = listing.read_text()
    lines = full.splitlines(keepends=True)
    listing.write_text("".join(lines[:6]))
    assert fetch(mirror, to).fetched == 2
    listing.write_text("9" + full)  # one byte more at the start: every line shifts
    add_next_day(mirror)
    handler = faulty()
    report = fetch(mirror, to, handler)
    logged = [entry for entry in handler.log if entry[0] == "masterfilelist.txt"]
    assert logged[0][1] is not None and logged[1] == ("masterfilelist.txt", None)
    assert (to / "masterfilelist.txt").read_bytes() == listing.read_bytes()
    assert report.failed == 1  # the first line, now '9150...' of a file not listed so


def test_an_empty_list_is_no_list(tmp_path, capsys):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "masterfilelist.txt").write_text("")
    with serve(tmp_path / "m") as url:
        code, _, err = run(
            capsys,
            "fetch",
            "gdelt",
            "--since",
            DAY,
            "--until",
            DAY,
            "--to",
            tmp_path / "g",
            "--base-url",
            url,
            "--retries",
            "0",
        )
    assert code == 1 and "not a GDELT file list (it is empty), so not kept" in err


def test_dates_outside_the_list_are_said_and_nothing_listed_exits_1(mirror, tmp_path, capsys):
    base = ["fetch", "gdelt", "--to", tmp_path / "gdelt", "--retries", "0"]
    with serve(mirror) as url:
        code, _, err = run(
            capsys, *base, "--base-url", url, "--since", "2019-10-25", "--until", "2019-10-30"
        )
        assert code == 1
        assert err.splitlines() == [
            "relscore: listed=0 fetched=0 already=0 failed=0",
            "relscore: nothing listed for 2019-10-25 ... 2019-10-30: the list holds event files "
            "of 2019-10-24 ... 2019-10-24",
        ]
        code, _, err = run(
            capsys, *base, "--base-url", url, "--since", "2019-10-20", "--until", DAY
        )
    assert code == 0
    assert err.splitlines() == [
        "relscore: listed=4 fetched=4 already=0 failed=0",
        "relscore: note: the list holds event files of 2019-10-24 ... 2019-10-24; none before "
        "or after those dates",
    ]


def test_the_clean_up_of_the_download_folder_takes_only_its_own(mirror, tmp_path, ended_pid):
    from relscore.files.temporary import temp_name

    to = tmp_path / "gdelt"
    to.mkdir()
    mine = [to / ".thesis_draft.tmp", to / "notes.tmp"]
    for path in mine:
        path.write_text("a user's own")
    left = temp_name(to / NAMES[0], pid=ended_pid)
    left.write_bytes(b"half a file")
    report = fetch(mirror, to)
    assert report.removed == 1 and not left.exists()
    assert all(path.read_text() == "a user's own" for path in mine)
