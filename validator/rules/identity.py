"""DL3xx: the customer identity (``sbs``) and its signature (``sbs_mm``, ``ranstr``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise

from validator import spec
from validator.engine.lazy import LazyFinding
from validator.keyring import find_secret
from validator.model import Finding, Fix
from validator.patterns import lazy_pattern
from validator.rules import signals
from validator.rules.base import LinkContext, Rule, value_span
from validator.signature import sign

_LOWER_MD5 = re.compile(r"[0-9a-f]{32}")
#: Hex digits of any case, for a wrong sbs_mm; compiled when one is met.
_HEX = lazy_pattern(r"[0-9A-Fa-f]+")


def _diagnosis_headline(context: LinkContext, sbs_mm: str) -> str | None:
    """The signature diagnosis' one-sentence cause, where a secret is known."""
    secret = context.secret
    sbs_param = context.param(spec.SBS)
    ranstr_param = context.param(spec.RANSTR)
    if secret is None or sbs_param is None:
        return None
    from validator.diagnose import signature_cause

    cause = signature_cause(
        sbs_param.value,
        ranstr_param.value if ranstr_param else "",
        sbs_mm,
        secret,
        raw_sbs=sbs_param.raw_value,
        raw_ranstr=ranstr_param.raw_value if ranstr_param else None,
    )
    return None if cause is None else cause.headline


def _resign_fix(rule: Rule, context: LinkContext) -> Fix | None:
    """Replace or add ``sbs_mm`` (and ``ranstr`` where missing) signed with the known secret."""
    secret = context.secret
    sbs = context.param(spec.SBS)
    if secret is None or sbs is None:
        return None
    ranstr_param = context.param(spec.RANSTR)
    replacements: list[tuple[tuple[int, int], str]] = []
    edits: list[tuple[str, str | None]] = []
    appended: list[str] = []
    if ranstr_param is None:
        from validator.build import derived_ranstr  # the builder loads with the first fix

        ranstr = derived_ranstr(secret, context.link.input)
        appended.append(f"{spec.RANSTR}={ranstr}")
        edits.append((spec.RANSTR, ranstr))
    else:
        ranstr = ranstr_param.value
    signature = sign(sbs.value, ranstr, secret)
    edits.append((spec.SBS_MM, signature))
    sbs_mm = context.param(spec.SBS_MM)
    if sbs_mm is None:
        appended.append(f"{spec.SBS_MM}={signature}")
    elif sbs_mm.raw_value is None:
        replacements.append((sbs_mm.span, f"{spec.SBS_MM}={signature}"))
    else:
        replacements.append((sbs_mm.value_span, signature))
    if appended:
        end = sbs.span[1]
        replacements.append(((end, end), "&" + "&".join(appended)))
    return rule.make_fix("sign with the known secret", replacements, edits)


class UnsignedSbs(Rule):
    """``sbs`` without ``sbs_mm``: the page cannot trust the identity."""

    code = "DL301"
    name = "unsigned-sbs"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.SIGNATURE_SHAPE})
    summary = "sbs without sbs_mm"
    why = (
        "sbs names the customer; sbs_mm proves the link was made by someone who holds the "
        "AppSecret. Without it the page cannot tell the link from a forged one and the "
        "customer is not identified."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42"
    good = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=42"
        "&sbs_mm=<32 lower-case hex>&ranstr=Qm9yTnx3aWZpLXN0YXI"
    )
    fixable = True
    fix_description = "With the AppSecret known, add ranstr (if missing) and sbs_mm."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        param = context.param(spec.SBS)
        if param is None or link.has(spec.SBS_MM):
            return
        yield self.finding(
            f"sbs={param.value!r} has no sbs_mm: the page cannot verify the customer",
            param.span,
            param=spec.SBS,
            fix=_resign_fix(self, context),
        )


