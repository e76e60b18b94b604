"""Signature diagnosis: is ``sbs_mm`` right, and if not, which mistake produced it.

The correct rule is ``md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)``, lower-case
hex, UTF-8 of the values the page decodes. On a mismatch every entry of
:data:`~validator.mistakes.HYPOTHESES` recomputes the signature the way a
mistaken server would; the ones that reproduce the given value are reported,
best first, or the cause is honestly unknown.

Nothing here ever holds the secret in a string meant for output: hashed strings
show it as ``<AppSecret>``, the inner digest only by its fingerprint, and every
string rendered from a :class:`Diagnosis` passes through :meth:`Diagnosis.redact`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from validator import arguments
from validator.keyring import Keyring
from validator.limits import check_link_length
from validator.mistakes import (
    DIGEST,
    HYPOTHESES,
    HYPOTHESIS_IDS,
    LITERAL,
    SECRET,
    SECRET_PLACEHOLDER,
    VALUE,
    Diagnosis,
    Hypothesis,
    Inputs,
    Match,
    SdkView,
    Step,
    correct_steps,
    hypotheses_markdown,
    hypothesis,
    md5_of,
    utf8,
)
from validator.model import DirectLink
from validator.parse import parse
from validator.query import percent_decode_strict
from validator.signature import Secret, as_secret, fingerprint, require_secret

__all__ = [
    "DIGEST",
    "HYPOTHESES",
    "HYPOTHESIS_IDS",
    "LITERAL",
    "SECRET",
    "SECRET_PLACEHOLDER",
    "UNKNOWN_CAUSE",
    "VALUE",
    "Cause",
    "Diagnosis",
    "ExplainError",
    "Hypothesis",
    "Match",
    "SdkView",
    "Step",
    "diagnose_signature",
    "diagnosis_to_dict",
    "explain",
    "given_problem",
    "hypotheses_markdown",
    "hypothesis",
    "signature_cause",
]

UNKNOWN_CAUSE = "No known mistake reproduces the given sbs_mm (unknown cause)."
_WHITESPACE_HEADLINE = (
    "sbs_mm is the right signature but has whitespace around it, which the page keeps: "
    "remove it."
)

_HEX = frozenset(string.hexdigits)
_LOWER_HEX = frozenset("0123456789abcdef")


class ExplainError(ValueError):
    """The link cannot be explained (no signature in it); never quotes a secret."""


# ---------------------------------------------------------------------------
# Diagnosis


def given_problem(sbs_mm: str) -> tuple[str | None, tuple[str, ...]]:
    """What is wrong with the shape of ``sbs_mm`` and the hypotheses it suggests."""
    if sbs_mm == "":
        return "sbs_mm is empty", ()
    stripped = sbs_mm.strip()
    if stripped != sbs_mm:
        return "sbs_mm has whitespace around it", ()
    if not all(ch in _HEX for ch in sbs_mm):
        bad = next(ch for ch in sbs_mm if ch not in _HEX)
        return f"sbs_mm holds {bad!r}, which is not a hex digit", ()
    length = len(sbs_mm)
    if length == 40:
        return "sbs_mm has 40 hex digits, the length of a SHA-1 digest (MD5 gives 32)", ("sha1",)
    if length == 64:
        return (
            "sbs_mm has 64 hex digits, the length of a SHA-256 digest (MD5 gives 32)",
            ("sha256",),
        )
    if length != 32:
        return f"sbs_mm has {length} hex digits; an MD5 digest has 32", ()
    if not all(ch in _LOWER_HEX for ch in sbs_mm):
        return "sbs_mm has upper-case hex digits; the page expects lower case", ("uppercase-hex",)
    return None, ()


def _link_values(link: DirectLink) -> tuple[str | None, str | None, str]:
    return (link.sbs, link.ranstr, link.text)


@functools.lru_cache(maxsize=65536)
def _batch_values(url: str) -> tuple[str | None, str | None, str]:
    # Batch diagnoses (audits) pass the same other links for every mismatch:
    # parse each once, keep only what the diagnosis needs.
    return _link_values(parse(url))


def _labelled(
    candidates: Mapping[str, Secret | str] | Iterable[Secret | str],
) -> tuple[tuple[str, Secret], ...]:
    return tuple(Keyring.of(candidates=candidates).candidates.items())


def _inputs(
    sbs: str,
    ranstr: str,
    sbs_mm: str,
    secret: Secret,
    labelled: tuple[tuple[str, Secret], ...],
    batch: Iterable[str | DirectLink],
    raw_sbs: str | None,
    raw_ranstr: str | None,
) -> Inputs:
    own = secret.reveal()
    inner = md5_of(utf8(f"{sbs}_{own}"))
    links = tuple(
        (index, *(_batch_values(item) if isinstance(item, str) else _link_values(item)))
        for index, item in enumerate(batch)
    )
    return Inputs(
        sbs=sbs,
        ranstr=ranstr,
        secret=own,
        raw_sbs=raw_sbs,
        raw_ranstr=raw_ranstr,
        candidates=tuple((label, s) for label, s in labelled if s.reveal() != own),
        batch=links,
        inner=inner,
        expected=md5_of(utf8(f"{inner}_{ranstr}")),
        targets=frozenset({sbs_mm.strip(), sbs_mm.strip().lower()}),
    )


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a signature is wrong, as :func:`diagnose_signature` names it first."""

    #: The first hypothesis that reproduces the given ``sbs_mm``; None where none does.
    hypothesis: str | None
    #: The diagnosis' one-sentence headline.
    headline: str


