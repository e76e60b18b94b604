"""Time of one full signature diagnosis: every hypothesis and 10 candidate secrets.

    python benchmarks/bench_explain.py [--count 2000] [--repeat 5] [--batch 10]

The worst case is an unknown cause: nothing matches, so every variant of every
hypothesis is computed. Figures are per diagnosis (best of ``--repeat`` runs
of ``--count`` diagnoses), next to one plain ``verify()`` in the same process
as the baseline. Target: well under 50 ms per full diagnosis.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from urllib.parse import quote

from validator import Secret, explain, sign, verify
from validator.diagnose import HYPOTHESES, diagnose_signature
from validator.report.explain_text import render_diagnosis

SECRET = Secret("s3cr3t/+ é&-production-0042")
CANDIDATES = {f"rotated-{i}": Secret(f"old-secret-{i:04d}-xyz") for i in range(9)}
CANDIDATES["staging"] = Secret("staging-secret-0001")
SBS = "张三 john+doe@example.com"
RANSTR = "Xk9fQ2mZ7pL4wR8t"


def link(sbs: str, ranstr: str, sbs_mm: str) -> str:
    return (
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=7"
        f"&sbs={quote(sbs, safe='')}&ranstr={quote(ranstr, safe='')}&sbs_mm={sbs_mm}"
    )


def per_call(function: Callable[[], object], count: int, repeat: int) -> float:
    """Best seconds per call over ``repeat`` runs of ``count`` calls."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(count):
            function()
        best = min(best, (time.perf_counter() - start) / count)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10, help="other links in the batch")
    parser.add_argument(
        "--big-batch", type=int, default=1000, help="other links in the audit-sized case"
    )
    args = parser.parse_args()

    batch = [link(f"customer-{i}", f"ranstr-{i:012d}", "0" * 32) for i in range(args.batch)]
    unknown = link(SBS, RANSTR, "0123456789abcdef" * 2)
    upper = link(SBS, RANSTR, sign(SBS, RANSTR, SECRET).upper())
    staging = link(SBS, RANSTR, sign(SBS, RANSTR, CANDIDATES["staging"]))
    good = link(SBS, RANSTR, sign(SBS, RANSTR, SECRET))

    def full(url: str) -> Callable[[], object]:
        return lambda: explain(url, secret=SECRET, candidates=CANDIDATES, batch=batch)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("baseline: verify() once", lambda: verify(SBS, RANSTR, "0" * 32, SECRET)),
        ("correct signature (explain)", full(good)),
        ("unknown cause, values only", lambda: diagnose_signature(
            SBS, RANSTR, "0" * 32, SECRET, candidates=CANDIDATES)),
        ("unknown cause (explain, full)", full(unknown)),
        ("uppercase-hex (explain, full)", full(upper)),
        ("other-secret (explain, full)", full(staging)),
    ]
    big_batch = [link(f"c-{i}", f"ranstr-{i:012d}", "0" * 32) for i in range(args.big_batch)]
    cases.append((
        f"unknown cause, {args.big_batch:,} batch links",
        lambda: explain(unknown, secret=SECRET, candidates=CANDIDATES, batch=big_batch),
    ))
    diagnosis = explain(unknown, secret=SECRET, candidates=CANDIDATES, batch=batch)
    cases.append(("render text of the diagnosis", lambda: render_diagnosis(diagnosis, url=unknown)))

    print(
        f"{len(HYPOTHESES)} hypotheses, {len(CANDIDATES)} candidate secrets, "
        f"{len(batch)} batch links; best of {args.repeat} x {args.count}"
    )
    baseline = 0.0
    for label, function in cases:
        seconds = per_call(function, args.count, args.repeat)
        if not baseline:
            baseline = seconds
        print(f"  {label:<34}{seconds * 1e3:>9.3f} ms  ({seconds / baseline:>7.0f}x verify)")
    worst = per_call(full(unknown), args.count, args.repeat)
    verdict = "OK" if worst < 0.050 else "OVER BUDGET"
    print(f"full diagnosis, worst case: {worst * 1e3:.3f} ms (target < 50 ms): {verdict}")


if __name__ == "__main__":
    main()
