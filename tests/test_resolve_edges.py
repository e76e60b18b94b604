"""The page model at its edges: every branch's outcome, spans and words asserted."""

from __future__ import annotations

import pytest

from validator import parse, sign
from validator.resolve import (
    choose_language,
    describe,
    empty_pairs,
    negotiate_language,
    normalise_language,
    parse_accept_language,
    read_as_sdk,
    resolve,
)
from validator.signature import Secret
from validator.spec import DEFAULT_LANGUAGES, SDK_LANGUAGES

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = Secret("model-secret")
RANSTR = "Qm9yTnx3aWZpLXN0YXI"


@pytest.mark.parametrize(
    ("tag", "languages", "expected"),
    [
        ("en", DEFAULT_LANGUAGES, "en"),
        ("zh-cn", DEFAULT_LANGUAGES, "zh-cn"),
        ("ZH-TW", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-tw", ("zh-cn", "en"), None),
        ("zh-HK", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-hk", ("zh-cn", "en"), None),
        ("zh-SG", ("zh-tw", "en"), None),
        ("zh-Hant", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-hant-hk", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-Hant-Hans", DEFAULT_LANGUAGES, "zh-tw"),  # the first script decides
        ("zh-Hans-Hant", DEFAULT_LANGUAGES, "zh-cn"),
        ("zh-CN-HK", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-TW-x", DEFAULT_LANGUAGES, "zh-tw"),
        ("yue-HK", SDK_LANGUAGES, None),
        ("fil", SDK_LANGUAGES, None),
        ("en-abcdefgh", DEFAULT_LANGUAGES, "en"),
        ("en-abcdefghi", DEFAULT_LANGUAGES, None),  # a subtag has at most 8 characters
        ("en-", DEFAULT_LANGUAGES, None),
        ("e", DEFAULT_LANGUAGES, None),
        ("enen", DEFAULT_LANGUAGES, None),
        ("en-US-1", DEFAULT_LANGUAGES, "en"),
        ("de_at", DEFAULT_LANGUAGES, "de"),
        ("ja-JP", DEFAULT_LANGUAGES, "ja"),
        ("ko-KR", ("en",), None),
        ("é", DEFAULT_LANGUAGES, None),
        ("en us", DEFAULT_LANGUAGES, None),
    ],
)
def test_normalise_language_edges(
    tag: str, languages: tuple[str, ...], expected: str | None
) -> None:
    assert normalise_language(tag, languages) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ()),
        ("en", (("en", 1.0),)),
        ("en;q=1", (("en", 1.0),)),
        ("en;q=1.0", (("en", 1.0),)),
        ("en;q=1.5", ()),  # above 1: malformed, dropped
        ("en;q=1.2.3", ()),  # not a number: dropped
        ("en;q=0", ()),
        ("en;q=0.0", ()),
        ("en;q=0.001", (("en", 0.001),)),
        ("en;q=-0.5", ()),
        ("en;level=1", ()),
        ("en; Q = 0.5 ", (("en", 0.5),)),
        ("en;q=", ()),
        (" , ,en", (("en", 1.0),)),
        (";q=0.5", ()),
        ("en;level=1, fr", (("fr", 1.0),)),  # a malformed entry drops itself, not the rest
        ("en;q=1.2.3, fr;q=0.5", (("fr", 0.5),)),
        ("a;q=0.5,b;q=0.5,c", (("c", 1.0), ("a", 0.5), ("b", 0.5))),  # ties keep their order
        ("b;q=0.2,a;q=0.9", (("a", 0.9), ("b", 0.2))),
    ],
)
def test_accept_language_weights(header: str, expected: tuple[tuple[str, float], ...]) -> None:
    assert parse_accept_language(header) == expected


