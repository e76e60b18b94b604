"""Options every judging command shares, as linters spell them.

``--format``/``--output-format``, ``--fail-on`` (``never`` included),
``--exit-zero``, ``--quiet``, ``--statistics`` and ``--color``; and the exit
status they decide together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from validator.cli.main import EXIT_CLEAN, EXIT_FINDINGS
from validator.model import SEVERITIES
from validator.report.style import COLOR_CHOICES

F = TypeVar("F", bound=Callable[..., Any])

#: ``--fail-on`` values: a severity, or ``never`` (report, but exit 0 on findings).
FAIL_LEVELS: tuple[str, ...] = (*SEVERITIES, "never")


def format_option(choices: Sequence[str], help_text: str = "Output format.") -> Callable[[F], F]:
    """``--format`` with ruff's spelling ``--output-format`` as an alias."""
    return click.option(
        "--format", "--output-format", "output_format", type=click.Choice(list(choices)),
        default="text", show_default=True, help=help_text,
    )


def judging_options(function: F) -> F:
    """``--fail-on``, ``--exit-zero``, ``--quiet`` and ``--color``."""
    options = [
        click.option(
            "--fail-on", type=click.Choice(FAIL_LEVELS), default="error", show_default=True,
            help="Exit 1 when a finding of this severity or worse remains (never: report only).",
        ),
        click.option(
            "--exit-zero", is_flag=True, default=False,
            help="Exit 0 even when findings remain (an unreadable path still exits 1, a "
            "missing extra or a broken configuration 2).",
        ),
        quiet_option,
        color_option,
    ]
    for option in reversed(options):
        function = option(function)
    return function


quiet_option = click.option(
    "--quiet", "-q", is_flag=True, default=False,
    help="Print the findings (build: the link) and nothing else: no summary, progress "
    "or notes.",
)

color_option = click.option(
    "--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
    is_flag=False, flag_value="always",
    help="Colour the text output (--color alone: always). auto: on a terminal, unless "
    "NO_COLOR is set (FORCE_COLOR colours any stream).",
)

statistics_option = click.option(
    "--statistics", is_flag=True, default=False,
    help="Print how many findings of each rule, instead of the findings (as text, or as "
    "JSON with --format json).",
)

#: The formats ``--statistics`` writes (see :mod:`validator.report.statistics`).
STATISTICS_FORMATS = ("text", "json")


def check_statistics_format(statistics: bool, output_format: str) -> None:
    """``--statistics`` with a format it has no form in is a usage error, not ignored."""
    if statistics and output_format not in STATISTICS_FORMATS:
        from validator.cli.main import InputError

        raise InputError(f"--statistics writes text or json, not {output_format}")


def exit_status(failed: bool, *, exit_zero: bool) -> int:
    """1 where findings fail the run (at or above ``--fail-on``), unless ``--exit-zero``."""
    return EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN
