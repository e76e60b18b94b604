"""Typed values to a canonical direct link.

Parameters are written in the documented order, every value percent-encoded
as UTF-8 with only RFC 3986 unreserved characters bare (what the native SDK
writes), and ``direct=1`` whenever a chat id is given. Given ``sbs`` and a
secret, the builder fills ``ranstr`` and ``sbs_mm``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from validator import arguments, spec
from validator.model import DirectLink
from validator.query import encode_query
from validator.signature import Secret, as_secret, require_secret, sign

#: Characters a browser leaves bare in a path segment (besides letters, digits, ``-._~``).
_PATH_SEGMENT_SAFE = "!$%&'()*+,;=:@[]^|"

#: Length of generated ``ranstr`` values (URL-safe base64 of 18 random bytes).
GENERATED_RANSTR_LENGTH = 24


class BuildError(ValueError):
    """The values cannot make a direct link; the message says which and why."""


def new_ranstr() -> str:
    """A fresh, URL-safe random string of :data:`GENERATED_RANSTR_LENGTH` characters."""
    import secrets  # here, not at the top: checking a link needs no random numbers

    return secrets.token_urlsafe(18)


def derived_ranstr(secret: Secret | str, seed: str) -> str:
    """A ``ranstr`` that only the secret's holder can predict, the same for the same ``seed``.

    Fixes suggested in reports use it so that checking a link twice gives the
    same report (CI diffs, caches), while nobody without the secret can guess
    it: HMAC-SHA256 keyed by the secret, URL-safe base64, 24 characters.
    """
    import base64
    import hashlib
    import hmac

    key = as_secret(secret).reveal().encode("utf-8")
    message = b"directlink ranstr\0" + seed.encode("utf-8", "surrogatepass")
    digest = hmac.new(key, message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def build(
    app_id: str | DirectLink,
    *,
    base: str = spec.DEFAULT_BASE,
    chat_id: str | None = None,
    lang: str | None = None,
    sbs: str | None = None,
    sbs_mm: str | None = None,
    ranstr: str | None = None,
    name: str | None = None,
    nickname: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    theme: str | None = None,
    is_app: bool = False,
    customer_remark: str | None = None,
    ext_fk_id: str | None = None,
    referer: str | None = None,
    referer_url: str | None = None,
    source_title: str | None = None,
    extra: Iterable[tuple[str, str]] = (),
    secret: Secret | str | None = None,
) -> str:
    """Build a canonical link; given a :class:`DirectLink`, rebuild it canonically.

    With ``sbs`` and ``secret``, ``ranstr`` is generated unless given and
    ``sbs_mm`` is computed (a given ``sbs_mm`` is then an error). Raises
    ``TypeError`` naming an argument of the wrong type and ``ValueError`` for
    a value with a lone surrogate (it has no UTF-8 form).
    """
    if isinstance(app_id, DirectLink):
        return rebuild(app_id)
    arguments.require_str("build", "app_id", app_id)
    arguments.require_str("build", "base", base)
    for argument, given in (
        ("chat_id", chat_id), ("lang", lang), ("sbs", sbs), ("sbs_mm", sbs_mm),
        ("ranstr", ranstr), ("name", name), ("nickname", nickname), ("email", email),
        ("phone", phone), ("theme", theme), ("customer_remark", customer_remark),
        ("ext_fk_id", ext_fk_id), ("referer", referer), ("referer_url", referer_url),
        ("source_title", source_title),
    ):
        arguments.require_str("build", argument, given, optional=True)
        if given is not None and arguments.has_lone_surrogate(given):
            raise BuildError(f"{argument} holds a lone surrogate, which no URL can carry")
    arguments.require_bool("build", "is_app", is_app)
    require_secret("build", "secret", secret, optional=True)
    if isinstance(extra, str | bytes):
        raise TypeError("build() argument 'extra' must be an iterable of (key, value) pairs")
    extra = list(extra)
    for pair in extra:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError("build() argument 'extra' must hold (key, value) pairs of str")
        arguments.require_str("build", "extra key", pair[0])
        arguments.require_str("build", "extra value", pair[1])
    values: dict[str, str | None] = {
        spec.CHATID: chat_id,
        spec.LANG: lang,
        spec.SBS: sbs,
        spec.SBS_MM: sbs_mm,
        spec.RANSTR: ranstr,
        spec.NAME: name,
        spec.NICKNAME: nickname,
        spec.EMAIL: email,
        spec.PHONE: phone,
        spec.THEME: theme,
        spec.IS_APP: spec.IS_APP_VALUE if is_app else None,
        spec.CUSTOMER_REMARK: customer_remark,
        spec.EXT_FK_ID: ext_fk_id,
        spec.REFERER: referer,
        spec.REFERER_URL: referer_url,
        spec.SOURCE_TITLE: source_title,
    }
    if secret is not None:
        if sbs is None:
            raise BuildError("a secret signs sbs: give --sbs too")
        if sbs_mm is not None:
            raise BuildError("give either sbs_mm or a secret to compute it, not both")
        if ranstr is None:
            values[spec.RANSTR] = new_ranstr()
        values[spec.SBS_MM] = sign(sbs, values[spec.RANSTR] or "", secret)
    extra_pairs = list(extra)
    for key, _ in extra_pairs:
        if key in spec.KNOWN_PARAMS:
            raise BuildError(f"extra parameter {key!r} is a known parameter: pass it by name")
    return _assemble(app_id, base, values, extra_pairs)


def rebuild(link: DirectLink) -> str:
    """The canonical form of a parsed link: first values, documented order."""
    if not link.is_url or link.scheme is None or link.host is None:
        raise BuildError(f"not a URL that can be rebuilt: {link.error}")
    if link.app_id is None:
        raise BuildError("the path is not <base>/direct/<app_id>")
    values: dict[str, str | None] = {key: link.get(key) for key in spec.CANONICAL_ORDER}
    values[spec.CHATID] = link.chat_id
    direct = link.direct
    extra: list[tuple[str, str]] = []
    seen: set[str] = set(spec.KNOWN_PARAMS)
    for param in link.params:
        if param.name not in seen:
            seen.add(param.name)
            extra.append((param.name, param.value))
    port = f":{link.port}" if link.port is not None else ""
    base = f"{link.scheme}://{link.host}{port}{link.base_path or ''}"
    return _assemble(link.app_id, base, values, extra, direct=direct)


def _assemble(
    app_id: str,
    base: str,
    values: dict[str, str | None],
    extra: list[tuple[str, str]],
    direct: str | None = None,
) -> str:
    for key, value in list(values.items()) + extra:
        if value is not None and not _encodable(value):
            raise BuildError(f"{key} holds a lone surrogate, which no URL can carry")
    if not _encodable(app_id):
        raise BuildError("app id holds a lone surrogate")
    from yarl import URL  # loaded by the builders, not by every command that imports this

    try:
        base_url = URL(base)
    except (ValueError, TypeError) as error:
        raise BuildError(f"bad base URL {base!r}: {error}") from None
    if not base_url.absolute or not base_url.raw_host:
        raise BuildError(f"base URL {base!r} must be absolute, like {spec.DEFAULT_BASE}")
    pairs: list[tuple[str, str]] = []
    if values.get(spec.CHATID) is not None:
        pairs.append((spec.DIRECT, spec.DIRECT_VALUE))
    elif direct is not None:
        pairs.append((spec.DIRECT, direct))
    for key in spec.CANONICAL_ORDER:
        if key == spec.DIRECT:
            continue
        value = values.get(key)
        if value is not None:
            pairs.append((key, value))
    pairs.extend(extra)
    base_path = base_url.raw_path.rstrip("/")
    # The app id is written as a browser serialises the path segment: escapes
    # already in it stay, so rebuilding a rebuilt link changes nothing.
    segment = quote(app_id, safe=_PATH_SEGMENT_SAFE)
    host = base_url.raw_host or ""
    if ":" in host:  # an IPv6 address: encoded=True leaves the brackets to us
        host = f"[{host}]"
    try:
        url = URL.build(
            scheme=base_url.scheme,
            host=host,
            port=base_url.explicit_port,
            path=f"{base_path}/{spec.DIRECT_SEGMENT}/{segment}",
            encoded=True,
        )
    except ValueError as error:  # yarl's IDNA codec rejects some hosts the browser takes
        raise BuildError(f"bad host in {base!r}: {error}") from None
    # yarl normalises host, port and path; the query is written here because
    # yarl's own quoting leaves characters such as "+" and "/" bare.
    text = str(url)
    return f"{text}?{encode_query(pairs)}" if pairs else text


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
