"""Peak memory and time of hostile input at the faces, against a typical baseline.

1. ``directlink check -`` on one link of 1 MB of ``&`` (refused at the link
   limit), on the longest link the limit takes (65,536 characters of ``&``) and,
   as the baseline, on one typical link: peak RSS of the process and wall time.
2. ``POST /v1/check-many`` at 8 concurrent requests against ``directlink serve``:
   a 1 MiB body of 62 links of 16,384 ``&`` (refused by the schema), the
   largest valid batch of hostile links (32 links of 2,048 ``&``) and, as the
   baseline, 32 typical links: statuses, wall time of the 8, the server's
   peak RSS (VmHWM) after each round.

    python benchmarks/bench_hostile_limits.py

Figures print as ``name: value (baseline value, ratio)``; nothing is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx

BASE = "https://visitorchat.twt.com/direct/demo_app"
TYPICAL = f"{BASE}?direct=1&chatid=session-7f3a9c&lang=en&name=Ana%20Silva"


def run_check(stdin: bytes) -> tuple[float, int, int]:
    """Seconds, peak RSS (KiB) and exit status of ``directlink check -`` on ``stdin``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "validator", "check", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss, process.returncode


def figure(name: str, value: float, baseline: float, unit: str) -> None:
    ratio = value / baseline if baseline else float("nan")
    print(f"{name}: {value:,.2f} {unit} (baseline {baseline:,.2f} {unit}, ratio {ratio:.2f})")


def bench_cli() -> None:
    base_time, base_rss, _ = run_check((TYPICAL + "\n").encode())
    for label, link in (
        ("check - on 1 MB of '&'", BASE + "?" + "&" * (1024 * 1024)),
        ("check - on 65,536 characters of '&'", BASE + "?" + "&" * (65536 - len(BASE) - 1)),
    ):
        seconds, rss, code = run_check((link + "\n").encode())
        print(f"{label}: exit {code}")
        figure(f"  {label}, peak RSS", rss / 1024, base_rss / 1024, "MiB")
        figure(f"  {label}, time", seconds, base_time, "s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def round_of(url: str, body: bytes, concurrent: int) -> tuple[float, list[int]]:
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(timeout=600) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(client.post(url, content=body, headers=headers) for _ in range(concurrent))
        )
        return time.perf_counter() - started, [r.status_code for r in responses]


def bench_service(concurrent: int = 8) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"}
    server = subprocess.Popen(
        [sys.executable, "-m", "validator", "serve", "--port", str(port),
         "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        root = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{root}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        url = f"{root}/v1/check-many"
        rounds = {
            "baseline: 32 typical links": json.dumps({"links": [TYPICAL] * 32}).encode(),
            "1 MiB body, 62 links of 16,384 '&'": json.dumps(
                {"links": [BASE + "?" + "&" * 16384] * 62}
            ).encode(),
            "largest valid hostile batch, 32 links of 2,048 '&'": json.dumps(
                {"links": [BASE + "?" + "&" * (2048 - len(BASE) - 1)] * 32}
            ).encode(),
        }
        results: dict[str, tuple[float, list[int], int]] = {}
        for label, body in rounds.items():
            seconds, statuses = asyncio.run(round_of(url, body, concurrent))
            results[label] = (seconds, statuses, peak_rss_kib(server.pid))
        base_seconds, _, base_rss = results["baseline: 32 typical links"]
        for label, (seconds, statuses, rss) in results.items():
            size = len(rounds[label])
            print(f"/v1/check-many x{concurrent}, {label} ({size:,} bytes): statuses "
                  f"{sorted(set(statuses))}")
            figure("  time of the 8", seconds, base_seconds, "s")
            figure("  server peak RSS so far", rss / 1024, base_rss / 1024, "MiB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; "
          f"this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    bench_cli()
    bench_service()


if __name__ == "__main__":
    main()
