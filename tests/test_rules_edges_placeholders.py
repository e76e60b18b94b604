"""Template placeholders: every written form reported by DL511, and the finders' contracts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import check, parse
from validator.model import Finding
from validator.rules.placeholders import (
    find_placeholder,
    find_raw_placeholders,
    is_placeholder,
    may_hold_placeholder,
)

B = "https://visitorchat.twt.com/direct/demo_app"


def placeholders(url: str) -> list[Finding]:
    """DL511's findings on ``url``: the same from the screen, which reports placeholders in
    values, and from the rule (``check`` of a parsed link)."""
    screened = [f for f in check(url).findings if f.code == "DL511"]
    assert screened == [f for f in check(parse(url)).findings if f.code == "DL511"]
    return screened


@pytest.mark.parametrize(
    ("value", "shown", "found"),
    [("{{sbs}}", "{{sbs}}", "{{sbs}}"),
     ("{{%20user.id%20}}", "{{ user.id }}", "{{ user.id }}"),
     ("%7B%7Bsbs%7D%7D", "{{sbs}}", "{{sbs}}"),
     ("%7b%7bsbs%7d%7d", "{{sbs}}", "{{sbs}}"),
     ("${sbs}", "${sbs}", "${sbs}"),
     ("{SESSION_ID}", "{SESSION_ID}", "{SESSION_ID}"),
     ("<sbs>", "<sbs>", "<sbs>"),
     ("%3Csbs%3E", "<sbs>", "<sbs>"),
     ("%%SBS%%", "%%SBS%%", "%%SBS%%"),
     ("YOUR_NAME", "YOUR_NAME", "YOUR_NAME"),
     ("%253Csbs%253E", "%3Csbs%3E", "<sbs>")],
)
def test_each_placeholder_form_is_reported(value: str, shown: str, found: str) -> None:
    url = f"{B}?x=1&name={value}"
    [finding] = placeholders(url)
    start = len(f"{B}?x=1&name=")
    assert finding.span == (start, start + len(value))
    assert finding.param == "name"
    assert finding.message == f"name={shown!r}: {found!r} is an unexpanded template placeholder"


def test_a_route_parameter_is_a_placeholder_only_as_the_whole_value() -> None:
    [finding] = placeholders(f"{B}?direct=1&chatid=:chatid")
    assert finding.message == "chatid=':chatid': ':chatid' is an unexpanded template placeholder"
    assert find_placeholder(":chatid") == ":chatid"
    assert find_placeholder("a:chatid") is None
    assert find_placeholder(":chat id") is None


@pytest.mark.parametrize(
    "value",
    ["your_sbs", "Ann", "{}", "{1abc}", "<1>", "%%1%%", "YOUR_", "MY_YOUR_NAME", "50%25", "a<b",
     "%7Bx", "%3C1%3E"],
)
def test_ordinary_values_are_not_placeholders(value: str) -> None:
    assert placeholders(f"{B}?name={value}") == []


def test_find_placeholder_returns_the_first_one() -> None:
    assert find_placeholder("") is None
    assert find_placeholder("plain") is None
    assert find_placeholder("a {x} and {{y}}") == "{x}"
    assert find_placeholder("id=YOUR_APP_ID1") == "YOUR_APP_ID1"
    assert find_placeholder("YOUR_APP_") == "YOUR_APP"
    assert find_placeholder("%7Bx%7D") == "{x}"
    assert find_placeholder("%ZZ") is None
    assert is_placeholder("<sbs>") is True
    assert is_placeholder("sbs") is False


@pytest.mark.parametrize(
    "text",
    ["{x}", "<x>", "YOUR_X", "your_x", "a=:x", "/:x", "%%X%%", "%7Bx%7D", "%7bx%7d", "%3Cx%3E",
     "%3cx%3e", "%3Ax", "%3ax", "%253Cx%253E", "%5Fx", "%59OUR_X", "Y%4fUR_X", "YO%55R_X",
     "YOU%52_X", "%79our_x", "y%6Fur_x", "yo%75r_x", "you%72_x"],
)
def test_texts_that_may_hold_a_placeholder(text: str) -> None:
    assert may_hold_placeholder(text) is True


@pytest.mark.parametrize("text", ["", "plain", "a:x", "50%20off", "%41", "%7C", "%3D", "%2"])
def test_texts_that_cannot_hold_a_placeholder(text: str) -> None:
    assert may_hold_placeholder(text) is False


def test_raw_placeholders_are_found_with_their_spans() -> None:
    assert find_raw_placeholders("") == []
    assert find_raw_placeholders("a=1&b=2") == []
    text = "a={{x}}&b=%7B%7By%7D%7D&c=${z}&d={w}&e=%7bv%7d&f=<u>&g=%3ct%3E&h=%%S%%&i=YOUR_ID"
    assert [text[s:e] for s, e in find_raw_placeholders(text)] == [
        "{{x}}", "%7B%7By%7D%7D", "${z}", "{w}", "%7bv%7d", "<u>", "%3ct%3E", "%%S%%", "YOUR_ID",
    ]
    assert find_raw_placeholders("a=your_id") == [(2, 9)]
    assert find_raw_placeholders("a={1}") == []


@pytest.mark.parametrize(
    "raw",
    ["{x}", "<x>", "%%X%%", "%7Bx%7D", "%7bx%7d", "%3Cx%3E", "%3cx%3e", "YOUR_ID", "your_id"],
)
def test_each_raw_form_in_the_fragment_is_reported(raw: str) -> None:
    url = f"{B}#{raw}"
    [finding] = placeholders(url)
    assert finding.span == (44, 44 + len(raw))
    assert finding.message == f"{raw!r} is an unexpanded template placeholder"


def test_a_written_placeholder_comes_before_an_escaped_one() -> None:
    # The value reads '%7Ba%7D{b}': '{b}' is written as such, '{a}' only after decoding again.
    [finding] = placeholders(f"{B}?x=%257Ba%257D%7Bb%7D")
    assert finding.message == "x='%7Ba%7D{b}': '{b}' is an unexpanded template placeholder"


def test_a_route_parameter_is_the_whole_value() -> None:
    assert find_placeholder(":chatid") == ":chatid"
    assert find_placeholder("100%:chatid") is None
    assert placeholders(f"{B}?name=100%25:x") == []


def test_every_raw_form_at_once() -> None:
    text = "{a} <b> %%C%% %7Bd%7D %7be%7d %3Cf%3E %3cg%3e YOUR_H your_i"
    assert [text[start:end] for start, end in find_raw_placeholders(text)] == [
        "{a}", "<b>", "%%C%%", "%7Bd%7D", "%7be%7d", "%3Cf%3E", "%3cg%3e", "YOUR_H", "your_i"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("%59OUR_NAME", "YOUR_NAME"), ("Y%4fUR_NAME", "YOUR_NAME"), ("YO%55R_NAME", "YOUR_NAME"),
     ("YOU%52_NAME", "YOUR_NAME"), ("%7Bsbs}", "{sbs}"), ("%24{sbs}", "${sbs}"),
     ("%3Achatid", ":chatid"), ("%25%25SBS%25%25", "%%SBS%%"), ("%3Csbs>", "<sbs>")],
)
def test_a_placeholder_with_its_tell_tale_character_escaped_is_reported(
    value: str, shown: str
) -> None:
    [finding] = placeholders(f"{B}?name={value}")
    assert finding.message.startswith(f"name={shown!r}: ")


_FORMS = ["{{sbs}}", "{{ user.id }}", "${sbs}", "{SESSION_ID}", "<sbs>", "%%SBS%%",
          "YOUR_NAME", ":chatid"]


@st.composite
def _escaped_placeholders(draw: st.DrawFn) -> tuple[str, str]:
    """A placeholder form and its spelling with any of its characters percent-encoded."""
    form = draw(st.sampled_from(_FORMS))
    spelled = []
    for ch in form:
        how = draw(st.sampled_from(["raw", "upper", "lower"])) if ch != " " else "upper"
        if how == "raw":
            spelled.append(ch)
        else:
            escape = f"%{ord(ch):02X}"
            spelled.append(escape if how == "upper" else escape.lower())
    return form, "".join(spelled)


@given(_escaped_placeholders())
def test_a_placeholder_with_any_characters_escaped_is_reported(
    placeholder: tuple[str, str]
) -> None:
    form, spelled = placeholder
    url = f"{B}?direct=1&chatid={spelled}"
    [finding] = placeholders(url)
    assert finding.param == "chatid"
    assert finding.message == f"chatid={form!r}: {form!r} is an unexpanded template placeholder"
    start = url.index("chatid=") + len("chatid=")
    assert finding.span == (start, len(url))
