"""Extraction cost of the document readers against the same links in a CSV export.

    python benchmarks/bench_documents.py [--links 20000]

Writes ``--links`` links (the realistic mix of bench_audit) into a CSV file
(the baseline: the tabular reader), an ``.xlsx`` (openpyxl), a ``.docx``
(python-docx, one paragraph a link), an ``.ods``, an mbox (one message a
link) and a PDF (one link annotation and one text line a link, 40 a page),
then times ``extract_path`` over each in this process (best of three, CPU
time) and prints µs per link and the ratio to the CSV baseline. Extraction
only: checking each link costs the same whatever the file.

Needs the test extra (the writers). The files are deleted afterwards.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpora"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_samples as samples  # noqa: E402
from bench_audit import make_link  # noqa: E402

from validator.extract import extract_path  # noqa: E402


def _writers(links: list[str]) -> dict[str, Callable[[Path], None]]:
    def csv(path: Path) -> None:
        path.write_text("id,link\n" + "".join(f"{n},{url}\n" for n, url in enumerate(links)))

    def xlsx(path: Path) -> None:
        path.write_bytes(samples.xlsx_bytes({"Links": {f"B{n + 1}": url
                                                       for n, url in enumerate(links)}}))

    def docx(path: Path) -> None:
        path.write_bytes(samples.docx_bytes([[f"Chat: {url}"] for url in links]))

    def ods(path: Path) -> None:
        path.write_bytes(samples.ods_bytes({"Links": [[str(n), url]
                                                      for n, url in enumerate(links)]}))

    def mbox(path: Path) -> None:
        samples.write_mbox(path, [samples.message("m", f"Chat: {url}\n", number=n % 60,
                                                  cte="7bit") for n, url in enumerate(links)])

    def pdf(path: Path) -> None:
        pages = [samples.PdfPage(lines=links[start:start + 40],
                                 annotations=links[start:start + 40])
                 for start in range(0, len(links), 40)]
        path.write_bytes(samples.pdf_bytes(pages))

    return {"links.csv": csv, "links.xlsx": xlsx, "links.docx": docx, "links.ods": ods,
            "links.mbox": mbox, "links.pdf": pdf}


def _cpu_per_link(path: Path) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(3):
        start = time.process_time()
        count = sum(1 for _ in extract_path(path))
        best = min(best, time.process_time() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(7)
    links = [make_link(index, rng) for index in range(args.links)]
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        results: dict[str, tuple[float, int, int]] = {}
        for name, write in _writers(links).items():
            path = Path(folder) / name
            write(path)
            seconds, count = _cpu_per_link(path)
            results[name] = (seconds, count, path.stat().st_size)
    baseline = results["links.csv"][0] / max(results["links.csv"][1], 1)
    print(f"{args.links} links; CPU time of extract_path, best of 3")
    print(f"{'file':<12} {'bytes':>10} {'links':>7} {'µs/link':>9} {'vs csv':>7}")
    for name, (seconds, count, size) in results.items():
        per_link = seconds / max(count, 1)
        print(f"{name:<12} {size:>10} {count:>7} {per_link * 1e6:>9.1f} "
              f"{per_link / baseline:>6.2f}x")


if __name__ == "__main__":
    main()