def test_negotiation_sources_and_assumptions() -> None:
    none = negotiate_language(None, DEFAULT_LANGUAGES)
    assert (none.language, none.source, none.assumptions) == ("en", "fallback", ())
    nothing = negotiate_language("es, it", DEFAULT_LANGUAGES)
    assert (nothing.language, nothing.source, nothing.assumptions) == ("en", "fallback", ())
    found = negotiate_language("es, ja;q=0.5", DEFAULT_LANGUAGES)
    assert (found.language, found.source, found.assumptions) == ("ja", "browser", ())
    listed = negotiate_language(("es", "ko"), DEFAULT_LANGUAGES)
    assert (listed.language, listed.source) == ("ko", "browser")
    star = negotiate_language("*", DEFAULT_LANGUAGES)
    assert (star.language, star.source) == ("en", "browser")
    assert star.assumptions == (
        "'*' in Accept-Language accepts any language: assumed the page's default en",
    )
    before_star = negotiate_language("ja, *", DEFAULT_LANGUAGES)
    assert (before_star.language, before_star.assumptions) == ("ja", ())


def test_choose_language_says_what_it_assumed() -> None:
    exact = choose_language("ko", "ja", DEFAULT_LANGUAGES)
    assert (exact.language, exact.source, exact.assumptions) == ("ko", "lang-param", ())
    normalised = choose_language("pt-BR", None, DEFAULT_LANGUAGES)
    assert (normalised.language, normalised.source) == ("pt", "lang-param")
    assert normalised.assumptions == (
        "lang='pt-BR' is not a documented code: assumed the page normalises it "
        "to 'pt' as it does browser languages",
    )
    empty = choose_language("", "fr", DEFAULT_LANGUAGES)
    assert (empty.language, empty.source) == ("fr", "browser")
    assert empty.assumptions == (
        "assumed the page ignores an empty lang and uses the browser's language "
        "or falls back to en: here fr",
    )
    unsupported = choose_language("xx", "*", DEFAULT_LANGUAGES)
    assert (unsupported.language, unsupported.source) == ("en", "browser")
    assert unsupported.assumptions == (
        "'*' in Accept-Language accepts any language: assumed the page's default en",
        "assumed the page ignores the unsupported lang='xx' and uses the browser's "
        "language or falls back to en: here en",
    )
    absent = choose_language(None, None, DEFAULT_LANGUAGES)
    assert (absent.language, absent.source, absent.assumptions) == ("en", "fallback", ())


@pytest.mark.parametrize(
    ("query", "ampersands"),
    [
        ("a=1&b=2", []),
        ("", []),
        ("a=1", []),
        ("&a=1", [0]),
        ("a=1&", [3]),
        ("a=1&&b=2", [4]),
        ("a=1&&&b=2", [4, 5]),
        ("&&", [0, 1]),
        ("&", [0]),
        ("a&=b", []),  # "=b" is a pair with an empty key, not an empty piece
        ("&=b", [0]),
        ("a=1&b=2&&", [7, 8]),
    ],
)
def test_empty_pair_spans_point_at_each_extra_ampersand(query: str, ampersands: list[int]) -> None:
    url = f"{B}?{query}"
    base = len(B) + 1
    assert empty_pairs(parse(url)) == tuple((base + i, base + i + 1) for i in ampersands)


def test_no_query_no_empty_pairs() -> None:
    assert empty_pairs(parse(B)) == ()
    assert empty_pairs(parse("not a url")) == ()


