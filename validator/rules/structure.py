"""DL0xx: the shape of the URL itself (scheme, host, path, app id, fragment)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase

from validator import spec
from validator.model import Finding, Fix
from validator.rules import signals
from validator.rules.base import LinkContext, Rule
from validator.rules.placeholders import is_placeholder

_APP_ID = re.compile(spec.APP_ID_CHARACTERS)


class UnparseableUrl(Rule):
    """The text is not an absolute URL with a host, so no browser can open it."""

    code = "DL001"
    name = "unparseable-url"
    severity = "error"
    family = "structure"
    triggers = frozenset({signals.NOT_URL})
    summary = "Not an absolute URL with a host"
    why = (
        "A browser refuses text that is not an absolute URL with a host (a missing scheme, "
        "an empty host, a bad port): the visitor gets an error instead of the chat page."
    )
    bad = "visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url:
            yield self.finding(f"not a URL a browser can open: {link.error}", link.content_span)


class InsecureScheme(Rule):
    """The scheme is not https: the SDK refuses the link and the browser sends it in clear."""

    code = "DL002"
    name = "insecure-scheme"
    severity = "error"
    family = "structure"
    triggers = frozenset({signals.NOT_HTTPS})
    summary = "Scheme is not https"
    why = (
        "The native SDK opens only https URLs, and over http the signature and customer "
        "fields travel in clear text where anyone on the network can read and replay them."
    )
    bad = "http://visitorchat.twt.com/direct/demo_app"
    good = "https://visitorchat.twt.com/direct/demo_app"
    fixable = True
    fix_safe = False
    fix_description = "Rewrite http to https (unsafe: the https site must serve the same page)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url or link.scheme == spec.SECURE_SCHEME or link.scheme_span is None:
            return
        fix = None
        if link.scheme == "http":
            fix = self.make_fix("use https", [(link.scheme_span, spec.SECURE_SCHEME)])
        yield self.finding(
            f"scheme {link.scheme!r} is not https: the SDK refuses the link and the "
            "signature travels in clear text",
            link.scheme_span,
            fix=fix,
        )


class NotDirectPath(Rule):
    """The path is not ``<base-path>/direct/<app_id>``, so the chat page is not reached."""

    code = "DL003"
    name = "not-direct-path"
    severity = "error"
    family = "structure"
    triggers = frozenset({signals.PATH})
    summary = "Path is not <base-path>/direct/<app_id>"
    why = (
        "The chat page lives at /direct/<app_id>. Any other path lands on a different page "
        "(or a 404) and none of the parameters take effect. With `base-path` configured the "
        "part before /direct must match it too. A trailing slash alone is DL008."
    )
    bad = "https://visitorchat.twt.com/chat/demo_app?direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url:
            return
        span = link.path_span or link.content_span
        if link.app_id is None:
            yield self.finding(
                f"path {link.path!r} is not <base>/direct/<app_id>: the chat page is not reached",
                span,
            )
            return
        expected = context.config.base_path
        if expected is not None and (link.base_path or "") != expected.rstrip("/"):
            yield self.finding(
                f"base path {link.base_path or '/'!r} is not the configured {expected!r}",
                span,
            )


class BadAppId(Rule):
    """The app id is empty, has characters outside ``A-Za-z0-9_-``, or is not the project's."""

    code = "DL004"
    name = "bad-app-id"
    severity = "error"
    family = "structure"
    summary = "App id empty, malformed, or not allowed by the configuration"
    why = (
        "The app id picks whose chat page opens. An empty or malformed one opens nothing; one "
        "outside the configured pattern or allow-list sends customers to another tenant's page."
    )
    bad = "https://visitorchat.twt.com/direct/demo%20app"
    good = "https://visitorchat.twt.com/direct/demo_app"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        app_id = link.app_id
        if not link.is_url or app_id is None:
            return
        span = link.app_id_span or link.content_span
        if not app_id:
            yield self.finding("the app id after /direct/ is empty", span)
            return
        if not _APP_ID.fullmatch(app_id):
            # Also beside DL511 for a placeholder such as {APP_ID}: the page gets this id.
            yield self.finding(
                f"app id {app_id!r} has characters outside A-Za-z0-9_-", span
            )
            return
        if is_placeholder(app_id):
            return  # YOUR_APP_ID: well-formed, DL511 reports it
        config = context.config
        pattern = config.app_id_regex
        if pattern is not None and not pattern.fullmatch(app_id):
            yield self.finding(
                f"app id {app_id!r} does not match the configured pattern {pattern.pattern!r}",
                span,
            )
        elif config.allowed_app_ids and app_id not in config.allowed_app_ids:
            yield self.finding(f"app id {app_id!r} is not in allowed-app-ids", span)


