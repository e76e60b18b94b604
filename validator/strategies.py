"""Public hypothesis strategies for property-testing direct-link generators.

Install the ``strategies`` extra (it brings in hypothesis). Three families:

* **valid links** — :func:`link_specs` draws a :class:`LinkSpec` (host, base
  path, app id, parameters, optionally signed with a secret), :func:`valid_links`
  draws its URL text. Every part can be replaced by the caller's own strategy,
  and every optional feature (chat id, language, signature, customer fields,
  SDK parameters) can be forced on (``True``), off (``False``) or left to
  chance (``None``).
* **encoding dialects** — :data:`DIALECTS`: the ways real generators write a
  query (the project's canonical builder, JavaScript ``encodeURIComponent``
  and ``URLSearchParams``, Python ``urlencode``, PHP ``http_build_query``,
  Java ``URLEncoder``, the native SDK, lower-case hex escapes, unencoded safe
  characters). Each :class:`Dialect` documents exactly which characters it
  leaves bare.
* **defect mutations** — :data:`MUTATIONS`: named edits of a valid link, each
  tied to the rule code it must trigger. :func:`mutated_links` applies them.

The generated values are chosen so that a link written in ANY dialect is
clean (no error, no warning): no quotes (``encodeURIComponent`` leaves ``'``
bare), and no spaces where a dialect writes a space as ``+`` (the native SDK
reads ``+`` literally, so ``John+Doe`` is a real client divergence, DL512).
"""

from __future__ import annotations

import hashlib
import string
from base64 import urlsafe_b64encode
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from validator import spec
from validator.signature import Secret, as_secret, md5_hex, sign

__all__ = [
    "DIALECTS",
    "MUTATIONS",
    "Dialect",
    "LinkSpec",
    "MutatedLink",
    "Mutation",
    "app_ids",
    "base_paths",
    "chat_ids",
    "customer_names",
    "dialect",
    "dialects",
    "emails",
    "hostile_text",
    "hosts",
    "languages",
    "link_like_text",
    "link_specs",
    "mutated_links",
    "mutation",
    "phones",
    "ranstrs",
    "sbs_values",
    "secrets",
    "valid_links",
    "valid_params",
]

T = TypeVar("T")
#: ``True`` always, ``False`` never, ``None`` either (drawn).
Toggle = bool | None

_ALNUM: Final = string.ascii_letters + string.digits
_UNRESERVED: Final = _ALNUM + "-._~"

# Encoding dialects ---------------------------------------------------------------


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
        ordered = _canonical_sort(pairs) if self.canonical_order else list(pairs)
        return "&".join(f"{self.encode(key)}={self.encode(value)}" for key, value in ordered)


CANONICAL = Dialect(
    "canonical",
    "the project's builder (validator.build): RFC 3986 unreserved A-Z a-z 0-9 - . _ ~ bare, "
    "everything else %XX with upper-case hex, space as %20, documented parameter order",
    frozenset(_UNRESERVED),
    canonical_order=True,
)
JS_ENCODE_URI_COMPONENT = Dialect(
    "js-encodeURIComponent",
    "JavaScript encodeURIComponent: A-Z a-z 0-9 - _ . ! ~ * ' ( ) bare, everything else "
    "%XX of UTF-8 with upper-case hex, space as %20 (lone surrogates throw URIError)",
    frozenset(_ALNUM + "-_.!~*'()"),
)
JS_URL_SEARCH_PARAMS = Dialect(
    "js-URLSearchParams",
    "JavaScript URLSearchParams.toString (WHATWG application/x-www-form-urlencoded "
    "serializer): A-Z a-z 0-9 * - . _ bare, space as +, everything else %XX upper-case",
    frozenset(_ALNUM + "*-._"),
    space_as_plus=True,
)
PYTHON_URLENCODE = Dialect(
    "python-urlencode",
    "Python urllib.parse.urlencode (quote_plus, Python 3.7+): A-Z a-z 0-9 _ . - ~ bare, "
    "space as +, everything else %XX of UTF-8 with upper-case hex",
    frozenset(_ALNUM + "_.-~"),
    space_as_plus=True,
)
PHP_HTTP_BUILD_QUERY = Dialect(
    "php-http_build_query",
    "PHP http_build_query with the default PHP_QUERY_RFC1738 (urlencode): A-Z a-z 0-9 - _ . "
    "bare, space as +, ~ and everything else %XX with upper-case hex",
    frozenset(_ALNUM + "-_."),
    space_as_plus=True,
)
JAVA_URL_ENCODER = Dialect(
    "java-URLEncoder",
    "Java URLEncoder.encode(value, UTF_8): A-Z a-z 0-9 . - * _ bare, space as +, "
    "everything else %XX of UTF-8 with upper-case hex",
    frozenset(_ALNUM + ".-*_"),
    space_as_plus=True,
)
SDK_RFC3986 = Dialect(
    "sdk-rfc3986",
    "the native visitor SDK: RFC 3986 unreserved A-Z a-z 0-9 - . _ ~ bare, space, + and "
    "everything else %XX with upper-case hex; parameters in the order the app adds them",
    frozenset(_UNRESERVED),
)
LOWER_HEX = Dialect(
    "lower-hex",
    "RFC 3986 unreserved characters bare, everything else %xx with LOWER-case hex "
    "(Go's and some hand-written encoders); decoders treat both cases alike",
    frozenset(_UNRESERVED),
    lower_hex=True,
)
UNENCODED_SAFE = Dialect(
    "unencoded-safe",
    "hand-written minimal encoding: unreserved plus ! $ * ( ) , ; : @ / ? left bare (legal "
    "in a query and read the same by browsers and the SDK); space, quotes, & = + # %, "
    "brackets and non-ASCII as %XX upper-case",
    frozenset(_UNRESERVED + "!$*(),;:@/?"),
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


def _canonical_sort(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    order = {key: index for index, key in enumerate(spec.CANONICAL_ORDER)}
    order[spec.CHAT_ID_ALIAS] = order[spec.CHATID]
    unknown = len(order)
    # ``sorted`` is stable: repeated and unknown keys keep their relative order.
    return sorted(pairs, key=lambda pair: order.get(pair[0], unknown))


# Values ------------------------------------------------------------------------


def _seeded_token(seed: int, length: int, alphabet: str | None = None) -> str:
    """A random-looking token derived from ``seed``: varied even when shrunk to seed 0."""
    digest = b""
    counter = 0
    while len(digest) * 4 // 3 < length + 4:
        digest += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    if alphabet is None:
        return urlsafe_b64encode(digest).decode("ascii")[:length]
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:length])