class OrphanSignature(Rule):
    """``sbs_mm`` or ``ranstr`` without the ``sbs`` they sign."""

    code = "DL302"
    name = "orphan-signature"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.SIGNATURE_SHAPE})
    summary = "sbs_mm or ranstr without sbs"
    why = (
        "A signature signs an sbs. Without sbs the page has nothing to identify and the "
        "signature is dead weight, usually a sign that the sbs parameter was lost or renamed."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if link.has(spec.SBS):
            return
        param = context.param(spec.SBS_MM) or context.param(spec.RANSTR)
        if param is None:
            return
        yield self.finding(orphan_signature_message(param.name), param.span, param=param.name)


def orphan_signature_message(name: str) -> str:
    """DL302's message for ``sbs_mm`` or ``ranstr`` (``name``) without ``sbs``."""
    return f"{name} without sbs: there is no customer to sign"


class MissingRanstr(Rule):
    """``sbs_mm`` without ``ranstr``: the signature cannot be checked."""

    code = "DL303"
    name = "missing-ranstr"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.SIGNATURE_SHAPE})
    summary = "sbs_mm without ranstr"
    why = (
        "sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr). Without ranstr the page "
        "cannot recompute it and rejects the identity."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0cc175b9c0f1b6a831c399e269772661"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"
    fixable = True
    fix_description = "With the AppSecret known, add a fresh ranstr and re-sign."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.has(spec.SBS) or link.has(spec.RANSTR):
            return
        param = context.param(spec.SBS_MM)
        if param is None:
            return
        yield self.finding(
            "sbs_mm without ranstr: the signature cannot be checked",
            param.span,
            param=spec.SBS_MM,
            fix=_resign_fix(self, context),
        )


class ShortRanstr(Rule):
    """``ranstr`` shorter than the configured minimum (16 by default)."""

    code = "DL304"
    name = "short-ranstr"
    severity = "warning"
    family = "identity"
    triggers = frozenset({spec.RANSTR})
    summary = "ranstr shorter than the configured minimum (16)"
    why = (
        "The documentation recommends at least 16 characters. A short random string makes "
        "signatures repeat across links and easier to collect."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=x7"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=Qm9yTnx3aWZpLXN0YXI"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.RANSTR)
        minimum = context.config.min_ranstr_length
        if param is None or len(param.value) >= minimum:
            return
        yield self.finding(short_ranstr_message(len(param.value), minimum), value_span(param),
                           param=spec.RANSTR)


def short_ranstr_message(length: int, minimum: int) -> str:
    """DL304's message for a ``ranstr`` of ``length`` characters."""
    return f"ranstr is {length} characters, shorter than the minimum {minimum}"


@lru_cache(maxsize=4096)
def ranstr_weakness(value: str) -> str | None:
    """Why ``value`` is a poor random string, or None."""
    length = len(value)
    if length < 2:
        return None
    distinct = len(set(value))
    if distinct == 1:
        return "one repeated character"
    if value.isdigit() and _looks_like_timestamp(value):
        return "a plain timestamp"
    if length >= 4 and _mostly_sequential(value):
        return "a sequential run"
    if length >= 6:
        # value repeats its first ``period`` characters exactly where it equals itself
        # shifted by ``period``; only a period whose character matches the first can.
        first = value[0]
        for period in range(2, length // 3 + 1):
            if value[period] == first and value[period:] == value[:-period]:
                return f"a pattern of {period} characters repeated"
    if length >= 8 and distinct <= 3:
        return f"only {distinct} distinct characters"
    return None


def _looks_like_timestamp(digits: str) -> bool:
    length = len(digits)
    if length in (10, 13, 16, 19):
        seconds = int(digits[:10])
        return 946_684_800 <= seconds <= 4_102_444_800  # 2000 .. 2100
    if length in (8, 12, 14):  # YYYYMMDD[hhmm[ss]]
        return digits[:2] in ("19", "20") and "01" <= digits[4:6] <= "12"
    return False


def _mostly_sequential(value: str) -> bool:
    """At least 80 % of neighbouring pairs are one apart (``ab``, ``98``, ``za``)."""
    total = len(value) - 1
    allowed_misses = total - int(0.8 * total + 0.999)
    misses = 0
    for a, b in pairwise(value):
        delta = ord(b) - ord(a)
        if delta not in (1, -1) and (a, b) not in _WRAPS:
            misses += 1
            if misses > allowed_misses:
                return False
    return True


_WRAPS = frozenset({("9", "0"), ("0", "9"), ("z", "a"), ("Z", "A")})


class WeakRanstr(Rule):
    """``ranstr`` of low variety: repeated, sequential, a timestamp, or few distinct characters."""

    code = "DL305"
    name = "weak-ranstr"
    severity = "warning"
    family = "identity"
    triggers = frozenset({spec.RANSTR})
    summary = "ranstr of low variety (repeated, sequential, timestamp, few distinct characters)"
    why = (
        "ranstr should be random. aaaa…, 123456…, a Unix timestamp or a short pattern repeated "
        "can be guessed and tends to repeat across links, so one leaked signature is reusable."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=1700000000000000"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=Qm9yTnx3aWZpLXN0YXI"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.RANSTR)
        if param is None:
            return
        weakness = ranstr_weakness(param.value)
        if weakness is None:
            return
        yield self.finding(weak_ranstr_message(param.value, weakness), value_span(param),
                           param=spec.RANSTR)


def weak_ranstr_message(value: str, weakness: str) -> str:
    """DL305's message for ``ranstr=value`` and what :func:`ranstr_weakness` found."""
    return f"ranstr={value!r} is not random: {weakness}"


def malformed_sbs_mm_message(value: str) -> str:
    """DL306's message without the diagnosis: what is wrong with the shape of ``value``."""
    if not value:
        return "sbs_mm is empty"
    if _HEX().fullmatch(value):
        length = len(value)
        if length == 32:
            return "sbs_mm has upper-case hex digits; MD5 output must be 32 lower-case hex"
        if length == 40:
            return "sbs_mm has 40 hex digits, the length of SHA-1, not MD5 (32)"
        if length == 64:
            return "sbs_mm has 64 hex digits, the length of SHA-256, not MD5 (32)"
        return f"sbs_mm has {length} hex digits, not the 32 of an MD5"
    bad = next(ch for ch in value if not ch.isascii() or ch not in "0123456789abcdefABCDEF")
    return f"sbs_mm holds {bad!r}, not a hex digit; MD5 output is 32 lower-case hex"


class MalformedSbsMm(Rule):
    """``sbs_mm`` is not 32 lower-case hex digits."""

    code = "DL306"
    name = "malformed-sbs-mm"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.SIGNATURE_SHAPE})
    summary = "sbs_mm not 32 lower-case hex; says which (upper case, SHA-1/SHA-256 length ...)"
    why = (
        "The page compares sbs_mm with a lower-case MD5 hex digest. Upper-case hex, a SHA-1 "
        "or SHA-256 digest, or a truncated value never match, and the customer is rejected. "
        "When the AppSecret is known the message carries the signature diagnosis."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0CC175B9C0F1B6A831C399E269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"
    fixable = True
    fix_description = "With the AppSecret known, replace sbs_mm with the correct signature."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.SBS_MM)
        if param is None or _LOWER_MD5.fullmatch(param.value):
            return
        # The diagnosis runs when the message is read.
        yield LazyFinding(
            self.code, self.name, self.severity, value_span(param), spec.SBS_MM,
            self.message_and_fix, (context, param.value),
        )

    def message_and_fix(self, context: LinkContext, sbs_mm: str) -> tuple[str, Fix | None]:
        message = malformed_sbs_mm_message(sbs_mm)
        signed = context.link.has(spec.RANSTR)
        headline = _diagnosis_headline(context, sbs_mm) if signed else None
        if headline:
            message = f"{message}. Diagnosis: {headline}"
        return message, _resign_fix(self, context) if signed else None


