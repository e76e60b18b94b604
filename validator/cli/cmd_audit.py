"""``directlink audit``: find every direct link in files, folders and QR images, and check it."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from typing import TextIO

import click

from validator.audit import AuditResult, ProgressCallback, audit
from validator.cli.config_options import build_config, rule_options
from validator.cli.dask_engine import ENGINES, run_dask_audit
from validator.cli.main import EXIT_CLEAN, EXIT_FINDINGS, InputError, cli
from validator.cli.options import load_secrets, secret_options
from validator.cli.output_file import written_atomically
from validator.extract.budget import ReadBudget
from validator.report import FORMATS, ReportDocument, write_report
from validator.spec import MAX_IMAGE_PIXELS

FAIL_LEVELS = ("error", "warning", "info", "never")


@cli.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, allow_dash=True),
              default=None, help="Write the report to FILE instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's cores).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where to run: this machine, or a Dask cluster (needs the dask extra; "
              "PATHs may then also be fsspec URLs such as s3://bucket/logs/*.log).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler address for --engine dask (default: start a local "
              "cluster of --jobs worker processes).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="In folders, only audit files whose path (relative to the folder given) or "
              "name matches GLOB (repeatable; ** allowed).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders whose relative path or name matches GLOB "
              "(repeatable; vendor/** skips a folder).")
@click.option("--max-image-pixels", type=click.IntRange(min=1), default=MAX_IMAGE_PIXELS,
              show_default=True, metavar="PIXELS",
              help="Refuse (as unreadable) an image declaring more pixels than this, before "
              "decoding it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary: findings only.")
@click.option("--redact-pii", is_flag=True,
              help="Mask email, phone, name, nickname and sbs in every output.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text output (auto: only on a terminal).")
@rule_options
@secret_options(per_app=True)
def audit_command(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_image_pixels: int,
    quiet: bool,
    redact_pii: bool,
    fail_on: str,
    color: str,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: str | None,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    secrets_file: str | None,
) -> None:
    """Find every direct link in PATH... (files, folders, QR images) and check each.

    Folders are walked recursively; binary files are skipped and every path
    is accounted for in the summary. Exit status: 0 clean, 1 findings at or
    above --fail-on (or a path that could not be read, wholly or in part), 2 usage
    error.
    """
    config = build_config(config_path, select, extend_select, ignore, context)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    to_terminal = output in (None, "-") and sys.stdout.isatty()
    use_color = color == "always" or (color == "auto" and to_terminal)
    if scheduler is not None and engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    if engine == "dask":
        result = run_dask_audit(
            paths, scheduler=scheduler, workers=jobs, keyring=keyring, config=config,
            include=include, exclude=exclude,
            render_text=output_format == "text", color=use_color,
        )
    else:
        with _progress(quiet) as progress:
            result = audit(
                paths,
                keyring=keyring,
                config=config,
                jobs=jobs,
                include=include,
                exclude=exclude,
                progress=progress,
                render_text=output_format == "text",
                color=use_color,
                budget=ReadBudget(image_pixels=max_image_pixels),
            )
    with result:
        document = ReportDocument(
            command="audit",
            records_factory=result.records,
            summary=result.summary.to_dict(),
            paths=[asdict(path) for path in result.paths],
            fail_on="error" if fail_on == "never" else fail_on,
            redact_pii=redact_pii,
            lines_factory=result.record_lines,
        )
        with _open_output(output) as stream:
            if output_format == "text" and quiet:
                from validator.report.grouped_text import write_findings

                write_findings(document, stream)
            else:
                write_report(output_format, document, stream)
        failed = _failed(result, fail_on)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _failed(result: AuditResult, fail_on: str) -> bool:
    if result.summary.unreadable or result.summary.partial:
        return True
    return fail_on != "never" and result.failed(fail_on)


@contextlib.contextmanager
def _open_output(output: str | None) -> Iterator[TextIO]:
    if output is None or output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    # Written beside the target and moved over it once whole: never a truncated report.
    with contextlib.ExitStack() as stack:
        try:
            stream = stack.enter_context(written_atomically(output))
        except OSError as error:
            raise InputError(f"cannot write {output}: {error.strerror}") from None
        yield stream


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr, only where stderr is a terminal."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    console = Console(stderr=True)
    with Progress(
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files  {task.fields[links]} links  {task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("audit", total=None, links=0, rate="")

        def update(done: int, total: int, links: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=done, total=total, links=links,
                       rate=f"{links / elapsed:,.0f} links/s")

        yield update