def secrets() -> SearchStrategy[Secret]:
    """Realistic AppSecrets: 32 random-looking lower-case hex characters.

    Long and random so that a secret never appears inside a generated link by
    chance (which DL309 would rightly report).
    """
    return st.integers(min_value=0, max_value=2**64).map(
        lambda seed: Secret(md5_hex(f"secret:{seed}"))
    )


def app_ids() -> SearchStrategy[str]:
    """App ids in both real forms: 32 lower-case hex, or ``demo_app``-like names."""
    hex_ids = st.integers(min_value=0, max_value=2**128 - 1).map(lambda n: f"{n:032x}")
    named = st.from_regex(
        r"[a-z][a-z0-9]{1,10}(_[a-z0-9]{1,8}){0,2}(-[a-z0-9]{1,6})?", fullmatch=True
    )
    return st.one_of(hex_ids, st.just("demo_app"), named.filter(_not_placeholder_like))


def _not_placeholder_like(value: str) -> bool:
    upper = value.upper()
    return "YOUR" not in upper and "APP_ID" not in upper and "CHAT_ID" not in upper


def hosts() -> SearchStrategy[str]:
    """Production hosts and arbitrary lower-case DNS names."""
    label = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
    tld = st.sampled_from(("com", "net", "org", "cn", "io", "de", "co.uk"))
    custom = st.builds(
        lambda labels, top: ".".join([*labels, top]), st.lists(label, min_size=1, max_size=3), tld
    )
    return st.one_of(st.sampled_from(spec.PRODUCTION_HOSTS), custom)


def ports() -> SearchStrategy[int | None]:
    explicit = st.integers(min_value=1, max_value=65535).filter(lambda port: port != 443)
    return st.one_of(st.none(), explicit)


def base_paths() -> SearchStrategy[str]:
    """``""`` or ``/seg[/seg]``: the path in front of ``/direct/<app_id>``."""
    segment = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(
        lambda s: s != spec.DIRECT_SEGMENT
    )
    return st.one_of(
        st.just(""), st.lists(segment, min_size=1, max_size=2).map(lambda s: "/" + "/".join(s))
    )


def chat_ids() -> SearchStrategy[str]:
    """Chat (session) ids: UUIDs, numbers, and ids made of letters, digits, ``-_.~``."""
    return st.one_of(
        st.uuids().map(str),
        st.integers(min_value=1, max_value=10**12).map(str),
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.~-]{0,39}", fullmatch=True).filter(
            _not_placeholder_like
        ),
    )


def languages(profile: str = "default") -> SearchStrategy[str]:
    """The supported ``lang`` codes of a profile (``default``, ``legacy`` or ``sdk``)."""
    return st.sampled_from(spec.LANGUAGE_PROFILES[profile])


def sbs_values() -> SearchStrategy[str]:
    """Customer identities for ``sbs``: ids, e-mail-like ids, and non-ASCII names.

    Never a space or ``+`` (DL311): the page reads ``+`` as a space.
    """
    ascii_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,39}", fullmatch=True).filter(
        _not_placeholder_like
    )
    han = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)
    cjk = st.text(alphabet=han, min_size=1, max_size=8)
    return st.one_of(ascii_ids, cjk, st.builds(lambda a, b: f"{a}_{b}", ascii_ids, cjk))


def ranstrs(min_size: int = spec.MIN_RANSTR_LENGTH, max_size: int = 32) -> SearchStrategy[str]:
    """Random strings for ``ranstr``: URL-safe, high variety, ``min_size`` or longer."""
    return st.builds(
        _seeded_token,
        st.integers(min_value=0, max_value=2**64),
        st.integers(min_value=min_size, max_value=max_size),
    )


_NAME_LETTERS: Final = string.ascii_letters + "éüñçøåÉÜ" + "张王李赵刘陈杨黄周吴" + "ДмитрийАнна"


def customer_names(*, spaces: bool = True) -> SearchStrategy[str]:
    """Display names: Latin, accented, Chinese, Cyrillic; inner spaces where ``spaces``."""
    word = st.text(alphabet=_NAME_LETTERS, min_size=1, max_size=12)
    joiner = " " if spaces else ""
    return st.lists(word, min_size=1, max_size=3).map(joiner.join)


def _valid_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def emails() -> SearchStrategy[str]:
    """Syntactically valid e-mail addresses (``email-validator`` accepts every one)."""
    local = st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,8}){0,2}", fullmatch=True)
    domain = st.from_regex(r"[a-z]{2,10}(\.[a-z]{2,8})?\.(com|net|org|cn|de|io)", fullmatch=True)
    return st.builds(lambda a, b: f"{a}@{b}", local, domain).filter(_valid_email)


_PHONE_REGIONS: Final = ("CN", "US", "GB", "DE", "FR", "JP", "BR", "IN", "RU", "KR", "SG", "AU")


