"""No command ever prints the AppSecret, an encoded form of it, or a full inner digest.

Every command registered on the ``directlink`` group is found by introspection
and run with the sample invocations of :data:`SAMPLES`, in every output format
it offers (``--format`` choices) and with a report file where it writes one,
with the secret given every way the command accepts it, under success and
failure (wrong file, bad URL, bad config, malformed secret files that hold the
secret). A command without an entry in :data:`SAMPLES` fails the suite: nobody
adds a command without a leak check.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

import click
import pytest
from click.testing import CliRunner

from validator.cli import cli

SECRETS = ("Hunter2-plain-Secret-0042", "s3cr3t/+ é&")
ENV = "LEAK_TEST_SECRET"
DEFAULT_ENV = "DIRECTLINK_APP_SECRET"
APP = "demo_app"
OTHER_APP = "8cba81d468aac01b4f15f8ea4ef33677"
SBS_VALUES = ("john doe é", "李四", "42")
RANSTR = "Xk9fQ2mZ7pL4wR8t"
OTHER_RANSTR = "Qw3rTy7uIo9pAs2d"


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sign(sbs: str, ranstr: str, secret: str) -> str:
    return md5(md5(f"{sbs}_{secret}") + "_" + ranstr)


def link(sbs: str, ranstr: str, sbs_mm: str, app: str = APP) -> str:
    return (
        f"https://visitorchat.twt.com/direct/{app}?direct=1&chatid=7"
        f"&sbs={quote(sbs, safe='')}&ranstr={quote(ranstr, safe='')}&sbs_mm={sbs_mm}"
    )


def _lower_escapes(text: str) -> str:
    head, *rest = text.split("%")
    return head + "".join("%" + piece[:2].lower() + piece[2:] for piece in rest)


def forbidden(secret: str) -> dict[str, str]:
    """Every text that would leak ``secret`` or a customer's inner digest, by what it is."""
    data = secret.encode("utf-8")
    forms = {
        "secret": secret,
        "quote": quote(secret, safe=""),
        "quote with '/' safe": quote(secret),
        "quote_plus": quote_plus(secret),
        "hex": data.hex(),
        "HEX": data.hex().upper(),
        "JSON-escaped": json.dumps(secret)[1:-1],
    }
    for name, form in list(forms.items()):
        if "%" in form:
            forms[f"{name} (lower-case escapes)"] = _lower_escapes(form)
    for sbs in SBS_VALUES:
        inner = md5(f"{sbs}_{secret}")
        forms[f"inner digest of {sbs!r}"] = inner
        forms[f"upper-case inner digest of {sbs!r}"] = inner.upper()
    return forms


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def assert_no_leak(secret: str, text: str, where: str) -> None:
    # Colour codes inside a leaked value must not hide it from the search.
    plain = _ANSI.sub("", text)
    for name, form in forbidden(secret).items():
        assert form not in text, f"{where}: the {name} form of the secret leaked"
        assert form not in plain, f"{where}: the {name} form of the secret leaked (in colour)"


# ---------------------------------------------------------------------------
# Fixtures on disk, and the table of sample invocations


@dataclass
class Files:
    root: Path
    secret: str
    values: dict[str, str] = field(default_factory=dict)

    def write(self, name: str, text: str) -> str:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return str(path)