class SignatureMismatch(Rule):
    """A secret is known and the well-formed ``sbs_mm`` is wrong."""

    code = "DL307"
    name = "signature-mismatch"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.REJECTED})
    summary = "A secret is known and a well-formed sbs_mm is wrong; carries the diagnosis"
    why = (
        "The page recomputes md5(md5(sbs + '_' + AppSecret) + '_' + ranstr) and rejects the "
        "customer when it differs. The message names the integration mistake that reproduces "
        "the given value (upper-case hex, wrong separator, HMAC, a stale secret ...); "
        "`directlink explain` shows every step."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=00000000000000000000000000000000&ranstr=Qm9yTnx3aWZpLXN0YXI"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<md5(md5('42_'+secret)+'_'+ranstr)>&ranstr=Qm9yTnx3aWZpLXN0YXI"
    fixable = True
    fix_description = "Replace sbs_mm with the signature computed from the known AppSecret."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if context.secret is None or context.browser.identity != "rejected":
            return
        param = context.param(spec.SBS_MM)
        if param is None or not link.has(spec.RANSTR) or not _LOWER_MD5.fullmatch(param.value):
            return
        # The diagnosis and the fix are built when the message is read: an audit
        # of a rotated secret need not run every hypothesis on every link.
        yield LazyFinding(
            self.code, self.name, self.severity, value_span(param), spec.SBS_MM,
            self.message_and_fix, (context, param.value),
        )

    def message_and_fix(self, context: LinkContext, sbs_mm: str) -> tuple[str, Fix | None]:
        headline = _diagnosis_headline(context, sbs_mm)
        cause = headline or "unknown cause (see `directlink explain`)"
        message = f"sbs_mm does not match sbs and ranstr for this app's secret: {cause}"
        return message, _resign_fix(self, context)


class SignatureNotChecked(Rule):
    """A signature is present but no secret is known for the app, so it was not verified."""

    code = "DL308"
    name = "signature-not-checked"
    severity = "info"
    family = "identity"
    triggers = frozenset({signals.UNVERIFIED})
    summary = "A signature is present but no secret is known for the app"
    why = (
        "Without the AppSecret the validator can check the shape of sbs_mm but not whether it "
        "is right. Give the secret (--secret-env, --secret-file, --secrets-file) to verify."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=0cc175b9c0f1b6a831c399e269772661&ranstr=Qm9yTnx3aWZpLXN0YXI"
    good = "(the same link, checked with the app's secret)"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if context.secret is not None or not link.has(spec.SBS):
            return
        param = context.param(spec.SBS_MM)
        if param is None:
            return
        yield self.finding(not_checked_message(link.app_id), param.span, param=spec.SBS_MM)


def not_checked_message(app_id: str | None) -> str:
    """DL308's message."""
    app = f" {app_id!r}" if app_id else ""
    return f"no secret known for app{app}: the signature was not verified"


_SECRET_NAME_FORMS = frozenset(name.replace("_", "") for name in spec.SECRET_LIKE_NAMES)


def is_secret_like_name(name: str) -> bool:
    return name.lower().replace("_", "").replace("-", "") in _SECRET_NAME_FORMS


class SecretExposed(Rule):
    """The AppSecret itself is in the URL, or a parameter is named like a secret."""

    code = "DL309"
    name = "secret-exposed"
    severity = "error"
    family = "identity"
    triggers = frozenset({signals.UNKNOWN, signals.SECRET, signals.FRAGMENT})
    summary = "The AppSecret appears in the URL (raw or decoded), or a parameter is named like one"
    why = (
        "Whoever holds the AppSecret can sign any customer: it belongs on the server only. "
        "A link carrying it (in any encoding) or a parameter called secret/app_secret has "
        "leaked it to everyone who sees the link; rotate the secret."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=42&app_secret=..."
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=Qm9yTnx3aWZpLXN0YXI"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        reported: set[str] = set()
        for param in (*link.params, *link.fragment_params):
            if param.name not in spec.KNOWN_PARAMS and is_secret_like_name(param.name):
                reported.add(param.name)
                yield self.finding(
                    f"parameter {param.name!r} is named like a secret: never put the AppSecret "
                    "in a link",
                    param.span,
                    param=param.name,
                )
        secrets = [context.secret] if context.secret is not None else []
        secrets.extend(s for s in context.known_secrets if s is not context.secret)
        for secret in secrets:
            span, where = find_secret(link, secret)
            if span is not None and where not in reported:
                named = where not in ("URL", "a parameter name")
                yield self.finding(
                    f"the AppSecret appears in the link ({'in ' + where if named else where}): "
                    "rotate it",
                    span,
                    param=where if named else None,
                )
                return


class PlusInSignedField(Rule):
    """A raw ``+`` in ``sbs`` or ``ranstr``: the browser reads a space, the SDK a plus."""

    code = "DL311"
    name = "plus-in-signed-field"
    severity = "warning"
    family = "identity"
    triggers = frozenset({signals.PLUS})
    summary = "Raw sbs or ranstr holds +, which the page reads as a space"
    why = (
        "In a query a raw + means a space to the browser but stays a + in the native SDK, so "
        "the two hash different strings and at most one of them accepts the signature. "
        "Write a space as %20 and a plus as %2B."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?sbs=john+doe&sbs_mm=<sig>&ranstr=Qm9yTnx3aWZpLXN0YXI"
    good = "https://visitorchat.twt.com/direct/demo_app?sbs=john%20doe&sbs_mm=<sig>&ranstr=Qm9yTnx3aWZpLXN0YXI"
    fixable = True
    fix_description = "Write each + as %20, the space the browser already reads (SDK then agrees)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        if "+" not in (context.link.query or ""):
            return
        for name in (spec.SBS, spec.RANSTR):
            param = context.param(name)
            if param is None or param.raw_value is None or "+" not in param.raw_value:
                continue
            fixed = param.raw_value.replace("+", "%20")
            yield self.finding(
                f"raw {name} {param.raw_value!r} holds '+': a browser reads {param.value!r}, "
                f"the native SDK {param.raw_value!r}",
                param.value_span,
                param=name,
                fix=self.make_fix("write + as %20", [(param.value_span, fixed)]),
            )


class UnsignedCustomerFields(Rule):
    """``name``/``nickname``/``email``/``phone`` are not covered by the signature."""

    code = "DL312"
    name = "unsigned-customer-fields"
    severity = "info"
    family = "identity"
    triggers = frozenset(spec.CUSTOMER_FIELDS)
    summary = "name/nickname/email/phone present: the signature does not cover them"
    why = (
        "sbs_mm signs sbs only. Anyone holding the link can change the name, email or phone "
        "the agent sees without breaking the signature: treat them as the visitor's claim, "
        "not as verified data."
    )
    bad = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=..."
        "&email=ann%40example.com"
    )
    good = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<sig>&ranstr=... "
        "(the agent looks the customer up by sbs)"
    )

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        present = [name for name in spec.CUSTOMER_FIELDS if link.has(name)]
        if not present:
            return
        first = next(p for p in link.params if p.name in present)
        yield self.finding(unsigned_fields_message(present), first.span, param=first.name)


def unsigned_fields_message(present: Sequence[str]) -> str:
    """DL312's message for the customer fields ``present``."""
    return (
        f"{', '.join(present)} not covered by the signature: anyone with the link can "
        "change what the agent sees"
    )


class BearerLink(Rule):
    """A valid signed identity never expires: whoever holds the link is that customer."""

    code = "DL313"
    name = "bearer-link"
    severity = "info"
    family = "identity"
    triggers = frozenset({signals.VERIFIED})
    summary = "A valid signed identity (warning in public contexts): the link is a bearer token"
    why = (
        "The signature has no expiry and is not bound to a device: anyone who gets the link "
        "(a forwarded mail, a screenshot of a QR code, a public profile) chats as that "
        "customer and sees their history. Never publish signed links; in public contexts "
        "(context = public/qr/email) this is a warning."
    )
    bad = (
        "https://visitorchat.twt.com/direct/demo_app?sbs=42&sbs_mm=<valid sig>&ranstr=... "
        "(on a poster)"
    )
    good = "https://visitorchat.twt.com/direct/demo_app (on a poster)"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        if context.browser.identity != "verified":
            return
        param = context.param(spec.SBS)
        assert param is not None
        yield self.finding(
            bearer_message(param.value),
            param.span,
            param=spec.SBS,
            severity="warning" if context.config.is_public else None,
        )


def bearer_message(sbs: str) -> str:
    """DL313's message for the verified customer ``sbs``."""
    return (
        f"valid signature for customer {sbs!r}: whoever holds this link is that "
        "customer, and it never expires"
    )


RULES: tuple[Rule, ...] = (
    UnsignedSbs(),
    OrphanSignature(),
    MissingRanstr(),
    ShortRanstr(),
    WeakRanstr(),
    MalformedSbsMm(),
    SignatureMismatch(),
    SignatureNotChecked(),
    SecretExposed(),
    PlusInSignedField(),
    UnsignedCustomerFields(),
    BearerLink(),
)
