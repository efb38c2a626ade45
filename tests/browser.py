"""A JupyterLab server and a headless Chromium for the browser tests.

The browser is Debian's ``chromium`` with its ``chromium-driver``, driven by Selenium through
an explicit driver path, so nothing downloads a browser of its own. The server listens on
127.0.0.1 only, with a random token, and is stopped by its process id.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The project's server settings, which `make` installs as the environment's defaults; named
# here too, so that the tests see this tree's settings whatever the environment holds.
SERVER_CONFIG = ROOT / "jupyter-config" / "jupyter_server_config.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_HINT = "apt-get install chromium chromium-driver"
REQUIRE_BROWSER = "RELSCORE_REQUIRE_BROWSER"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if missing:
        return f"{', '.join(missing)} not found: install Debian's browser with `{INSTALL_HINT}`"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed; install the dev extra (`make test` does)"
    return None


def as_root() -> bool:
    """Whether this process runs as root (CI does): JupyterLab and Chromium then need flags."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: its process, its address and its token."""

    process: subprocess.Popen
    url: str
    token: str
    log: Path

    def tree_url(self, path: str) -> str:
        """The address that opens ``path`` (relative to the root folder) in a fresh layout."""
        # `reset` starts from an empty workspace, so the tabs of earlier pages do not reopen.
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"


def start_lab(root_dir: Path, state_dir: Path) -> Lab:
    """Start the project's JupyterLab on ``root_dir`` and wait until it answers.

    Everything the server writes besides the notebooks (user settings, workspaces, runtime
    files, kernels' IPython profile) goes to ``state_dir``, and the user's own Jupyter config
    is not read, so the test sees the configuration that ships with the project.
    """
    port, token = free_port(), secrets.token_hex(24)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(state_dir / "config"),
        "JUPYTER_DATA_DIR": str(state_dir / "data"),
        "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state_dir / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state_dir / "workspaces"),
        "IPYTHONDIR": str(state_dir / "ipython"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--config={SERVER_CONFIG}",
        # No network: no update check against PyPI, no news feed.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
    ]
    if as_root():
        command.append("--allow-root")
    log = state_dir / "jupyterlab.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            command, cwd=root_dir, env=env, stdout=stream, stderr=subprocess.STDOUT
        )
    lab = Lab(process, f"http://127.0.0.1:{port}", token, log)
    try:
        _wait_until_up(lab)
    except BaseException:
        stop(process)
        raise
    return lab


def _local_opener():
    # Straight to 127.0.0.1, whatever proxy the environment names.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_until_up(lab: Lab) -> None:
    opener = _local_opener()
    request = urllib.request.Request(
        f"{lab.url}/api/status", headers={"Authorization": f"token {lab.token}"}
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {lab.process.returncode}:\n{lab.log.read_text()}"
            )
        try:
            with opener.open(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT_S} s:\n{lab.log.read_text()}")


def server_report(lab: Lab, lines: int = 25) -> str:
    """What the server says of its kernels, and the last ``lines`` of its log: the note a
    failed browser check carries, so that a failure where the log is out of reach (CI) still
    says what the server saw."""
    request = urllib.request.Request(
        f"{lab.url}/api/kernels", headers={"Authorization": f"token {lab.token}"}
    )
    try:
        with _local_opener().open(request, timeout=5) as response:
            kernels = [
                f"{k['id'][:8]} {k['execution_state']}, {k['connections']} connection(s)"
                for k in json.load(response)
            ]
        said = f"the server's kernels: {'; '.join(kernels) or 'none'}"
    except (OSError, ValueError, KeyError) as error:
        said = f"the server did not list its kernels: {error}"
    log = lab.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    tail = "\n".join(f"  {line[:200]}" for line in log)
    return f"{said}\nJupyterLab's log ({lab.log}), last {len(log)} lines:\n{tail}"


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started, by its id: terminate, wait, and kill if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_chromium(user_data_dir: Path, log: Path):
    """A headless Chromium driven by Selenium, with a fresh profile in ``user_data_dir``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    flags = [
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={user_data_dir}",
    ]
    if as_root():
        flags.append("--no-sandbox")
    for flag in flags:
        options.add_argument(flag)
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(log))
    return webdriver.Chrome(service=service, options=options)


def kernel_idle(driver, timeout: float) -> None:
    """Wait until the status bar says the kernel is idle. A page whose kernel connection was
    lost stays "Connecting"; halfway, the page is reloaded once, which connects it."""
    texts: list[str] = []
    for attempt in range(2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = [i.text for i in driver.find_elements("css selector", ".jp-StatusBar-TextItem")]
            if any(text.endswith("| Idle") for text in texts):
                return
            time.sleep(0.25)
        if attempt == 0:
            driver.refresh()
    raise AssertionError(
        f"the kernel was not idle within {2 * timeout} s; the status bar said {texts}"
    )


def dirty_tabs(driver) -> list[str]:
    """The titles of the main area's tabs marked modified."""
    tabs = driver.find_elements("css selector", "#jp-main-dock-panel .lm-TabBar-tab.jp-mod-dirty")
    return [tab.text for tab in tabs]
