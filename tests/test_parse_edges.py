"""The parser at its edges: ports, IPv4 forms, credentials, dot segments, hosts, spans.

Every expected host, port and path here is what a browser's ``URL`` reads
(checked against Node's WHATWG ``URL``); the parser must agree on each.
"""

from __future__ import annotations

import pytest

from validator import parse

# (url, host, port, path) as the browser reads them; None where the browser throws.
BROWSER_READINGS: list[tuple[str, tuple[str, int | None, str] | None]] = [
    ("https://h.example:65535/direct/app", ("h.example", 65535, "/direct/app")),
    ("https://h.example:65536/direct/app", None),
    ("https://h.example:443/direct/app", ("h.example", None, "/direct/app")),
    ("http://h.example:80/direct/app", ("h.example", None, "/direct/app")),
    ("http://h.example:443/direct/app", ("h.example", 443, "/direct/app")),
    ("https://h.example:80/direct/app", ("h.example", 80, "/direct/app")),
    ("ftp://h.example:21/direct/app", ("h.example", None, "/direct/app")),
    ("ws://h.example:80/direct/app", ("h.example", None, "/direct/app")),
    ("wss://h.example:443/direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example:0/direct/app", ("h.example", 0, "/direct/app")),
    ("https://h.example:/direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example:12a/direct/app", None),
    ("https://h.example:１２/direct/app", None),
    ("https://0300.0250.0.1/direct/app", ("192.168.0.1", None, "/direct/app")),
    ("https://0xc0.0xa8.0.1/direct/app", ("192.168.0.1", None, "/direct/app")),
    ("https://0XC0.0Xa8.0.1/direct/app", ("192.168.0.1", None, "/direct/app")),
    ("https://192.168.1/direct/app", ("192.168.0.1", None, "/direct/app")),
    ("https://1.256/direct/app", ("1.0.1.0", None, "/direct/app")),
    ("https://3232235777/direct/app", ("192.168.1.1", None, "/direct/app")),
    ("https://4294967295/direct/app", ("255.255.255.255", None, "/direct/app")),
    ("https://0xffffffff/direct/app", ("255.255.255.255", None, "/direct/app")),
    ("https://0x/direct/app", ("0.0.0.0", None, "/direct/app")),
    ("https://1.2.3.4./direct/app", ("1.2.3.4", None, "/direct/app")),
    ("https://1.2.3.4.5/direct/app", None),
    ("https://192.168.0.256/direct/app", None),
    ("https://256.1.1.1/direct/app", None),
    ("https://1.2.65536/direct/app", None),
    ("https://4294967296/direct/app", None),
    ("https://09.1.1.1/direct/app", None),
    ("https://h.example/a/%2e/direct/app", ("h.example", None, "/a/direct/app")),
    ("https://h.example/a/%2E%2e/direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example/a/.%2E/direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example/x/../direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example/../direct/app", ("h.example", None, "/direct/app")),
    ("https://h.example/direct/./app", ("h.example", None, "/direct/app")),
    ("https://h.example/direct/app/.", ("h.example", None, "/direct/app/")),
    ("https://h.example/direct/app/..", ("h.example", None, "/direct/")),
    ("https://h.example/direct/app/%2e%2e", ("h.example", None, "/direct/")),
    ("https://h.example\\direct\\app", ("h.example", None, "/direct/app")),
    ("https:\\\\h.example/direct/app", ("h.example", None, "/direct/app")),
    ("https://H.EXAMPLE/direct/app", ("h.example", None, "/direct/app")),
    ("https://h%2Eexample/direct/app", ("h.example", None, "/direct/app")),
    ("https://bücher.example/direct/app", ("xn--bcher-kva.example", None, "/direct/app")),
    ("https://XN--BCHER-KVA.example/direct/app", ("xn--bcher-kva.example", None, "/direct/app")),
    ("https://xn--ls8h.la/direct/app", ("xn--ls8h.la", None, "/direct/app")),
    ("https://ab--c.example/direct/app", ("ab--c.example", None, "/direct/app")),
    ("https://xn--/direct/app", None),
    ("https://xn--a.example/direct/app", None),
    ("https://xn--a-ecp.example/direct/app", None),
    ("https://a.xn--zz/direct/app", None),
    ("https://[::1]:8080/direct/app", ("[::1]", 8080, "/direct/app")),
    ("https://[::1/direct/app", None),
    ("https://[::1]x/direct/app", None),
    ("https://h ex/direct/app", None),
    ("https://:443/direct/app", None),
    ("https:///direct/app", ("direct", None, "/app")),
    ("foo://h.example/direct/app", ("h.example", None, "/direct/app")),
    ("file:///direct/app", ("", None, "/direct/app")),
    ("file://h.example/direct/app", ("h.example", None, "/direct/app")),
    ("file:/direct/app", ("", None, "/direct/app")),
    ("file:direct/app", ("", None, "/direct/app")),
    ("file:////direct/app", ("", None, "//direct/app")),
    ("file://localhost/direct/app", ("", None, "/direct/app")),
    ("file://LOCALHOST/x", ("", None, "/x")),
    ("file://h%2Eexample/x", ("h.example", None, "/x")),
    ("file://[::1]/direct/app", ("[::1]", None, "/direct/app")),
    ("file://h:80/x", None),
    ("file://user@h/x", None),
]


