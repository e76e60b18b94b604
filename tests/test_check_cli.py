"""``directlink check``, ``fix`` and ``rules`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator import sign
from validator.cli import cli
from validator.rules import RULES

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = "cli-secret-Value"
RANSTR = "Qm9yTnx3aWZpLXN0YXI"
SIGNED = f"{B}?direct=1&chatid=s1&sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}&ranstr={RANSTR}"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)  # no configuration file above
    return CliRunner()


def test_clean_link_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", f"{B}?direct=1&chatid=s1&lang=pt"])
    assert result.exit_code == 0, result.output
    assert "opens session s1 in Português as an anonymous visitor" in result.output
    assert "no problems found" in result.output


def test_errors_exit_one_with_underlined_spans(runner: CliRunner) -> None:
    url = f"{B}?chatid=s1&lang=pt-BR"
    result = runner.invoke(cli, ["check", url])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    link_line = next(i for i, line in enumerate(lines) if line.strip() == url)
    indent = lines[link_line].index("https")
    underline = lines[link_line + 1]
    assert underline[indent + url.index("chatid=s1") :].startswith("^" * len("chatid=s1"))
    assert underline[indent + url.index("pt-BR") :].startswith("^" * 5)
    assert "└─ DL101 chatid-without-direct" in result.output
    assert "error    DL101" in result.output
    assert "fix (unsafe, --unsafe-fixes): add direct=1" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_colour_on_request(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--color", "always", f"{B}?chatid=s1"])
    assert "\x1b[" in result.output


def test_fail_on_levels(runner: CliRunner) -> None:
    url = f"{B}?lang=pt-BR"  # a warning only
    assert runner.invoke(cli, ["check", url]).exit_code == 0
    assert runner.invoke(cli, ["check", "--fail-on", "warning", url]).exit_code == 1
    assert runner.invoke(cli, ["check", "--fail-on", "info", f"{B}?name=Ann"]).exit_code == 1


def test_select_and_ignore(runner: CliRunner) -> None:
    url = f"{B}?chatid=s1&lang=xx"
    result = runner.invoke(cli, ["check", "--format", "json", "--ignore", "DL101", url])
    assert result.exit_code == 0
    codes = [f["code"] for f in json.loads(result.output)[0]["findings"]]
    assert codes == ["DL201"]
    result = runner.invoke(cli, ["check", "--format", "json", "--select", "DL1,DL5", url])
    codes = [f["code"] for f in json.loads(result.output)[0]["findings"]]
    assert codes == ["DL101"]


def test_bad_selector_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--select", "DL999", B])
    assert result.exit_code == 2
    assert "DL999" in result.output and "Traceback" not in result.output


def test_json_report_structure(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--format", "json", "--accept-language", "ja", SIGNED])
    (entry,) = json.loads(result.output)
    assert entry["source"] == "<arg 1>"
    assert entry["link"]["app_id"] == "demo_app"
    assert entry["outcome"]["language"] == "ja"
    assert entry["outcome"]["language_source"] == "browser"
    assert set(entry["outcomes"]) == {"browser", "sdk"}
    (finding,) = entry["findings"]
    assert finding["code"] == "DL308" and finding["severity"] == "info"
    assert finding["span"] == [SIGNED.index("sbs_mm="), SIGNED.index("&ranstr")]


def test_secret_from_env_verifies_and_never_prints(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_SECRET", SECRET)
    result = runner.invoke(cli, ["check", "--secret-env", "MY_SECRET", SIGNED])
    assert "verified customer 42" in result.output
    wrong = SIGNED.replace(RANSTR, "Zm9vYmFyYmF6cXV4cXV1")
    for output_format in ("text", "json"):
        result = runner.invoke(
            cli, ["check", "--secret-env", "MY_SECRET", "--format", output_format, wrong]
        )
        assert result.exit_code == 1
        assert "DL307" in result.output
        assert SECRET not in result.output


def test_secrets_file_maps_apps(runner: CliRunner, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'demo_app = "{SECRET}"\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", "--secrets-file", str(secrets), SIGNED])
    assert "verified customer 42" in result.output
    assert SECRET not in result.output


def test_context_option_changes_severity(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", SECRET)
    result = runner.invoke(cli, ["check", "--context", "public", "--format", "json", SIGNED])
    severities = {f["code"]: f["severity"] for f in json.loads(result.output)[0]["findings"]}
    assert severities["DL313"] == "warning"
    assert severities["DL403"] == "warning"


def test_config_file_is_found_and_errors_exit_two(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "directlink.toml").write_text('[severity]\nDL202 = "error"\n', encoding="utf-8")
    assert runner.invoke(cli, ["check", f"{B}?lang=pt-BR"]).exit_code == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("nonsense = 1\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "--config", str(bad), B])
    assert result.exit_code == 2
    assert "bad.toml: nonsense: unknown key" in result.output


def test_check_fix_prints_the_fixed_link(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--fix", f"{B}?direct=1&chatid=s1&lang=pt-BR&&"])
    assert f"fixed: {B}?direct=1&chatid=s1&lang=pt" in result.output
    assert result.exit_code == 0
    result = runner.invoke(cli, ["check", "--fix", f"{B}?chatid=s1"])
    assert result.exit_code == 1  # the fix adding direct=1 is unsafe
    result = runner.invoke(cli, ["check", "--fix", "--unsafe-fixes", f"{B}?chatid=s1"])
    assert result.exit_code == 0 and f"fixed: {B}?direct=1&chatid=s1" in result.output


def test_stdin_and_batch_rules(runner: CliRunner) -> None:
    first = f"{B}?sbs=1&sbs_mm={'a' * 32}&ranstr={RANSTR}"
    second = f"{B}?sbs=2&sbs_mm={'b' * 32}&ranstr={RANSTR}"
    result = runner.invoke(cli, ["check", "--format", "json", "-"], input=f"{first}\n\n{second}\n")
    entries = json.loads(result.output)
    assert [e["source"] for e in entries] == ["<stdin>:1", "<stdin>:3"]
    assert all("DL310" in [f["code"] for f in e["findings"]] for e in entries)


def test_no_links_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["check"]).exit_code == 2


def test_fix_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["fix", f"{B}?lang=ZH_cn&&", f"{B}?chatid=s1"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"{B}?lang=zh-cn", f"{B}?chatid=s1"]
    result = runner.invoke(cli, ["fix", "--unsafe-fixes", "--show-fixes", f"{B}?chatid=s1"])
    assert result.stdout.splitlines() == [f"{B}?direct=1&chatid=s1"]
    assert "DL101 add direct=1" in result.stderr


def test_fix_command_resigns_with_a_secret(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", SECRET)
    wrong = SIGNED.replace(sign("42", RANSTR, SECRET), "0" * 32)
    result = runner.invoke(cli, ["fix", wrong])
    assert result.output.strip() == SIGNED


def test_rules_list_and_one_rule(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["rules"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(RULES)
    for query in ("DL101", "chatid-without-direct", "dl101"):
        result = runner.invoke(cli, ["rules", query])
        assert result.output.startswith("DL101 chatid-without-direct (error, fix: unsafe)")
        assert "Bad:" in result.output and "Good:" in result.output
    data = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)
    assert {d["code"] for d in data} == {r.code for r in RULES}
    result = runner.invoke(cli, ["rules", "DL999"])
    assert result.exit_code == 2 and "no rule" in result.output


def test_a_secret_inside_the_link_is_never_printed_back(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", SECRET)
    leaked = f"{B}?sbs=42&note={SECRET}&{SECRET}=1"
    for options in ([], ["--format", "json"], ["--format", "sarif"], ["--fix"]):
        result = runner.invoke(cli, ["check", *options, leaked])
        assert result.exit_code == 1, options
        assert SECRET not in result.output, options
    assert "DL309" in runner.invoke(cli, ["check", leaked]).output
    result = runner.invoke(cli, ["fix", leaked])
    assert SECRET not in result.stdout and "DL309" in result.stderr


def test_underlines_line_up_under_wide_and_invisible_characters() -> None:
    from validator import check
    from validator.report.text import render_report

    url = f"{B}?name=张三&lang=pt-BR\t&x=1"
    lines = render_report(check(url)).splitlines()
    link_line, underline = lines[0], lines[1]
    assert "pt-BR\\t&x" in link_line  # the tab is shown as an escape
    # "张" and "三" take two columns each: the lang underline starts after them.
    column = link_line.index("pt-BR") + len("张三")
    assert underline[column : column + 5] == "^^^^^"
    assert underline[link_line.index("张") : link_line.index("张") + 4] == "^^^^"


# JSON Lines of check: the standard library's compact form, whichever encoder writes it --------

_WRITTEN_AS_IS = [
    f"{B}?direct=1&chatid=c1&name=Jos%C3%A9&nickname=%E5%BC%A0%E4%B8%89",
    f"{B}?direct=1&chatid=c%00%1F%7F&lang=%E2%80%A8",
    f"{B}?direct=1&chatid=\"quoted\"\\back&name=%F0%9F%98%80",
    f"{B}?chatid=s1&lang=pt-BR#frag=%C3%A9",
]


@pytest.mark.parametrize("orjson_installed", [True, False])
def test_check_jsonl_lines_are_the_standard_librarys_compact_form(
        runner: CliRunner, monkeypatch: pytest.MonkeyPatch, orjson_installed: bool) -> None:
    from validator.report import jsonio

    if not orjson_installed:
        monkeypatch.setattr(jsonio, "HAVE_ORJSON", False)
    result = runner.invoke(cli, ["check", "-", "--format", "jsonl"],
                           input="\n".join(_WRITTEN_AS_IS) + "\n")
    lines = result.stdout.rstrip("\n").split("\n")  # not splitlines: U+2028 stays as it is
    assert len(lines) == len(_WRITTEN_AS_IS) + 1
    for line in lines:
        assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))
    assert "José" in lines[0] and "张三" in lines[0]
    assert "\\u0000" in lines[1] and "\u2028" in lines[1] and "\x7f" in lines[1]
