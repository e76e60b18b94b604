"""The keyring: the only owner of the AppSecrets a run knows, and of what reveals them.

A :class:`Keyring` holds the default secret (every app), the per-app secrets
and candidate secrets (labelled, tried by ``explain``). It answers the three
questions every part of the project asks about secrets, so none of them
selects a secret or spells one out itself:

* which secret signs an app (:meth:`Keyring.for_app`), and which others the
  run knows (:meth:`Keyring.others`, :meth:`Keyring.known`);
* where a link reveals one (:meth:`Keyring.exposed_spans`): every parameter
  whose decoded name or value holds a known secret, or the full inner digest
  ``md5(sbs + "_" + secret)``, whatever encoding wrote it (upper, lower or
  mixed hex escapes, partial escapes, ``+``, double encoding);
* what text must never be printed for a link (:meth:`Keyring.exposures`):
  the raw text of those spans as the input wrote it and what it decodes to.
  :mod:`validator.redact` masks these in every output.

:meth:`Keyring.spellings` (the forms encoders write a secret in) is the
second line of defence of the output filters, for text no link explains
(a log line, an exception).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import FrozenInstanceError
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from validator.signature import Secret, md5_hex

if TYPE_CHECKING:
    from validator.model import DirectLink, Param, Span

#: What a masked secret shows as.
SECRET_MASK = "<AppSecret>"
#: Secrets shorter than this are not masked: masking every occurrence of such a
#: string would garble the output and protect nothing.
MIN_MASKED_LENGTH = 4
#: Secrets shorter than this are looked for (DL309) as whole names or values
#: only: they turn up by chance inside random values.
MIN_SUBSTRING_LENGTH = 8
#: Characters each encoder leaves bare besides letters and digits (see
#: :data:`validator.strategies.DIALECTS`), to spell a secret as they write it.
_ENCODER_SAFE = ("", "/", "-._~", "-_.!~*'()", "*-._", "-_.", ".-*_", "-._~!$*(),;:@/?",
                 "/:@!$'()*,;~")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")

SecretLike = Secret | str


def as_secret(value: SecretLike) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


def spellings(secret: Secret) -> frozenset[str]:
    """The texts encoders write ``secret`` as: raw, percent-encoded (every dialect, either
    hex case, space as ``%20`` or ``+``) and as hex of its UTF-8 bytes."""
    return text_spellings(secret.reveal())


@lru_cache(maxsize=64)
def text_spellings(text: str) -> frozenset[str]:
    """:func:`spellings` of a secret's text (cached: the screen asks for every link)."""
    data = text.encode("utf-8", "surrogatepass")
    forms = {text, data.hex(), data.hex().upper()}
    for safe in _ENCODER_SAFE:
        forms.add(quote(data, safe=safe))
        forms.add(quote_plus(data, safe=safe))
    for form in list(forms):
        if "%" in form:
            forms.add(_ESCAPE.sub(lambda m: m.group(0).lower(), form))
            forms.add(_ESCAPE.sub(lambda m: m.group(0).upper(), form))
    return frozenset(form for form in forms if form)


def _decodings(text: str) -> Iterator[str]:
    """``text``, and what it reads as decoded once or twice more (double encoding)."""
    seen = {text}
    yield text
    for current in (text, unquote(text)):
        for decoded in (unquote(current), unquote_plus(current)):
            if decoded not in seen:
                seen.add(decoded)
                yield decoded


