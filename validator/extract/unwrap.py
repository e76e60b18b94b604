"""Undo the redirect wrappers mail and chat systems put around links.

The well-known wrappers carry the original URL in a query parameter (or, for
Proofpoint, in an encoded path), so the link inside can be recovered and
checked. Click trackers of e-mail service providers carry only an opaque
token: they are reported as such, since only following the redirect would
tell where they lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

#: How deep wrappers are unwrapped (Safe Links around Proofpoint around ...).
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Unwrapped:
    url: str
    wrappers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Opaque:
    tracker: str


def _host_matches(host: str, suffix: str) -> bool:
    return host == suffix or host.endswith("." + suffix)


def _query_value(query: str, *names: str) -> str | None:
    # parse_qsl decodes the way a redirector's server framework does (+ is a space).
    pairs = parse_qsl(query, keep_blank_values=True)
    for name in names:
        for key, value in pairs:
            if key == name and value:
                return value
    return None


def _proofpoint_v2(value: str) -> str:
    # v2 writes "-" for "%" and "_" for "/" before percent-decoding.
    return unquote(value.replace("-", "%").replace("_", "/"))


_PROOFPOINT_V3 = re.compile(r"/v3/__(?P<url>.+?)__;")
#: Google's redirector is on every Google domain.
_GOOGLE_HOST = re.compile(r"(www\.)?google\.[a-z.]+")


def _proofpoint_v3(url: str) -> str | None:
    match = _PROOFPOINT_V3.search(url)
    if match is None:
        return None
    # Characters Proofpoint replaced by "*" are listed after ";" in base64;
    # a direct link rarely holds them, so only the plain form is recovered.
    return match.group("url")


def unwrap_once(url: str) -> tuple[str, str] | Opaque | None:
    """``(inner url, wrapper name)``, :class:`Opaque`, or None where ``url`` is no wrapper."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path
    query = parts.query
    inner: str | None = None
    name: str | None = None
    if _host_matches(host, "safelinks.protection.outlook.com"):
        inner, name = _query_value(query, "url"), "outlook-safe-links"
    elif _GOOGLE_HOST.fullmatch(host) and path == "/url":
        inner, name = _query_value(query, "q", "url"), "google-redirect"
    elif host in {"l.facebook.com", "lm.facebook.com", "l.messenger.com"} and path == "/l.php":
        inner, name = _query_value(query, "u"), "facebook-link-shim"
    elif _host_matches(host, "linkedin.com") and path.startswith("/redir/"):
        inner, name = _query_value(query, "url"), "linkedin-redirect"
    elif host == "slack-redir.net" and path == "/link":
        inner, name = _query_value(query, "url"), "slack-redirect"
    elif host == "urldefense.proofpoint.com" and path.startswith("/v2/url"):
        value = _query_value(query, "u")
        inner, name = (_proofpoint_v2(value) if value else None), "proofpoint-v2"
    elif host == "urldefense.com" and path.startswith("/v3/__"):
        inner, name = _proofpoint_v3(url), "proofpoint-v3"
    else:
        tracker = _opaque_tracker(host, path)
        return Opaque(tracker) if tracker else None
    if not inner:
        return Opaque(name)
    return inner, name


def _opaque_tracker(host: str, path: str) -> str | None:
    if path.startswith("/ls/click"):
        return "sendgrid-click-tracking"
    if _host_matches(host, "list-manage.com") and path.startswith("/track/click"):
        return "mailchimp-click-tracking"
    is_mimecast = host.startswith("protect-") and _host_matches(host, "mimecast.com")
    if is_mimecast and path.startswith("/s/"):
        return "mimecast-url-protect"
    return None


def unwrap(url: str) -> Unwrapped | Opaque:
    """Unwrap every known wrapper around ``url`` (none: the url itself, no wrappers)."""
    wrappers: list[str] = []
    current = url
    for _ in range(MAX_DEPTH):
        step = unwrap_once(current)
        if step is None:
            break
        if isinstance(step, Opaque):
            if wrappers:
                # The inner link is itself a tracker: name the whole chain.
                return Opaque(" > ".join([*wrappers, step.tracker]))
            return step
        current, name = step
        wrappers.append(name)
    return Unwrapped(current, tuple(wrappers))
