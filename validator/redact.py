"""The one redactor: what no output shows, in every format.

* **Secrets** — always. For a link, the keyring names the spans of its text
  that reveal a known secret or a full inner digest (:meth:`Keyring.exposures`):
  those texts, as the input wrote them and decoded, are replaced by
  ``<AppSecret>`` in every string derived from the link (its text, decoded
  values, outcomes, messages, fixes). The spellings of every known secret are
  masked too, a second line of defence for text no link explains.
* **Customer data** — with ``--redact-pii`` (``pii=True``): the values of
  :data:`PII_PARAMS` (``sbs``, the customer fields, ``customer_remark``),
  masked with ``*`` of the same length in the link text (spans and
  underlines stay right) and wherever else they appear.

Data is masked before it is rendered, so escaping in JSON, XML or HTML never
hides a form from the mask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from validator import spec
from validator.keyring import EMPTY, SECRET_MASK, Keyring
from validator.model import DirectLink
from validator.patterns import lazy_pattern

#: Parameters that hold personal data, masked under ``--redact-pii``.
PII_PARAMS = frozenset((spec.SBS, *spec.CUSTOMER_FIELDS, spec.CUSTOMER_REMARK))
PII_MASK_CHAR = "*"
#: What a customer value shows as where its length does not matter.
PII_MASK = "***"
#: Keys that hold a customer value wherever they appear (an outcome's customer fields;
#: not ``name``, which also names a parameter).
_PII_KEYS = PII_PARAMS - {spec.NAME}
#: Customer values shorter than this are masked in their parameter only.
MIN_PII_LENGTH = 3
#: ``key=value`` of a customer field in any text; compiled on first use (most runs
#: mask no customer data).
_PII_PAIR = lazy_pattern(
    r"(?P<key>(?:^|(?<=[?&#]))(?:" + "|".join(map(re.escape, sorted(PII_PARAMS)))
    + r")=)(?P<value>[^&#\s\"'<>]*)"
)


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _pattern(texts: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(texts), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _walk(item: Any, clean: Any) -> Any:
    if isinstance(item, str):
        return clean(item)
    if isinstance(item, dict):
        return {key: _walk(value, clean) for key, value in item.items()}
    if isinstance(item, list):
        return [_walk(value, clean) for value in item]
    if isinstance(item, tuple):
        return tuple(_walk(value, clean) for value in item)
    return item


def _same_length(value: str) -> str:
    return PII_MASK_CHAR * len(value)


class Redactor:
    """Masks the secrets of ``keyring`` always, and customer data where ``pii``.

    A secret shows as ``<AppSecret>``, or (``same_length``, for answers whose
    spans point into the text) as ``*`` of its length.
    """

    def __init__(self, keyring: Keyring = EMPTY, *, pii: bool = False,
                 same_length: bool = False) -> None:
        self.keyring = keyring
        self.pii = pii
        self.same_length = same_length

    # Secrets ----------------------------------------------------------------------

    def secret_pattern(self, link: DirectLink | None = None,
                       extra: Iterable[str] = ()) -> re.Pattern[str] | None:
        """What to mask: ``link``'s exposures, ``extra`` texts and every secret spelling."""
        texts = set(extra)
        if link is not None and self.keyring:
            exposed = self.keyring.exposures(link)
            texts |= exposed
            # As a link wrapped in another (a redirect's parameter) writes them.
            for text in exposed:
                wrapped = quote(text, safe="")
                texts.update((wrapped, _ESCAPE.sub(lambda m: m.group(0).lower(), wrapped)))
                # As messages quote a value (repr) and JSON escapes it.
                import json

                texts.update((repr(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]))
        texts |= self.keyring.spellings()
        return _pattern(texts)

    def secrets(self, item: Any, link: DirectLink | None = None,
                extra: Iterable[str] = ()) -> Any:
        """``item`` (text or plain data) with every secret of the link masked."""
        pattern = self.secret_pattern(link, extra)
        if pattern is None:
            return item
        if self.same_length:
            return _walk(item, lambda text: pattern.sub(lambda m: _same_length(m.group()), text))
        return _walk(item, lambda text: pattern.sub(SECRET_MASK, text))

    def reveals(self, text: str, link: DirectLink | None = None) -> bool:
        pattern = self.secret_pattern(link)
        return pattern is not None and pattern.search(text) is not None

    # Customer data --------------------------------------------------------------------

    def pii_values(self, link: DirectLink) -> list[str]:
        """The customer values of ``link``, decoded and as written, longest first."""
        values: set[str] = set()
        for param in (*link.params, *link.fragment_params):
            if param.name in PII_PARAMS and param.value_start < param.end:
                for value in (param.value, link.input[param.value_start:param.end],
                              param.raw.partition("=")[2]):
                    if len(value) >= MIN_PII_LENGTH:
                        values.add(value)
        return sorted(values, key=len, reverse=True)

    def pii_text(self, text: str, link: DirectLink) -> str:
        """``text`` with the link's customer values masked with ``*`` of their length."""
        if not self.pii:
            return text
        pattern = _pattern(self.pii_values(link))
        if pattern is not None:
            text = pattern.sub(lambda match: _same_length(match.group()), text)
        return _PII_PAIR().sub(
            lambda m: m.group("key") + _same_length(m.group("value")), text
        )

    def text(self, text: str, link: DirectLink | None = None) -> str:
        """Rendered text (a report, a fixed link) with secrets and, where asked, PII masked."""
        if link is not None:
            text = self.pii_text(text, link)
        masked: str = self.secrets(text, link)
        return masked

    def report_dict(self, data: dict[str, Any], link: DirectLink) -> dict[str, Any]:
        """A report as plain data (:func:`validator.serialize.report_to_dict`), masked."""
        if self.pii:
            data = _pii_report_dict(data, link)
        masked: dict[str, Any] = self.secrets(data, link)
        return masked

    def record(self, record: dict[str, Any], link: DirectLink | None = None) -> dict[str, Any]:
        """A link record (an audit's, a check document's), masked."""
        if self.pii:
            record = pii_record(record)
        masked: dict[str, Any] = self.secrets(record, link)
        return masked


