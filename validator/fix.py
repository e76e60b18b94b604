"""Apply the fixes findings carry, as ruff does: non-overlapping edits, repeated to a fixed point.

Safe fixes keep what the page does (canonical ``lang``, dropping exact
duplicates and empty pairs, percent-encoding raw characters, re-signing with a
known secret); unsafe ones (adding ``direct=1``, choosing between conflicting
chat ids ...) change it and run only with ``unsafe=True``. The result checks
free of every finding that was fixed, and fixing it again changes nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from validator import arguments, spec
from validator.check import check_every_finding, keyring_of
from validator.config import Config
from validator.keyring import Keyring, SecretLike
from validator.limits import check_link_length
from validator.model import DirectLink, Finding, Fix, Span, apply_replacements
from validator.parse import parse
from validator.signature import require_secret, require_secret_map

#: Passes before giving up on reaching a fixed point (each pass re-checks the link).
MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class FixResult:
    """The fixed link and what was done to it."""

    original: str
    fixed: str
    #: ``(code, fix description)`` of every fix applied, in order.
    applied: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix(
    url: str | DirectLink,
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    unsafe: bool = False,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> str:
    """The link with every applicable fix applied (safe ones only unless ``unsafe``)."""
    arguments.require_link("fix", "url", url)
    require_secret("fix", "secret", secret, optional=True)
    require_secret_map("fix", "secrets", secrets)
    arguments.require_bool("fix", "unsafe", unsafe)
    arguments.require_config("fix", config)
    return fix_link(url, secret=secret, secrets=secrets, unsafe=unsafe, config=config,
                    keyring=keyring).fixed


def fix_link(
    url: str | DirectLink,
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    unsafe: bool = False,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> FixResult:
    """Like :func:`fix`, also telling which fixes were applied."""
    ring = keyring_of(keyring, secret, secrets, ())
    original = url.input if isinstance(url, DirectLink) else url
    check_link_length(original)
    text = original.strip(spec.C0_CONTROL_OR_SPACE)
    applied: list[tuple[str, str]] = []
    for _ in range(MAX_PASSES):
        report = check_every_finding(text, keyring=ring, config=config)
        chosen = choose_fixes(report.findings, unsafe=unsafe)
        if not chosen:
            break
        text = apply_replacements(text, [r for _, f in chosen for r in f.replacements])
        # Dropping the last pair can leave a bare "?" or expose characters at
        # the end that the browser strips; tidy both before the next pass.
        text = _drop_empty_query(text).strip(spec.C0_CONTROL_OR_SPACE)
        applied.extend((finding.code, fix.description) for finding, fix in chosen)
    return FixResult(original, text, tuple(applied))


def choose_fixes(findings: Sequence[Finding], *, unsafe: bool) -> list[tuple[Finding, Fix]]:
    """The fixes to apply in one pass: applicable and not overlapping one another."""
    taken = _TakenSpans()
    chosen: list[tuple[Finding, Fix]] = []
    candidates = [
        (finding, finding.fix)
        for finding in findings
        if finding.fix is not None and finding.fix.replacements and (finding.fix.safe or unsafe)
    ]
    candidates.sort(key=lambda item: min(span[0] for span, _ in item[1].replacements))
    for finding, candidate in candidates:
        new = [r for r in candidate.replacements if r not in taken.replacements]
        if any(taken.overlaps(span) for span, _ in new):
            continue
        if not new and candidate.replacements:
            continue  # the same edit is already taken (e.g. two rules re-encoding one pair)
        for replacement in new:
            taken.add(replacement)
        chosen.append((finding, candidate))
    return chosen


class _TakenSpans:
    """Edits chosen so far, kept sorted so overlap tests look at two neighbours only.

    Two spans overlap when they share a character or start at the same place
    (two insertions at one point would be ambiguous). Chosen spans never
    overlap one another, so sorted by start they are also sorted by end.
    """

    __slots__ = ("ends", "replacements", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.replacements: set[tuple[Span, str]] = set()

    def overlaps(self, span: Span) -> bool:
        start, end = span
        index = bisect.bisect_left(self.starts, start)
        if index < len(self.starts) and (self.starts[index] == start or self.starts[index] < end):
            return True
        return index > 0 and _overlaps(span, (self.starts[index - 1], self.ends[index - 1]))

    def add(self, replacement: tuple[Span, str]) -> None:
        (start, end), _ = replacement
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        self.replacements.add(replacement)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] or (a[0] < b[1] and b[0] < a[1])


def _drop_empty_query(text: str) -> str:
    """Remove a ``?`` or ``#`` left with nothing after it once every pair was dropped or moved."""
    link = parse(text)
    if link.fragment == "" and link.fragment_span is not None:
        at = link.fragment_span[0] - 1
        if text[at] == "#":
            text = text[:at] + text[at + 1 :]
            link = parse(text)
    if link.query == "" and link.query_span is not None:
        at = link.query_span[0] - 1
        if text[at] == "?":
            return text[:at] + text[at + 1 :]
    return text
