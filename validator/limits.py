"""Refusing input over the documented limits (:mod:`validator.spec`), before the work they bound.

Links over :data:`~validator.spec.MAX_LINK_CHARS`, JSON and TOML nested deeper
than :data:`~validator.spec.MAX_NESTING_DEPTH` or holding integers longer than
:data:`~validator.spec.MAX_INTEGER_DIGITS`: each is refused with a
:class:`LimitExceeded` whose message names the limit, never the content (a
secrets file's content is secret).

``json``, ``tomllib`` and the scanners' patterns load on the first document:
checking a link reads none.
"""

from __future__ import annotations

import re
from typing import Final

from validator import spec
from validator.patterns import lazy_pattern


class LimitExceeded(ValueError):
    """Input over one of the documented limits; the message names the limit."""


class LinkTooLongError(LimitExceeded):
    """A link longer than :data:`~validator.spec.MAX_LINK_CHARS` characters."""


def check_link_length(text: str) -> None:
    """Raise :class:`LinkTooLongError` for a link longer than the validator reads."""
    if len(text) > spec.MAX_LINK_CHARS:
        raise LinkTooLongError(
            f"the link is {len(text):,} characters long, over the limit of "
            f"{spec.MAX_LINK_CHARS:,} the validator reads (browsers cut links far shorter)"
        )


# JSON and TOML documents ----------------------------------------------------

# Openers of nested values; the count of those not yet closed bounds the depth.
# The scan ignores brackets inside strings. Compiled on first use.
_JSON_TOKENS: Final = lazy_pattern(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d+', re.DOTALL)
_TOML_TOKENS: Final = lazy_pattern(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]|[+-]?\d[\d_]*',
    re.DOTALL,
)


def _scan(text: str, tokens: re.Pattern[str], what: str) -> None:
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > spec.MAX_NESTING_DEPTH:
                raise LimitExceeded(
                    f"{what} is nested more than {spec.MAX_NESTING_DEPTH} levels deep"
                )
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
        elif token[-1].isdigit() and sum(c.isdigit() for c in token) > spec.MAX_INTEGER_DIGITS:
            raise LimitExceeded(
                f"{what} holds a number of more than {spec.MAX_INTEGER_DIGITS} digits"
            )


def loads_json(text: str, what: str = "the JSON document") -> object:
    """``json.loads`` with the nesting and number limits checked first.

    Raises :class:`LimitExceeded`, or :class:`json.JSONDecodeError` for malformed JSON.
    """
    import json

    _scan(text, _JSON_TOKENS(), what)
    try:
        return json.loads(text)
    except (RecursionError, ValueError) as error:
        if isinstance(error, json.JSONDecodeError):
            raise
        raise LimitExceeded(f"{what} is nested too deep or holds too long a number") from None


def loads_toml(text: str, what: str = "the TOML document") -> dict[str, object]:
    """``tomllib.loads`` with the nesting and number limits checked first.

    Raises :class:`LimitExceeded`, or :class:`tomllib.TOMLDecodeError` for malformed TOML.
    """
    import tomllib

    _scan(text, _TOML_TOKENS(), what)
    try:
        return tomllib.loads(text)
    except (RecursionError, ValueError) as error:
        if isinstance(error, tomllib.TOMLDecodeError):
            raise
        raise LimitExceeded(f"{what} is nested too deep or holds too long a number") from None
