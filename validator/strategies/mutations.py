"""Defect mutations: named edits of a valid link, each tied to the rule code it must trigger."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from validator import spec
from validator.signature import Secret, md5_hex, sign
from validator.strategies.links import LinkSpec, Toggle, link_specs
from validator.strategies.query_dialects import Dialect
from validator.strategies.values import seeded_token


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
        lambda link: link.resigned(ranstr=seeded_token(len(link.url), 8)), requires="signed",
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
