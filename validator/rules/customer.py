"""DL4xx: customer fields the agent sees (``name``, ``nickname``, ``email``, ``phone``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache
from types import ModuleType

from validator import spec
from validator.model import Finding
from validator.patterns import lazy_pattern
from validator.rules import signals
from validator.rules.base import LinkContext, Rule, drop_param_fix, value_span

# Addresses of the everyday shape (dot-atom ASCII local part, LDH labels, an
# alphabetic top-level domain that is not special-use) are a strict subset of
# what email-validator accepts; they skip the library, which costs ~100 µs a call.
# Compiled on the first address a run meets.
_PLAIN_EMAIL = lazy_pattern(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})"
)

# The two validators take a tenth of a second to import: they load on the
# first e-mail or phone number a run meets, not with the command.


@cache
def _special_use_tlds() -> frozenset[str]:
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    return frozenset(SPECIAL_USE_DOMAIN_NAMES)


@cache
def _phonenumbers() -> ModuleType:
    import phonenumbers

    return phonenumbers


def _plainly_valid_email(address: str) -> bool:
    # email-validator (not strict) takes a local part of any length; the whole
    # address has at most 254 characters.
    match = _PLAIN_EMAIL().fullmatch(address)
    if match is None or len(address) > 254 or "--" in address.partition("@")[2]:
        return False
    return match.group(1).lower() not in _special_use_tlds()


@lru_cache(maxsize=4096)
def email_problem(address: str) -> str | None:
    """Why ``address`` is not a valid e-mail address (syntax only, no DNS), or None."""
    if "@" not in address:  # the common mistake, answered without the library
        return "it has no @"
    if _plainly_valid_email(address):
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


#: What people write between a number's digits; compiled for a number not plainly E.164.
_PHONE_SEPARATORS = lazy_pattern(r"[\s().\-/]")


#: A number in plain E.164 form; compiled on the first number a run meets.
_E164 = lazy_pattern(r"\+([1-9][0-9]{4,16})")


@lru_cache(maxsize=1024)
def _possible_length(country_code: int, national_length: int) -> bool:
    """phonenumbers' possibility test depends only on the country and the national length."""
    phonenumbers = _phonenumbers()
    number = phonenumbers.PhoneNumber(
        country_code=country_code, national_number=int("1" * national_length)
    )
    return bool(phonenumbers.is_possible_number(number))


def _plainly_possible_e164(digits: str) -> bool:
    """The E.164 ``digits`` are possible for their country code (False: ask the full parse)."""
    regions = _phonenumbers().COUNTRY_CODE_TO_REGION_CODE
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in regions:
            return _possible_length(code, len(digits) - size)
    return False


@lru_cache(maxsize=4096)
def phone_problem(number: str) -> str | None:
    """Why ``number`` is not a possible phone number, or None.

    With a country code (``+`` or ``00``) the number must be possible for it
    (phonenumbers' ``is_possible_number``; plain E.164 digits are judged from
    the country code and length without a full parse, which is what that test
    looks at). Without one the region is unknown, so only its shape is checked
    (5 to 15 digits and separators).
    """
    text = number.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    plain = _E164().fullmatch(text)
    if plain is not None and _plainly_possible_e164(plain.group(1)):
        return None
    # Otherwise the full parse decides (it also strips a national prefix written after
    # the country code, which the length test alone does not).
    if text.startswith("+"):
        phonenumbers = _phonenumbers()
        try:
            parsed = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException as error:
            return str(error)
        if not phonenumbers.is_possible_number(parsed):
            return "not a possible number for its country code"
        return None
    digits = _PHONE_SEPARATORS().sub("", text)
    if not digits.isascii() or not digits.isdigit():
        return "it holds characters that are not digits or separators"
    if not 5 <= len(digits) <= 15:
        return f"{len(digits)} digits; phone numbers have 5 to 15"
    return None


