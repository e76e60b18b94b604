"""DL5xx: encoding and hygiene of the query and the link's text."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from urllib.parse import unquote

from validator import spec
from validator.model import DirectLink, Finding, Fix, Param, Span
from validator.query import decodes_to_valid_utf8, encode_component, has_percent_escape
from validator.resolve import empty_pairs
from validator.rules import signals
from validator.rules.base import LinkContext, Rule, drop_param_fix, removal_span, value_span
from validator.rules.identity import is_secret_like_name
from validator.rules.placeholders import find_placeholder, find_raw_placeholders


class DuplicateParam(Rule):
    """A key appears more than once: browsers read the first value, the SDK the last."""

    code = "DL501"
    name = "duplicate-param"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.DUPLICATE})
    summary = "A key appears twice; browsers read the first value, the SDK keeps the last"
    why = (
        "URLSearchParams.get returns the first value of a repeated key while the native SDK "
        "keeps the last, so the same link can open different sessions or identities in a "
        "browser and in the app. Usually a template appended a parameter that was already there."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1&chatid=s2"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_description = (
        "Drop later exact duplicates (safe); with different values, keep the first, "
        "which browsers read (unsafe)."
    )

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        seen: dict[str, Param] = {}
        for param in link.params:
            first = seen.get(param.name)
            if first is None:
                seen[param.name] = param
                continue
            same = param.value == first.value
            message = (
                f"{param.name} appears again with the same value {param.value!r}"
                if same
                else f"{param.name} appears again: browsers read the first {first.value!r}, "
                f"the SDK the last ({link.get_all(param.name)[-1]!r})"
            )
            fix = drop_param_fix(
                self,
                link,
                param,
                "drop the repeated pair" if same else f"keep only the first {param.name}",
            )
            if not same:
                fix = Fix(fix.description, False, fix.edits, fix.replacements)
            yield self.finding(message, param.span, param=param.name, fix=fix)


def _normalised(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


_BY_NORMALISED = {_normalised(name): name for name in sorted(spec.KNOWN_PARAMS)}
_LONG_NAMES = tuple(sorted(name for name in spec.KNOWN_PARAMS if len(name) >= 5))


def _within_distance(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit``.

    Only the diagonal band ``|i - j| <= limit`` can stay within the limit, so
    only it is computed (cells outside count as over the limit), with an
    early exit once a whole row is over.
    """
    if abs(len(a) - len(b)) > limit:
        return False
    over = limit + 1
    width = len(b)
    previous = [j if j <= limit else over for j in range(width + 1)]
    for i, ca in enumerate(a, start=1):
        low = max(1, i - limit)
        high = min(width, i + limit)
        current = [over] * (width + 1)
        current[0] = i if i <= limit else over
        for j in range(low, high + 1):
            cost = previous[j - 1] + (ca != b[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, cost, over)
        if min(current[max(0, low - 1) : high + 1]) > limit:
            return False
        previous = current
    return previous[width] <= limit


@lru_cache(maxsize=4096)
def suggest_param(name: str) -> str | None:
    """The known parameter an unknown ``name`` most likely misspells, or None."""
    if name in spec.KNOWN_PARAMS or not name:
        return None
    if name in spec.FORBIDDEN_SDK_PARAMS or is_secret_like_name(name):
        return None
    exact = _BY_NORMALISED.get(_normalised(name))
    if exact is not None:
        return exact
    lowered = name.lower()
    for known in _LONG_NAMES:
        if _within_distance(lowered, known, 2):
            return known
    return None


class UnknownParam(Rule):
    """A key the page does not know."""

    code = "DL502"
    name = "unknown-param"
    severity = "info"
    family = "encoding"
    triggers = frozenset({signals.UNKNOWN})
    summary = "A key the page does not know (none that DL503, DL309 or DL601 reports)"
    why = (
        "The page ignores keys it does not know. Tracking parameters are harmless; anything "
        "else is probably a mistake or a parameter of another product."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?session=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        reported: set[str] = set()
        for param in context.link.params:
            name = param.name
            if (
                name in spec.KNOWN_PARAMS
                or not name
                or name in reported
                or name in spec.FORBIDDEN_SDK_PARAMS
                or is_secret_like_name(name)
                or suggest_param(name) is not None
            ):
                continue
            reported.add(name)
            yield self.finding(
                f"the page does not know the parameter {name!r}", param.name_span, param=name
            )


class MisspelledParam(Rule):
    """An unknown key close to a known one (case, ``-``/``_``, or a typo): did you mean …?"""

    code = "DL503"
    name = "misspelled-param"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.UNKNOWN})
    summary = "An unknown key close to a known one (chatId, chat-id, Lang, randstr): did you mean"
    why = (
        "Keys are case-sensitive and must be spelled exactly: chatId, Lang or randstr are "
        "unknown keys the page ignores, so the link silently does less than intended."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatId=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_safe = False
    fix_description = "Rename the key (unsafe: the page starts reading it)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        for param in link.params:
            suggestion = suggest_param(param.name)
            if suggestion is None:
                continue
            fix = None
            if not link.has(suggestion):
                fix = self.make_fix(
                    f"rename {param.name!r} to {suggestion!r}",
                    [(param.name_span, suggestion)],
                    [(param.name, None), (suggestion, param.value)],
                )
            yield self.finding(
                f"unknown parameter {param.name!r}: did you mean {suggestion!r}?",
                param.name_span,
                param=param.name,
                fix=fix,
            )


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _exact_positions(param: Param) -> bool:
    """True where the param's raw text maps onto the input one character to one."""
    return param.span[1] - param.span[0] == len(param.raw)


class InvalidPercentEncoding(Rule):
    """A ``%`` not followed by two hex digits."""

    code = "DL504"
    name = "invalid-percent-encoding"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.BAD_PERCENT})
    summary = "% not followed by two hex digits (browsers keep it; the SDK rejects the URL)"
    why = (
        "Browsers keep a stray % literally, but the native SDK rejects the whole URL, and "
        "other decoders guess. A literal percent sign is written %25."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=100%&direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?name=100%25&direct=1&chatid=s1"
    fixable = True
    fix_description = "Write each stray % as %25 (what browsers already read)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if link.query is None or _BAD_PERCENT.search(link.query) is None:
            return
        for param in link.params:
            if "%" not in param.raw:
                continue
            positions = [m.start() for m in _BAD_PERCENT.finditer(param.raw)]
            if not positions:
                continue
            exact = _exact_positions(param)
            start = param.span[0]
            span: Span = (start + positions[0], start + positions[0] + 1) if exact else param.span
            fix = None
            if exact:
                fix = self.make_fix(
                    "write % as %25", [((start + p, start + p + 1), "%25") for p in positions]
                )
            yield self.finding(
                f"{param.raw_name or 'a pair'}: '%' not followed by two hex digits "
                "(browsers keep it, the SDK rejects the URL)",
                span,
                param=param.name,
                fix=fix,
            )


class InvalidUtf8(Rule):
    """Percent-decoded bytes that are not UTF-8: the page sees U+FFFD."""

    code = "DL505"
    name = "invalid-utf8"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.REPLACEMENT})
    summary = "Percent-decoded bytes are not UTF-8 (error in a documented parameter, else warning)"
    why = (
        "The page decodes escapes as UTF-8 and turns invalid bytes into U+FFFD (�): a name "
        "written in GBK or Latin-1 arrives garbled, a signed sbs no longer verifies, and the "
        "SDK rejects the URL. Encode values as UTF-8."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=%D5%C5%C8%FD"
    good = "https://visitorchat.twt.com/direct/demo_app?name=%E5%BC%A0%E4%B8%89"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        for param in context.link.params:
            # Invalid bytes always decode to U+FFFD, so values without one are valid.
            if "%" not in param.raw or (
                "\ufffd" not in param.value and "\ufffd" not in param.name
            ):
                continue
            bad_name = not decodes_to_valid_utf8(param.raw_name)
            bad_value = param.raw_value is not None and not decodes_to_valid_utf8(param.raw_value)
            if not (bad_name or bad_value):
                continue
            documented = param.name in spec.DOCUMENTED_PARAMS
            where = "name" if bad_name and not bad_value else "value"
            yield self.finding(
                f"{param.raw_name!r}: the %-escaped bytes of its {where} are not UTF-8; "
                f"the page sees {param.value if bad_value else param.name!r}",
                param.name_span if where == "name" else value_span(param),
                param=param.name,
                severity="error" if documented else "warning",
            )


class EmptyQueryPair(Rule):
    """``&&``, a trailing ``&``, or ``=value`` with no key."""

    code = "DL506"
    name = "empty-query-pair"
    severity = "info"
    family = "encoding"
    triggers = frozenset({signals.EMPTY_PAIR})
    summary = "&&, a trailing &, or =value with no key (the SDK rejects these)"
    why = (
        "Browsers skip empty pieces and keys, but the native SDK rejects the whole URL when "
        "it meets one. They usually come from a template whose variable was empty."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&&chatid=s1&"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_description = "Remove the empty piece."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        for span in empty_pairs(link):
            yield self.finding(
                "empty pair in the query (the SDK rejects it)",
                span,
                fix=self.make_fix("remove the extra '&'", [(span, "")]),
            )
        for param in link.params:
            if param.raw[0] != "=":
                continue
            yield self.finding(
                f"pair {param.raw!r} has no key (the SDK rejects it)",
                param.span,
                fix=self.make_fix("remove the pair", [(removal_span(link, param), "")]),
            )


_NAMES = {" ": "space", "\t": "tab", "\n": "newline", "\r": "carriage return"}


def _percent_encode_char(ch: str) -> str:
    if "\ud800" <= ch <= "\udfff":
        return "%EF%BF%BD"  # a lone surrogate reaches the page as U+FFFD
    return encode_component(ch)


def _describe_char(ch: str) -> str:
    if ch in _NAMES:
        return _NAMES[ch]
    if not ch.isprintable():
        return f"U+{ord(ch):04X}"
    return repr(ch)


class RawUnsafeCharacters(Rule):
    """Raw spaces, quotes, brackets, control or non-ASCII characters inside the link."""

    code = "DL507"
    name = "raw-unsafe-characters"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.UNSAFE})
    summary = "Raw spaces, quotes, <>{}|\\^`, control or non-ASCII characters inside the link"
    why = (
        "Mail clients, chat apps and QR scanners end a detected link at a space or bracket "
        "and mangle quotes and non-ASCII text, so the visitor gets a truncated link. "
        "Percent-encode them (the page reads exactly the same values); whitespace around a "
        "whole link is ignored."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=Ann Lee&direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?name=Ann%20Lee&direct=1&chatid=s1"
    fixable = True
    fix_description = (
        "Percent-encode the characters as UTF-8 and delete tabs and newlines inside the link "
        "(the browser drops them anyway); characters in the host are left alone."
    )

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        text = link.input
        start, end = link.content_span
        unsafe = [match.start() for match in signals.UNSAFE_CHARACTER.finditer(text, start, end)]
        if not unsafe:
            return
        removed = set(link.removed_whitespace)
        host = _host_span(link)
        groups: dict[object, list[int]] = {}
        for index in unsafe:
            groups.setdefault(_region(link, index, host), []).append(index)
        for region, positions in groups.items():
            param = region if isinstance(region, Param) else None
            where = f"in {param.raw_name or 'a pair'}" if param else f"in the {region}"
            message, fix = self.message_and_fix(
                text, positions, where, removed, fixable=region != "host"
            )
            yield self.finding(
                message,
                (positions[0], positions[-1] + 1),
                param=param.name if param else None,
                fix=fix,
            )

    def message_and_fix(
        self,
        text: str,
        positions: Sequence[int],
        where: str,
        removed: Collection[int] = (),
        *,
        fixable: bool = True,
    ) -> tuple[str, Fix | None]:
        """The finding for the raw characters at ``positions`` of ``text``, ``where`` they
        are (``"in name"``, ``"in the path"``); ``removed`` are whitespace the browser drops."""
        chars = ", ".join(dict.fromkeys(_describe_char(text[i]) for i in positions))
        fix = None
        if fixable:
            fix = self.make_fix(
                "percent-encode them",
                [((i, i + 1), "" if i in removed else _percent_encode_char(text[i]))
                 for i in positions],
            )
        return f"raw {chars} {where}: mail and chat apps cut or mangle such links", fix


def _host_span(link: DirectLink) -> Span | None:
    if link.authority_span is None:
        return None
    start, end = link.authority_span
    at = link.input.rfind("@", start, end)
    return (at + 1, end) if at >= 0 else (start, end)


def _region(link: DirectLink, index: int, host: Span | None) -> object:
    for param in link.params:
        if param.span[0] <= index < param.span[1]:
            return param
    if host is not None and link.authority_span is not None:
        if host[0] <= index < host[1]:
            return "host"
        if link.authority_span[0] <= index < host[0]:
            return "user info"
    if link.fragment_span is not None and index >= link.fragment_span[0]:
        return "fragment"
    if link.query_span is not None and index >= link.query_span[0]:
        return "query"
    return "path"


class DoubleEncoded(Rule):
    """A decoded value still holds ``%XX`` escapes: it was encoded twice."""

    code = "DL508"
    name = "double-encoded"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.PERCENT})
    summary = "A decoded value still holds %XX escapes (%2540)"
    why = (
        "The page decodes a value once. %2540 reaches it as the text %40, not @: the agent "
        "sees escapes, and a signed sbs no longer matches what the server signed."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?email=ann%2540example.com"
    good = "https://visitorchat.twt.com/direct/demo_app?email=ann%40example.com"
    fixable = True
    fix_safe = False
    fix_description = "Decode the value once more (unsafe: the page then reads another value)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        for param in context.link.params:
            if not has_percent_escape(param.value):
                continue
            # An escape in the value means the pair has a '=' (a bare key's value is empty).
            once = unquote(param.value)
            fix = self.make_fix("decode once more", [(param.value_span, encode_component(once))])
            yield self.finding(
                f"{param.name}={param.value!r} still holds %-escapes after decoding "
                f"(encoded twice?); meant {once!r}?",
                value_span(param),
                param=param.name,
                fix=fix,
            )


class UrlTooLong(Rule):
    """The link is longer than the limit (2000 characters; 300 in the qr context)."""

    code = "DL509"
    name = "url-too-long"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.LONG})
    summary = "Longer than the configured limit (2000 characters; 300 for context = qr)"
    why = (
        "Some browsers, mail gateways and chat apps cut links beyond about 2000 characters, "
        "and QR codes of long links need dense codes that cameras read poorly. Set "
        "max-url-length to change the limit."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=<1990 characters>"
    good = "https://visitorchat.twt.com/direct/demo_app?name=Ann"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        start, end = link.content_span
        limit = context.config.url_length_limit
        if end - start <= limit:
            return
        yield self.finding(
            f"the link is {end - start} characters, longer than the limit of {limit}",
            (start + limit, end),
        )


class SurroundingWhitespace(Rule):
    """Decoded ``direct``, chat id, ``lang`` or signature values with surrounding whitespace."""

    code = "DL510"
    name = "surrounding-whitespace"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.EDGE_SPACE})
    summary = "Decoded direct, chat id, lang, sbs, sbs_mm, ranstr with leading/trailing whitespace"
    why = (
        "The page compares these values exactly: ' 1' is not 1, a chat id with a trailing "
        "space names no session, and a signature over 'abc ' does not verify 'abc'."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1%20"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_safe = False
    fix_description = "Strip the whitespace (unsafe: the page then reads another value)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        for name in spec.WHITESPACE_SENSITIVE_PARAMS:
            param = context.param(name)
            if param is None:
                continue
            stripped = param.value.strip()
            if stripped == param.value or not stripped:
                continue
            yield self.finding(
                f"{name}={param.value!r} has surrounding whitespace",
                value_span(param),
                param=name,
                fix=self.make_fix(
                    "strip the whitespace", [(param.value_span, encode_component(stripped))]
                ),
            )


class TemplatePlaceholder(Rule):
    """An unexpanded template placeholder: ``{SESSION_ID}``, ``{{sbs}}``, ``YOUR_APP_ID`` ..."""

    code = "DL511"
    name = "template-placeholder"
    severity = "error"
    family = "encoding"
    triggers = frozenset({signals.PLACEHOLDER})
    summary = (
        "An unexpanded template: {SESSION_ID}, {{sbs}}, ${sbs}, <sbs>, %7Bsbs%7D, "
        "YOUR_APP_ID, :chatid"
    )
    why = (
        "A template variable that was never filled in reaches the page literally: the chat "
        "id names no session, the app id no app, and the signature cannot match."
    )
    bad = "https://visitorchat.twt.com/direct/YOUR_APP_ID?direct=1&chatid={SESSION_ID}"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=session-abc-123"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        covered: list[Span] = []
        if link.app_id and link.app_id_span is not None:
            placeholder = find_placeholder(link.app_id)
            if placeholder is not None:
                covered.append(link.app_id_span)
                yield self.finding(
                    f"app id {placeholder!r} is an unexpanded template placeholder",
                    link.app_id_span,
                )
        for param in link.params:
            placeholder = find_placeholder(param.value)
            if placeholder is None:
                continue
            covered.append(param.span)
            yield self.finding(
                placeholder_value_message(param.name, param.value, placeholder),
                value_span(param),
                param=param.name,
            )
        start, end = link.content_span
        for found_start, found_end in find_raw_placeholders(link.input[start:end]):
            span = (start + found_start, start + found_end)
            if any(a < span[1] and span[0] < b for a, b in covered):
                continue
            in_query = link.query_span is not None and span[0] >= link.query_span[0]
            if in_query and (link.fragment_span is None or span[0] < link.fragment_span[0]):
                continue  # inside the query: judged on decoded values above
            covered.append(span)
            yield self.finding(
                f"{link.input[span[0]:span[1]]!r} is an unexpanded template placeholder", span
            )


def placeholder_value_message(name: str, value: str, placeholder: str) -> str:
    """DL511's message for a value holding ``placeholder``."""
    return f"{name}={value!r}: {placeholder!r} is an unexpanded template placeholder"


class ClientDivergence(Rule):
    """A browser and the native SDK read the link differently, or the SDK rejects it."""

    code = "DL512"
    name = "client-divergence"
    severity = "warning"
    family = "encoding"
    triggers = frozenset({signals.DIVERGE})
    summary = "The browser and the native SDK would see different values, view or identity"
    why = (
        "The same link reaches the page through a browser (WHATWG decoding: + is a space, "
        "first value wins, stray % kept) and the native SDK's web view (+ stays +, last value "
        "wins, bad escapes and empty pairs rejected). Where they differ, a link that works in "
        "a mail client fails in the app: sbs=john+doe verifies in one and not the other."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=john+doe&sbs_mm=<sig>&ranstr=..."
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=john%20doe&sbs_mm=<sig>&ranstr=..."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url:
            return
        browser = context.outcomes["browser"]
        sdk = context.outcomes["sdk"]
        reading = context.sdk
        if reading.same_as_browser:
            return
        if reading.rejected_reason is not None:
            yield self.finding(
                f"{reading.rejected_reason}; a browser opens it",
                reading.rejected_span or link.content_span,
                client="sdk",
            )
            return
        consequence = _consequence(browser, sdk)
        reported: set[str] = set()
        for param in link.params:
            name = param.name
            if name in reported or name not in reading.values:
                continue
            browser_value = link.get(name)
            sdk_value = reading.values[name]
            if browser_value == sdk_value:
                continue
            reported.add(name)
            # The SDK reads the last of repeated pairs.
            span = link.params_named(name)[-1].span
            yield self.finding(
                f"{name}: a browser reads {browser_value!r}, the native SDK {sdk_value!r}"
                + (f"; {consequence}" if consequence and name in _OUTCOME_KEYS else ""),
                span,
                param=name,
                client="sdk",
            )


_OUTCOME_KEYS = frozenset(
    {spec.DIRECT, *spec.CHAT_ID_KEYS, spec.SBS, spec.SBS_MM, spec.RANSTR, spec.LANG}
)


def _consequence(browser: object, sdk: object) -> str:
    from validator.model import Outcome

    assert isinstance(browser, Outcome) and isinstance(sdk, Outcome)
    parts = []
    if browser.view != sdk.view or browser.chat_id != sdk.chat_id:
        parts.append(
            f"the browser opens {_where(browser.view, browser.chat_id)}, "
            f"the app {_where(sdk.view, sdk.chat_id)}"
        )
    if browser.identity != sdk.identity:
        parts.append(f"identity {browser.identity} in a browser, {sdk.identity} in the app")
    if browser.language != sdk.language:
        parts.append(f"language {browser.language} in a browser, {sdk.language} in the app")
    return "; ".join(parts)


def _where(view: str, chat_id: str | None) -> str:
    return f"session {chat_id!r}" if view == "session" else "the home page"


RULES: tuple[Rule, ...] = (
    DuplicateParam(),
    UnknownParam(),
    MisspelledParam(),
    InvalidPercentEncoding(),
    InvalidUtf8(),
    EmptyQueryPair(),
    RawUnsafeCharacters(),
    DoubleEncoded(),
    UrlTooLong(),
    SurroundingWhitespace(),
    TemplatePlaceholder(),
    ClientDivergence(),
)