class Keyring:
    """The secrets of one run: ``default`` for every app, ``per_app`` by app id, and
    ``candidates`` (label to secret) that are known but sign no app.

    Immutable and compared by identity, as a frozen dataclass with ``eq=False``
    would be, but written out: a dataclass generates its methods with ``exec``
    when it is defined, which every start of the command would pay for.
    """

    default: Secret | None
    per_app: Mapping[str, Secret]
    candidates: Mapping[str, Secret]

    def __init__(
        self,
        default: Secret | None = None,
        per_app: Mapping[str, Secret] | None = None,
        candidates: Mapping[str, Secret] | None = None,
    ) -> None:
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "per_app", {} if per_app is None else per_app)
        object.__setattr__(self, "candidates", {} if candidates is None else candidates)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(default={self.default!r}, "
                f"per_app={self.per_app!r}, candidates={self.candidates!r})")

    @classmethod
    def of(
        cls,
        secret: SecretLike | None = None,
        secrets: Mapping[str, SecretLike] | None = None,
        candidates: Mapping[str, SecretLike] | Iterable[SecretLike] = (),
    ) -> Keyring:
        """A keyring from plain values (``str`` or :class:`Secret`); unlabelled
        candidates are labelled ``candidate 1``, ``candidate 2``..."""
        if isinstance(candidates, Mapping):
            labelled = {str(label): as_secret(value) for label, value in candidates.items()}
        else:
            labelled = {f"candidate {number}": as_secret(value)
                        for number, value in enumerate(candidates, start=1)}
        return cls(
            None if secret is None else as_secret(secret),
            {app: as_secret(value) for app, value in (secrets or {}).items()},
            labelled,
        )

    def __bool__(self) -> bool:
        return self.default is not None or bool(self.per_app) or bool(self.candidates)

    # Which secret ---------------------------------------------------------------

    def for_app(self, app_id: str | None) -> Secret | None:
        """The secret that signs ``app_id``'s links: its own, else the default."""
        if app_id is not None and app_id in self.per_app:
            return self.per_app[app_id]
        return self.default

    def others(self, app_id: str | None) -> tuple[Secret, ...]:
        """Secrets the run knows that do not sign ``app_id`` (the default where the app has
        its own, and the candidates): a link carrying one has leaked it too (DL309)."""
        mine = self.for_app(app_id)
        found = [] if self.default is None or self.default is mine else [self.default]
        found.extend(secret for secret in self.candidates.values() if secret is not mine)
        return tuple(found)

    def labelled_others(self, app_id: str | None) -> dict[str, Secret]:
        """Every secret that does not sign ``app_id``, labelled (never by its value)."""
        mine = self.for_app(app_id)
        found = {f"app {other}": secret for other, secret in self.per_app.items()
                 if other != app_id and secret != mine}
        if self.default is not None and self.default != mine:
            found["the default secret"] = self.default
        found.update((label, secret) for label, secret in self.candidates.items()
                     if secret != mine)
        return found

    @cached_property
    def _known(self) -> tuple[Secret, ...]:
        found: list[Secret] = []
        for secret in (*self.per_app.values(),
                       *([self.default] if self.default is not None else []),
                       *self.candidates.values()):
            if secret not in found:
                found.append(secret)
        return tuple(found)

    def known(self) -> tuple[Secret, ...]:
        """Every distinct secret of the run."""
        return self._known

    @cached_property
    def candidate_secrets(self) -> tuple[Secret, ...]:
        """The candidates' secrets, in order."""
        return tuple(self.candidates.values())

    def with_candidates(self, candidates: Mapping[str, SecretLike]) -> Keyring:
        merged = {**self.candidates, **Keyring.of(candidates=candidates).candidates}
        return Keyring(self.default, dict(self.per_app), merged)

    # What reveals one -------------------------------------------------------------

    @cached_property
    def _masked(self) -> tuple[str, ...]:
        return tuple(secret.reveal() for secret in self._known
                     if len(secret) >= MIN_MASKED_LENGTH)

    @cached_property
    def _spellings(self) -> frozenset[str]:
        forms: set[str] = set()
        for secret in self._known:
            if len(secret) >= MIN_MASKED_LENGTH:
                forms |= spellings(secret)
        return frozenset(forms)

    def spellings(self) -> frozenset[str]:
        """Every form encoders write a known secret in (those long enough to mask)."""
        return self._spellings

    @cached_property
    def spelling_pattern(self) -> re.Pattern[str] | None:
        """One pattern for every spelling, longest first (None: nothing to mask)."""
        if not self._spellings:
            return None
        ordered = sorted(self._spellings, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, ordered)))

    def inner_digests(self, link: DirectLink) -> frozenset[str]:
        """``md5(sbs + "_" + secret)`` for the link's ``sbs`` and every known secret: each
        as good as the secret for signing that customer, so never shown whole."""
        if link.sbs is None:
            return frozenset()
        return frozenset(md5_hex(f"{link.sbs}_{secret.reveal()}") for secret in self._known)

    def _reveals(self, text: str, digests: frozenset[str]) -> bool:
        for decoded in _decodings(text):
            if any(value in decoded for value in self._masked):
                return True
            lowered = decoded.lower()
            if any(digest in lowered for digest in digests):
                return True
        return False

    def exposed_spans(self, link: DirectLink) -> tuple[Span, ...]:
        """The spans of ``link.input`` that reveal a known secret or a full inner digest:
        a parameter's value (or the whole parameter, where its name does), found by
        decoding, and any spelling of a secret elsewhere in the text."""
        if not self._known:
            return ()
        digests = self.inner_digests(link)
        spans: list[Span] = []
        params: tuple[Param, ...] = (*link.params, *link.fragment_params)
        for param in params:
            if self._reveals(param.name, digests):
                spans.append(param.span)
            elif param.value_start < param.end and self._reveals(param.value, digests):
                spans.append(param.value_span)
        pattern = self.spelling_pattern
        if pattern is not None:
            for match in pattern.finditer(link.input):
                if not any(start <= match.start() < end for start, end in spans):
                    spans.append(match.span())
        for digest in digests:
            for match in re.finditer(re.escape(digest), link.input, re.IGNORECASE):
                if not any(start <= match.start() < end for start, end in spans):
                    spans.append(match.span())
        return tuple(sorted(spans))

    def exposures(self, link: DirectLink) -> frozenset[str]:
        """Every text that must not be printed for ``link``: each exposed span as the input
        wrote it, what it decodes to, and the link's inner digests."""
        texts: set[str] = set()
        by_span = {param.span: param for param in (*link.params, *link.fragment_params)}
        by_value = {param.value_span: param for param in (*link.params, *link.fragment_params)}
        for start, end in self.exposed_spans(link):
            raw = link.input[start:end]
            texts.add(raw)
            texts.update(_decodings(raw))
            param = by_span.get((start, end)) or by_value.get((start, end))
            if param is not None:
                texts.update((param.value, param.name) if (start, end) == param.span
                             else (param.value,))
                texts.add(param.raw if (start, end) == param.span
                          else param.raw.partition("=")[2])
        digests = self.inner_digests(link)
        texts |= digests
        texts |= {digest.upper() for digest in digests}
        return frozenset(text for text in texts if len(text) >= MIN_MASKED_LENGTH)


#: A keyring with no secret.
EMPTY = Keyring()


def find_secret(link: DirectLink, secret: Secret) -> tuple[Span | None, str]:
    """Where ``link`` carries ``secret`` (DL309): the span, and the parameter's name
    (``"a parameter name"`` where the name holds it, ``"URL"`` outside parameters)."""
    value = secret.reveal()
    params: tuple[Param, ...] = (*link.params, *link.fragment_params)
    if len(value) < MIN_SUBSTRING_LENGTH:
        for param in params:
            if value == param.name:
                return param.span, "a parameter name"
            if value == param.value:
                return param.span, param.name
        return None, ""
    for param in params:
        if any(value in decoded for decoded in _decodings(param.name)):
            return param.span, "a parameter name"  # never quote the name: it holds it
        if any(value in decoded for decoded in _decodings(param.value)):
            return param.span, param.name
    for form in sorted(spellings(secret), key=len, reverse=True):
        at = link.input.find(form)
        if at >= 0:
            for param in params:
                if param.span[0] <= at < param.span[1]:
                    return param.span, param.name
            return (at, at + len(form)), "URL"
    return None, ""
