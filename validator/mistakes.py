"""The catalogue of signature mistakes: how each one would have computed ``sbs_mm``.

Each :class:`Hypothesis` is data: a stable id (SPEC section 5), what the
integrator's code did, the one-line fix, the constructions it tries (for the
docs) and a function yielding the signatures a server making that mistake
would produce, each with the steps it hashed. Order in :data:`HYPOTHESES` is
precedence: when several reproduce a value, the earlier one is named first.

Hashed strings are kept as parts so the secret is only ever a placeholder
(``<AppSecret>``) and the inner digest only a fingerprint.

What a diagnosis found is data too (:class:`Diagnosis`, :class:`Match`,
:class:`SdkView`): :mod:`validator.diagnose` finds it, the explain
renderers show it without importing what finds it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

from validator.keyring import SECRET_MASK, Keyring
from validator.query import form_decode
from validator.signature import Secret, fingerprint

#: The secret in a hashed string as it is shown (the keyring's mask).
SECRET_PLACEHOLDER = SECRET_MASK

# Part kinds of a hashed string, so renderers can mark user values.
VALUE = "value"
LITERAL = "literal"
SECRET = "secret"
DIGEST = "digest"

Part = tuple[str, str]

HMAC_MD5 = "hmac-md5"
BatchEntry = tuple[int, str | None, str | None, str]


@dataclass(frozen=True, slots=True)
class Step:
    """One hash computation: what was hashed, with what, and the result.

    ``parts`` is the hashed string as ``(kind, text)`` pieces; a ``secret``
    piece holds a placeholder, never the secret, and a ``digest`` piece only a
    fingerprint. ``result`` is a fingerprint where the digest is a credential.
    """

    label: str
    algorithm: str
    parts: tuple[Part, ...]
    result: str
    encoding: str = "utf-8"
    #: For keyed algorithms (HMAC), what the key was: a placeholder or fingerprint.
    key: str | None = None

    @property
    def hashed(self) -> str:
        """The hashed string with the secret as ``<AppSecret>``."""
        return "".join(text for _, text in self.parts)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A signature a mistaken server would have produced, and how."""

    variant: str
    digest: str
    steps: Callable[[], tuple[Step, ...]]
    secret_label: str | None = None
    batch_index: int | None = None
    batch_link: str | None = None


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """A mistake integrators make when computing ``sbs_mm``."""

    id: str
    #: What the integrator's code did, as the start of a sentence.
    description: str
    #: The one-line fix.
    fix: str
    #: Yields the signatures the mistaken server would have computed.
    candidates: Callable[[Inputs], Iterator[Candidate]]
    #: The constructions tried, for the documentation.
    tries: str = ""


# ---------------------------------------------------------------------------
# Hashing helpers


def md5_of(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


_ALGORITHMS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256}


def _hash(algorithm: str, data: bytes) -> str:
    return _ALGORITHMS[algorithm](data, usedforsecurity=False).hexdigest()


