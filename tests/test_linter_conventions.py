"""The command-line conventions of a mature linter, each as a CLI test.

Colour is tested on a real pseudo-terminal (the ``pty`` module): what a user
sees, with ``NO_COLOR``, ``FORCE_COLOR`` and ``--color`` in every combination.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import cli

B = "https://visitorchat.twt.com/direct/demo_app"
BAD = f"{B}?chatid=1&lang=pt-BR"  # DL101 error, DL202 warning
WRONG_SIGNATURE = f"{B}?sbs=a&ranstr=bbbbbbbbbbbbbbbb&sbs_mm={'0' * 32}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)  # no configuration file above
    return CliRunner()


# Colour on a real terminal ---------------------------------------------------------------


def run_on_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run ``directlink ARGS`` with standard output on a pseudo-terminal; what it printed."""
    master, slave = pty.openpty()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NO_COLOR", "FORCE_COLOR", "DIRECTLINK_APP_SECRET")}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "120", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "validator", *args], stdout=slave, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, env=environment, cwd=cwd,
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("env", "flags", "coloured"),
    [
        ({}, [], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({}, ["--color", "never"], False),
        ({"TERM": "dumb"}, [], False),
    ],
)
def test_check_colour_on_a_terminal(
    tmp_path: Path, env: dict[str, str], flags: list[str], coloured: bool
) -> None:
    output = run_on_terminal(["check", *flags, BAD], env, tmp_path)
    assert "DL101" in output
    assert bool(ANSI.search(output)) is coloured, output[:400]


def test_colour_runs_are_painted_once_not_per_character(tmp_path: Path) -> None:
    output = run_on_terminal(["check", BAD], {}, tmp_path)
    # One sequence per underline run and label, not one per column.
    assert len(ANSI.findall(output)) < 40


@pytest.mark.parametrize("command", ["audit", "explain"])
def test_no_color_reaches_every_command_on_a_terminal(tmp_path: Path, command: str) -> None:
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    args = ["audit", "a.txt", "-j", "1"] if command == "audit" else ["explain", WRONG_SIGNATURE]
    env = {"DIRECTLINK_APP_SECRET": "s3cret-value"}
    assert ANSI.search(run_on_terminal(args, env, tmp_path))
    assert not ANSI.search(run_on_terminal(args, {**env, "NO_COLOR": "1"}, tmp_path))