class CredentialsInUrl(Rule):
    """User info (``user:pass@``) in the URL leaks credentials and makes the SDK refuse the link."""

    code = "DL005"
    name = "credentials-in-url"
    severity = "error"
    family = "structure"
    triggers = frozenset({signals.USERINFO})
    summary = "User info (user:pass@) present"
    why = (
        "Credentials in a link end up in browser history, logs and every inbox the link is "
        "forwarded to; the native SDK rejects such URLs outright."
    )
    bad = "https://admin:hunter2@visitorchat.twt.com/direct/demo_app"
    good = "https://visitorchat.twt.com/direct/demo_app"
    fixable = True
    fix_safe = False
    fix_description = "Remove the user info (unsafe: a proxy may have needed it)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url or (not link.username and link.password is None):
            return
        # A URL with user info has an authority, and the user info ends at its last '@'.
        span = link.authority_span or link.content_span
        userinfo = (span[0], link.input.rfind("@", span[0], span[1]) + 1)
        yield self.finding(
            "the URL carries user info (user:pass@): credentials leak and the SDK rejects it",
            userinfo,
            fix=self.make_fix("remove the user info", [(userinfo, "")]),
        )


class ParamsInFragment(Rule):
    """Known parameters after ``#`` are never read by the page."""

    code = "DL006"
    name = "params-in-fragment"
    severity = "warning"
    family = "structure"
    triggers = frozenset({signals.FRAGMENT})
    summary = "Known parameters sit after #, where the page does not read them"
    why = (
        "The page reads its parameters from the query, between ? and #. Anything after # is "
        "the fragment: `direct`, `chatid` or `sbs` there are silently ignored."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app#direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_safe = False
    fix_description = (
        "Move the known parameters from the fragment into the query (unsafe: the page starts "
        "reading them)."
    )

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        for param in link.fragment_params:
            if param.name in spec.KNOWN_PARAMS:
                yield self.finding(
                    f"{param.name!r} sits after '#': the page does not read it",
                    param.span,
                    param=param.name,
                    fix=self._fix(context, param.span, param.raw),
                )

    def _fix(self, context: LinkContext, span: tuple[int, int], raw: str) -> Fix:
        link = context.link
        if link.query_span is None:
            # No query: insert one before the fragment's '#' (the pair comes from the fragment).
            assert link.fragment_span is not None
            hash_at = link.fragment_span[0] - 1
            insert = (hash_at, hash_at)
            text = f"?{raw}"
        else:
            insert = (link.query_span[1], link.query_span[1])
            text = f"&{raw}" if link.query else raw
        removal = _fragment_removal(link.input, span)
        return self.make_fix(f"move {raw!r} into the query", [(insert, text), (removal, "")])


def _fragment_removal(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    if end < len(text) and text[end] == "&":
        return (start, end + 1)
    if start > 0 and text[start - 1] == "&":
        return (start - 1, end)
    return (start, end)


class UnexpectedHost(Rule):
    """The host is not in the configured allow-list."""

    code = "DL007"
    name = "unexpected-host"
    severity = "warning"
    family = "structure"
    triggers = frozenset({signals.HOSTS})
    summary = "Host not in the configured allow-list (only when one is configured)"
    why = (
        "A typo in the host, a staging host in production mail, or a look-alike domain sends "
        "customers somewhere else. Configure `allowed-hosts` (wildcards like *.example.com "
        "allowed) to catch them."
    )
    bad = "https://visitorchat.twt.co/direct/demo_app"
    good = "https://visitorchat.twt.com/direct/demo_app"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        allowed = context.config.allowed_hosts
        if not allowed or not link.is_url or link.host is None:
            return
        host = link.host
        if any(fnmatchcase(host, pattern.lower()) for pattern in allowed):
            return
        yield self.finding(
            f"host {host!r} is not in allowed-hosts ({', '.join(allowed)})",
            _host_span(context),
        )


def _host_span(context: LinkContext) -> tuple[int, int]:
    link = context.link
    span = link.authority_span or link.content_span
    at = link.input.rfind("@", span[0], span[1])
    return (at + 1, span[1]) if at >= 0 else span


class PathTrailingSlash(Rule):
    """``/direct/<app_id>/``: the trailing slash is not part of the documented path."""

    code = "DL008"
    name = "path-trailing-slash"
    severity = "warning"
    family = "structure"
    triggers = frozenset({signals.TRAILING_SLASH})
    summary = "Trailing slash after the app id"
    why = (
        "The documented path is /direct/<app_id> without a trailing slash. Servers and "
        "routers may treat the two differently (a redirect that drops the query, or a 404)."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app/?direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_description = "Remove the trailing slash."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        if not link.is_url or not link.trailing_slash or link.app_id_span is None:
            return
        # The path is /direct/<app_id>/: the slash right after the app id ends it.
        end = link.app_id_span[1]
        span = (end, end + 1)
        yield self.finding(
            "the path ends in '/' after the app id",
            span,
            fix=self.make_fix("remove the trailing slash", [(span, "")]),
        )


RULES: tuple[Rule, ...] = (
    UnparseableUrl(),
    InsecureScheme(),
    NotDirectPath(),
    BadAppId(),
    CredentialsInUrl(),
    ParamsInFragment(),
    UnexpectedHost(),
    PathTrailingSlash(),
)
