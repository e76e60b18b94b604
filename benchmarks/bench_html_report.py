"""Writing the HTML report of 100,000 findings, against the JSON report of the same records.

    python benchmarks/bench_html_report.py [--findings 100000] [--repeat 3]

Both formats render the same in-memory document (4 findings a link over 500
files, as tests/report_samples.py makes it) to a string, interleaved so that
machine load hits both alike; the ratio is the HTML time over the JSON time
(lower is better). The records are made afresh for each run, for both alike.

With ``--browser`` (Chromium and chromedriver needed) the report is also
opened in headless Chromium: the page's script runs as the file is parsed, so
DOMContentLoaded is when the first 100 cards are drawn; the baseline is the
same measurement on a report of 100 findings.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from report_samples import large_document  # noqa: E402

from validator.report import ReportDocument, html, json  # noqa: E402


def timed(writer: Callable[[ReportDocument, TextIO], None],
          document: ReportDocument) -> tuple[float, int]:
    stream = io.StringIO()
    start = time.perf_counter()
    writer(document, stream)
    return time.perf_counter() - start, len(stream.getvalue().encode("utf-8"))


def first_page_seconds(document: ReportDocument, scratch: Path) -> float:
    """Seconds from navigation start to the first page of cards, in headless Chromium."""
    from browser_support import chromium

    target = scratch / "report.html"
    with target.open("w", encoding="utf-8") as stream:
        html.write(document, stream)
    with chromium(1280, 900) as driver:
        driver.set_page_load_timeout(300)
        driver.get(target.as_uri())
        cards = driver.execute_script("return document.querySelectorAll('details.card').length")
        assert cards, "no card was drawn"
        milliseconds: float = driver.execute_script(
            "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
        )
    return milliseconds / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the first page")
    args = parser.parse_args()
    document = large_document(findings=args.findings)
    best = {"html": float("inf"), "json": float("inf")}
    sizes = {}
    for _ in range(args.repeat):
        for name, writer in (("json", json.write), ("html", html.write)):
            seconds, size = timed(writer, document)
            best[name] = min(best[name], seconds)
            sizes[name] = size
    print(f"{args.findings} findings, best of {args.repeat}:")
    for name in ("html", "json"):
        print(f"  {name}: {best[name]:.2f} s, {sizes[name] / 1e6:.1f} MB")
    print(f"  ratio html/json: time {best['html'] / best['json']:.2f}x, "
          f"size {sizes['html'] / sizes['json']:.2f}x")
    if args.browser:
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            small = first_page_seconds(large_document(findings=100, files=5), Path(scratch))
            large = first_page_seconds(document, Path(scratch))
        print(f"first page in Chromium: {large:.2f} s for {args.findings} findings, "
              f"{small:.2f} s for 100 (ratio {large / small:.1f}x)")


if __name__ == "__main__":
    main()
