"""Audit throughput and memory on a generated application log.

    python benchmarks/bench_audit.py [--size-mb 20] [--jobs 1 2] [--small-mb 5]

Writes a log of ``--size-mb`` megabytes (about 200 bytes a line, one link a
line: 1,000,000 links for 200 MB) into a temporary folder, then:

* the baselines: ``check()`` alone on a sample of the same links, in this process,
  and ``grep -oE 'https://[^ ]+'`` finding the links of the same log (output
  counted through a pipe, since GNU grep stops at the first match when it
  writes to ``/dev/null``);
* ``directlink audit LOG --format jsonl --output /dev/null --jobs N`` for each N,
  in a child process, timed from start to exit (links/s, MB/s, per-link time
  and its ratio to ``check`` alone, the speed-up of N jobs over 1);
* the peak memory of all processes of the audit together (parent and workers,
  resident set sizes summed, sampled every 20 ms with psutil);
* the same audit on a ``--small-mb`` log, to show memory stays flat as the
  file grows.

Targets: audit links/s at ``--jobs 2`` at least 0.5x grep's; audit CPU per link
at most 1.2x check's; jobs 2 at least 1.7x jobs 1; peak memory under 300 MB
and flat. The defaults run in well under two minutes on two cores. The
generated files are deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BASE = "https://visitorchat.twt.com/direct/8cba81d468aac01b4f15f8ea4ef33677"
LINE_BYTES = 200


def make_link(index: int, rng: random.Random) -> str:
    """One link of a realistic mix: good signed, good unsigned, missing direct=1,
    placeholders with upper-case sbs_mm, a constant short ranstr with customer data."""
    kind = rng.random()
    ranstr = f"{rng.getrandbits(80):020x}"
    mm = f"{rng.getrandbits(128):032x}"
    if kind < 0.55:
        return (f"{BASE}?direct=1&chatid=c{index}&lang=en&sbs=u{index}&sbs_mm={mm}"
                f"&ranstr={ranstr}")
    if kind < 0.77:
        return f"{BASE}?direct=1&chatid=c{index}&lang=ja"
    if kind < 0.88:
        return f"{BASE}?chatid=c{index}&lang=pt-BR"
    if kind < 0.97:
        return f"{BASE}?direct=1&chatid={{SESSION_ID}}&sbs=u{index}&sbs_mm={mm.upper()}" \
            f"&ranstr={ranstr}"
    return f"{BASE}?direct=1&chatid=c{index}&ranstr=abc&name=Ann&email=ann%40example.com"


def sample_links(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [make_link(index, rng) for index in range(count)]


def write_log(path: Path, size_mb: int) -> tuple[int, int]:
    """``size_mb`` MB of log, one link a line, 200 bytes a line on average."""
    links = size_mb * 1_000_000 // LINE_BYTES
    rng = random.Random(11)
    written = 0
    with path.open("w", encoding="utf-8", buffering=1 << 20) as stream:
        for index in range(links):
            link = make_link(index, rng)
            line = f"2026-11-25T10:{index // 60 % 60:02d}:{index % 60:02d}Z INFO sent {link}"
            # Pad so the file keeps to LINE_BYTES a line on average.
            padding = (index + 1) * LINE_BYTES - written - len(line) - 1
            line += " " + "." * (padding - 1) if padding > 1 else ""
            stream.write(line + "\n")
            written += len(line) + 1
    return path.stat().st_size, links


def check_baseline(count: int) -> float:
    """CPU seconds per link of ``check()`` alone, on links of the same mix."""
    from validator.check import check

    links = sample_links(count)
    for link in links[:200]:
        check(link)
    started = time.process_time()
    for link in links:
        check(link)
    return (time.process_time() - started) / len(links)


def check_command_baseline(folder: Path, count: int) -> float:
    """CPU seconds per link of ``directlink check - --format jsonl`` on ``count`` links."""
    links = Path(folder) / "links.txt"
    links.write_text("\n".join(sample_links(count, seed=3)) + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with links.open("rb") as stdin:
        subprocess.run([sys.executable, "-m", "validator", "check", "-", "--format", "jsonl",
                        "--output", os.devnull], stdin=stdin, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu / count


def grep_links(log: Path) -> tuple[float, int]:
    """Wall seconds of ``grep -oE`` listing every link of ``log``, and how many it found."""
    started = time.perf_counter()
    grep = subprocess.Popen(["grep", "-oE", "https://[^ ]+", str(log)], stdout=subprocess.PIPE)
    assert grep.stdout is not None
    counted = subprocess.run(["wc", "-l"], stdin=grep.stdout, capture_output=True, check=True)
    grep.stdout.close()
    grep.wait()
    return time.perf_counter() - started, int(counted.stdout.split()[0])


@dataclass
class Run:
    jobs: int
    size: int
    links: int
    seconds: float
    cpu_seconds: float
    peak_bytes: int
    #: CPU time of the audit's own (parent) process: the part that does not run in parallel.
    parent_cpu_seconds: float = 0.0

    def parallel_bound(self, jobs: int) -> float:
        """Amdahl: the speed-up ``jobs`` idle cores allow, given the parent's serial share."""
        serial = self.parent_cpu_seconds / self.cpu_seconds if self.cpu_seconds else 1.0
        return 1 / (serial + (1 - serial) / jobs)

    @property
    def per_link(self) -> float:
        return self.seconds / self.links


