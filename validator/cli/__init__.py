"""The ``directlink`` command.

Each sub-command lives in a module of its own, imported only when the command
runs (or when help lists the commands), so that ``directlink check URL`` does
not pay for the audit, the service or the signing kit at start-up.
"""

from __future__ import annotations

from validator.cli.main import cli


def main() -> None:
    cli(prog_name="directlink")


__all__ = ["cli", "main"]
