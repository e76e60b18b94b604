"""DL1xx: opening a chat session directly (``direct=1`` and the chat id)."""

from __future__ import annotations

from collections.abc import Iterator

from validator import spec
from validator.model import Finding, Fix, Span
from validator.rules import signals
from validator.rules.base import LinkContext, Rule, drop_param_fix, value_span


class ChatidWithoutDirect(Rule):
    """A chat id without any ``direct`` parameter is ignored: the page opens its home view."""

    code = "DL101"
    name = "chatid-without-direct"
    severity = "error"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "chatid/chat_id present and no direct parameter at all"
    why = (
        "The page opens a session only with the explicit intent flag direct=1; it exists so "
        "that a stray chatid does not navigate anywhere. Without it the visitor lands on the "
        "home view, not on the session the link names. (A direct with a wrong value is DL103.)"
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?chatid=session-abc-123"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123"
    fixable = True
    fix_safe = False
    fix_description = (
        "Add direct=1 before the chat id (unsafe: the chat id may have been there by accident)."
    )

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        key = link.chat_id_key
        if key is None or link.has(spec.DIRECT):
            return
        param = context.param(key)
        assert param is not None and link.chat_id is not None
        message, fix = self.message_and_fix(key, link.chat_id, param.span)
        yield self.finding(message, param.span, param=key, fix=fix)

    def message_and_fix(self, key: str, chat_id: str, span: Span) -> tuple[str, Fix]:
        """The message for ``key=chat_id`` (the pair at ``span``) with no ``direct``."""
        fix = self.make_fix(
            "add direct=1", [((span[0], span[0]), "direct=1&")], [(spec.DIRECT, "1")]
        )
        return (
            f"{key}={chat_id!r} without direct=1: the page ignores the id and opens the "
            f"home page, not session {chat_id!r}",
            fix,
        )


DIRECT_WITHOUT_CHATID_MESSAGE = (
    "direct is present but no chatid or chat_id says which session to open: "
    "the page opens its home view"
)


class DirectWithoutChatid(Rule):
    """``direct`` without any chat id has no session to open."""

    code = "DL102"
    name = "direct-without-chatid"
    severity = "error"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "direct present, no chatid/chat_id parameter at all"
    why = (
        "direct=1 asks the page to open a session, but no chatid or chat_id says which: the "
        "visitor lands on the home view. (An empty chat id is DL105.)"
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.has(spec.DIRECT) or link.chat_id_key is not None:
            return
        param = context.param(spec.DIRECT)
        assert param is not None
        yield self.finding(DIRECT_WITHOUT_CHATID_MESSAGE, param.span, param=spec.DIRECT)


_MEANT_YES = frozenset({"true", "yes", "on", "y", "t", "01", "１"})


class BadDirectValue(Rule):
    """``direct`` must be exactly ``1``; anything else leaves the page on its home view."""

    code = "DL103"
    name = "bad-direct-value"
    severity = "error"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "direct present with any value but exactly 1"
    why = (
        "The documentation fixes direct to 1. true, yes, ' 1' or an empty value do not open "
        "the session: the visitor sees the home view."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=true&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_safe = False
    fix_description = "Set direct=1 (unsafe: the page then opens the session)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.DIRECT)
        if param is None or param.value == spec.DIRECT_VALUE:
            return
        message, fix = self.message_and_fix(param.value, param.value_span)
        yield self.finding(message, value_span(param), param=spec.DIRECT, fix=fix)

    def message_and_fix(self, value: str, span: Span) -> tuple[str, Fix | None]:
        """The message for ``direct=value`` (its value at ``span``, empty or not)."""
        meant = value.strip().lower()
        fix = None
        if meant == spec.DIRECT_VALUE or meant in _MEANT_YES:
            fix = self.make_fix("set direct=1", [(span, spec.DIRECT_VALUE)], [(spec.DIRECT, "1")])
        return f"direct={value!r} is not exactly 1: the page does not open the session", fix


class ConflictingChatid(Rule):
    """``chatid`` and ``chat_id`` with different values: the page reads ``chatid``."""

    code = "DL104"
    name = "conflicting-chatid"
    severity = "error"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "chatid and chat_id both present with different values"
    why = (
        "The page reads chatid when it is present and ignores chat_id; the SDK drops chat_id "
        "when it sets chatid. Two different ids mean one of them is a mistake, and the "
        "visitor may land in the wrong conversation."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1&chat_id=s2"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_safe = False
    fix_description = "Drop chat_id and keep chatid, the one the page reads (unsafe)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        chatid = link.get(spec.CHATID)
        alias = link.get(spec.CHAT_ID_ALIAS)
        if chatid is None or alias is None or chatid == alias:
            return
        param = context.param(spec.CHAT_ID_ALIAS)
        assert param is not None
        yield self.finding(
            f"chatid={chatid!r} and chat_id={alias!r} differ: the page opens {chatid!r} "
            "and ignores chat_id",
            param.span,
            param=spec.CHAT_ID_ALIAS,
            fix=drop_param_fix(self, link, param, "drop chat_id, keep chatid"),
        )


class EmptyChatid(Rule):
    """The chat id the page reads is empty or only whitespace."""

    code = "DL105"
    name = "empty-chatid"
    severity = "error"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "Chat id empty or only whitespace"
    why = (
        "A blank chat id names no session: the page stays on its home view and the native "
        "SDK refuses it (invalidDirectChatID)."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid="
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        key = link.chat_id_key
        if key is None:
            return
        param = context.param(key)
        assert param is not None
        if param.value.strip():
            return
        yield self.finding(
            f"{key} is {'empty' if not param.value else 'only whitespace'}: "
            "no session opens",
            value_span(param),
            param=key,
        )


class RedundantChatidAlias(Rule):
    """``chatid`` and ``chat_id`` with the same value: one is enough."""

    code = "DL106"
    name = "redundant-chatid-alias"
    severity = "info"
    family = "direct"
    triggers = frozenset({signals.DIRECT_ISSUE})
    summary = "chatid and chat_id both present with the same value"
    why = "The page reads chatid and ignores chat_id; the second key only lengthens the link."
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1&chat_id=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_description = "Drop chat_id."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        chatid = link.get(spec.CHATID)
        if chatid is None or chatid != link.get(spec.CHAT_ID_ALIAS):
            return
        param = context.param(spec.CHAT_ID_ALIAS)
        assert param is not None
        yield self.finding(
            "chat_id repeats chatid: the page reads chatid only",
            param.span,
            param=spec.CHAT_ID_ALIAS,
            fix=drop_param_fix(self, link, param, "drop chat_id"),
        )


RULES: tuple[Rule, ...] = (
    ChatidWithoutDirect(),
    DirectWithoutChatid(),
    BadDirectValue(),
    ConflictingChatid(),
    EmptyChatid(),
    RedundantChatidAlias(),
)
