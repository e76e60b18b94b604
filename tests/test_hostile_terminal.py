"""Hostile text on a terminal: no control, bidi or zero-width character reaches it raw.

Each case is written at run time: a link or a file name holding an OSC 0/52
sequence (window title, clipboard write), CSI, BEL, CR or a newline that
would forge a ``file:1:1`` finding line, U+202E, isolates, zero-width spaces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from validator import check
from validator.cli import cli
from validator.report.terminal import is_unsafe, terminal_text
from validator.report.text import _columns, columns_of_each, render_report

B = "https://visitorchat.twt.com/direct/demo_app"
OSC_TITLE = "\x1b]0;owned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
CSI_CLEAR = "\x1b[2J"
BIDI = "\u202e\u2066\u2069\u200f"
ZERO_WIDTH = "\u200b\u200d\ufeff"

#: What a terminal acts on or hides: C0, DEL, C1, bidi, zero-width, separators, surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def percent(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b", "\\x1b"),
        ("\x07", "\\x07"),
        ("\r", "\\r"),
        ("\n", "\\n"),
        ("\t", "\\t"),
        ("\x7f", "\\x7f"),
        ("\x9b", "\\x9b"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u200b", "\\u200b"),
        ("\ufeff", "\\ufeff"),
        ("\u2028", "\\u2028"),
        ("\u3164", "\\u3164"),
        ("\ud800", "\\ud800"),
        ("\U000e0041", "\\U000e0041"),
    ],
)
def test_each_unsafe_character_is_shown_as_an_escape(raw: str, shown: str) -> None:
    assert terminal_text(f"a{raw}b") == f"a{shown}b"


def test_ordinary_text_passes_unchanged() -> None:
    for text in ("https://h/direct/a?x=1", "张三 José ñ ü 😀", "tab-free ascii ~!@#$%^&*()"):
        assert terminal_text(text) == text


@given(st.text())
def test_no_unsafe_character_survives(text: str) -> None:
    rendered = terminal_text(text)
    assert not any(is_unsafe(ch) for ch in rendered)
    assert not FORBIDDEN.search(rendered)


@pytest.mark.parametrize("payload", [OSC_TITLE, OSC_CLIPBOARD, CSI_CLEAR, BIDI, ZERO_WIDTH])
@pytest.mark.parametrize("color", ["never", "always"])
def test_check_text_never_prints_a_decoded_payload_raw(payload: str, color: str) -> None:
    # Decoded values reach the page: line, the chat id, the customer name, messages.
    value = percent(payload)
    link = f"{B}?direct=1&chatid=s{value}1&name={value}&lang={value}"
    result = CliRunner().invoke(cli, ["check", "--color", color, link])
    assert result.exit_code in (0, 1), result.output
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.output) if color == "always" else result.output
    assert not FORBIDDEN.search(text), text
    assert "page:" in text


def test_the_page_line_shows_the_escape_of_the_chat_id() -> None:
    report = check(f"{B}?direct=1&chatid={percent(OSC_CLIPBOARD)}")
    page = next(line for line in render_report(report).splitlines() if "page:" in line)
    assert "\\x1b]52;c;ZXZpbA==\\x07" in page


def test_underlines_stay_under_their_characters_after_an_escape() -> None:
    link = f"{B}?x=\x1b[2J&lang=pt-BR"
    lines = render_report(check(link)).splitlines()
    link_line, underline = lines[0], lines[1]
    assert "\x1b" not in link_line
    column = link_line.index("pt-BR")
    assert underline[column : column + 5] == "^^^^^"


def test_stdin_link_with_raw_escapes_and_carriage_return() -> None:
    link = f"{B}?direct=1&chatid=s1{OSC_TITLE}\r1 error DL000 forged"
    result = CliRunner().invoke(cli, ["check", "-"], input=link + "\n")
    assert not FORBIDDEN.search(result.output)


def test_explain_never_prints_control_characters() -> None:
    link = f"{B}?sbs=a{percent(OSC_TITLE)}&ranstr={percent(BIDI)}abcdefghijklmnop&sbs_mm={'0' * 32}"
    result = CliRunner().invoke(
        cli, ["explain", "--secret-env", "HOSTILE_SECRET", link], env={"HOSTILE_SECRET": "s3cr3t"}
    )
    assert result.exit_code in (0, 1), result.output
    assert not FORBIDDEN.search(result.output)


HOSTILE_NAMES = [
    "title\x1b]0;owned\x07.txt",
    "clip\x1b]52;c;ZXZpbA==\x07.txt",
    "forge\nfake.txt:1:1  DL999 error  forged.txt",
    "cr\rback.txt",
    "bidi\u202etxt.exe",
    "zero\u200bwidth.txt",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_audit_text_escapes_hostile_file_names(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(f"see {B}?chatid=42\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "--format", "text", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    assert not FORBIDDEN.search(result.output), result.output
    assert not any(line.startswith("fake.txt") for line in result.output.splitlines())
    assert terminal_text(name) in result.output


def test_audit_text_escapes_a_non_utf8_file_name(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    raw = bytes(tmp_path / "x") + b"/caf\xe9\x1b.txt"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(f"{B}?chatid=42\n")
    result = CliRunner().invoke(cli, ["audit", "--format", "text", str(tmp_path)])
    assert "\x1b" not in result.output
    assert not FORBIDDEN.search(result.output)


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "--config", "no\x1b]0;owned\x07such.toml", f"{B}?direct=1&chatid=1"],
        ["check", "--format", "te\x1b[2Jxt", f"{B}?direct=1&chatid=1"],
        ["check", "--secret-file", "missing\x1b]52;c;eA==\x07", f"{B}?direct=1&chatid=1"],
        ["audit", "missing\x1b]0;t\x07dir"],
        ["rules", "DL\x1b[31m1"],
    ],
)
def test_errors_on_stderr_are_escaped(arguments: list[str]) -> None:
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == (1 if arguments[0] == "audit" else 2)  # audit: an unreadable path
    assert "\x1b" not in result.output and "\x07" not in result.output, result.output
    assert "Traceback" not in result.output


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
       | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_columns_of_plain_ascii_are_the_columns_of_each_character(text: str) -> None:
    assert _columns(text) == columns_of_each(text)
