"""Link specs: valid links drawn part by part, with one parameter list for every entry point."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, TypedDict, TypeVar, Unpack

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from validator import spec
from validator.signature import Secret, as_secret, sign
from validator.strategies import values
from validator.strategies.query_dialects import (
    CANONICAL,
    Dialect,
    canonical_sort,
    dialect,
    dialects,
)

T = TypeVar("T")
#: ``True`` always, ``False`` never, ``None`` either (drawn).
Toggle = bool | None


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
            return tuple(canonical_sort(self.pairs))
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


class ParamOptions(TypedDict, total=False):
    """What :func:`valid_params` and :func:`link_specs` draw, each part replaceable.

    ``chat``/``lang``/``signed``/``customer``/``sdk``: force a feature on
    (``True``) or off (``False``), default drawn. ``secret``: the AppSecret
    signed links use (a str, :class:`Secret` or strategy; default: random
    secrets). Every ``*_ids``/``*_values``/``names``/... option replaces the
    value strategy; ``extra`` adds the caller's own ``(name, value)`` pairs.
    """

    chat: Toggle
    lang: Toggle
    signed: Toggle
    customer: Toggle
    sdk: Toggle
    secret: SearchStrategy[Secret] | Secret | str | None
    chat_ids: SearchStrategy[str] | None
    languages: SearchStrategy[str] | None
    sbs_values: SearchStrategy[str] | None
    ranstrs: SearchStrategy[str] | None
    names: SearchStrategy[str] | None
    emails: SearchStrategy[str] | None
    phones: SearchStrategy[str] | None
    extra: SearchStrategy[list[tuple[str, str]]] | None


class LinkOptions(ParamOptions, total=False):
    """The one parameter list of :func:`link_specs` and :func:`valid_links`.

    ``dialect``: a :class:`Dialect`, its name, or a strategy (default: any of
    :data:`DIALECTS`). ``hosts``/``app_ids``/``base_paths``: fixed values or
    strategies; ``ports``: a strategy. The rest as :class:`ParamOptions`.
    """

    dialect: Dialect | str | SearchStrategy[Dialect] | None
    hosts: SearchStrategy[str] | str | None
    app_ids: SearchStrategy[str] | str | None
    base_paths: SearchStrategy[str] | str | None
    ports: SearchStrategy[int | None] | None


_PARAM_OPTIONS: Final = frozenset(ParamOptions.__optional_keys__)
_LINK_OPTIONS: Final = frozenset(LinkOptions.__optional_keys__)


def _known_only(function: str, given: Mapping[str, object], known: frozenset[str]) -> None:
    unknown = sorted(set(given) - known)
    if unknown:
        raise TypeError(f"{function}() got an unexpected keyword argument {unknown[0]!r}")


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
    options: ParamOptions,
    *,
    spaces: bool,
    chat_alias: bool,
) -> tuple[tuple[tuple[str, str], ...], Secret | None, frozenset[str]]:
    secret = options.get("secret")
    if isinstance(secret, str):
        secret = Secret(secret)
    pairs: list[tuple[str, str]] = []
    features: set[str] = set()
    key: Secret | None = None
    if _toggle(draw, options.get("chat")):
        features.add("chat")
        chat_key = draw(st.sampled_from(spec.CHAT_ID_KEYS)) if chat_alias else spec.CHATID
        chat_id = draw(_strategy(options.get("chat_ids"), values.chat_ids()))
        pairs += [(spec.DIRECT, spec.DIRECT_VALUE), (chat_key, chat_id)]
    if _toggle(draw, options.get("lang")):
        features.add("lang")
        pairs.append((spec.LANG, draw(_strategy(options.get("languages"), values.languages()))))
    if _toggle(draw, options.get("signed")):
        features.add("signed")
        key = draw(_strategy(secret, values.secrets()))
        sbs = draw(_strategy(options.get("sbs_values"), values.sbs_values()))
        ranstr = draw(_strategy(options.get("ranstrs"), values.ranstrs()))
        pairs += [(spec.SBS, sbs), (spec.SBS_MM, sign(sbs, ranstr, key)), (spec.RANSTR, ranstr)]
    if _toggle(draw, options.get("customer")):
        features.add("customer")
        choices = {
            spec.NAME: _strategy(options.get("names"), values.customer_names(spaces=spaces)),
            spec.NICKNAME: values.customer_names(spaces=False),
            spec.EMAIL: _strategy(options.get("emails"), values.emails()),
            spec.PHONE: _strategy(options.get("phones"), values.phones()),
        }
        chosen = draw(st.lists(st.sampled_from(list(choices)), min_size=1, max_size=4, unique=True))
        pairs += [(name, draw(choices[name])) for name in spec.CUSTOMER_FIELDS if name in chosen]
    if _toggle(draw, options.get("sdk")):
        features.add("sdk")
        sdk_values: dict[str, SearchStrategy[str]] = {
            spec.THEME: st.sampled_from(sorted(spec.THEMES)),
            spec.IS_APP: st.just(spec.IS_APP_VALUE),
            spec.CUSTOMER_REMARK: values.free_text(spaces=spaces),
            spec.EXT_FK_ID: values.chat_ids(),
            spec.REFERER: values.page_urls(),
            spec.REFERER_URL: values.page_urls(),
            spec.SOURCE_TITLE: values.free_text(spaces=spaces, max_size=30),
        }
        chosen = draw(
            st.lists(st.sampled_from(list(sdk_values)), min_size=1, max_size=3, unique=True)
        )
        pairs += [(name, draw(sdk_values[name])) for name in spec.SDK_PARAMS if name in chosen]
    extra = options.get("extra")
    if extra is not None:
        pairs += draw(extra)
    return tuple(pairs), key, frozenset(features)


def valid_params(*, spaces: bool = True,
                 **options: Unpack[ParamOptions]) -> SearchStrategy[dict[str, str]]:
    """Valid parameter sets as ``{name: decoded value}`` (``sbs_mm`` signed with ``secret``).

    The options are :class:`ParamOptions`; ``spaces=False`` leaves spaces out of
    free text (for dialects writing a space as ``+``).
    """
    _known_only("valid_params", options, _PARAM_OPTIONS)
    return _params(options, spaces=spaces, chat_alias=True).map(lambda drawn: dict(drawn[0]))


@st.composite
def _link_specs(
    draw: st.DrawFn,
    options: LinkOptions,
    dialect_strategy: SearchStrategy[Dialect],
) -> LinkSpec:
    chosen = draw(dialect_strategy)
    param_options: ParamOptions = {
        name: value for name, value in options.items() if name in _PARAM_OPTIONS
    }  # type: ignore[assignment]
    pairs, key, features = draw(
        _params(
            param_options,
            spaces=not chosen.space_as_plus,
            # The canonical builder always writes the chat id as ``chatid``.
            chat_alias=not chosen.canonical_order,
        )
    )
    if not chosen.canonical_order and len(pairs) > 1:
        pairs = tuple(draw(st.permutations(pairs)))
    ports = options.get("ports")
    return LinkSpec(
        host=draw(_strategy(options.get("hosts"), values.hosts())),
        app_id=draw(_strategy(options.get("app_ids"), values.app_ids())),
        pairs=pairs,
        dialect=chosen,
        port=draw(ports if ports is not None else values.ports()),
        base_path=draw(_strategy(options.get("base_paths"), values.base_paths())),
        secret=key,
        features=features,
    )


def link_specs(**options: Unpack[LinkOptions]) -> SearchStrategy[LinkSpec]:
    """Valid links as :class:`LinkSpec` objects; the options are :class:`LinkOptions`."""
    _known_only("link_specs", options, _LINK_OPTIONS)
    chosen = options.get("dialect")
    if isinstance(chosen, str):
        chosen = dialect(chosen)
    dialect_strategy = _strategy(chosen, dialects())
    return _link_specs(options, dialect_strategy).filter(
        lambda link: len(link.url) <= spec.MAX_URL_LENGTH
    )


def valid_links(**options: Unpack[LinkOptions]) -> SearchStrategy[str]:
    """Valid direct links (URL text) that a correct checker passes without error or warning.

    The options are :class:`LinkOptions`, the same as :func:`link_specs`:
    ``dialect``: a :class:`Dialect`, its name, or a strategy (default: any of
    :data:`DIALECTS`). ``hosts``/``app_ids``/``base_paths``: fixed values or
    strategies. ``chat``/``lang``/``signed``/``customer``/``sdk``: force a
    feature on or off (default: drawn). ``secret``: the AppSecret signed links
    use (a str, :class:`Secret` or strategy; default: random secrets). Every
    ``*_ids``/``*_values``/``names``/... argument replaces the value strategy;
    ``extra`` adds the caller's own ``(name, value)`` pairs.
    """
    _known_only("valid_links", options, _LINK_OPTIONS)
    return link_specs(**options).map(lambda link: link.url)
