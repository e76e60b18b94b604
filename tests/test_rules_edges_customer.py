"""Customer-field rules (DL4xx): the e-mail and phone judgements, messages, spans and fixes."""

from __future__ import annotations

import pytest

from validator import Config, check
from validator.model import Finding
from validator.rules.customer import email_problem, phone_problem

B = "https://visitorchat.twt.com/direct/demo_app"


def only(url: str, code: str, config: Config | None = None) -> list[Finding]:
    return [f for f in check(url, config=config).findings if f.code == code]


@pytest.mark.parametrize(
    "address",
    ["ann@example.com", "a.b+c@mail.example.org", "ann@example.c0m", "Ann@EXAMPLE.COM"],
)
def test_valid_addresses(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(
    ("address", "problem"),
    [("ann.example.com", "it has no @"),
     ("ann@example.local", "special-use or reserved name"),
     ("ann@EXAMPLE.LOCAL", "special-use or reserved name"),
     ("ann@ex--ample.com", "two dashes"),
     ("ann@example", "It should have a period"),
     ("ann@" + ".".join(["a" * 63] * 4) + ".com", "too long after the @-sign")],
)
def test_invalid_addresses(address: str, problem: str) -> None:
    found = email_problem(address)
    assert found is not None and problem in found


def test_the_whole_address_has_at_most_254_characters() -> None:
    domain = ".".join(["b" * 63, "c" * 63, "d" * 57]) + ".com"
    assert email_problem("a" * 64 + "@" + domain) is None
    assert email_problem("a" * 65 + "@" + domain) == (
        "The email address is too long (1 character too many)."
    )
    # The part before the @ may be longer than 64 characters (not strict RFC 5321).
    assert email_problem("a" * 65 + "@example.com") is None


def test_invalid_email_finding() -> None:
    [finding] = only(f"{B}?email=ann.example.com", "DL401")
    assert finding.severity == "warning"
    assert finding.param == "email"
    assert finding.span == (50, 65)
    assert finding.message == "email='ann.example.com' is not a valid address: it has no @"
    assert finding.fix is None


def test_valid_or_empty_email_is_not_invalid() -> None:
    assert only(f"{B}?email=ann%40example.com", "DL401") == []
    assert only(f"{B}?email=", "DL401") == []
    assert only(B, "DL401") == []


@pytest.mark.parametrize(
    "number",
    ["+8613800000000", "008613800000000", " +8613800000000 ", "+1 415 555 2671",
     "+44 (0)20 7946 0958", "+3581234567", "0014155552671", "0123-456", "(030) 1234567",
     "12345",
     "1" * 15],
)
def test_possible_numbers(number: str) -> None:
    assert phone_problem(number) is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [("+86123", "not a possible number for its country code"),
     ("0086123", "not a possible number for its country code"),
     ("00 86 123", "not a possible number for its country code"),
     ("+1234567", "not a possible number for its country code"),
     ("+35812345678901234", "not a possible number for its country code"),
     ("1234", "4 digits; phone numbers have 5 to 15"),
     ("1" * 16, "16 digits; phone numbers have 5 to 15"),
     ("１２３４５", "it holds characters that are not digits or separators"),
     ("12a45", "it holds characters that are not digits or separators")],
)
def test_impossible_numbers(number: str, problem: str) -> None:
    assert phone_problem(number) == problem


@pytest.mark.parametrize(
    ("number", "problem"),
    [("+abc", "did not seem to be a phone number"),
     ("+999123456", "Could not interpret numbers after plus-sign")],
)
def test_numbers_phonenumbers_cannot_parse(number: str, problem: str) -> None:
    found = phone_problem(number)
    assert found is not None and problem in found


def test_raw_plus_in_phone_is_written_as_percent_2b() -> None:
    [finding] = only(f"{B}?phone=+8613800000000", "DL402")
    assert finding.severity == "warning"
    assert finding.param == "phone"
    assert finding.span == (50, 64)
    assert finding.message == (
        "phone=' 8613800000000': the raw '+' of the country code reads as a space; "
        "write it %2B (E.164 such as +8613800000000)"
    )
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("write + as %2B", False)
    assert finding.fix.replacements == (((50, 51), "%2B"),)


def test_impossible_phone_finding() -> None:
    [finding] = only(f"{B}?phone=1234", "DL402")
    assert (finding.param, finding.severity) == ("phone", "warning")
    assert finding.span == (50, 54)
    assert finding.fix is None
    assert finding.message == (
        "phone='1234' is not a possible phone number: 4 digits; phone numbers have 5 to 15; "
        "E.164 such as +8613800000000 is recommended"
    )


def test_possible_or_empty_phone_is_not_invalid() -> None:
    assert only(f"{B}?phone=%2B8613800000000", "DL402") == []
    assert only(f"{B}?phone=", "DL402") == []
    assert only(f"{B}?phone", "DL402") == []


@pytest.mark.parametrize("context", ["public", "qr", "email"])
def test_public_links_carrying_customer_data(context: str) -> None:
    url = f"{B}?x=1&name=Ann&sbs=&name=Bob&email=&phone=1"
    [finding] = only(url, "DL403", Config(context=context))
    assert finding.severity == "warning"
    assert finding.param == "name"
    assert finding.span == (48, 56)
    assert finding.message == (
        f"a {context} link carries name, sbs, phone: everyone who sees it sees them"
    )


def test_an_empty_sbs_alone_is_still_carried() -> None:
    [finding] = only(f"{B}?sbs=&nickname=", "DL403", Config(context="public"))
    assert finding.param == "sbs"
    assert finding.span == (44, 48)
    assert finding.message == "a public link carries sbs: everyone who sees it sees them"


def test_public_links_with_only_empty_fields_or_private_links_are_not_reported() -> None:
    assert only(f"{B}?name=&email=&chatid=s1", "DL403", Config(context="public")) == []
    assert only(f"{B}?name=Ann", "DL403") == []


def test_empty_customer_fields_are_each_dropped() -> None:
    findings = only(f"{B}?x=1&name=&phone=%2B86&email=&nickname=&phone=", "DL404")
    assert [(f.param, f.span, f.message, f.severity) for f in findings] == [
        ("name", (48, 53), "name is empty", "info"),
        ("email", (66, 72), "email is empty", "info"),
        ("nickname", (73, 82), "nickname is empty", "info"),
    ]
    fixes = [f.fix for f in findings]
    assert all(fix is not None and fix.safe for fix in fixes)
    assert [(fix.description, fix.edits, fix.replacements) for fix in fixes if fix] == [
        ("drop the empty name", (("name", None),), (((48, 54), ""),)),
        ("drop the empty email", (("email", None),), (((66, 73), ""),)),
        ("drop the empty nickname", (("nickname", None),), (((73, 83), ""),)),
    ]


def test_empty_field_before_a_second_one_has_no_fix() -> None:
    [finding] = only(f"{B}?name=&name=x", "DL404")
    assert finding.span == (44, 49)
    assert finding.fix is None
    assert only(f"{B}?name=x&name=", "DL404") == []
