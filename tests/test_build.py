"""The canonical builder: order, encoding, signing, and round trips with the parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import BuildError, Secret, build, parse, verify
from validator.spec import KNOWN_PARAMS

values = st.text(max_size=30)
optional = st.none() | values


def test_documented_order_and_direct_flag() -> None:
    url = build("demo_app", chat_id="session-abc-123", lang="en", name="Ann")
    assert url == (
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123&lang=en&name=Ann"
    )


def test_no_query_when_no_values() -> None:
    assert build("demo_app") == "https://visitorchat.twt.com/direct/demo_app"


def test_only_unreserved_characters_stay_bare() -> None:
    url = build("app", sbs="john+doe @x", name="José")
    assert "sbs=john%2Bdoe%20%40x" in url
    assert "name=Jos%C3%A9" in url


def test_signing_fills_ranstr_and_sbs_mm() -> None:
    secret = Secret("s3cr3t")
    link = parse(build("app", sbs="42", secret=secret))
    assert link.ranstr is not None and len(link.ranstr) >= 16
    assert link.sbs_mm is not None
    assert verify("42", link.ranstr, link.sbs_mm, secret)
    fixed = parse(build("app", sbs="42", ranstr="r" * 16, secret=secret))
    assert fixed.ranstr == "r" * 16


def test_generated_ranstr_differs_between_links() -> None:
    first = parse(build("app", sbs="1", secret="k")).ranstr
    second = parse(build("app", sbs="1", secret="k")).ranstr
    assert first != second


def test_base_with_path_port_and_idn() -> None:
    assert (
        build("a", base="https://Bücher.de:8443/base/")
        == "https://xn--bcher-kva.de:8443/base/direct/a"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": "not a url"}, "absolute"),
        ({"secret": "k"}, "sbs"),
        ({"sbs": "1", "sbs_mm": "x", "secret": "k"}, "not both"),
        ({"name": "\ud800"}, "surrogate"),
        ({"extra": [("lang", "en")]}, "known parameter"),
    ],
)
def test_bad_values_raise_build_error(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(BuildError, match=message):
        build("app", **kwargs)  # type: ignore[arg-type]


def test_rebuild_refuses_what_is_no_direct_link() -> None:
    with pytest.raises(BuildError):
        build(parse("not a url"))
    with pytest.raises(BuildError):
        build(parse("https://h/other/path"))


def test_rebuild_is_canonical() -> None:
    link = parse("https://h/x/direct/a/?chat_id=1&foo=1&lang=en&foo=2&direct=1#frag")
    assert build(link) == "https://h/x/direct/a?direct=1&chatid=1&lang=en&foo=1"


@given(
    chat_id=optional,
    lang=optional,
    sbs=optional,
    ranstr=optional,
    name=optional,
    nickname=optional,
    email=optional,
    phone=optional,
    extra=st.lists(
        st.tuples(st.text(min_size=1, max_size=10).filter(lambda k: k not in KNOWN_PARAMS), values),
        max_size=3,
    ),
)
def test_parse_of_build_gives_every_value_back(
    chat_id: str | None,
    lang: str | None,
    sbs: str | None,
    ranstr: str | None,
    name: str | None,
    nickname: str | None,
    email: str | None,
    phone: str | None,
    extra: list[tuple[str, str]],
) -> None:
    given_values = {
        "chatid": chat_id,
        "lang": lang,
        "sbs": sbs,
        "ranstr": ranstr,
        "name": name,
        "nickname": nickname,
        "email": email,
        "phone": phone,
    }
    link = parse(
        build(
            "app",
            extra=extra,
            **{k if k != "chatid" else "chat_id": v for k, v in given_values.items()},
        )
    )
    assert link.is_url and link.app_id == "app"
    for key, value in given_values.items():
        assert link.get(key) == value
    for key, value in extra:
        assert value in link.get_all(key)
    assert (link.direct == "1") == (chat_id is not None)


@given(st.text(max_size=80))
def test_build_of_parse_is_a_fixed_point_after_one_step(tail: str) -> None:
    link = parse("https://visitorchat.twt.com/direct/app?" + tail)
    once = build(link)
    assert build(parse(once)) == once


def test_derived_ranstr_is_stable_per_seed_and_secret() -> None:
    from validator.build import derived_ranstr

    first = derived_ranstr("k", "https://h/direct/a?sbs=1")
    assert first == derived_ranstr(Secret("k"), "https://h/direct/a?sbs=1")
    assert len(first) == 24 and first.replace("-", "").replace("_", "").isalnum()
    assert first != derived_ranstr("k2", "https://h/direct/a?sbs=1")
    assert first != derived_ranstr("k", "https://h/direct/a?sbs=2")
