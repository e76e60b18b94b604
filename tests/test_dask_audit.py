"""The Dask audit on a two-worker LocalCluster (processes): the local audit's findings, exactly.

Skipped where the ``dask`` extra is not installed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "distributed",
    reason="the dask extra is not installed: pip install 'directlink-validator[dask]'",
)

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from click.testing import CliRunner
from dask.delayed import delayed
from distributed import Client, LocalCluster

from validator import Secret, sign
from validator.audit import AuditResult, audit
from validator.cli import cli
from validator.distributed import (
    ClusterError,
    WorkerSettings,
    batch,
    dask_audit,
    dask_client,
    local_processes,
)
from validator.keyring import Keyring
from validator.signature import inner_digest

SECRET_TEXT = "k9-Distributed-Secret-7f3e"
OTHER_SECRET_TEXT = "second-app-secret-55aa"
SECRET = Secret(SECRET_TEXT)
OTHER_SECRET = Secret(OTHER_SECRET_TEXT)
BY_APP = {"shop_app": OTHER_SECRET}
HOST = "https://visitorchat.twt.com/direct"
SHARED_RANSTR = "SharedRanstrQm9yTnx3"
#: Small blocks, so a log file is cut into several partitions.
BLOCK_BYTES = 2048


def signed(app: str, number: int, *, ranstr: str | None = None, good: bool = True,
           secret: Secret = SECRET) -> str:
    sbs = f"cust{number:05d}"
    nonce = ranstr or f"r{number:07d}Zx8Lq2Wm"
    mm = sign(sbs, nonce, secret) if good else sign(sbs, nonce, Secret("not-the-secret"))
    return f"{HOST}/{app}?direct=1&chatid=c{number}&sbs={sbs}&ranstr={nonce}&sbs_mm={mm}"


def write_corpus(root: Path) -> None:
    """Logs (cut into blocks), HTML, CSV, JSON, Markdown, a binary file, a UTF-16 log."""
    logs = root / "logs"
    logs.mkdir(parents=True)
    for file_number in range(4):
        lines = []
        for line_number in range(60):
            number = file_number * 1000 + line_number
            # The shared ranstr appears once in every log file: different workers see them.
            ranstr = SHARED_RANSTR if line_number == 30 else None
            url = signed("demo_app", number, ranstr=ranstr, good=line_number % 13 != 5)
            if line_number % 7 == 0:
                url = url.replace("direct=1&", "")  # DL101
            if line_number % 11 == 0:
                url += "&lang=pt-BR&chat-id=x"  # DL202, DL503
            lines.append(f"2025-01-0{file_number + 1} GET {url} 200 {line_number}")
        # An integrator reused the sbs of the link before (other-link-values, same block).
        sbs_of_first = f"cust{file_number * 1000:05d}"
        mixup_ranstr = f"mixUpRanstr000{file_number}"
        bad = sign(sbs_of_first, mixup_ranstr, SECRET)
        lines.insert(1, f"mixup {HOST}/demo_app?direct=1&chatid=m&sbs=other"
                        f"&ranstr={mixup_ranstr}&sbs_mm={bad}")
        (logs / f"app-{file_number}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (logs / "shop.log").write_text(
        "\n".join(signed("shop_app", n, secret=OTHER_SECRET, good=n != 8003)
                  for n in range(8000, 8008))
        + f"\nreused {signed('shop_app', 99, ranstr=SHARED_RANSTR, secret=OTHER_SECRET)}\n",
        encoding="utf-8",
    )
    # A secret pasted into links (DL309), also inside a redirect wrapper: never shown.
    (logs / "leak.log").write_text(
        f"{HOST}/demo_app?direct=1&chatid=s&app_secret={SECRET_TEXT}\n"
        f"https://www.google.com/url?q={HOST}/shop_app%3Fdirect%3D1%26chatid%3Dt%26secret%3D"
        f"{OTHER_SECRET_TEXT}&sa=D\n",
        encoding="utf-8",
    )
    (logs / "wide.log").write_text(
        "\n".join(f"héllo wörld {signed('demo_app', 5000 + n)}" for n in range(3)),
        encoding="utf-16",
    )
    (logs / "blob.bin").write_bytes(b"\x00\x01\x02binary" + signed("demo_app", 1).encode())
    pages = root / "pages"
    pages.mkdir()
    (pages / "index.html").write_text(
        f'<p><a href="{signed("demo_app", 7000).replace("&", "&amp;")}">chat</a>\n'
        f'<a href="http://visitorchat.twt.com/direct/demo_app?chatid=1">old</a></p>\n',
        encoding="utf-8",
    )
    (pages / "links.csv").write_text(
        "id,link\n1," + signed("demo_app", 7001) + "\n2,{{chat_link}}\n", encoding="utf-8"
    )
    (pages / "feed.json").write_text(
        json.dumps({"items": [{"url": signed("demo_app", 7002, ranstr=SHARED_RANSTR)}]}),
        encoding="utf-8",
    )
    (pages / "README.md").write_text(
        f"See [the chat]({HOST}/YOUR_APP_ID?direct=1&chatid={{SESSION_ID}}).\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dask-corpus")
    write_corpus(root)
    return root


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # INFO, so the worker logs hold every line a task writes (and the secret check means more).
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.INFO) as cluster, \
            Client(cluster) as dask_client:
        yield dask_client


def everything(result: AuditResult) -> dict[str, Any]:
    return {
        "records": list(result.records()),
        "summary": result.summary.to_dict(),
        "paths": result.paths,
    }


def local_audit(paths: list[Any], **options: Any) -> dict[str, Any]:
    with audit(paths, jobs=1, **options) as result:
        return everything(result)


def distributed_audit(paths: list[Any], block_bytes: int = BLOCK_BYTES,
                      **options: Any) -> dict[str, Any]:
    with dask_audit(paths, block_bytes=block_bytes, **options) as result:
        return everything(result)


def test_same_findings_as_the_local_audit(corpus: Path, client: Client) -> None:
    options: dict[str, Any] = {"secret": SECRET, "secrets": BY_APP}
    expected = local_audit([corpus], **options)
    got = distributed_audit([corpus], **options)
    assert got["paths"] == expected["paths"]
    assert got["summary"] == expected["summary"]
    assert got["records"] == expected["records"]
    # The corpus exercises what it should: blocks, skips, batch and signature findings.
    summary = got["summary"]
    assert summary["links"] > 250
    assert summary["skipped"] == 1  # blob.bin
    assert {"DL101", "DL202", "DL307", "DL310", "DL503"} <= set(summary["by_code"])
    causes = {group["cause"] for group in summary["signature_groups"]}
    assert "other-link-values" in causes
    assert "DL309" in summary["by_code"]
    text = json.dumps(got["records"]) + json.dumps(summary)
    assert SECRET_TEXT not in text and OTHER_SECRET_TEXT not in text


def test_ranstr_reused_across_files_on_different_workers(corpus: Path, client: Client) -> None:
    started = time.time()
    got = distributed_audit([corpus / "logs", corpus / "pages"], secret=SECRET, secrets=BY_APP)
    reused = [
        record for record in got["records"]
        if any(f["code"] == "DL310" for f in record["report"]["findings"])
    ]
    files = {record["location"]["path"] for record in reused}
    assert len(reused) == 6  # four logs, shop.log, feed.json
    assert len(files) == 6
    for record in reused:
        (finding,) = [f for f in record["report"]["findings"] if f["code"] == "DL310"]
        assert "is also used by 5 other links" in finding["message"]
        assert record["location"]["line"] in (1, 2, 9, 32)
    # The worker logs say which worker read which file: the reused links were on both.
    readers: dict[str, set[str]] = {}
    for worker, lines in client.get_worker_logs().items():
        for _level, line in lines:
            match = re.search(r"directlink: read (\S+) block \d+: (\d+) links", line)
            if match and int(match.group(2)) and _logged_after(line, started):
                readers.setdefault(match.group(1), set()).add(worker)
    workers_of_reused = set().union(*(readers[path] for path in files))
    assert len(workers_of_reused) == 2


def _logged_after(line: str, started: float) -> bool:
    stamp = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", line)
    if stamp is None:
        return True
    return time.mktime(time.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S")) >= int(started) - 1


def test_a_mismatch_explained_by_a_link_in_another_file(tmp_path: Path, client: Client) -> None:
    first = signed("demo_app", 1)
    mixed = sign("cust00001", "fresh-ranstr-0002", SECRET)
    second = f"{HOST}/demo_app?direct=1&chatid=z&sbs=cust09999&ranstr=fresh-ranstr-0002" \
             f"&sbs_mm={mixed}"
    (tmp_path / "a.log").write_text(f"{first}\n", encoding="utf-8")
    (tmp_path / "b.log").write_text(f"x\n{second}\n", encoding="utf-8")
    got = distributed_audit([tmp_path], secret=SECRET)
    by_path = {record["location"]["path"]: record for record in got["records"]}
    cause = by_path[str(tmp_path / "b.log")]["signature_cause"]
    assert cause["hypothesis"] == "other-link-values"
    assert f"the sbs of the link at {tmp_path / 'a.log'}:1:1" in cause["headline"]
    # The local audit only looks inside one file: the Dask audit looks across partitions.
    local = local_audit([tmp_path], secret=SECRET)
    local_causes = [r.get("signature_cause") for r in local["records"]]
    assert {"hypothesis": "unknown-cause",
            "headline": "signature mismatch of unknown cause"} in local_causes
    groups = {g["cause"]: g["count"] for g in got["summary"]["signature_groups"]}
    assert groups == {"other-link-values": 1}


def test_a_worker_killed_mid_run_loses_no_link(tmp_path: Path, client: Client) -> None:
    for file_number in range(20):
        lines = [f"{signed('demo_app', file_number * 500 + n)} n={n}" for n in range(200)]
        (tmp_path / f"part-{file_number:02d}.log").write_text("\n".join(lines) + "\n")
    expected = local_audit([tmp_path], secret=SECRET)
    outcome: dict[str, Any] = {}

    def run() -> None:
        # Blocks of 8 kB: 100 partitions, each long enough to be caught running.
        outcome["result"] = distributed_audit([tmp_path], block_bytes=8192, secret=SECRET)

    pids = client.run(os.getpid)
    runner = threading.Thread(target=run)
    runner.start()
    victim = _wait_for_busy_worker(client, runner)
    os.kill(pids[victim], signal.SIGKILL)
    runner.join(timeout=60)
    assert not runner.is_alive()
    got = outcome["result"]
    assert got["summary"]["links"] == expected["summary"]["links"] == 20 * 200
    assert got["records"] == expected["records"]
    assert got["summary"] == expected["summary"]
    assert victim not in client.scheduler_info()["workers"] or pids[victim] not in \
        client.run(os.getpid).values()
    client.wait_for_workers(2, timeout=30)


def _wait_for_busy_worker(client: Client, runner: threading.Thread) -> str:
    """A worker computing a check task while others are done: the moment to kill it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert runner.is_alive(), "the audit ended before a worker could be killed"
        busy = client.run_on_scheduler(_busy_check_workers)
        if busy:
            return str(busy)
        time.sleep(0.005)
    raise AssertionError("no check task ran")


