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


class _DirectlinkGroup(click.Group):
    """Usage errors that would echo a stray argument say so without echoing it.

    A stray positional argument is often a secret pasted in the wrong place;
    it must not be printed back into a terminal or a CI log.
    """

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
            raise

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