def _phone_from(region: str, tail: int) -> str | None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return None
    national = str(example.national_number)
    number = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail:04d}")
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones() -> SearchStrategy[str]:
    """Valid mobile numbers in E.164 (``+8613123456789``), from twelve regions."""
    drawn = st.builds(
        _phone_from, st.sampled_from(_PHONE_REGIONS), st.integers(min_value=0, max_value=9999)
    )
    return drawn.filter(lambda number: number is not None).map(lambda number: number or "")


def _free_text(*, spaces: bool, max_size: int = 40) -> SearchStrategy[str]:
    alphabet = _NAME_LETTERS + string.digits + "-._~!*()," + (" " if spaces else "")
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size).filter(
        lambda text: text.strip() == text and _not_placeholder_like(text)
    )


def _page_urls() -> SearchStrategy[str]:
    path = st.from_regex(r"(/[a-z0-9-]{1,10}){0,3}", fullmatch=True)
    return st.builds(lambda host, p: f"https://{host}{p}", hosts(), path)


# Link specs ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """A generated link: its parts, its query pairs in order, the dialect writing them.

    ``secret`` is the AppSecret the link was signed with (``None`` if unsigned).
    Edits return new specs; :attr:`url` renders the text.
    """

    host: str
    app_id: str
    pairs: tuple[tuple[str, str], ...]
    dialect: Dialect = CANONICAL
    scheme: str = "https"
    port: int | None = None
    base_path: str = ""
    secret: Secret | None = None
    userinfo: str = ""
    trailing_slash: bool = False
    fragment: str | None = None
    features: frozenset[str] = field(default_factory=frozenset)

    @property
    def base(self) -> str:
        port = f":{self.port}" if self.port is not None else ""
        return f"{self.scheme}://{self.host}{port}{self.base_path}"

    @property
    def url(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        port = f":{self.port}" if self.port is not None else ""
        slash = "/" if self.trailing_slash else ""
        text = (
            f"{self.scheme}://{userinfo}{self.host}{port}{self.base_path}"
            f"/{spec.DIRECT_SEGMENT}/{self.app_id}{slash}"
        )
        if self.pairs:
            text += "?" + self.dialect.encode_query(self.pairs)
        if self.fragment is not None:
            text += "#" + self.fragment
        return text

    def __str__(self) -> str:
        return self.url

    @property
    def written_pairs(self) -> tuple[tuple[str, str], ...]:
        """The pairs in the order the dialect writes them."""
        if self.dialect.canonical_order:
            return tuple(_canonical_sort(self.pairs))
        return self.pairs

    # Reading ---------------------------------------------------------------

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.pairs if key == name), None)

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.pairs)

    @property
    def chat_key(self) -> str | None:
        return next((key for key in spec.CHAT_ID_KEYS if self.has(key)), None)

    # Edits -----------------------------------------------------------------

    def with_value(self, name: str, value: str) -> LinkSpec:
        """Replace the first ``name``'s value, or append ``name=value``."""
        if not self.has(name):
            return self.with_added(name, value)
        pairs: list[tuple[str, str]] = []
        done = False
        for key, old in self.pairs:
            if key == name and not done:
                pairs.append((key, value))
                done = True
            else:
                pairs.append((key, old))
        return replace(self, pairs=tuple(pairs))

    def with_added(self, name: str, value: str) -> LinkSpec:
        return replace(self, pairs=(*self.pairs, (name, value)))

    def without(self, name: str) -> LinkSpec:
        return replace(self, pairs=tuple(pair for pair in self.pairs if pair[0] != name))

    def renamed(self, old: str, new: str) -> LinkSpec:
        return replace(
            self, pairs=tuple((new if key == old else key, value) for key, value in self.pairs)
        )

    def resigned(
        self,
        *,
        sbs: str | None = None,
        ranstr: str | None = None,
        secret: Secret | str | None = None,
        signer: Callable[[str, str, Secret], str] | None = None,
    ) -> LinkSpec:
        """Sign again after changing ``sbs``/``ranstr``; ``signer`` replaces :func:`sign`.

        The link keeps its own secret (the one a checker knows); ``secret``
        only changes the key the new signature is made with.
        """
        key = as_secret(secret) if secret is not None else self.secret
        if key is None:
            raise ValueError("resigned() needs a secret: the link was not signed")
        new_sbs = sbs if sbs is not None else self.get(spec.SBS) or ""
        new_ranstr = ranstr if ranstr is not None else self.get(spec.RANSTR) or ""
        signature = (signer or sign)(new_sbs, new_ranstr, key)
        edited = self.with_value(spec.SBS, new_sbs).with_value(spec.RANSTR, new_ranstr)
        return edited.with_value(spec.SBS_MM, signature)


_FEATURES: Final = ("chat", "lang", "signed", "customer", "sdk")


def _toggle(draw: st.DrawFn, value: Toggle) -> bool:
    return draw(st.booleans()) if value is None else value


def _strategy(value: SearchStrategy[T] | T | None, default: SearchStrategy[T]) -> SearchStrategy[T]:
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


