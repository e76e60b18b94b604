"""Properties: builder-made links are clean; one edit fires its code and no unrelated error."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import build, check, sign
from validator.spec import DEFAULT_LANGUAGES, THEMES

SECRET = "property-secret"

app_ids = st.from_regex(r"[a-z0-9][a-z0-9_\-]{2,31}", fullmatch=True).filter(
    lambda a: "your_" not in a
)
chat_ids = st.from_regex(r"[a-z0-9][a-z0-9\-]{0,30}", fullmatch=True)
# Names as people write them: letters of any script, spaces inside, some punctuation.
names = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters=" .'-"),
    min_size=1,
    max_size=20,
).map(str.strip).filter(bool)
sbs_values = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="-.@+ "),
    min_size=1,
    max_size=24,
).map(str.strip).filter(bool)
emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True).filter(lambda s: ".." not in s),
    # A label with "--" as its third and fourth characters is reserved (IDNA, the "xn--" of
    # Punycode): e-mail validation rightly refuses a0--0.com.
    st.from_regex(r"[a-z][a-z0-9\-]{0,10}[a-z0-9]", fullmatch=True).filter(
        lambda label: label[2:4] != "--"),
    st.sampled_from(["com", "org", "cn", "de"]),
)
phones = st.one_of(
    st.from_regex(r"\+86138[0-9]{8}", fullmatch=True),
    st.from_regex(r"\+1415[2-9][0-9]{6}", fullmatch=True),
)


@st.composite
def valid_links(draw: st.DrawFn) -> str:
    sbs = draw(st.none() | sbs_values)
    return build(
        draw(app_ids),
        chat_id=draw(st.none() | chat_ids),
        lang=draw(st.none() | st.sampled_from(DEFAULT_LANGUAGES)),
        sbs=sbs,
        secret=SECRET if sbs is not None else None,
        name=draw(st.none() | names),
        nickname=draw(st.none() | names),
        email=draw(st.none() | emails),
        phone=draw(st.none() | phones),
        theme=draw(st.none() | st.sampled_from(sorted(THEMES))),
        is_app=draw(st.booleans()),
    )


@st.composite
def full_links(draw: st.DrawFn) -> str:
    """Valid links with a chat session, a language, a signed identity and a name."""
    return build(
        draw(app_ids),
        chat_id=draw(chat_ids),
        lang=draw(st.sampled_from(DEFAULT_LANGUAGES)),
        sbs=draw(sbs_values),
        secret=SECRET,
        name=draw(names),
    )


@given(valid_links())
def test_builder_links_have_no_errors_or_warnings(url: str) -> None:
    report = check(url, secret=SECRET)
    assert report.worst() in (None, "info"), [(f.code, f.message) for f in report.findings]


def _errors(url: str) -> set[str]:
    return {f.code for f in check(url, secret=SECRET).findings if f.severity == "error"}


def _assert_edit(
    url: str, edit: Callable[[str], str], code: str, allowed: frozenset[str] = frozenset()
) -> None:
    edited = edit(url)
    assert edited != url
    codes = set(check(edited, secret=SECRET).codes())
    assert code in codes, (edited, codes)
    unrelated = _errors(edited) - {code} - allowed
    assert not unrelated, (edited, unrelated)


def _value(url: str, name: str) -> str:
    match = re.search(rf"[?&]{name}=([^&#]*)", url)
    assert match is not None
    return match.group(1)


def _replace_value(name: str, new: Callable[[str], str]) -> Callable[[str], str]:
    def edit(url: str) -> str:
        old = _value(url, name)
        return url.replace(f"{name}={old}", f"{name}={new(old)}", 1)

    return edit


def _drop(name: str) -> Callable[[str], str]:
    def edit(url: str) -> str:
        old = _value(url, name)
        return url.replace(f"&{name}={old}", "", 1).replace(f"{name}={old}&", "", 1)

    return edit


EDITS: list[tuple[str, Callable[[str], str], frozenset[str]]] = [
    ("DL101", _drop("direct"), frozenset()),
    ("DL102", _drop("chatid"), frozenset()),
    ("DL103", _replace_value("direct", lambda _: "true"), frozenset()),
    ("DL104", lambda u: u + "&chat_id=another-session", frozenset()),
    ("DL105", _replace_value("chatid", lambda _: ""), frozenset()),
    ("DL106", lambda u: u + f"&chat_id={_value(u, 'chatid')}", frozenset()),
    ("DL202", _replace_value("lang", str.upper), frozenset()),
    ("DL201", _replace_value("lang", lambda _: "xx"), frozenset()),
    ("DL203", _replace_value("lang", lambda _: ""), frozenset()),
    ("DL301", _drop("sbs_mm"), frozenset()),
    ("DL302", _drop("sbs"), frozenset()),
    ("DL303", _drop("ranstr"), frozenset()),
    ("DL304", _replace_value("ranstr", lambda r: r[:8]), frozenset({"DL307"})),
    ("DL305", _replace_value("ranstr", lambda r: "a" * len(r)), frozenset({"DL307"})),
    ("DL306", _replace_value("sbs_mm", str.upper), frozenset()),
    ("DL307", _replace_value("sbs_mm", lambda m: m[::-1]), frozenset()),
    ("DL309", lambda u: u + "&app_secret=abc", frozenset()),
    ("DL309", lambda u: u + f"&note={SECRET}", frozenset()),
    ("DL401", lambda u: u + "&email=not-an-address", frozenset()),
    ("DL402", lambda u: u + "&phone=call-me", frozenset()),
    ("DL404", lambda u: u + "&nickname=", frozenset()),
    ("DL501", lambda u: u + f"&lang={_value(u, 'lang')}", frozenset()),
    ("DL502", lambda u: u + "&utm_source=mail", frozenset()),
    ("DL503", lambda u: u.replace("lang=", "Lang=", 1), frozenset()),
    ("DL503", lambda u: u.replace("chatid=", "chatId=", 1), frozenset({"DL102"})),
    ("DL504", lambda u: u + "&note=100%", frozenset()),
    ("DL505", lambda u: u + "&note=%FF", frozenset()),
    ("DL506", lambda u: u.replace("&", "&&", 1), frozenset()),
    ("DL506", lambda u: u + "&", frozenset()),
    ("DL507", _replace_value("name", lambda n: n + " x"), frozenset()),
    ("DL508", lambda u: u + "&note=a%2540b", frozenset()),
    ("DL509", lambda u: u + "&note=" + "x" * 2000, frozenset()),
    ("DL510", _replace_value("chatid", lambda c: c + "%20"), frozenset()),
    ("DL511", _replace_value("chatid", lambda _: "{SESSION_ID}"), frozenset()),
    ("DL512", _replace_value("sbs", lambda s: s + "+x"), frozenset({"DL307"})),
    ("DL601", lambda u: u + "&visitor_id=7", frozenset()),
    ("DL602", lambda u: u + "&theme=blue", frozenset()),
    ("DL603", lambda u: u + "&is_app=yes", frozenset()),
    ("DL002", lambda u: u.replace("https:", "http:", 1), frozenset()),
    ("DL005", lambda u: u.replace("https://", "https://user:pw@", 1), frozenset()),
    ("DL006", lambda u: u.replace("?", "#", 1), frozenset()),
    ("DL008", lambda u: u.replace("?", "/?", 1), frozenset()),
    ("DL003", lambda u: u.replace("/direct/", "/chat/", 1), frozenset()),
]


@pytest.mark.parametrize(
    ("code", "edit", "allowed"), EDITS, ids=[f"{code}-{i}" for i, (code, _, _) in enumerate(EDITS)]
)
@settings(max_examples=12)
@given(url=full_links())
def test_one_edit_fires_its_code_and_no_unrelated_error(
    code: str, edit: Callable[[str], str], allowed: frozenset[str], url: str
) -> None:
    assert not _errors(url)
    _assert_edit(url, edit, code, allowed)


link_pieces = st.sampled_from(
    [
        "direct=1", "direct= 1", "chatid=s1", "chat_id=s2", "chatid=", "lang=pt-BR", "lang=",
        "Lang=en", "sbs=a+b", "sbs=%FF", f"sbs_mm={'A' * 32}", "sbs_mm=", "ranstr=aaaa",
        "ranstr=1700000000000000", "", "=x", "note=100%", "note=%2540", "note=%2%41",
        "theme=Dark", "visitor_id=1", "randstr=x", "phone=+86 138", "email=a@b", "name=张三",
        "x=\t1", "app_secret=1", f"n={SECRET}", "c={{sbs}}", "c=%7Bx%7D", "c=:chatid",
        "c=YOUR_ID", "is_app=2", "name=", "c=%E3%80%80x", "c=a%0Bb", "lang=ja", "email=",
        f"sbs=42&sbs_mm={sign('42', 'Qm9yTnx3aWZpLXN0YXI', SECRET)}&ranstr=Qm9yTnx3aWZpLXN0YXI",
    ]
)


@given(
    st.lists(link_pieces | st.text(max_size=12), max_size=8),
    st.sampled_from(["https://h.example/direct/app", "http://u@h.example/x/direct/YOUR_ID/",
                     "h.example/direct/app", "https://h.example/direct/:app"]),
    st.sampled_from(["", "#frag", "#chatid=1"]),
    st.sampled_from([None, SECRET]),
)
def test_rule_gating_never_hides_a_finding(
    parts: list[str], base: str, fragment: str, secret: str | None
) -> None:
    """Signals only skip rules that would find nothing: same findings as running every rule."""
    from validator.config import Config
    from validator.engine.full import link_context, rule_plan, run_rules
    from validator.keyring import Keyring
    from validator.rules.selection import selected_rules
    from validator.signature import Secret

    config = Config(allowed_hosts=("h.example",), base_path="/x", context="qr")
    url = f"{base}?{'&'.join(parts)}{fragment}"
    context = link_context(url, Keyring(Secret(SECRET) if secret else None), None, config)
    rules, _ = selected_rules(config)
    gated = run_rules(context, rule_plan(config))
    everything = [finding for rule in rules for finding in rule.check(context)]
    # Fixes that add a ranstr draw a fresh one each time: compare what was found, where.
    assert [(f.code, f.span, f.message) for f in gated] == [
        (f.code, f.span, f.message) for f in everything
    ]
