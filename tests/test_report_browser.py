"""The HTML audit report in real Chromium: filters, search, toggles, keys, and 100,000 findings.

Opened from disk as a reviewer opens it. Skips, saying why, where Chromium,
its driver or selenium is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from audit_fixtures import SECRET, write_tree
from browser_support import (
    MISSING,
    chromium,
    clear_viewport,
    set_viewport,
    severe_console_messages,
    wait,
)
from click.testing import CliRunner
from report_samples import large_document

from validator.cli import cli
from validator.report.html import write

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

if MISSING is None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("tree")
    write_tree(root)
    secret_file = root.parent / "secret.txt"
    secret_file.write_text(SECRET.reveal(), encoding="utf-8")
    runner = CliRunner()
    outputs = {}
    for output_format in ("html", "json"):
        target = root.parent / f"report.{output_format}"
        result = runner.invoke(cli, ["audit", str(root), "--format", output_format, "--output",
                                     str(target), "--secret-file", str(secret_file)])
        assert result.exit_code == 1, result.output
        outputs[output_format] = target
    data: dict[str, Any] = json.loads(outputs["json"].read_text(encoding="utf-8"))
    return outputs["html"], data


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(1280, 900) as driver:
        yield driver


def _load(browser: Any, url: str) -> None:
    """A fresh load: from the same page, a new #fragment alone would only scroll."""
    browser.get("about:blank")
    browser.get(url)


def _open(browser: Any, path: Path) -> None:
    _load(browser, path.as_uri())
    wait(browser).until(
        lambda d: d.find_element(By.ID, "result-count").text != ""
    )


def _shown(browser: Any) -> tuple[int, int]:
    count = browser.find_element(By.ID, "result-count")
    return int(count.get_attribute("data-links")), int(count.get_attribute("data-findings"))


def _cards(browser: Any) -> list[Any]:
    return browser.find_elements(By.CSS_SELECTOR, "#groups details.card")


def test_errors_come_first_and_nothing_is_fetched(browser: Any, report: tuple[Path, Any]) -> None:
    path, data = report
    _open(browser, path)
    summary = data["summary"]
    clean = summary["links"] - summary["links_with_findings"]
    assert _shown(browser) == (summary["links_with_findings"], summary["findings"])
    first = _cards(browser)[0]
    assert "error" in first.get_attribute("class").split()
    assert first.find_element(By.CSS_SELECTOR, ".badge").text.lower() == "error"
    assert browser.find_element(By.ID, "clean-count").text == f"({clean})"
    resources = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0
    assert severe_console_messages(browser) == []


def test_severity_and_rule_filters_narrow_the_list(browser: Any, report: tuple[Path, Any]) -> None:
    path, data = report
    summary = data["summary"]
    _open(browser, path)
    browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="error"]').click()
    findings = _shown(browser)[1]
    assert findings == summary["by_severity"]["error"]
    for card in _cards(browser):
        assert "error" in card.get_attribute("class").split()
    browser.find_element(By.ID, "expand-all").click()
    badges = browser.find_elements(By.CSS_SELECTOR, "#groups li.finding")
    assert badges and {b.get_attribute("data-severity") for b in badges} == {"error"}
    warning_count = browser.find_element(By.CSS_SELECTOR, '[data-facet-count="warning"]').text
    assert warning_count == f"({summary['by_severity']['warning']})"  # counts honour the others

    browser.find_element(By.ID, "clear-filters").click()
    bar = browser.find_element(By.CSS_SELECTOR, 'svg.chart g.bar[data-rule="DL306"]')
    bar.click()
    assert _shown(browser)[1] == summary["by_code"]["DL306"]
    assert bar.get_attribute("aria-pressed") == "true"
    assert "rule=DL306" in browser.execute_script("return location.hash")
    browser.find_element(By.ID, "expand-all").click()
    codes = {li.get_attribute("data-code")
             for li in browser.find_elements(By.CSS_SELECTOR, "#groups li.finding")}
    assert codes == {"DL306"}


def test_file_and_cause_filters(browser: Any, report: tuple[Path, Any]) -> None:
    path, data = report
    _open(browser, path)
    [group] = data["summary"]["signature_groups"][:1]
    Select(browser.find_element(By.ID, "cause-filter")).select_by_value(group["cause"])
    assert _shown(browser)[0] == group["count"]
    browser.find_element(By.ID, "clear-filters").click()
    cause = group["cause"]
    button = browser.find_element(By.CSS_SELECTOR, f'button.show-cause[data-cause="{cause}"]')
    button.click()
    assert _shown(browser)[0] == group["count"]

    browser.find_element(By.ID, "clear-filters").click()
    csv = next(p["path"] for p in data["paths"] if p["path"].endswith("links.csv"))
    select = Select(browser.find_element(By.ID, "file-filter"))
    option = next(o for o in select.options if o.text.startswith(csv))
    select.select_by_visible_text(option.text)
    groups = browser.find_elements(By.CSS_SELECTOR, "#groups details.file")
    assert [g.find_element(By.CSS_SELECTOR, ".path").text for g in groups] == [csv]