@st.composite
def _params(
    draw: st.DrawFn,
    *,
    chat: Toggle,
    lang: Toggle,
    signed: Toggle,
    customer: Toggle,
    sdk: Toggle,
    secret: SearchStrategy[Secret],
    chat_id_strategy: SearchStrategy[str],
    lang_strategy: SearchStrategy[str],
    sbs_strategy: SearchStrategy[str],
    ranstr_strategy: SearchStrategy[str],
    name_strategy: SearchStrategy[str],
    email_strategy: SearchStrategy[str],
    phone_strategy: SearchStrategy[str],
    extra: SearchStrategy[list[tuple[str, str]]] | None,
    spaces: bool,
    chat_alias: bool,
) -> tuple[tuple[tuple[str, str], ...], Secret | None, frozenset[str]]:
    pairs: list[tuple[str, str]] = []
    features: set[str] = set()
    key: Secret | None = None
    if _toggle(draw, chat):
        features.add("chat")
        chat_key = draw(st.sampled_from(spec.CHAT_ID_KEYS)) if chat_alias else spec.CHATID
        pairs += [(spec.DIRECT, spec.DIRECT_VALUE), (chat_key, draw(chat_id_strategy))]
    if _toggle(draw, lang):
        features.add("lang")
        pairs.append((spec.LANG, draw(lang_strategy)))
    if _toggle(draw, signed):
        features.add("signed")
        key = draw(secret)
        sbs = draw(sbs_strategy)
        ranstr = draw(ranstr_strategy)
        pairs += [(spec.SBS, sbs), (spec.SBS_MM, sign(sbs, ranstr, key)), (spec.RANSTR, ranstr)]
    if _toggle(draw, customer):
        features.add("customer")
        choices = {
            spec.NAME: name_strategy,
            spec.NICKNAME: customer_names(spaces=False),
            spec.EMAIL: email_strategy,
            spec.PHONE: phone_strategy,
        }
        chosen = draw(st.lists(st.sampled_from(list(choices)), min_size=1, max_size=4, unique=True))
        pairs += [(name, draw(choices[name])) for name in spec.CUSTOMER_FIELDS if name in chosen]
    if _toggle(draw, sdk):
        features.add("sdk")
        sdk_values: dict[str, SearchStrategy[str]] = {
            spec.THEME: st.sampled_from(sorted(spec.THEMES)),
            spec.IS_APP: st.just(spec.IS_APP_VALUE),
            spec.CUSTOMER_REMARK: _free_text(spaces=spaces),
            spec.EXT_FK_ID: chat_ids(),
            spec.REFERER: _page_urls(),
            spec.REFERER_URL: _page_urls(),
            spec.SOURCE_TITLE: _free_text(spaces=spaces, max_size=30),
        }
        chosen = draw(
            st.lists(st.sampled_from(list(sdk_values)), min_size=1, max_size=3, unique=True)
        )
        pairs += [(name, draw(sdk_values[name])) for name in spec.SDK_PARAMS if name in chosen]
    if extra is not None:
        pairs += draw(extra)
    return tuple(pairs), key, frozenset(features)


def valid_params(
    *,
    chat: Toggle = None,
    lang: Toggle = None,
    signed: Toggle = None,
    customer: Toggle = None,
    sdk: Toggle = None,
    secret: SearchStrategy[Secret] | Secret | str | None = None,
    chat_ids: SearchStrategy[str] | None = None,
    languages: SearchStrategy[str] | None = None,
    sbs_values: SearchStrategy[str] | None = None,
    ranstrs: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    emails: SearchStrategy[str] | None = None,
    phones: SearchStrategy[str] | None = None,
    extra: SearchStrategy[list[tuple[str, str]]] | None = None,
    spaces: bool = True,
) -> SearchStrategy[dict[str, str]]:
    """Valid parameter sets as ``{name: decoded value}`` (``sbs_mm`` signed with ``secret``)."""
    return _params_strategy(**locals(), chat_alias=True).map(lambda drawn: dict(drawn[0]))


def _params_strategy(
    *,
    chat: Toggle,
    lang: Toggle,
    signed: Toggle,
    customer: Toggle,
    sdk: Toggle,
    secret: SearchStrategy[Secret] | Secret | str | None,
    chat_ids: SearchStrategy[str] | None,
    languages: SearchStrategy[str] | None,
    sbs_values: SearchStrategy[str] | None,
    ranstrs: SearchStrategy[str] | None,
    names: SearchStrategy[str] | None,
    emails: SearchStrategy[str] | None,
    phones: SearchStrategy[str] | None,
    extra: SearchStrategy[list[tuple[str, str]]] | None,
    spaces: bool,
    chat_alias: bool,
) -> SearchStrategy[tuple[tuple[tuple[str, str], ...], Secret | None, frozenset[str]]]:
    if isinstance(secret, str):
        secret = Secret(secret)
    return _params(
        chat=chat,
        lang=lang,
        signed=signed,
        customer=customer,
        sdk=sdk,
        secret=_strategy(secret, _module_secrets()),
        chat_id_strategy=_strategy(chat_ids, _module_chat_ids()),
        lang_strategy=_strategy(languages, _module_languages()),
        sbs_strategy=_strategy(sbs_values, _module_sbs_values()),
        ranstr_strategy=_strategy(ranstrs, _module_ranstrs()),
        name_strategy=_strategy(names, customer_names(spaces=spaces)),
        email_strategy=_strategy(emails, _module_emails()),
        phone_strategy=_strategy(phones, _module_phones()),
        extra=extra,
        spaces=spaces,
        chat_alias=chat_alias,
    )


# The keyword arguments above shadow the module-level strategy functions.
_module_secrets = secrets
_module_chat_ids = chat_ids
_module_languages = languages
_module_sbs_values = sbs_values
_module_ranstrs = ranstrs
_module_emails = emails
_module_phones = phones


