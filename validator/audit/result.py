"""The result of an audit: paths, summary, and every checked link read from the spool."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from validator.audit.batch import BatchIndex
from validator.audit.spool import numbered_lines
from validator.audit.tasks import PathResult
from validator.config import Config
from validator.model import SEVERITY_RANK
from validator.record import Summary
from validator.report import jsonio


class AuditResult:
    """Paths, summary and (read lazily from the spool) every checked link.

    Use it as a context manager, or call :meth:`close`, to delete the spool.
    """

    def __init__(self, paths: list[PathResult], summary: Summary,
                 spools: list[str], batch: BatchIndex, spool_dir: str, config: Config) -> None:
        self.paths = paths
        self.summary = summary
        self.config = config
        self._spools = spools
        self._batch = batch
        self._spool_dir = spool_dir

    def records(self) -> Iterator[dict[str, Any]]:
        """Every checked link, in order: path, then position in the file."""
        for task_index, spool in enumerate(self._spools):
            for number, line in numbered_lines(spool):
                record: dict[str, Any] = jsonio.loads(line)
                key = (task_index, number)
                if self._batch.concerns(key):
                    record["report"]["findings"].extend(self._batch.findings_for(key, record))
                yield record

    def record_lines(self) -> Iterator[str]:
        """Every record as one line of compact JSON, in order, without parsing it again
        (unless a batch finding has to be added)."""
        for task_index, spool in enumerate(self._spools):
            for number, line in numbered_lines(spool):
                key = (task_index, number)
                if self._batch.concerns(key):
                    record = jsonio.loads(line)
                    record["report"]["findings"].extend(self._batch.findings_for(key, record))
                    yield jsonio.dumps(record)
                else:
                    yield line.rstrip("\n")

    def failed(self, fail_on: str = "error") -> bool:
        """True where a finding is at or above ``fail_on`` (``error``, ``warning``, ``info``)."""
        floor = SEVERITY_RANK[fail_on]
        return any(
            count and SEVERITY_RANK[severity] >= floor
            for severity, count in self.summary.by_severity.items()
        )

    def close(self) -> None:
        shutil.rmtree(self._spool_dir, ignore_errors=True)

    def __enter__(self) -> AuditResult:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

