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
    ("file:\\\\h\\x", ("h", None, "/x")),
    ("file:/\\h/x", ("h", None, "/x")),
    ("file:\\/h/x", ("h", None, "/x")),
    ("file://h", ("h", None, "/")),
    ("file:///direct/app?a=1", ("", None, "/direct/app")),
    ("file:///direct\\app", ("", None, "/direct/app")),
    ("file:", ("", None, "/")),
    ("https://@h.example/direct/a", ("h.example", None, "/direct/a")),
    ("https://0x1.a/direct/app", ("0x1.a", None, "/direct/app")),
    ("https://0.0x1.a/direct/app", ("0.0x1.a", None, "/direct/app")),
    ("https://1./direct/app", ("0.0.0.1", None, "/direct/app")),
    ("https://0xa.b/direct/app", ("0xa.b", None, "/direct/app")),
    ("https://0xg/direct/app", ("0xg", None, "/direct/app")),
    ("https://0x.0x/direct/app", ("0.0.0.0", None, "/direct/app")),
    ("https://255.1.1.1/direct/app", ("255.1.1.1", None, "/direct/app")),
    ("https://1.2.3.4.0/direct/app", None),
    ("https://1.1.256.1/direct/app", None),
    ("https://a.0x1/direct/app", None),
    ("https://1.a.2/direct/app", None),
    ("https://h.example.1/direct/app", None),
    ("https://[::1]]/direct/a", None),
    ("https://h.example:80:90/direct/a", None),
    ("https://[::ABCD]/direct/a", ("[::abcd]", None, "/direct/a")),
    ("https://h%FF.example/direct/a", None),
    ("https://faß.example/direct/a", ("xn--fa-hia.example", None, "/direct/a")),
    ("https://BÜCHER.example/direct/app", ("xn--bcher-kva.example", None, "/direct/app")),
    ("https://xn--fa-hia.example/direct/a", ("xn--fa-hia.example", None, "/direct/a")),
    ("https://xn--a_-xka.example/direct/a", ("xn--a_-xka.example", None, "/direct/a")),
    ("foo://h.example", ("h.example", None, "")),
    ("foo://h.example/a\\b", ("h.example", None, "/a\\b")),
    ("https://h.example/x/../direct", ("h.example", None, "/direct")),
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
        ("foo:///direct/app", "empty host"),
        ("https://h.example:80:90/direct/a", "invalid port '80:90'"),
        ("https://[::1]]/direct/a", "characters after IPv6 address"),
        ("file://h:80/x", "a 'file:' URL has no credentials or port"),
        ("file://user@h/x", "a 'file:' URL has no credentials or port"),
        ("https://1.2.3.4.0/direct/app", "invalid IPv4 address '1.2.3.4.0'"),
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


def test_parse_names_the_type_it_refuses() -> None:
    with pytest.raises(TypeError, match=r"^parse\(\) takes a str, not bytes$"):
        parse(b"https://h/direct/app")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^parse\(\) takes a str, not NoneType$"):
        parse(None)  # type: ignore[arg-type]


def test_an_invalid_domain_says_which_host() -> None:
    link = parse("https://\u0301a.example/direct/app")
    assert not link.is_url
    assert link.error is not None
    assert link.error.startswith("host '\u0301a.example' is not a valid domain: ")


def test_blank_input_has_an_empty_content_span_where_it_starts() -> None:
    assert parse("   ").content_span == (3, 3)
    assert parse("   ").error == "empty input"
    assert parse("").content_span == (0, 0)


@pytest.mark.parametrize("dropped", ["\t", "\n", "\r"])
def test_each_dropped_whitespace_character_alone(dropped: str) -> None:
    url = f"  https://h.example/dir{dropped}ect/APPX?chat{dropped}id=s1"
    link = parse(url)
    assert link.is_url, link.error
    assert (link.path, link.app_id) == ("/direct/APPX", "APPX")
    assert link.removed_whitespace == (url.index(dropped), url.rindex(dropped))
    assert link.content_span == (2, len(url))
    assert link.app_id_span is not None
    assert url[link.app_id_span[0] : link.app_id_span[1]] == "APPX"
    param = link.params[0]
    assert (param.name, param.value) == ("chatid", "s1")
    assert url[param.name_span[0] : param.name_span[1]] == f"chat{dropped}id"
    assert url[param.value_span[0] : param.value_span[1]] == "s1"


