"""Parse throughput and memory against stdlib ``urlsplit`` + ``parse_qsl`` on the same links.

    python benchmarks/bench_parse.py [--count 100000] [--repeat 3]

Both run in this process on the same generated links; the ratio is our time
per link over the baseline's (lower is better; the target is <= 1.0x).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from links import generate_links

from validator import parse


def stdlib_baseline(url: str) -> object:
    parts = urlsplit(url)
    return parts, parse_qsl(parts.query, keep_blank_values=True)


def best_time(function: Callable[[str], object], links: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for url in links:
            function(url)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(function: Callable[[str], object], links: list[str]) -> int:
    """Peak traced bytes while keeping every result alive (what a batch holds)."""
    gc.collect()
    tracemalloc.start()
    kept = [function(url) for url in links]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    links = generate_links(args.count)
    ours = best_time(parse, links, args.repeat)
    base = best_time(stdlib_baseline, links, args.repeat)
    ours_mem = peak_memory(parse, links)
    base_mem = peak_memory(stdlib_baseline, links)
    count = len(links)
    print(f"links: {count:,}  mean length {sum(map(len, links)) / count:.0f} chars")
    for label, seconds in (("stdlib urlsplit+parse_qsl", base), ("validator.parse", ours)):
        print(f"{label:<27}{count / seconds:>10,.0f} links/s  {seconds / count * 1e6:.2f} us/link")
    print(f"time ratio (parse / baseline): {ours / base:.2f}x  (target <= 1.0x)")
    print(f"peak memory holding all results: parse {ours_mem / 1e6:.1f} MB, ", end="")
    print(f"baseline {base_mem / 1e6:.1f} MB, ratio {ours_mem / base_mem:.2f}x")


if __name__ == "__main__":
    main()
