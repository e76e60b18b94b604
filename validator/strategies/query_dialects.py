"""Encoding dialects: the ways real generators write a query string."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from validator import spec

ALNUM: Final = string.ascii_letters + string.digits
#: RFC 3986 unreserved characters.
UNRESERVED: Final = ALNUM + "-._~"


@dataclass(frozen=True, slots=True)
class Dialect:
    """One way real code writes a query string.

    ``bare`` is the exact set of characters left unencoded; every other
    character is written as the percent-encoded bytes of its UTF-8 form
    (``%XX``, upper-case hex unless ``lower_hex``), except a space, which is
    ``+`` where ``space_as_plus``. Keys are encoded like values.
    """

    name: str
    description: str
    bare: frozenset[str]
    space_as_plus: bool = False
    lower_hex: bool = False
    #: Parameters written in the builder's documented order instead of as given.
    canonical_order: bool = False

    def encode(self, text: str) -> str:
        """Encode one key or value; raises ``UnicodeEncodeError`` on lone surrogates."""
        pattern = "%{:02x}" if self.lower_hex else "%{:02X}"
        out: list[str] = []
        for char in text:
            if char in self.bare:
                out.append(char)
            elif char == " " and self.space_as_plus:
                out.append("+")
            else:
                out.extend(pattern.format(byte) for byte in char.encode("utf-8"))
        return "".join(out)

    def encode_query(self, pairs: Sequence[tuple[str, str]]) -> str:
        ordered = canonical_sort(pairs) if self.canonical_order else list(pairs)
        return "&".join(f"{self.encode(key)}={self.encode(value)}" for key, value in ordered)


CANONICAL = Dialect(
    "canonical",
    "the project's builder (validator.build): RFC 3986 unreserved A-Z a-z 0-9 - . _ ~ bare, "
    "everything else %XX with upper-case hex, space as %20, documented parameter order",
    frozenset(UNRESERVED),
    canonical_order=True,
)
JS_ENCODE_URI_COMPONENT = Dialect(
    "js-encodeURIComponent",
    "JavaScript encodeURIComponent: A-Z a-z 0-9 - _ . ! ~ * ' ( ) bare, everything else "
    "%XX of UTF-8 with upper-case hex, space as %20 (lone surrogates throw URIError)",
    frozenset(ALNUM + "-_.!~*'()"),
)
JS_URL_SEARCH_PARAMS = Dialect(
    "js-URLSearchParams",
    "JavaScript URLSearchParams.toString (WHATWG application/x-www-form-urlencoded "
    "serializer): A-Z a-z 0-9 * - . _ bare, space as +, everything else %XX upper-case",
    frozenset(ALNUM + "*-._"),
    space_as_plus=True,
)
PYTHON_URLENCODE = Dialect(
    "python-urlencode",
    "Python urllib.parse.urlencode (quote_plus, Python 3.7+): A-Z a-z 0-9 _ . - ~ bare, "
    "space as +, everything else %XX of UTF-8 with upper-case hex",
    frozenset(ALNUM + "_.-~"),
    space_as_plus=True,
)
PHP_HTTP_BUILD_QUERY = Dialect(
    "php-http_build_query",
    "PHP http_build_query with the default PHP_QUERY_RFC1738 (urlencode): A-Z a-z 0-9 - _ . "
    "bare, space as +, ~ and everything else %XX with upper-case hex",
    frozenset(ALNUM + "-_."),
    space_as_plus=True,
)
JAVA_URL_ENCODER = Dialect(
    "java-URLEncoder",
    "Java URLEncoder.encode(value, UTF_8): A-Z a-z 0-9 . - * _ bare, space as +, "
    "everything else %XX of UTF-8 with upper-case hex",
    frozenset(ALNUM + ".-*_"),
    space_as_plus=True,
)
SDK_RFC3986 = Dialect(
    "sdk-rfc3986",
    "the native visitor SDK: RFC 3986 unreserved A-Z a-z 0-9 - . _ ~ bare, space, + and "
    "everything else %XX with upper-case hex; parameters in the order the app adds them",
    frozenset(UNRESERVED),
)
LOWER_HEX = Dialect(
    "lower-hex",
    "RFC 3986 unreserved characters bare, everything else %xx with LOWER-case hex "
    "(Go's and some hand-written encoders); decoders treat both cases alike",
    frozenset(UNRESERVED),
    lower_hex=True,
)
UNENCODED_SAFE = Dialect(
    "unencoded-safe",
    "hand-written minimal encoding: unreserved plus ! $ * ( ) , ; : @ / ? left bare (legal "
    "in a query and read the same by browsers and the SDK); space, quotes, & = + # %, "
    "brackets and non-ASCII as %XX upper-case",
    frozenset(UNRESERVED + "!$*(),;:@/?"),
)

#: Every dialect, canonical first.
DIALECTS: Final[tuple[Dialect, ...]] = (
    CANONICAL,
    JS_ENCODE_URI_COMPONENT,
    JS_URL_SEARCH_PARAMS,
    PYTHON_URLENCODE,
    PHP_HTTP_BUILD_QUERY,
    JAVA_URL_ENCODER,
    SDK_RFC3986,
    LOWER_HEX,
    UNENCODED_SAFE,
)
_DIALECTS_BY_NAME: Final = {d.name: d for d in DIALECTS}


def dialect(name: str) -> Dialect:
    """The dialect called ``name`` (see :data:`DIALECTS`)."""
    try:
        return _DIALECTS_BY_NAME[name]
    except KeyError:
        known = ", ".join(_DIALECTS_BY_NAME)
        raise ValueError(f"unknown dialect {name!r}; known: {known}") from None


def dialects() -> SearchStrategy[Dialect]:
    return st.sampled_from(DIALECTS)


def canonical_sort(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``pairs`` in the builder's documented order (unknown keys last, as given)."""
    order = {key: index for index, key in enumerate(spec.CANONICAL_ORDER)}
    order[spec.CHAT_ID_ALIAS] = order[spec.CHATID]
    unknown = len(order)
    # ``sorted`` is stable: repeated and unknown keys keep their relative order.
    return sorted(pairs, key=lambda pair: order.get(pair[0], unknown))