def _busy_check_workers(dask_scheduler: Any) -> str | None:
    done = processing = None
    for task in dask_scheduler.tasks.values():
        if not str(task.key).startswith(("read_and_audit", "('read_and_audit")):
            continue
        if task.state == "memory":
            done = task
        elif task.state == "processing" and task.processing_on is not None:
            processing = task.processing_on.address
    return processing if done is not None and processing is not None else None


def test_bags_and_dataframe_columns(client: Client) -> None:
    records = [
        "no link here",
        f"first {signed('demo_app', 1, ranstr=SHARED_RANSTR)}",
        None,
        f"line one\nline two {signed('demo_app', 2)}",
        f"last {signed('demo_app', 3)}",
    ]
    bag = db.from_sequence(records, npartitions=3)
    frame = pd.DataFrame(
        {"url": [signed("demo_app", 4, ranstr=SHARED_RANSTR), "nothing", None]},
        index=[10, 20, 30],
    )
    column = dd.from_pandas(frame, npartitions=2)["url"]
    with dask_audit(bags={"<visits>": bag}, columns={"<crm>": column},
                    secret=SECRET) as result:
        got = list(result.records())
        summary = result.summary.to_dict()
    places = [(r["location"]["path"], r["location"]["part"], r["location"]["line"],
               r["location"]["column"]) for r in got]
    assert places == [
        ("<visits>", "record 2", 1, 7),
        ("<visits>", "record 4", 2, 10),
        ("<visits>", "record 5", 1, 6),
        ("<crm>", "row 10, column 'url'", 1, 1),
    ]
    reused = [r for r in got if any(f["code"] == "DL310" for f in r["report"]["findings"])]
    assert [r["location"]["path"] for r in reused] == ["<visits>", "<crm>"]
    assert summary["links"] == 4
    assert [p.path for p in result.paths] == ["<crm>", "<visits>"]


