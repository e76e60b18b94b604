"""Cheap facts about a link, computed once, that tell the engine which rules can fire.

A rule's ``triggers`` name parameters (``"chatid"``) and these facts
(``"@percent"``); the engine skips a rule none of whose triggers the link
shows. Every fact is a necessary condition of the rules that list it, so
skipping never loses a finding; it only spares the calls that would find
nothing, which is most of them for a healthy link.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from validator import spec
from validator.model import DirectLink
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
PERCENT_25 = "@percent-25"
PLUS = "@plus"
EMPTY_PAIR = "@empty-pair"
UNSAFE = "@unsafe"
LONG = "@long"
SPACE = "@space"
PLACEHOLDER = "@placeholder"
DIVERGE = "@diverge"
VERIFIED = "@verified"

_UNSAFE = re.compile(r"[\x00-\x20\"'<>{}|\\^`\x7f-\U0010ffff]")


def link_signals(
    link: DirectLink,
    names: Collection[str],
    *,
    base_path: str | None,
    allowed_hosts: bool,
    url_length_limit: int,
    secret_known: bool,
    same_in_sdk: bool,
    verified: bool,
) -> frozenset[str]:
    """The parameter names present plus the facts that hold for ``link``."""
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
    if allowed_hosts:
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
        if "%25" in query:
            signals.add(PERCENT_25)
    if "+" in query:
        signals.add(PLUS)
    if query and (
        "&&" in query or query[0] in "&=" or query[-1] == "&" or "&=" in query
    ):
        signals.add(EMPTY_PAIR)
    start, end = link.content_span
    if _UNSAFE.search(link.input, start, end) is not None or link.removed_whitespace:
        signals.add(UNSAFE)
    if end - start > url_length_limit:
        signals.add(LONG)
    if " " in query or "+" in query or "%" in query:
        signals.add(SPACE)
    if may_hold_placeholder(link.input):
        signals.add(PLACEHOLDER)
    if not same_in_sdk:
        signals.add(DIVERGE)
    if verified:
        signals.add(VERIFIED)
    return frozenset(signals)
