"""The `directlink build` and `sign` commands, secret sources, and user-error handling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator import parse, sign, verify
from validator.cli import cli

SECRET = "s3cr3t-for-tests"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_a_canonical_link(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["build", "--app-id", "demo_app", "--chat-id", "s-1", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s-1&lang=en"
    )


def test_build_signs_with_a_secret_from_the_environment(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "build",
            "--app-id",
            "a",
            "--sbs",
            "42",
            "--ranstr",
            "r" * 16,
            "--secret-env",
            "MY_SECRET",
        ],
        env={"MY_SECRET": SECRET},
    )
    assert result.exit_code == 0, result.output
    link = parse(result.output.strip())
    assert link.sbs_mm == sign("42", "r" * 16, SECRET)
    assert SECRET not in result.output


def test_build_default_secret_variable_and_generated_ranstr(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["build", "--app-id", "a", "--sbs", "42"], env={"DIRECTLINK_APP_SECRET": SECRET}
    )
    assert result.exit_code == 0, result.output
    link = parse(result.output.strip())
    assert link.ranstr is not None and len(link.ranstr) >= 16
    assert link.sbs_mm is not None and verify("42", link.ranstr, link.sbs_mm, SECRET)


def test_build_without_secret_needs_unsigned(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["build", "--app-id", "a", "--sbs", "42"], env={"DIRECTLINK_APP_SECRET": None}
    )
    assert result.exit_code == 2
    assert "--unsigned" in result.output
    unsigned = runner.invoke(
        cli,
        ["build", "--app-id", "a", "--sbs", "42", "--unsigned"],
        env={"DIRECTLINK_APP_SECRET": None},
    )
    assert unsigned.exit_code == 0
    assert "sbs_mm" not in unsigned.stdout
    assert "warning: DL301 unsigned-sbs" in unsigned.stderr


def test_sign_reads_the_secret_file_without_its_trailing_newline(
    runner: CliRunner, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    result = runner.invoke(
        cli, ["sign", "--sbs", "42", "--ranstr", "abc", "--secret-file", str(secret_file)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == sign("42", "abc", SECRET)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["sign", "--sbs", "1", "--ranstr", "2"], {"DIRECTLINK_APP_SECRET": None}, "no secret"),
        (
            ["sign", "--sbs", "1", "--ranstr", "2", "--secret-file", "/no/such/file"],
            {},
            "does not exist",
        ),
        (
            ["sign", "--sbs", "1", "--ranstr", "2", "--secret-env", "UNSET_VAR_X"],
            {"UNSET_VAR_X": None},
            "not set",
        ),
        (["build", "--app-id", "a", "--base", "nope"], {}, "absolute"),
        (["build"], {}, "--app-id"),
        (["sign", "--sbs", "1", "--ranstr", "2", "--secret"], {}, "No such option"),
    ],
)
def test_user_mistakes_exit_2_with_one_clear_line(
    runner: CliRunner, args: list[str], env: dict[str, str | None], message: str
) -> None:
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_secret_file_that_is_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["sign", "--sbs", "1", "--ranstr", "2", "--secret-file", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "directory" in result.output


def test_python_dash_m_runs_the_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "build", "--app-id", "demo_app"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "https://visitorchat.twt.com/direct/demo_app"


@pytest.mark.parametrize(
    "args",
    [
        ["sign", "--sbs", "1", "--ranstr", "2", "pasted-secret-value"],
        ["build", "--app-id", "a", "pasted-secret-value"],
        ["pasted-secret-value"],
    ],
)
def test_stray_arguments_are_not_echoed(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "pasted-secret-value" not in result.output
    assert "not shown" in result.output
