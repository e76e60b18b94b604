"""Dask's own multiprocessing scheduler on this machine: the leanest way to run a local audit.

A ``distributed`` cluster (a scheduler, nannies, workers that each load
``distributed`` and ``numpy``) is about 150 MB before it reads a link, more
than the whole local audit. On one machine none of it is needed: Dask's
``processes`` scheduler runs the same task graphs in a pool of worker
processes, and every task shares the machine's disk, so the checked records
wait in files (see :attr:`~validator.distributed.partition.WorkerSettings.records_folder`)
instead of in a worker's memory. The pool's workers are forked from this
process where the platform can, as the local audit's are, so they share its
loaded modules; ``distributed`` is never imported.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import dask
import dask.multiprocessing

from validator.distributed.errors import ClusterError


@contextmanager
def local_processes(workers: int | None = None) -> Iterator[None]:
    """Within the block, Dask computes on ``workers`` local processes (default: one per core).

    Each task is handed to a worker on its own (Dask's default hands out six
    at a time, which leaves a worker idle while another has several blocks
    to check).
    """
    count = max(1, workers or os.cpu_count() or 1)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        pool = ProcessPoolExecutor(count, mp_context=context)
        # Start every worker now, while this process runs no other thread.
        for started in [pool.submit(os.getpid) for _ in range(count)]:
            started.result()
    except OSError as error:
        raise ClusterError(f"cannot start {count} local worker processes: {error}") from None
    # The scheduler is given as the function, not by name: for a name, Dask imports
    # distributed to see whether a client is running.
    scheduler = functools.partial(dask.multiprocessing.get, pool=pool, chunksize=1)
    with pool, dask.config.set(scheduler=scheduler):
        try:
            yield
        except BrokenProcessPool as error:
            # As the local audit, no partial result: the run stops, in one line.
            raise ClusterError(f"a local worker process died: {error}") from None
