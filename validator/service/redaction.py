"""Keep secrets out of the server's logs.

The service logs nothing about request bodies, but an exception message, a
traceback or an access-log line (a client may put anything in a query string)
could still carry a secret. Every log record of the service and of uvicorn
passes through :class:`Redactor`, which masks each known secret in every form
it takes in a URL, and every 32-hex string (a full inner digest is a
credential too) down to its fingerprint.
"""

from __future__ import annotations

import html
import json
import logging
import re
import traceback
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from validator.keyring import SECRET_MASK, spellings
from validator.signature import Secret, fingerprint

_HEX_DIGEST = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")


def secret_forms(secret: Secret) -> frozenset[str]:
    """The texts a secret may take in a URL, a log or a hex dump (the keyring's spellings)."""
    return spellings(secret)


class Redactor(logging.Filter):
    """Masks known secrets and full hex digests in text and in log records."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        super().__init__()
        forms: set[str] = set()
        for secret in secrets:
            forms |= secret_forms(secret)
        # Longest first, so a form that contains another is masked whole.
        ordered = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def redact(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(SECRET_MASK, text)
        return _HEX_DIGEST.sub(lambda m: fingerprint(m.group(0).lower()), text)

    def describe_exception(self, error: BaseException) -> str:
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        return self.redact("".join(lines).rstrip())

    def filter(self, record: logging.LogRecord) -> bool:
        # Arguments are redacted one by one, not merged into the message:
        # uvicorn's access formatter reads them as a tuple.
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self.redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: self.redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        if record.exc_info and record.exc_info[1] is not None:
            trace = self.describe_exception(record.exc_info[1])
            if record.args:
                trace = trace.replace("%", "%%")
            record.msg = f"{record.msg}\n{trace}"
            record.exc_info = None
            record.exc_text = None
        return True

    def install(self, logger_names: Iterable[str]) -> None:
        for name in logger_names:
            target = logging.getLogger(name)
            if self not in target.filters:
                target.addFilter(self)


#: The loggers that may see request data.
SERVICE_LOGGERS = ("validator.service", "uvicorn", "uvicorn.error", "uvicorn.access")


class SecretMatcher:
    """Finds every known secret form in text, and overwrites it with ``*`` of the same length."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        replacements: dict[bytes, bytes] = {}
        for secret in secrets:
            for form in secret_forms(secret):
                stars = b"*" * len(form)
                for encoded in (
                    form,
                    json.dumps(form, ensure_ascii=False)[1:-1],
                    json.dumps(form, ensure_ascii=True)[1:-1],
                    html.escape(form, quote=True),
                ):
                    replacements[encoded.encode("utf-8")] = stars
        ordered = sorted(replacements, key=len, reverse=True)
        self._replacements = replacements
        self._pattern = re.compile(b"|".join(map(re.escape, ordered))) if ordered else None

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def contains_secret(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(text.encode("utf-8")) is not None

    def mask(self, body: bytes) -> bytes:
        if self._pattern is None:
            return body
        return self._pattern.sub(lambda m: self._replacements[m.group(0)], body)


class SecretMask:
    """ASGI middleware: the last guard that no answer carries a secret.

    Nothing the API computes holds a secret, but a client may paste a link
    that does (DL309 reports it) and reports echo the link. Every known secret
    form in a text answer is overwritten with as many ``*`` as it has
    characters, so spans into the echoed link stay right.
    """

    _TEXT_TYPES = (b"application/json", b"application/problem+json", b"text/", b"image/svg+xml")

    def __init__(self, app: ASGIApp, matcher: SecretMatcher) -> None:
        self.app = app
        self.matcher = matcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.matcher.active:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def masking_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if not content_type.startswith(self._TEXT_TYPES):
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = self.matcher.mask(b"".join(chunks))
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode("ascii")))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, masking_send)
