"""Suppression and adoption: inline comments per file kind, file-level, per-file-ignores,
a baseline keyed by fingerprints, and unused suppressions reported (as ruff's RUF100)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from validator.cli import cli
from validator.suppression import MARKER_BYTES, marker_lines

SAMPLES = Path(__file__).parent.parent / "corpora" / "samples"
B = "https://visitorchat.twt.com/direct/demo_app"
BAD = f"{B}?chatid=1"  # DL101 error


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def audit(runner: CliRunner, *args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(cli, ["audit", *args, "-j", "1", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, data, result.stderr


def codes_by_file(data: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for record in data["links"]:
        name = Path(record["location"]["path"]).name
        found.setdefault(name, []).extend(f["code"] for f in record["report"]["findings"])
    return found


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", f'<!-- directlink: ignore[DL101] -->\n<a href="{BAD}">x</a>\n'),
        ("page2.html", f'<a href="{BAD}">x</a> <!-- directlink: ignore[DL101] -->\n'),
        ("notes.md", f"[chat]({BAD}) <!-- directlink: ignore[chatid-without-direct] -->\n"),
        ("app.log", f"# directlink: ignore[DL1]\n{BAD}\n"),
        ("tpl.txt.j2", f"{{# directlink: ignore[DL101] #}}\n{BAD}\n"),
        ("data.json", f'{{"_comment": "directlink: ignore[DL101]", "url": "{BAD}"}}\n'),
        ("links.csv", f"id,link\n# directlink: ignore[DL101]\n1,{BAD}\n"),
        ("any.txt", f"// directlink: ignore\n{BAD}\n"),
    ],
)
def test_inline_comment_in_each_kinds_syntax(runner: CliRunner, tmp_path: Path, name: str,
                                              content: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    status, data, stderr = audit(runner, name)
    assert status == 0, data
    assert codes_by_file(data).get(name, []) == []
    assert data["summary"]["suppressed"] == 1
    assert "unused suppression" not in stderr


def test_a_marker_outside_a_comment_or_two_lines_up_does_nothing(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        f"<p>directlink: ignore[DL101]</p>\n<a href=\"{BAD}\">x</a>\n"
        f"<!-- directlink: ignore[DL101] -->\n\n<a href=\"{BAD}\">y</a>\n", encoding="utf-8")
    status, data, stderr = audit(runner, "a.html")
    assert status == 1
    assert codes_by_file(data)["a.html"] == ["DL101", "DL101"]
    assert "a.html:3: unused suppression directlink: ignore[DL101]" in stderr
    assert data["summary"]["unused_suppressions"] == [
        {"path": "a.html", "line": 3, "comment": "directlink: ignore[DL101]"}
    ]


def test_only_the_named_rules_are_silenced(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{BAD}&lang=pt-BR  # directlink: ignore[DL202]\n",
                                    encoding="utf-8")
    status, data, _ = audit(runner, "a.txt")
    assert status == 1
    assert codes_by_file(data)["a.txt"] == ["DL101"]


def test_file_level_suppression(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        f"<!-- directlink: ignore-file[DL101] -->\n\n{BAD}\n\ntext\n\n{BAD}&lang=pt-BR\n",
        encoding="utf-8")
    status, data, _ = audit(runner, "a.md")
    assert status == 0
    assert codes_by_file(data)["a.md"] == ["DL202"]


def test_per_file_ignores_in_config(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.directlink.per-file-ignores]\n"legacy/**" = ["DL101"]\n', encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.txt").write_text(BAD + "\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text(BAD + "\n", encoding="utf-8")
    status, data, _ = audit(runner, ".")
    assert status == 1
    assert codes_by_file(data) == {"old.txt": [], "new.txt": ["DL101"]}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.directlink.per-file-ignores]\n"legacy/**" = ["DL999"]\n', encoding="utf-8")
    broken = runner.invoke(cli, ["audit", "."])
    assert broken.exit_code == 2
    assert "per-file-ignores.legacy/**" in broken.stderr


def test_baseline_adopts_the_samples_then_fails_only_on_a_new_broken_link(
    runner: CliRunner, tmp_path: Path
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    common = ["samples", "--secrets-file", "samples/secrets.toml"]
    status, before, _ = audit(runner, *common)
    assert status == 1 and before["summary"]["by_severity"]["error"] > 0
    written = runner.invoke(cli, ["audit", *common, "--write-baseline", "baseline.json"])
    assert written.exit_code == 0, written.output
    baseline = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert baseline["version"] == 1 and baseline["fingerprints"]
    assert "visitorchat" not in (tmp_path / "baseline.json").read_text(encoding="utf-8")
    status, adopted, _ = audit(runner, *common, "--baseline", "baseline.json")
    assert status == 0, adopted["summary"]
    assert adopted["summary"]["by_severity"]["error"] == 0
    # Lines moving does not matter: the fingerprint is file, rule and link.
    log = tmp_path / "samples" / "notify-service.log"
    log.write_text("a new first line\n" + log.read_text(encoding="utf-8"), encoding="utf-8")
    assert audit(runner, *common, "--baseline", "baseline.json")[0] == 0
    with log.open("a", encoding="utf-8") as stream:
        stream.write(f"2026-12-01 sent {BAD}\n")
    status, after, _ = audit(runner, *common, "--baseline", "baseline.json")
    assert status == 1
    new = [(Path(r["location"]["path"]).name, f["code"]) for r in after["links"]
           for f in r["report"]["findings"] if f["severity"] == "error"]
    assert new == [("notify-service.log", "DL101")]


def test_sarif_fingerprints_are_the_baseline_keys(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    sarif = json.loads(runner.invoke(cli, ["audit", "a.txt", "--format", "sarif"]).stdout)
    keys = {r["partialFingerprints"]["directlinkFinding/v2"] for r in sarif["runs"][0]["results"]}
    runner.invoke(cli, ["audit", "a.txt", "--write-baseline", "b.json"])
    assert set(json.loads((tmp_path / "b.json").read_text())["fingerprints"]) == keys


def test_a_broken_baseline_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["audit", "a.txt", "--baseline", "b.json"])
    assert result.exit_code == 2
    assert "b.json:1:2: not valid JSON" in result.stderr
    missing = runner.invoke(cli, ["audit", "a.txt", "--baseline", "none.json"])
    assert missing.exit_code == 2 and "--write-baseline" in missing.stderr


# The batch rule (DL310) is suppressed like any other --------------------------------------

SHARED = "R4nstrR4nstr0001"


def reusing(chat: str) -> str:
    """A signed-looking link whose ranstr another link shares (DL310 on each)."""
    return f"{B}?direct=1&chatid={chat}&sbs={chat}&ranstr={SHARED}&sbs_mm={'a' * 32}"


def dl310_by_file(data: dict[str, Any]) -> dict[str, int]:
    return {name: codes.count("DL310") for name, codes in codes_by_file(data).items()}


def test_dl310_is_silenced_by_an_inline_comment_and_the_comment_is_used(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(f"{reusing('a')}  # directlink: ignore[DL310]\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{reusing('b')}\n", encoding="utf-8")
    _, plain, _ = audit(runner, ".")
    assert dl310_by_file(plain) == {"a.txt": 0, "b.txt": 1}
    summary = plain["summary"]
    assert summary["by_code"]["DL310"] == 1
    assert summary["suppressed"] == 1
    assert summary["unused_suppressions"] == []
    assert sum(r["report"]["findings"] != [] for r in plain["links"]) == \
        summary["links_with_findings"]


def test_dl310_follows_per_file_ignores_and_the_baseline(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{reusing('a')}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{reusing('b')}\n", encoding="utf-8")
    _, before, _ = audit(runner, ".")
    assert dl310_by_file(before) == {"a.txt": 1, "b.txt": 1}
    written = runner.invoke(cli, ["audit", ".", "-j", "1", "--write-baseline", "base.json"])
    assert written.exit_code in (0, 1), written.output
    _, adopted, _ = audit(runner, ".", "--baseline", "base.json")
    assert dl310_by_file(adopted) == {"a.txt": 0, "b.txt": 0}
    assert "DL310" not in adopted["summary"]["by_code"]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.directlink.per-file-ignores]\n"a.txt" = ["DL310"]\n', encoding="utf-8")
    _, ignored, _ = audit(runner, ".")
    assert dl310_by_file(ignored) == {"a.txt": 0, "b.txt": 1}
    assert ignored["summary"]["by_code"]["DL310"] == 1


# Finding the marker's lines a block at a time -------------------------------------------------

_PIECES = [b"directlink:", b"DirectLink:", b"DIRECTLINK:", b"directlink", b"\n", b"\r\n", b"\r",
           b"x", b" ignore[DL1]", b"\xff", b"\xe9", b"directlin"]


def _lines_one_by_one(data: bytes) -> list[tuple[int, str]]:
    """The reference: every line in turn, tested as the suppressions first did."""
    return [(number, raw.decode("utf-8", "replace"))
            for number, raw in enumerate(io.BytesIO(data), start=1)
            if MARKER_BYTES in raw.lower()]


@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(1, 40))
def test_marker_lines_match_reading_line_by_line(pieces: list[bytes], block: int) -> None:
    data = b"".join(pieces)
    assert list(marker_lines(io.BytesIO(data), block)) == _lines_one_by_one(data)


def test_marker_lines_number_lines_across_blocks() -> None:
    data = b"a\n" * 1000 + b"# directlink: ignore[DL313]\n" + b"b\n" * 10 + b"x DIRECTLINK: y"
    found = list(marker_lines(io.BytesIO(data), 64))
    assert found == [(1001, "# directlink: ignore[DL313]\n"), (1012, "x DIRECTLINK: y")]