def test_force_color_colours_a_pipe(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = runner.invoke(cli, ["check", BAD])
    assert not ANSI.search(plain.stdout)
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = runner.invoke(cli, ["check", BAD])
    assert ANSI.search(forced.stdout)
    assert not ANSI.search(runner.invoke(cli, ["check", "--color", "never", BAD]).stdout)


# Exit status ------------------------------------------------------------------------------


def test_fail_on_never_and_exit_zero_on_every_judging_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    assert runner.invoke(cli, ["check", BAD]).exit_code == 1
    assert runner.invoke(cli, ["check", "--fail-on", "never", BAD]).exit_code == 0
    assert runner.invoke(cli, ["check", "--exit-zero", BAD]).exit_code == 0
    assert runner.invoke(cli, ["audit", "a.txt", "-j", "1"]).exit_code == 1
    assert runner.invoke(cli, ["audit", "a.txt", "-j", "1", "--exit-zero"]).exit_code == 0
    assert runner.invoke(cli, ["audit", "a.txt", "-j", "1", "--fail-on", "never"]).exit_code == 0
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", "s3cret-value")
    wrong = WRONG_SIGNATURE
    assert runner.invoke(cli, ["explain", wrong]).exit_code == 1
    assert runner.invoke(cli, ["explain", "--exit-zero", wrong]).exit_code == 0


def test_exit_zero_does_not_hide_an_unreadable_path(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["audit", "missing.txt", "--exit-zero"])
    assert result.exit_code == 1
    assert "missing.txt: unreadable: does not exist" in result.stderr


# Output -----------------------------------------------------------------------------------


def test_output_format_is_an_alias_of_format(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    for command in (["check", BAD], ["audit", "a.txt", "-j", "1"]):
        result = runner.invoke(cli, [*command, "--output-format", "json"])
        assert result.exit_code == 1
        json.loads(result.stdout)


def test_quiet_prints_findings_only(runner: CliRunner, tmp_path: Path) -> None:
    clean = f"{B}?direct=1&chatid=s1&lang=pt"
    quiet = runner.invoke(cli, ["check", "--quiet", BAD, clean])
    assert "DL101" in quiet.stdout
    assert "checked" not in quiet.stdout and "no problems found" not in quiet.stdout
    (tmp_path / "a.txt").write_text(BAD + "\n", encoding="utf-8")
    audit = runner.invoke(cli, ["audit", "-q", "a.txt", "-j", "1"])
    assert "DL101" in audit.stdout and " links in " not in audit.stdout
    built = runner.invoke(cli, ["build", "-q", "--app-id", "demo_app", "--lang", "xx"])
    assert built.exit_code == 0 and built.stderr == ""
    assert runner.invoke(cli, ["fix", "-q", BAD]).exit_code == 0


def test_statistics_counts_findings_per_rule(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--statistics", BAD, BAD, f"{B}?lang=pt-BR"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert re.match(r"^3  DL202  warning  \[\*\]  non-canonical-lang$", lines[0]), lines
    assert re.match(r"^2  DL101  error    \[-\]  chatid-without-direct$", lines[1]), lines
    assert lines[-1] == "5 findings in total"


def test_statistics_as_json_and_refused_in_formats_without_a_form(
    runner: CliRunner, tmp_path: Path
) -> None:
    links = [BAD, BAD, f"{B}?lang=pt-BR"]
    result = runner.invoke(cli, ["check", "--statistics", "--format", "json", *links])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"code": "DL202", "name": "non-canonical-lang", "severity": "warning", "count": 3,
         "fix": "safe"},
        {"code": "DL101", "name": "chatid-without-direct", "severity": "error", "count": 2,
         "fix": "unsafe"},
    ]
    (tmp_path / "a.txt").write_text("\n".join(links) + "\n", encoding="utf-8")
    audited = runner.invoke(cli, ["audit", str(tmp_path / "a.txt"), "-j", "1", "--statistics",
                                  "--format", "json"])
    assert json.loads(audited.stdout) == json.loads(result.stdout)
    for command in (["check", BAD], ["audit", str(tmp_path / "a.txt")]):
        refused = runner.invoke(cli, [*command, "--statistics", "--format", "sarif"])
        assert refused.exit_code == 2
        assert refused.stderr.strip() == "Error: --statistics writes text or json, not sarif"


def test_singular_and_plural_words(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{B}?chatid=1\n", encoding="utf-8")
    audit = runner.invoke(cli, ["audit", "a.txt", "-j", "1"])
    assert audit.stdout.rstrip().splitlines()[-1] == (
        "1 link in 1 file (0 skipped, 0 unreadable): 1 error, 0 warnings, 0 infos"
    )
    check = runner.invoke(cli, ["check", f"{B}?chatid=1"])
    assert check.stdout.rstrip().splitlines()[-1] == (
        "1 link checked: 1 error, 0 warnings, 0 infos"
    )
    github = runner.invoke(cli, ["audit", "a.txt", "-j", "1", "--format", "github"])
    assert github.stdout.splitlines()[-1].endswith("::1 link in 1 file: 1 error, 0 warnings, "
                                                   "0 infos")


def test_no_links_found_warns_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", "notes.txt", "-j", "1"])
    assert result.exit_code == 0
    assert "warning: no direct links found" in result.stderr
    assert "warning" not in runner.invoke(cli, ["audit", "-q", "notes.txt"]).stderr


def test_audit_dash_reads_standard_input_as_text(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "-").write_text("not this file\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", "-", "-j", "1", "--format", "json"],
                           input=f"first line\n{B}?chatid=1\n")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    [record] = data["links"]
    assert record["location"]["path"] == "<stdin>"
    assert record["location"]["line"] == 2
    assert [path["path"] for path in data["paths"]] == ["<stdin>"]
    html = runner.invoke(
        cli, ["audit", "-", "--stdin-filename", "mail.html", "--format", "json", "-j", "1"],
        input=f'<a href="{B}?chatid=1&amp;lang=en">x</a>',
    )
    [record] = json.loads(html.stdout)["links"]
    assert record["location"]["path"] == "mail.html"
    assert record["url"] == f"{B}?chatid=1&lang=en"


# build, explain, completion -----------------------------------------------------------------


def test_build_warns_on_stderr_and_refuses_an_error(runner: CliRunner) -> None:
    warned = runner.invoke(cli, ["build", "--app-id", "demo_app", "--lang", "xx"])
    assert warned.exit_code == 0
    assert warned.stdout == f"{B}?lang=xx\n"
    assert "warning: DL201 unsupported-lang" in warned.stderr
    refused = runner.invoke(cli, ["build", "--app-id", "demo app"])
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert "DL004" in refused.stderr and "--force" in refused.stderr
    forced = runner.invoke(cli, ["build", "--app-id", "demo app", "--force"])
    assert forced.exit_code == 0 and forced.stdout.startswith("https://")
    clean = runner.invoke(cli, ["build", "--app-id", "demo_app", "--lang", "pt"])
    assert clean.exit_code == 0 and clean.stderr == ""


def test_explain_takes_color_never(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", "s3cret-value")
    wrong = WRONG_SIGNATURE
    for flags in (["--color", "never"], ["--no-color"], ["--color", "always"]):
        result = runner.invoke(cli, ["explain", *flags, wrong])
        assert result.exit_code == 1, result.output
        assert "unexpected extra argument" not in result.output
        assert bool(ANSI.search(result.stdout)) is (flags[-1] == "always")


def test_shell_completion_is_generated(tmp_path: Path) -> None:
    environment = {**os.environ, "_DIRECTLINK_COMPLETE": "bash_source"}
    completion = subprocess.run(
        [sys.executable, "-c", "from validator.cli import main; main()"],
        env=environment, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert completion.returncode == 0
    assert "_directlink_completion" in completion.stdout
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "_DIRECTLINK_COMPLETE=bash_source directlink" in readme


# Configuration that cannot be read fails closed -----------------------------------------------


def test_invalid_pyproject_fails_with_file_line_and_column(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.directlink]\nignore = ["DL202"\nallowed-hosts = []\n', encoding="utf-8"
    )
    result = runner.invoke(cli, ["check", f"{B}?lang=pt-BR"])
    assert result.exit_code == 2
    assert re.search(r"pyproject\.toml:3:1: not valid TOML: ", result.stderr), result.stderr
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    assert runner.invoke(cli, ["audit", "a.txt"]).exit_code == 2


def test_invalid_directlink_toml_fails_with_position(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "directlink.toml").write_text('select = ["DL1"]\nprofile = "x\n',
                                             encoding="utf-8")
    result = runner.invoke(cli, ["check", BAD])
    assert result.exit_code == 2
    assert re.search(r"directlink\.toml:2:\d+: not valid TOML", result.stderr), result.stderr
    assert "Traceback" not in result.output


# A missing extra fails closed -----------------------------------------------------------------


@pytest.fixture
def without_html5lib(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the audit extra were not installed: importing html5lib fails."""
    monkeypatch.setitem(sys.modules, "html5lib", None)
    monkeypatch.delitem(sys.modules, "validator.extract.html", raising=False)


@pytest.mark.usefixtures("without_html5lib")
def test_a_reader_needing_a_missing_extra_fails_with_the_install_command(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "mail.html").write_text(f'<a href="{B}?direct=1&amp;chatid=s1">x</a>',
                                        encoding="utf-8")
    (tmp_path / "ok.txt").write_text(f"{B}?direct=1&chatid=s1\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", ".", "-j", "1", "--format", "sarif", "-o", "out.sarif"])
    assert result.exit_code == 2, result.output
    assert "pip install 'directlink-validator[audit]'" in result.stderr
    assert "mail.html" in result.stderr
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert "directlink-validator[audit]" in notification["message"]["text"]
    skipped = runner.invoke(cli, ["audit", ".", "-j", "1", "--skip-unsupported",
                                  "--format", "json"])
    assert skipped.exit_code == 0, skipped.output
    statuses = {Path(p["path"]).name: p["status"] for p in json.loads(skipped.stdout)["paths"]}
    assert statuses["mail.html"] == "skipped"
    assert statuses["ok.txt"] == "audited"
    summary = json.loads(skipped.stdout)["summary"]
    assert (summary["skipped"], summary["unsupported"], summary["unreadable"]) == (1, 0, 0)


@pytest.mark.usefixtures("without_html5lib")
def test_the_audit_itself_says_unsupported_not_a_guess_from_the_reason(tmp_path: Path) -> None:
    from validator.audit import audit

    (tmp_path / "mail.html").write_text(f'<a href="{B}?direct=1&amp;chatid=s1">x</a>',
                                        encoding="utf-8")
    (tmp_path / "notes.txt").write_text("pip install 'directlink-validator[audit]'\n",
                                        encoding="utf-8")
    with audit([tmp_path], jobs=1) as result:
        statuses = {Path(p.path).name: (p.status, p.reason) for p in result.paths}
        summary = result.summary.to_dict()
    assert statuses["mail.html"] == (
        "unsupported", "HTML: the audit extra is not installed: "
        "pip install 'directlink-validator[audit]'")
    assert statuses["notes.txt"] == ("audited", None)
    assert (summary["unsupported"], summary["unreadable"], summary["audited"]) == (1, 0, 1)


# .gitignore and .ignore ----------------------------------------------------------------------


def test_gitignore_and_ignore_files_are_respected_by_default(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.log\n!keep.log\n", encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.html").write_text(f"{B}?chatid=1\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".ignore").write_text("draft.txt\n", encoding="utf-8")
    for name in ("app.log", "keep.log", "site/draft.txt", "site/page.txt"):
        (tmp_path / name).write_text(f"{B}?chatid=1\n", encoding="utf-8")

    def audited(*flags: str, root: str = ".") -> dict[str, str]:
        result = runner.invoke(cli, ["audit", root, "-j", "1", "--format", "json", *flags])
        assert result.exit_code == 1, result.output
        return {os.path.relpath(p["path"], root): p["status"] + ":" + (p["reason"] or "")
                for p in json.loads(result.stdout)["paths"]}

    paths = audited()
    assert paths["build"] == "skipped:ignored by ./.gitignore"
    assert paths["app.log"] == "skipped:ignored by ./.gitignore"
    assert paths["keep.log"] == "audited:"
    assert paths["site/draft.txt"] == "skipped:ignored by ./site/.ignore"
    assert paths["site/page.txt"] == "audited:"
    # The repository's .gitignore applies to a folder audited below it.
    (tmp_path / "site" / "x.log").write_text(f"{B}?chatid=1\n", encoding="utf-8")
    below = audited(root="site")
    assert below["x.log"].startswith("skipped:ignored by ")
    everything = audited("--no-respect-gitignore")
    assert all(status == "audited:" for name, status in everything.items()
               if not name.startswith(".git")), everything


def test_audit_statistics_and_colour_into_a_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{BAD}\n{BAD}\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", "a.txt", "-j", "1", "--statistics"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "2  DL101  error    [-]  chatid-without-direct",
        "2  DL202  warning  [*]  non-canonical-lang",
    ]
    runner.invoke(cli, ["audit", "a.txt", "-j", "1", "-o", "plain.txt"])
    runner.invoke(cli, ["audit", "a.txt", "-j", "1", "-o", "always.txt", "--color", "always"])
    assert not ANSI.search((tmp_path / "plain.txt").read_text(encoding="utf-8"))
    assert ANSI.search((tmp_path / "always.txt").read_text(encoding="utf-8"))
