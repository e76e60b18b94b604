"""Keep secrets out of the server's logs.

The service logs nothing about request bodies, but an exception message, a
traceback or an access-log line (a client may put anything in a query string)
could still carry a secret. Every log record of the service and of uvicorn
passes through :class:`Redactor`, which masks each known secret in every form
it takes in a URL, and every 32-hex string (a full inner digest is a
credential too) down to its fingerprint.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from validator.signature import Secret, fingerprint

SECRET_MASK = "<AppSecret>"
_HEX_DIGEST = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")


def secret_forms(secret: Secret) -> set[str]:
    """The texts a secret may take in a URL, a log or a hex dump."""
    value = secret.reveal()
    forms = {value, quote(value, safe=""), quote_plus(value), value.encode("utf-8").hex()}
    for form in list(forms):
        forms.add(form.upper() if "%" in form else form)
        forms.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), form))
    return {form for form in forms if form}


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
