"""``directlink audit --engine dask``: the audit on a Dask cluster, user errors as one line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import AbstractContextManager

from validator.audit import AuditResult
from validator.cli.main import InputError
from validator.config import Config
from validator.keyring import Keyring

ENGINES = ("local", "dask")


def run_dask_audit(
    paths: Sequence[str | os.PathLike[str]],
    *,
    scheduler: str | None,
    workers: int | None,
    keyring: Keyring,
    config: Config,
    include: Sequence[str],
    exclude: Sequence[str],
    render_text: bool,
    color: bool,
) -> AuditResult:
    """Audit on the scheduler at ``scheduler``, or on Dask's scheduler of ``workers`` local
    processes (no ``distributed`` cluster: see :mod:`validator.distributed.local`)."""
    try:
        from validator.distributed import ClusterError, dask_audit, local_processes
    except ImportError:
        raise InputError(
            "--engine dask needs the dask extra: pip install 'directlink-validator[dask]'"
        ) from None
    try:
        if scheduler is None:
            computing: AbstractContextManager[object] = local_processes(workers)
        else:
            from validator.distributed import dask_client

            computing = dask_client(scheduler)
        with computing:
            return dask_audit(
                paths,
                keyring=keyring,
                config=config,
                include=include,
                exclude=exclude,
                render_text=render_text,
                color=color,
            )
    except ClusterError as error:
        raise InputError(str(error)) from None