@pytest.mark.parametrize(("url", "expected"), BROWSER_READINGS)
def test_host_port_and_path_as_the_browser_reads_them(
    url: str, expected: tuple[str, int | None, str] | None
) -> None:
    link = parse(url)
    if expected is None:
        assert not link.is_url
        assert link.error
        assert link.host is None and link.app_id is None
    else:
        assert link.is_url, link.error
        assert link.error is None
        assert (link.host, link.port, link.path) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://h.example:65536/direct/app", "port 65536 out of range"),
        ("https://h.example:12a/direct/app", "invalid port '12a'"),
        ("https://1.2.3.4.5/direct/app", "invalid IPv4 address '1.2.3.4.5'"),
        ("https://09.1.1.1/direct/app", "invalid IPv4 address '09.1.1.1'"),
        ("https://[::1/direct/app", "unclosed IPv6 address"),
        ("https://[::1]x/direct/app", "characters after IPv6 address"),
        ("https://h ex/direct/app", "forbidden character ' ' in host"),
        ("https://:443/direct/app", "empty host"),
        ("https://xn--a.example/direct/app", "host label 'xn--a' is not valid Punycode"),
        ("foo:/direct/app", "'foo:' URL has no host"),
        ("foo://a b/direct/app", "forbidden character in host 'a b'"),
        ("", "empty input"),
        ("direct/app", "no scheme: not an absolute URL"),
    ],
)
def test_the_error_says_what_the_browser_rejects(url: str, reason: str) -> None:
    link = parse(url)
    assert not link.is_url
    assert link.error == reason


@pytest.mark.parametrize(
    ("url", "username", "password", "host"),
    [
        ("https://us@er:pa:ss@h.example/direct/app", "us@er", "pa:ss", "h.example"),
        ("https://user@h.example/direct/app", "user", None, "h.example"),
        ("https://:pw@h.example/direct/app", "", "pw", "h.example"),
        ("https://u:@h.example/direct/app", "u", "", "h.example"),
        ("https://h.example/direct/app", "", None, "h.example"),
    ],
)
def test_credentials_split_at_the_last_at_and_the_first_colon(
    url: str, username: str, password: str | None, host: str
) -> None:
    link = parse(url)
    assert (link.username, link.password, link.host) == (username, password, host)
    assert link.app_id == "app"


def test_every_span_points_at_its_part_of_the_input() -> None:
    url = " \thttps://u:p@h.example:8443/base/direct/app_1/?direct=1&chatid=c%201#frag?x=1 "
    link = parse(url)

    def text(span: tuple[int, int] | None) -> str:
        assert span is not None
        return url[span[0] : span[1]]

    assert link.is_url
    assert text(link.content_span) == url.strip(" \t")
    assert text(link.scheme_span) == "https"
    assert text(link.authority_span) == "u:p@h.example:8443"
    assert text(link.path_span) == "/base/direct/app_1/"
    assert text(link.app_id_span) == "app_1"
    assert text(link.query_span) == "direct=1&chatid=c%201"
    assert text(link.fragment_span) == "frag?x=1"
    assert link.path == "/base/direct/app_1/"
    assert link.base_path == "/base"
    assert link.trailing_slash is True
    assert link.port == 8443
    assert link.removed_whitespace == ()
    chat = link.param("chatid")
    assert chat is not None
    assert (chat.value, chat.raw) == ("c 1", "chatid=c%201")
    assert [(p.name, p.value) for p in link.fragment_params] == [("x", "1")]


def test_spans_skip_dropped_tabs_and_newlines_inside_every_part() -> None:
    url = "ht\ntps://h.ex\tample/dir\nect/ap\tp?dire\nct=1&chat\tid=a\nb#f\nr"
    link = parse(url)
    assert link.is_url
    assert link.removed_whitespace == tuple(i for i, ch in enumerate(url) if ch in "\t\n")

    def text(span: tuple[int, int] | None) -> str:
        assert span is not None
        return url[span[0] : span[1]].replace("\t", "").replace("\n", "")

    assert text(link.scheme_span) == "https"
    assert text(link.authority_span) == "h.example"
    assert text(link.path_span) == "/direct/app"
    assert text(link.app_id_span) == "app"
    assert text(link.query_span) == "direct=1&chatid=ab"
    assert text(link.fragment_span) == "fr"
    assert link.chat_id == "ab"
    chat = link.param("chatid")
    assert chat is not None
    assert url[chat.span[0] : chat.span[1]] == "chat\tid=a\nb"


def test_dot_segments_keep_the_app_id_span_on_its_segment() -> None:
    url = "https://h.example/x/%2E%2E/direct/./app?direct=1"
    link = parse(url)
    assert link.path == "/direct/app"
    assert link.app_id == "app"
    assert link.app_id_span is not None
    assert url[link.app_id_span[0] : link.app_id_span[1]] == "app"
    dropped = parse("https://h.example/direct/app/..")
    assert dropped.app_id == ""
    assert dropped.app_id_span == (31, 31)


@pytest.mark.parametrize(
    ("url", "app_id", "base_path", "trailing"),
    [
        ("https://h.example/direct/app", "app", "", False),
        ("https://h.example/direct/app/", "app", "", True),
        ("https://h.example/a/b/direct/app", "app", "/a/b", False),
        ("https://h.example/direct", "", "", False),
        ("https://h.example/direct/", "", "", False),
        ("https://h.example/direct/app/x", None, None, False),
        ("https://h.example/", None, None, False),
        ("https://h.example", None, None, False),
    ],
)
def test_where_the_app_id_is(
    url: str, app_id: str | None, base_path: str | None, trailing: bool
) -> None:
    link = parse(url)
    assert (link.app_id, link.base_path, link.trailing_slash) == (app_id, base_path, trailing)


def test_lone_surrogates_of_both_halves_read_as_replacement_characters() -> None:
    for surrogate in ("\ud800", "\udbff", "\udc00", "\udfff"):
        url = f"https://h.example/direct/app?direct=1&chatid=a{surrogate}b"
        link = parse(url)
        assert link.chat_id == "a\ufffdb"
        assert link.input == url
        chat = link.param("chatid")
        assert chat is not None and chat.span == (url.index("chatid"), len(url))
