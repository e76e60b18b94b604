"""Hostile inputs at the faces: limits, secret and config sources, the Python API.

Every case is written at run time. The bar: one clear line and exit 2 for a
user mistake (never a traceback, never the secret echoed), a ``TypeError``
naming the argument or a ``ValueError`` at the API, bounded memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import validator
from validator import (
    LinkTooLongError,
    Secret,
    SecretSourceError,
    build,
    check,
    check_many,
    explain,
    fix,
    parse,
    sign,
    spec,
    verify,
)
from validator.cli import cli
from validator.config import ConfigError, load_config
from validator.limits import LimitExceeded, loads_json, loads_toml
from validator.secret_sources import (
    candidate_secrets_from_file,
    secret_from_env,
    secret_from_file,
    secrets_from_file,
)

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = "hostile-s3cr3t"
LINK = f"{B}?direct=1&chatid=1"


def run_cli(
    *arguments: str, env: dict[bytes, bytes] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environment = dict(os.environb)
    environment.pop(b"DIRECTLINK_APP_SECRET", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "validator", *arguments],
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )


def one_clear_line(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2, result
    assert b"Traceback" not in result.stderr, result.stderr
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# Limits ------------------------------------------------------------------


def test_one_limit_constant_for_link_length() -> None:
    from validator.extract import candidates
    from validator.service import models

    assert candidates.MAX_LINK_CHARS == spec.MAX_LINK_CHARS
    assert models.MAX_LINK_CHARS == spec.MAX_REQUEST_LINK_CHARS
    assert models.MAX_LINKS == spec.MAX_LINKS_PER_REQUEST


def test_check_refuses_a_link_over_the_limit() -> None:
    with pytest.raises(LinkTooLongError, match="65,536"):
        check(B + "?" + "&" * (spec.MAX_LINK_CHARS + 1))
    with pytest.raises(LinkTooLongError):
        check_many([LINK, B + "?" + "a" * (10 * 1024 * 1024)])
    with pytest.raises(LinkTooLongError):
        fix(B + "?" + "&" * (spec.MAX_LINK_CHARS + 1))
    assert isinstance(LinkTooLongError("x"), ValueError)


def test_findings_of_one_rule_are_capped_and_counted() -> None:
    report = check(B + "?" + "&" * 16384)
    empty_pairs = [f for f in report.findings if f.code == "DL506"]
    assert len(empty_pairs) == spec.MAX_FINDINGS_PER_RULE
    assert "16,284 more DL506" in empty_pairs[-1].message


def test_fix_still_removes_every_empty_pair() -> None:
    assert fix(B + "?" + "&" * 20000 + "direct=1&chatid=1") == LINK


def test_check_stdin_with_one_link_of_a_megabyte() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "validator", "check", "-"],
        input=(B + "?" + "&" * (1024 * 1024) + "\n").encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    line = one_clear_line(result)
    assert "<stdin>:1" in line and "over the limit" in line
    assert len(result.stdout) < 1000


MEMORY_PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
from validator import check, LinkTooLongError
B = "https://visitorchat.twt.com/direct/demo_app?"
try:
    check(B + "&" * (10 * 1024 * 1024))
except LinkTooLongError:
    pass
else:
    sys.exit("no LinkTooLongError")
report = check(B + "&" * (64 * 1024 - 64))
assert len(report.findings) < 400, len(report.findings)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent.
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print("ok", peak)
"""


def test_big_links_stay_within_an_address_space_limit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE], capture_output=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    peak_kb = int(result.stdout.split()[1])
    assert peak_kb < 400 * 1024  # before the limits: 4.7 GB


def test_cli_one_megabyte_link_under_an_address_space_limit() -> None:
    probe = (
        "import resource, runpy, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))\n"
        "sys.argv = ['directlink', 'check', '-']\n"
        "runpy.run_module('validator', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        input=(B + "?" + "&" * (1024 * 1024) + "\n").encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert "over the limit" in one_clear_line(result)


# JSON and TOML limits ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        "1" * 5000,
        '{"a": 1' + "0" * 4400 + "}",
    ],
)
def test_json_over_the_limits_is_a_limit_error(text: str) -> None:
    with pytest.raises(LimitExceeded):
        loads_json(text)


def test_json_brackets_inside_strings_do_not_count() -> None:
    assert loads_json('{"a": "' + "[" * 1000 + '"}') == {"a": "[" * 1000}


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000,
        "a = " + "{b = " * 5000 + "1" + "}" * 5000,
        "a = " + "9" * 5000,
    ],
)
def test_toml_over_the_limits_is_a_limit_error(text: str) -> None:
    with pytest.raises(LimitExceeded):
        loads_toml(text)


