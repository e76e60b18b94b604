"""The page model: what the visitor gets when a link is opened, in each client.

Two clients read a link: a browser (WHATWG ``URLSearchParams``: ``+`` is a
space, the first of a repeated key wins, bad escapes stay literal) and the
native SDK's web view (``+`` stays literal, the last of a repeated key wins,
bad escapes, invalid UTF-8, empty pairs and empty keys are errors). Both hand
the page the same rules: ``direct=1`` plus a non-blank chat id opens that
session, an explicit supported ``lang`` wins over the browser's languages, and
a signature checked against a known secret decides the identity.

Where the documentation is silent the model states its assumption in
:attr:`Outcome.assumptions`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from validator import spec
from validator.model import DirectLink, Identity, LanguageSource, Outcome, Span, View
from validator.model import describe as describe
from validator.patterns import lazy_pattern
from validator.query import has_invalid_percent, percent_decode_strict
from validator.signature import Secret, verify

# Languages ------------------------------------------------------------------

#: A language tag's shape; compiled on first use (a supported code needs no pattern).
_TAG = lazy_pattern(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})


@lru_cache(maxsize=4096)
def normalise_language(tag: str, languages: tuple[str, ...]) -> str | None:
    """The supported code ``tag`` stands for, or None.

    Case and ``_`` do not matter; ``pt-*`` is ``pt``; ``zh-TW``, ``zh-HK``,
    ``zh-MO`` and ``zh-Hant*`` are ``zh-tw`` (a script subtag wins over the
    region: ``zh-Hans-HK`` is ``zh-cn``); any other ``zh*`` is ``zh-cn``;
    other tags count by their primary subtag (``en-US`` is ``en``).
    """
    text = tag.lower().replace("_", "-")
    if text in languages:
        return text
    if not _TAG().fullmatch(text):
        return None
    subtags = text.split("-")
    primary = subtags[0]
    if primary == "zh":
        # The script decides where one is given (zh-Hans-HK is Simplified); else the region.
        scripts = [s for s in subtags[1:] if s in ("hans", "hant")]
        if scripts:
            traditional = scripts[0] == "hant"
        else:
            traditional = not _TRADITIONAL_REGIONS.isdisjoint(subtags[1:])
        code = "zh-tw" if traditional else "zh-cn"
        return code if code in languages else None
    return primary if primary in languages else None


class LanguageChoice(NamedTuple):
    """The language a client shows the page in, where the choice came from, and what it assumed.

    A named tuple, as the other values made for every link are (cheap to define at import).
    """

    language: str
    source: LanguageSource
    assumptions: tuple[str, ...] = ()


#: An Accept-Language entry's weight; compiled on the first entry that has one.
_WEIGHT = lazy_pattern(r"\s*q\s*=\s*([0-9.]+)\s*", re.IGNORECASE)


@lru_cache(maxsize=256)
def parse_accept_language(header: str) -> tuple[tuple[str, float], ...]:
    """``Accept-Language`` entries as ``(tag, q)``, best first (stable for equal q).

    Entries with ``q=0`` or a malformed weight are dropped.
    """
    entries: list[tuple[str, float, int]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        tag = tag.strip()
        if not tag:
            continue
        weight = 1.0
        if params:
            match = _WEIGHT().fullmatch(params)
            if match is None:
                continue
            try:
                weight = float(match.group(1))
            except ValueError:
                continue
        if 0 < weight <= 1:
            entries.append((tag, weight, position))
    entries.sort(key=lambda entry: (-entry[1], entry[2]))
    return tuple((tag, weight) for tag, weight, _ in entries)


def negotiate_language(
    accept_language: str | Sequence[str] | None, languages: tuple[str, ...]
) -> LanguageChoice:
    """The page's choice from the browser's languages, else the fallback ``en``."""
    if accept_language is None:
        return LanguageChoice(spec.FALLBACK_LANGUAGE, "fallback")
    header = accept_language if isinstance(accept_language, str) else ",".join(accept_language)
    for tag, _ in parse_accept_language(header):
        if tag == "*":
            return LanguageChoice(
                spec.FALLBACK_LANGUAGE,
                "browser",
                ("'*' in Accept-Language accepts any language: assumed the page's default en",),
            )
        code = normalise_language(tag, languages)
        if code is not None:
            return LanguageChoice(code, "browser")
    return LanguageChoice(spec.FALLBACK_LANGUAGE, "fallback")


def choose_language(
    lang: str | None, accept_language: str | Sequence[str] | None, languages: tuple[str, ...]
) -> LanguageChoice:
    """An explicit supported ``lang`` wins; otherwise the browser's languages decide."""
    if accept_language is not None and not isinstance(accept_language, str):
        accept_language = ",".join(accept_language)  # one header, as negotiation reads them
    return _choose_language_of(lang, accept_language, languages)


