"""Audit many links: find them in files and folders, check each, then the batch rules.

    >>> import validator
    >>> with validator.audit(["templates/"], secrets=secrets_by_app) as result:
    ...     print(result.summary.links, result.summary.by_severity)
    ...     for record in result.records():
    ...         print(record["location"], record["report"]["findings"])

The work is split into tasks (:mod:`~validator.audit.tasks`), one per file or
per byte range of a large text file (cut at line ends), run in worker
processes (:mod:`~validator.audit.worker`; ``jobs``, default the machine's
cores). Each task writes its checked links as JSON lines into a spool file of
its own (:mod:`~validator.audit.spool`) and sends back only its counts, so
memory stays flat however many links there are. Results are read back in task
order, so the output order is deterministic whatever the number of workers.
The batch rules (:mod:`~validator.audit.batch`, DL310 ``ranstr-reused``) then
look across every link. A signature mismatch is diagnosed against the 32
links before it in the same file (mistake ``other-link-values``), and grouped
by its cause and source in the summary (:mod:`~validator.audit.summary`).

Every path is accounted for in :attr:`AuditResult.paths` (audited, partial,
skipped or unreadable, the last three with a one-line reason) with the links
found in it, and every link in the summary. Each file is read under the
extraction's failure guard (:mod:`validator.extract.guard`), so one hostile
file costs that file only.

The names below are the package's public API; the Dask engine
(:mod:`validator.distributed`) uses only them. The module itself is callable,
so ``validator.audit(paths, ...)`` is :func:`audit` whether or not the package
was imported first.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from validator.audit.batch import (
    SHOWN_LOCATIONS,
    BatchIndex,
    RanstrGroup,
    first_param,
    reuse_template,
)
from validator.audit.result import AuditResult
from validator.audit.run import ProgressCallback, audit
from validator.audit.summary import MAX_LISTED_OPAQUE, AuditSummary, summarise
from validator.audit.tasks import PathResult
from validator.audit.worker import (
    BATCH_WINDOW,
    AuditSettings,
    LinkWindow,
    TaskResult,
    checked_record,
    count_link,
    opaque_record,
    ranstr_hash,
    settle,
)
from validator.record import UNKNOWN_CAUSE, SignatureGroup

__all__ = [
    "BATCH_WINDOW",
    "MAX_LISTED_OPAQUE",
    "SHOWN_LOCATIONS",
    "UNKNOWN_CAUSE",
    "AuditResult",
    "AuditSettings",
    "AuditSummary",
    "BatchIndex",
    "LinkWindow",
    "PathResult",
    "ProgressCallback",
    "RanstrGroup",
    "SignatureGroup",
    "TaskResult",
    "audit",
    "checked_record",
    "count_link",
    "first_param",
    "opaque_record",
    "ranstr_hash",
    "reuse_template",
    "settle",
    "summarise",
]


class _CallableModule(types.ModuleType):
    """``validator.audit`` is both this package and, called, the :func:`audit` function."""

    def __call__(self, *args: Any, **kwargs: Any) -> AuditResult:
        return audit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
