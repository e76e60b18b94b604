"""The local cluster ``dask_client`` starts: workers forked from a preloaded fork server.

Skipped where the ``dask`` extra is not installed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "distributed",
    reason="the dask extra is not installed: pip install 'directlink-validator[dask]'",
)

import dask

from validator.audit import audit
from validator.distributed import dask_audit, dask_client
from validator.distributed.cluster import START_METHOD_KEY, local_start_method

HOST = "https://visitorchat.twt.com/direct"

has_fork_server = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="no fork server on this platform",
)


@has_fork_server
def test_the_local_cluster_forks_its_workers_from_a_fork_server(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("".join(
        f"sent {HOST}/demo_app?direct=1&chatid=c{n}&ranstr=Ranstr{n % 7:010d}x\n"
        for n in range(400)), encoding="utf-8")
    with audit([log], jobs=1) as local:
        expected = list(local.records()), local.summary.to_dict()
    with dask_client(workers=2) as client:
        parents = client.run(os.getppid)
        # Before any task: the fork server imported the tasks' modules, and not pandas.
        loaded = client.run(lambda: ("validator.distributed.partition" in sys.modules,
                                     "pandas" in sys.modules))
        with dask_audit([log], block_bytes=4096) as result:
            got = list(result.records()), result.summary.to_dict()
    # Each worker's parent is the fork server, not the nanny's process.
    assert len(parents) == 2
    assert all(parent != os.getpid() for parent in parents.values())
    assert len(set(parents.values())) == 1
    assert set(loaded.values()) == {(True, False)}
    assert got == expected
    # The start method is the local cluster's only: a user's setting is as it was.
    assert dask.config.get(START_METHOD_KEY) == "spawn"


def test_a_configured_start_method_is_kept() -> None:
    with dask.config.set({START_METHOD_KEY: "fork"}):
        assert local_start_method() == "fork"
