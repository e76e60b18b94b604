"""The link inspector in a real browser: headless Chromium driven over WebDriver.

The test starts ``directlink serve`` in a subprocess on a free loopback port,
pastes links into the page, and reads what the page shows. It skips, saying
why, where Chromium, its driver or selenium is not installed (Debian:
``apt-get install chromium chromium-driver``; ``.ci/run`` does this).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from browser_support import (
    MISSING,
    Server,
    ServerFailed,
    chromium,
    serve,
    severe_console_messages,
    wait,
)

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

if MISSING is None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

from validator.signature import sign  # noqa: E402

SECRET = "s3cr3t/+ é&"
APP_ID = "demo_app"
BASE = "https://visitorchat.twt.com/direct/demo_app"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    try:
        with serve({APP_ID: SECRET}) as running:
            yield running
    except ServerFailed as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(1200, 1000) as driver:
        yield driver


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
        wait(browser).until(
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

    # The safely fixed link still opens the home page: no QR code to print, and why.
    note = browser.find_element(By.ID, "qr-note")
    wait(browser).until(lambda d: "DL101" in note.text)
    assert "still has 1 error" in note.text and "Also apply fixes" in note.text
    assert not browser.find_element(By.ID, "qr").is_displayed()
    verdict = browser.find_element(By.ID, "signature-verdict").get_attribute("data-verdict")
    assert verdict == "unsigned"

    # Allowing the fixes that change the link re-inspects it, and the QR code appears.
    browser.find_element(By.CSS_SELECTOR, "#options summary").click()
    browser.find_element(By.ID, "unsafe").click()
    wait(browser).until(
        lambda d: (
            d.find_element(By.ID, "qr").is_displayed()
            and d.execute_script("return document.getElementById('qr').naturalWidth") > 0
        )
    )
    assert "direct=1" in browser.find_element(By.ID, "fixed").get_attribute("value")


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
        assert severe_console_messages(browser) == [], "no script errors or CSP violations"
        # One column: the results come below the link, not beside it.
        link_box = browser.find_element(By.ID, "link").rect
        findings = browser.find_element(By.ID, "findings").rect
        assert findings["y"] > link_box["y"] + link_box["height"]
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
    wait(browser).until(
        lambda d: d.find_element(By.ID, "results").is_displayed()
    )
    assert "DL101" in _codes(browser)
    fixed = browser.find_element(By.ID, "fixed").get_attribute("value")
    assert fixed == f"{BASE}?direct=1&chatid=77&lang=zh-tw"

    browser.find_element(By.ID, "copy").click()
    wait(browser).until(
        lambda d: "copied" in d.find_element(By.ID, "status").text
    )

    browser.find_element(By.ID, "use-fixed").click()
    wait(browser).until(
        lambda d: (
            d.find_element(By.ID, "link").get_attribute("value") == fixed
            and "Nothing to fix" in d.find_element(By.ID, "fixed-note").text
        )
    )
    assert _codes(browser) == []
    outcome = browser.find_element(By.CSS_SELECTOR, '.outcome[data-client="browser"]').text
    assert "chat session" in outcome and "77" in outcome and "zh-tw" in outcome


def _type(browser: Any, text: str) -> None:
    box = browser.find_element(By.ID, "link")
    box.send_keys(text)


def test_the_page_updates_as_you_type_in_two_panes(browser: Any, server: Server) -> None:
    browser.get(server.url + "/")
    assert not browser.find_element(By.ID, "results").is_displayed()
    _type(browser, f"{BASE}?chatid=7&sbs=cust-1044")
    wait(browser).until(
        lambda d: d.find_element(By.ID, "results").is_displayed() and "DL101" in _codes(d)
    )
    summary = browser.find_element(By.ID, "summary").text
    assert summary.startswith("In a browser the link opens the home page")
    assert "infos" in summary or "1 info" in summary
    assert "note" not in summary and "(s)" not in summary
    assert browser.find_element(By.ID, "status").text == "", "the summary is said once"
    outcome = browser.find_element(By.CSS_SELECTOR, '.outcome[data-client="browser"]').text
    assert "customer sbs=cust-1044" in outcome
    assert "Fields shown to the agent" in outcome and "none in the link" in outcome
    assert "nothing" not in outcome

    # Two panes: the link on the left, the findings beside it on the right.
    link_box = browser.find_element(By.ID, "marked").rect
    findings = browser.find_element(By.ID, "findings").rect
    assert findings["x"] >= link_box["x"] + link_box["width"]
    assert findings["y"] < link_box["y"] + link_box["height"]

    _type(browser, "&direct=1")
    wait(browser).until(lambda d: "DL101" not in _codes(d))
    outcome = browser.find_element(By.CSS_SELECTOR, '.outcome[data-client="browser"]').text
    assert "chat session" in outcome
    marks = browser.find_elements(By.CSS_SELECTOR, "#marked mark")
    numbers = browser.find_elements(By.CSS_SELECTOR, "#marked sup")
    assert marks and numbers and numbers[0].text == "[1]"


def test_docs_load_from_this_server_only(browser: Any, server: Server) -> None:
    browser.get(server.url + "/docs")
    wait(browser).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= 8
    )
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/v1/check", "/v1/explain", "/v1/qr"} <= paths
    browser.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait(browser).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-body")
    )
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(r.startswith(server.url) for r in resources), resources
    assert severe_console_messages(browser) == [], "no script errors or CSP violations"
