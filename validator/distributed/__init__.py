"""Audits beyond one machine: the local audit's checks and batch rules on a Dask cluster.

    >>> from validator.distributed import dask_audit, dask_client
    >>> with dask_client("tcp://scheduler:8786"):
    ...     with dask_audit(["s3://logs/2025/*.log"], secrets=by_app) as result:
    ...         print(result.summary.links, result.summary.by_severity)

On one machine, :func:`local_processes` runs the same audit on Dask's own
multiprocessing scheduler, without ``distributed``.

Needs the ``dask`` extra (``pip install 'directlink-validator[dask]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from validator.distributed.engine import dask_audit
from validator.distributed.errors import ClusterError
from validator.distributed.local import local_processes
from validator.distributed.partition import WorkerSettings

if TYPE_CHECKING:
    from validator.distributed.cluster import dask_client

__all__ = ["ClusterError", "WorkerSettings", "dask_audit", "dask_client", "local_processes"]


def __getattr__(name: str) -> Any:
    # distributed (and numpy, which it imports) is loaded only for a cluster: some 30 MB.
    if name == "dask_client":
        from validator.distributed.cluster import dask_client

        return dask_client
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