def _encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``; UTF-8 keeps lone surrogates (an API caller's str may hold one)."""
    return utf8(text) if encoding == "utf-8" else text.encode(encoding)


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


_MASKED = (SECRET, SECRET_PLACEHOLDER)


def _inner_parts(sbs: str, separator: str, secret_part: Part, swapped: bool) -> tuple[Part, ...]:
    parts: list[Part] = [(VALUE, sbs)]
    if separator:
        parts.append((LITERAL, separator))
    parts.append(secret_part)
    if swapped:
        parts.reverse()
    return tuple(parts)


def _digest_part(digest: str, name: str = "inner digest") -> Part:
    return (DIGEST, f"<{name} {fingerprint(digest)}>")


def _outer_parts(
    inner_part: Part, ranstr: str, separator: str = "_", swapped: bool = False
) -> tuple[Part, ...]:
    parts: list[Part] = [inner_part]
    if separator:
        parts.append((LITERAL, separator))
    parts.append((VALUE, ranstr))
    if swapped:
        parts.reverse()
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What every hypothesis starts from; the secret and inner digest never show in ``repr``."""

    sbs: str
    ranstr: str
    secret: str = field(repr=False)
    raw_sbs: str | None
    raw_ranstr: str | None
    candidates: tuple[tuple[str, Secret], ...]
    #: Other links: (position, sbs, ranstr, text as given).
    batch: tuple[BatchEntry, ...]
    #: md5(sbs + "_" + AppSecret): a credential.
    inner: str = field(repr=False)
    expected: str
    #: The given sbs_mm (and its lower case): hypotheses whose candidates grow with
    #: the input (batches) yield only those that can match.
    targets: frozenset[str] = frozenset()


def _two_step(
    inputs: Inputs,
    variant: str,
    *,
    sbs: str | None = None,
    ranstr: str | None = None,
    secret: str | None = None,
    secret_part: Part = _MASKED,
    inner_separator: str = "_",
    outer_separator: str = "_",
    inner_swapped: bool = False,
    outer_swapped: bool = False,
    algorithm: str = "md5",
    inner_algorithm: str | None = None,
    inner_upper: bool = False,
    inner_encoding: str = "utf-8",
    outer_encoding: str = "utf-8",
    secret_label: str | None = None,
) -> Candidate | None:
    """The standard two-step construction with one or more things changed."""
    sbs = inputs.sbs if sbs is None else sbs
    ranstr = inputs.ranstr if ranstr is None else ranstr
    secret = inputs.secret if secret is None else secret
    inner_algorithm = inner_algorithm or algorithm
    pieces = [sbs, inner_separator, secret]
    if inner_swapped:
        pieces.reverse()
    try:
        inner_bytes = _encode("".join(pieces), inner_encoding)
    except UnicodeEncodeError:
        return None
    inner = _hash(inner_algorithm, inner_bytes)
    inner_text = inner.upper() if inner_upper else inner
    outer_pieces = [inner_text, outer_separator, ranstr]
    if outer_swapped:
        outer_pieces.reverse()
    try:
        outer_bytes = _encode("".join(outer_pieces), outer_encoding)
    except UnicodeEncodeError:
        return None
    digest = _hash(algorithm, outer_bytes)

    def steps() -> tuple[Step, ...]:
        inner_label = "inner digest (upper-cased)" if inner_upper else "inner digest"
        first = Step(
            "inner digest",
            inner_algorithm,
            _inner_parts(sbs, inner_separator, secret_part, inner_swapped),
            fingerprint(inner_text),
            inner_encoding,
        )
        second = Step(
            "sbs_mm",
            algorithm,
            _outer_parts(
                _digest_part(inner_text, inner_label), ranstr, outer_separator, outer_swapped
            ),
            digest,
            outer_encoding,
        )
        return (first, second)

    return Candidate(variant, digest, steps, secret_label)


def correct_steps(inputs: Inputs) -> tuple[Step, ...]:
    candidate = _two_step(inputs, "correct")
    assert candidate is not None  # UTF-8 with surrogatepass cannot fail
    return candidate.steps()


# ---------------------------------------------------------------------------
# The hypotheses


def _uppercase_hex(inputs: Inputs) -> Iterator[Candidate]:
    upper = inputs.expected.upper()
    yield Candidate(
        "MD5 hex digest upper-cased",
        upper,
        lambda: (
            *correct_steps(inputs),
            Step("upper-cased", "upper", ((VALUE, inputs.expected),), upper),
        ),
    )


def _uppercase_inner(inputs: Inputs) -> Iterator[Candidate]:
    candidate = _two_step(
        inputs, "inner digest in upper case before the second MD5", inner_upper=True
    )
    if candidate:
        yield candidate


#: Without the raw text, every subset of up to this many spaces is tried as '+'.
PLUS_SUBSET_LIMIT = 5


def _plus_readings(value: str, raw: str | None) -> list[str]:
    """Values the integrator may have signed where the page shows spaces for '+'."""
    if raw is not None:
        # With the raw text: exactly the '+' written in the link.
        return [form_decode(raw.replace("+", "%2B"))] if "+" in raw else []
    spaces = [i for i, ch in enumerate(value) if ch == " "]
    if not spaces:
        return []
    readings = [value.replace(" ", "+")]
    if len(spaces) <= PLUS_SUBSET_LIMIT:
        for mask in range(1, 2 ** len(spaces) - 1):
            chars = list(value)
            for bit, position in enumerate(spaces):
                if mask >> bit & 1:
                    chars[position] = "+"
            readings.append("".join(chars))
    return readings


def _plus_kept_literal(inputs: Inputs) -> Iterator[Candidate]:
    how = "with '+' kept where the page reads a space"
    sbs_readings = _plus_readings(inputs.sbs, inputs.raw_sbs)
    ranstr_readings = _plus_readings(inputs.ranstr, inputs.raw_ranstr)
    for sbs in sbs_readings:
        candidate = _two_step(inputs, f"sbs {how}: {sbs!r}", sbs=sbs)
        if candidate:
            yield candidate
    for ranstr in ranstr_readings:
        candidate = _two_step(inputs, f"ranstr {how}: {ranstr!r}", ranstr=ranstr)
        if candidate:
            yield candidate
    if sbs_readings and ranstr_readings:
        candidate = _two_step(
            inputs, f"sbs and ranstr {how}", sbs=sbs_readings[0], ranstr=ranstr_readings[0]
        )
        if candidate:
            yield candidate


def _encoded_forms(value: str, raw: str | None) -> list[tuple[str, str]]:
    forms: list[tuple[str, str]] = []
    if raw is not None:
        forms.append(("as written in the link", raw))
    encoded = quote(utf8(value), safe="")
    forms.append(("percent-encoded", encoded))
    forms.append(("percent-encoded with lower-case hex", lower_escapes(encoded)))
    forms.append(("form-encoded ('+' for space)", quote_plus(utf8(value), safe="")))
    seen = {value}
    unique: list[tuple[str, str]] = []
    for how, form in forms:
        if form not in seen:
            seen.add(form)
            unique.append((how, form))
    return unique


def lower_escapes(encoded: str) -> str:
    pieces = encoded.split("%")
    return pieces[0] + "".join("%" + p[:2].lower() + p[2:] for p in pieces[1:])


def _raw_encoded(inputs: Inputs) -> Iterator[Candidate]:
    sbs_forms = _encoded_forms(inputs.sbs, inputs.raw_sbs)
    ranstr_forms = _encoded_forms(inputs.ranstr, inputs.raw_ranstr)
    for how, sbs in sbs_forms:
        candidate = _two_step(inputs, f"sbs {how}: {sbs!r}", sbs=sbs)
        if candidate:
            yield candidate
    for how, ranstr in ranstr_forms:
        candidate = _two_step(inputs, f"ranstr {how}: {ranstr!r}", ranstr=ranstr)
        if candidate:
            yield candidate
    for (how_s, sbs), (how_r, ranstr) in zip(sbs_forms, ranstr_forms, strict=False):
        candidate = _two_step(
            inputs, f"sbs {how_s} and ranstr {how_r}", sbs=sbs, ranstr=ranstr
        )
        if candidate:
            yield candidate


#: Legacy encodings integrators' servers fall back to, in order of likelihood.
LEGACY_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("gbk", "GBK"),
    ("gb18030", "GB18030"),
    ("latin-1", "Latin-1"),
    ("cp1252", "Windows-1252"),
)


def _non_utf8(inputs: Inputs) -> Iterator[Candidate]:
    if inputs.sbs.isascii() and inputs.ranstr.isascii() and inputs.secret.isascii():
        return
    seen: set[str] = set()
    for codec, name in LEGACY_ENCODINGS:
        for where, inner, outer in (
            ("the first hashed string (sbs + '_' + AppSecret)", codec, "utf-8"),
            ("the second hashed string (inner digest + '_' + ranstr)", "utf-8", codec),
            ("both hashed strings", codec, codec),
        ):
            candidate = _two_step(
                inputs,
                f"{where} encoded as {name}",
                inner_encoding=inner,
                outer_encoding=outer,
            )
            if candidate and candidate.digest != inputs.expected and candidate.digest not in seen:
                seen.add(candidate.digest)
                yield candidate


def _whitespace_variants(secret: str) -> list[tuple[str, str, str]]:
    """``(how, variant secret, placeholder)`` for whitespace mistakes on ``secret``."""
    variants = [
        ("a trailing newline", secret + "\n", "<AppSecret>\\n"),
        ("a trailing CR LF", secret + "\r\n", "<AppSecret>\\r\\n"),
        ("a trailing space", secret + " ", "<AppSecret>␠"),
        ("two trailing spaces", secret + "  ", "<AppSecret>␠␠"),
        ("a trailing tab", secret + "\t", "<AppSecret>\\t"),
        ("a leading space", " " + secret, "␠<AppSecret>"),
    ]
    stripped = secret.strip()
    if stripped != secret and stripped:
        variants.insert(0, ("its surrounding whitespace trimmed", stripped, "<AppSecret trimmed>"))
        for how, text, label in (
            ("its trailing whitespace trimmed", secret.rstrip(), "<AppSecret right-trimmed>"),
            ("its leading whitespace trimmed", secret.lstrip(), "<AppSecret left-trimmed>"),
        ):
            if text not in (secret, stripped):  # never empty: ``stripped`` is not
                variants.insert(1, (how, text, label))
    return variants


def _secret_whitespace(inputs: Inputs) -> Iterator[Candidate]:
    for how, secret, placeholder in _whitespace_variants(inputs.secret):
        candidate = _two_step(
            inputs, f"the secret with {how}", secret=secret, secret_part=(SECRET, placeholder)
        )
        if candidate:
            yield candidate


def _missing_separator(inputs: Inputs) -> Iterator[Candidate]:
    for variant, inner_sep, outer_sep in (
        ("no '_' in either step", "", ""),
        ("no '_' between sbs and the secret", "", "_"),
        ("no '_' between the inner digest and ranstr", "_", ""),
    ):
        candidate = _two_step(
            inputs, variant, inner_separator=inner_sep, outer_separator=outer_sep
        )
        if candidate:
            yield candidate


#: Separators integrators write instead of ``_``.
WRONG_SEPARATORS: tuple[str, ...] = ("-", "|", ":", ",", ".", ";", "+", "&", "=", "/", " ", "__")


def _wrong_separator(inputs: Inputs) -> Iterator[Candidate]:
    for separator in WRONG_SEPARATORS:
        for variant, inner_sep, outer_sep in (
            (f"{separator!r} instead of '_' in both steps", separator, separator),
            (f"{separator!r} instead of '_' between sbs and the secret", separator, "_"),
            (f"{separator!r} instead of '_' before ranstr", "_", separator),
        ):
            candidate = _two_step(
                inputs, variant, inner_separator=inner_sep, outer_separator=outer_sep
            )
            if candidate:
                yield candidate


def _swapped_order(inputs: Inputs) -> Iterator[Candidate]:
    for variant, inner_swapped, outer_swapped in (
        ("secret before sbs: md5(AppSecret + '_' + sbs)", True, False),
        ("ranstr before the inner digest", False, True),
        ("both steps in reverse order", True, True),
    ):
        candidate = _two_step(
            inputs, variant, inner_swapped=inner_swapped, outer_swapped=outer_swapped
        )
        if candidate:
            yield candidate
    # sbs and ranstr exchanged: md5(md5(ranstr + "_" + secret) + "_" + sbs)
    if inputs.sbs != inputs.ranstr:
        candidate = _two_step(
            inputs, "sbs and ranstr exchanged", sbs=inputs.ranstr, ranstr=inputs.sbs
        )
        if candidate:
            yield candidate


def _single_md5(inputs: Inputs) -> Iterator[Candidate]:
    sbs, ranstr = inputs.sbs, inputs.ranstr
    orders: tuple[tuple[str, tuple[Part, ...]], ...] = (
        ("md5(sbs + '_' + AppSecret + '_' + ranstr)",
         ((VALUE, sbs), (LITERAL, "_"), _MASKED, (LITERAL, "_"), (VALUE, ranstr))),
        ("md5(sbs + AppSecret + ranstr)", ((VALUE, sbs), _MASKED, (VALUE, ranstr))),
        ("md5(sbs + '_' + ranstr + '_' + AppSecret)",
         ((VALUE, sbs), (LITERAL, "_"), (VALUE, ranstr), (LITERAL, "_"), _MASKED)),
        ("md5(AppSecret + '_' + sbs + '_' + ranstr)",
         (_MASKED, (LITERAL, "_"), (VALUE, sbs), (LITERAL, "_"), (VALUE, ranstr))),
    )
    for variant, parts in orders:
        text = "".join(inputs.secret if kind == SECRET else value for kind, value in parts)
        digest = md5_of(utf8(text))
        yield Candidate(
            variant,
            digest,
            lambda parts=parts, digest=digest: (Step("sbs_mm", "md5", parts, digest),),  # type: ignore[misc]
        )


def _hmac_md5(inputs: Inputs) -> Iterator[Candidate]:
    """HMAC-MD5 constructions a server might use instead of the two plain MD5s.

    1. inner = HMAC-MD5(key=AppSecret, sbs); sbs_mm = md5(inner + "_" + ranstr)
    2. inner as in 1; sbs_mm = HMAC-MD5(key=AppSecret, inner + "_" + ranstr)
    3. sbs_mm = HMAC-MD5(key=AppSecret, sbs + "_" + ranstr)
    4. inner = md5(sbs + "_" + AppSecret); sbs_mm = HMAC-MD5(key=inner, ranstr)
    5. sbs_mm = HMAC-MD5(key=AppSecret, md5(sbs + "_" + AppSecret) + "_" + ranstr)
    """
    key = utf8(inputs.secret)
    sbs, ranstr = inputs.sbs, inputs.ranstr

    def mac(k: bytes, message: str) -> str:
        return hmac.new(k, utf8(message), "md5").hexdigest()

    hinner = mac(key, sbs)
    inner_step = Step(
        "inner digest", HMAC_MD5, ((VALUE, sbs),), fingerprint(hinner), key=SECRET_PLACEHOLDER
    )
    d1 = md5_of(utf8(f"{hinner}_{ranstr}"))
    yield Candidate(
        "inner digest = HMAC-MD5(key=AppSecret, sbs), then md5(inner + '_' + ranstr)",
        d1,
        lambda: (inner_step, Step("sbs_mm", "md5", _outer_parts(_digest_part(hinner), ranstr), d1)),
    )
    d2 = mac(key, f"{hinner}_{ranstr}")
    yield Candidate(
        "HMAC-MD5 keyed with the AppSecret in both steps",
        d2,
        lambda: (
            inner_step,
            Step(
                "sbs_mm",
                HMAC_MD5,
                _outer_parts(_digest_part(hinner), ranstr),
                d2,
                key=SECRET_PLACEHOLDER,
            ),
        ),
    )
    d3 = mac(key, f"{sbs}_{ranstr}")
    yield Candidate(
        "one HMAC-MD5(key=AppSecret, sbs + '_' + ranstr)",
        d3,
        lambda: (
            Step(
                "sbs_mm",
                HMAC_MD5,
                ((VALUE, sbs), (LITERAL, "_"), (VALUE, ranstr)),
                d3,
                key=SECRET_PLACEHOLDER,
            ),
        ),
    )
    d4 = mac(inputs.inner.encode("ascii"), ranstr)
    yield Candidate(
        "HMAC-MD5(key=inner digest, ranstr)",
        d4,
        lambda: (
            correct_steps(inputs)[0],
            Step(
                "sbs_mm",
                HMAC_MD5,
                ((VALUE, ranstr),),
                d4,
                key=f"<inner digest {fingerprint(inputs.inner)}>",
            ),
        ),
    )
    d5 = mac(key, f"{inputs.inner}_{ranstr}")
    yield Candidate(
        "plain inner MD5, then HMAC-MD5(key=AppSecret, inner + '_' + ranstr)",
        d5,
        lambda: (
            correct_steps(inputs)[0],
            Step(
                "sbs_mm",
                HMAC_MD5,
                _outer_parts(_digest_part(inputs.inner), ranstr),
                d5,
                key=SECRET_PLACEHOLDER,
            ),
        ),
    )


def _other_algorithm(algorithm: str, name: str, inputs: Inputs) -> Iterator[Candidate]:
    # Bound to each algorithm with functools.partial, not a closure made at import, so the
    # code runs when a diagnosis asks (and mutation testing, which forks after import, sees it).
    for variant, inner_algorithm, outer_algorithm in (
        (f"{name} in both steps", algorithm, algorithm),
        (f"{name} for the outer step only", "md5", algorithm),
        (f"{name} for the inner step only", algorithm, "md5"),
    ):
        candidate = _two_step(
            inputs, variant, algorithm=outer_algorithm, inner_algorithm=inner_algorithm
        )
        if candidate:
            yield candidate


def _raw_digest_bytes(inputs: Inputs) -> Iterator[Candidate]:
    raw = bytes.fromhex(inputs.inner)
    ranstr = inputs.ranstr
    for variant, separator in (
        ("md5(raw 16 digest bytes + '_' + ranstr)", b"_"),
        ("md5(raw 16 digest bytes + ranstr)", b""),
    ):
        digest = md5_of(raw + separator + utf8(ranstr))
        sep = separator.decode()
        yield Candidate(
            variant,
            digest,
            lambda digest=digest, sep=sep: (  # type: ignore[misc]
                correct_steps(inputs)[0],
                Step(
                    "sbs_mm",
                    "md5",
                    _outer_parts(_digest_part(inputs.inner, "16 raw bytes of inner digest"),
                                 ranstr, sep),
                    digest,
                ),
            ),
        )


def _other_secret(inputs: Inputs) -> Iterator[Candidate]:
    for label, secret in inputs.candidates:
        candidate = _two_step(
            inputs,
            f"candidate secret {label!r}",
            secret=secret.reveal(),
            secret_part=(SECRET, f"<candidate secret {label}>"),
            secret_label=label,
        )
        if candidate:
            yield candidate


def _other_link_values(inputs: Inputs) -> Iterator[Candidate]:
    # The hot loop of batch audits: one MD5 per mix-up, and a candidate (with
    # its steps) only where the digest can match.
    sbs, ranstr, secret = inputs.sbs, inputs.ranstr, inputs.secret
    inner_of: dict[str, str] = {}
    for index, other_sbs, other_ranstr, text in inputs.batch:
        mixes: list[tuple[str, str, str, str]] = []
        if other_sbs is not None and other_sbs != sbs:
            other_inner = inner_of.get(other_sbs, "")
            if not other_inner:
                other_inner = md5_of(utf8(f"{other_sbs}_{secret}"))
                inner_of[other_sbs] = other_inner
            mixes.append(("the sbs", other_sbs, ranstr, other_inner))
            if other_ranstr is not None and other_ranstr != ranstr:
                mixes.append(("the sbs and ranstr", other_sbs, other_ranstr, other_inner))
        if other_ranstr is not None and other_ranstr != ranstr:
            mixes.append(("the ranstr", sbs, other_ranstr, inputs.inner))
        for what, mixed_sbs, mixed_ranstr, inner in mixes:
            candidate = _mixed(inputs, what, index, text, mixed_sbs, mixed_ranstr, inner)
            if candidate is not None:
                yield candidate


def _mixed(
    inputs: Inputs, what: str, index: int, text: str, sbs: str, ranstr: str, inner: str
) -> Candidate | None:
    digest = md5_of(utf8(f"{inner}_{ranstr}"))
    if inputs.targets and digest not in inputs.targets:
        return None
    variant = f"{what} of batch link {index + 1}"

    def steps() -> tuple[Step, ...]:
        candidate = _two_step(inputs, variant, sbs=sbs, ranstr=ranstr)
        assert candidate is not None  # UTF-8 with surrogatepass cannot fail
        return candidate.steps()

    return Candidate(variant, digest, steps, batch_index=index, batch_link=text)


#: Every hypothesis, in order of precedence: when several reproduce the given
#: value, the earlier (more specific, more common) one is named first.
HYPOTHESES: tuple[Hypothesis, ...] = (
    Hypothesis(
        "uppercase-hex",
        "sbs_mm was computed with upper-case hex digits",
        "write the MD5 hex digest in lower case (e.g. .hexdigest() / strtolower(md5(...)))",
        _uppercase_hex,
        "the correct digest in upper case; any other hypothesis whose result matches once the "
        "given value is read in lower case is reported with this one",
    ),
    Hypothesis(
        "uppercase-inner-digest",
        "the inner digest md5(sbs + '_' + AppSecret) was upper-cased before the second MD5",
        "use the inner digest as 32 lower-case hex characters in the second MD5",
        _uppercase_inner,
        "md5(MD5HEX(sbs + '_' + AppSecret) + '_' + ranstr)",
    ),
    Hypothesis(
        "plus-kept-literal",
        "sbs or ranstr was signed with a literal '+' that the page reads as a space",
        "percent-encode the values when building the link ('+' as %2B, space as %20), "
        "or sign the value as the page decodes it",
        _plus_kept_literal,
        "sbs / ranstr with every '+' written in the link kept as '+' (without the raw text: every"
        " space, and each subset of up to 5 spaces, as '+')",
    ),
    Hypothesis(
        "raw-encoded-values",
        "the percent-encoded text of sbs or ranstr was hashed instead of the decoded value",
        "hash the plain values, and percent-encode them only when putting them in the URL",
        _raw_encoded,
        "sbs / ranstr as written in the link, percent-encoded (upper- or lower-case hex), form-"
        "encoded ('+' for space); each alone and both",
    ),
    Hypothesis(
        "non-utf8-encoding",
        "the strings were hashed in a legacy encoding (GBK, GB18030, Latin-1) instead of UTF-8",
        "encode the strings as UTF-8 before hashing",
        _non_utf8,
        "GBK, GB18030, Latin-1, Windows-1252 bytes for the first, the second or both hashed "
        "strings, where the text is encodable",
    ),
    Hypothesis(
        "secret-whitespace",
        "the AppSecret used had extra or missing whitespace (a trailing newline or spaces "
        "from a file or environment, or trimmed)",
        "strip the newline/spaces read with the secret (or stop trimming it) so it is exactly "
        "the AppSecret",
        _secret_whitespace,
        "secret + '\\n', '\\r\\n', ' ', '  ', '\\t', or a leading ' '; a secret that has "
        "surrounding whitespace trimmed (both ends, right, left)",
    ),
    Hypothesis(
        "missing-separator",
        "sbs_mm was computed without the '_' separator",
        "join with '_': md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)",
        _missing_separator,
        "no '_' in either step, in the first only, in the second only",
    ),
    Hypothesis(
        "wrong-separator",
        "sbs_mm was computed with a different separator than '_'",
        "join with '_': md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)",
        _wrong_separator,
        "'-', '|', ':', ',', '.', ';', '+', '&', '=', '/', ' ', '__' in both steps, the first "
        "only or the second only",
    ),
    Hypothesis(
        "swapped-order",
        "the parts of a hashed string were put in the wrong order",
        "keep the order: md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)",
        _swapped_order,
        "md5(AppSecret + '_' + sbs); ranstr before the inner digest; both; sbs and ranstr "
        "exchanged",
    ),
    Hypothesis(
        "single-md5",
        "sbs_mm was computed as one MD5 over the concatenation instead of two nested MD5s",
        "hash twice: inner = md5(sbs + '_' + AppSecret), sbs_mm = md5(inner + '_' + ranstr)",
        _single_md5,
        "md5(sbs_AppSecret_ranstr), md5(sbs + AppSecret + ranstr), md5(sbs_ranstr_AppSecret), "
        "md5(AppSecret_sbs_ranstr)",
    ),
    Hypothesis(
        "hmac-md5",
        "sbs_mm was computed with HMAC-MD5 instead of plain MD5",
        "use plain MD5 of the concatenated strings, not HMAC",
        _hmac_md5,
        "HMAC-MD5(key=AppSecret, sbs) as the inner digest then plain MD5; HMAC-MD5 keyed with the"
        " AppSecret in both steps; one HMAC-MD5(AppSecret, sbs + '_' + ranstr); HMAC-"
        "MD5(key=inner digest, ranstr); plain inner MD5 then HMAC-MD5(AppSecret, inner + '_' + "
        "ranstr)",
    ),
    Hypothesis(
        "sha1",
        "sbs_mm was computed with SHA-1 instead of MD5",
        "use MD5 in both steps (32 hex characters)",
        functools.partial(_other_algorithm, "sha1", "SHA-1"),
        "SHA-1 in both steps, the outer step only, the inner step only (a 40-hex sbs_mm also "
        "suggests it)",
    ),
    Hypothesis(
        "sha256",
        "sbs_mm was computed with SHA-256 instead of MD5",
        "use MD5 in both steps (32 hex characters)",
        functools.partial(_other_algorithm, "sha256", "SHA-256"),
        "SHA-256 in both steps, the outer step only, the inner step only (a 64-hex sbs_mm also "
        "suggests it)",
    ),
    Hypothesis(
        "raw-digest-bytes",
        "the inner digest was used as 16 raw bytes instead of its 32 hex characters",
        "use the inner digest's hex string (hexdigest(), not digest())",
        _raw_digest_bytes,
        "md5(16 raw inner digest bytes + '_' + ranstr), and without the '_'",
    ),
    Hypothesis(
        "other-secret",
        "sbs_mm was signed with another secret from the candidate list",
        "sign with the AppSecret of this app and environment (check staging vs production, "
        "or a rotated secret)",
        _other_secret,
        "the correct construction with each candidate secret (labelled; the label is reported, "
        "never the value)",
    ),
    Hypothesis(
        "other-link-values",
        "sbs_mm was computed from the sbs or ranstr of another link in the batch",
        "sign each link with its own sbs and ranstr (check for shared or cached variables)",
        _other_link_values,
        "the sbs, the ranstr, or both of each other link in the batch",
    ),
)

HYPOTHESIS_IDS: tuple[str, ...] = tuple(h.id for h in HYPOTHESES)
_BY_ID: dict[str, Hypothesis] = {h.id: h for h in HYPOTHESES}


def hypotheses_markdown() -> str:
    """The hypothesis catalogue as a Markdown table, in order of precedence (for the docs)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        "| # | id | what the integrator's code did | constructions tried | fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    for number, item in enumerate(HYPOTHESES, start=1):
        rows.append(
            f"| {number} | `{item.id}` | {cell(item.description)} | {cell(item.tries)} "
            f"| {cell(item.fix)} |"
        )
    return "\n".join(rows) + "\n"


def hypothesis(hypothesis_id: str) -> Hypothesis:
    """The hypothesis with this id; ``KeyError`` where there is none."""
    return _BY_ID[hypothesis_id]


# What a diagnosis found (diagnose.py finds it; the explain renderers show it) -------------


@dataclass(frozen=True, slots=True)
class Match:
    """A hypothesis that reproduces the given ``sbs_mm``."""

    hypothesis: str
    description: str
    fix: str
    variant: str
    steps: tuple[Step, ...]
    #: The given value matches only once its hex digits are read in lower case.
    uppercase: bool = False
    #: Label of the candidate secret that reproduces it (never its value).
    secret_label: str | None = None
    #: Position (0-based) and text of the batch link whose values were used.
    batch_index: int | None = None
    batch_link: str | None = None


@dataclass(frozen=True)
class Diagnosis:
    """The outcome of checking one signature, and on a mismatch its likely cause."""

    ok: bool
    expected: str
    given: str
    sbs: str
    ranstr: str
    #: Hypothesis ids that reproduce ``given``, best first.
    matches: tuple[str, ...]
    #: The correct computation, secret and inner digest masked.
    steps: tuple[Step, ...]
    headline: str
    details: tuple[Match, ...] = ()
    #: What is wrong with the shape of ``given`` (case, length, characters), if anything.
    given_problem: str | None = None
    #: Hypotheses the shape of ``given`` points to (length 40 → sha1 ...).
    suggested: tuple[str, ...] = ()
    raw_sbs: str | None = None
    raw_ranstr: str | None = None
    #: Length and a short SHA-256 fingerprint of the secret, to confirm which one was used.
    secret_length: int = 0
    secret_fingerprint: str = ""
    #: How the native SDK's web view sees it, where that differs from a browser.
    sdk: SdkView | None = None
    _secrets: tuple[Secret, ...] = field(default=(), repr=False, compare=False)

    @property
    def match(self) -> Match | None:
        """The best match, if any."""
        return self.details[0] if self.details else None

    @functools.cached_property
    def _redaction(self) -> re.Pattern[str] | None:
        return Keyring.of(candidates=self._secrets).spelling_pattern

    def redact(self, text: str) -> str:
        """``text`` with every secret involved (in every spelling an encoder writes) masked."""
        pattern = self._redaction
        return text if pattern is None else pattern.sub(SECRET_PLACEHOLDER, text)


@dataclass(frozen=True, slots=True)
class SdkView:
    """The signature as the page inside the native SDK's web view checks it.

    The SDK re-reads the query without turning ``+`` into a space and rejects
    bad escapes, so ``sbs=john+doe`` verifies in a browser and fails in the app.
    """

    #: The values the page sees there; None where the SDK rejects the raw text.
    sbs: str | None
    ranstr: str | None
    #: Whether the signature verifies there; None where the SDK rejects the link.
    ok: bool | None
