"""The ``directlink`` command group; each sub-command lives in a module of its own."""

from __future__ import annotations

import importlib
from typing import Any

import click

from validator.version import __version__

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class InputError(click.ClickException):
    """A user mistake: one clear line on stderr, exit status 2, no traceback."""

    exit_code = EXIT_USAGE

    def format_message(self) -> str:
        # Messages quote paths and values the user gave: never raw on a terminal.
        from validator.report.terminal import terminal_text

        return terminal_text(self.message)


def _safe_error(error: click.ClickException) -> click.ClickException:
    """``error`` with its message rendered for a terminal (click quotes option values)."""
    from validator.report.terminal import terminal_text

    message = error.format_message()
    if terminal_text(message) == message:
        return error
    if isinstance(error, click.UsageError):
        return click.UsageError(terminal_text(message), error.ctx)
    # Other click errors (a file that cannot be opened, an abort) are input errors.
    return InputError(terminal_text(message))


#: Each sub-command and the module that registers it on :data:`cli`, imported on first use.
COMMAND_MODULES: dict[str, str] = {
    "audit": "validator.cli.cmd_audit",
    "build": "validator.cli.cmd_build",
    "check": "validator.cli.cmd_check",
    "explain": "validator.cli.cmd_explain",
    "fix": "validator.cli.cmd_fix",
    "rules": "validator.cli.cmd_rules",
    "serve": "validator.cli.cmd_serve",
    "sign": "validator.cli.cmd_sign",
    "snippet": "validator.cli.cmd_snippet",
    "vectors": "validator.cli.cmd_vectors",
}


class _DirectlinkGroup(click.Group):
    """Usage errors that would echo a stray argument say so without echoing it.

    A stray positional argument is often a secret pasted in the wrong place;
    it must not be printed back into a terminal or a CI log. Commands load
    their module the first time they are looked up.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        return self.commands.get(cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as error:
            raise _safe_error(error) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if error.message.startswith("Got unexpected extra argument"):
                raise click.UsageError(
                    "unexpected extra argument (not shown, in case it is a secret: "
                    "secrets are read from --secret-env, --secret-file or --secret-prompt)",
                    error.ctx,
                ) from None
            raise _safe_error(error) from None
        except click.ClickException as error:
            raise _safe_error(error) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0]) if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            commands = ", ".join(self.list_commands(ctx))
            ctx.fail(f"no such command (not shown); the commands are: {commands}")
        return super().resolve_command(ctx, args)


@click.group(
    cls=_DirectlinkGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="directlink")
def cli() -> None:
    """Validate, build, sign and explain chat-page direct links.

    Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or
    input error.
    """
