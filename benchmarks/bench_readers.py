"""Time and peak memory of the readers on the big hostile files.

    python benchmarks/bench_readers.py [--html-depth 100000] [--eml-mb 100]

Each case (written by the hardening tests' builders into a temporary folder)
is read by ``read_path`` in a child process of its own, which reports its
wall time and peak resident set (``VmHWM``; ``ru_maxrss`` without /proc). The
baseline, measured the same way on the same file: reading its bytes as plain text (``scan_stream``,
the cheapest reader, which streams), and a child that only imports the
readers (the interpreter's own footprint). The ratio is the reader's time
(or memory) over the baseline's.

Cases: HTML nested ``--html-depth`` deep, a PNG declaring 13000 x 13000
pixels (refused by the pixel budget), a 2 GB sparse ``.png`` (refused by the
byte budget, never read), an ``--eml-mb`` MB e-mail, and JSON 100,000 deep
with 2,000 links.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import hostile_cases as cases

_CHILD = """
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
from validator.extract import ExtractedLink, LinkFilter, ReadLog, read_path
from validator.extract.text import scan_stream
started = time.perf_counter()
links, status = 0, "imported"
if mode == "reader":
    log = ReadLog()
    links = sum(isinstance(item, ExtractedLink) for item in read_path(path, log))
    status = log.status
elif mode == "plain":
    with open(path, "rb") as stream:
        links = sum(1 for _ in scan_stream(stream, path=path, link_filter=LinkFilter()))
    status = "scanned"
seconds = time.perf_counter() - started
# VmHWM starts afresh at exec; ru_maxrss keeps the forking parent's peak on Linux.
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) * 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "links": links, "status": status}))
"""


def measure(mode: str, path: Path) -> dict[str, float]:
    completed = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path)],
                               capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html-depth", type=int, default=100_000)
    parser.add_argument("--eml-mb", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = {
            f"HTML {options.html_depth:,} deep": cases.deep_html(root, options.html_depth),
            "PNG declaring 13000x13000": cases.write(root, "poster.png",
                                                     cases.png_declaring(13000, 13000)),
            "2 GB sparse .png": cases.sparse_file(root, "huge.png", 2 << 30,
                                                  cases.png_declaring(10, 10)),
            f"{options.eml_mb} MB .eml": cases.big_eml(root / "mail", options.eml_mb << 20),
            "JSON 100,000 deep, 2,000 links": cases.deep_json(root, 100_000, 2000),
        }
        footprint = measure("import", next(iter(files.values())))["peak"]
        print(f"interpreter with the readers imported: {footprint / 2**20:.0f} MB peak RSS\n")
        print(f"{'case':34} {'status':10} {'links':>6} {'time':>8} {'plain':>8} {'ratio':>7}"
              f" {'peak RSS':>9} {'ratio':>6}")
        for name, path in files.items():
            reader = measure("reader", path)
            plain = measure("plain", path) if not name.startswith("2 GB") else None
            baseline = plain["seconds"] if plain else 0.0
            ratio = f"{reader['seconds'] / baseline:6.1f}x" if baseline else "     -"
            print(f"{name:34} {reader['status']:10} {int(reader['links']):>6}"
                  f" {reader['seconds']:7.2f}s {baseline:7.2f}s {ratio}"
                  f" {reader['peak'] / 2**20:7.0f}MB {reader['peak'] / footprint:5.1f}x")


if __name__ == "__main__":
    main()
