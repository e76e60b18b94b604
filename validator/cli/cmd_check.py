"""``directlink check``: every problem of each link, where it is, and what the page will do."""

from __future__ import annotations

import io
import json
import re
from typing import cast

import click

from validator.check import check_many, fails
from validator.cli.config_options import build_config, rule_options
from validator.cli.main import InputError, cli
from validator.cli.options import load_secrets, read_links, secret_options, utf8_text
from validator.cli.output_options import (
    exit_status,
    format_option,
    judging_options,
    statistics_option,
)
from validator.fix import fix_link
from validator.model import Report, Severity
from validator.report import write_report
from validator.report.check_document import (
    EXTRA_FORMATS,
    check_document,
    open_output,
    writing_to,
)
from validator.report.statistics import write as write_statistics
from validator.report.style import wants_color
from validator.report.terminal import terminal_text
from validator.report.text import render_report, render_summary
from validator.serialize import report_to_dict
from validator.signature import Secret

#: Output formats of ``check``; other modules may add theirs.
OUTPUT_FORMATS: list[str] = ["text", "json", *EXTRA_FORMATS]


@cli.command("check")
@click.argument("urls", nargs=-1)
@format_option(OUTPUT_FORMATS, "text: annotated diagnostics; json: the whole report of each link.")
@judging_options
@statistics_option
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
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, allow_dash=True),
              default=None, help="Write the report to FILE instead of standard output.")
@secret_options()
def check_command(
    urls: tuple[str, ...],
    output_format: str,
    fail_on: str,
    exit_zero: bool,
    quiet: bool,
    color: str,
    statistics: bool,
    accept_language: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: str | None,
    apply_fixes: bool,
    unsafe_fixes: bool,
    redact_pii: bool,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    secrets_file: str | None,
    output: str | None,
) -> None:
    """Check URL... (or - for one link a line on stdin).

    Prints each link with its problems underlined, what the page will do with
    it, and every finding with its code, severity, message and fix. Exit
    status: 0 clean, 1 findings at or above --fail-on (never with --exit-zero),
    2 usage or input error.
    """
    config = build_config(config_path, select, extend_select, ignore, context)
    secrets = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    sources: list[str] = []
    texts: list[str] = []
    for source, text in read_links(urls):
        sources.append(source)
        texts.append(text)
    fixed: list[str | None] = [None] * len(texts)
    if apply_fixes:
        for index, text in enumerate(texts):
            result = fix_link(
                text,
                secret=secrets.secret,
                secrets=secrets.by_app,
                unsafe=unsafe_fixes,
                config=config,
            )
            if result.changed or result.applied:
                fixed[index] = result.fixed
                texts[index] = result.fixed
    reports = check_many(
        texts,
        secret=secrets.secret,
        secrets=secrets.by_app,
        accept_language=accept_language,
        config=config,
    )
    try:
        stream = open_output(output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None
    # A link may hold a known secret (DL309): it is never printed back.
    known = [*([secrets.secret] if secrets.secret else []), *secrets.by_app.values()]
    mask = _secret_mask(known)
    document_fail_on = "error" if fail_on == "never" else fail_on
    with writing_to(stream):
        if statistics and output_format == "text":
            document = check_document(sources, reports, fail_on=document_fail_on)
            buffer = io.StringIO()
            write_statistics(document, buffer)
            stream.write(redact(buffer.getvalue(), mask))
        elif output_format == "json":
            _write_json(sources, reports, fixed, redact_pii, mask)
        elif output_format in EXTRA_FORMATS:
            document = check_document(sources, reports, fail_on=document_fail_on,
                                      redact_pii=redact_pii)
            buffer = io.StringIO()
            write_report(output_format, document, buffer)
            stream.write(redact(buffer.getvalue(), mask))
        else:
            _write_text(sources, reports, fixed, wants_color(color, stream), mask, quiet=quiet)
    failed = fail_on != "never" and any(
        fails(report, cast(Severity, fail_on)) for report in reports
    )
    raise SystemExit(exit_status(failed, exit_zero=exit_zero))


def _secret_mask(known: list[Secret]) -> re.Pattern[str] | None:
    """The pattern of every spelling of the known secrets; without secrets, none to load."""
    if not known:
        return None
    from validator.diagnose import redaction_pattern

    return redaction_pattern(known)


def redact(text: str, mask: re.Pattern[str] | None) -> str:
    """``text`` with every secret ``mask`` matches masked."""
    if mask is None:
        return text
    from validator.diagnose import redact as redact_secrets

    return redact_secrets(text, mask)


def _write_json(
    sources: list[str],
    reports: list[Report],
    fixed: list[str | None],
    redact_pii: bool,
    mask: re.Pattern[str] | None,
) -> None:
    entries = []
    for source, report, fixed_link in zip(sources, reports, fixed, strict=True):
        entry = {"source": source, **report_to_dict(report, redact_pii=redact_pii)}
        if fixed_link is not None:
            entry["fixed"] = fixed_link
        entries.append(entry)
    click.echo(redact(json.dumps(entries, ensure_ascii=False, indent=2), mask))


def _write_text(
    sources: list[str],
    reports: list[Report],
    fixed: list[str | None],
    color: bool,
    mask: re.Pattern[str] | None,
    *,
    quiet: bool = False,
) -> None:
    for source, report, fixed_link in zip(sources, reports, fixed, strict=True):
        if quiet and not report.findings:
            continue
        if fixed_link is not None:
            click.echo(terminal_text(redact(f"fixed: {fixed_link}", mask)), color=color)
        text = render_report(report, source=source, color=color)
        click.echo(redact(text, mask), color=color)
        click.echo("")
    if not quiet:
        count = sum(1 for link in fixed if link is not None)
        click.echo(render_summary(reports, fixed=count), color=color)
