"""Options shared by several commands: where secrets come from, how links are read."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from validator.arguments import has_lone_surrogate
from validator.cli.main import InputError
from validator.keyring import Keyring
from validator.limits import LinkTooLongError, check_link_length
from validator.patterns import lazy_pattern
from validator.secret_sources import (
    DEFAULT_SECRET_ENV,
    SecretSourceError,
    candidate_secrets_from_file,
    secret_from_env,
    secret_from_file,
    secrets_from_file,
)
from validator.signature import Secret

F = TypeVar("F", bound=Callable[..., Any])


def secret_options(*, per_app: bool = True) -> Callable[[F], F]:
    """Add ``--secret-env``, ``--secret-file``, ``--secret-prompt`` (and ``--secrets-file``)."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "--secret-env",
                metavar="NAME",
                default=None,
                help=f"Read the AppSecret from environment variable NAME "
                f"(default {DEFAULT_SECRET_ENV}, used when set).",
            ),
            click.option(
                "--secret-file",
                metavar="PATH",
                default=None,
                help="Read the AppSecret from a file. A trailing newline in the file is "
                "NOT part of the secret.",
            ),
            click.option(
                "--secret-prompt",
                is_flag=True,
                default=False,
                help="Ask for the AppSecret at a hidden prompt (terminal only).",
            ),
        ]
        if per_app:
            options.append(
                click.option(
                    "--secrets-file",
                    metavar="PATH",
                    default=None,
                    help="TOML or JSON file mapping app ids to AppSecrets "
                    "(links of several apps).",
                )
            )
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def load_secrets(
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool = False,
    secrets_file: str | None = None,
) -> Keyring:
    """Resolve the secret options into a keyring; a problem is an :class:`InputError`."""
    given = [bool(secret_env), bool(secret_file), secret_prompt]
    if sum(given) > 1:
        raise InputError("give one of --secret-env, --secret-file or --secret-prompt")
    try:
        secret: Secret | None
        if secret_file:
            secret = secret_from_file(secret_file)
        elif secret_prompt:
            secret = _prompt()
        elif secret_env:
            secret = secret_from_env(secret_env)
            if secret is None:
                raise InputError(_unset_variable(secret_env))
        else:
            secret = secret_from_env(DEFAULT_SECRET_ENV)
        by_app = secrets_from_file(secrets_file) if secrets_file else {}
    except SecretSourceError as error:
        raise InputError(str(error)) from None
    return Keyring(secret, by_app)


#: An environment variable's name as written by convention; compiled when one is unset.
_CONVENTIONAL_VARIABLE = lazy_pattern(r"[A-Z_][A-Z0-9_]{0,63}")


def _unset_variable(name: str) -> str:
    """The error for an unset ``--secret-env NAME``, without echoing a pasted secret.

    ``--secret-env "$APP_SECRET"`` passes the secret itself as the name; only a
    conventional variable name (upper case, digits, ``_``) is repeated back.
    """
    if _CONVENTIONAL_VARIABLE().fullmatch(name):
        return f"environment variable {name} is not set"
    return (
        "--secret-env takes the NAME of an environment variable, and no variable has the "
        "name given (not repeated here: if it was the secret itself, it is now in the shell "
        "history and the process list; rotate it)"
    )


def load_candidate_secrets(path: str) -> dict[str, Secret]:
    """Labelled candidate secrets from ``path``; a problem is an :class:`InputError`."""
    try:
        return candidate_secrets_from_file(path)
    except SecretSourceError as error:
        raise InputError(str(error)) from None


def _prompt() -> Secret:
    if not sys.stdin.isatty():
        raise InputError("--secret-prompt needs a terminal; use --secret-env or --secret-file")
    value = click.prompt("AppSecret", hide_input=True, err=True, show_default=False)
    if not value:
        raise InputError("no secret entered")
    return Secret(str(value))


def read_links(arguments: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """Yield ``(source, link)``; ``-`` reads one link a line from stdin.

    Blank stdin lines are skipped; the source names the line number. A link
    over :data:`~validator.spec.MAX_LINK_CHARS` is an :class:`InputError`
    naming its source, before any work is done on it.
    """
    if not arguments:
        raise InputError("give at least one URL, or - to read links from stdin")
    for position, argument in enumerate(arguments, start=1):
        if argument == "-":
            for number, line in enumerate(sys.stdin, start=1):
                text = line.rstrip("\r\n")
                if text.strip():
                    yield _within_limit(f"<stdin>:{number}", text)
        else:
            yield _within_limit(f"<arg {position}>", argument)


def utf8_text(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    """An option value that must be text: a byte that is not UTF-8 is a usage error."""
    if value is not None and has_lone_surrogate(value):
        raise click.BadParameter("not UTF-8 text (a byte that is not UTF-8)")
    return value


def _within_limit(source: str, text: str) -> tuple[str, str]:
    try:
        check_link_length(text)
    except LinkTooLongError as error:
        raise InputError(f"{source}: {error}") from None
    return source, text
