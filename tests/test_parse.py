"""The parser: structure, spans into the original text, and browser quirks."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import check, parse
from validator.model import NO_VALUES

DOC_EXAMPLE = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123"


def test_documentation_example() -> None:
    link = parse(DOC_EXAMPLE)
    assert link.is_url and link.error is None
    assert (link.scheme, link.host, link.port) == ("https", "visitorchat.twt.com", None)
    assert link.app_id == "demo_app"
    assert link.base_path == ""
    assert link.direct == "1"
    assert link.chat_id == "session-abc-123"
    assert link.chat_id_key == "chatid"
    assert [(p.name, p.value) for p in link.params] == [
        ("direct", "1"),
        ("chatid", "session-abc-123"),
    ]


def test_documentation_lang_and_customer_examples() -> None:
    link = parse("https://visitorchat.twt.com/direct/demo_app?lang=en")
    assert link.lang == "en"
    full = parse(
        "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0123456789abcdef0123456789abcdef"
        "&ranstr=abcdefghijklmnop&name=Ann%20Lee&nickname=ann&email=ann%40example.com&phone=%2B8613800000000"
    )
    assert full.sbs == "42"
    assert full.sbs_mm == "0123456789abcdef0123456789abcdef"
    assert full.ranstr == "abcdefghijklmnop"
    assert full.name == "Ann Lee"
    assert full.nickname == "ann"
    assert full.email == "ann@example.com"
    assert full.phone == "+8613800000000"


def test_spans_point_into_the_original_text() -> None:
    url = "  https://h.example/direct/app?direct=1&chatid=a%20b#x  "
    link = parse(url)
    chat = link.param("chatid")
    assert chat is not None
    assert url[chat.span[0] : chat.span[1]] == "chatid=a%20b"
    assert url[chat.value_span[0] : chat.value_span[1]] == "a%20b"
    assert chat.value == "a b" and chat.raw == "chatid=a%20b" and chat.raw_value == "a%20b"
    assert link.app_id_span is not None
    assert url[link.app_id_span[0] : link.app_id_span[1]] == "app"
    assert link.text == url.strip()
    assert link.fragment == "x"


def test_tabs_and_newlines_are_dropped_but_spans_stay_on_the_original() -> None:
    url = "https://h/dir\nect/app?ch\tatid=1\r\n&direct=1"
    link = parse(url)
    assert link.app_id == "app"
    assert link.chat_id == "1"
    chat = link.param("chatid")
    assert chat is not None
    assert url[chat.span[0] : chat.span[1]] == "ch\tatid=1"
    assert link.removed_whitespace == (13, 24, 31, 32)


def test_leading_and_trailing_c0_and_space_are_stripped() -> None:
    link = parse("\x00\x1f https://h/direct/app?lang=en \x01")
    assert link.is_url
    assert link.lang == "en"
    assert link.content_span == (3, 31)


@pytest.mark.parametrize(
    "url",
    [
        "https:\\\\h\\direct\\app?lang=en",
        "https:/h/direct/app?lang=en",
        "https:h/direct/app?lang=en",
        "HTTPS://H/direct/app?lang=en",
        "https://h:443/direct/app?lang=en",
        "https://h/x/../direct/./app?lang=en",
    ],
)
def test_browser_normalisations(url: str) -> None:
    link = parse(url)
    assert link.is_url
    assert (link.scheme, link.host, link.port, link.app_id) == ("https", "h", None, "app")
    assert link.lang == "en"


def test_base_path_trailing_slash_and_non_direct_paths() -> None:
    assert parse("https://h/support/chat/direct/app").base_path == "/support/chat"
    slash = parse("https://h/direct/app/")
    assert slash.app_id == "app" and slash.trailing_slash
    assert parse("https://h/direct/").app_id == ""
    assert parse("https://h/direct").app_id == ""
    other = parse("https://h/chat/app?direct=1")
    assert other.is_url and other.app_id is None and other.direct == "1"


def test_query_is_between_first_question_mark_and_first_hash() -> None:
    link = parse("https://h/direct/app?a=1?b=2#c=3&d?e=4")
    assert [(p.name, p.value) for p in link.params] == [("a", "1?b=2")]
    assert link.fragment == "c=3&d?e=4"
    assert [(p.name, p.value) for p in link.fragment_params] == [("e", "4")]
    whole = parse("https://h/direct/app#direct=1&chatid=7")
    assert not whole.params
    assert [p.name for p in whole.fragment_params] == ["direct", "chatid"]


def test_hash_inside_a_value_cuts_the_query() -> None:
    link = parse("https://h/direct/app?chatid=a#b&direct=1")
    assert link.chat_id == "a"
    assert link.direct is None


def test_first_value_wins_and_get_all_keeps_order() -> None:
    link = parse("https://h/direct/app?lang=en&lang=ja&chat_id=2&chatid=1")
    assert link.lang == "en"
    assert link.get_all("lang") == ("en", "ja")
    assert link.chat_id == "1"  # chatid wins over chat_id whatever the order
    assert link.get("missing") is None


def test_bom_and_non_ascii_raw_text() -> None:
    link = parse("https://h/direct/app?name=\ufeffJosé&nickname=李")
    assert link.name == "\ufeffJosé"
    assert link.nickname == "李"


def test_lone_surrogates() -> None:
    link = parse("https://h/direct/app?name=%ED%A0%80&nickname=\ud800x")
    assert link.name == "\ufffd\ufffd\ufffd"
    assert link.nickname == "\ufffdx"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("visitorchat.twt.com/direct/app", "scheme"),
        ("mailto:someone@example.com", "host"),
        ("https://", "host"),
        ("https://h:99999/direct/app", "port"),
        ("https://h:12a/direct/app", "port"),
        ("https://exa mple.com/direct/app", "forbidden"),
        ("https://[::1/direct/app", "IPv6"),
        ("https://1.2.3.256/direct/app", "IPv4"),
    ],
)
def test_not_urls_say_why(url: str, reason: str) -> None:
    link = parse(url)
    assert not link.is_url
    assert link.error is not None and reason in link.error


def test_not_a_url_still_carries_its_query() -> None:
    link = parse("visitorchat.twt.com/direct/app?direct=1&chatid=7")
    assert not link.is_url
    assert link.chat_id == "7"


def test_credentials_ports_and_hosts() -> None:
    link = parse("https://user:pass@Visitor.Example:8443/direct/app")
    assert (link.username, link.password, link.host, link.port) == (
        "user",
        "pass",
        "visitor.example",
        8443,
    )
    assert parse("https://bücher.de/direct/app").host == "xn--bcher-kva.de"
    assert parse("https://0x7f.1/direct/app").host == "127.0.0.1"
    assert parse("http://h/direct/app").scheme == "http"


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse(b"https://h/direct/app")  # type: ignore[arg-type]


@given(st.text())
def test_parse_never_raises_on_text(text: str) -> None:
    link = parse(text)
    for param in link.params:
        start, end = param.span
        assert 0 <= start <= end <= len(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_parse_never_raises_inside_a_link(value: str) -> None:
    url = f"https://h/direct/app?sbs={value}&direct=1#{value}"
    link = parse(url)
    assert link.is_url
    assert link.app_id == "app"


def test_parse_handles_a_megabyte() -> None:
    url = "https://h/direct/app?name=" + "a%" * 500_000
    link = parse(url)
    assert link.name is not None and len(link.name) == 1_000_000


def test_parser_fills_every_model_field_in_order() -> None:
    # parse builds the named tuple positionally from a dict written in field order.
    link = parse("https://u@h:8080/b/direct/app/?x=1#f?y=2")
    assert link._asdict()["app_id"] == "app"
    assert (link.username, link.port, link.base_path, link.trailing_slash) == (
        "u",
        8080,
        "/b",
        True,
    )
    assert (link.query, link.fragment, link.first_values) == ("x=1", "f?y=2", {"x": "1"})
    assert link.scheme_span == (0, 5) and link.content_span == (0, 40)


@pytest.mark.parametrize(
    ("url", "app_id", "span", "trailing"),
    [
        ("https://h/direct", "", (16, 16), False),
        ("https://h/x/direct", "", (18, 18), False),
        ("https://h/direct/", "", (17, 17), False),
        ("https://h/direct/ab/", "ab", (17, 19), True),
        ("https://h/a/../direct/ab", "ab", (22, 24), False),
        ("https://h/b/direct/ab?x", "ab", (19, 21), False),
        ("https://h/b/./direct/ab", "ab", (21, 23), False),
    ],
)
def test_app_id_spans(url: str, app_id: str, span: tuple[int, int], trailing: bool) -> None:
    link = parse(url)
    assert (link.app_id, link.app_id_span, link.trailing_slash) == (app_id, span, trailing)


@pytest.mark.parametrize(
    "url",
    ["https://h/direct/a?%z\r\r#x", "https://h/direct/a?a=\r\r&b=1", "https://h/direct/a?k\n"],
)
def test_empty_values_next_to_dropped_newlines_keep_ordered_spans(url: str) -> None:
    for param in parse(url).params:
        for start, end in (param.span, param.name_span, param.value_span):
            assert 0 <= start <= end <= len(url)
        assert param.span[0] <= param.value_span[0] and param.value_span[1] == param.span[1]


@given(st.text(alphabet="ab=&%\t\n\r#?+", max_size=30))
def test_spans_are_ordered_with_dropped_whitespace(tail: str) -> None:
    url = "https://h/direct/a?" + tail
    link = parse(url)
    for param in (*link.params, *link.fragment_params):
        for start, end in (param.span, param.name_span, param.value_span):
            assert 0 <= start <= end <= len(url)


@pytest.mark.parametrize(
    "url",
    ["http://visitorchat.twt.com/direct/demo_app", "https://visitorchat.twt.com/direct/a#x",
     "not a url", "", "https://visitorchat.twt.com/direct/a?", "https://h/direct/a?x=1&x=2"],
)
def test_every_parse_and_its_report_pickles_and_copies(url: str) -> None:
    # A link without a query once held a MappingProxyType, which cannot be pickled: a
    # report could not cross a process boundary.
    link = parse(url)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(link, protocol)) == link
        assert pickle.loads(pickle.dumps(check(url), protocol)) == check(url)
    assert copy.deepcopy(link) == link
    if "?" not in url:
        assert link.first_values is NO_VALUES
        assert pickle.loads(pickle.dumps(link)).first_values is NO_VALUES
        assert link.get("x") is None and "x" not in link.first_values
        assert dict(link.first_values) == {} and repr(link.first_values) == "{}"
