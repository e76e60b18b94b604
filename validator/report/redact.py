"""``--redact-pii``: mask customer data (email, phone, name, nickname) and ``sbs``.

Every string of a record is searched for the sensitive values, decoded and
as written, and each occurrence is masked; the parameter values themselves
are masked in the link texts. Spans stay valid for the link text because a
masked value keeps its length.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

SENSITIVE_PARAMS = frozenset({"email", "phone", "name", "nickname", "sbs"})
MASK_CHAR = "*"
#: Keys that hold a customer value wherever they appear (the outcome's customer fields).
_FIELD_KEYS = frozenset({"email", "phone", "nickname", "sbs"})
#: Values shorter than this are masked in their parameter only, not everywhere.
MIN_GLOBAL_LENGTH = 3


def _mask(value: str) -> str:
    return MASK_CHAR * len(value)


def sensitive_values(record: dict[str, Any]) -> set[str]:
    values: set[str] = set()
    report = record.get("report", {})
    link = report.get("link", report)
    for param in link.get("params", []) or []:
        if param.get("name") in SENSITIVE_PARAMS:
            for key in ("value", "raw_value"):
                value = param.get(key)
                if isinstance(value, str) and len(value) >= MIN_GLOBAL_LENGTH:
                    values.add(value)
                    values.add(quote(value, safe=""))
    return values


_PAIR = re.compile(
    r"(?P<key>(?:^|(?<=[?&#]))(?:email|phone|name|nickname|sbs)=)(?P<value>[^&#\s\"'<>]*)"
)


def _mask_pairs(text: str) -> str:
    return _PAIR.sub(lambda match: match.group("key") + _mask(match.group("value")), text)


def redact_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` with customer data and ``sbs`` masked in every string."""
    values = sorted(sensitive_values(record), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(value) for value in values)) if values else None

    def clean(item: Any, key: str | None = None) -> Any:
        if isinstance(item, str):
            if key in _FIELD_KEYS:
                return _mask(item)
            text = _mask_pairs(item) if "=" in item else item
            if pattern is not None:
                text = pattern.sub(lambda match: _mask(match.group()), text)
            return text
        if isinstance(item, dict):
            masked = {k: clean(v, k) for k, v in item.items()}
            if masked.get("name") in SENSITIVE_PARAMS and "value" in masked:
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
        return f"{key}={_mask(rest)}"
    return _mask(value)