@st.composite
def _link_specs(
    draw: st.DrawFn,
    *,
    dialect_strategy: SearchStrategy[Dialect],
    host_strategy: SearchStrategy[str],
    app_id_strategy: SearchStrategy[str],
    base_path_strategy: SearchStrategy[str],
    port_strategy: SearchStrategy[int | None],
    options: dict[str, object],
) -> LinkSpec:
    chosen = draw(dialect_strategy)
    params = draw(
        _params_strategy(
            spaces=not chosen.space_as_plus,
            # The canonical builder always writes the chat id as ``chatid``.
            chat_alias=not chosen.canonical_order,
            **options,  # type: ignore[arg-type]
        )
    )
    pairs, key, features = params
    if not chosen.canonical_order and len(pairs) > 1:
        pairs = tuple(draw(st.permutations(pairs)))
    return LinkSpec(
        host=draw(host_strategy),
        app_id=draw(app_id_strategy),
        pairs=pairs,
        dialect=chosen,
        port=draw(port_strategy),
        base_path=draw(base_path_strategy),
        secret=key,
        features=features,
    )


def link_specs(
    *,
    dialect: Dialect | str | SearchStrategy[Dialect] | None = None,
    hosts: SearchStrategy[str] | str | None = None,
    app_ids: SearchStrategy[str] | str | None = None,
    base_paths: SearchStrategy[str] | str | None = None,
    ports: SearchStrategy[int | None] | None = None,
    chat: Toggle = None,
    lang: Toggle = None,
    signed: Toggle = None,
    customer: Toggle = None,
    sdk: Toggle = None,
    secret: SearchStrategy[Secret] | Secret | str | None = None,
    chat_ids: SearchStrategy[str] | None = None,
    languages: SearchStrategy[str] | None = None,
    sbs_values: SearchStrategy[str] | None = None,
    ranstrs: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    emails: SearchStrategy[str] | None = None,
    phones: SearchStrategy[str] | None = None,
    extra: SearchStrategy[list[tuple[str, str]]] | None = None,
) -> SearchStrategy[LinkSpec]:
    """Valid links as :class:`LinkSpec` objects; see :func:`valid_links` for the arguments."""
    if isinstance(dialect, str):
        dialect = _module_dialect(dialect)
    dialect_strategy = _strategy(dialect, _module_dialects())
    options: dict[str, object] = {
        "chat": chat,
        "lang": lang,
        "signed": signed,
        "customer": customer,
        "sdk": sdk,
        "secret": secret,
        "chat_ids": chat_ids,
        "languages": languages,
        "sbs_values": sbs_values,
        "ranstrs": ranstrs,
        "names": names,
        "emails": emails,
        "phones": phones,
        "extra": extra,
    }
    return _link_specs(
        dialect_strategy=dialect_strategy,
        host_strategy=_strategy(hosts, _module_hosts()),
        app_id_strategy=_strategy(app_ids, _module_app_ids()),
        base_path_strategy=_strategy(base_paths, _module_base_paths()),
        port_strategy=ports if ports is not None else _module_ports(),
        options=options,
    ).filter(lambda link: len(link.url) <= spec.MAX_URL_LENGTH)


_module_dialect = dialect
_module_dialects = dialects
_module_hosts = hosts
_module_app_ids = app_ids
_module_base_paths = base_paths
_module_ports = ports


def valid_links(
    *,
    dialect: Dialect | str | SearchStrategy[Dialect] | None = None,
    hosts: SearchStrategy[str] | str | None = None,
    app_ids: SearchStrategy[str] | str | None = None,
    base_paths: SearchStrategy[str] | str | None = None,
    ports: SearchStrategy[int | None] | None = None,
    chat: Toggle = None,
    lang: Toggle = None,
    signed: Toggle = None,
    customer: Toggle = None,
    sdk: Toggle = None,
    secret: SearchStrategy[Secret] | Secret | str | None = None,
    chat_ids: SearchStrategy[str] | None = None,
    languages: SearchStrategy[str] | None = None,
    sbs_values: SearchStrategy[str] | None = None,
    ranstrs: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    emails: SearchStrategy[str] | None = None,
    phones: SearchStrategy[str] | None = None,
    extra: SearchStrategy[list[tuple[str, str]]] | None = None,
) -> SearchStrategy[str]:
    """Valid direct links (URL text) that a correct checker passes without error or warning.

    ``dialect``: a :class:`Dialect`, its name, or a strategy (default: any of
    :data:`DIALECTS`). ``hosts``/``app_ids``/``base_paths``: fixed values or
    strategies. ``chat``/``lang``/``signed``/``customer``/``sdk``: force a
    feature on or off (default: drawn). ``secret``: the AppSecret signed links
    use (a str, :class:`Secret` or strategy; default: random secrets). Every
    ``*_ids``/``*_values``/``names``/... argument replaces the value strategy;
    ``extra`` adds the caller's own ``(name, value)`` pairs.
    """
    return link_specs(**locals()).map(lambda link: link.url)


# Defect mutations --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mutation:
    """A named edit of a valid link that a correct checker reports as ``code``.

    ``requires``: features the link must have (``chat``, ``lang``, ``signed``,
    ``customer``, ``sdk``); ``excludes``: features it must not have.
    ``also``: other codes the defect legitimately causes (for instance the
    native SDK rejecting the link, DL512). ``needs_secret``: the checker must
    be given the link's secret to see the defect. ``config``: settings the
    checker needs to see it, as ``(field, value)`` pairs of
    ``validator.config.Config`` (an allow-list of hosts, say).
    """

    name: str
    code: str
    description: str
    edit: Callable[[LinkSpec], str]
    requires: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()
    also: frozenset[str] = frozenset()
    needs_secret: bool = False
    config: tuple[tuple[str, object], ...] = ()

    def apply(self, link: LinkSpec) -> str:
        return self.edit(link)


