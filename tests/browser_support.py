"""Headless Chromium over WebDriver, and ``directlink serve`` on a free loopback port.

Shared by the browser tests and ``benchmarks/screenshots.py``. Where Chromium,
its driver or selenium is missing, :data:`MISSING` says which (Debian:
``apt-get install chromium chromium-driver``; ``.ci/run`` does this).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _find("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER = _find("chromedriver")
WAIT_SECONDS = 20


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "no Chromium or chromedriver on PATH (apt-get install chromium chromium-driver)"
    return None


#: Why a browser cannot be started here, or None where it can.
MISSING = _missing()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message holds its log."""


@contextmanager
def serve(secrets: dict[str, str]) -> Iterator[Server]:
    """``directlink serve`` with ``secrets`` (app id to AppSecret) until the block ends."""
    workdir = Path(tempfile.mkdtemp(prefix="directlink-serve-"))
    secrets_file = workdir / "secrets.json"
    secrets_file.write_text(json.dumps(secrets), encoding="utf-8")
    log = workdir / "server.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"}
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "validator", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--secrets-file", str(secrets_file)],
            stdout=sink, stderr=subprocess.STDOUT, text=True, env=env, cwd=workdir,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if process.poll() is not None:
                raise ServerFailed(f"the server exited early:\n{log.read_text(encoding='utf-8')}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise ServerFailed(
                        f"the server did not start:\n{log.read_text(encoding='utf-8')}"
                    ) from None
                time.sleep(0.1)
        yield Server(process, url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def chromium(width: int = 1200, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium that fetches nothing on its own (no updates, sync or QUIC)."""
    from selenium import webdriver

    assert CHROMIUM is not None and CHROMEDRIVER is not None, MISSING
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="directlink-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver: Any, width: int, height: int) -> None:
    """Make the page's viewport (not the window) ``width`` x ``height`` CSS pixels."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def clear_viewport(driver: Any) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def severe_console_messages(driver: Any) -> list[str]:
    """Script errors and CSP violations the page logged (a missing favicon aside)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]


def wait(driver: Any, seconds: float = WAIT_SECONDS) -> Any:
    """A ``WebDriverWait`` that polls on through an element the page has just redrawn.

    The pages redraw as they update (the inspector on every keystroke), so an
    element found one instant may be stale the next: that is not yet, not never.
    """
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds,
                         ignored_exceptions=(NoSuchElementException,
                                             StaleElementReferenceException))