def _pii_report_dict(data: dict[str, Any], link: DirectLink) -> dict[str, Any]:
    values: list[str] = []
    text = list(link.input)
    for param in (*link.params, *link.fragment_params):
        if param.name not in PII_PARAMS or param.raw_value is None:
            continue
        start, end = param.value_span
        text[start:end] = PII_MASK_CHAR * (end - start)
        values.extend(v for v in (param.value, param.raw_value) if len(v) >= 2)
    pattern = _pattern(values)

    def scrub(value: str) -> str:
        return pattern.sub(PII_MASK, value) if pattern is not None else value

    masked_input = "".join(text)
    redacted: dict[str, Any] = _walk(data, scrub)
    redacted["link"]["input"] = masked_input
    if link.query_span is not None:
        start, end = link.query_span
        redacted["link"]["query"] = masked_input[start:end]
    for params_key in ("params", "fragment_params"):
        for entry in redacted["link"][params_key]:
            if entry["name"] in PII_PARAMS:
                entry["value"] = PII_MASK
                entry["raw"] = f"{entry['raw_name']}={PII_MASK}"
                entry["raw_value"] = PII_MASK
    redacted["redacted"] = True
    return redacted


def _record_pii_values(record: dict[str, Any]) -> set[str]:
    values: set[str] = set()
    report = record.get("report", {})
    link = report.get("link", report)
    for param in link.get("params", []) or []:
        if param.get("name") in PII_PARAMS:
            for key in ("value", "raw_value"):
                value = param.get(key)
                if isinstance(value, str) and len(value) >= MIN_PII_LENGTH:
                    values.add(value)
                    values.add(quote(value, safe=""))
            raw = param.get("raw")
            if isinstance(raw, str) and "=" in raw:
                value = raw.partition("=")[2]
                if len(value) >= MIN_PII_LENGTH:
                    values.add(value)
    return values


def pii_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of a link record with customer data masked (same length) in every string."""
    pattern = _pattern(_record_pii_values(record))

    def clean(item: Any, key: str | None = None) -> Any:
        if isinstance(item, str):
            if key in _PII_KEYS:
                return _same_length(item)
            text = _PII_PAIR().sub(
                lambda m: m.group("key") + _same_length(m.group("value")), item
            ) if "=" in item else item
            if pattern is not None:
                text = pattern.sub(lambda match: _same_length(match.group()), text)
            return text
        if isinstance(item, dict):
            masked = {k: clean(v, k) for k, v in item.items()}
            if masked.get("name") in PII_PARAMS and "value" in masked:
                for field in ("value", "raw_value", "raw"):
                    value = masked.get(field)
                    if isinstance(value, str):
                        masked[field] = _mask_field(field, value)
            return masked
        if isinstance(item, list):
            return [clean(element) for element in item]
        return item

    result: dict[str, Any] = clean(record)
    return result


def _mask_field(field: str, value: str) -> str:
    if field == "raw" and "=" in value:
        key, _, rest = value.partition("=")
        return f"{key}={_same_length(rest)}"
    return _same_length(value)
