"""Connecting to a Dask cluster, or starting one on this machine for the length of an audit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster


class ClusterError(RuntimeError):
    """The scheduler cannot be reached or the local cluster cannot start: one line for the user."""


@contextmanager
def dask_client(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    threads_per_worker: int = 1,
    processes: bool = True,
    timeout: float = 10.0,
) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new :class:`LocalCluster`.

    The local cluster runs ``workers`` worker processes (Dask's default: one
    per core) of ``threads_per_worker`` threads each: the checks are pure
    Python, so processes, not threads, give parallelism. It has no dashboard
    (nothing is served) and stops when the block ends.
    """
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    try:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot start a local Dask cluster: {error}") from None
    with cluster, Client(cluster) as client:
        yield client
