"""Replay corpora through the fuzz targets (for line coverage, or to re-check by hand).

    python fuzz/replay.py parse_check [explain ...]        # fuzz/.work/<harness>/corpus
    python fuzz/replay.py parse_check --dir corpora/fuzz/parse_check

Prints, per harness, how many inputs ran and how many failed (with the
first failure). ``fuzz/run --coverage`` runs this under coverage.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from targets import TARGETS  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("harness", nargs="+", choices=sorted(TARGETS))
    parser.add_argument("--dir", type=Path, help="replay this folder instead of the work corpus")
    options = parser.parse_args()
    failed_total = 0
    for harness in options.harness:
        folder = options.dir or HERE / ".work" / harness / "corpus"
        ran = failed = 0
        first: str | None = None
        for item in sorted(folder.glob("*")):
            if not item.is_file():
                continue
            ran += 1
            try:
                TARGETS[harness](item.read_bytes())
            except Exception as error:  # every failure is reported, none stops the replay
                failed += 1
                first = first or f"{item.name}: {type(error).__name__}: {error}"
        failed_total += failed
        detail = f" ({first})" if first else ""
        print(f"{harness}: {ran} inputs replayed, {failed} failed{detail}")
    return 1 if failed_total else 0


if __name__ == "__main__":
    sys.exit(main())
