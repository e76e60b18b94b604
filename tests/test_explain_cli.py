"""``directlink explain``: output, exit codes, secret sources, candidates and batches."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from validator.cli import cli
from validator.diagnose import diagnose_signature, diagnosis_to_dict
from validator.report.explain_text import render_diagnosis, visible
from validator.signature import inner_digest, sign

SECRET = "s3cr3t/+ é&"
ENV = "EXPLAIN_TEST_SECRET"
SBS = "john doe é"
RANSTR = "Xk9fQ2mZ7pL4wR8t"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def url(sbs_mm: str, sbs: str = SBS, ranstr: str = RANSTR, app: str = "demo_app") -> str:
    return (
        f"https://visitorchat.twt.com/direct/{app}?direct=1&chatid=7"
        f"&sbs={quote(sbs, safe='')}&ranstr={quote(ranstr, safe='')}&sbs_mm={sbs_mm}"
    )


GOOD = url(sign(SBS, RANSTR, SECRET))


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    environment: dict[str, str | None] = {ENV: SECRET, "DIRECTLINK_APP_SECRET": None}
    environment.update(env or {})
    return CliRunner().invoke(cli, list(args), env=environment, input=stdin)


def test_correct_signature_exits_0_with_steps() -> None:
    result = run("explain", GOOD, "--secret-env", ENV)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Verdict: OK" in out
    assert '"john␣doe␣⟨U+00E9 é⟩"' in out
    assert "<AppSecret>" in out
    assert inner_digest(SBS, SECRET)[:6] + "…" in out
    assert sign(SBS, RANSTR, SECRET) in out
    assert "markers:" in out


def test_mismatch_exits_1_and_names_the_mistake_with_its_fix() -> None:
    result = run("explain", url(sign(SBS, RANSTR, SECRET).upper()), "--secret-env", ENV)
    assert result.exit_code == 1
    out = result.stdout
    assert "Verdict: MISMATCH" in out
    assert "[uppercase-hex]" in out
    assert "fix:" in out and "lower case" in out
    assert "upper-case hex digits; the page expects lower case" in out


def test_unknown_cause_shows_values_to_compare() -> None:
    result = run("explain", url("0123456789abcdef" * 2), "--secret-env", ENV)
    assert result.exit_code == 1
    out = result.stdout
    assert "unknown cause" in out
    assert "6a 6f 68 6e 20 64 6f 65 20 c3 a9" in out  # sbs as UTF-8 bytes
    assert f"AppSecret: {len(SECRET)} characters" in out


def test_json_format() -> None:
    given_mm = md5(md5(f"{SBS}-{SECRET}") + "-" + RANSTR)
    result = run("explain", url(given_mm), "--secret-env", ENV, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["matches"][0] == "wrong-separator"
    assert data["expected"] == sign(SBS, RANSTR, SECRET)
    assert data["given"] == given_mm
    assert data["sbs"] == SBS
    assert data["url"].startswith("https://visitorchat.twt.com/direct/demo_app?")
    assert data["steps"][0]["hashed"] == f"{SBS}_<AppSecret>"
    assert data["details"][0]["fix"]


def test_secret_file_keeps_no_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    result = run("explain", GOOD, "--secret-file", str(path))
    assert result.exit_code == 0, result.output


def test_secrets_file_by_app_id(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(f'demo_app = "{SECRET}"\nother = "nope-nope"\n', encoding="utf-8")
    assert run("explain", GOOD, "--secrets-file", str(path)).exit_code == 0
    missing = run("explain", url("0" * 32, app="third"), "--secrets-file", str(path))
    assert missing.exit_code == 2
    assert "no secret for app id 'third'" in missing.stderr


def test_candidate_secrets_file_names_label(tmp_path: Path) -> None:
    staging = "staging-secret-0001"
    path = tmp_path / "candidates.toml"
    path.write_text(f'rotated = "old-one-xx"\nstaging = "{staging}"\n', encoding="utf-8")
    given_mm = sign(SBS, RANSTR, staging)
    result = run(
        "explain", url(given_mm), "--secret-env", ENV, "--candidate-secrets-file", str(path)
    )
    assert result.exit_code == 1
    assert "[other-secret]" in result.stdout
    assert "'staging'" in result.stdout
    assert staging not in result.stdout
    lines = tmp_path / "candidates.txt"
    lines.write_text(f"old-one-xx\n{staging}\n", encoding="utf-8")
    result = run(
        "explain", url(given_mm), "--secret-env", ENV, "--candidate-secrets-file", str(lines),
        "--format", "json",
    )
    data = json.loads(result.stdout)
    assert data["details"][0]["secret_label"] == "line 2"


def test_batch_file_names_the_other_link(tmp_path: Path) -> None:
    other = url("0" * 32, sbs="李四", ranstr="Qw3rTy7uIo9pAs2d")
    path = tmp_path / "batch.txt"
    path.write_text(f"\n{GOOD}\n{other}\n", encoding="utf-8")
    given_mm = sign("李四", RANSTR, SECRET)
    result = run("explain", url(given_mm), "--secret-env", ENV, "--batch-file", str(path))
    assert result.exit_code == 1
    assert "[other-link-values]" in result.stdout
    assert "batch link 2" in result.stdout


def test_reads_the_link_from_stdin() -> None:
    result = run("explain", "-", "--secret-env", ENV, stdin=f"\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    two = run("explain", "-", "--secret-env", ENV, stdin=f"{GOOD}\n{GOOD}\n")
    assert two.exit_code == 2
    assert "one link" in two.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", GOOD], "no secret"),
        (["explain", GOOD, "--secret-env", "UNSET_VARIABLE_X"], "UNSET_VARIABLE_X is not set"),
        (["explain", GOOD, "--secret-file", "/nonexistent/secret"], "does not exist"),
        (["explain", "not a url", "--secret-env", ENV], "not a URL"),
        (
            ["explain", "https://visitorchat.twt.com/direct/demo_app?sbs=1", "--secret-env", ENV],
            "no ranstr or sbs_mm",
        ),
        (["explain", GOOD, "--secret-env", ENV, "--batch-file", "/nonexistent/b"], "batch file"),
        (
            ["explain", GOOD, "--secret-env", ENV, "--candidate-secrets-file", "/nonexistent/c"],
            "does not exist",
        ),
        (["explain", GOOD, "--secret-env", ENV, "--secret-file", "x"], "give one of"),
        (["explain", GOOD, "--secret-prompt"], "needs a terminal"),
    ],
)
def test_user_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_color_is_opt_in_when_not_a_terminal() -> None:
    plain = run("explain", url("0" * 32), "--secret-env", ENV)
    assert "\x1b[" not in plain.stdout
    coloured = run("explain", url("0" * 32), "--secret-env", ENV, "--color")
    assert "\x1b[" in coloured.stdout


def test_visible_markers() -> None:
    assert visible("a b")[0] == "a␣b"
    assert visible("a+b")[0] == "a⟨+⟩b"
    assert visible("é")[0] == "⟨U+00E9 é⟩"
    assert visible("\n\x01")[0] == "⟨\\n⟩⟨U+0001⟩"
    assert visible("\u200b")[0] == "⟨U+200B⟩"
    assert visible("plain") == ("plain", False)


def test_render_masks_a_secret_held_in_the_values() -> None:
    # A link that carries the secret itself (DL309) must not print it back.
    diagnosis = diagnose_signature(f"id-{SECRET}", RANSTR, "0" * 32, SECRET)
    text = render_diagnosis(diagnosis, url=f"https://h/direct/a?sbs=id-{quote(SECRET)}")
    assert SECRET not in text
    assert quote(SECRET) not in text
    assert SECRET.encode().hex(" ") not in text


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_secret_prompt_on_a_terminal() -> None:
    import pty
    import select
    import subprocess

    try:
        leader, follower = pty.openpty()
    except OSError as error:  # containers without /dev/ptmx
        pytest.skip(f"no pseudo-terminal: {error}")
    process = subprocess.Popen(
        [sys.executable, "-m", "validator", "explain", GOOD, "--secret-prompt"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={k: v for k, v in os.environ.items() if k != "DIRECTLINK_APP_SECRET"},
    )
    os.close(follower)
    seen = b""
    while b"AppSecret" not in seen:
        ready, _, _ = select.select([leader], [], [], 30)
        assert ready, f"no prompt; got {seen!r}"
        seen += os.read(leader, 1024)
    os.write(leader, SECRET.encode() + b"\n")
    stdout, _ = process.communicate(timeout=60)
    echoed = b""
    while select.select([leader], [], [], 0.2)[0]:
        try:
            chunk = os.read(leader, 1024)
        except OSError:
            break
        if not chunk:
            break
        echoed += chunk
    os.close(leader)
    assert process.returncode == 0, stdout.decode()
    assert "Verdict: OK" in stdout.decode()
    assert SECRET.encode() not in seen + echoed + stdout  # hidden input, never echoed


def test_render_never_passes_control_characters_to_the_terminal() -> None:
    diagnosis = diagnose_signature(
        "a\x1b[2Jb", "r\x07", "\x1b[31m" + "0" * 27, SECRET, raw_sbs="a\x1b[2Jb"
    )
    text = render_diagnosis(diagnosis, url="https://h/direct/a?sbs=a\x1b[2Jb", color=False)
    assert "\x1b" not in text and "\x07" not in text
    assert "⟨U+001B⟩" in text


@given(
    sbs=st.text(max_size=20),
    ranstr=st.text(max_size=20),
    tail=st.text(min_size=5, max_size=16),
    given_mm=st.text(alphabet="0123456789abcdefABCDEF", max_size=40),
    embed=st.booleans(),
)
def test_property_rendering_never_shows_secret_or_inner_digest(
    sbs: str, ranstr: str, tail: str, given_mm: str, embed: bool
) -> None:
    secret = "§" + tail  # '§' appears nowhere in the templates: any match is a leak
    if embed:
        sbs = sbs + secret  # a link that carries its own secret (DL309)
    diagnosis = diagnose_signature(
        sbs, ranstr, given_mm, secret, candidates={"old": "§" + tail[::-1] + "x"}
    )
    text = render_diagnosis(diagnosis, url=f"https://h/direct/a?sbs={quote(sbs)}", color=True)
    data = json.dumps(diagnosis_to_dict(diagnosis), ensure_ascii=False)
    inner = inner_digest(sbs, secret)
    for output in (text, data):
        assert secret not in output
        assert quote(secret, safe="") not in output
        assert inner not in output.lower()


def test_secret_passed_as_the_variable_name_is_not_echoed() -> None:
    result = run("explain", GOOD, "--secret-env", SECRET)
    assert result.exit_code == 2
    assert SECRET not in result.stderr
    assert "rotate it" in result.stderr
    named = run("explain", GOOD, "--secret-env", "MY_APP_SECRET")
    assert "environment variable MY_APP_SECRET is not set" in named.stderr


def test_text_tells_how_the_app_reads_a_plus() -> None:
    plus = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=john+doe"
        f"&ranstr={RANSTR}&sbs_mm={sign('john doe', RANSTR, SECRET)}"
    )
    result = run("explain", plus, "--secret-env", ENV)
    assert result.exit_code == 0
    assert "correct in a browser" in result.stdout
    assert 'reads sbs as "john⟨+⟩doe": there the signature is wrong' in result.stdout
