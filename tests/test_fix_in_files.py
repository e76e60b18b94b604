"""``audit --fix / --unsafe-fixes / --diff``: links rewritten in their files, nothing else.

Every sample file is fixed and read back: the fixed findings are gone, each
changed line differs only from a link's first character on, a second run
changes nothing, and files with nothing to fix are byte-identical.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from validator.cli import cli

SAMPLES = Path(__file__).parent.parent / "corpora" / "samples"
B = "https://visitorchat.twt.com/direct/demo_app"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def audit_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["audit", *args, "-j", "1", "--format", "json",
                                 "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def fixable(data: dict[str, Any], *, unsafe: bool) -> dict[tuple[str, int, int], set[str]]:
    """(path, line, column) -> codes of the findings a fix would apply to."""
    found: dict[tuple[str, int, int], set[str]] = {}
    for record in data["links"]:
        location = record["location"]
        codes = {f["code"] for f in record["report"]["findings"]
                 if f["fix"] and (unsafe or f["fix"]["safe"])}
        if codes:
            found[(location["path"], location["line"], location["column"])] = codes
    return found


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir()
                                          if p.is_file() and p.name != "secrets.toml"))
@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_round_trips_on_every_sample(runner: CliRunner, tmp_path: Path, sample: str,
                                         unsafe: bool) -> None:
    shutil.copy(SAMPLES / sample, tmp_path / sample)
    shutil.copy(SAMPLES / "secrets.toml", tmp_path / "secrets.toml")
    common = [sample, "--secrets-file", "secrets.toml", *(["--unsafe-fixes"] if unsafe else [])]
    original = (tmp_path / sample).read_bytes()
    before = audit_json(runner, sample, "--secrets-file", "secrets.toml")
    link_starts = {(r["location"]["line"], r["location"]["column"]) for r in before["links"]}

    fixed = runner.invoke(cli, ["audit", *common, "--fix", "-j", "1", "--fail-on", "never"])
    assert fixed.exit_code == 0, fixed.output
    assert "Traceback" not in fixed.output
    after_bytes = (tmp_path / sample).read_bytes()
    after = audit_json(runner, sample, "--secrets-file", "secrets.toml")

    if after_bytes == original:
        # Nothing fixable here (or not rewritable, and said so): the file is untouched.
        assert fixable(after, unsafe=unsafe) == fixable(before, unsafe=unsafe)
        return
    # Nothing else moved: as many lines, each changed line differs from a link's start on.
    old_lines = original.decode("utf-8").split("\n")
    new_lines = after_bytes.decode("utf-8").split("\n")
    assert len(old_lines) == len(new_lines)
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
        if old == new:
            continue
        prefix = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                      min(len(old), len(new)))
        starts = [column - 1 for line, column in link_starts if line == number]
        assert starts and min(starts) <= prefix, (number, old, new)
    # The fixed findings are gone; what is left has no fix the fixer could write.
    remaining = fixable(after, unsafe=unsafe)
    refused = {line.split(": not fixable")[0] for line in fixed.stderr.splitlines()
               if ": not fixable: " in line}
    for (path, line, column), codes in remaining.items():
        assert f"{path}:{line}:{column}" in refused, (path, line, column, codes)
    assert len(after["links"]) == len(before["links"])
    # A second run changes nothing.
    again = runner.invoke(cli, ["audit", *common, "--diff", "-j", "1"])
    assert again.exit_code == 0, again.output
    assert again.stdout == ""


def test_untouched_files_are_byte_identical(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    def contents() -> dict[str, bytes]:
        return {p.relative_to(tmp_path / "samples").as_posix(): p.read_bytes()
                for p in sorted((tmp_path / "samples").rglob("*")) if p.is_file()}

    originals = contents()
    diff = runner.invoke(cli, ["audit", "samples", "--diff", "-j", "1",
                               "--secrets-file", "samples/secrets.toml"])
    assert diff.exit_code == 1
    touched = {line.split("/", 1)[1] for line in diff.stdout.splitlines()
               if line.startswith("+++ b/")}
    assert touched and all(name.startswith("samples/") for name in touched)
    # --diff changes nothing at all.
    assert contents() == originals
    result = runner.invoke(cli, ["audit", "samples", "--fix", "-j", "1",
                                 "--secrets-file", "samples/secrets.toml"])
    assert result.exit_code == 1  # broken links that have no fix remain
    after = contents()
    for name, data in originals.items():
        if f"samples/{name}" not in touched:
            assert after[name] == data, name


def test_each_place_gets_its_own_escaping(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        f'<p>\r\n<a title="x" href="{B}?chatid=s1&amp;lang=pt-BR">chat</a> &amp; more\r\n</p>',
        encoding="utf-8", newline="")
    (tmp_path / "data.json").write_text(
        '{"a": "caf\\u00e9", "link": "https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app'
        '?lang=pt-BR&chatid=s1"}\n', encoding="utf-8")
    (tmp_path / "links.csv").write_text(
        f'id,link\n1,"{B}?lang=pt-BR"\n2,{B}?lang=DE\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text(f"See [chat]({B}?lang=pt-BR) now.\n", encoding="utf-8")
    (tmp_path / "app.log").write_text(f"sent {B}?lang=pt-BR ok\n", encoding="utf-8")
    diff = runner.invoke(cli, ["audit", ".", "--diff", "-j", "1"])
    assert diff.exit_code == 1
    result = runner.invoke(cli, ["audit", ".", "--fix", "-j", "1", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "fixed 6 links in 5 files" in result.stderr
    assert (tmp_path / "page.html").read_bytes() == (
        f'<p>\r\n<a title="x" href="{B}?chatid=s1&amp;lang=pt">chat</a> &amp; more\r\n</p>'
    ).encode()
    assert (tmp_path / "data.json").read_text(encoding="utf-8") == (
        '{"a": "caf\\u00e9", "link": "https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app'
        '?lang=pt&chatid=s1"}\n')
    assert (tmp_path / "links.csv").read_text(encoding="utf-8") == (
        f'id,link\n1,"{B}?lang=pt"\n2,{B}?lang=de\n')
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == f"See [chat]({B}?lang=pt) now.\n"
    assert (tmp_path / "app.log").read_text(encoding="utf-8") == f"sent {B}?lang=pt ok\n"
    assert runner.invoke(cli, ["audit", ".", "--diff", "-j", "1"]).stdout == ""


def test_unsafe_fixes_only_with_the_flag(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{B}?chatid=s1\n", encoding="utf-8")
    assert runner.invoke(cli, ["audit", "a.txt", "--diff"]).stdout == ""
    diff = runner.invoke(cli, ["audit", "a.txt", "--diff", "--unsafe-fixes"])
    assert diff.exit_code == 1
    assert f"+{B}?direct=1&chatid=s1" in diff.stdout or "+" + B in diff.stdout
    assert diff.stdout.startswith("--- a/a.txt\n+++ b/a.txt\n")


def test_links_that_cannot_be_rewritten_say_why(runner: CliRunner, tmp_path: Path) -> None:
    wrapped = ("https://nam02.safelinks.protection.outlook.com/?url="
               "https%3A%2F%2Fvisitorchat.twt.com%2Fdirect%2Fdemo_app%3Flang%3Dpt-BR&data=x")
    (tmp_path / "mail.txt").write_text(f"{wrapped}\n", encoding="utf-8")
    (tmp_path / "tpl.html").write_text(
        f'<a href="{B}?chatid={{{{id}}}}&amp;lang=pt-BR">x</a>\n', encoding="utf-8")
    shutil.copy(SAMPLES / "order-shipped.eml", tmp_path / "order.eml")
    shutil.copy(SAMPLES / "secrets.toml", tmp_path / "secrets.toml")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = runner.invoke(cli, ["audit", ".", "--fix", "-j", "1", "--unsafe-fixes",
                                 "--secrets-file", "secrets.toml"])
    reasons = "\n".join(line for line in result.stderr.splitlines() if "not fixable" in line)
    assert "mail.txt:1:1: not fixable: inside a redirect wrapper" in reasons
    assert "tpl.html:1:10: not fixable: holds template placeholders" in reasons
    assert "order.eml:" in reasons and "quoted-printable or base64" in reasons
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_fix_options_are_checked(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["audit", "-", "--fix"], input="x").exit_code == 2
    assert runner.invoke(cli, ["audit", ".", "--unsafe-fixes"]).exit_code == 2