def test_fsspec_urls_and_globs(corpus: Path, client: Client) -> None:
    url = f"file://{corpus}/logs/app-*.log"
    got = distributed_audit([url], secret=SECRET)
    expected = local_audit(sorted((corpus / "logs").glob("app-*.log")), secret=SECRET)
    assert len(got["records"]) == len(expected["records"]) > 0
    for mine, theirs in zip(got["records"], expected["records"], strict=True):
        assert mine["location"]["path"] == "file://" + theirs["location"]["path"]
        assert {**mine["location"], "path": ""} == {**theirs["location"], "path": ""}
        # DL310 messages name the other links' locations, as URLs here.
        assert json.loads(json.dumps(mine["report"]).replace("file://", "")) == theirs["report"]
    missing = distributed_audit([f"file://{corpus}/nothing-*.log"])
    assert [(p.status, p.reason) for p in missing["paths"]] == [("skipped", "no file matches")]


def test_a_maildir_behind_a_url_is_read_as_the_local_audit_reads_it(
    tmp_path: Path, client: Client
) -> None:
    folder = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    message = "From: a@example.com\nSubject: chat\n\nChat: {}\n"
    (folder / "cur" / "1764576000.M1P1.host:2,S").write_text(message.format(signed("app1", 1)))
    (folder / "new" / "1764576000.M2P1.host").write_text(message.format(signed("app1", 2)))
    (folder / "tmp" / "1764576000.M3P1.host").write_text(message.format(signed("app1", 3)))
    got = distributed_audit([f"file://{folder}"], secret=SECRET)
    expected = local_audit([folder], secret=SECRET)
    assert [(p.status, p.reason) for p in got["paths"]] == [
        (p.status, p.reason) for p in expected["paths"]]
    assert ("skipped", "Maildir tmp/: a message still being delivered") in [
        (p.status, p.reason) for p in got["paths"]]
    assert [r["location"]["part"] for r in got["records"]] == [
        r["location"]["part"] for r in expected["records"]] == ["part 1 text/plain"] * 2
    assert [r["report"] for r in got["records"]] == [r["report"] for r in expected["records"]]