@pytest.mark.parametrize(
    ("url", "reason", "span_text"),
    [
        ("nonsense", "not a URL: no scheme: not an absolute URL", "nonsense"),
        ("http://h.example/direct/a?x=1", "the SDK opens only https URLs, not http", "http"),
        ("https://u@h.example/direct/a", "the SDK rejects URLs with user info", "u@h.example"),
        ("https://:p@h.example/direct/a", "the SDK rejects URLs with user info", ":p@h.example"),
        ("https://h.example/direct/a?=v", "the SDK rejects a pair with an empty key", "=v"),
        (
            "https://h.example/direct/a?x=1&y=%E9",
            "the SDK rejects 'y=%E9': a malformed %-escape or bytes that are not UTF-8",
            "y=%E9",
        ),
        (
            "https://h.example/direct/a?y=%zz&x=1",
            "the SDK rejects 'y=%zz': a malformed %-escape or bytes that are not UTF-8",
            "y=%zz",
        ),
        (
            "https://h.example/direct/a?n%E9=1",
            "the SDK rejects 'n%E9=1': a malformed %-escape or bytes that are not UTF-8",
            "n%E9=1",
        ),
        ("https://h.example/direct/a?x=1&&y=2", "the SDK rejects an empty pair in the query (&&)",
         "&"),
        ("https://h.example/direct/a?x=a+b&", "the SDK rejects an empty pair in the query (&&)",
         "&"),
    ],
)
def test_every_sdk_rejection_has_its_reason_and_span(url: str, reason: str, span_text: str) -> None:
    reading = read_as_sdk(parse(url))
    assert isinstance(reading.values, dict)
    assert reading.rejected_reason == reason
    assert reading.rejected_span is not None
    assert url[reading.rejected_span[0] : reading.rejected_span[1]] == span_text
    assert reading.same_as_browser is False


@pytest.mark.parametrize(
    ("query", "values", "same"),
    [
        ("", {}, True),
        ("a=1&b=2", {"a": "1", "b": "2"}, True),
        ("a=%C3%A9", {"a": "é"}, True),
        ("a=%c3%a9&b=x", {"a": "é", "b": "x"}, True),
        ("a=1&a=2", {"a": "2"}, False),  # the SDK keeps the last, the browser the first
        ("a=x+y", {"a": "x+y"}, False),  # "+" stays literal in the SDK
        ("a=x%2By", {"a": "x+y"}, True),
        ("a+b=1", {"a+b": "1"}, False),
        ("a=1&b=x+y&c=%41", {"a": "1", "b": "x+y", "c": "A"}, False),
        ("a=%41&a=%42", {"a": "B"}, False),
        ("k", {"k": ""}, True),
        ("k=", {"k": ""}, True),
        ("a=1&b=%41&c=x+y&d=%42", {"a": "1", "b": "A", "c": "x+y", "d": "B"}, False),
        # A raw U+FFFD is the same character to both clients.
        ("a=\ufffd", {"a": "\ufffd"}, True),
        ("a=%41&b=\ufffd", {"a": "A", "b": "\ufffd"}, True),
    ],
)
def test_sdk_values_and_agreement_with_the_browser(
    query: str, values: dict[str, str], same: bool
) -> None:
    reading = read_as_sdk(parse(f"{B}?{query}"))
    assert reading.rejected_reason is None and reading.rejected_span is None
    assert dict(reading.values) == values
    assert reading.same_as_browser is same


def test_outcomes_agree_when_both_clients_read_alike() -> None:
    url = f"{B}?direct=1&chatid=s1&lang=de&name=Ann"
    outcomes = resolve(parse(url))
    assert outcomes["sdk"] == outcomes["browser"]
    assert outcomes["sdk"].view == "session" and outcomes["sdk"].chat_id == "s1"
    assert outcomes["sdk"].customer == {"name": "Ann"}
    assert outcomes["sdk"].rejected_reason is None


def test_outcomes_differ_where_the_sdk_reads_other_values() -> None:
    outcomes = resolve(parse(f"{B}?direct=1&chatid=a+b&chatid=c"))
    assert (outcomes["browser"].view, outcomes["browser"].chat_id) == ("session", "a b")
    assert (outcomes["sdk"].view, outcomes["sdk"].chat_id) == ("session", "c")
    assert outcomes["sdk"].rejected_reason is None


def test_an_sdk_rejection_is_the_home_page_in_the_fallback_language() -> None:
    outcomes = resolve(parse(f"{B}?direct=1&chatid=s1&lang=de&&x=1"), accept_language="ja")
    sdk = outcomes["sdk"]
    assert (sdk.view, sdk.chat_id, sdk.language, sdk.language_source, sdk.identity) == (
        "home", None, "en", "fallback", "anonymous",
    )
    assert sdk.customer == {}
    assert sdk.rejected_reason == "the SDK rejects an empty pair in the query (&&)"
    assert outcomes["browser"].view == "session"
    assert outcomes["browser"].rejected_reason is None


