"""Audits beyond one machine: the local audit's checks and batch rules on a Dask cluster.

    >>> from validator.distributed import dask_audit, dask_client
    >>> with dask_client("tcp://scheduler:8786"):
    ...     with dask_audit(["s3://logs/2025/*.log"], secrets=by_app) as result:
    ...         print(result.summary.links, result.summary.by_severity)

Needs the ``dask`` extra (``pip install 'directlink-validator[dask]'``).
"""

from __future__ import annotations

from validator.distributed.cluster import ClusterError, dask_client
from validator.distributed.engine import dask_audit
from validator.distributed.partition import WorkerSettings

__all__ = ["ClusterError", "WorkerSettings", "dask_audit", "dask_client"]
