"""Start-up of ``directlink check URL`` against ``python -c pass``, in one process.

    python benchmarks/bench_startup.py [--repeat 20] [--top 12]

Pre-commit hooks and CI steps start the command once per file, so its
start-up is most of what users wait for. Both commands run as child processes
from this one, interleaved so machine load hits both alike; the figure is the
best wall time of ``--repeat`` runs each, the ratio ours over the baseline's
(target <= 3x); the best CPU time (user + system) of each is shown too, as it
is steadier than wall time on a busy machine. Also shown: the modules the
command imports that take the most time themselves, from ``python -X importtime``.

The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment), as an installed package runs: without the cached
bytecode every start would compile the project's sources again.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

#: The children's environment: this one, with bytecode caching on.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

URL = (
    "https://visitorchat.twt.com/direct/8cba81d468aac01b4f15f8ea4ef33677"
    "?direct=1&chatid=c1&lang=en"
)


def command() -> list[str]:
    """The installed ``directlink`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("directlink")
    if script.exists():
        return [str(script), "check", URL]
    found = shutil.which("directlink")
    return [found, "check", URL] if found else [sys.executable, "-m", "validator", "check", URL]


def wall(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                   check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def slowest_imports(top: int) -> list[tuple[int, int, str]]:
    """``(self us, cumulative us, module)`` of the ``top`` slowest imports by self time."""
    env = {**ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "validator", "check", URL],
        capture_output=True, text=True, env=env, check=False,
    )
    rows: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(cumulative), name.strip()))
    rows.sort(reverse=True)
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    options = parser.parse_args()
    ours_argv = command()
    base_argv = [sys.executable, "-c", "pass"]
    wall(ours_argv)  # warm the file cache and the bytecode
    ours = base = ours_cpu = base_cpu = float("inf")
    for _ in range(options.repeat):
        seconds, cpu = wall(base_argv)
        base, base_cpu = min(base, seconds), min(base_cpu, cpu)
        seconds, cpu = wall(ours_argv)
        ours, ours_cpu = min(ours, seconds), min(ours_cpu, cpu)
    ratio = ours / base
    print(f"best of {options.repeat} interleaved runs (load average {os.getloadavg()[0]:.1f})")
    print(f"{'':<28}{'wall ms':>8} {'CPU ms':>7}")
    print(f"{'python -c pass (baseline)':<28}{base * 1e3:8.1f} {base_cpu * 1e3:7.1f}")
    print(f"{'directlink check URL':<28}{ours * 1e3:8.1f} {ours_cpu * 1e3:7.1f}")
    print(f"ratio: {ratio:.2f}x wall, {ours_cpu / base_cpu:.2f}x CPU "
          f"(target <= 3x {'met' if ratio <= 3 else 'NOT met'})")
    print(f"\nslowest imports by their own time (python -X importtime, top {options.top}):")
    for own, cumulative, name in slowest_imports(options.top):
        print(f"  {own / 1e3:7.1f} ms self {cumulative / 1e3:7.1f} ms total  {name}")


if __name__ == "__main__":
    main()