def test_search_sort_and_clean_toggle(browser: Any, report: tuple[Path, Any]) -> None:
    path, data = report
    _open(browser, path)
    search = browser.find_element(By.ID, "search")
    search.send_keys("pt-BR", Keys.ENTER)
    wait(browser).until(lambda d: _shown(d)[0] == 1)
    _cards(browser)[0].find_element(By.CSS_SELECTOR, "summary").click()
    assert "pt-BR" in _cards(browser)[0].find_element(By.CSS_SELECTOR, "pre.marked").text
    fixed = _cards(browser)[0].find_elements(By.CSS_SELECTOR, ".fixed code")
    assert any("lang=pt&" in f.text for f in fixed), [f.text for f in fixed]
    search.clear()
    search.send_keys(Keys.ENTER)

    summary = data["summary"]
    clean = summary["links"] - summary["links_with_findings"]
    browser.find_element(By.ID, "show-clean").click()
    assert _shown(browser)[0] == summary["links"]
    Select(browser.find_element(By.ID, "sort")).select_by_value("file")
    files = [g.find_element(By.CSS_SELECTOR, ".path").text
             for g in browser.find_elements(By.CSS_SELECTOR, "#groups details.file")]
    assert files == sorted(files)
    while browser.find_element(By.ID, "more").is_displayed():
        browser.find_element(By.ID, "more").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#groups details.card.clean")) == clean
    browser.find_element(By.ID, "show-clean").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#groups details.card.clean") == []


def test_keys_move_between_links_and_cards_collapse(browser: Any, report: tuple[Path, Any]) -> None:
    path, _ = report
    _open(browser, path)
    def press(key: str) -> None:
        ActionChains(browser).send_keys(key).perform()

    press("j")
    summaries = browser.find_elements(By.CSS_SELECTOR, "#groups details.card > summary")
    assert browser.switch_to.active_element == summaries[0]
    press("j")
    assert browser.switch_to.active_element == summaries[1]
    press("k")
    press("j")
    assert browser.switch_to.active_element == summaries[1]
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    card = _cards(browser)[1]
    assert card.get_attribute("open") is not None
    assert card.find_element(By.CSS_SELECTOR, "li.finding a.rule-link").get_attribute(
        "href").split("#")[1].startswith("rule-DL")
    browser.find_element(By.ID, "collapse-all").click()
    assert all(c.get_attribute("open") is None for c in _cards(browser))
    press("/")
    assert browser.switch_to.active_element.get_attribute("id") == "search"


def test_a_report_of_100000_findings_shows_its_first_page(
    browser: Any, tmp_path: Path
) -> None:
    target = tmp_path / "large.html"
    with target.open("w", encoding="utf-8") as stream:
        write(large_document(), stream)
    browser.get(target.as_uri())
    wait(browser, 120).until(
        lambda d: d.find_element(By.ID, "result-count").text != ""
    )
    assert _shown(browser) == (25_000, 100_000)
    assert len(_cards(browser)) == 100
    browser.find_element(By.ID, "more").click()
    assert len(_cards(browser)) == 200
    browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="error"]').click()
    assert _shown(browser)[1] == 25_000
    assert severe_console_messages(browser) == []


def test_a_shared_address_restores_the_filters(browser: Any, report: tuple[Path, Any]) -> None:
    path, data = report
    _load(browser, path.as_uri() + "#severity=error&sort=file")
    wait(browser).until(
        lambda d: d.find_element(By.ID, "result-count").text != ""
    )
    assert _shown(browser)[1] == data["summary"]["by_severity"]["error"]
    box = browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="error"]')
    assert box.is_selected()
    assert Select(browser.find_element(By.ID, "sort")).first_selected_option.get_attribute(
        "value") == "file"


def test_printing_opens_the_cards_and_leaves_the_controls_out(
    browser: Any, report: tuple[Path, Any]
) -> None:
    path, _ = report
    _open(browser, path)
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    cards = _cards(browser)
    assert cards and all(card.get_attribute("open") is not None for card in cards)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.ID, "filters").is_displayed()
        assert not browser.find_element(By.ID, "search").is_displayed()
        assert browser.find_elements(By.CSS_SELECTOR, "#groups li.finding")[0].is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_on_a_phone_one_column_and_no_sideways_scrolling(
    browser: Any, report: tuple[Path, Any]
) -> None:
    path, _ = report
    set_viewport(browser, 390, 844)
    try:
        _open(browser, path)
        _cards(browser)[0].find_element(By.CSS_SELECTOR, "summary").click()
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert browser.find_element(By.ID, "filters").get_attribute("open") is None
        filters = browser.find_element(By.ID, "filters").rect
        groups = browser.find_element(By.ID, "groups").rect
        assert groups["y"] > filters["y"] + filters["height"]
    finally:
        clear_viewport(browser)
