"""A long schemathesis run against ``directlink serve`` on loopback.

The test suite runs schemathesis in-process with a few examples per operation
(``tests/test_service_schemathesis.py``); this script runs the schemathesis
command line (every phase: examples, coverage, fuzzing; every check; positive
and negative modes) against a real server for as long as the budget allows,
then reads the server's log for internal errors and for the secret it was given.

    python fuzz/schemathesis_long.py --max-time 600 --max-examples 2000

Exit status: 0 when schemathesis found nothing and the log is clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, quote_plus

SECRET = "fuzz-s3cr3t/+ é&"
APP_ID = "demo_app"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-time", type=int, default=300, help="seconds for schemathesis")
    parser.add_argument("--max-examples", type=int, default=1000, help="examples per operation")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    beside_python = Path(sys.executable).with_name("schemathesis")
    schemathesis = str(beside_python) if beside_python.exists() else shutil.which("schemathesis")
    if schemathesis is None:
        raise SystemExit("schemathesis is not installed (pip install schemathesis)")
    workdir = Path(tempfile.mkdtemp(prefix="directlink-fuzz-"))
    secrets_file = workdir / "secrets.json"
    secrets_file.write_text(json.dumps({APP_ID: SECRET}), encoding="utf-8")
    config_file = workdir / "schemathesis.toml"
    # A body over the size limit is refused with 413 before it is validated:
    # a rejection of invalid data like 422.
    config_file.write_text(
        "[checks.negative_data_rejection]\n"
        'expected-statuses = ["400", "404", "405", "406", "413", "415", "422"]\n',
        encoding="utf-8",
    )
    log_path = workdir / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"}
    env["DIRECTLINK_APP_SECRET"] = SECRET + "-default"
    with log_path.open("wb") as log:
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
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_until_up(url, server)
        command = [
            schemathesis,
            "--config-file",
            str(config_file),
            "run",
            f"{url}/openapi.json",
            "--checks",
            "all",
            "--mode",
            "all",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--workers",
            str(args.workers),
            "--request-timeout",
            "30",
        ]
        if args.seed is not None:
            command += ["--seed", str(args.seed)]
        print("fuzz:", " ".join(command), flush=True)
        report = workdir / "schemathesis.out"
        with report.open("wb") as sink:
            # Run in the scratch folder: schemathesis keeps a .schemathesis cache where it runs.
            found = subprocess.run(
                command, check=False, stdout=sink, stderr=subprocess.STDOUT, cwd=workdir
            ).returncode
        # Failing examples can be megabytes long; show the summary and each failure's heading.
        for line in report.read_text(encoding="utf-8", errors="replace").splitlines():
            if len(line) <= 300:
                print(line)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    shutil.rmtree(workdir, ignore_errors=True)
    leaked = [
        form
        for form in {SECRET, quote(SECRET, safe=""), quote_plus(SECRET), SECRET + "-default"}
        if form in log_text
    ]
    internal = log_text.count("internal error in")
    print(
        f"fuzz: schemathesis exit {found}; server internal errors logged: {internal}; "
        f"secret forms in the log: {len(leaked)}"
    )
    return 0 if found == 0 and not leaked and internal == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