def make_files(root: Path, secret: str) -> Files:
    files = Files(root, secret)
    good = link(SBS_VALUES[0], RANSTR, sign(SBS_VALUES[0], RANSTR, secret))
    upper = link(SBS_VALUES[1], RANSTR, sign(SBS_VALUES[1], RANSTR, secret).upper())
    mixed = link(SBS_VALUES[2], RANSTR, sign(SBS_VALUES[0], OTHER_RANSTR, secret))
    other_app = link(SBS_VALUES[2], OTHER_RANSTR, "0" * 32, app=OTHER_APP)
    escaped = json.dumps(secret)
    (root / "a directory").mkdir()
    files.values = {
        "good": good,
        "upper": upper,
        "mixed": mixed,
        "other_app": other_app,
        "not_url": "visitorchat.twt.com/direct/demo_app?sbs=1 not a url",
        "secret_file": files.write("secret.txt", secret + "\n"),
        "secrets_file": files.write("secrets.toml", f"{APP} = {escaped}\n"),
        "candidates_file": files.write(
            "candidates.toml", f'staging = "staging-secret-0001"\nrotated = {escaped}\n'
        ),
        "batch_file": files.write("batch.txt", f"{good}\n{other_app}\n"),
        "links_file": files.write(
            "links.txt", f"{good}\n{upper}\nsee {mixed} and <{other_app}>\nno link here\n"
        ),
        "html_file": files.write(
            "mail.html", f'<p><a href="{upper.replace("&", "&amp;")}">chat</a></p>\n'
        ),
        "missing": str(root / "does-not-exist.txt"),
        "secret_value": secret,
        "directory": str(root / "a directory"),
        "two_line_secret": files.write("two-lines.txt", f"{secret}\n{secret}\n"),
        "bad_toml_secrets": files.write("bad-secrets.toml", f'{APP} = "{secret}\n'),
        "bad_json_secrets": files.write("bad-secrets.json", f'{{"{APP}": {escaped},}}'),
        "list_secrets": files.write("list-secrets.json", json.dumps({APP: [secret]})),
        "secret_keyed": files.write("secret-keyed.json", json.dumps({secret: 7})),
        "bad_config": files.write(
            "bad.toml", f'[tool.directlink]\napp_secret = {escaped}\nprofile = {escaped}\n'
        ),
        "broken_config": files.write("broken.toml", f'[tool.directlink]\nprofile = "{secret}\n'),
        "output": str(root / "out" / "report"),
        "qr": str(root / "out" / "qr.png"),
    }
    (root / "out").mkdir()
    return files


@dataclass(frozen=True)
class Sample:
    """A sample invocation; ``{name}`` placeholders are filled from :class:`Files`."""

    args: tuple[str, ...]
    #: Exit statuses that show the sample did what it meant to (not a usage slip).
    exits: frozenset[int] = frozenset({0, 1})


def ok(*args: str) -> Sample:
    return Sample(args)


def fails(*args: str) -> Sample:
    return Sample(args, frozenset({1, 2}))


#: Sample invocations of every command, by command path ("group sub" for sub-commands).
#: A string instead of samples: the command is only asked for ``--help`` here, and why.
SAMPLES: dict[str, tuple[Sample, ...] | str] = {
    "build": (
        ok("--app-id", APP, "--chat-id", "7", "--sbs", SBS_VALUES[0], "--ranstr", RANSTR),
        ok("--app-id", APP, "--sbs", SBS_VALUES[1]),
        fails("--app-id", APP, "--base", "/relative/base", "--sbs", SBS_VALUES[0]),
        fails("--app-id", APP, "--base", "{not_url}", "--sbs", SBS_VALUES[0]),
    ),
    "sign": (
        ok("--sbs", SBS_VALUES[0], "--ranstr", RANSTR),
        ok("--sbs", "", "--ranstr", ""),
        fails("--sbs", SBS_VALUES[0]),
    ),
    "check": (
        ok("{good}"),
        ok("{good}", "{upper}", "{mixed}", "{other_app}"),
        ok("{upper}", "{mixed}", "--fix", "--unsafe-fixes", "--context", "public"),
        fails("{not_url}"),
        fails("{missing}", "{upper}"),
    ),
    "explain": (
        ok("{good}"),
        ok("{upper}"),
        ok(
            "{mixed}",
            "--batch-file",
            "{batch_file}",
            "--candidate-secrets-file",
            "{candidates_file}",
        ),
        fails("{not_url}"),
        fails("{good}", "--batch-file", "{missing}"),
        fails("{good}", "--candidate-secrets-file", "{bad_toml_secrets}"),
        fails("https://visitorchat.twt.com/direct/demo_app?sbs=1"),
        ok("{upper}", "--language", "php"),
        fails("{upper}", "--language", "cobol"),
    ),
    "audit": (
        ok("{links_file}", "--jobs", "1"),
        ok("{root}", "--jobs", "1"),
        ok("{html_file}", "{links_file}", "--jobs", "2"),
        fails("{missing}", "--jobs", "1"),
        fails("{links_file}", "--jobs", "0"),
    ),
    "fix": (
        ok("{upper}"),
        ok("{good}", "{mixed}", "{not_url}"),
        ok("{upper}", "{mixed}", "--unsafe-fixes", "--show-fixes"),
        fails(),
        fails("{good}", "--select", "NO-SUCH-RULE"),
    ),
    "rules": (ok(), ok("DL309"), ok("secret-exposed"), fails("DL999")),
    "snippet": (ok("python"), ok("c#"), fails("cobol"), fails()),
    "vectors": (ok(), fails("stray-argument")),
    "serve": "only --help here: it starts a server; tests/test_service.py leak-tests every "
    "endpoint and its log lines",
}