def _m(
    name: str,
    code: str,
    description: str,
    edit: Callable[[LinkSpec], LinkSpec | str],
    *,
    requires: str = "",
    excludes: str = "",
    also: str = "",
    needs_secret: bool = False,
    config: tuple[tuple[str, object], ...] = (),
) -> Mutation:
    def as_text(link: LinkSpec) -> str:
        result = edit(link)
        return result.url if isinstance(result, LinkSpec) else result

    return Mutation(
        name,
        code,
        description,
        as_text,
        frozenset(requires.split()),
        frozenset(excludes.split()),
        frozenset(also.split()),
        needs_secret or "secret" in requires.split(),
        config,
    )


def _chat_key(link: LinkSpec) -> str:
    return link.chat_key or spec.CHATID


def _replace_raw_value(link: LinkSpec, name: str, raw: str) -> str:
    """Render ``link`` with the raw (already encoded) text ``raw`` as ``name``'s value."""
    marker = "zzMARKERzz"
    return link.with_value(name, marker).url.replace(marker, raw, 1)


def _double_encoded(link: LinkSpec) -> str:
    once = link.dialect.encode("Zoë@shop")
    return _replace_raw_value(link, spec.NICKNAME, once.replace("%", "%25"))


def _upper_sbs_mm(link: LinkSpec) -> LinkSpec:
    return link.with_value(spec.SBS_MM, (link.get(spec.SBS_MM) or "").upper())


def _sha1_signer(sbs: str, ranstr: str, secret: Secret) -> str:
    inner = md5_hex(f"{sbs}_{secret.reveal()}")
    return hashlib.sha1(f"{inner}_{ranstr}".encode(), usedforsecurity=False).hexdigest()


def _wrong_secret(link: LinkSpec) -> LinkSpec:
    other = Secret(md5_hex(f"other:{link.secret.reveal() if link.secret else ''}"))
    return link.resigned(secret=other)


def _plus_literal_signer(sbs: str, ranstr: str, secret: Secret) -> str:
    return sign(sbs.replace(" ", "+"), ranstr, secret)


def _with_plus_in_sbs(link: LinkSpec, *, sign_literally: bool) -> str:
    sbs = (link.get(spec.SBS) or "user") + " vip"
    signer = _plus_literal_signer if sign_literally else None
    resigned = link.resigned(sbs=sbs, signer=signer)
    return _replace_raw_value(resigned, spec.SBS, link.dialect.encode(sbs).replace("%20", "+"))


def _secret_in_value(link: LinkSpec) -> LinkSpec:
    return link.with_added("token", link.secret.reveal() if link.secret else "")


def _lang_in_fragment(link: LinkSpec) -> LinkSpec:
    lang = link.get(spec.LANG) or spec.FALLBACK_LANGUAGE
    return replace(link.without(spec.LANG), fragment=f"{spec.LANG}={lang}")


def _raw_space(link: LinkSpec) -> str:
    return _replace_raw_value(link, spec.NICKNAME, "Ann Lee")


def _too_long(link: LinkSpec) -> LinkSpec:
    return link.with_value(spec.CUSTOMER_REMARK, "x" * spec.MAX_URL_LENGTH)


def _credentials(link: LinkSpec) -> LinkSpec:
    return replace(link, userinfo="agent:hunter2")


def _no_scheme(link: LinkSpec) -> str:
    return link.url.split("://", 1)[1]


def _not_direct_path(link: LinkSpec) -> str:
    return link.url.replace(f"/{spec.DIRECT_SEGMENT}/", "/chat/", 1)


def _empty_pair(link: LinkSpec) -> str:
    base, _, query = link.url.partition("?")
    return f"{base}?&&{query}"