def test_cli_engine_dask_on_a_scheduler(corpus: Path, client: Client) -> None:
    runner = CliRunner()
    environment = {"DIRECTLINK_SECRET": SECRET_TEXT}
    arguments = ["audit", str(corpus / "logs"), "--format", "json"]
    local = runner.invoke(cli, arguments, env=environment)
    remote = runner.invoke(
        cli, [*arguments, "--engine", "dask", "--scheduler", client.scheduler.address],
        env=environment,
    )
    assert local.exit_code == remote.exit_code == 1, remote.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    wrong = runner.invoke(cli, [*arguments, "--scheduler", client.scheduler.address])
    assert wrong.exit_code == 2
    assert "--scheduler needs --engine dask" in wrong.output


def test_no_secret_in_task_keys_or_logs(corpus: Path, client: Client) -> None:
    one = WorkerSettings(config=None, keyring=Keyring(SECRET))  # type: ignore[arg-type]
    two = WorkerSettings(config=None, keyring=Keyring(SECRET))  # type: ignore[arg-type]
    from dask.base import tokenize

    # Task keys hash their arguments: the settings' token is random, not the secret's hash.
    assert tokenize(one) != tokenize(two)
    # A failed task's arguments are logged with their repr: the secret is masked there.
    assert SECRET_TEXT not in repr(one) and "Secret('********')" in repr(one)
    distributed_audit([corpus / "logs"], secret=SECRET, secrets=BY_APP)
    logs = [line for lines in client.get_worker_logs().values() for _, line in lines]
    logs += [line for lines in client.get_worker_logs(nanny=True).values() for _, line in lines]
    logs += [line for _, line in client.get_scheduler_logs()]
    assert any("directlink: read" in line for line in logs)  # the logs were captured
    text = "\n".join(logs)
    inner = inner_digest("cust00000", SECRET)
    for forbidden in (SECRET_TEXT, OTHER_SECRET_TEXT, inner):
        assert forbidden not in text


