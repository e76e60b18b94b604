"""The link inspector in a real browser: headless Chromium driven over WebDriver.

The test starts ``directlink serve`` in a subprocess on a free loopback port,
pastes links into the page, and reads what the page shows. It skips, saying
why, where Chromium, its driver or selenium is not installed (Debian:
``apt-get install chromium chromium-driver``; ``.ci/run`` does this).
"""

from __future__ import annotations

import io
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
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install selenium)"
)

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from validator.signature import sign  # noqa: E402

SECRET = "s3cr3t/+ é&"
APP_ID = "demo_app"
BASE = "https://visitorchat.twt.com/direct/demo_app"
WAIT_SECONDS = 20


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _find("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER = _find("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="no Chromium or chromedriver on PATH (apt-get install chromium chromium-driver)",
)


def _free_port() -> int:
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


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    workdir = Path(tempfile.mkdtemp(prefix="directlink-serve-"))
    secrets_file = workdir / "secrets.json"
    secrets_file.write_text(json.dumps({APP_ID: SECRET}), encoding="utf-8")
    log = workdir / "server.log"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"}
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "validator",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--secrets-file",
                str(secrets_file),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=workdir,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited early:\n{log.read_text(encoding='utf-8')}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not start:\n{log.read_text(encoding='utf-8')}")
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and CHROMEDRIVER is not None
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
        f"--user-data-dir={profile}",
        "--window-size=1200,1000",
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


def _inspect(
    browser: Any, server: Server, link: str, *, keyboard: bool = False, unsafe: bool = False
) -> None:
    browser.get(server.url + "/")
    if unsafe:
        browser.find_element(By.CSS_SELECTOR, "#options summary").click()
        browser.find_element(By.ID, "unsafe").click()
    box = browser.find_element(By.ID, "link")
    box.clear()
    # The link goes in through the clipboard-free path a person can also take: typing.
    browser.execute_script("arguments[0].value = arguments[1];", box, link)
    if keyboard:
        box.click()
        box.send_keys(Keys.CONTROL, Keys.ENTER)
    else:
        browser.find_element(By.ID, "inspect").click()
    try:
        WebDriverWait(browser, WAIT_SECONDS).until(
            lambda d: (
                d.find_element(By.ID, "results").is_displayed()
                and not d.find_element(By.ID, "inspect").get_attribute("disabled")
            )
        )
    except TimeoutException:
        status = browser.find_element(By.ID, "status").text
        pytest.fail(f"no result shown; status line: {status!r}")


