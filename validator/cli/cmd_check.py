"""``directlink check``: every problem of each link, where it is, and what the page will do."""

from __future__ import annotations

import io
from typing import cast

import click

from validator.check import check_many, fails
from validator.cli.config_options import build_config, rule_options
from validator.cli.main import cli
from validator.cli.options import load_secrets, read_links, secret_options, utf8_text
from validator.cli.output_file import report_output
from validator.cli.output_options import (
    check_statistics_format,
    exit_status,
    format_option,
    judging_options,
    statistics_option,
)
from validator.model import Report, Severity
from validator.redact import Redactor
from validator.report import EXTRA_FORMATS, write_report
from validator.report.style import wants_color
from validator.report.terminal import terminal_text
from validator.report.text import render_report, render_summary

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
    check_statistics_format(statistics, output_format)
    config = build_config(config_path, select, extend_select, ignore, context)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    sources: list[str] = []
    texts: list[str] = []
    for source, text in read_links(urls):
        sources.append(source)
        texts.append(text)
    fixed: list[str | None] = [None] * len(texts)
    if apply_fixes:
        from validator.fix import fix_link  # here: a check without --fix needs no fixer

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
    # A link may hold a known secret (DL309): it is never printed back. The
    # redactor masks the spans of each link that reveal one, in the data each
    # format is rendered from; the output filter (every spelling of every
    # secret) stays as a second line of defence.
    redactor = Redactor(keyring, pii=redact_pii)
    last_line = Redactor(keyring)
    document_fail_on = "error" if fail_on == "never" else fail_on
    with report_output(output) as stream:
        if statistics:
            from validator.report.check_document import check_document
            from validator.report.statistics import write as write_statistics

            document = check_document(sources, reports, fail_on=document_fail_on)
            write_statistics(document, stream, output_format)
        elif output_format == "json":
            _write_json(sources, reports, fixed, redactor)
        elif output_format in EXTRA_FORMATS:
            from validator.report.check_document import check_document

            document = check_document(sources, reports, fail_on=document_fail_on,
                                      redactor=redactor)
            buffer = io.StringIO()
            write_report(output_format, document, buffer)
            stream.write(last_line.text(buffer.getvalue()))
        else:
            _write_text(sources, reports, fixed, wants_color(color, stream), redactor,
                        quiet=quiet)
    failed = fail_on != "never" and any(
        fails(report, cast(Severity, fail_on)) for report in reports
    )
    raise SystemExit(exit_status(failed, exit_zero=exit_zero))


def _write_json(
    sources: list[str],
    reports: list[Report],
    fixed: list[str | None],
    redactor: Redactor,
) -> None:
    import json

    from validator.serialize import report_to_dict  # here: text output needs no JSON shape

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
    *,
    quiet: bool = False,
) -> None:
    for source, report, fixed_link in zip(sources, reports, fixed, strict=True):
        if quiet and not report.findings:
            continue
        if fixed_link is not None:
            shown = redactor.text(f"fixed: {fixed_link}", report.link)
            click.echo(terminal_text(shown), color=color)
        text = render_report(report, source=source, color=color)
        click.echo(redactor.text(text, report.link), color=color)
        click.echo("")
    if not quiet:
        count = sum(1 for link in fixed if link is not None)
        click.echo(render_summary(reports, fixed=count), color=color)