def test_outcomes_of_text_that_is_no_url() -> None:
    outcomes = resolve(parse("not a link"))
    for client in ("browser", "sdk"):
        outcome = outcomes[client]
        assert outcome.rejected_reason == "not a URL: no scheme: not an absolute URL"
        assert outcome.view == "home" and outcome.chat_id is None
        assert outcome.identity == "anonymous"
    assert describe(outcomes["browser"]) == (
        "does not open: not a URL: no scheme: not an absolute URL"
    )


def test_outcomes_of_a_url_that_is_no_direct_link() -> None:
    note = "the path is not <base>/direct/<app_id>: the chat page may not load"
    outcomes = resolve(parse("https://h.example/other/path?direct=1&chatid=s1&chatid=s2+"))
    for client in ("browser", "sdk"):
        outcome = outcomes[client]
        assert outcome.assumptions[0] == note
        assert outcome.rejected_reason is None
        assert outcome.view == "session"
    assert outcomes["browser"].chat_id == "s1" and outcomes["sdk"].chat_id == "s2+"
    plain = resolve(parse("https://h.example/other"))
    assert plain["browser"].assumptions == (note,)
    assert plain["sdk"] == plain["browser"]
    direct = resolve(parse(f"{B}?direct=1&chatid=s1"))
    assert note not in direct["browser"].assumptions


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ("x=1&=v", {"x": "1"}),
        ("x=1&y=%E9&z=2", {"x": "1"}),
        ("x=a+b&&y=2", {"x": "a+b", "y": "2"}),
    ],
)
def test_a_rejected_reading_keeps_the_values_read_before(
    query: str, values: dict[str, str]
) -> None:
    reading = read_as_sdk(parse(f"{B}?{query}"))
    assert reading.rejected_reason is not None
    assert dict(reading.values) == values


def test_the_sdk_outcome_uses_the_browser_languages_and_the_profile() -> None:
    outcomes = resolve(parse(f"{B}?x=a+b"), accept_language="ja")
    assert (outcomes["sdk"].language, outcomes["sdk"].language_source) == ("ja", "browser")
    profile = resolve(parse(f"{B}?lang=es&x=a+b"), accept_language="ja", languages=SDK_LANGUAGES)
    assert (profile["sdk"].language, profile["sdk"].language_source) == ("es", "lang-param")
    assert (profile["browser"].language, profile["browser"].language_source) == ("es",
                                                                                 "lang-param")


def test_assumptions_about_the_path_keep_every_other_field() -> None:
    url = ("https://h.example/other?direct=1&chatid=s1&lang=de&sbs=42&name=Ann&x=a+b")
    for client, outcome in resolve(parse(url), accept_language="ja").items():
        assert outcome.assumptions[0].startswith("the path is not"), client
        assert (outcome.language, outcome.language_source) == ("de", "lang-param")
        assert outcome.customer == {"name": "Ann"}
        assert (outcome.sbs, outcome.identity) == ("42", "unverified")


def test_describe_names_a_language_without_a_display_name_by_its_code() -> None:
    outcome = resolve(parse(f"{B}?lang=eo"), languages=("en", "eo"))["browser"]
    assert describe(outcome) == "opens the home page in eo as an anonymous visitor"


def test_a_given_sdk_reading_is_used_instead_of_reading_again() -> None:
    link = parse(f"{B}?direct=1&chatid=s1")
    elsewhere = read_as_sdk(parse(f"{B}?direct=1&chatid=other&x=1&x=2"))
    assert resolve(link, sdk=elsewhere)["sdk"].chat_id == "other"