def signature_cause(
    sbs: str,
    ranstr: str,
    sbs_mm: str,
    secret: Secret | str,
    *,
    batch: Iterable[str | DirectLink] = (),
    raw_sbs: str | None = None,
    raw_ranstr: str | None = None,
) -> Cause | None:
    """The headline and first match of :func:`diagnose_signature`, or None where ``sbs_mm``
    is right; it stops at the first hypothesis that matches and builds no steps for the
    others. Without ``batch``, each distinct (values, secret) is diagnosed once a process.
    """
    secret = as_secret(secret)
    if not batch:
        return _cached_cause(sbs, ranstr, sbs_mm, secret, raw_sbs, raw_ranstr)
    return _cause(sbs, ranstr, sbs_mm, secret, tuple(batch), raw_sbs, raw_ranstr)


@functools.lru_cache(maxsize=4096)
def _cached_cause(
    sbs: str,
    ranstr: str,
    sbs_mm: str,
    secret: Secret,
    raw_sbs: str | None,
    raw_ranstr: str | None,
) -> Cause | None:
    return _cause(sbs, ranstr, sbs_mm, secret, (), raw_sbs, raw_ranstr)


def _cause(
    sbs: str,
    ranstr: str,
    sbs_mm: str,
    secret: Secret,
    batch: tuple[str | DirectLink, ...],
    raw_sbs: str | None,
    raw_ranstr: str | None,
) -> Cause | None:
    inputs = _inputs(sbs, ranstr, sbs_mm, secret, (), batch, raw_sbs, raw_ranstr)
    if hmac.compare_digest(utf8(inputs.expected), utf8(sbs_mm)):
        return None
    if sbs_mm.strip() == inputs.expected:
        return Cause(None, _WHITESPACE_HEADLINE)
    first = _find_matches(inputs, sbs_mm.strip(), first_only=True)
    if not first:
        return Cause(None, UNKNOWN_CAUSE)
    return Cause(first[0].hypothesis, _headline(first[0]))


