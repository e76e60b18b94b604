"""The README example: property-test your own link builder with the public strategies.

``buggy_builder`` makes the two mistakes integrators make most: it writes the
signature in upper-case hex and forgets ``direct=1``. The property test below
is exactly what a user writes; here it must fail, naming both rules.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import pytest
from hypothesis import Phase, given, settings

from validator import strategies as dls
from validator.testing import LinkAssertionError, assert_valid_link

APP_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # a test secret, not a real one


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def buggy_builder(chat_id: str, sbs: str, ranstr: str) -> str:
    inner = _md5(f"{sbs}_{APP_SECRET}")
    sbs_mm = _md5(f"{inner}_{ranstr}").upper()  # bug 1: upper-case hex
    query = urlencode({"chatid": chat_id, "sbs": sbs, "sbs_mm": sbs_mm, "ranstr": ranstr})
    return f"https://visitorchat.twt.com/direct/demo_app?{query}"  # bug 2: no direct=1


def fixed_builder(chat_id: str, sbs: str, ranstr: str) -> str:
    inner = _md5(f"{sbs}_{APP_SECRET}")
    sbs_mm = _md5(f"{inner}_{ranstr}")
    query = urlencode(
        {"direct": "1", "chatid": chat_id, "sbs": sbs, "sbs_mm": sbs_mm, "ranstr": ranstr}
    )
    return f"https://visitorchat.twt.com/direct/demo_app?{query}"


def property_for(builder):  # type: ignore[no-untyped-def]
    """What a user writes: every link the builder makes opens the session, verified.

    (Users keep hypothesis's shrinking phase; it is left out here only to
    keep the suite fast, since this property is meant to fail.)
    """

    @settings(max_examples=20, database=None, phases=[Phase.generate])
    @given(chat_id=dls.chat_ids(), sbs=dls.sbs_values(), ranstr=dls.ranstrs())
    def test_builder(chat_id: str, sbs: str, ranstr: str) -> None:
        link = builder(chat_id, sbs, ranstr)
        assert_valid_link(
            link, secret=APP_SECRET, allow=["DL313"], chat_id=chat_id, identity="verified"
        )

    return test_builder


def test_the_buggy_builder_is_caught() -> None:
    with pytest.raises(LinkAssertionError) as caught:
        property_for(buggy_builder)()
    message = str(caught.value)
    assert "DL101" in message  # chatid without direct: the page opens home
    assert "DL306" in message  # sbs_mm not lower-case hex
    assert "expected the page to open session" in message
    assert APP_SECRET not in message


def test_the_fixed_builder_passes() -> None:
    property_for(fixed_builder)()


def test_assertion_returns_the_report_and_honours_allow() -> None:
    link = fixed_builder("s1", "alice", "q8Zr3vN0pLx7Wm2K")
    report = assert_valid_link(link, secret=APP_SECRET, chat_id="s1", identity="verified")
    assert report.outcome.chat_id == "s1"
    with pytest.raises(LinkAssertionError, match="DL201"):
        assert_valid_link(link + "&lang=xx")
    assert_valid_link(link + "&lang=xx", allow=["unsupported-lang"])
    assert_valid_link(link + "&lang=xx", fail_on="error")
