"""Running an audit: plan the tasks, run them in worker processes, sum up, batch rules."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from validator.audit.batch import batch_index
from validator.audit.result import AuditResult
from validator.audit.summary import summarise
from validator.audit.tasks import Task, plan
from validator.audit.worker import AuditSettings, TaskResult, install, run_task
from validator.check import keyring_of
from validator.config import Config
from validator.extract import ReadBudget
from validator.keyring import Keyring
from validator.signature import Secret
from validator.suppression import Suppressions

ProgressCallback = Callable[[int, int, int], None]
"""Called with (files done, files total, links so far) as tasks finish."""


def audit(
    paths: Iterable[str | os.PathLike[str]],
    *,
    secret: Secret | None = None,
    secrets: Mapping[str, Secret] | None = None,
    config: Config | None = None,
    jobs: int | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    render_text: bool = False,
    color: bool = False,
    respect_gitignore: bool = True,
    suppressions: Suppressions | None = None,
    budget: ReadBudget | None = None,
    keyring: Keyring | None = None,
) -> AuditResult:
    """Find every direct link under ``paths``, check each, then run the batch rules.

    ``secret`` signs every app, ``secrets`` maps app ids to their secrets
    (or ``keyring`` gives them, :class:`~validator.keyring.Keyring`);
    ``jobs`` is the number of worker processes (default: the machine's cores,
    1 runs in this process). With ``render_text`` each record with findings
    also carries the check command's annotated text (``color`` for a terminal).
    In folders, what ``.gitignore`` and ``.ignore`` files exclude is skipped
    unless ``respect_gitignore`` is False. ``suppressions`` (inline comments,
    per-file ignores, a baseline) leave findings out of the records and counts.
    ``budget`` is what one file may cost (default: the limits of
    :mod:`validator.spec`); a file over it is unreadable or partial.
    """
    config = config or Config()
    settings = AuditSettings(config, keyring_of(keyring, secret, secrets, ()),
                             tuple(config.allowed_hosts), render_text, color,
                             budget or ReadBudget(), suppressions=suppressions)
    spool_dir = tempfile.mkdtemp(prefix="directlink-audit-")
    try:
        tasks, settled = plan(paths, include, exclude, spool_dir,
                              respect_ignore_files=respect_gitignore)
        results = execute(tasks, settings, jobs, progress)
        paths_out, summary = summarise(results, settled)
        batch = batch_index(tasks, results, config, suppressions)
    except BaseException:
        shutil.rmtree(spool_dir, ignore_errors=True)
        raise
    findings, newly_flagged, severity = batch.totals()
    if findings and severity is not None:
        summary.by_severity[severity] += findings
        summary.by_code["DL310"] += findings
        summary.by_code_severity[("DL310", severity)] += findings
    summary.links_with_findings += newly_flagged
    if batch.suppressed:
        summary.suppressed += batch.suppressed
        summary.unused_suppressions = [
            unused for unused in summary.unused_suppressions
            if (unused["path"], unused["line"]) not in batch.used_comments
        ]
    return AuditResult(paths_out, summary, [task.spool for task in tasks], batch, spool_dir,
                       config)


def execute(tasks: Sequence[Task], settings: AuditSettings, jobs: int | None,
             progress: ProgressCallback | None) -> list[TaskResult]:
    """Run every task, in ``jobs`` worker processes (1: in this one), in order."""
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    results: list[TaskResult] = []
    files_total = len({task.path for task in tasks})
    done_paths: set[str] = set()
    links = 0

    def advance(result: TaskResult) -> None:
        nonlocal links
        results.append(result)
        links += result.links
        done_paths.add(result.path)
        if progress is not None:
            progress(len(done_paths), files_total, links)

    if workers == 1 or len(tasks) <= 1:
        install(settings)
        for task in tasks:
            advance(run_task(task))
        return results
    executor: Executor = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)), initializer=install, initargs=(settings,)
    )
    with executor:
        for result in executor.map(run_task, tasks):
            advance(result)
    return results

