"""``directlink audit``: find every direct link in files, folders and QR images, and check it."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from typing import Any

import click

from validator.audit import AuditResult, ProgressCallback, audit
from validator.cli.config_options import build_config, rule_options
from validator.cli.dask_engine import ENGINES, run_dask_audit
from validator.cli.main import EXIT_CLEAN, EXIT_FINDINGS, InputError, cli
from validator.cli.options import load_secrets, secret_options
from validator.cli.output_file import report_output
from validator.cli.output_options import (
    check_statistics_format,
    exit_status,
    format_option,
    judging_options,
    statistics_option,
)
from validator.config import Config
from validator.extract.budget import ReadBudget
from validator.fix_files import FixPlan, plan_fixes
from validator.report import FORMATS, Record, ReportDocument, write_report
from validator.report.document import path_problem, paths_not_read
from validator.report.statistics import write as write_statistics
from validator.report.style import wants_color
from validator.report.terminal import terminal_text as safe_line
from validator.report.wording import plural
from validator.rules import resolve_selectors
from validator.spec import MAX_IMAGE_PIXELS
from validator.suppression import (
    BaselineError,
    Suppressions,
    baseline_counts,
    read_baseline,
    write_baseline,
)

#: How ``audit -`` names standard input in every format (as ``check`` does).
STDIN_NAME = "<stdin>"


@cli.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(list(FORMATS))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, allow_dash=True),
              default=None, help="Write the report to FILE instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's cores).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where to run: this machine, or a Dask cluster (needs the dask extra; "
              "PATHs may then also be fsspec URLs such as s3://bucket/logs/*.log).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler address for --engine dask (default: Dask's own scheduler "
              "on --jobs local worker processes).")
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
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="In folders, skip what .gitignore and .ignore files exclude, as git does.")
@click.option("--stdin-filename", metavar="NAME", default=None,
              help="With PATH -, read standard input as the file NAME would be read (its "
              "suffix picks the reader: .html, .csv ...) and name it so in the report.")
@click.option("--skip-unsupported", is_flag=True, default=False,
              help="Skip files whose reader needs an extra that is not installed, instead of "
              "failing with exit status 2.")
@click.option("--baseline", "baseline_file", metavar="FILE", default=None,
              help="Leave out the findings recorded in FILE (see --write-baseline): only new "
              "ones are reported and fail the run.")
@click.option("--write-baseline", "write_baseline_file", metavar="FILE", default=None,
              help="Record every current finding's fingerprint in FILE and exit 0: adopt the "
              "tool on a repository with existing problems.")
@click.option("--fix", "apply_fixes", is_flag=True, default=False,
              help="Rewrite each fixable link in its file (safe fixes), then report what "
              "remains.")
@click.option("--unsafe-fixes", is_flag=True, default=False,
              help="With --fix or --diff, also apply fixes that change what the page does.")
@click.option("--diff", "show_diff", is_flag=True, default=False,
              help="Print the changes --fix would make as a unified diff, change nothing; "
              "exit 1 if there is any.")
@judging_options
@statistics_option
@click.option("--redact-pii", is_flag=True,
              help="Mask email, phone, name, nickname and sbs in every output.")
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
    respect_gitignore: bool,
    stdin_filename: str | None,
    skip_unsupported: bool,
    baseline_file: str | None,
    write_baseline_file: str | None,
    apply_fixes: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    max_image_pixels: int,
    fail_on: str,
    exit_zero: bool,
    quiet: bool,
    color: str,
    statistics: bool,
    redact_pii: bool,
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
    """Find every direct link in PATH... (files, folders, QR images; - for standard input)
    and check each.

    Folders are walked recursively; binary files are skipped and every path
    is accounted for in the summary. Exit status: 0 clean, 1 findings at or
    above --fail-on (0 with --exit-zero) or a path that could not be read,
    wholly or in part, 2 usage error, or a file whose reader needs a missing
    extra (unless --skip-unsupported).
    """
    check_statistics_format(statistics, output_format)
    config = build_config(config_path, select, extend_select, ignore, context)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    to_terminal = output in (None, "-")
    # --color always colours a report file too; auto only a terminal.
    use_color = output_format == "text" and (
        wants_color(color, sys.stdout) if to_terminal else color == "always"
    )
    if scheduler is not None and engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    if engine == "dask" and not respect_gitignore:
        raise InputError("--no-respect-gitignore is not available with --engine dask")
    if stdin_filename is not None and "-" not in paths:
        raise InputError("--stdin-filename needs - among the paths")
    if (apply_fixes or show_diff) and "-" in paths:
        raise InputError("--fix and --diff rewrite files: standard input (-) has none")
    if unsafe_fixes and not (apply_fixes or show_diff):
        raise InputError("--unsafe-fixes goes with --fix or --diff")

    # A baseline being written records every finding, the old baseline's included.
    suppressions = _suppressions(config, None if write_baseline_file else baseline_file)

    def run(audited_paths: list[str]) -> AuditResult:
        if engine == "dask":
            return run_dask_audit(
                audited_paths, scheduler=scheduler, workers=jobs, keyring=keyring,
                config=config, include=include, exclude=exclude,
                render_text=output_format == "text", color=use_color,
            )
        with _progress(quiet) as progress:
            return audit(
                audited_paths,
                keyring=keyring,
                config=config,
                jobs=jobs,
                include=include,
                exclude=exclude,
                progress=progress,
                render_text=output_format == "text",
                color=use_color,
                respect_gitignore=respect_gitignore,
                suppressions=suppressions,
                budget=ReadBudget(image_pixels=max_image_pixels),
            )

    with _stdin_as_file(paths, stdin_filename) as (audited_paths, renames):
        result = run(audited_paths)
        if write_baseline_file is not None:
            with result:
                counts = baseline_counts(result.records())
            _write_baseline(write_baseline_file, counts, quiet=quiet)
            raise SystemExit(EXIT_CLEAN)
        if apply_fixes or show_diff:
            with result:
                plan = plan_fixes(result.records(), keyring=keyring, unsafe=unsafe_fixes,
                                  config=config)
            _report_not_fixable(plan, quiet=quiet)
            if show_diff:
                for changed in plan.changed:
                    sys.stdout.write(changed.diff())
                sys.stdout.flush()
                raise SystemExit(EXIT_FINDINGS if plan.changed else EXIT_CLEAN)
            plan.write()
            if not quiet:
                fixed_links = sum(item.links_fixed for item in plan.changed)
                click.echo(f"fixed {plural(fixed_links, 'link')} in "
                           f"{plural(len(plan.changed), 'file')}", err=True)
            result = run(audited_paths)  # what remains, reported as usual
        with result:
            path_dicts = [asdict(path) for path in result.paths]
            summary = result.summary.to_dict()
            if skip_unsupported:
                path_dicts, summary = _skipping_unsupported(path_dicts, summary)
            document = ReportDocument(
                command="audit",
                records_factory=_renaming(result.records, renames),
                summary=_renamed(summary, renames),
                paths=_renamed(path_dicts, renames),
                fail_on="error" if fail_on == "never" else fail_on,
                redact_pii=redact_pii,
                lines_factory=None if renames else result.record_lines,
            )
            with report_output(output) as stream:
                if statistics:
                    write_statistics(document, stream, output_format)
                elif output_format == "text" and quiet:
                    from validator.report.grouped_text import write_findings

                    write_findings(document, stream)
                else:
                    write_report(output_format, document, stream)
            failed = fail_on != "never" and result.failed(fail_on)
            links = result.summary.links + result.summary.opaque
    if not quiet:
        for unused in document.summary.get("unused_suppressions", []):
            click.echo(f"warning: {safe_line(unused['path'])}:{unused['line']}: unused "
                       f"suppression {safe_line(unused['comment'])} (it silences nothing; "
                       "remove it)", err=True)
    unsupported = [path for path in document.paths if path.get("status") == "unsupported"]
    not_read = [path for path in paths_not_read(document) if path.get("status") != "unsupported"]
    if not quiet:
        _warn_not_read(not_read)
        if not links and not unsupported:
            click.echo("warning: no direct links found in any file; check the paths and "
                       "allowed-hosts", err=True)
    if unsupported:
        _fail_unsupported(unsupported)
    if not_read:
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(exit_status(failed, exit_zero=exit_zero))


def _suppressions(config: Config, baseline_file: str | None) -> Suppressions:
    """Inline comments, the configuration's per-file ignores and the baseline, if any."""
    baseline: dict[str, int] = {}
    if baseline_file is not None:
        try:
            baseline = read_baseline(baseline_file)
        except BaselineError as error:
            raise InputError(str(error)) from None
    root = os.path.dirname(config.source) if config.source else "."
    per_file = tuple((glob, resolve_selectors(rules)) for glob, rules in config.per_file_ignores)
    return Suppressions(per_file_ignores=per_file, root=root or ".", baseline=baseline)