def test_an_empty_query_or_fragment_beside_a_dropped_newline() -> None:
    url = "https://h.example/direct/a?\n#f"
    link = parse(url)
    hash_at = url.index("#")
    assert link.query == ""
    assert link.query_span == (hash_at, hash_at)
    assert link.fragment == "f"


def test_query_and_fragment_markers_at_the_very_start() -> None:
    query_only = parse("?a=1")
    assert not query_only.is_url
    assert query_only.query == "a=1" and query_only.get("a") == "1"
    fragment_only = parse("#frag")
    assert fragment_only.fragment == "frag" and fragment_only.query is None
    question_in_fragment = parse("#a?b=1")
    assert question_in_fragment.query is None
    assert [(p.name, p.value) for p in question_in_fragment.fragment_params] == [("b", "1")]


def test_the_fragment_runs_to_the_end_and_its_query_from_its_first_question_mark() -> None:
    assert parse("https://h.example/direct/a#x#y").fragment == "x#y"
    link = parse("https://h.example/direct/a#v?b=1?c=2")
    assert [(p.name, p.value) for p in link.fragment_params] == [("b", "1?c=2")]
    right_after = parse("https://h.example/direct/a#?x=1")
    assert [(p.name, p.value) for p in right_after.fragment_params] == [("x", "1")]
    query_ends_with_mark = parse("https://h.example/direct/a?q=1?#x=1")
    assert [(p.name, p.value) for p in query_ends_with_mark.fragment_params] == [("x", "1")]
    assert query_ends_with_mark.get("q") == "1?"


def test_a_missing_app_id_after_dot_segments_points_after_direct() -> None:
    url = "https://h.example/x/../direct"
    link = parse(url)
    assert link.app_id == ""
    assert link.app_id_span == (len(url), len(url))


@pytest.mark.parametrize(
    ("query", "pairs"),
    [
        ("=v", [("", "v")]),
        ("k", [("k", "")]),
        ("k=", [("k", "")]),
        ("a=x+y", [("a", "x y")]),
        ("a=x%2By", [("a", "x+y")]),
        ("%41=1", [("A", "1")]),
        ("a+b=1", [("a b", "1")]),
        ("%41+b=%42+c", [("A b", "B c")]),
        ("plain=text", [("plain", "text")]),
    ],
)
def test_names_and_values_are_decoded_where_they_hold_escapes_or_plus(
    query: str, pairs: list[tuple[str, str]]
) -> None:
    link = parse(f"https://h.example/direct/a?{query}")
    assert [(p.name, p.value) for p in link.params] == pairs


def test_value_spans_beside_dropped_tabs() -> None:
    url = "https://h.example/direct/a?ab=cd\t&e\t=f"
    link = parse(url)
    first, second = link.params
    assert url[first.value_span[0] : first.value_span[1]] == "cd"
    assert url[first.name_span[0] : first.name_span[1]] == "ab"
    assert url[second.name_span[0] : second.name_span[1]] == "e"
    assert url[second.value_span[0] : second.value_span[1]] == "f"


def test_a_file_url_authority_span_covers_its_host() -> None:
    url = "file://h.example/x"
    link = parse(url)
    assert link.authority_span is not None
    assert url[link.authority_span[0] : link.authority_span[1]] == "h.example"
    assert parse("file:///x").authority_span == (7, 7)


@pytest.mark.parametrize(
    ("segment", "path"),
    [
        ("%2E", "/x/direct/app"),
        ("%2e", "/x/direct/app"),
        ("..", "/direct/app"),
        (".%2e", "/direct/app"),
        (".%2E", "/direct/app"),
        ("%2e.", "/direct/app"),
        ("%2E.", "/direct/app"),
        ("%2e%2e", "/direct/app"),
        ("%2E%2E", "/direct/app"),
        ("%2e%2E", "/direct/app"),
        ("%2E%2e", "/direct/app"),
    ],
)
def test_every_spelling_of_a_dot_segment(segment: str, path: str) -> None:
    link = parse(f"https://h.example/x/{segment}/direct/app")
    assert (link.path, link.app_id) == (path, "app")


@pytest.mark.parametrize("scheme", ["git+ssh", "a", "a.b-c", "A1"])
def test_schemes_of_letters_digits_plus_dot_and_hyphen(scheme: str) -> None:
    link = parse(f"{scheme}://h.example/x")
    assert link.is_url, link.error
    assert (link.scheme, link.host, link.path) == (scheme.lower(), "h.example", "/x")