@pytest.mark.parametrize(
    ("query", "secret", "identity", "sbs"),
    [
        ("", None, "anonymous", None),
        ("", SECRET, "anonymous", None),
        ("sbs=42", None, "unverified", "42"),
        ("sbs=42", SECRET, "rejected", "42"),
        (f"sbs=42&ranstr={RANSTR}", SECRET, "rejected", "42"),
        (f"sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}", SECRET, "rejected", "42"),
        (f"sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}&ranstr={RANSTR}", SECRET, "verified", "42"),
        (f"sbs=42&sbs_mm={sign('42', RANSTR, 'other')}&ranstr={RANSTR}", SECRET, "rejected", "42"),
        (f"sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}&ranstr={RANSTR}", None, "unverified", "42"),
    ],
)
def test_identity_needs_sbs_ranstr_and_a_matching_signature(
    query: str, secret: Secret | None, identity: str, sbs: str | None
) -> None:
    outcome = resolve(parse(f"{B}?{query}"), secret=secret)["browser"]
    assert (outcome.identity, outcome.sbs) == (identity, sbs)


def test_blank_chat_id_and_the_alias() -> None:
    blank = resolve(parse(f"{B}?direct=1&chatid=%20%20"))["browser"]
    assert (blank.view, blank.chat_id) == ("home", None)
    assert blank.assumptions == ("assumed a blank chat id opens the home page",)
    alias = resolve(parse(f"{B}?direct=1&chat_id=s2"))["browser"]
    assert (alias.view, alias.chat_id, alias.assumptions) == ("session", "s2", ())
    without_direct = resolve(parse(f"{B}?chatid=s1"))["browser"]
    assert (without_direct.view, without_direct.chat_id) == ("home", None)
    assert without_direct.assumptions == ()


def test_customer_fields_are_the_four_documented_ones() -> None:
    url = f"{B}?name=A%20B&nickname=ab&email=a%40b.example&phone=%2B1&other=x"
    outcome = resolve(parse(url))["browser"]
    assert outcome.customer == {"name": "A B", "nickname": "ab", "email": "a@b.example",
                                "phone": "+1"}


@pytest.mark.parametrize(
    ("query", "accept", "secret", "words"),
    [
        ("direct=1&chatid=s1&lang=de", None, None,
         "opens session s1 in Deutsch as an anonymous visitor"),
        ("", "ja", None,
         "opens the home page in 日本語 (browser language) as an anonymous visitor"),
        ("", None, None, "opens the home page in English (fallback) as an anonymous visitor"),
        ("sbs=42", None, None,
         "opens the home page in English (fallback) as customer 42 (signature not checked: "
         "no secret)"),
        ("sbs=42", None, SECRET,
         "opens the home page in English (fallback) as customer 42, whose signature the page "
         "rejects"),
        (f"sbs=7&sbs_mm={sign('7', RANSTR, SECRET)}&ranstr={RANSTR}", None, SECRET,
         "opens the home page in English (fallback) as verified customer 7"),
    ],
)
def test_describe_words(query: str, accept: str | None, secret: Secret | None, words: str) -> None:
    outcome = resolve(parse(f"{B}?{query}"), secret=secret, accept_language=accept)["browser"]
    assert describe(outcome) == words


def test_languages_profile_limits_what_the_page_offers() -> None:
    outcome = resolve(parse(f"{B}?lang=es"), languages=SDK_LANGUAGES)["browser"]
    assert (outcome.language, outcome.language_source) == ("es", "lang-param")
    default = resolve(parse(f"{B}?lang=es"))["browser"]
    assert (default.language, default.language_source) == ("en", "fallback")


@pytest.mark.parametrize(
    ("port", "refused"),
    [("0", True), ("1", False), ("2", False), ("443", False), ("65534", False),
     ("65535", False)],
)
def test_the_sdk_takes_ports_from_1_to_65535(port: str, refused: bool) -> None:
    url = f"https://h.example:{port}/direct/a?x=1"
    reading = read_as_sdk(parse(url))
    if refused:
        assert reading.rejected_reason == f"the SDK rejects port {port} (it takes 1..65535)"
        assert reading.rejected_span is not None
        assert url[reading.rejected_span[0] : reading.rejected_span[1]] == f"h.example:{port}"
        assert dict(reading.values) == {}
    else:
        assert reading.rejected_reason is None
        assert dict(reading.values) == {"x": "1"}
