"""Coverage-guided fuzzing of one target with atheris (libFuzzer for Python).

    python fuzz/atheris_main.py <harness> [libFuzzer flags] [corpus dirs]

Normally started by ``fuzz/run``, which passes the time budget, the corpus
and where crashing inputs go. Every ``validator`` module is imported inside
``atheris.instrument_imports`` so libFuzzer sees edge coverage of our code.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["validator"]):
    import validator

    for module in pkgutil.walk_packages(validator.__path__, "validator."):
        if module.name.startswith(
            ("validator.__main__", "validator.cli", "validator.service", "validator.strategies")
        ):
            continue
        with contextlib.suppress(ImportError):  # an optional extra that is not installed
            importlib.import_module(module.name)

from targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: atheris_main.py {{{','.join(TARGETS)}}} [libFuzzer flags]")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