def test_many_hash_buckets_give_the_same_findings(
    corpus: Path, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One bucket per partition: the DL310 links of different files meet in different buckets.
    monkeypatch.setattr(batch, "PARTITIONS_PER_BUCKET", 1)
    paths = [corpus / "logs", corpus / "pages"]
    got = distributed_audit(paths, block_bytes=8192, secret=SECRET, secrets=BY_APP)
    expected = local_audit(paths, secret=SECRET, secrets=BY_APP)
    assert got["records"] == expected["records"]
    assert got["summary"] == expected["summary"]
    assert got["summary"]["by_code"]["DL310"] == 6


def test_without_a_cluster_on_a_local_scheduler(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text(
        "\n".join(signed("demo_app", n, ranstr=SHARED_RANSTR if n < 2 else None)
                  for n in range(30)), encoding="utf-8")
    expected = local_audit([tmp_path], secret=SECRET)
    with dask.config.set(scheduler="synchronous"):
        got = distributed_audit([tmp_path], block_bytes=1024, secret=SECRET)
    assert got == expected


def test_on_local_processes_the_same_as_the_local_audit(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask's own scheduler on two local processes (the CLI's local run), the records kept in
    files between the passes: every path, record, cause and DL310 as the local audit's."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    options: dict[str, Any] = {"secret": SECRET, "secrets": BY_APP}
    expected = local_audit([corpus], **options)
    with local_processes(2):
        got = distributed_audit([corpus], **options)
        bag = db.from_sequence([f"a {signed('demo_app', 1, ranstr=SHARED_RANSTR)}", None,
                                f"b {signed('demo_app', 2, ranstr=SHARED_RANSTR)}"],
                               npartitions=2)
        with dask_audit(bags={"<visits>": bag}, secret=SECRET) as result:
            in_bag = [(r["location"]["part"],
                       any(f["code"] == "DL310" for f in r["report"]["findings"]))
                      for r in result.records()]
            (spool_dir,) = tmp_path.glob("directlink-dask-audit-*")
            # The records waited in files next to the spool; they are gone once collected.
            assert [path.suffix for path in spool_dir.iterdir()] == [".jsonl"] * 2
    assert got == expected
    assert got["summary"]["by_code"]["DL310"] == 6
    assert "other-link-values" in {g["cause"] for g in got["summary"]["signature_groups"]}
    assert in_bag == [("record 1", True), ("record 3", True)]
    assert not spool_dir.exists()


def test_records_kept_in_a_file_read_back_as_in_memory(tmp_path: Path) -> None:
    from dask.sizeof import sizeof

    from validator.config import Config
    from validator.distributed import partition, sources

    log = tmp_path / "app.log"
    log.write_text("\n".join(signed("demo_app", n) for n in range(300)), encoding="utf-8")
    entry = sources.FileEntry(str(log), str(log), "text", local=True)
    folder = tmp_path / "records"
    folder.mkdir()
    in_memory = partition.read_and_audit(sources.WholeFile(entry),
                                         WorkerSettings(Config(), Keyring(SECRET)))
    in_files = partition.read_and_audit(sources.WholeFile(entry), WorkerSettings(
        Config(), Keyring(SECRET), records_folder=str(folder)))
    assert in_files.lines() == in_memory.lines()
    assert len(in_files.lines()) == 300
    assert all(isinstance(segment.rests, partition.Stored) for segment in in_files.segments)
    assert sizeof(in_files) < 10_000 < sizeof(in_memory)
    for stored in folder.iterdir():
        stored.write_bytes(stored.read_bytes()[:100])
    with pytest.raises(OSError, match="cut short"):
        in_files.lines()


def test_the_cli_local_run_does_not_load_distributed(corpus: Path, tmp_path: Path) -> None:
    """``--engine dask`` without ``--scheduler``: the local audit's report, and neither
    ``distributed`` nor ``numpy`` (some 30 MB) in the audit's process."""
    script = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from validator.cli import cli\n"
        "result = CliRunner().invoke(cli, sys.argv[1:])\n"
        "print(json.dumps([result.exit_code, result.output,\n"
        "                  'distributed' in sys.modules, 'numpy' in sys.modules]))\n"
    )
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "DIRECTLINK_SECRET": SECRET_TEXT, "PYTHONPATH": str(root)}
    reports = []
    for engine in (["--engine", "local"], ["--engine", "dask"]):
        output = tmp_path / f"{engine[1]}.json"
        ran = subprocess.run(
            [sys.executable, "-c", script, "audit", str(corpus / "logs"), "--format", "json",
             "--output", str(output), "--jobs", "2", *engine],
            capture_output=True, text=True, env=environment, check=True)
        exit_code, printed, has_distributed, has_numpy = json.loads(ran.stdout)
        assert exit_code == 1, printed
        assert (has_distributed, has_numpy) == (False, False)
        reports.append(json.loads(output.read_text(encoding="utf-8")))
    assert reports[1] == reports[0]
    assert reports[0]["summary"]["links"] > 250


def test_a_local_worker_that_dies_is_one_clear_error() -> None:
    with pytest.raises(ClusterError, match="a local worker process died"), local_processes(1):
        dask.compute(delayed(os._exit)(3))


