"""The page model: view, language and identity for links x Accept-Language lists, per client."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import check, parse, sign
from validator.query import percent_decode_strict
from validator.resolve import (
    choose_language,
    describe,
    empty_pairs,
    negotiate_language,
    normalise_language,
    parse_accept_language,
    read_as_sdk,
)
from validator.spec import DEFAULT_LANGUAGES, LEGACY_LANGUAGES, SDK_LANGUAGES

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = "model-secret"
RANSTR = "Qm9yTnx3aWZpLXN0YXI"
SIGNED = f"{B}?direct=1&chatid=s9&sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}&ranstr={RANSTR}"

# link, Accept-Language, secret -> view, chat id, language, language source, identity
TABLE = [
    (B, None, None, "home", None, "en", "fallback", "anonymous"),
    (B, "de-DE,de;q=0.9,en;q=0.5", None, "home", None, "de", "browser", "anonymous"),
    (B, "es-ES, fr;q=0.4", None, "home", None, "fr", "browser", "anonymous"),
    (B, "es-ES", None, "home", None, "en", "fallback", "anonymous"),
    (B, "zh-HK", None, "home", None, "zh-tw", "browser", "anonymous"),
    (B, "zh-Hant-SG", None, "home", None, "zh-tw", "browser", "anonymous"),
    (B, "zh-SG", None, "home", None, "zh-cn", "browser", "anonymous"),
    (B, "pt-PT", None, "home", None, "pt", "browser", "anonymous"),
    (B, "en;q=0.2, ja;q=0.8", None, "home", None, "ja", "browser", "anonymous"),
    (B, "ja;q=0, ko", None, "home", None, "ko", "browser", "anonymous"),
    (f"{B}?lang=ru", "ja", None, "home", None, "ru", "lang-param", "anonymous"),
    (f"{B}?lang=pt-BR", None, None, "home", None, "pt", "lang-param", "anonymous"),
    (f"{B}?lang=ZH_tw", None, None, "home", None, "zh-tw", "lang-param", "anonymous"),
    (f"{B}?lang=xx", "ko-KR", None, "home", None, "ko", "browser", "anonymous"),
    (f"{B}?lang=xx", None, None, "home", None, "en", "fallback", "anonymous"),
    (f"{B}?lang=", "fr", None, "home", None, "fr", "browser", "anonymous"),
    (f"{B}?direct=1&chatid=s1", None, None, "session", "s1", "en", "fallback", "anonymous"),
    (f"{B}?direct=1&chat_id=s2", None, None, "session", "s2", "en", "fallback", "anonymous"),
    (f"{B}?direct=1&chatid=s1&chat_id=s2", None, None, "session", "s1", "en", "fallback",
     "anonymous"),
    (f"{B}?direct=1&chatid=a&chatid=b", None, None, "session", "a", "en", "fallback",
     "anonymous"),
    (f"{B}?chatid=s1", None, None, "home", None, "en", "fallback", "anonymous"),
    (f"{B}?direct=true&chatid=s1", None, None, "home", None, "en", "fallback", "anonymous"),
    (f"{B}?direct=1&chatid=%20", None, None, "home", None, "en", "fallback", "anonymous"),
    (f"{B}?sbs=42", None, None, "home", None, "en", "fallback", "unverified"),
    (f"{B}?sbs=42", None, SECRET, "home", None, "en", "fallback", "rejected"),
    (SIGNED, "pt-BR", None, "session", "s9", "pt", "browser", "unverified"),
    (SIGNED, "pt-BR", SECRET, "session", "s9", "pt", "browser", "verified"),
    (SIGNED, None, "other-secret", "session", "s9", "en", "fallback", "rejected"),
]


@pytest.mark.parametrize(
    ("url", "accept", "secret", "view", "chat_id", "language", "source", "identity"), TABLE
)
def test_page_model_table(
    url: str,
    accept: str | None,
    secret: str | None,
    view: str,
    chat_id: str | None,
    language: str,
    source: str,
    identity: str,
) -> None:
    outcome = check(url, accept_language=accept, secret=secret).outcome
    assert (outcome.view, outcome.chat_id) == (view, chat_id)
    assert (outcome.language, outcome.language_source) == (language, source)
    assert outcome.identity == identity


def test_secrets_map_picks_the_secret_of_the_links_app() -> None:
    other = SIGNED.replace("/demo_app", "/other_app")
    assert check(SIGNED, secrets={"demo_app": SECRET}).outcome.identity == "verified"
    assert check(other, secrets={"demo_app": SECRET}).outcome.identity == "unverified"
    assert check(other, secret="x", secrets={"demo_app": SECRET}).outcome.identity == "rejected"


def test_customer_fields_as_the_page_decodes_them() -> None:
    outcome = check(f"{B}?name=Ann+Lee&email=a%40b.co&name=Bob&x=1").outcome
    assert dict(outcome.customer) == {"name": "Ann Lee", "email": "a@b.co"}


def test_unsupported_lang_states_the_assumption() -> None:
    report = check(f"{B}?lang=xx", accept_language="ko")
    assert any("ignores" in a for a in report.outcome.assumptions)
    (finding,) = [f for f in report.findings if f.code == "DL201"]
    assert "ko" in finding.message and "assuming" in finding.message


def test_sdk_reads_plus_literally_and_keeps_the_last_value() -> None:
    report = check(f"{B}?direct=1&chatid=a+b&chatid=c&sbs=x+y")
    browser, sdk = report.outcomes["browser"], report.outcomes["sdk"]
    assert browser.chat_id == "a b" and sdk.chat_id == "c"
    assert browser.sbs == "x y" and sdk.sbs == "x+y"
    assert {f.param for f in report.findings if f.code == "DL512"} == {"chatid", "sbs"}


def test_plus_in_sbs_verifies_in_a_browser_and_fails_in_the_app() -> None:
    mm = sign("john doe", RANSTR, SECRET)
    report = check(f"{B}?sbs=john+doe&sbs_mm={mm}&ranstr={RANSTR}", secret=SECRET)
    assert report.outcomes["browser"].identity == "verified"
    assert report.outcomes["sdk"].identity == "rejected"
    (divergence,) = [f for f in report.findings if f.code == "DL512"]
    assert "verified in a browser, rejected in the app" in divergence.message


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("a=1&&b=2", "empty pair"),
        ("a=1&", "empty pair"),
        ("=v", "empty key"),
        ("a=%zz", "malformed"),
        ("a=%FF", "UTF-8"),
    ],
)
def test_sdk_rejections(query: str, reason: str) -> None:
    reading = read_as_sdk(parse(f"{B}?{query}"))
    assert reading.rejected_reason is not None and reason in reading.rejected_reason
    outcome = check(f"{B}?{query}").outcomes["sdk"]
    assert outcome.rejected_reason == reading.rejected_reason


def test_sdk_rejects_http_and_user_info() -> None:
    assert "https" in (read_as_sdk(parse("http://h.example/direct/a")).rejected_reason or "")
    assert "user info" in (read_as_sdk(parse("https://u@h.example/direct/a")).rejected_reason or "")


def test_empty_pairs_spans() -> None:
    url = f"{B}?&a=1&&b=2&"
    starts = [span[0] - len(B) - 1 for span in empty_pairs(parse(url))]
    assert starts == [0, 5, 9]
    assert empty_pairs(parse(f"{B}?a=1&b=2")) == ()
    assert len(empty_pairs(parse(f"{B}?&&"))) == 2


@pytest.mark.parametrize(
    ("tag", "languages", "expected"),
    [
        ("EN-us", DEFAULT_LANGUAGES, "en"),
        ("zh_CN", DEFAULT_LANGUAGES, "zh-cn"),
        ("zh-Hans", DEFAULT_LANGUAGES, "zh-cn"),
        ("zh-MO", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-Hant-CN", DEFAULT_LANGUAGES, "zh-tw"),
        ("zh-Hans-HK", DEFAULT_LANGUAGES, "zh-cn"),
        ("zh", DEFAULT_LANGUAGES, "zh-cn"),
        ("pt-AO", DEFAULT_LANGUAGES, "pt"),
        ("ja", LEGACY_LANGUAGES, None),
        ("es-MX", SDK_LANGUAGES, "es"),
        ("es-MX", DEFAULT_LANGUAGES, None),
        ("english", DEFAULT_LANGUAGES, None),
        ("", DEFAULT_LANGUAGES, None),
    ],
)
def test_normalise_language(tag: str, languages: tuple[str, ...], expected: str | None) -> None:
    assert normalise_language(tag, languages) == expected


def test_accept_language_parsing_orders_by_weight() -> None:
    parsed = parse_accept_language("fr;q=0.5, de , en;q=0.9, xx;q=bad, ja;q=0")
    assert parsed == (("de", 1.0), ("en", 0.9), ("fr", 0.5))
    assert negotiate_language(["es", "de"], DEFAULT_LANGUAGES).language == "de"
    star = negotiate_language("es, *;q=0.1", DEFAULT_LANGUAGES)
    assert (star.language, star.source) == ("en", "browser") and star.assumptions


def test_choose_language_explicit_lang_wins() -> None:
    assert choose_language("ko", "ja", DEFAULT_LANGUAGES).language == "ko"


def test_describe_outcome() -> None:
    outcome = check(SIGNED, accept_language="pt-BR", secret=SECRET).outcome
    assert describe(outcome) == (
        "opens session s9 in Português (browser language) as verified customer 42"
    )
    assert describe(check(f"{B}?lang=de").outcome) == (
        "opens the home page in Deutsch as an anonymous visitor"
    )
    assert describe(check("nonsense").outcome).startswith("does not open")


def _reference_sdk_values(query: str) -> dict[str, str] | None:
    """The native SDK's reading, written plainly: None where it rejects the query."""
    values: dict[str, str] = {}
    for piece in query.split("&"):
        if not piece:
            return None
        raw_name, _, raw_value = piece.partition("=")
        name = percent_decode_strict(raw_name)
        value = percent_decode_strict(raw_value)
        if not raw_name or name is None or value is None:
            return None
        values[name] = value  # a later value replaces an earlier one
    return values


@given(st.text(alphabet="ab=&+%2Fe\u00e9\ufffd", max_size=16))
def test_sdk_reading_matches_a_plain_reference(query: str) -> None:
    link = parse("https://h/direct/a?" + query)
    reading = read_as_sdk(link)
    expected = _reference_sdk_values(query) if query else {}
    if expected is None:
        assert reading.rejected_reason is not None
    else:
        assert reading.rejected_reason is None
        assert dict(reading.values) == expected
        browser = {p.name: p.value for p in reversed(link.params)}
        if reading.same_as_browser:
            assert expected == browser and len(link.params) == len(expected)


@pytest.mark.parametrize("lang", [None, "xx", ""])
def test_choose_language_reads_a_list_of_browser_languages_as_one_header(lang: str | None) -> None:
    as_list = choose_language(lang, ["xx-unknown", "ja"], DEFAULT_LANGUAGES)
    assert as_list == choose_language(lang, "xx-unknown,ja", DEFAULT_LANGUAGES)
    assert (as_list.language, as_list.source) == ("ja", "browser")
