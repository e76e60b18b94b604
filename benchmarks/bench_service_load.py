"""Load on ``POST /v1/check``: 64 concurrent connections from a second process, on loopback.

Starts ``directlink serve`` (one uvicorn worker, access log off) in a
subprocess with a secrets file, warms it up, then drives it from this process
with an async httpx client for ``--seconds``, every connection sending a
typical signed link in a loop. Prints requests/s, p50/p99 latency, the error
count (any status but 200, or a transport error; it must be 0) and the
server's resident memory before and after the run (it must not grow beyond
allocator noise).

    python benchmarks/bench_service_load.py --seconds 30 --connections 64

The client shares the machine with the server: on 2 cores it takes about
one of them, so the figures are a floor for what the server does alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from validator.signature import sign

SECRET = "bench-s3cr3t"
APP_ID = "8cba81d468aac01b4f15f8ea4ef33677"
SBS = "customer-20240517-0042"
RANSTR = "q7Xv2LmP9sT4wR8zK1bN"
TYPICAL_LINK = (
    f"https://visitorchat.twt.com/direct/{APP_ID}?direct=1&chatid=session-7f3a9c"
    f"&lang=en&sbs={SBS}&sbs_mm={sign(SBS, RANSTR, SECRET)}&ranstr={RANSTR}&name=Ana%20Silva"
)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS line")


async def connection(
    client: httpx.AsyncClient, url: str, body: bytes, deadline: float, tally: Tally
) -> None:
    headers = {"content-type": "application/json"}
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            tally.error(type(error).__name__)
            continue
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            tally.error(f"HTTP {response.status_code}")
        else:
            tally.latencies.append(elapsed)


async def drive(url: str, seconds: float, connections: int) -> Tally:
    """``connections`` clients of one keep-alive connection each, posting in a loop.

    One client per connection: a single httpx pool shared by 64 connections
    spends more time on its own locking than the server spends answering.
    """
    tally = Tally()
    body = json.dumps({"link": TYPICAL_LINK}).encode()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(limits=limits, timeout=30.0) for _ in range(connections)]
    try:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(connection(client, url, body, deadline, tally) for client in clients)
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return tally


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of load before measuring"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="directlink-bench-"))
    secrets_file = workdir / "secrets.json"
    secrets_file.write_text(json.dumps({APP_ID: SECRET}), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "validator",
            "serve",
            "--port",
            str(port),
            "--secrets-file",
            str(secrets_file),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        url = f"{base}/v1/check"
        with urllib.request.urlopen(
            urllib.request.Request(
                url,
                data=json.dumps({"link": TYPICAL_LINK}).encode(),
                headers={"content-type": "application/json"},
            )
        ) as response:
            report = json.load(response)
        asyncio.run(drive(url, args.warmup, args.connections))
        rss_before = rss_kib(server.pid)
        started = time.perf_counter()
        tally = asyncio.run(drive(url, args.seconds, args.connections))
        elapsed = time.perf_counter() - started
        rss_after = rss_kib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    latencies = sorted(tally.latencies)
    requests = len(latencies) + tally.errors
    print(f"link: {TYPICAL_LINK}")
    print(
        f"report: identity {report['outcome']['identity']}, "
        f"findings {[f['code'] for f in report['findings']]}"
    )
    print(
        f"load: {args.connections} connections for {elapsed:.1f} s on loopback "
        f"(one uvicorn worker, access log off)"
    )
    print(f"requests: {requests}  ({requests / elapsed:.0f} requests/s)")
    print(
        f"latency: p50 {percentile(latencies, 0.50) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
        f"mean {statistics.fmean(latencies) * 1000 if latencies else float('nan'):.1f} ms"
    )
    print(f"errors: {tally.errors}" + (f" {tally.error_kinds}" if tally.errors else ""))
    growth = rss_after - rss_before
    print(
        f"server RSS: {rss_before / 1024:.1f} MiB before, {rss_after / 1024:.1f} MiB after "
        f"({growth / 1024:+.1f} MiB)"
    )
    return 0 if tally.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
