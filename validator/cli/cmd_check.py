"""``directlink check``: every problem of each link, where it is, and what the page will do."""

from __future__ import annotations

import io
import json
import sys
from typing import cast

import click

from validator.check import check_many, fails
from validator.cli.config_options import build_config, rule_options
from validator.cli.main import EXIT_CLEAN, EXIT_FINDINGS, InputError, cli
from validator.cli.options import load_secrets, read_links, secret_options, utf8_text
from validator.fix import fix_link
from validator.model import SEVERITIES, Report, Severity
from validator.redact import Redactor
from validator.report import write_report
from validator.report.check_document import (
    EXTRA_FORMATS,
    check_document,
    open_output,
    writing_to,
)
from validator.report.terminal import terminal_text
from validator.report.text import render_report, render_summary
from validator.serialize import report_to_dict

#: Output formats of ``check``; other modules may add theirs.
OUTPUT_FORMATS: list[str] = ["text", "json", *EXTRA_FORMATS]


@cli.command("check")
@click.argument("urls", nargs=-1)
@click.option(
    "--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="text",
    show_default=True, help="text: annotated diagnostics; json: the whole report of each link.",
)
@click.option(
    "--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
    help="Exit 1 when a finding of this severity or worse remains.",
)
@click.option(
    "--accept-language", metavar="LIST", default=None, callback=utf8_text,
    help="The visitor's browser languages (an Accept-Language value such as 'pt-BR,en;q=0.8') "
    "for the page model.",
)
@rule_options
@click.option("--fix", "apply_fixes", is_flag=True, default=False,
              help="Apply safe fixes, print the fixed link, and report what remains.")
@click.option("--unsafe-fixes", is_flag=True, default=False,
              help="With --fix, also apply fixes that change what the page does.")
@click.option("--redact-pii", is_flag=True, default=False,
              help="Mask sbs and customer fields in JSON output.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto",
    show_default=True, help="Colour the text output (auto: only on a terminal).",
)
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, allow_dash=True),
              default=None, help="Write the report to FILE instead of standard output.")
@secret_options()
def check_command(
    urls: tuple[str, ...],
    output_format: str,
    fail_on: str,
    accept_language: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: str | None,
    apply_fixes: bool,
    unsafe_fixes: bool,
    redact_pii: bool,
    color: str,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    secrets_file: str | None,
    output: str | None,
) -> None:
    """Check URL... (or - for one link a line on stdin).

    Prints each link with its problems underlined, what the page will do with
    it, and every finding with its code, severity, message and fix. Exit
    status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
    """
    config = build_config(config_path, select, extend_select, ignore, context)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    sources: list[str] = []
    texts: list[str] = []
    for source, text in read_links(urls):
        sources.append(source)
        texts.append(text)
    fixed: list[str | None] = [None] * len(texts)
    if apply_fixes:
        for index, text in enumerate(texts):
            result = fix_link(text, keyring=keyring, unsafe=unsafe_fixes, config=config)
            if result.changed or result.applied:
                fixed[index] = result.fixed
                texts[index] = result.fixed
    reports = check_many(
        texts,
        keyring=keyring,
        accept_language=accept_language,
        config=config,
    )
    try:
        stream = open_output(output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None
    # A link may hold a known secret (DL309): it is never printed back. The
    # redactor masks the spans of each link that reveal one, in the data each
    # format is rendered from; the output filter (every spelling of every
    # secret) stays as a second line of defence.
    redactor = Redactor(keyring, pii=redact_pii)
    last_line = Redactor(keyring)
    with writing_to(stream):
        if output_format == "json":
            _write_json(sources, reports, fixed, redactor)
        elif output_format in EXTRA_FORMATS:
            document = check_document(sources, reports, fail_on=fail_on, redactor=redactor)
            buffer = io.StringIO()
            write_report(output_format, document, buffer)
            stream.write(last_line.text(buffer.getvalue()))
        else:
            use_color = color == "always" or (
                color == "auto" and output is None and sys.stdout.isatty()
            )
            _write_text(sources, reports, fixed, use_color, redactor)
    level = cast(Severity, fail_on)
    failed = any(fails(report, level) for report in reports)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _write_json(
    sources: list[str],
    reports: list[Report],
    fixed: list[str | None],
    redactor: Redactor,
) -> None:
    entries = []
    for source, report, fixed_link in zip(sources, reports, fixed, strict=True):
        entry = {"source": source, **redactor.report_dict(report_to_dict(report), report.link)}
        if fixed_link is not None:
            entry["fixed"] = redactor.text(fixed_link, report.link)
        entries.append(entry)
    click.echo(Redactor(redactor.keyring).text(json.dumps(entries, ensure_ascii=False, indent=2)))


def _write_text(
    sources: list[str],
    reports: list[Report],
    fixed: list[str | None],
    color: bool,
    redactor: Redactor,
) -> None:
    for source, report, fixed_link in zip(sources, reports, fixed, strict=True):
        if fixed_link is not None:
            shown = redactor.text(f"fixed: {fixed_link}", report.link)
            click.echo(terminal_text(shown), color=color)
        text = render_report(report, source=source, color=color)
        click.echo(redactor.text(text, report.link), color=color)
        click.echo("")
    count = sum(1 for link in fixed if link is not None)
    click.echo(render_summary(reports, fixed=count), color=color)