#: Failure scenarios run against every command that has the option they need.
OPTION_FAILURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "secret_file": (
        ("--secret-file", "{missing}"),
        ("--secret-file", "{directory}"),
        ("--secret-file", "{two_line_secret}"),
        ("--secret-env", ENV, "--secret-file", "{secret_file}"),
        ("--secret-env", "LEAK_TEST_UNSET_VARIABLE"),
        ("--secret-env", "{secret_value}"),  # the secret pasted where a NAME goes
    ),
    "secrets_file": (
        ("--secrets-file", "{missing}"),
        ("--secrets-file", "{bad_toml_secrets}"),
        ("--secrets-file", "{bad_json_secrets}"),
        ("--secrets-file", "{list_secrets}"),
        ("--secrets-file", "{secret_keyed}"),
    ),
    "config": (("--config", "{bad_config}"), ("--config", "{broken_config}")),
    "config_path": (("--config", "{bad_config}"), ("--config", "{broken_config}")),
    "config_file": (("--config", "{bad_config}"), ("--config", "{broken_config}")),
    "candidate_secrets_file": (
        ("--candidate-secrets-file", "{directory}"),
        ("--candidate-secrets-file", "{bad_json_secrets}"),
        ("--candidate-secrets-file", "{bad_toml_secrets}"),
        ("--candidate-secrets-file", "{secret_keyed}"),
    ),
}

#: Options whose failure scenarios need not fail (a config may tolerate unknown keys).
MAY_SUCCEED = frozenset({"config", "config_path", "config_file"})
FORMAT_OPTIONS = ("output_format", "format")
OUTPUT_OPTIONS = ("output", "output_file", "report", "qr_file")


def leaf_commands(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    # Commands load lazily: ask the group for every one it offers, not the loaded ones.
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, path)
        else:
            yield " ".join(path), command


COMMANDS = dict(leaf_commands())


def options_of(command: click.Command) -> dict[str, click.Parameter]:
    return {param.name: param for param in command.params if param.name}


def format_choices(command: click.Command) -> list[tuple[str, str] | None]:
    for name in FORMAT_OPTIONS:
        param = options_of(command).get(name)
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice):
            flag = max(param.opts, key=len)
            return [(flag, str(choice)) for choice in param.type.choices]
    return [None]


def output_flag(command: click.Command) -> str | None:
    for name in OUTPUT_OPTIONS:
        param = options_of(command).get(name)
        if isinstance(param, click.Option):
            return max(param.opts, key=len)
    return None


def colour_args(command: click.Command) -> list[str]:
    """Arguments that force colour on, where the command can colour its output."""
    param = options_of(command).get("color")
    if not isinstance(param, click.Option):
        return []
    if isinstance(param.type, click.Choice):
        return [max(param.opts, key=len), "always"]
    return ["--color"]


def secret_ways(command: click.Command) -> list[tuple[str, ...]]:
    """Every way the command takes a secret (the default env var is always set)."""
    names = options_of(command)
    ways: list[tuple[str, ...]] = [()]
    if "secret_env" in names:
        ways.append(("--secret-env", ENV))
    if "secret_file" in names:
        ways.append(("--secret-file", "{secret_file}"))
    if "secrets_file" in names:
        ways.append(("--secrets-file", "{secrets_file}"))
    return ways