def run_audit(log: Path, jobs: int, links: int) -> Run:
    command = [sys.executable, "-m", "validator", "audit", str(log), "--format", "jsonl",
               "--output", os.devnull, "--jobs", str(jobs), "--fail-on", "never", "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak = 0
    parent_cpu = 0.0
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):
            times = watched.cpu_times()
            parent_cpu = times.user + times.system
        try:
            family = [watched, *watched.children(recursive=True)]
            total = 0
            for member in family:
                with contextlib.suppress(psutil.Error):
                    total += member.memory_info().rss
            peak = max(peak, total)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The audit process and its workers (which it waits for) in user and system time.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode not in (0, 1):
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"audit failed ({process.returncode}): {error}")
    return Run(jobs, log.stat().st_size, links, seconds, cpu, peak, parent_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=20, help="size of the large log")
    parser.add_argument("--small-mb", type=int, default=5, help="size of the log for flatness")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--check-sample", type=int, default=20000)
    options = parser.parse_args()

    per_check = check_baseline(options.check_sample)
    print(f"check() alone: {per_check * 1e6:.1f} us/link ({1 / per_check:,.0f} links/s)")
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        per_command = check_command_baseline(Path(folder), options.check_sample)
        print(f"directlink check - --format jsonl: {per_command * 1e6:.1f} us/link (CPU)")
        log = Path(folder) / "app.log"
        size, links = write_log(log, options.size_mb)
        print(f"log: {size / 1e6:.0f} MB, {links:,} links")
        grep_seconds, grepped = grep_links(log)
        print(f"grep -o: {grepped:,} links in {grep_seconds:.2f} s "
              f"({grepped / grep_seconds:,.0f} links/s)")
        runs = [run_audit(log, jobs, links) for jobs in options.jobs]
        small_log = Path(folder) / "small.log"
        _, small_links = write_log(small_log, options.small_mb)
        small = run_audit(small_log, max(options.jobs), small_links)

    print()
    print(f"load average before: {os.getloadavg()[0]:.2f} (the figures assume an idle machine)")
    print(f"{'MB':>5} {'links':>9} {'jobs':>4} {'wall s':>7} {'links/s':>9} {'MB/s':>6} "
          f"{'CPU us/link':>11} {'x check':>7} {'peak MB':>8}")
    for run in [*runs, small]:
        print(f"{run.size / 1e6:5.0f} {run.links:9,} {run.jobs:4} {run.seconds:7.1f} "
              f"{run.links / run.seconds:9,.0f} {run.size / 1e6 / run.seconds:6.2f} "
              f"{run.cpu_seconds / run.links * 1e6:11.1f} "
              f"{run.cpu_seconds / run.links / per_check:7.2f} {run.peak_bytes / 1e6:8.0f}")
    print("(CPU us/link: user+system time of the audit and its workers per link, process")
    print(" start-up included; x check: that over the CPU time of check() alone per link)")
    by_jobs = {run.jobs: run for run in runs}
    if 1 in by_jobs and 2 in by_jobs:
        speedup = by_jobs[1].seconds / by_jobs[2].seconds
        print(f"jobs 2 vs jobs 1 (wall): {speedup:.2f}x (target >= 1.7x)")
        two = by_jobs[2]
        print(f"jobs 2, serial share of the parent: {two.parent_cpu_seconds:.1f} s of "
              f"{two.cpu_seconds:.1f} s CPU -> at most {two.parallel_bound(2):.2f}x on two idle "
              f"cores (CPU per link jobs 2 / jobs 1: "
              f"{two.cpu_seconds / by_jobs[1].cpu_seconds:.2f})")
    if 1 in by_jobs:
        ratio = by_jobs[1].cpu_seconds / by_jobs[1].links / per_check
        print(f"audit CPU per link / check(): {ratio:.2f}x (jobs 1, target <= 1.2x "
              f"{'met' if ratio <= 1.2 else 'NOT met'})")
        command_ratio = by_jobs[1].cpu_seconds / by_jobs[1].links / per_command
        print(f"audit per link vs the check command on the same kind of links: "
              f"{command_ratio:.2f}x (jobs 1, CPU)")
    fastest = by_jobs.get(2, runs[-1])
    versus_grep = fastest.links / fastest.seconds / (grepped / grep_seconds)
    print(f"audit links/s at --jobs {fastest.jobs} / grep -o links/s: {versus_grep:.2f} "
          f"(target >= 0.5 {'met' if versus_grep >= 0.5 else 'NOT met'})")
    largest = max(runs, key=lambda run: run.peak_bytes)
    print(f"peak memory, all processes: {largest.peak_bytes / 1e6:.0f} MB at "
          f"{largest.size / 1e6:.0f} MB (jobs {largest.jobs}), {small.peak_bytes / 1e6:.0f} MB at "
          f"{small.size / 1e6:.0f} MB (jobs {small.jobs}); target < 300 MB and flat")


if __name__ == "__main__":
    main()