#: Every defect mutation, one or more per rule a single edit can cause.
MUTATIONS: Final[tuple[Mutation, ...]] = (
    _m("no-scheme", "DL001", "drop 'https://' so the text is no absolute URL", _no_scheme),
    _m(
        "http-scheme", "DL002", "use http instead of https",
        lambda link: replace(link, scheme="http"), also="DL512",  # the SDK opens only https
    ),
    _m("not-direct-path", "DL003", "'/direct/' renamed to '/chat/'", _not_direct_path),
    _m(
        "dot-in-app-id", "DL004", "app id with a '.', outside A-Za-z0-9_-",
        lambda link: replace(link, app_id=link.app_id + ".x"),
    ),
    _m(
        "credentials", "DL005", "user:password@ in front of the host", _credentials,
        also="DL512",  # the SDK rejects user info outright
    ),
    _m(
        "lang-in-fragment", "DL006", "lang moved after '#', where the page does not read it",
        _lang_in_fragment, requires="lang",
    ),
    _m(
        "lookalike-host", "DL007",
        "host visitorchat.twt.com.evil.example where only the production hosts are allowed",
        lambda link: replace(link, host="visitorchat.twt.com.evil.example", port=None),
        config=(("allowed_hosts", spec.PRODUCTION_HOSTS),),
    ),
    _m(
        "trailing-slash", "DL008", "a '/' after the app id",
        lambda link: replace(link, trailing_slash=True),
    ),
    _m(
        "drop-direct", "DL101", "chat id kept, 'direct=1' forgotten",
        lambda link: link.without(spec.DIRECT), requires="chat",
    ),
    _m(
        "drop-chatid", "DL102", "'direct=1' kept, chat id forgotten",
        lambda link: link.without(spec.CHATID).without(spec.CHAT_ID_ALIAS), requires="chat",
    ),
    _m(
        "direct-true", "DL103", "direct=true instead of direct=1",
        lambda link: link.with_value(spec.DIRECT, "true"), requires="chat",
    ),
    _m(
        "conflicting-chat-id-alias", "DL104", "chatid and chat_id with different values",
        lambda link: link.with_value(spec.CHATID, "a-" + (link.get(_chat_key(link)) or "1"))
        .with_value(spec.CHAT_ID_ALIAS, "b-" + (link.get(_chat_key(link)) or "1")),
        requires="chat",
    ),
    _m(
        "empty-chatid", "DL105", "chatid= with no value",
        lambda link: link.with_value(_chat_key(link), ""), requires="chat",
    ),
    _m(
        "redundant-chat-id-alias", "DL106", "chatid and chat_id both, same value",
        lambda link: link.with_value(spec.CHATID, link.get(_chat_key(link)) or "1")
        .with_value(spec.CHAT_ID_ALIAS, link.get(_chat_key(link)) or "1"),
        requires="chat",
    ),
    _m(
        "unsupported-lang", "DL201", "lang=es: an SDK code the page does not list",
        lambda link: link.with_value(spec.LANG, "es"),
    ),
    _m(
        "lang-pt-BR", "DL202", "lang=pt-BR, normalised to pt",
        lambda link: link.with_value(spec.LANG, "pt-BR"),
    ),
    _m(
        "lang-upper-case", "DL202", "lang=ZH-CN instead of zh-cn",
        lambda link: link.with_value(spec.LANG, "ZH-CN"),
    ),
    _m(
        "lang-underscore", "DL202", "lang=zh_TW instead of zh-tw",
        lambda link: link.with_value(spec.LANG, "zh_TW"),
    ),
    _m(
        "lang-region", "DL202", "lang=en-US instead of en",
        lambda link: link.with_value(spec.LANG, "en-US"),
    ),
    _m("empty-lang", "DL203", "lang= with no value", lambda link: link.with_value(spec.LANG, "")),
    _m(
        "drop-sbs-mm", "DL301", "sbs and ranstr sent, signature forgotten",
        lambda link: link.without(spec.SBS_MM), requires="signed",
    ),
    _m(
        "drop-sbs", "DL302", "signature and ranstr sent, sbs forgotten",
        lambda link: link.without(spec.SBS), requires="signed",
    ),
    _m(
        "drop-ranstr", "DL303", "sbs and sbs_mm sent, ranstr forgotten",
        lambda link: link.without(spec.RANSTR), requires="signed", also="DL307",
    ),
    _m(
        "short-ranstr", "DL304", "an 8-character ranstr, correctly signed",
        lambda link: link.resigned(ranstr=_seeded_token(len(link.url), 8)), requires="signed",
    ),
    _m(
        "repeated-ranstr", "DL305", "ranstr of one repeated character, correctly signed",
        lambda link: link.resigned(ranstr="a" * spec.MIN_RANSTR_LENGTH), requires="signed",
    ),
    _m(
        "sequential-ranstr", "DL305", "ranstr 'abcdefghijklmnop', correctly signed",
        lambda link: link.resigned(ranstr="abcdefghijklmnop"), requires="signed",
    ),
    _m(
        "upper-case-sbs-mm", "DL306", "sbs_mm in upper-case hex", _upper_sbs_mm,
        requires="signed",
    ),
    _m(
        "sha1-sbs-mm", "DL306", "outer digest SHA-1 (40 hex) instead of MD5",
        lambda link: link.resigned(signer=_sha1_signer), requires="signed",
    ),
    _m(
        "wrong-secret", "DL307", "signed with another app's secret", _wrong_secret,
        requires="signed", needs_secret=True,
    ),
    _m(
        "plus-signed-literally", "DL307",
        "sbs with a space written as '+', signed over the '+' (the page reads a space)",
        lambda link: _with_plus_in_sbs(link, sign_literally=True),
        requires="signed", also="DL311 DL512", needs_secret=True,
    ),
    _m(
        "secret-param", "DL309", "app_secret=... added to the link",
        lambda link: link.with_added("app_secret", md5_hex("leak:" + link.app_id)),
    ),
    _m(
        "secret-in-value", "DL309", "the AppSecret itself sent as token=...",
        _secret_in_value, requires="signed", needs_secret=True,
    ),
    _m(
        "plus-in-sbs", "DL311", "sbs with a space written as '+', signed over the space",
        lambda link: _with_plus_in_sbs(link, sign_literally=False),
        requires="signed", also="DL512",
    ),
    _m(
        "add-customer-name", "DL312", "name= added beside an identity, unsigned",
        lambda link: link.with_value(spec.NAME, "Ann"), excludes="customer",
    ),
    _m(
        "invalid-email", "DL401", "email=ann.example.com (no @)",
        lambda link: link.with_value(spec.EMAIL, "ann.example.com"), also="DL312",
    ),
    _m(
        "invalid-phone", "DL402", "phone=+861380: a country code and too few digits",
        lambda link: link.with_value(spec.PHONE, "+861380"), also="DL312",
    ),
    _m(
        "empty-name", "DL404", "name= with no value",
        lambda link: link.with_value(spec.NAME, ""), also="DL312",
    ),
    _m(
        "duplicated-key", "DL501", "lang written twice",
        lambda link: link.with_added(spec.LANG, link.get(spec.LANG) or "en"), requires="lang",
    ),
    _m(
        "unknown-param", "DL502", "utm_source=newsletter added",
        lambda link: link.with_added("utm_source", "newsletter"),
    ),
    _m(
        "misspelled-lang", "DL503", "Lang= instead of lang=",
        lambda link: link.renamed(spec.LANG, "Lang"), requires="lang",
    ),
    _m(
        "misspelled-chatid", "DL503", "chatId= added beside chatid= (camel case)",
        lambda link: link.with_added("chatId", link.get(_chat_key(link)) or "1"),
        requires="chat",
    ),
    _m(
        "bad-percent", "DL504", "nickname=50%off: '%' not followed by two hex digits",
        lambda link: _replace_raw_value(link, spec.NICKNAME, "50%off"), also="DL312 DL512",
    ),
    _m(
        "invalid-utf8", "DL505", "nickname=%FF: percent-decoded bytes that are not UTF-8",
        lambda link: _replace_raw_value(link, spec.NICKNAME, "%FF"), also="DL312 DL512",
    ),
    _m("empty-pair", "DL506", "'&&' in the query", _empty_pair, also="DL512"),
    _m(
        "raw-space", "DL507", "an unencoded space in nickname", _raw_space, also="DL312 DL512",
    ),
    _m(
        "double-encoded", "DL508", "nickname percent-encoded twice (%2540)", _double_encoded,
        also="DL312",
    ),
    _m("too-long", "DL509", "a 2000-character customer_remark", _too_long),
    _m(
        "chatid-trailing-space", "DL510", "chat id with a trailing space",
        lambda link: link.with_value(_chat_key(link), (link.get(_chat_key(link)) or "1") + " "),
        requires="chat", also="DL512",
    ),
    _m(
        "template-chatid", "DL511", "chatid={SESSION_ID} left unexpanded",
        lambda link: link.with_value(_chat_key(link), "{SESSION_ID}"), requires="chat",
    ),
    _m(
        "template-sbs", "DL511", "sbs={{sbs}} left unexpanded (signed over it)",
        lambda link: link.resigned(sbs="{{sbs}}"), requires="signed",
    ),
    _m(
        "template-dollar", "DL511", "chatid=${chatId} left unexpanded",
        lambda link: link.with_value(_chat_key(link), "${chatId}"), requires="chat",
    ),
    _m(
        "template-app-id", "DL511", "YOUR_APP_ID left in the path",
        lambda link: replace(link, app_id="YOUR_APP_ID"),
    ),
    _m(
        "plus-in-chatid", "DL512", "chat id 'a+b' with a raw '+': browser 'a b', SDK 'a+b'",
        lambda link: _replace_raw_value(link, _chat_key(link), "a+b"), requires="chat",
    ),
    _m(
        "forbidden-source", "DL601", "source=ios, which the SDK says never to send",
        lambda link: link.with_added("source", "ios"),
    ),
    _m(
        "forbidden-visitor-id", "DL601", "visitor_id=... added",
        lambda link: link.with_added("visitor_id", "12345"),
    ),
    _m("bad-theme", "DL602", "theme=blue", lambda link: link.with_value(spec.THEME, "blue")),
    _m("is-app-true", "DL603", "is_app=true", lambda link: link.with_value(spec.IS_APP, "true")),
)

