"""The same targets driven by hypothesis, for machines where atheris cannot be installed.

    python fuzz/hypothesis_main.py <harness> --budget SECONDS

Not coverage-guided: hypothesis draws bytes, seeded from the corpus, for the
time budget. ``fuzz/run --engine hypothesis`` uses it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import TARGETS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("harness", choices=sorted(TARGETS))
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--crash-file", type=Path, required=True)
    options = parser.parse_args()
    target = TARGETS[options.harness]
    seeds = [p.read_bytes() for p in sorted(options.corpus.glob("*")) if p.is_file()]
    inputs = st.one_of(
        st.sampled_from(seeds or [b""]).flatmap(
            lambda s: st.binary(max_size=64).map(lambda extra: s[: len(extra) * 7] + extra + s)
        ),
        st.binary(max_size=4096),
        st.text(max_size=2048).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
    deadline = time.monotonic() + options.budget
    runs = 0

    def chunk(chunk_seed: int) -> None:
        @seed(chunk_seed)
        @settings(max_examples=200, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(inputs)
        def fuzz(data: bytes) -> None:
            nonlocal runs
            runs += 1
            try:
                target(data)
            except Exception:
                # Hypothesis replays the shrunk input last: the file ends minimal.
                options.crash_file.write_bytes(data)
                raise

        fuzz()

    chunk_seed = int(time.time())
    while time.monotonic() < deadline:
        chunk(chunk_seed)
        chunk_seed += 1
    print(f"#{runs} DONE hypothesis engine, {options.budget:.0f}s")


if __name__ == "__main__":
    main()