def fill(args: tuple[str, ...], files: Files) -> list[str]:
    values = {**files.values, "root": str(files.root)}
    return [arg.format(**values) if "{" in arg else arg for arg in args]


# ---------------------------------------------------------------------------
# Running


def run_and_check(
    secret: str,
    files: Files,
    path: str,
    args: list[str],
    caplog: pytest.LogCaptureFixture,
    exits: frozenset[int] | None = None,
) -> int:
    runner = CliRunner()
    env = {DEFAULT_ENV: secret, ENV: secret, "NO_COLOR": None, "LEAK_TEST_UNSET_VARIABLE": None}
    full = [*path.split(), *args]
    caplog.clear()
    result = runner.invoke(cli, full, env=env, catch_exceptions=True)
    where = f"directlink {' '.join(full)}"
    out = result.stdout_bytes.decode("utf-8", "replace")
    err = result.stderr_bytes.decode("utf-8", "replace")
    assert_no_leak(secret, out, f"{where} stdout")
    assert_no_leak(secret, err, f"{where} stderr")
    assert_no_leak(secret, caplog.text, f"{where} log")
    for produced in (files.root / "out").rglob("*"):
        if produced.is_file():
            content = produced.read_bytes().decode("utf-8", "replace")
            assert_no_leak(secret, content, f"{where} report file {produced.name}")
            produced.unlink()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text = "".join(traceback.format_exception(result.exception))
        assert_no_leak(secret, text, f"{where} exception")
        pytest.fail(f"{where} crashed instead of a one-line error: {result.exception!r}")
    assert "Traceback" not in err, where
    if exits is not None:
        assert result.exit_code in exits, f"{where} exited {result.exit_code}: {err.strip()}"
    return result.exit_code


@pytest.fixture(params=SECRETS, ids=["plain-secret", "secret-needing-encoding"])
def secret(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def files(tmp_path: Path, secret: str) -> Files:
    return make_files(tmp_path, secret)


def test_every_registered_command_has_leak_samples() -> None:
    missing = sorted(set(COMMANDS) - set(SAMPLES))
    assert not missing, (
        f"commands without a leak-test sample in tests/test_leaks.py SAMPLES: {missing}; "
        "add sample invocations (success and failure) for them"
    )


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_command_never_leaks(
    path: str, secret: str, files: Files, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    command = COMMANDS[path]
    samples = SAMPLES.get(path)
    if samples is None:
        pytest.fail(f"no leak samples for {path!r}")
    run_and_check(secret, files, path, ["--help"], caplog, frozenset({0}))
    if isinstance(samples, str):
        return
    formats = format_choices(command)
    output = output_flag(command)
    ways = secret_ways(command)
    for sample in samples:
        base = fill(sample.args, files)
        for choice in formats:
            chosen = [] if choice is None else list(choice)
            run_and_check(secret, files, path, [*base, *chosen], caplog, sample.exits)
            if output is not None:
                suffix = ".svg" if choice is None else f".{choice[1]}"
                target = [output, files.values["output"] + suffix]
                run_and_check(secret, files, path, [*base, *chosen, *target], caplog)
        colour = colour_args(command)
        if colour:
            run_and_check(secret, files, path, [*base, *colour], caplog, sample.exits)
        for way in ways[1:]:
            run_and_check(secret, files, path, [*base, *fill(way, files)], caplog, sample.exits)
    names = options_of(command)
    first = fill(samples[0].args, files) if samples else []
    for option, scenarios in OPTION_FAILURES.items():
        if option not in names:
            continue
        for scenario in scenarios:
            status = run_and_check(secret, files, path, [*first, *fill(scenario, files)], caplog)
            if option not in MAY_SUCCEED:
                assert status == 2, f"{path} {scenario} should be a user error"


def test_prompt_option_without_terminal_never_leaks(
    secret: str, files: Files, caplog: pytest.LogCaptureFixture
) -> None:
    for path, command in COMMANDS.items():
        samples = SAMPLES.get(path)
        if "secret_prompt" not in options_of(command) or not isinstance(samples, tuple):
            continue
        args = [*fill(samples[0].args, files), "--secret-prompt"]
        status = run_and_check(secret, files, path, args, caplog)
        assert status == 2, path


#: Commands that read links, and how to hand them one (``{leaked}`` is the link).
LINK_READERS: dict[str, tuple[str, ...]] = {
    "explain": ("{leaked}",),
    "check": ("{leaked}",),
    "fix": ("{leaked}",),
    "audit": ("{leaked_file}", "--jobs", "1"),
}
#: Link readers that still echo a secret the link itself carries (DL309), with the
#: reason. Strict xfail: the day one masks it, the suite says so and the entry goes.
ECHO_A_CARRIED_SECRET: dict[str, str] = {}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=ECHO_A_CARRIED_SECRET[name])
            if name in ECHO_A_CARRIED_SECRET
            else (),
        )
        for name in LINK_READERS
    ],
)
def test_links_carrying_the_secret_are_masked(
    path: str, secret: str, files: Files, caplog: pytest.LogCaptureFixture
) -> None:
    # A link that holds the AppSecret (DL309) must not get it echoed back.
    if path not in COMMANDS:
        pytest.skip(f"{path} is not registered")
    leaked = link(f"x{secret}", RANSTR, "0" * 32) + "&app_secret=" + quote(secret, safe="")
    files.values["leaked"] = leaked
    files.values["leaked_file"] = files.write("leaked.txt", leaked + "\n")
    args = fill(LINK_READERS[path], files)
    for choice in format_choices(COMMANDS[path]):
        chosen = [] if choice is None else list(choice)
        run_and_check(secret, files, path, [*args, *chosen], caplog, frozenset({0, 1}))