@lru_cache(maxsize=1024)
def _choose_language_of(
    lang: str | None, accept_language: str | None, languages: tuple[str, ...]
) -> LanguageChoice:
    # A run sees few distinct values (``en``, ``ja``...): each choice is made once.
    if lang is None:
        return negotiate_language(accept_language, languages)
    code = normalise_language(lang, languages) if lang else None
    if code is not None:
        assumptions: tuple[str, ...] = ()
        if code != lang:
            assumptions = (
                f"lang={lang!r} is not a documented code: assumed the page normalises it "
                f"to {code!r} as it does browser languages",
            )
        return LanguageChoice(code, "lang-param", assumptions)
    negotiated = negotiate_language(accept_language, languages)
    what = "an empty lang" if not lang else f"the unsupported lang={lang!r}"
    assumption = (
        f"assumed the page ignores {what} and uses the browser's language "
        f"or falls back to en: here {negotiated.language}"
    )
    return LanguageChoice(
        negotiated.language, negotiated.source, (*negotiated.assumptions, assumption)
    )


# The SDK's reading of the query ------------------------------------------------


class SdkReading(NamedTuple):
    """The query as the native SDK reads it: last value per key, or a rejection."""

    values: Mapping[str, str]
    rejected_reason: str | None = None
    rejected_span: Span | None = None
    #: True where every value is the one a browser reads (so the outcomes agree).
    same_as_browser: bool = False


def empty_pairs(link: DirectLink) -> tuple[Span, ...]:
    """Spans of the ``&`` that make an empty piece of the query (``&&``, a trailing ``&``)."""
    query = link.query
    if link.query_span is None or not query or "&" not in query:
        return ()
    if "&&" not in query and query[0] != "&" and query[-1] != "&":
        return ()
    text = link.input
    params = link.params
    gap_starts = [link.query_span[0], *(param.span[1] for param in params)]
    gap_ends = [*(param.span[0] for param in params), link.query_span[1]]
    spans: list[Span] = []
    for index, (gap_start, gap_end) in enumerate(zip(gap_starts, gap_ends, strict=True)):
        ampersands = [i for i in range(gap_start, gap_end) if text[i] == "&"]
        # Between two pairs one "&" separates them; before the first or after the last, none.
        between_pairs = 0 < index < len(params)
        spans.extend((i, i + 1) for i in (ampersands[1:] if between_pairs else ampersands))
    return tuple(spans)


def read_as_sdk(link: DirectLink) -> SdkReading:
    """Read the query as the SDK does; the first reason it would refuse the link wins."""
    if not link.is_url:
        return SdkReading({}, f"not a URL: {link.error}", link.content_span)
    if link.scheme != spec.SECURE_SCHEME:
        return SdkReading({}, f"the SDK opens only https URLs, not {link.scheme}", link.scheme_span)
    if link.username or link.password is not None:
        return SdkReading({}, "the SDK rejects URLs with user info", link.authority_span)
    if link.port is not None and not 1 <= link.port <= 65535:
        # Browsers accept port 0; the SDK's URL parser takes only ports 1..65535.
        return SdkReading(
            {}, f"the SDK rejects port {link.port} (it takes 1..65535)", link.authority_span
        )
    query = link.query or ""
    first = link.first_values
    if (
        "+" not in query
        and len(first) == len(link.params)
        and "" not in first
        and not has_invalid_percent(query)
        and not empty_pairs(link)
        and not any("\ufffd" in name or "\ufffd" in value for name, value in first.items())
    ):
        # No "+", no repeated or empty key, no bad escape or byte, no empty
        # pair: the SDK decodes every pair exactly as the browser does.
        return SdkReading(dict(first), same_as_browser=True)
    values: dict[str, str] = {}
    same = True
    for param in link.params:
        raw = param.raw
        raw_name, _, raw_value = raw.partition("=")
        if not raw_name:
            return SdkReading(values, "the SDK rejects a pair with an empty key", param.span)
        if "+" not in raw:
            if "%" not in raw:
                values[raw_name] = raw_value  # nothing to decode: both read the raw text
                continue
            if (
                "\ufffd" not in param.value
                and "\ufffd" not in param.name
                and not has_invalid_percent(raw)
            ):
                # Valid escapes of valid UTF-8 and no "+": both decode alike.
                values[param.name] = param.value
                continue
        name = percent_decode_strict(raw_name)
        value = percent_decode_strict(raw_value)
        if name != param.name or value != param.value:
            same = False
        if name is None or value is None:
            return SdkReading(
                values,
                f"the SDK rejects {param.raw!r}: a malformed %-escape or bytes that are not UTF-8",
                param.span,
            )
        values[name] = value
    empty = empty_pairs(link)
    if empty:
        return SdkReading(values, "the SDK rejects an empty pair in the query (&&)", empty[0])
    # With nothing decoded differently and no repeated key, the SDK sees what a browser sees.
    return SdkReading(values, same_as_browser=same and len(values) == len(link.params))


