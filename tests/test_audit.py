"""audit(): every path and link accounted for, batch rules, grouping, parallel determinism."""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest.mock import ANY

import pytest
from audit_fixtures import BASE, SECRET, write_tree
from click.testing import CliRunner

import validator.audit.tasks as audit_tasks
from validator.audit import audit
from validator.cli import cli


def records_of(root: Path, **kwargs: object) -> tuple[list[dict[str, object]], dict[str, object]]:
    with audit([root], **kwargs) as result:  # type: ignore[arg-type]
        return list(result.records()), result.summary.to_dict()


def test_every_path_is_audited_skipped_or_unreadable(tmp_path: Path) -> None:
    write_tree(tmp_path)
    with audit([tmp_path], secret=SECRET, jobs=1) as result:
        statuses = {os.path.relpath(p.path, tmp_path): (p.status, p.reason) for p in result.paths}
        summary = result.summary
    assert statuses == {
        "assets/logo.bin": ("skipped", "binary file"),
        "exports/links.csv": ("audited", None),
        "logs/app.log": ("audited", None),
        "logs/rotated.log": ("unreadable", "broken symbolic link"),
        "templates/reminder.html": ("audited", None),
        "templates/welcome.html": ("audited", None),
    }
    assert summary.files == 6
    assert (summary.audited, summary.skipped, summary.unreadable) == (4, 1, 1)
    assert summary.links == 3 + 2 + 2 + 30


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_unreadable_and_the_rest_audited(
    tmp_path: Path,
) -> None:
    paths = write_tree(tmp_path)
    paths["exports/links.csv"].chmod(0)
    with audit([tmp_path], jobs=1) as result:
        by_path = {p.path: p for p in result.paths}
        assert by_path[str(paths["exports/links.csv"])].status == "unreadable"
        assert result.summary.links == 3 + 2 + 30


def test_parallel_output_is_identical_to_serial(tmp_path: Path) -> None:
    write_tree(tmp_path)
    serial = records_of(tmp_path, secret=SECRET, jobs=1)
    parallel = records_of(tmp_path, secret=SECRET, jobs=2)
    assert serial == parallel
    paths = [record["location"]["path"] for record in serial[0]]  # type: ignore[index]
    assert paths == sorted(paths)


def test_large_text_files_are_split_without_losing_or_moving_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "big.log"
    lines = [f"{n} {'x' * (n % 50)} {BASE}?direct=1&chatid=c{n}&ranstr=R{n:015d}" for n in
             range(1, 2001)]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, _ = records_of(tmp_path, jobs=1)
    monkeypatch.setattr(audit_tasks, "SPLIT_BYTES", 4096)
    split, summary = records_of(tmp_path, jobs=2)
    assert split == whole
    assert summary["links"] == 2000
    assert [(r["location"]["line"], r["location"]["column"]) for r in split] == [  # type: ignore[index]
        (n, len(f"{n} {'x' * (n % 50)} ") + 1) for n in range(1, 2001)
    ]


def test_ranstr_reused_across_files_is_reported_on_each_link(tmp_path: Path) -> None:
    write_tree(tmp_path)
    records, summary = records_of(tmp_path, secret=SECRET, jobs=2)
    reused = [
        (record["location"]["path"], finding["message"])  # type: ignore[index]
        for record in records
        for finding in record["report"]["findings"]  # type: ignore[index]
        if finding["code"] == "DL310"
    ]
    assert len(reused) == 2
    assert {os.path.basename(path) for path, _ in reused} == {"welcome.html", "links.csv"}
    assert all("r4nd0mR4nstr0001" in message and "also used by 1 other link: at " in message
               for _, message in reused)
    assert summary["by_code"]["DL310"] == 2  # type: ignore[index]


def test_ranstr_reuse_stays_linear_and_names_a_few_places(tmp_path: Path) -> None:
    log = tmp_path / "constant.log"
    log.write_text("".join(f"{BASE}?direct=1&chatid=c{n}&ranstr=abc\n" for n in range(3000)),
                   encoding="utf-8")
    records, summary = records_of(tmp_path, jobs=1)
    messages = [f["message"] for r in records for f in r["report"]["findings"]  # type: ignore[index]
                if f["code"] == "DL310"]
    assert len(messages) == 3000
    assert summary["by_code"]["DL310"] == 3000  # type: ignore[index]
    assert messages[0] == (
        f"ranstr='abc' is also used by 2999 other links: at {log}:2:1, {log}:3:1, {log}:4:1, "
        f"{log}:5:1, {log}:6:1 and 2994 more"
    )


