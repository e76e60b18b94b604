"""Full check throughput and memory against stdlib ``urlsplit`` + ``parse_qsl`` on the same links.

    python benchmarks/bench_check.py [--count 100000] [--repeat 3]

Every run below happens in this process on the same generated links (half of
them signed, with customer fields), interleaved with the baseline so that
machine load hits both alike. The ratio is our time per link over the
baseline's (lower is better). Targets: ``check`` without a secret <= 1.5x,
``check`` with a secret on traffic where 40% of the signed links mismatch (a
rotated secret, a staging key) <= 2.0x, ``parse`` <= 1.0x; a mismatching
signed link at most 2x a verified one (timed on two sets of signed links
alike but for the secret that signed them). Also shown: what the e-mail and
phone checks (DL401, DL402) cost, timed directly on the links' values with
their caches emptied, and the peak traced memory of a streaming check.
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

from links import OTHER_SECRET, generate_links, signed_links

from validator import check, parse
from validator.rules.customer import email_problem, phone_problem

SECRET = "bench-secret"  # the secret generate_links signs with
BASELINE = "urlsplit + parse_qsl (baseline)"


def stdlib_baseline(url: str) -> object:
    parts = urlsplit(url)
    return parts, parse_qsl(parts.query, keep_blank_values=True)


def timed(function: Callable[[str], object], links: list[str]) -> float:
    gc.collect()
    start = time.perf_counter()
    for url in links:
        function(url)
    return time.perf_counter() - start


def contact_validation_time(links: list[str]) -> float:
    """Seconds DL401/DL402's validators take on every e-mail and phone of ``links``, uncached."""
    parsed = [parse(url) for url in links]
    emails = [link.email for link in parsed if link.email]
    phones = [link.phone for link in parsed if link.phone]
    email_problem.cache_clear()
    phone_problem.cache_clear()
    gc.collect()
    start = time.perf_counter()
    for address in emails:
        email_problem(address)
    for number in phones:
        phone_problem(number)
    return time.perf_counter() - start


def streaming_peak(function: Callable[[str], object], links: list[str]) -> int:
    """Peak traced bytes while checking every link and dropping each report."""
    gc.collect()
    tracemalloc.start()
    for url in links:
        function(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def retained_per_report(function: Callable[[str], object], links: list[str]) -> float:
    """Bytes a kept report holds on average (over the first 2,000 links)."""
    sample = links[:2000]
    gc.collect()
    tracemalloc.start()
    kept = [function(url) for url in sample]
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return current / len(sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    links = generate_links(args.count, secret=SECRET)
    traffic = generate_links(args.count, secret=SECRET, mismatching=0.4)
    runs: dict[str, tuple[Callable[[str], object], list[str], float | None]] = {
        BASELINE: (stdlib_baseline, links, None),
        "parse only": (parse, links, 1.0),
        "check, no secret": (check, links, 1.5),
        "check, with secret": (lambda url: check(url, secret=SECRET), links, None),
        "check, secret, 40% mismatching": (
            lambda url: check(url, secret=SECRET), traffic, 2.0
        ),
    }
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, (function, inputs, _target) in runs.items():
            best[name] = min(best[name], timed(function, inputs))
    baseline = best[BASELINE]
    print(f"{args.count:,} links, best of {args.repeat} interleaved runs\n")
    print(f"{'run':<34} {'links/s':>10} {'us/link':>8} {'ratio':>7}  target")
    for name, seconds in best.items():
        target = runs[name][2]
        ratio = seconds / baseline
        verdict = "" if target is None else (
            f"<= {target:.1f}x {'met' if ratio <= target else 'NOT met'}"
        )
        print(
            f"{name:<34} {args.count / seconds:>10,.0f} {seconds / args.count * 1e6:>8.2f} "
            f"{ratio:>6.2f}x  {verdict}"
        )
    verified = signed_links(args.count // 4, secret=SECRET)
    mismatching = signed_links(args.count // 4, secret=OTHER_SECRET)
    signed = {"verified": float("inf"), "mismatching": float("inf")}
    for _ in range(args.repeat):
        for name, inputs in (("verified", verified), ("mismatching", mismatching)):
            signed[name] = min(signed[name], timed(lambda url: check(url, secret=SECRET), inputs))
    cost = signed["mismatching"] / signed["verified"]
    print(
        f"\nsigned links with the secret: verified {signed['verified'] / len(verified) * 1e6:.2f}"
        f" us/link, mismatching {signed['mismatching'] / len(mismatching) * 1e6:.2f} us/link: "
        f"{cost:.2f}x (target <= 2.0x {'met' if cost <= 2.0 else 'NOT met'})"
    )
    contact = contact_validation_time(links)
    print(
        f"\ne-mail + phone validation: {contact / args.count * 1e6:.2f} us/link "
        f"({contact / best['check, no secret']:.0%} of a check without secret)"
    )
    peak = streaming_peak(lambda url: check(url, secret=SECRET), links)
    print(f"\npeak traced memory, streaming check of {args.count:,} links: {peak / 1e3:,.0f} kB")
    kept = retained_per_report(lambda url: check(url, secret=SECRET), links)
    print(f"memory held by one kept report (link, findings, outcomes): {kept / 1e3:.1f} kB")
    base_peak = streaming_peak(stdlib_baseline, links)
    print(f"baseline peak, streaming: {base_peak / 1e3:,.0f} kB")


if __name__ == "__main__":
    main()