# Outcomes --------------------------------------------------------------------


def resolve(
    link: DirectLink,
    *,
    secret: Secret | None = None,
    accept_language: str | Sequence[str] | None = None,
    languages: tuple[str, ...] = spec.DEFAULT_LANGUAGES,
    sdk: SdkReading | None = None,
) -> dict[str, Outcome]:
    """The outcome in each client. ``secret`` is the secret of this link's app."""
    base_assumptions: tuple[str, ...] = ()
    if link.is_url and link.app_id is None:
        base_assumptions = ("the path is not <base>/direct/<app_id>: the chat page may not load",)
    browser = page_outcome(
        link.get, secret=secret, accept_language=accept_language, languages=languages
    )
    browser_rejection = None if link.is_url else f"not a URL: {link.error}"
    browser = _with(browser, base_assumptions, browser_rejection)
    reading = sdk if sdk is not None else read_as_sdk(link)
    if reading.rejected_reason is not None:
        sdk_outcome = Outcome(
            view="home",
            chat_id=None,
            language=spec.FALLBACK_LANGUAGE,
            language_source="fallback",
            identity="anonymous",
            customer={},
            rejected_reason=reading.rejected_reason,
        )
    elif reading.same_as_browser:
        sdk_outcome = browser
    else:
        sdk_outcome = _with(
            page_outcome(
                reading.values.get,
                secret=secret,
                accept_language=accept_language,
                languages=languages,
            ),
            base_assumptions,
            None,
        )
    return {"browser": browser, "sdk": sdk_outcome}


def page_outcome(
    get: Callable[[str], str | None],
    *,
    secret: Secret | None,
    accept_language: str | Sequence[str] | None,
    languages: tuple[str, ...],
) -> Outcome:
    """What the page does with the values ``get`` returns for each key."""
    assumptions: list[str] = []
    chat_id = get(spec.CHATID)
    if chat_id is None:
        chat_id = get(spec.CHAT_ID_ALIAS)
    view: View = "home"
    if get(spec.DIRECT) == spec.DIRECT_VALUE and chat_id is not None:
        if chat_id.strip():
            view = "session"
        else:
            assumptions.append("assumed a blank chat id opens the home page")
    choice = choose_language(get(spec.LANG), accept_language, languages)
    assumptions.extend(choice.assumptions)
    sbs = get(spec.SBS)
    identity: Identity = "anonymous"
    if sbs is not None:
        if secret is None:
            identity = "unverified"
        else:
            ranstr = get(spec.RANSTR)
            sbs_mm = get(spec.SBS_MM)
            valid = (
                sbs_mm is not None and ranstr is not None and verify(sbs, ranstr, sbs_mm, secret)
            )
            identity = "verified" if valid else "rejected"
    customer = {key: value for key in spec.CUSTOMER_FIELDS if (value := get(key)) is not None}
    # Positional, in the fields' order (view, chat_id, language, language_source, identity,
    # customer, assumptions, rejected_reason, sbs): made for every link, and a call with
    # nine keywords costs a third more than one without.
    return Outcome(view, chat_id if view == "session" else None, choice.language, choice.source,
                   identity, customer, tuple(assumptions), None, sbs)


def _with(outcome: Outcome, assumptions: tuple[str, ...], rejected: str | None) -> Outcome:
    if not assumptions and rejected is None:
        return outcome
    return Outcome(
        view=outcome.view,
        chat_id=outcome.chat_id,
        language=outcome.language,
        language_source=outcome.language_source,
        identity=outcome.identity,
        customer=outcome.customer,
        assumptions=assumptions + outcome.assumptions,
        rejected_reason=rejected,
        sbs=outcome.sbs,
    )
