"""relscore's own temporary files: named so that no one else's file is taken for one, and
swept when the run that made them is gone.

Every file or folder relscore writes takes shape under a hidden temporary name beside it::

    .relscore.PID.HOST.NAME.XXXXXXXX.tmp

``PID`` is the writing process, ``HOST`` six hex digits of a hash of its machine's name,
``NAME`` the target's name (cut to 100 characters) and ``XXXXXXXX`` random. A clean-up
(:func:`remove_temporaries`) removes a file or folder only if its name has this form, it
was made on this machine, and its process no longer runs: a user's ``.draft.tmp`` is never
touched, and neither is the temporary of a run still writing. (A process id that the
system has given to a new process since keeps its old temporary a little longer: it goes
with the next clean-up after that process ends.)
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
from functools import cache
from pathlib import Path

from relscore.exceptions import RelscoreError
from relscore.files.errors import file_errors

PREFIX = ".relscore"
NAME_CHARS = 100  # of the target's name kept in its temporary's name (file names: 255 bytes)
_OURS = re.compile(r"\.relscore\.(\d+)\.([0-9a-f]{6})\.(.*)\.[0-9a-f]{8}\.tmp", re.DOTALL)


@cache
def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode(), usedforsecurity=False).hexdigest()[:6]


def temp_name(target: str | Path, pid: int | None = None) -> Path:
    """A fresh temporary name beside ``target`` for the process ``pid`` (default: this one).

    >>> name = temp_name("out/index.csv", pid=42).name
    >>> name.startswith(".relscore.42.") and name.endswith(".tmp") and "index.csv" in name
    True
    """
    target = Path(target)
    pid = os.getpid() if pid is None else pid
    token = secrets.token_hex(4)
    return target.parent / f"{PREFIX}.{pid}.{_host()}.{target.name[:NAME_CHARS]}.{token}.tmp"


def temp_beside(path: str | Path, *, folder: bool = False) -> Path:
    """Create an empty temporary file (or ``folder``) beside ``path``, named by
    :func:`temp_name`, and return it: mode 0644 (0755 for a folder), as for any output
    meant to be shared. The caller moves it into place with :func:`os.replace`, or removes
    it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = temp_name(path)
        try:
            if folder:
                os.mkdir(tmp, 0o755)
                os.chmod(tmp, 0o755)  # whatever the umask: as the folder it replaces
            else:
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
                os.chmod(tmp, 0o644)
            return tmp
        except FileExistsError:  # 32 random bits taken: draw again
            continue


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a name :func:`temp_name` gives.

    >>> is_temporary(temp_name("figures").name), is_temporary(".thesis_draft.tmp")
    (True, False)
    """
    return _OURS.fullmatch(name) is not None


def abandoned(name: str) -> bool:
    """Whether ``name`` is one of our temporaries whose process, on this machine, has
    ended (so nothing will write it again)."""
    found = _OURS.fullmatch(name)
    if found is None or found[2] != _host():
        return False
    pid = int(found[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError as exc:  # EPERM: it runs, as another user
        return exc.errno != errno.EPERM
    return False


def remove_temporaries(
    folder: str | Path,
    error: type[RelscoreError],
    patterns: tuple[str, ...] = (f"{PREFIX}.*.tmp",),
) -> list[Path]:
    """Remove the temporary files and folders that ended runs left in ``folder``
    (those of :func:`abandoned` among the names matching ``patterns``, globs relative to
    it); return them. Those of a run still going are left to it.

    Examples
    --------
    >>> import subprocess, sys, tempfile
    >>> from relscore.exceptions import OutputFileError
    >>> ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
    ...                        capture_output=True, text=True).stdout.strip()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     left = temp_name(Path(tmp) / "index.csv", pid=int(ended))
    ...     _ = left.write_text("half an index")
    ...     mine = temp_beside(Path(tmp) / "index.csv")
    ...     _ = (Path(tmp) / ".thesis_draft.tmp").write_text("a user's own file")
    ...     removed = remove_temporaries(tmp, OutputFileError)
    ...     kept = sorted(p.name for p in Path(tmp).iterdir())
    >>> removed == [left], kept == sorted([mine.name, ".thesis_draft.tmp"])
    (True, True)
    """
    found = sorted(
        {p for pattern in patterns for p in Path(folder).glob(pattern) if abandoned(p.name)}
    )
    for tmp in found:
        with file_errors(tmp, error, "cannot remove a temporary file"):
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp)
            else:
                tmp.unlink(missing_ok=True)
    return found


def remove_temporaries_of(target: str | Path, error: type[RelscoreError]) -> list[Path]:
    """Remove the temporaries that ended runs left for ``target`` (beside it)."""
    target = Path(target)
    name = glob_escape(target.name[:NAME_CHARS])
    return remove_temporaries(target.parent, error, (f"{PREFIX}.*.{name}.*.tmp",))


def glob_escape(name: str) -> str:
    """``name`` with the characters a glob reads (``*?[``) taken literally.

    >>> glob_escape("a[1]*.csv")
    'a[[]1][*].csv'
    """
    return re.sub(r"([*?[])", r"[\1]", name)