def _write_baseline(path: str, counts: Mapping[str, int], *, quiet: bool) -> None:
    try:
        write_baseline(path, counts)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    if not quiet:
        click.echo(f"wrote {plural(sum(counts.values()), 'finding')} to the baseline {path}; "
                   f"audit with --baseline {path} to report only new ones", err=True)


def _report_not_fixable(plan: FixPlan, *, quiet: bool) -> None:
    if quiet:
        return
    for item in plan.not_fixable:
        click.echo(f"{safe_line(item.path)}:{item.line}:{item.column}: not fixable: "
                   f"{safe_line(item.reason)}", err=True)


def _skipping_unsupported(
    paths: list[dict[str, Any]], summary: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``--skip-unsupported``: a file needing a missing extra counts as skipped."""
    skipped = [{**path, "status": "skipped"} if path.get("status") == "unsupported" else path
               for path in paths]
    moved = summary.get("unsupported", 0)
    return skipped, {**summary, "skipped": summary["skipped"] + moved, "unsupported": 0}


def _warn_not_read(not_read: list[dict[str, Any]]) -> None:
    for path in not_read:
        click.echo(f"error: {safe_line(path['path'])}: {safe_line(path_problem(path))}", err=True)


def _fail_unsupported(unsupported: list[dict[str, Any]]) -> None:
    """Fail closed: a file nobody read must not give a green run."""
    for path in unsupported:
        click.echo(f"error: {safe_line(path['path'])}: {safe_line(path_problem(path))}", err=True)
    count = plural(len(unsupported), "file")
    raise InputError(f"{count} could not be read without an extra (install it, or pass "
                     "--skip-unsupported to skip such files)")


@contextlib.contextmanager
def _stdin_as_file(
    paths: tuple[str, ...], name: str | None
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``-`` among the paths: standard input, saved to a file the audit reads like any other.

    Yields the paths to audit and the renames (saved file -> the name the report shows).
    """
    if "-" not in paths:
        yield list(paths), {}
        return
    if paths.count("-") > 1:
        raise InputError("- (standard input) can be given once")
    with tempfile.TemporaryDirectory(prefix="directlink-stdin-") as folder:
        saved = os.path.join(folder, os.path.basename(name) if name else "stdin.txt")
        with open(saved, "wb") as stream:
            shutil.copyfileobj(sys.stdin.buffer, stream)
        shown = name or STDIN_NAME
        yield [saved if path == "-" else path for path in paths], {saved: shown}


def _renamed(value: Any, renames: dict[str, str]) -> Any:
    """``value`` with every saved-stdin path string shown as its display name."""
    if not renames:
        return value
    if isinstance(value, str):
        return renames.get(value, value)
    if isinstance(value, dict):
        return {renames.get(key, key): _renamed(item, renames) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, renames) for item in value]
    return value


def _renaming(
    records: Callable[[], Iterator[Record]], renames: dict[str, str]
) -> Callable[[], Iterator[Record]]:
    if not renames:
        return records
    return lambda: (_renamed(record, renames) for record in records())


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
