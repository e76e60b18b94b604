"""The Dask audit on this machine against the local ``--jobs 2`` audit, on the same log.

    python benchmarks/bench_dask_audit.py [--size-mb 20] [--workers 2] [--block-mb MB]
                                          [--no-passes]

Writes a log of about 200 bytes a line, one link a line (1,000,000 links for
200 MB), in the mix of ``bench_audit.py`` but with every link unique, as in a
real log (that benchmark repeats a pool of 5,000 links; here one link in
10,000 shares a ``ranstr``, so DL310 has work across the whole log), then
times, each in a child process from start to exit, with the peak memory of
the whole process tree (sampled every 20 ms, summed over the process and all
its children):

* the baseline: ``directlink audit LOG --format jsonl --jobs 2``;
* ``directlink audit LOG --format jsonl --engine dask --jobs 2`` (Dask's own
  scheduler on 2 local worker processes, started and stopped inside the run);

and, in this process, ``dask_audit`` alone on local processes started
beforehand, with the time of each pass (their start-up left out), so the
fixed costs and the per-link costs can be told apart. Both JSON Lines
reports must be identical, byte for byte.

Memory is given three ways, each the peak of its sum over the tree: RSS
(resident pages; a page shared by several processes counts once in each),
PSS (proportional set size: a page shared by n processes counts 1/n in each)
and USS (pages no other process maps). The target uses PSS: its sum is what
the run costs the machine, whether the workers are forked (both engines' on
Linux share the parent's pages copy-on-write) or started afresh, where the
RSS sum counts every shared library and every page a fork shares once per
process. Where PSS cannot be read (not Linux) RSS stands in. The target:
the Dask run's summed peak at most 2x the local audit's with as many
processes. Beside it, the largest single process's peak PSS of each run
(its driver or one worker), labelled as such. The generated files are
deleted. Figures: docs/performance.md, "The Dask engine's memory".
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

BASE = "https://visitorchat.twt.com/direct/8cba81d468aac01b4f15f8ea4ef33677"
LINE_BYTES = 200
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
#: One link in this many reuses a shared ranstr (DL310 across the whole log).
REUSE_EVERY = 10_000


def log_line(index: int, rng: random.Random) -> str:
    """One log line with one link, unique as links in real logs are (a fresh ranstr each),
    in the mix of ``bench_audit.py``: signed, unsigned, no direct=1, placeholders."""
    kind = rng.random()
    ranstr = "".join(rng.choices(ALPHABET, k=16))
    if index % REUSE_EVERY == 0:
        ranstr = "SharedRanstr0001"
    mm = f"{rng.getrandbits(128):032x}"
    if kind < 0.55:
        link = f"{BASE}?direct=1&chatid=c{index}&lang=en&sbs=u{index}&sbs_mm={mm}&ranstr={ranstr}"
    elif kind < 0.75:
        link = f"{BASE}?direct=1&chatid=c{index}&lang=ja"
    elif kind < 0.85:
        link = f"{BASE}?chatid=c{index}&lang=pt-BR"
    elif kind < 0.93:
        link = f"{BASE}?direct=1&chatid={{SESSION_ID}}&sbs=u{index}&sbs_mm={mm.upper()}"
    else:
        link = f"{BASE}?direct=1&chatid=c{index}&ranstr={ranstr}&name=Ann&email=ann%40example.com"
    prefix = f"2026-11-25T10:{index // 60 % 60:02d}:{index % 60:02d}Z INFO chat-link sent "
    padding = max(0, LINE_BYTES - len(prefix) - len(link) - 1)
    return f"{prefix}{link} {'.' * padding}\n"


def write_log(path: Path, size_mb: int) -> tuple[int, int]:
    """A log of about ``size_mb`` MB, one link a line; returns (bytes, links)."""
    target = size_mb * 1_000_000
    rng = random.Random(11)
    written = links = 0
    with path.open("w", encoding="utf-8") as stream:
        while written < target:
            line = log_line(links, rng)
            stream.write(line)
            written += len(line)
            links += 1
    return path.stat().st_size, links


#: The memory figures, in the order printed; the target uses ``TARGET_MEASURE``.
MEASURES = ("rss", "pss", "uss")
TARGET_MEASURE = "pss"


@dataclass
class Run:
    label: str
    seconds: float
    #: Peak over the run of each measure summed over the process tree, in bytes.
    peaks: dict[str, int]
    #: Peak PSS of the largest single process of the tree, in bytes.
    largest: int
    summary: dict[str, Any]
    digest: str


def tree_memory(root: psutil.Process) -> tuple[dict[str, int], int]:
    """RSS, PSS and USS summed over ``root`` and its children (PSS and USS as RSS where the
    system does not give them), and the largest PSS of one process."""
    total = dict.fromkeys(MEASURES, 0)
    largest = 0
    with contextlib.suppress(psutil.Error):
        for member in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = member.memory_full_info()
                for measure in MEASURES:
                    total[measure] += getattr(info, measure, info.rss)
                largest = max(largest, getattr(info, TARGET_MEASURE, info.rss))
    return total, largest


def run_cli(label: str, log: Path, output: Path, extra: list[str]) -> Run:
    command = [sys.executable, "-m", "validator", "audit", str(log), "--format", "jsonl",
               "--output", str(output), "--fail-on", "never", "--quiet", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peaks = dict.fromkeys(MEASURES, 0)
    largest = 0
    while process.poll() is None:
        sums, single = tree_memory(watched)
        for measure, value in sums.items():
            peaks[measure] = max(peaks[measure], value)
        largest = max(largest, single)
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{label} failed ({process.returncode}): {error}")
    summary, digest = _read_report(output)
    output.unlink()
    return Run(label, seconds, peaks, largest, summary, digest)


def _read_report(output: Path) -> tuple[dict[str, Any], str]:
    """The summary (the last line of a JSON Lines report) and a digest of the whole report."""
    digest = hashlib.sha256()
    last = b""
    with output.open("rb") as stream:
        for line in stream:
            digest.update(line)
            last = line
    summary: dict[str, Any] = json.loads(last)
    return summary, digest.hexdigest()


def timed_passes(log: Path, workers: int,
                 block_bytes: int | None) -> tuple[dict[str, float], int]:
    """``dask_audit`` on local processes started beforehand: seconds per pass, and links."""
    from validator.distributed import dask_audit, local_processes

    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    with local_processes(workers):
        marks.append(("workers start", started))
        marks.append(("planning", time.perf_counter()))

        def on_pass(name: str) -> None:
            marks.append((name, time.perf_counter()))

        with dask_audit([log], block_bytes=block_bytes, on_pass=on_pass) as result:
            marks.append(("workers stop", time.perf_counter()))
            links = result.summary.links
    marks.append(("end", time.perf_counter()))
    seconds = {name: following - at
               for (name, at), (_, following) in itertools.pairwise(marks)}
    seconds.pop("planning", None)
    seconds["audit alone"] = marks[-2][1] - marks[1][1]
    return seconds, links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=20, help="size of the generated log")
    parser.add_argument("--workers", type=int, default=2,
                        help="local processes for both engines (--jobs)")
    parser.add_argument("--block-mb", type=int, default=None,
                        help="bytes of the log one Dask task reads (default: the engine's, "
                             "2 MB on this machine)")
    parser.add_argument("--no-passes", action="store_true",
                        help="leave out the timed passes on workers started beforehand")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dask-audit-") as folder:
        log = Path(folder) / "app.log"
        size, links = write_log(log, options.size_mb)
        print(f"log: {size / 1e6:.0f} MB, {links:,} links; {options.workers} processes each")
        jobs = ["--jobs", str(options.workers)]
        output = Path(folder) / "report.jsonl"
        local = run_cli(f"local --jobs {options.workers}", log, output, jobs)
        on_dask = run_cli(f"dask local x{options.workers}", log, output,
                          [*jobs, "--engine", "dask"])
        passes, counted = ({}, links) if options.no_passes else timed_passes(
            log, options.workers,
            None if options.block_mb is None else options.block_mb * 1_000_000)

    print()
    print(f"{'engine':<24} {'seconds':>8} {'links/s':>9} {'MB/s':>6}"
          + "".join(f" {measure.upper() + ' MB':>7}" for measure in MEASURES))
    for run in (local, on_dask):
        print(f"{run.label:<24} {run.seconds:8.1f} {links / run.seconds:9,.0f} "
              f"{size / 1e6 / run.seconds:6.2f}"
              + "".join(f" {run.peaks[measure] / 1e6:7.0f}" for measure in MEASURES))
    print(f"dask / local time: {on_dask.seconds / local.seconds:.2f}x")
    for measure in MEASURES:
        ratio = on_dask.peaks[measure] / local.peaks[measure]
        verdict = ""
        if measure == TARGET_MEASURE:
            verdict = f" (the target's measure: <= 2x {'met' if ratio <= 2 else 'NOT met'})"
        print(f"dask peak {measure.upper()} summed over the processes / local audit's: "
              f"{ratio:.2f}x{verdict}")
    print(f"largest single process's peak PSS: dask {on_dask.largest / 1e6:.0f} MB, local "
          f"{local.largest / 1e6:.0f} MB ({on_dask.largest / local.largest:.2f}x)")
    same = local.summary == on_dask.summary and local.digest == on_dask.digest
    print(f"identical JSON Lines reports (every link, finding and the summary): {same}")
    if passes:
        print()
        block = f"{options.block_mb} MB" if options.block_mb else "the engine's default"
        print(f"dask passes (in process, blocks: {block}):")
        for name, value in passes.items():
            print(f"  {name:<14} {value:7.2f} s")
        print(f"  audit alone: {counted / passes['audit alone']:,.0f} links/s")
    if not same or counted != links:
        raise SystemExit("the two engines disagree")


if __name__ == "__main__":
    main()