@pytest.mark.parametrize("secret", SECRETS, ids=["plain-secret", "secret-needing-encoding"])
def test_real_subprocess_never_leaks(secret: str, tmp_path: Path) -> None:
    files = make_files(tmp_path, secret)
    env = {k: v for k, v in os.environ.items() if k not in (DEFAULT_ENV, ENV)}
    env.update({DEFAULT_ENV: secret, "PYTHONIOENCODING": "utf-8"})
    runs = [
        ["explain", files.values["upper"]],
        ["explain", files.values["mixed"], "--format", "json",
         "--batch-file", files.values["batch_file"]],
        ["explain", files.values["good"], "--secrets-file", files.values["bad_toml_secrets"]],
        ["check", files.values["good"], files.values["upper"], "--format", "json"],
        ["sign", "--sbs", SBS_VALUES[0], "--ranstr", RANSTR, "--secret-file",
         files.values["two_line_secret"]],
    ]
    for args in runs:
        completed = subprocess.run(
            [sys.executable, "-m", "validator", *args],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        where = f"subprocess directlink {' '.join(args[:1])}"
        out = completed.stdout.decode("utf-8", "replace")
        err = completed.stderr.decode("utf-8", "replace")
        assert completed.returncode in (0, 1, 2), f"{where}: {err}"
        assert "Traceback" not in err, f"{where}: {err}"
        assert_no_leak(secret, out, f"{where} stdout")
        assert_no_leak(secret, err, f"{where} stderr")


@pytest.mark.parametrize("secret", SECRETS, ids=["plain-secret", "secret-needing-encoding"])
def test_the_detector_catches_every_form(secret: str) -> None:
    forms = forbidden(secret)
    assert len(set(forms.values())) >= 8
    for name, form in forms.items():
        with pytest.raises(AssertionError, match="leaked"):
            assert_no_leak(secret, f"output … {form} …", name)
    assert_no_leak(secret, "nothing secret: <AppSecret> 1a2b3c…", "clean text")


def test_the_samples_cover_success_and_failure() -> None:
    for path, samples in SAMPLES.items():
        if isinstance(samples, str):
            continue
        assert any(0 in s.exits for s in samples), f"{path}: no success sample"
        assert any(0 not in s.exits for s in samples), f"{path}: no failure sample"
