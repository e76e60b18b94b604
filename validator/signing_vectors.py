"""Test vectors for the ``sbs_mm`` signature, in the manner of Project Wycheproof.

Valid vectors are the signature of values that trip up implementations
(spaces, ``+``, ``&``, ``=``, ``%``, non-ASCII in NFC and NFD, emoji, empty and
long values). Invalid vectors hold the ``sbs_mm`` a server making one known
mistake produces, computed by that mistake's entry in the catalogue of
signature mistakes, so the vectors and the diagnosis cannot drift apart.

Every vector has a stable ``id``: ids are written in the tables below, never
derived from positions, and a vector is only ever added, never renumbered.
The secrets here are test values published with the vectors, not credentials.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from validator.mistakes import Inputs, hypothesis, md5_of, utf8
from validator.signature import Secret, sign

ALGORITHM = "sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)"

#: Bumped whenever the document's shape changes (not when vectors are added).
SCHEMA_VERSION = 1

_SECRET = "demo-secret-4f1a9c"
_STAGING_SECRET = "staging-secret-77e0b2"
_RANSTR = "Wd3nB6yHs0QeT9cJ"


@dataclass(frozen=True, slots=True)
class Values:
    """What is signed: ``sbs`` and ``ranstr`` as the page decodes them, and the secret."""

    id: str
    comment: str
    sbs: str
    ranstr: str = _RANSTR
    secret: str = _SECRET


#: The valid vectors: the right signature of values implementations get wrong.
VALID: tuple[Values, ...] = (
    Values("ascii", "plain ASCII digits", "42"),
    Values("ascii-email", "an e-mail address as the customer id", "john.doe@example.com"),
    Values("space", "a space (written %20 in the link, signed as a space)", "john doe"),
    Values("plus", "a literal '+' (written %2B in the link)", "john+doe"),
    Values("plus-and-space", "'+' and a space side by side", "a+b c"),
    Values("ampersand", "'&' (written %26 in the link)", "Tom&Jerry"),
    Values("equals", "'=' (written %3D in the link)", "key=value"),
    Values("percent", "a literal '%' (written %25 in the link)", "100%"),
    Values("percent-escape-text", "text that looks like an escape, signed as written", "%41%2B"),
    Values("query-like", "a whole query string as the value", "a=1&b=2+3 c"),
    Values("underscore", "'_', the separator itself, in the value", "user_42_"),
    Values("reserved", "every RFC 3986 reserved character", ":/?#[]@!$&'()*+,;="),
    Values("nfc", "non-ASCII in NFC: é as U+00E9", unicodedata.normalize("NFC", "José")),
    Values("nfd", "non-ASCII in NFD: e + U+0301 (a different signature from NFC)",
           unicodedata.normalize("NFD", "José")),
    Values("cjk", "Chinese characters (three UTF-8 bytes each)", "张三"),
    Values("cyrillic", "Cyrillic letters", "Иван Петров"),
    Values("emoji", "an emoji outside the BMP (four UTF-8 bytes, a UTF-16 pair)", "🙂 ok"),
    Values("emoji-zwj", "an emoji ZWJ sequence", "👩\u200d💻"),
    Values("control", "a newline and a tab (written %0A, %09)", "line1\nline2\tend"),
    Values("empty-sbs", "an empty sbs", ""),
    Values("empty-ranstr", "an empty ranstr", "42", ranstr=""),
    Values("long", "a 1000-character sbs", "0123456789" * 100),
    Values("long-ranstr", "a 256-character ranstr", "42", ranstr="Ab3-_" * 51 + "Z"),
    Values("ranstr-base64url", "a generated ranstr (URL-safe base64)", "42",
           ranstr="q8Z-3_kLm0PxY7tWv2Rn9sBc"),
    Values("ranstr-special", "ranstr with '+', '/', '=' (standard base64)", "42",
           ranstr="q8Z+3/kLm0PxY7tWv2Rn9s=="),
    Values("secret-symbols", "a secret with symbols", "42", secret="s3cr3t_!@#$%^&*()"),
    Values("secret-non-ascii", "a non-ASCII secret (hashed as UTF-8)", "42",
           secret="sécret-ключ-密钥"),
)


@dataclass(frozen=True, slots=True)
class MistakeCase:
    """An invalid vector: the values of a valid case, signed with one mistake.

    Without ``variant``, the mistake's first variant that changes the
    signature; with it, the variant whose description starts so, and ``name``
    ends the vector's id.
    """

    mistake: str
    base: str
    variant: str | None = None
    name: str | None = None

    @property
    def id(self) -> str:
        head = f"{self.mistake}/{self.base}"
        return head if self.name is None else f"{head}/{self.name}"


#: The invalid vectors: (mistake id, valid case whose values it signs wrongly).
INVALID: tuple[MistakeCase, ...] = (
    MistakeCase("uppercase-hex", "ascii"),
    MistakeCase("uppercase-hex", "cjk"),
    MistakeCase("uppercase-inner-digest", "ascii"),
    MistakeCase("uppercase-inner-digest", "ascii-email"),
    MistakeCase("single-md5", "ascii"),
    MistakeCase("single-md5", "space"),
    MistakeCase("missing-separator", "ascii"),
    MistakeCase("missing-separator", "underscore"),
    MistakeCase("wrong-separator", "ascii"),
    MistakeCase("wrong-separator", "nfc"),
    MistakeCase("swapped-order", "ascii"),
    MistakeCase("swapped-order", "emoji"),
    MistakeCase("hmac-md5", "ascii"),
    MistakeCase("hmac-md5", "secret-non-ascii"),
    MistakeCase("sha1", "ascii"),
    MistakeCase("sha256", "ascii"),
    MistakeCase("secret-whitespace", "ascii"),
    MistakeCase("secret-whitespace", "secret-symbols"),
    MistakeCase("raw-encoded-values", "space"),
    MistakeCase("raw-encoded-values", "nfc"),
    MistakeCase("raw-encoded-values", "ampersand"),
    MistakeCase("raw-encoded-values", "ranstr-special"),
    MistakeCase("plus-kept-literal", "space"),
    MistakeCase("plus-kept-literal", "query-like"),
    MistakeCase("non-utf8-encoding", "nfc"),
    MistakeCase("non-utf8-encoding", "cjk"),
    MistakeCase("non-utf8-encoding", "secret-non-ascii"),
    MistakeCase("raw-digest-bytes", "ascii"),
    MistakeCase("other-secret", "ascii"),
    MistakeCase("other-link-values", "ascii"),
    # The other variants of a mistake, each a way implementations really go wrong.
    MistakeCase("missing-separator", "ascii", "no '_' between sbs and the secret", "inner-only"),
    MistakeCase("missing-separator", "ascii", "no '_' between the inner digest and ranstr",
                "outer-only"),
    MistakeCase("wrong-separator", "ascii", "'|' instead of '_' in both steps", "pipe"),
    MistakeCase("wrong-separator", "ascii", "':' instead of '_' before ranstr", "colon-outer"),
    MistakeCase("swapped-order", "ascii", "ranstr before the inner digest", "outer"),
    MistakeCase("swapped-order", "ascii", "sbs and ranstr exchanged", "values-exchanged"),
    MistakeCase("single-md5", "ascii", "md5(sbs + AppSecret + ranstr)", "no-separators"),
    MistakeCase("hmac-md5", "ascii", "HMAC-MD5 keyed with the AppSecret in both steps",
                "both-steps"),
    MistakeCase("hmac-md5", "ascii", "one HMAC-MD5(key=AppSecret, sbs + '_' + ranstr)",
                "one-step"),
    MistakeCase("sha1", "ascii", "SHA-1 for the outer step only", "outer-only"),
    MistakeCase("sha256", "ascii", "SHA-256 for the inner step only", "inner-only"),
    MistakeCase("secret-whitespace", "ascii", "the secret with a trailing CR LF", "crlf"),
    MistakeCase("raw-digest-bytes", "ascii", "md5(raw 16 digest bytes + ranstr)", "no-separator"),
    MistakeCase("raw-encoded-values", "nfc", "sbs percent-encoded with lower-case hex",
                "lower-case-hex"),
    MistakeCase("non-utf8-encoding", "nfc",
                "the first hashed string (sbs + '_' + AppSecret) encoded as Latin-1", "latin-1"),
)

#: The other link of a batch, whose values ``other-link-values`` mixes in.
_OTHER_LINK_SBS = "43"


def vectors() -> dict[str, Any]:
    """The test-vector document: ``{"algorithm", "vectors": [...], ...}``, as JSON data."""
    by_id = {case.id: case for case in VALID}
    items: list[dict[str, Any]] = []
    for case in VALID:
        items.append(
            _vector(case.id, case.comment, case, sign(case.sbs, case.ranstr, case.secret), None)
        )
    for mistake in INVALID:
        base = by_id[mistake.base]
        variant, digest = _mistaken(mistake, base)
        item = hypothesis(mistake.mistake)
        comment = f"{item.description}: {variant} (values of '{base.id}')"
        items.append(_vector(mistake.id, comment, base, digest, mistake))
    return {
        "algorithm": ALGORITHM,
        "schema_version": SCHEMA_VERSION,
        "header": [
            "sbs and ranstr are the values the page decodes from the link; hex digests are "
            "lower case; strings are hashed as UTF-8.",
            "A correct implementation reproduces sbs_mm for every valid vector and a different "
            "value for every invalid one (sbs_mm is then what the named mistake produces).",
            "The secrets are published test values, not credentials.",
        ],
        "number_of_vectors": len(items),
        "mistakes": {
            mistake_id: {"description": hypothesis(mistake_id).description,
                         "fix": hypothesis(mistake_id).fix}
            for mistake_id in dict.fromkeys(m.mistake for m in INVALID)
        },
        "vectors": items,
    }


def _vector(
    vector_id: str, comment: str, values: Values, sbs_mm: str, mistake: MistakeCase | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": vector_id,
        "comment": comment,
        "sbs": values.sbs,
        "ranstr": values.ranstr,
        "secret": values.secret,
        "sbs_mm": sbs_mm,
        "valid": mistake is None,
    }
    if mistake is not None:
        item["mistake"] = mistake.mistake
    return item


def _mistaken(mistake: MistakeCase, values: Values) -> tuple[str, str]:
    """The variant of the mistake that the case names, and the ``sbs_mm`` it gives."""
    mistake_id = mistake.mistake
    inner = md5_of(utf8(f"{values.sbs}_{values.secret}"))
    expected = md5_of(utf8(f"{inner}_{values.ranstr}"))
    inputs = Inputs(
        sbs=values.sbs,
        ranstr=values.ranstr,
        secret=values.secret,
        raw_sbs=None,
        raw_ranstr=None,
        candidates=(("staging", Secret(_STAGING_SECRET)),),
        batch=((1, _OTHER_LINK_SBS, None, f"the link signed for sbs={_OTHER_LINK_SBS}"),),
        inner=inner,
        expected=expected,
    )
    for candidate in hypothesis(mistake_id).candidates(inputs):
        if mistake.variant is not None and not candidate.variant.startswith(mistake.variant):
            continue
        folded = candidate.digest.lower()
        if candidate.digest != expected and (folded != expected or mistake_id == "uppercase-hex"):
            return candidate.variant, candidate.digest
    raise ValueError(f"no variant of {mistake_id!r} changes the signature of {mistake.id!r}")
