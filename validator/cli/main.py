"""The ``directlink`` command group; each sub-command lives in a module of its own."""

from __future__ import annotations

import click

from validator import __version__

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class InputError(click.ClickException):
    """A user mistake: one clear line on stderr, exit status 2, no traceback."""

    exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="directlink")
def cli() -> None:
    """Validate, build, sign and explain chat-page direct links.

    Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or
    input error.
    """