class InvalidEmail(Rule):
    """``email`` is not a syntactically valid address."""

    code = "DL401"
    name = "invalid-email"
    severity = "warning"
    family = "customer"
    triggers = frozenset({spec.EMAIL})
    summary = "email not a valid address (syntax; no network look-up)"
    why = (
        "The agent sees the email as given; a malformed one cannot be used to reach the "
        "customer and often means a template filled the wrong variable."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?email=ann.example.com"
    good = "https://visitorchat.twt.com/direct/demo_app?email=ann%40example.com"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.EMAIL)
        if param is None or not param.value:
            return
        problem = email_problem(param.value)
        if problem is None:
            return
        yield self.finding(
            f"email={param.value!r} is not a valid address: {problem}",
            value_span(param),
            param=spec.EMAIL,
        )


class InvalidPhone(Rule):
    """``phone`` is not a possible phone number."""

    code = "DL402"
    name = "invalid-phone"
    severity = "warning"
    family = "customer"
    triggers = frozenset({spec.PHONE})
    summary = "phone not a possible phone number; E.164 (+8613800000000) recommended"
    why = (
        "The agent sees the phone as given. Write it in E.164 (a + and the country code, no "
        "separators) so it is unambiguous in every country. A raw + in a query is a space, "
        "so the country code's + must be written %2B."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?phone=+8613800000000"
    good = "https://visitorchat.twt.com/direct/demo_app?phone=%2B8613800000000"
    fixable = True
    fix_safe = False
    fix_description = "Write a raw leading + as %2B (unsafe: the page then reads a + sign)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.PHONE)
        if param is None or not param.value:
            return
        raw = param.raw_value or ""
        if raw.startswith("+"):
            # The country code's "+" written raw reaches the page as a space.
            plus = (param.value_span[0], param.value_span[0] + 1)
            yield self.finding(
                f"phone={param.value!r}: the raw '+' of the country code reads as a space; "
                "write it %2B (E.164 such as +8613800000000)",
                value_span(param),
                param=spec.PHONE,
                fix=self.make_fix("write + as %2B", [(plus, "%2B")]),
            )
            return
        problem = phone_problem(param.value)
        if problem is None:
            return
        yield self.finding(
            f"phone={param.value!r} is not a possible phone number: {problem}; "
            "E.164 such as +8613800000000 is recommended",
            value_span(param),
            param=spec.PHONE,
        )


_PERSONAL = frozenset((spec.SBS, *spec.CUSTOMER_FIELDS))


class PiiInPublicLink(Rule):
    """A link published in a public context carries customer data or an identity."""

    code = "DL403"
    name = "pii-in-public-link"
    severity = "warning"
    family = "customer"
    triggers = frozenset({signals.PUBLIC_PII})
    summary = "Public context (mail signature, bio, QR code) and the link carries customer data"
    why = (
        "Links in email signatures, social bios and QR codes are seen by everyone: any sbs, "
        "name, email or phone in them is published, and everyone who opens the link chats "
        "as that customer. Only fires with context = public, qr or email."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=Ann&email=ann%40example.com"
    good = "https://visitorchat.twt.com/direct/demo_app"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        if not context.config.is_public:
            return
        link = context.link
        carried = [
            p for p in link.params if p.name in _PERSONAL and (p.value or p.name == spec.SBS)
        ]
        if not carried:
            return
        names = ", ".join(dict.fromkeys(p.name for p in carried))
        yield self.finding(
            f"a {context.config.context} link carries {names}: everyone who sees it sees them",
            carried[0].span,
            param=carried[0].name,
        )



class EmptyCustomerField(Rule):
    """``name=``, ``email=`` ... with no value."""

    code = "DL404"
    name = "empty-customer-field"
    severity = "info"
    family = "customer"
    triggers = frozenset({signals.EMPTY_FIELD})
    summary = "name=, nickname=, email= or phone= with no value"
    why = (
        "An empty customer field tells the agent nothing; it usually means a template "
        "variable was empty. Leave the parameter out instead."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?name=&email="
    good = "https://visitorchat.twt.com/direct/demo_app"
    fixable = True
    fix_description = "Drop the empty field."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        for name in spec.CUSTOMER_FIELDS:
            param = context.param(name)
            if param is None or param.value:
                continue
            alone = len(link.params_named(name)) == 1
            yield self.finding(
                f"{name} is empty",
                param.span,
                param=name,
                fix=drop_param_fix(self, link, param, f"drop the empty {name}") if alone else None,
            )


RULES: tuple[Rule, ...] = (InvalidEmail(), InvalidPhone(), PiiInPublicLink(), EmptyCustomerField())
