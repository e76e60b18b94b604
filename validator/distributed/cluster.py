"""Connecting to a Dask cluster, or starting one on this machine for the length of an audit."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager

import dask
import distributed.utils
from distributed import Client, LocalCluster

from validator.distributed.errors import ClusterError

#: Dask's setting for how a nanny starts its worker process.
START_METHOD_KEY = "distributed.worker.multiprocessing-method"
#: What the local cluster's fork server imports once, before it forks each worker: the
#: worker itself and the modules its tasks run. The workers share these pages with it
#: instead of each importing them afresh (about 25 MB a worker).
WORKER_PRELOAD = ("distributed", "validator.distributed.partition", "validator.distributed.batch")


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
    (nothing is served) and stops when the block ends. Its workers are forked
    from a fork server that has imported :data:`WORKER_PRELOAD` (see
    :func:`local_start_method`).
    """
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    with dask.config.set({START_METHOD_KEY: local_start_method()}):
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


def local_start_method() -> str:
    """How the local cluster's nannies start their workers: ``forkserver`` where it can.

    Dask spawns each worker (a fresh interpreter that imports ``distributed``,
    ``numpy`` and the audit on its own, some 55 MB). A fork server imports
    them once and forks every worker from itself, so they share those pages.
    Dask's own fork-server set-up would import ``pandas`` and the rest of its
    optional packages into the audit's process and the fork server; it is
    skipped by giving the fork server :data:`WORKER_PRELOAD` first, where
    this version of ``distributed`` lets it. A method the user configured
    (anything but Dask's default, ``spawn``) is kept, as it is where the
    platform has no fork server or ``distributed`` changed its set-up.
    """
    configured = str(dask.config.get(START_METHOD_KEY, "spawn"))
    # distributed.utils.get_mp_context sets the fork server's preload once, unless this is set.
    flag = "_forkserver_preload_set"
    if (configured != "spawn" or "forkserver" not in multiprocessing.get_all_start_methods()
            or not hasattr(distributed.utils, flag)):
        return configured
    if not getattr(distributed.utils, flag):
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_PRELOAD))
        setattr(distributed.utils, flag, True)
    return "forkserver"