def test_the_same_link_twice_is_no_ranstr_reuse(tmp_path: Path) -> None:
    (tmp_path / "twice.log").write_text(f"{BASE}?direct=1&chatid=c&ranstr=abc\n" * 2,
                                        encoding="utf-8")
    _, summary = records_of(tmp_path, jobs=1)
    assert "DL310" not in summary["by_code"]  # type: ignore[operator]


def test_signature_mismatches_grouped_by_cause_and_source(tmp_path: Path) -> None:
    write_tree(tmp_path)
    _, summary = records_of(tmp_path, secret=SECRET, jobs=2)
    groups = {group["cause"]: group for group in summary["signature_groups"]}  # type: ignore[attr-defined]
    upper = groups["uppercase-hex"]
    assert upper["count"] == 3
    assert {os.path.basename(p): n for p, n in upper["sources"].items()} == {
        "reminder.html": 2, "welcome.html": 1,
    }
    assert upper["text"].startswith("3 links: ")


def test_a_signature_made_with_another_links_values_is_diagnosed(tmp_path: Path) -> None:
    from validator.signature import sign

    shared = "Rr1Aa2Bb3Cc4Dd5E"
    first = f"{BASE}?direct=1&chatid=a&sbs=cust-a&sbs_mm={sign('cust-a', shared, SECRET)}" \
        f"&ranstr={shared}"
    # The template signed the second customer with the first link's ranstr.
    second = f"{BASE}?direct=1&chatid=b&sbs=cust-b&sbs_mm={sign('cust-b', shared, SECRET)}" \
        "&ranstr=Zz9Yy8Xx7Ww6Vv5U"
    (tmp_path / "sent.log").write_text(f"{first}\n{second}\n", encoding="utf-8")
    records, summary = records_of(tmp_path, secret=SECRET, jobs=1)
    assert records[1]["signature_cause"]["hypothesis"] == "other-link-values"  # type: ignore[index]
    [group] = summary["signature_groups"]  # type: ignore[misc]
    assert (group["cause"], group["count"]) == ("other-link-values", 1)