@pytest.mark.parametrize("block_bytes", [1, 2, 7, 40, 95, 4096])
@pytest.mark.parametrize("text", [
    "", "\n", "\n\n\nx\n", f"a {HOST}/demo_app?direct=1&chatid=1\n\n",
    "".join(f"line {n} {HOST}/demo_app?direct=1&chatid={n}\r\n" * (n % 3) for n in range(9)),
    f"{HOST}/demo_app?direct=1&chatid=no-final-newline",
])
def test_blocks_are_streamed_as_fsspec_cuts_them(
    tmp_path: Path, text: str, block_bytes: int
) -> None:
    """A block read a chunk at a time holds the links and newlines of ``read_block``'s cut."""
    import fsspec
    from fsspec.utils import read_block

    from validator.distributed import sources
    from validator.extract.candidates import LinkFilter

    log = tmp_path / "app.log"
    log.write_bytes(text.encode("utf-8"))
    entry = sources.FileEntry(str(log), str(log), "text", local=True)
    units = sources.plan_units(sources.survey(entry), block_bytes)
    links, newlines = [], []
    for unit in units:
        found = sources.read_unit(unit, LinkFilter(None))
        links.append([(link.url, link.location.line) for link, _ in found.links])
        newlines.append(found.newlines)
    expected_links, expected_newlines = [], []
    for unit in units:
        if isinstance(unit, sources.TextBlock):
            with fsspec.open(unit.entry.url, "rb") as stream:
                data = read_block(stream, unit.offset, unit.length, delimiter=b"\n")
        else:
            data = log.read_bytes()
        scanned = sources.scan_string(data.decode("utf-8"), path=str(log), kind="text",
                                      link_filter=LinkFilter(None))
        expected_links.append([(link.url, link.location.line) for link in scanned])
        expected_newlines.append(data.count(b"\n") if isinstance(unit, sources.TextBlock) else 0)
    assert links == expected_links
    assert newlines == expected_newlines


@pytest.mark.parametrize("segment_bytes", [1, 3000])
def test_records_in_many_segments_are_collected_in_order(
    corpus: Path, segment_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition's records cut into segments (one record each, or a few) come back whole."""
    from validator.distributed import partition

    monkeypatch.setattr(partition, "SEGMENT_BYTES", segment_bytes)
    paths = [corpus / "logs", corpus / "pages"]
    expected = local_audit(paths, secret=SECRET, secrets=BY_APP)
    with dask.config.set(scheduler="synchronous"):
        got = distributed_audit(paths, secret=SECRET, secrets=BY_APP)
    assert got == expected


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    address = "tcp://127.0.0.1:9"
    expected = re.escape(f"cannot reach the Dask scheduler at {address}")
    with pytest.raises(ClusterError, match=expected), dask_client(address, timeout=1):
        pass  # pragma: no cover - never reached


@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
@pytest.mark.parametrize("lines", [[], [b""], [b"a"], [b"x" * 100_000, b"", b"{}"],
                                   [b"%d" % n * (n % 50) for n in range(2_000)]])
def test_partition_lines_are_read_a_piece_at_a_time_as_a_whole(
    lines: list[bytes], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streamed reading of a partition's records gives the lines the whole text holds."""
    import zlib

    from validator.distributed import partition

    monkeypatch.setattr(partition, "_READ_CHUNK", chunk)
    packer = zlib.compressobj(1)
    compressed = b"".join([packer.compress(b"".join(line + b"\n" for line in lines)),
                           packer.flush()])
    assert list(partition._lines(compressed)) == zlib.decompress(compressed).split(b"\n")[:-1]
    assert list(partition._lines(compressed)) == lines


def test_dask_weighs_a_partition_by_the_records_it_holds(tmp_path: Path) -> None:
    """The scheduler moves a partition only where that is worth its size: it must know it."""
    from dask.sizeof import sizeof

    from validator.config import Config
    from validator.distributed import partition, sources

    log = tmp_path / "app.log"
    log.write_text("\n".join(signed("demo_app", n) for n in range(300)), encoding="utf-8")
    entry = sources.FileEntry(str(log), str(log), "text", local=True)
    settings = WorkerSettings(Config(), Keyring(SECRET))
    audited = partition.read_and_audit(sources.WholeFile(entry), settings)
    held = sum(len(segment.locations) + len(segment.rests) for segment in audited.segments)
    assert held > 10_000
    assert sizeof(audited) >= held
