"""Screenshots of the HTML audit report, the inspector and /docs, for a reviewer to look at.

    python benchmarks/screenshots.py [--out docs/screenshots]

Audits corpora/samples to an HTML report, starts ``directlink serve`` on a
free loopback port, and saves what headless Chromium shows at 1280x900 (a
laptop) and 390x844 (a phone): the report's first screen, its findings with
the first link open, the inspector with a link that has errors, and the API
documentation. Needs Chromium, chromedriver and the test extra.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    MISSING,
    WAIT_SECONDS,
    chromium,
    clear_viewport,
    serve,
    set_viewport,
)

SIZES = ((1280, 900), (390, 844))
#: A link with an error (chatid without direct), a non-canonical lang and a customer.
INSPECTED = ("https://visitorchat.twt.com/direct/demo_app?chatid=order-1044&lang=pt-BR"
             "&sbs=cust-1044&ranstr=Wd3nB6yHs0QeT9cJ&sbs_mm=3495f2bec32edb040ecbe5c8d3351308"
             "&name=Ana%20Lima")
SETTLE_SECONDS = 0.6


def audit_samples(target: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "validator", "audit", "corpora/samples",
         "--format", "html", "--output", str(target)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({result.returncode}): {result.stderr.strip()}")


def wait_for(driver: Any, script: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script(script))


def shoot(driver: Any, path: Path) -> None:
    time.sleep(SETTLE_SECONDS)
    driver.save_screenshot(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def report_shots(driver: Any, report: Path, out: Path, width: int, height: int) -> None:
    set_viewport(driver, width, height)
    driver.get(report.as_uri())
    shoot(driver, out / f"report-{width}x{height}.png")
    driver.execute_script(
        "const card = document.querySelector('#groups details.card');"
        "card.querySelector('summary').click();"
        "document.getElementById('findings').scrollIntoView();"
    )
    shoot(driver, out / f"report-findings-{width}x{height}.png")


def inspector_shots(driver: Any, url: str, out: Path, width: int, height: int) -> None:
    set_viewport(driver, width, height)
    driver.get(url + "/")
    driver.execute_script(
        "const box = document.getElementById('link'); box.value = arguments[0];"
        "box.dispatchEvent(new Event('input', {bubbles: true}));",
        INSPECTED,
    )
    wait_for(driver, "return !document.getElementById('results').hidden"
                     " && document.getElementById('qr-note').textContent !== ''")
    shoot(driver, out / f"inspector-{width}x{height}.png")
    driver.get(url + "/docs")
    wait_for(driver, "return document.querySelectorAll('.opblock').length > 0")
    shoot(driver, out / f"docs-{width}x{height}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if MISSING is not None:
        raise SystemExit(f"cannot take screenshots: {MISSING}")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="directlink-shots-") as scratch:
        report = Path(scratch) / "report.html"
        audit_samples(report)
        with serve({"other_app": "screenshot-secret-0001"}) as server, chromium() as driver:
            for width, height in SIZES:
                report_shots(driver, report, out, width, height)
                inspector_shots(driver, server.url, out, width, height)
            clear_viewport(driver)


if __name__ == "__main__":
    main()