def diagnose_signature(
    sbs: str,
    ranstr: str,
    sbs_mm: str,
    secret: Secret | str,
    *,
    candidates: Mapping[str, Secret | str] | Iterable[Secret | str] = (),
    batch: Iterable[str | DirectLink] = (),
    raw_sbs: str | None = None,
    raw_ranstr: str | None = None,
) -> Diagnosis:
    """Check ``sbs_mm`` for ``sbs``/``ranstr`` and, on a mismatch, find the mistake.

    ``sbs`` and ``ranstr`` are the values the page decodes; ``raw_sbs`` and
    ``raw_ranstr`` their text as written in the link, where known.
    ``candidates`` are other secrets to try (a mapping of label to secret, or
    secrets labelled ``candidate 1``...); ``batch`` other links whose values
    may have been mixed up.
    """
    secret = as_secret(secret)
    labelled = _labelled(candidates)
    inputs = _inputs(sbs, ranstr, sbs_mm, secret, labelled, batch, raw_sbs, raw_ranstr)
    own, expected = inputs.secret, inputs.expected
    problem, suggested = given_problem(sbs_mm)
    ok = hmac.compare_digest(utf8(expected), utf8(sbs_mm))
    secrets = (secret, *(s for _, s in labelled))
    common = {
        "expected": expected,
        "given": sbs_mm,
        "sbs": sbs,
        "ranstr": ranstr,
        "steps": correct_steps(inputs),
        "raw_sbs": raw_sbs,
        "raw_ranstr": raw_ranstr,
        "secret_length": len(own),
        "secret_fingerprint": fingerprint(hashlib.sha256(utf8(own)).hexdigest()),
        "sdk": _sdk_view(inputs, sbs_mm),
        "_secrets": secrets,
    }
    if ok:
        return Diagnosis(
            ok=True, matches=(), headline="The signature is correct.", **common  # type: ignore[arg-type]
        )
    if sbs_mm.strip() == expected:
        return Diagnosis(
            ok=False,
            matches=(),
            headline=_WHITESPACE_HEADLINE,
            given_problem=problem,
            **common,  # type: ignore[arg-type]
        )
    details = _find_matches(inputs, sbs_mm.strip())
    ids: list[str] = []
    for match in details:
        if match.hypothesis not in ids:
            ids.append(match.hypothesis)
    # An upper-case match's digest is the given value in lower case and never the right
    # digest (_find_matches skips those), so uppercase-hex, which matches only the right
    # digest upper-cased, is not among the ids yet.
    if any(m.uppercase for m in details):
        ids.append("uppercase-hex")
    headline = _headline(details[0]) if details else UNKNOWN_CAUSE
    return Diagnosis(
        ok=False,
        matches=tuple(ids),
        headline=headline,
        details=details,
        given_problem=problem,
        suggested=tuple(s for s in suggested if s not in ids),
        **common,  # type: ignore[arg-type]
    )


def _sdk_view(inputs: Inputs, sbs_mm: str) -> SdkView | None:
    """The SDK client's reading, where the raw text is known and it differs."""
    if inputs.raw_sbs is None and inputs.raw_ranstr is None:
        return None
    sbs = inputs.sbs if inputs.raw_sbs is None else percent_decode_strict(inputs.raw_sbs)
    ranstr = (
        inputs.ranstr if inputs.raw_ranstr is None else percent_decode_strict(inputs.raw_ranstr)
    )
    if sbs == inputs.sbs and ranstr == inputs.ranstr:
        return None
    if sbs is None or ranstr is None:
        return SdkView(sbs, ranstr, None)
    signed = md5_of(utf8(md5_of(utf8(f"{sbs}_{inputs.secret}")) + "_" + ranstr))
    return SdkView(sbs, ranstr, hmac.compare_digest(utf8(signed), utf8(sbs_mm)))


def _find_matches(inputs: Inputs, given: str, *, first_only: bool = False) -> tuple[Match, ...]:
    folded = given.lower()
    has_upper = folded != given
    found: list[Match] = []
    for item in HYPOTHESES:
        for candidate in item.candidates(inputs):
            digest = candidate.digest
            if item.id == "uppercase-hex":
                hit, uppercase = has_upper and digest.lower() == folded, False
            else:
                if digest.lower() == inputs.expected:
                    continue
                hit = digest == given or (has_upper and digest == folded)
                uppercase = hit and digest != given
            if hit:
                found.append(
                    Match(
                        item.id,
                        item.description,
                        item.fix,
                        candidate.variant,
                        candidate.steps(),
                        uppercase,
                        candidate.secret_label,
                        candidate.batch_index,
                        candidate.batch_link,
                    )
                )
                if first_only:
                    return tuple(found)
                break  # one variant per hypothesis is enough to name it
    return tuple(found)


def _headline(match: Match) -> str:
    text = f"{match.description} ({match.variant})"
    if match.uppercase:
        text += ", and written in upper-case hex digits"
    if not text.startswith("sbs"):  # "sbs_mm was ...", "sbs or ranstr was ...": as written
        text = text[0].upper() + text[1:]
    return text + "."


