"""Cheap facts about a link, computed once, that tell the engine which rules can fire.

A rule's ``triggers`` name parameters (``"chatid"``) and these facts
(``"@percent"``); the engine skips a rule none of whose triggers the link
shows. Every fact is a necessary condition of the rules that list it, so
skipping never loses a finding; it only spares the calls that would find
nothing, which is most of them for a healthy link.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from validator import spec
from validator.model import DirectLink, Param
from validator.rules.placeholders import may_hold_placeholder

NOT_URL = "@not-url"
NOT_HTTPS = "@not-https"
PATH = "@path"
USERINFO = "@userinfo"
FRAGMENT = "@fragment"
HOSTS = "@hosts"
TRAILING_SLASH = "@trailing-slash"
DUPLICATE = "@duplicate"
UNKNOWN = "@unknown"
SECRET = "@secret"
PERCENT = "@percent"
PLUS = "@plus"
EMPTY_PAIR = "@empty-pair"
UNSAFE = "@unsafe"
LONG = "@long"
SPACE = "@space"
PLACEHOLDER = "@placeholder"
DIVERGE = "@diverge"
VERIFIED = "@verified"
#: ``direct`` and the chat id are not simply ``direct=1`` with one non-blank chat id.
DIRECT_ISSUE = "@direct-issue"
#: ``sbs``, ``sbs_mm`` and ``ranstr`` are not all there with a 32 lower-case hex ``sbs_mm``.
SIGNATURE_SHAPE = "@signature-shape"

#: ``lang`` is present and not exactly a code of the profile.
LANG_ISSUE = "@lang-issue"
#: A public context and ``sbs`` or a customer field present.
PUBLIC_PII = "@public-pii"
#: A customer field the page reads is empty.
EMPTY_FIELD = "@empty-field"
#: A ``%`` not followed by two hex digits in the query.
BAD_PERCENT = "@bad-percent"
#: A decoded name or value holds U+FFFD (what invalid UTF-8 decodes to).
REPLACEMENT = "@replacement-character"
#: A whitespace-sensitive value the page reads has surrounding whitespace.
EDGE_SPACE = "@edge-space"
#: The browser's identity is ``rejected`` / ``unverified``.
REJECTED = "@rejected"
UNVERIFIED = "@unverified"

_LOWER_MD5 = re.compile(r"[0-9a-f]{32}")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PERSONAL = frozenset((spec.SBS, *spec.CUSTOMER_FIELDS))
_CUSTOMER_FIELDS = frozenset(spec.CUSTOMER_FIELDS)
_WHITESPACE_SENSITIVE = frozenset(spec.WHITESPACE_SENSITIVE_PARAMS)

if TYPE_CHECKING:
    from validator.config import Config

#: What a browser percent-encodes: C0 controls, space, ``"'<>{}|\\^`` and DEL onwards;
#: written as the complement (printable ASCII that is safe), which compiles in a
#: fraction of a millisecond where the range up to U+10FFFF takes tens.
UNSAFE_CHARACTER = re.compile(r"[^!#-&(-;=?-\[\]_a-z~]")


def link_signals(
    link: DirectLink,
    first_params: Mapping[str, Param],
    config: Config,
    *,
    secret_known: bool,
    same_in_sdk: bool,
    identity: str,
) -> frozenset[str]:
    """The parameter names present plus the facts that hold for ``link``."""
    names = first_params.keys()
    base_path = config.base_path
    signals: set[str] = set(names)
    if not link.is_url:
        signals.add(NOT_URL)
    elif link.scheme != spec.SECURE_SCHEME:
        signals.add(NOT_HTTPS)
    if link.is_url and (link.app_id is None or base_path is not None):
        signals.add(PATH)
    if link.username or link.password is not None:
        signals.add(USERINFO)
    if link.fragment_params:
        signals.add(FRAGMENT)
    if config.allowed_hosts:
        signals.add(HOSTS)
    if link.trailing_slash:
        signals.add(TRAILING_SLASH)
    if len(names) != len(link.params):
        signals.add(DUPLICATE)
    if not spec.KNOWN_PARAMS.issuperset(names):
        signals.add(UNKNOWN)
    if secret_known:
        signals.add(SECRET)
    query = link.query or ""
    if "%" in query:
        signals.add(PERCENT)
        if _BAD_PERCENT.search(query) is not None:
            signals.add(BAD_PERCENT)
        for param in link.params:
            if "\ufffd" in param.value or "\ufffd" in param.name:
                signals.add(REPLACEMENT)
                break
    if "+" in query:
        signals.add(PLUS)
    if query and (
        "&&" in query or query[0] in "&=" or query[-1] == "&" or "&=" in query
    ):
        signals.add(EMPTY_PAIR)
    start, end = link.content_span
    if UNSAFE_CHARACTER.search(link.input, start, end) is not None or link.removed_whitespace:
        signals.add(UNSAFE)
    if end - start > config.url_length_limit:
        signals.add(LONG)
    if " " in query or "+" in query or "%" in query:
        signals.add(SPACE)
    if may_hold_placeholder(link.input):
        signals.add(PLACEHOLDER)
    if not same_in_sdk:
        signals.add(DIVERGE)
    if identity == "verified":
        signals.add(VERIFIED)
    elif identity == "rejected":
        signals.add(REJECTED)
    elif identity == "unverified":
        signals.add(UNVERIFIED)
    lang = first_params.get(spec.LANG)
    if lang is not None and lang.value not in config.languages:
        signals.add(LANG_ISSUE)
    if config.is_public and not _PERSONAL.isdisjoint(names):
        signals.add(PUBLIC_PII)
    for name, param in first_params.items():
        value = param.value
        if not value:
            if name in _CUSTOMER_FIELDS:
                signals.add(EMPTY_FIELD)
        elif (
            name in _WHITESPACE_SENSITIVE
            and (value[0].isspace() or value[-1].isspace())
            and not value.isspace()
        ):
            signals.add(EDGE_SPACE)
    if _direct_issue(link, names):
        signals.add(DIRECT_ISSUE)
    if _signature_shape_issue(link, names):
        signals.add(SIGNATURE_SHAPE)
    return frozenset(signals)


def _direct_issue(link: DirectLink, names: Collection[str]) -> bool:
    has_direct = spec.DIRECT in names
    has_chatid = spec.CHATID in names
    has_alias = spec.CHAT_ID_ALIAS in names
    if not (has_direct or has_chatid or has_alias):
        return False
    if not has_direct or not (has_chatid or has_alias) or (has_chatid and has_alias):
        return True
    chat_id = link.chat_id or ""
    return link.direct != spec.DIRECT_VALUE or not chat_id.strip()


def _signature_shape_issue(link: DirectLink, names: Collection[str]) -> bool:
    present = [name in names for name in (spec.SBS, spec.SBS_MM, spec.RANSTR)]
    if not any(present):
        return False
    if not all(present):
        return True
    return _LOWER_MD5.fullmatch(link.sbs_mm or "") is None