def _decode_qr(browser: Any) -> str | None:
    """The text of the QR code as the page shows it, read from a screenshot."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is not installed (qr extra)")
    image_module = pytest.importorskip("PIL.Image", reason="pillow is not installed (qr extra)")
    png = browser.find_element(By.ID, "qr").screenshot_as_png
    found = zxingcpp.read_barcodes(image_module.open(io.BytesIO(png)))
    return found[0].text if found else None


def _codes(browser: Any) -> list[str]:
    items = browser.find_elements(By.CSS_SELECTOR, "#findings li[data-code]")
    return [item.get_attribute("data-code") for item in items]


def test_pasted_link_shows_outcome_findings_spans_fix_and_qr(browser: Any, server: Server) -> None:
    link = f"{BASE}?chatid=12345&lang=pt-BR&Lang=en"
    _inspect(browser, server, link)

    codes = _codes(browser)
    assert "DL101" in codes  # chatid without direct: the page opens home
    assert "DL202" in codes  # pt-BR is normalised to pt
    browser_outcome = browser.find_element(By.CSS_SELECTOR, '.outcome[data-client="browser"]').text
    assert "home page" in browser_outcome
    assert "pt" in browser_outcome

    marks = browser.find_elements(By.CSS_SELECTOR, "#marked mark")
    assert marks, "problem spans are highlighted"
    marked_text = " ".join(m.text for m in marks)
    assert "pt-BR" in marked_text

    rows = browser.find_elements(By.CSS_SELECTOR, "#params tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td").text for r in rows] == ["chatid", "lang", "Lang"]

    fixed = browser.find_element(By.ID, "fixed").get_attribute("value")
    assert "lang=pt&" in fixed and "pt-BR" not in fixed  # safe fix: canonical language
    assert "direct=1" not in fixed  # adding direct=1 changes what the link does: unsafe

    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: (
            d.find_element(By.ID, "qr").is_displayed()
            and d.execute_script("return document.getElementById('qr').naturalWidth") > 0
        )
    )
    verdict = browser.find_element(By.ID, "signature-verdict").get_attribute("data-verdict")
    assert verdict == "unsigned"


def test_unsafe_fixes_when_asked(browser: Any, server: Server) -> None:
    _inspect(browser, server, f"{BASE}?chatid=12345&lang=pt-BR", unsafe=True)
    fixed = browser.find_element(By.ID, "fixed").get_attribute("value")
    assert "direct=1" in fixed and "lang=pt" in fixed
    note = browser.find_element(By.ID, "fixed-note").text
    assert "DL101" in note and "DL202" in note


def test_signature_is_checked_against_the_servers_secret(browser: Any, server: Server) -> None:
    good = sign("customer-7", "Zq8Lr2Xw9Pk4Tn6Y", SECRET)
    signed = f"{BASE}?direct=1&chatid=9&sbs=customer-7&ranstr=Zq8Lr2Xw9Pk4Tn6Y&sbs_mm={good}"
    _inspect(browser, server, signed, keyboard=True)
    assert browser.find_element(By.ID, "signature-verdict").get_attribute("data-verdict") == (
        "verified"
    )

    wrong = f"{BASE}?direct=1&chatid=9&sbs=customer-7&ranstr=Zq8Lr2Xw9Pk4Tn6Y&sbs_mm={good.upper()}"
    _inspect(browser, server, wrong)
    signature = browser.find_element(By.ID, "signature")
    assert signature.find_element(By.ID, "signature-verdict").get_attribute("data-verdict") == (
        "mismatch"
    )
    assert "uppercase-hex" in signature.text
    assert SECRET not in browser.page_source


def test_page_is_readable_on_a_phone_and_loads_nothing_from_elsewhere(
    browser: Any, server: Server
) -> None:
    browser.set_window_size(375, 812)
    try:
        _inspect(browser, server, f"{BASE}?direct=1&chatid=42&lang=ja&name=%E5%B1%B1%E7%94%B0")
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, "no sideways scrolling on a phone-sized screen"
        resources = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        assert resources and all(
            r.startswith(server.url) or r.startswith("blob:") for r in resources
        )
        problems = [
            entry["message"]
            for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
        ]
        assert problems == [], "no script errors or CSP violations"
    finally:
        browser.set_window_size(1200, 1000)


def test_server_log_holds_no_secret(browser: Any, server: Server) -> None:
    good = sign("customer-7", "Zq8Lr2Xw9Pk4Tn6Y", SECRET)
    _inspect(browser, server, f"{BASE}?sbs=customer-7&ranstr=Zq8Lr2Xw9Pk4Tn6Y&sbs_mm={good}x")
    logs = server.logs()
    assert "POST /v1/check" in logs
    from urllib.parse import quote, quote_plus

    for form in (SECRET, quote(SECRET, safe=""), quote_plus(SECRET)):
        assert form not in logs


def test_paste_inspects_and_the_fixed_link_can_be_copied_and_reinspected(
    browser: Any, server: Server
) -> None:
    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "#options summary").click()
    browser.find_element(By.ID, "unsafe").click()
    box = browser.find_element(By.ID, "link")
    browser.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new ClipboardEvent('paste', {bubbles: true}));",
        box,
        f"{BASE}?chatid=77&lang=ZH_tw",
    )
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_element(By.ID, "results").is_displayed()
    )
    assert "DL101" in _codes(browser)
    fixed = browser.find_element(By.ID, "fixed").get_attribute("value")
    assert fixed == f"{BASE}?direct=1&chatid=77&lang=zh-tw"

    browser.find_element(By.ID, "copy").click()
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: "copied" in d.find_element(By.ID, "status").text
    )

    browser.find_element(By.ID, "use-fixed").click()
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: (
            d.find_element(By.ID, "link").get_attribute("value") == fixed
            and "Nothing to fix" in d.find_element(By.ID, "fixed-note").text
        )
    )
    assert _codes(browser) == []
    outcome = browser.find_element(By.CSS_SELECTOR, '.outcome[data-client="browser"]').text
    assert "chat session" in outcome and "77" in outcome and "zh-tw" in outcome