def explain(
    url: str | DirectLink,
    *,
    secret: Secret | str,
    candidates: Mapping[str, Secret | str] | Iterable[Secret | str] = (),
    batch: Iterable[str | DirectLink] = (),
) -> Diagnosis:
    """Diagnose the signature of a link, with the values as the page decodes them.

    Raises :class:`ExplainError` where the link carries no ``sbs``,
    ``ranstr`` or ``sbs_mm`` to check, ``TypeError`` naming an argument of the
    wrong type.
    """
    arguments.require_link("explain", "url", url)
    require_secret("explain", "secret", secret)
    if isinstance(url, str):
        check_link_length(url)
    link = parse(url) if isinstance(url, str) else url
    sbs_param = link.param("sbs")
    ranstr_param = link.param("ranstr")
    sbs_mm = link.sbs_mm
    if sbs_param is None or ranstr_param is None or sbs_mm is None:
        missing = [
            name
            for name, value in (("sbs", sbs_param), ("ranstr", ranstr_param), ("sbs_mm", sbs_mm))
            if value is None
        ]
        # Each name once, in the order above, however often it is written after '#'.
        after_hash = {p.name for p in link.fragment_params}
        hidden = [name for name in missing if name in after_hash]
        where = (
            f" ({', '.join(hidden)} sit after '#', where the page does not read them)"
            if hidden
            else ""
        )
        raise ExplainError(
            "the link has no " + " or ".join(missing) + f": there is no signature to explain{where}"
        )
    return diagnose_signature(
        sbs_param.value,
        ranstr_param.value,
        sbs_mm,
        secret,
        candidates=candidates,
        batch=batch,
        raw_sbs=sbs_param.raw_value,
        raw_ranstr=ranstr_param.raw_value,
    )


# ---------------------------------------------------------------------------
# Plain data


def step_to_dict(step: Step, redact_text: Callable[[str], str]) -> dict[str, object]:
    return {
        "label": step.label,
        "algorithm": step.algorithm,
        "encoding": step.encoding,
        "hashed": redact_text(step.hashed),
        "key": step.key,
        "result": step.result,
    }


def diagnosis_to_dict(diagnosis: Diagnosis) -> dict[str, object]:
    """A JSON-ready form of ``diagnosis``; secrets masked, inner digest fingerprinted."""
    clean = diagnosis.redact
    return {
        "ok": diagnosis.ok,
        "headline": clean(diagnosis.headline),
        "expected": diagnosis.expected,
        "given": clean(diagnosis.given),
        "given_problem": diagnosis.given_problem,
        "sbs": clean(diagnosis.sbs),
        "ranstr": clean(diagnosis.ranstr),
        "raw_sbs": None if diagnosis.raw_sbs is None else clean(diagnosis.raw_sbs),
        "raw_ranstr": None if diagnosis.raw_ranstr is None else clean(diagnosis.raw_ranstr),
        "secret_length": diagnosis.secret_length,
        "secret_fingerprint": diagnosis.secret_fingerprint,
        "sdk": None
        if diagnosis.sdk is None
        else {
            "sbs": None if diagnosis.sdk.sbs is None else clean(diagnosis.sdk.sbs),
            "ranstr": None if diagnosis.sdk.ranstr is None else clean(diagnosis.sdk.ranstr),
            "ok": diagnosis.sdk.ok,
        },
        "steps": [step_to_dict(s, clean) for s in diagnosis.steps],
        "matches": list(diagnosis.matches),
        "suggested": list(diagnosis.suggested),
        "details": [
            {
                "hypothesis": m.hypothesis,
                "description": m.description,
                "fix": m.fix,
                "variant": clean(m.variant),
                "uppercase": m.uppercase,
                "secret_label": None if m.secret_label is None else clean(m.secret_label),
                "batch_index": m.batch_index,
                "batch_link": None if m.batch_link is None else clean(m.batch_link),
                "steps": [step_to_dict(s, clean) for s in m.steps],
            }
            for m in diagnosis.details
        ],
    }
