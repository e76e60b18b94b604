"""Direct-session rules (DL1xx): exact messages, spans, fixes and near misses."""

from __future__ import annotations

import pytest
from rule_helpers import only

B = "https://visitorchat.twt.com/direct/demo_app"


@pytest.mark.parametrize(
    ("query", "key", "span", "insert_at"),
    [("chatid=s1", "chatid", (44, 53), 44), ("chat_id=s1", "chat_id", (44, 54), 44),
     ("x=1&chatid=s1", "chatid", (48, 57), 48)],
)
def test_chat_id_without_direct_adds_direct_before_the_id(
    query: str, key: str, span: tuple[int, int], insert_at: int
) -> None:
    [finding] = only(f"{B}?{query}", "DL101")
    assert finding.severity == "error"
    assert finding.param == key
    assert finding.span == span
    assert finding.message == (
        f"{key}='s1' without direct=1: the page ignores the id and opens the home page, "
        "not session 's1'"
    )
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("add direct=1", False)
    assert finding.fix.edits == (("direct", "1"),)
    assert finding.fix.replacements == (((insert_at, insert_at), "direct=1&"),)


def test_chat_id_with_any_direct_is_not_without_direct() -> None:
    assert only(f"{B}?direct=0&chatid=s1", "DL101") == []
    assert only(f"{B}?chatid=s1&direct", "DL101") == []
    assert only(f"{B}?x=1", "DL101") == []


def test_direct_without_chat_id_marks_direct() -> None:
    [finding] = only(f"{B}?direct=1", "DL102")
    assert finding.severity == "error"
    assert finding.param == "direct"
    assert finding.span == (44, 52)
    assert finding.fix is None
    assert finding.message == (
        "direct is present but no chatid or chat_id says which session to open: "
        "the page opens its home view"
    )


def test_direct_with_either_chat_id_key_is_not_without_chat_id() -> None:
    assert only(f"{B}?direct=1&chatid=", "DL102") == []
    assert only(f"{B}?direct=1&chat_id=s1", "DL102") == []
    assert only(B, "DL102") == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("true", "true"), ("YES", "YES"), ("on", "on"), ("y", "y"), ("t", "t"), ("01", "01"),
     ("%201%20", " 1 "), ("%EF%BC%91", "１")],
)
def test_direct_meaning_yes_is_set_to_one(raw: str, shown: str) -> None:
    [finding] = only(f"{B}?direct={raw}&chatid=s1", "DL103")
    assert finding.severity == "error"
    assert finding.param == "direct"
    start = len(f"{B}?direct=")
    assert finding.span == (start, start + len(raw))
    assert finding.message == (
        f"direct={shown!r} is not exactly 1: the page does not open the session"
    )
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("set direct=1", False)
    assert finding.fix.edits == (("direct", "1"),)
    assert finding.fix.replacements == (((start, start + len(raw)), "1"),)


def test_direct_meaning_no_has_no_fix() -> None:
    for value in ("no", "0", "false", "2"):
        [finding] = only(f"{B}?direct={value}&chatid=s1", "DL103")
        assert finding.fix is None


def test_direct_without_a_value_marks_the_whole_parameter() -> None:
    [finding] = only(f"{B}?direct&chatid=s1", "DL103")
    assert finding.span == (44, 50)
    assert finding.message == "direct='' is not exactly 1: the page does not open the session"
    assert finding.fix is None


def test_direct_one_is_not_a_bad_value() -> None:
    assert only(f"{B}?direct=1&chatid=s1", "DL103") == []
    assert only(f"{B}?chatid=s1", "DL103") == []


def test_conflicting_chat_ids_drop_the_alias() -> None:
    [finding] = only(f"{B}?direct=1&chatid=s1&chat_id=s2", "DL104")
    assert finding.severity == "error"
    assert finding.param == "chat_id"
    assert finding.span == (63, 73)
    assert finding.message == (
        "chatid='s1' and chat_id='s2' differ: the page opens 's1' and ignores chat_id"
    )
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("drop chat_id, keep chatid", False)
    assert finding.fix.edits == (("chat_id", None),)
    assert finding.fix.replacements == (((62, 73), ""),)


def test_equal_or_single_chat_ids_do_not_conflict() -> None:
    assert only(f"{B}?direct=1&chatid=s1&chat_id=s1", "DL104") == []
    assert only(f"{B}?direct=1&chatid=s1", "DL104") == []
    assert only(f"{B}?direct=1&chat_id=s2", "DL104") == []


@pytest.mark.parametrize(
    ("query", "key", "span", "what"),
    [("direct=1&chatid=", "chatid", (53, 60), "empty"),
     ("direct=1&chat_id=", "chat_id", (53, 61), "empty"),
     ("direct=1&chatid=%20", "chatid", (60, 63), "only whitespace")],
)
def test_blank_chat_id(query: str, key: str, span: tuple[int, int], what: str) -> None:
    [finding] = only(f"{B}?{query}", "DL105")
    assert finding.severity == "error"
    assert finding.param == key
    assert finding.span == span
    assert finding.message == f"{key} is {what}: no session opens"
    assert finding.fix is None


def test_chat_id_with_text_or_absent_is_not_blank() -> None:
    assert only(f"{B}?direct=1&chatid=%20s1", "DL105") == []
    assert only(f"{B}?direct=1", "DL105") == []


def test_redundant_alias_is_dropped_safely() -> None:
    [finding] = only(f"{B}?direct=1&chatid=s1&chat_id=s1", "DL106")
    assert finding.severity == "info"
    assert finding.param == "chat_id"
    assert finding.span == (63, 73)
    assert finding.message == "chat_id repeats chatid: the page reads chatid only"
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("drop chat_id", True)
    assert finding.fix.edits == (("chat_id", None),)
    assert finding.fix.replacements == (((62, 73), ""),)


def test_alias_alone_or_different_is_not_redundant() -> None:
    assert only(f"{B}?direct=1&chat_id=s1", "DL106") == []
    assert only(f"{B}?direct=1&chatid=s1&chat_id=s2", "DL106") == []
    assert only(f"{B}?direct=1&chatid=s1", "DL106") == []
