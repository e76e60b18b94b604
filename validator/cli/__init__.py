"""The ``directlink`` command."""

from __future__ import annotations

from validator.cli import (  # noqa: F401  (register commands)
    cmd_audit,
    cmd_build,
    cmd_check,
    cmd_explain,
    cmd_fix,
    cmd_rules,
    cmd_serve,
    cmd_sign,
    cmd_snippet,
    cmd_vectors,
)
from validator.cli.main import cli


def main() -> None:
    cli(prog_name="directlink")


__all__ = ["cli", "main"]
