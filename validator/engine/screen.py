"""Tier one of the check engine: the screen.

One pass over the text decodes a link of the everyday shape
(``https://host[/base]/direct/<app_id>?name=value&...``: known names, each
once, values of safe characters, raw ``<>{}`` and valid escapes) into flat
fields, and proves from them which rules can fire. For such a link only three
session rules (DL101 chatid without direct, DL102 direct without chatid, DL103
a direct other than 1), the identity rules (DL302 a signature without sbs,
DL304 a short and DL305 a weak ranstr, DL306 a malformed ``sbs_mm``, DL307,
DL308, DL312, DL313), two of ``lang`` (DL201, DL202), DL507 for raw ``<>{}``
and DL511 for a placeholder in a value can: the screen returns their findings
directly, as :class:`LazyFinding` objects whose messages and fixes are built
only when read, in a :class:`LazyReport` that parses the link and resolves its
outcomes only when asked.

The proof is conservative: anything the screen does not positively recognise
as healthy (a ``+``, a repeated or unknown name, an empty value, an escape that
decodes to ``%`` or U+FFFD, an sbs without its signature, a doubtful e-mail or
phone number, a placeholder hint in the head, a secret in the text, a
configuration with host, path or app id constraints, a public context, ...)
makes it return None, and the full engine (tier two) checks the link. A
differential test runs both tiers on generated, mutated and corpus links and
asserts identical results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from validator import spec
from validator.config import Config
from validator.engine.full import full_check
from validator.engine.lazy import LazyReport, MessageMaker, lazy_finding
from validator.keyring import text_spellings
from validator.last_made import LastMade
from validator.link_shape import head_app_id, plain_head_end
from validator.model import SEVERITY_RANK, Finding, Fix, Severity, Span
from validator.query import unescape_bytes
from validator.resolve import normalise_language
from validator.rules import RULES
from validator.rules.customer import email_problem, phone_problem
from validator.rules.direct import (
    DIRECT_WITHOUT_CHATID_MESSAGE,
    BadDirectValue,
    ChatidWithoutDirect,
)
from validator.rules.encoding import RawUnsafeCharacters, placeholder_value_message
from validator.rules.identity import (
    bearer_message,
    malformed_sbs_mm_message,
    not_checked_message,
    orphan_signature_message,
    ranstr_weakness,
    short_ranstr_message,
    unsigned_fields_message,
    weak_ranstr_message,
)
from validator.rules.language import NonCanonicalLang
from validator.rules.placeholders import find_placeholder, may_hold_placeholder
from validator.rules.selection import selected_rules
from validator.signature import Secret, signs

#: Pairs of safe characters, raw ``<>{}`` and valid escapes, joined by single ``&``: no
#: empty piece, ``+``, ``#``, quote, space or other character a browser would encode or
#: read differently. Runs of safe characters are taken whole and nothing is handed back
#: (the same language as one character or escape at a time, four times faster).
_QUERY = re.compile(
    r"(?:[A-Za-z0-9._~!$()*,;:@/?=<>{}-]++|%[0-9A-Fa-f]{2})++"
    r"(?:&(?:[A-Za-z0-9._~!$()*,;:@/?=<>{}-]++|%[0-9A-Fa-f]{2})++)*+"
)
#: The only characters of a screened link that DL507 reports (the rest are safe).
_RAW_UNSAFE = re.compile(r"[<>{}]")
_LOWER_MD5 = re.compile(r"[0-9a-f]{32}")

#: Names the screen accepts: the documented ones and the SDK's that no rule looks at.
_ACCEPTED = frozenset(
    (*spec.DOCUMENTED_PARAMS, spec.CUSTOMER_REMARK, spec.EXT_FK_ID, spec.REFERER,
     spec.REFERER_URL, spec.SOURCE_TITLE)
)
_RULES = {rule.code: rule for rule in RULES}
#: code -> (name, severity, minus the severity's rank: the order's second key)
_NAME_SEVERITY: dict[str, tuple[str, Severity, int]] = {
    rule.code: (rule.name, rule.severity, -SEVERITY_RANK[rule.severity]) for rule in RULES
}


class ScreenPlan:
    """What the screen needs from a configuration, worked out once per configuration."""

    __slots__ = (
        "bad_direct_value", "chatid_without_direct", "config", "direct_without_chatid",
        "eligible", "languages", "length_limit", "malformed_sbs_mm", "min_ranstr",
        "non_canonical_lang", "not_checked", "orphan_signature", "placeholder", "raw_unsafe",
        "rejected", "short_ranstr", "unsigned", "unsupported_lang", "verified", "weak_ranstr",
    )

    def __init__(self, config: Config, codes: frozenset[str]) -> None:
        self.config = config
        # Constraints on hosts, paths or app ids, a public context (DL403, DL313 as a
        # warning) and severity overrides are left to the full engine.
        self.eligible = not (
            config.allowed_hosts
            or config.base_path is not None
            or config.app_id_pattern is not None
            or config.allowed_app_ids
            or config.is_public
            or config.severity_overrides
        )
        self.languages = frozenset(config.languages)
        self.length_limit = config.url_length_limit
        self.min_ranstr = config.min_ranstr_length
        self.chatid_without_direct = "DL101" in codes
        self.direct_without_chatid = "DL102" in codes
        self.bad_direct_value = "DL103" in codes
        self.orphan_signature = "DL302" in codes
        self.short_ranstr = "DL304" in codes
        self.weak_ranstr = "DL305" in codes
        self.malformed_sbs_mm = "DL306" in codes
        self.rejected = "DL307" in codes
        self.not_checked = "DL308" in codes
        self.unsigned = "DL312" in codes
        self.verified = "DL313" in codes
        self.unsupported_lang = "DL201" in codes
        self.non_canonical_lang = "DL202" in codes
        self.raw_unsafe = "DL507" in codes
        self.placeholder = "DL511" in codes


def _plan_of(config: Config) -> ScreenPlan:
    return ScreenPlan(config, frozenset(rule.code for rule in selected_rules(config)[0]))


#: The :class:`ScreenPlan` of a configuration, the last one kept (looked up by identity:
#: hashing a Config on every call would cost more than the screen saves).
screen_plan: LastMade[Config, ScreenPlan] = LastMade(_plan_of)


def screen(
    text: str,
    plan: ScreenPlan,
    secret: Secret | None,
    secrets: Mapping[str, Secret],
    accept_language: str | Sequence[str] | None,
    known_secrets: tuple[Secret, ...],
) -> LazyReport | None:
    """The report of a healthy link, or None where the full engine must check it."""
    if not plan.eligible or len(text) > plan.length_limit:
        return None
    start = plain_head_end(text)
    if start < 0 or not _QUERY.fullmatch(text, start):
        return None
    query_start = start
    hinted = may_hold_placeholder(text)
    if hinted and "your" in text[:query_start].lower():
        return None  # YOUR_APP_ID and the like in the path: DL004 and DL511 on the head
    # name -> (value, start of the pair, start of the value, end of the pair)
    fields: dict[str, tuple[str, int, int, int]] = {}
    for piece in text[start:].split("&"):
        name, _, value = piece.partition("=")
        if not value or name not in _ACCEPTED or name in fields:
            return None  # no "=" or an empty value, an unknown or a repeated name
        if "%" in value:
            try:
                value = unescape_bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                return None
            if "%" in value or "\ufffd" in value or value != value.strip():
                return None
        end = start + len(piece)
        fields[name] = (value, start, start + len(name) + 1, end)
        start = end + 1
    app_id = head_app_id(text, query_start)
    # (start, -severity rank, code, finding): finding_order's key, so that sorting the
    # few entries compares plain tuples (codes differ, so findings are never compared).
    findings: list[tuple[int, int, str, Finding]] = []
    if (not _session_screened(fields, plan, findings)
            or not _signature_screened(fields, plan, findings) or not _healthy(fields)):
        return None
    if hinted and plan.placeholder:
        for name, (value, _, value_start, end) in fields.items():
            placeholder = find_placeholder(value)
            if placeholder is not None:
                findings.append(_finding("DL511", (value_start, end), name, _placeholder,
                                         (name, value, placeholder)))
    # Four substring tests cost a tenth of one search for the class (the head holds none).
    if plan.raw_unsafe and ("{" in text or "<" in text or "}" in text or ">" in text):
        for name, (_, _, value_start, end) in fields.items():
            positions = [match.start() for match in _RAW_UNSAFE.finditer(text, value_start, end)]
            if positions:
                findings.append(_finding("DL507", (positions[0], positions[-1] + 1), name,
                                         _raw_unsafe, (text, tuple(positions), name)))
    app_secret = secrets.get(app_id, secret) if secrets else secret
    if app_secret is not None or known_secrets:
        checked = [app_secret] if app_secret is not None else []
        if secret is not None and secret is not app_secret:
            checked.append(secret)
        checked.extend(s for s in known_secrets if s is not app_secret)
        for known in checked:
            if _may_expose(text, fields, known.reveal()):
                return None  # DL309 decides
    sbs = fields.get(spec.SBS)
    given = fields.get(spec.SBS_MM)
    well_formed = given is None or _LOWER_MD5.fullmatch(given[0]) is not None
    if not well_formed and plan.malformed_sbs_mm:
        assert given is not None
        # With the app's secret and an sbs, the message carries the signature diagnosis.
        maker, args = (
            (_from_full_engine,
             ("DL306", text, secret, secrets, accept_language, plan.config, known_secrets))
            if app_secret is not None and sbs is not None else (_malformed, (given[0],))
        )
        findings.append(_finding("DL306", (given[2], given[3]), spec.SBS_MM, maker, args))
    if sbs is not None:
        sbs_mm = fields[spec.SBS_MM]
        if app_secret is None:
            if plan.not_checked:
                findings.append(_finding("DL308", (sbs_mm[1], sbs_mm[3]), spec.SBS_MM,
                                         _not_checked, (app_id,)))
        elif well_formed:  # else DL306 alone: DL307 and DL313 need a well-formed sbs_mm
            if signs(sbs[0], fields[spec.RANSTR][0], sbs_mm[0], app_secret):
                if plan.verified:
                    findings.append(_finding("DL313", (sbs[1], sbs[3]), spec.SBS, _bearer,
                                             (sbs[0],)))
            elif plan.rejected:
                findings.append(_finding(
                    "DL307", (sbs_mm[2], sbs_mm[3]), spec.SBS_MM, _from_full_engine,
                    ("DL307", text, secret, secrets, accept_language, plan.config, known_secrets),
                ))
    if plan.unsigned:
        present = [name for name in spec.CUSTOMER_FIELDS if name in fields]
        if present:
            first = min(present, key=lambda name: fields[name][1])
            where = fields[first]
            findings.append(_finding("DL312", (where[1], where[3]), first, _unsigned,
                                     (tuple(present),)))
    lang = fields.get(spec.LANG)
    if lang is not None and lang[0] not in plan.languages:
        # DL201 or DL202 (DL203 needs an empty value, which the screen hands over).
        span = (lang[2], lang[3])
        code = normalise_language(lang[0], plan.config.languages)
        if code is None:
            if plan.unsupported_lang:
                findings.append(_finding(
                    "DL201", span, spec.LANG, _from_full_engine,
                    ("DL201", text, secret, secrets, accept_language, plan.config, known_secrets),
                ))
        elif plan.non_canonical_lang:
            findings.append(_finding("DL202", span, spec.LANG, _non_canonical,
                                     (lang[0], span, code)))
    if len(findings) > 1:
        findings.sort()
    return LazyReport(text, tuple([entry[3] for entry in findings]), app_secret,
                      accept_language, plan.config.languages, fields)


def _session_screened(
    fields: dict[str, tuple[str, int, int, int]],
    plan: ScreenPlan,
    findings: list[tuple[int, int, str, Finding]],
) -> bool:
    """Add the findings of DL101..DL103 to ``findings``; False where the full engine decides.

    The screen's values are never empty or blank, so DL105 (an empty chat id) cannot fire;
    both chat id keys at once (DL104, DL106) are left to the full engine.
    """
    get = fields.get
    direct = get(spec.DIRECT)
    chatid = get(spec.CHATID)
    alias = get(spec.CHAT_ID_ALIAS)
    if chatid is not None and alias is not None:
        return False
    key, chat = (spec.CHATID, chatid) if alias is None else (spec.CHAT_ID_ALIAS, alias)
    if direct is None:
        if chat is not None and plan.chatid_without_direct:
            span = (chat[1], chat[3])
            findings.append(_finding("DL101", span, key, _chatid_without_direct,
                                     (key, chat[0], span)))
        return True
    if direct[0] != spec.DIRECT_VALUE and plan.bad_direct_value:
        span = (direct[2], direct[3])
        findings.append(_finding("DL103", span, spec.DIRECT, _bad_direct_value,
                                 (direct[0], span)))
    if chat is None and plan.direct_without_chatid:
        findings.append(_finding("DL102", (direct[1], direct[3]), spec.DIRECT,
                                 _direct_without_chatid, ()))
    return True


def _signature_screened(
    fields: dict[str, tuple[str, int, int, int]],
    plan: ScreenPlan,
    findings: list[tuple[int, int, str, Finding]],
) -> bool:
    """Add the findings of DL302, DL304 and DL305 to ``findings``; False where the full
    engine decides: an ``sbs`` without ``sbs_mm`` or ``ranstr`` (DL301, DL303)."""
    get = fields.get
    sbs, sbs_mm, ranstr = get(spec.SBS), get(spec.SBS_MM), get(spec.RANSTR)
    if sbs is not None and (sbs_mm is None or ranstr is None):
        return False
    if sbs is None and plan.orphan_signature:
        orphan, name = (sbs_mm, spec.SBS_MM) if sbs_mm is not None else (ranstr, spec.RANSTR)
        if orphan is not None:
            findings.append(_finding("DL302", (orphan[1], orphan[3]), name, _orphan, (name,)))
    if ranstr is not None:
        value, span = ranstr[0], (ranstr[2], ranstr[3])
        if len(value) < plan.min_ranstr and plan.short_ranstr:
            findings.append(_finding("DL304", span, spec.RANSTR, _short_ranstr,
                                     (len(value), plan.min_ranstr)))
        weakness = ranstr_weakness(value)
        if weakness is not None and plan.weak_ranstr:
            findings.append(_finding("DL305", span, spec.RANSTR, _weak_ranstr,
                                     (value, weakness)))
    return True


def _healthy(fields: dict[str, tuple[str, int, int, int]]) -> bool:
    """True where no rule but those the screen reports can fire on a link with these values."""
    get = fields.get
    email = get(spec.EMAIL)
    if email is not None and email_problem(email[0]) is not None:
        return False  # DL401
    phone = get(spec.PHONE)
    return phone is None or phone_problem(phone[0]) is None  # DL402


def _may_expose(text: str, fields: dict[str, tuple[str, int, int, int]], secret: str) -> bool:
    """True where ``secret`` may appear in the link in any spelling (DL309 then decides)."""
    if secret in text or any(secret in value for value, _, _, _ in fields.values()):
        return True
    return any(form in text for form in text_spellings(secret))


def _finding(
    code: str, span: tuple[int, int], param: str, make: MessageMaker, args: tuple[object, ...]
) -> tuple[int, int, str, Finding]:
    name, severity, rank = _NAME_SEVERITY[code]
    return (span[0], rank, code, lazy_finding(code, name, severity, span, param, make, args))


# Message makers: the rules' own wording, built on first read -------------------


def _chatid_without_direct(key: str, chat_id: str, span: Span) -> tuple[str, Fix | None]:
    rule = _RULES["DL101"]
    assert isinstance(rule, ChatidWithoutDirect)
    return rule.message_and_fix(key, chat_id, span)


def _direct_without_chatid() -> tuple[str, Fix | None]:
    return DIRECT_WITHOUT_CHATID_MESSAGE, None


def _bad_direct_value(value: str, span: Span) -> tuple[str, Fix | None]:
    rule = _RULES["DL103"]
    assert isinstance(rule, BadDirectValue)
    return rule.message_and_fix(value, span)


def _placeholder(name: str, value: str, placeholder: str) -> tuple[str, Fix | None]:
    return placeholder_value_message(name, value, placeholder), None


def _raw_unsafe(text: str, positions: tuple[int, ...], name: str) -> tuple[str, Fix | None]:
    rule = _RULES["DL507"]
    assert isinstance(rule, RawUnsafeCharacters)
    return rule.message_and_fix(text, positions, f"in {name}")


def _malformed(sbs_mm: str) -> tuple[str, Fix | None]:
    return malformed_sbs_mm_message(sbs_mm), None


def _orphan(name: str) -> tuple[str, Fix | None]:
    return orphan_signature_message(name), None


def _short_ranstr(length: int, minimum: int) -> tuple[str, Fix | None]:
    return short_ranstr_message(length, minimum), None


def _weak_ranstr(value: str, weakness: str) -> tuple[str, Fix | None]:
    return weak_ranstr_message(value, weakness), None


def _not_checked(app_id: str) -> tuple[str, Fix | None]:
    return not_checked_message(app_id), None


def _bearer(sbs: str) -> tuple[str, Fix | None]:
    return bearer_message(sbs), None


def _non_canonical(value: str, span: tuple[int, int], code: str) -> tuple[str, Fix | None]:
    rule = _RULES["DL202"]
    assert isinstance(rule, NonCanonicalLang)
    return rule.message_and_fix(value, span, code)


def _unsigned(present: tuple[str, ...]) -> tuple[str, Fix | None]:
    return unsigned_fields_message(present), None


def _from_full_engine(
    code: str,
    text: str,
    secret: Secret | None,
    secrets: Mapping[str, Secret],
    accept_language: str | Sequence[str] | None,
    config: Config,
    known_secrets: tuple[Secret, ...],
) -> tuple[str, Fix | None]:
    """Message and fix as the full engine writes them (DL307's carry the diagnosis)."""
    report = full_check(text, secret, secrets, accept_language, config, known_secrets)
    for finding in report.findings:
        if finding.code == code:
            return finding.message, finding.fix
    raise AssertionError(f"the full engine does not report {code} on a link the screen did")