@pytest.mark.parametrize("filler", [10, 600])
def test_a_split_file_diagnoses_as_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filler: int
) -> None:
    """A mismatch just after a cut is tried against the links before the cut, however far
    back they are (600 filler lines: beyond the first read-back)."""
    from validator.audit import worker
    from validator.signature import sign

    lines = []
    for n in range(60):
        shared = f"Rr1Aa2Bb3Cc{n:05d}"
        # The template signed each customer with the ranstr of the link before.
        lines.append(f"{BASE}?direct=1&chatid=a{n}&sbs=cust-{n}"
                     f"&sbs_mm={sign(f'cust-{n}', shared, SECRET)}&ranstr={shared}")
        lines.extend(f"{n} filler line without a link" for _ in range(filler))
        lines.append(f"{BASE}?direct=1&chatid=b{n}&sbs=cust-b{n}"
                     f"&sbs_mm={sign(f'cust-b{n}', shared, SECRET)}&ranstr=Zz9Yy8Xx7Ww{n:05d}")
    (tmp_path / "sent.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, _ = records_of(tmp_path, secret=SECRET, jobs=1)
    causes = [record.get("signature_cause") for record in whole]
    assert causes[1::2] == [{"hypothesis": "other-link-values", "headline": ANY}] * 60
    monkeypatch.setattr(audit_tasks, "SPLIT_BYTES", 2048)
    monkeypatch.setattr(worker, "LEAD_IN_BYTES", 512)
    tasks = list(audit_tasks.split(str(tmp_path / "sent.log"), "text", 0, str(tmp_path)))
    assert len(tasks) > 10
    split, _ = records_of(tmp_path, secret=SECRET, jobs=1)
    assert split == whole


def test_a_range_whose_file_is_gone_starts_its_window_at_the_cut(tmp_path: Path) -> None:
    from validator.audit.tasks import Task
    from validator.audit.worker import AuditSettings, LinkWindow, links_before_cut
    from validator.config import Config
    from validator.keyring import Keyring

    gone = Task(3, str(tmp_path / "rotated.log"), "text", str(tmp_path / "spool"),
                start=4096, end=8192, first_line=90, encoding="utf-8")
    settings = AuditSettings(Config(), Keyring(SECRET), ())
    window = LinkWindow(links_before_cut(gone, settings))
    assert list(window) == [] and len(window) == 0


def test_summary_counts_match_the_records(tmp_path: Path) -> None:
    write_tree(tmp_path)
    records, summary = records_of(tmp_path, secret=SECRET, jobs=2)
    findings = [f for r in records for f in r["report"]["findings"]]  # type: ignore[index]
    assert summary["findings"] == len(findings)
    assert summary["links"] == len(records)
    assert summary["links_with_findings"] == sum(
        1 for r in records if r["report"]["findings"]  # type: ignore[index]
    )


def test_cli_exit_codes_and_nothing_on_stderr_without_a_terminal(tmp_path: Path) -> None:
    write_tree(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", str(tmp_path / "logs" / "app.log"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["links"] == 30
    assert result.stderr == ""
    failing = runner.invoke(cli, ["audit", str(tmp_path / "templates")])
    assert failing.exit_code == 1
    assert "DL101" in failing.stdout
    unreadable = runner.invoke(cli, ["audit", str(tmp_path / "logs"), "--fail-on", "never"])
    assert unreadable.exit_code == 1
    assert "broken symbolic link" in unreadable.stdout
    usage = runner.invoke(cli, ["audit", str(tmp_path), "--select", "DL999"])
    assert usage.exit_code == 2
    assert "Traceback" not in usage.output


def test_secrets_never_appear_in_any_format(tmp_path: Path) -> None:
    write_tree(tmp_path)
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET.reveal() + "\n", encoding="utf-8")
    runner = CliRunner()
    for output_format in ("text", "json", "jsonl", "sarif", "junit", "github", "html"):
        result = runner.invoke(cli, ["audit", str(tmp_path / "templates"), "--secret-file",
                                     str(secret_file), "--format", output_format, "--jobs", "1"])
        assert result.exit_code == 1, result.output
        assert SECRET.reveal() not in result.output


def test_a_secret_written_into_a_link_is_masked_everywhere(tmp_path: Path) -> None:
    leaked = f"{BASE}?direct=1&chatid=c1&secret={SECRET.reveal()}"
    (tmp_path / "leak.log").write_text(f"sent {leaked}\n", encoding="utf-8")
    with audit([tmp_path], secret=SECRET, jobs=1, render_text=True) as result:
        lines = list(result.record_lines())
        records = list(result.records())
    assert "DL309" in [f["code"] for f in records[0]["report"]["findings"]]
    assert SECRET.reveal() not in "".join(lines)
    assert "secret=<AppSecret>" in records[0]["url"]
    assert SECRET.reveal() not in records[0]["text"]


def test_a_lone_surrogate_from_a_json_escape_is_audited(tmp_path: Path) -> None:
    (tmp_path / "odd.log").write_text(
        '{"u":"https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app?chatid=\\ud800x"}\n',
        encoding="utf-8",
    )
    records, summary = records_of(tmp_path, jobs=1)
    assert summary["links"] == 1
    assert records[0]["url"].endswith("chatid=\ud800x")  # type: ignore[union-attr]


def test_redact_pii_masks_customer_fields_in_every_format(tmp_path: Path) -> None:
    write_tree(tmp_path)
    runner = CliRunner()
    for output_format in ("text", "json", "jsonl", "sarif", "junit", "github", "html"):
        result = runner.invoke(cli, ["audit", str(tmp_path / "exports"), "--redact-pii",
                                     "--format", output_format, "--jobs", "1"])
        assert "ann@example.com" not in result.output, output_format
        assert "8613800000000" not in result.output, output_format
        assert "name=Ann" not in result.output, output_format