_MUTATIONS_BY_NAME: Final = {m.name: m for m in MUTATIONS}


def mutation(name: str) -> Mutation:
    """The mutation called ``name`` (see :data:`MUTATIONS`)."""
    try:
        return _MUTATIONS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown mutation {name!r}") from None


@dataclass(frozen=True, slots=True)
class MutatedLink:
    """A valid link, the mutation applied to it, and the defective URL text."""

    original: LinkSpec
    mutation: Mutation
    url: str

    @property
    def secret(self) -> Secret | None:
        """The secret to give the checker (the one the original was signed with)."""
        return self.original.secret

    def __str__(self) -> str:
        return self.url


def mutated_links(
    mutations: Sequence[Mutation] | SearchStrategy[Mutation] | None = None,
    *,
    base: Callable[..., SearchStrategy[LinkSpec]] | None = None,
    dialect: Dialect | str | SearchStrategy[Dialect] | None = None,
    secret: SearchStrategy[Secret] | Secret | str | None = None,
) -> SearchStrategy[MutatedLink]:
    """Valid links with one defect mutation applied.

    ``mutations``: the mutations to draw from (default :data:`MUTATIONS`).
    ``base``: a function taking :func:`link_specs` keyword arguments
    (``chat=True`` ...) and returning link specs (default :func:`link_specs`);
    the features a mutation requires or excludes are forced on or off.
    """
    chooser = (
        mutations
        if isinstance(mutations, SearchStrategy)
        else st.sampled_from(tuple(mutations) if mutations is not None else MUTATIONS)
    )
    make = base if base is not None else link_specs

    def for_mutation(chosen: Mutation) -> SearchStrategy[MutatedLink]:
        def toggle(feature: str) -> Toggle:
            if feature in chosen.requires:
                return True
            return False if feature in chosen.excludes else None

        links = make(
            dialect=dialect,
            secret=secret,
            chat=toggle("chat"),
            lang=toggle("lang"),
            signed=toggle("signed"),
            customer=toggle("customer"),
            sdk=toggle("sdk"),
        )
        return links.map(lambda link: MutatedLink(link, chosen, chosen.apply(link)))

    return chooser.flatmap(for_mutation)


# Hostile text for robustness properties and fuzzing ------------------------------------


def hostile_text(max_size: int = 200) -> SearchStrategy[str]:
    """Any text at all: lone surrogates, NUL and other controls, every plane."""
    anything = st.characters(codec=None, exclude_categories=())
    return st.text(anything, max_size=max_size)


_LINK_PIECES: Final = (
    "https://", "http://", "visitorchat.twt.com", "/direct/", "demo_app", "?", "&", "=", "#",
    "%", "%2", "%FF", "%C3%A9", "%25", "+", " ", "\t", "\n", "\x00", "\ud800", "\\", "@", ":",
    "[", "]", "direct=1", "chatid=", "chat_id=", "lang=pt-BR", "sbs=", "sbs_mm=", "ranstr=",
    "{SESSION_ID}", "${x}", "<a href=\"", "\">", "xn--", "..", "/./", "\u00e9", "\U0001f600",
)


def link_like_text(max_pieces: int = 30) -> SearchStrategy[str]:
    """Text stitched from URL pieces and hostile characters: near-links that stress a parser."""
    piece = st.one_of(st.sampled_from(_LINK_PIECES), hostile_text(max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)
