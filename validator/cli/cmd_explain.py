"""``directlink explain``: check a link's signature and name the mistake behind a mismatch."""

from __future__ import annotations

import json
import sys

import click

from validator import spec
from validator.cli.main import InputError, cli
from validator.cli.options import load_candidate_secrets, load_secrets, read_links, secret_options
from validator.cli.output_options import color_option, exit_status, format_option, quiet_option
from validator.diagnose import ExplainError, diagnosis_to_dict, explain
from validator.model import DirectLink
from validator.parse import parse
from validator.redact import Redactor
from validator.report.explain_text import render_diagnosis
from validator.report.snippet_text import render_fix_in_code
from validator.report.style import wants_color
from validator.signing_snippets import LANGUAGES, UnknownLanguage, fix_for, language_of
from validator.textfiles import UnreadableFile, read_text


@cli.command("explain")
@click.argument("url")
@secret_options(per_app=True)
@click.option(
    "--candidate-secrets-file",
    metavar="PATH",
    default=None,
    help="Other secrets to try (staging, rotated): one a line, or a TOML/JSON map of "
    "labels to secrets. A match names the label, never the secret.",
)
@click.option(
    "--batch-file",
    metavar="PATH",
    default=None,
    help="Other links, one a line, whose sbs/ranstr may have been mixed up with this one's.",
)
@format_option(["text", "json"])
@color_option
@click.option("--no-color", "no_color", is_flag=True, default=False, hidden=True,
              help="The same as --color never.")
@click.option("--exit-zero", is_flag=True, default=False,
              help="Exit 0 even when the signature is wrong.")
@quiet_option
@click.option(
    "--language",
    metavar="LANG",
    default=None,
    help="Show the lines of `directlink snippet LANG` that fix the mistake "
    f"({', '.join(LANGUAGES)}).",
)
def explain_command(
    url: str,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    secrets_file: str | None,
    candidate_secrets_file: str | None,
    batch_file: str | None,
    output_format: str,
    color: str,
    no_color: bool,
    exit_zero: bool,
    quiet: bool,
    language: str | None,
) -> None:
    """Show how the signature of URL (or - for one link on stdin) is computed, check it,
    and on a mismatch name the mistake that produced it.

    The AppSecret never comes from the command line: use --secret-env,
    --secret-file, --secrets-file or --secret-prompt. It is never printed; the
    inner digest md5(sbs + "_" + AppSecret) shows only as a 6-digit fingerprint.

    Exit status: 0 the signature is correct, 1 it is wrong (0 with --exit-zero),
    2 usage or input error. With --quiet nothing is printed for a correct one.
    """
    try:
        language = None if language is None else language_of(language)
    except UnknownLanguage as error:
        raise InputError(str(error)) from None
    link = _one_link(url)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    secret = keyring.for_app(link.app_id)
    if secret is None:
        if keyring.per_app:
            raise InputError(
                f"no secret for app id {link.app_id!r} in the secrets file, and no default "
                "secret (--secret-env, --secret-file, --secret-prompt)"
            )
        raise InputError(
            "no secret: use --secret-env, --secret-file, --secrets-file or --secret-prompt"
        )
    candidates = load_candidate_secrets(candidate_secrets_file) if candidate_secrets_file else {}
    batch = _batch(batch_file) if batch_file else []
    try:
        diagnosis = explain(link, secret=secret, candidates=candidates, batch=batch)
    except ExplainError as error:
        raise InputError(str(error)) from None
    code = fix_for(language, diagnosis)
    # The spans of the link that reveal a secret (one written into a parameter) are masked.
    redactor = Redactor(keyring.with_candidates(candidates))
    if output_format == "json":
        data = {"url": diagnosis.redact(link.text), **diagnosis_to_dict(diagnosis)}
        if code is not None:
            data["fix_in_code"] = code
        click.echo(json.dumps(redactor.secrets(data, link), ensure_ascii=False, indent=2))
    elif not (quiet and diagnosis.ok):
        use_color = wants_color("never" if no_color else color, sys.stdout)
        text = render_diagnosis(diagnosis, url=link.text, color=use_color)
        if code is not None:
            text += "\n\n" + render_fix_in_code(code, color=use_color)
        click.echo(redactor.text(text, link), color=use_color)
    raise SystemExit(exit_status(not diagnosis.ok, exit_zero=exit_zero))


def _one_link(argument: str) -> DirectLink:
    links = list(read_links((argument,)))
    if not links:
        raise InputError("no link on stdin")
    if len(links) > 1:
        raise InputError(f"explain takes one link; stdin holds {len(links)}")
    link = parse(links[0][1])
    if not link.is_url:
        raise InputError(f"not a URL: {link.error}")
    return link


def _batch(path: str) -> list[DirectLink]:
    try:
        text = read_text(path, "batch file", max_bytes=spec.MAX_BATCH_FILE_BYTES)
    except UnreadableFile as error:
        raise InputError(str(error)) from None
    links = [parse(line) for line in text.splitlines() if line.strip()]
    if not links:
        raise InputError(f"batch file {path} holds no links")
    return links