# Secret and config sources ---------------------------------------------------


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


HOSTILE_SECRETS_FILES = {
    "deep.json": '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deep.toml": "a = " + "[" * 100_000 + "]" * 100_000,
    "number.json": '{"a": ' + "1" * 5000 + "}",
    "number.toml": "a = " + "1" * 5000,
    "surrogate.json": '{"demo_app": "' + SECRET + '\\ud800"}',
    "surrogate-key.json": '{"\\udc80": "' + SECRET + '"}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SECRETS_FILES))
def test_hostile_secrets_files_are_one_clear_error(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, HOSTILE_SECRETS_FILES[name])
    if name == "surrogate-key.json":
        # A key is an app id, not a secret: the map loads, the key is only never matched.
        assert list(secrets_from_file(path).values()) == [Secret(SECRET)]
        return
    with pytest.raises(SecretSourceError) as caught:
        secrets_from_file(path)
    assert SECRET not in str(caught.value)
    with pytest.raises(SecretSourceError):
        candidate_secrets_from_file(path)
    line = one_clear_line(run_cli("check", "--secrets-file", str(path), LINK))
    assert SECRET not in line


@pytest.mark.parametrize("option", ["--secret-file", "--secrets-file", "--config"])
def test_dev_zero_is_refused_without_reading_it_all(option: str) -> None:
    line = one_clear_line(run_cli("check", option, "/dev/zero", LINK))
    assert "limit" in line or "not UTF-8" in line or "not valid" in line


def test_an_oversized_secret_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", "x" * (spec.MAX_SECRET_FILE_BYTES + 1))
    with pytest.raises(SecretSourceError, match="limit"):
        secret_from_file(path)


def test_a_non_utf8_secret_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTILE_SECRET", "abc\udcff")  # how Python reads byte 0xff
    with pytest.raises(SecretSourceError, match="HOSTILE_SECRET") as caught:
        secret_from_env("HOSTILE_SECRET")
    assert "abc" not in str(caught.value)
    line = one_clear_line(run_cli("check", LINK, env={b"DIRECTLINK_APP_SECRET": b"s3cr\xff"}))
    assert "DIRECTLINK_APP_SECRET" in line and "s3cr" not in line


@pytest.mark.parametrize(
    "content",
    [
        "[tool.directlink]\nprofile = " + "[" * 100_000 + "]" * 100_000,
        "[tool.directlink]\nmin-ranstr-length = " + "1" * 5000,
        "[tool.directlink]\n" + "x = 1\n" * (spec.MAX_CONFIG_FILE_BYTES // 5),
    ],
    ids=["deep", "number", "big"],
)
def test_hostile_config_files_are_one_clear_error(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "directlink.toml", content)
    with pytest.raises(ConfigError):
        load_config(path)
    one_clear_line(run_cli("check", "--config", str(path), LINK))


# The Python API ----------------------------------------------------------------


BAD_CALLS: list[tuple[str, Any, str]] = [
    ("parse(None)", lambda: parse(None), "str"),  # type: ignore[arg-type]
    ("check(None)", lambda: check(None), "url"),  # type: ignore[arg-type]
    ("check(5)", lambda: check(5), "url"),  # type: ignore[arg-type]
    ("check(b'')", lambda: check(b"https://h/direct/a"), "url"),  # type: ignore[arg-type]
    ("check accept_language", lambda: check(LINK, accept_language=5), "accept_language"),  # type: ignore[arg-type]
    ("check secret", lambda: check(LINK, secret=5), "secret"),  # type: ignore[arg-type]
    ("check secrets", lambda: check(LINK, secrets=["x"]), "secrets"),  # type: ignore[arg-type]
    ("check config", lambda: check(LINK, config="x"), "config"),  # type: ignore[arg-type]
    ("check_many str", lambda: check_many(LINK), "urls"),
    ("check_many None", lambda: check_many([None]), "url"),  # type: ignore[list-item]
    ("fix(None)", lambda: fix(None), "url"),  # type: ignore[arg-type]
    ("fix(int)", lambda: fix(5), "url"),  # type: ignore[arg-type]
    ("fix(bytes)", lambda: fix(b"x"), "url"),  # type: ignore[arg-type]
    ("fix unsafe", lambda: fix(LINK, unsafe="yes"), "unsafe"),  # type: ignore[arg-type]
    ("explain(None)", lambda: explain(None, secret=SECRET), "url"),  # type: ignore[arg-type]
    ("explain(int)", lambda: explain(5, secret=SECRET), "url"),  # type: ignore[arg-type]
    ("explain secret", lambda: explain(LINK, secret=None), "secret"),  # type: ignore[arg-type]
    ("build(None)", lambda: build(None), "app_id"),  # type: ignore[arg-type]
    ("build(int)", lambda: build(5), "app_id"),  # type: ignore[arg-type]
    ("build(bytes)", lambda: build(b"a"), "app_id"),  # type: ignore[arg-type]
    ("build chat_id", lambda: build("a", chat_id=5), "chat_id"),  # type: ignore[arg-type]
    ("build extra", lambda: build("a", extra="x=1"), "extra"),  # type: ignore[arg-type]
    ("sign None", lambda: sign(None, "r", SECRET), "sbs"),  # type: ignore[arg-type]
    ("sign bytes", lambda: sign("s", b"r", SECRET), "ranstr"),  # type: ignore[arg-type]
    ("sign secret", lambda: sign("s", "r", 5), "secret"),  # type: ignore[arg-type]
    ("verify sbs_mm", lambda: verify("s", "r", None, SECRET), "sbs_mm"),  # type: ignore[arg-type]
    ("Secret(bytes)", lambda: Secret(b"x"), "str"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("label", "call", "argument"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_wrong_types_raise_type_error_naming_the_argument(
    label: str, call: Any, argument: str
) -> None:
    with pytest.raises(TypeError, match=argument):
        call()


LONE_SURROGATE_CALLS: list[tuple[str, Any]] = [
    ("Secret", lambda: Secret(SECRET + "\ud800")),
    ("check secret", lambda: check(LINK, secret=SECRET + "\ud800")),
    ("check secrets", lambda: check(LINK, secrets={"demo_app": "\udfff"})),
    ("build secret", lambda: build("a", sbs="x", secret="\ud800")),
    ("build sbs", lambda: build("a", sbs="x\ud800", secret=SECRET)),
    ("sign sbs", lambda: sign("x\ud800", "r", SECRET)),
    ("sign secret", lambda: sign("x", "r", "\ud800")),
    ("verify ranstr", lambda: verify("x", "\udc00", "0" * 32, SECRET)),
    ("check accept_language", lambda: check(LINK, accept_language="en\ud800")),
]


@pytest.mark.parametrize(
    ("label", "call"), LONE_SURROGATE_CALLS, ids=[c[0] for c in LONE_SURROGATE_CALLS]
)
def test_lone_surrogates_are_a_clear_value_error(label: str, call: Any) -> None:
    with pytest.raises(ValueError) as caught:
        call()
    assert not isinstance(caught.value, UnicodeError)
    assert "surrogate" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_lone_surrogate_in_the_link_is_a_finding() -> None:
    report = check(f"{B}?direct=1&chatid=\ud800&sbs=x\udc00&ranstr={'r' * 16}&sbs_mm={'0' * 32}",
                   secret=SECRET)
    assert "DL507" in {f.code for f in report.findings}


def test_every_public_exception_is_exported() -> None:
    for name in (
        "BuildError", "ConfigError", "ExplainError", "LimitExceeded", "LinkTooLongError",
        "SecretSourceError", "SelectorError", "UnreadableFile", "LinkAssertionError",
    ):
        assert name in validator.__all__
        assert issubclass(getattr(validator, name), Exception)
    for name in ("QrError", "ImageError"):
        assert issubclass(getattr(validator, name), ValueError)


def test_cli_secret_env_pointing_at_a_non_utf8_value(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", "--secret-env", "HOSTILE", LINK], env={"HOSTILE": "x\udcff"}
    )
    assert result.exit_code == 2
    assert "x\udcff" not in result.output


@pytest.mark.parametrize(
    "arguments",
    [
        [b"check", b"--accept-language", b"\xff", LINK.encode()],
        [b"sign", b"--secret-env", b"HOSTILE", b"--sbs", b"\xff", b"--ranstr", b"r"],
        [b"build", b"--secret-env", b"HOSTILE", b"--sbs", b"\xff", b"--app-id", b"demo"],
    ],
)
def test_non_utf8_arguments_are_one_clear_line(arguments: list[bytes]) -> None:
    environment = dict(os.environb)
    environment[b"HOSTILE"] = SECRET.encode()
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"validator", *arguments],
        env=environment, capture_output=True, timeout=120, check=False,
    )
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr
    assert SECRET.encode() not in result.stderr + result.stdout
