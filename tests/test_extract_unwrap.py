"""Redirect wrappers: the well-known ones are unwrapped, click trackers reported as opaque."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from validator.extract import ExtractedLink, OpaqueLink, extract_text
from validator.extract.unwrap import Opaque, Unwrapped, unwrap

DIRECT = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=42&lang=en"
ENCODED = quote(DIRECT, safe="")
# Proofpoint v2 percent-encodes, then writes "-" for "%" and "_" for "/".
PROOFPOINT_V2 = quote(DIRECT, safe="/").replace("_", "%5F").replace("%", "-").replace("/", "_")


@pytest.mark.parametrize(
    ("wrapped", "name"),
    [
        (f"https://nam12.safelinks.protection.outlook.com/?url={ENCODED}&data=05%7C02&sdata=abc"
         "&reserved=0", "outlook-safe-links"),
        (f"https://www.google.com/url?q={ENCODED}&sa=D&ust=1", "google-redirect"),
        (f"https://www.google.com/url?sa=t&url={ENCODED}", "google-redirect"),
        (f"https://l.facebook.com/l.php?u={ENCODED}&h=AT0", "facebook-link-shim"),
        (f"https://lm.facebook.com/l.php?u={ENCODED}", "facebook-link-shim"),
        (f"https://www.linkedin.com/redir/redirect?url={ENCODED}&urlhash=x", "linkedin-redirect"),
        (f"https://slack-redir.net/link?url={ENCODED}", "slack-redirect"),
        (f"https://urldefense.proofpoint.com/v2/url?u={PROOFPOINT_V2}&d=DwMF&c=abc",
         "proofpoint-v2"),
        (f"https://urldefense.com/v3/__{DIRECT}__;!!abc!def$", "proofpoint-v3"),
    ],
)
def test_known_wrappers(wrapped: str, name: str) -> None:
    result = unwrap(wrapped)
    assert result == Unwrapped(DIRECT, (name,))


def test_nested_wrappers_are_all_undone_outermost_first() -> None:
    google = f"https://www.google.com/url?q={ENCODED}"
    outer = f"https://eur01.safelinks.protection.outlook.com/?url={quote(google, safe='')}"
    assert unwrap(outer) == Unwrapped(DIRECT, ("outlook-safe-links", "google-redirect"))


@pytest.mark.parametrize(
    ("url", "tracker"),
    [
        ("https://u123.ct.sendgrid.net/ls/click?upn=abcDEF", "sendgrid-click-tracking"),
        ("https://acme.us1.list-manage.com/track/click?u=1&id=2&e=3", "mailchimp-click-tracking"),
        ("https://protect-eu.mimecast.com/s/AbCdEf?domain=x", "mimecast-url-protect"),
    ],
)
def test_click_trackers_are_opaque(url: str, tracker: str) -> None:
    assert unwrap(url) == Opaque(tracker)
    [item] = list(extract_text(f"Click {url} now", path="mail.txt"))
    assert isinstance(item, OpaqueLink)
    assert item.tracker == tracker
    assert item.location.column == 7


def test_plain_url_is_not_a_wrapper() -> None:
    assert unwrap(DIRECT) == Unwrapped(DIRECT, ())


def test_extracted_wrapped_link_keeps_the_written_url() -> None:
    wrapped = f"https://www.google.com/url?q={ENCODED}"
    [item] = list(extract_text(f"x {wrapped}", path="a.txt"))
    assert isinstance(item, ExtractedLink)
    assert (item.url, item.wrappers, item.wrapped_url) == (DIRECT, ("google-redirect",), wrapped)
    assert not item.verbatim
