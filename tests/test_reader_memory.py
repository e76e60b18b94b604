"""The big hostile cases read within 1.5 GB of address space.

Each case is written here and read in a child process whose address space is
capped with ``resource.setrlimit(RLIMIT_AS)``: a reader that reads a 2 GB
file whole, decodes a 13000 x 13000 image or holds a 100 MB e-mail several
times over dies with MemoryError (or is killed) instead of passing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import (
    big_eml,
    deep_html,
    deep_json,
    link,
    png_declaring,
    sparse_file,
    write,
)

resource = pytest.importorskip("resource")

LIMIT_BYTES = 1536 * 1024 * 1024
_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from validator.extract import ExtractedLink, ReadLog, read_path
log = ReadLog()
urls = [item.url for item in read_path(sys.argv[1], log) if isinstance(item, ExtractedLink)]
# VmHWM starts afresh at exec; ru_maxrss keeps the forking parent's peak on Linux.
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"status": log.status, "reason": log.reason, "urls": urls, "peak_kb": peak_kb}}))
"""


def read_capped(path: Path) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD.format(limit=LIMIT_BYTES), str(path)],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result: dict[str, object] = json.loads(completed.stdout)
    return result


def test_html_100k_deep(tmp_path: Path) -> None:
    result = read_capped(deep_html(tmp_path, 100_000))
    assert result["status"] == "audited"
    assert result["urls"] == [link(1), link(2), link(3), link(4)]


def test_a_13000_squared_png_is_refused(tmp_path: Path) -> None:
    result = read_capped(write(tmp_path, "poster.png", png_declaring(13000, 13000)))
    assert result["status"] == "unreadable"
    assert "pixel budget" in str(result["reason"])


def test_a_2_gb_png_is_not_read(tmp_path: Path) -> None:
    result = read_capped(sparse_file(tmp_path, "huge.png", 2 << 30, png_declaring(10, 10)))
    assert result["status"] == "unreadable"
    assert "image budget" in str(result["reason"])


def test_a_100_mb_eml(tmp_path: Path) -> None:
    path = big_eml(tmp_path, 100 * 1024 * 1024)
    result = read_capped(path)
    assert result["status"] == "audited"
    assert result["urls"] == [link(n) for n in range(1001)]
    # One part at a time: far below the file's size, let alone the cap.
    assert isinstance(result["peak_kb"], int) and result["peak_kb"] < 400 * 1024


def test_json_100k_deep_with_2000_links(tmp_path: Path) -> None:
    result = read_capped(deep_json(tmp_path, 100_000, 2000))
    assert result["status"] == "audited"
    assert result["urls"] == [link(n) for n in range(2000)]
