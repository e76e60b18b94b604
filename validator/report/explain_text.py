"""Human rendering of a signature :class:`~validator.mistakes.Diagnosis`.

Like jwt.io and AWS SigV4 errors: the values exactly as the page decodes them
(spaces, ``+``, non-ASCII and control characters made visible), every string
that is hashed, expected against given, the verdict, and on a mismatch the
mistakes that reproduce the given value with their fix, or an honest
"unknown cause" with the values to compare against the server's own logs.

The secret never appears (hashed strings show ``<AppSecret>``, every other
string passes through :meth:`Diagnosis.redact`) and the inner digest only as
its fingerprint.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from validator.mistakes import (
    DIGEST,
    LITERAL,
    SECRET,
    SECRET_PLACEHOLDER,
    Diagnosis,
    Step,
    hypothesis,
)
from validator.report.style import paint
from validator.report.terminal import is_unsafe, terminal_text

SPACE_MARK = "␣"
LEGEND = (
    "markers: ␣ space, ⟨+⟩ literal plus, ⟨U+XXXX c⟩ non-ASCII character, "
    "⟨\\n⟩/⟨U+XXXX⟩ control character"
)
_CONTROL_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}

Style = Callable[[str], str]


def _plain(text: str) -> str:
    return text


def _styles(color: bool) -> dict[str, Style]:
    if not color:
        return {name: _plain for name in ("mark", "secret", "bad", "good", "head", "dim")}
    return {
        "mark": lambda t: paint(t, fg="magenta", bold=True),
        "secret": lambda t: paint(t, fg="yellow"),
        "bad": lambda t: paint(t, fg="red", bold=True),
        "good": lambda t: paint(t, fg="green", bold=True),
        "head": lambda t: paint(t, bold=True),
        "dim": lambda t: paint(t, dim=True),
    }


def visible(value: str, mark: Style = _plain) -> tuple[str, bool]:
    """``value`` with spaces, ``+``, non-ASCII and control characters marked.

    Returns the text and whether any marker was used.
    """
    pieces: list[str] = []
    marked = False
    for ch in value:
        code = ord(ch)
        if ch == " ":
            pieces.append(mark(SPACE_MARK))
        elif ch == "+":
            pieces.append(mark("⟨+⟩"))
        elif is_unsafe(ch):
            pieces.append(mark(f"⟨{_CONTROL_NAMES.get(ch, f'U+{code:04X}')}⟩"))
        elif code > 0x7E:
            shown = ch if unicodedata.category(ch)[0] not in ("Z", "M") else ""
            pieces.append(mark(f"⟨U+{code:04X} {shown}⟩".replace(" ⟩", "⟩")))
        else:
            pieces.append(ch)
            continue
        marked = True
    return "".join(pieces), marked


def printable(text: str) -> str:
    """``text`` as :func:`~validator.report.terminal.terminal_text` renders it for a terminal."""
    return terminal_text(text)


def _cleaner(diagnosis: Diagnosis) -> Callable[[str], str]:
    def clean(text: str) -> str:
        return printable(diagnosis.redact(text))

    return clean


def _utf8_bytes(value: str) -> str:
    return " ".join(f"{b:02x}" for b in value.encode("utf-8", "surrogatepass"))


def _hashed(step: Step, clean: Callable[[str], str], styles: dict[str, Style]) -> tuple[str, bool]:
    pieces: list[str] = []
    marked = False
    for kind, text in step.parts:
        if kind == SECRET:
            pieces.append(styles["secret"](text))
        elif kind == DIGEST:
            pieces.append(styles["dim"](text))
        elif kind == LITERAL:
            shown, used = visible(text, styles["mark"])
            pieces.append(shown)
            marked = marked or used
        else:
            shown, used = visible(clean(text), styles["mark"])
            pieces.append(shown)
            marked = marked or used
    return '"' + "".join(pieces) + '"', marked


def _step_lines(
    steps: tuple[Step, ...], clean: Callable[[str], str], styles: dict[str, Style], indent: str
) -> tuple[list[str], bool]:
    lines: list[str] = []
    marked = False
    width = max((len(s.label) for s in steps), default=0)
    for number, step in enumerate(steps, start=1):
        hashed, used = _hashed(step, clean, styles)
        marked = marked or used
        encoding = "" if step.encoding == "utf-8" else f" as {step.encoding} bytes"
        key = "" if step.key is None else f"key={styles['secret'](step.key)}, "
        lines.append(
            f"{indent}{number}. {step.label:<{width}} = {step.algorithm}({key}{hashed}{encoding})"
        )
        lines.append(f"{indent}   {'':<{width}}   → {step.result}")
    return lines, marked


def _difference(expected: str, given: str) -> str:
    """A caret under every position where ``given`` differs from ``expected``."""
    length = max(len(expected), len(given))
    marks = [
        " " if i < len(expected) and i < len(given) and expected[i] == given[i] else "^"
        for i in range(length)
    ]
    return "".join(marks).rstrip()


def render_diagnosis(
    diagnosis: Diagnosis, *, url: str | None = None, color: bool = False
) -> str:
    """The diagnosis as text for a terminal; ``color`` adds ANSI styles."""
    styles = _styles(color)
    redact = diagnosis.redact
    clean = _cleaner(diagnosis)
    mark = styles["mark"]
    lines: list[str] = []
    any_marker = False
    if url is not None:
        lines.append(styles["head"]("Link"))
        lines.append(f"  {clean(url)}")
        lines.append("")

    lines.append(styles["head"]("Values as the page decodes them"))
    for name, value, raw in (
        ("sbs", diagnosis.sbs, diagnosis.raw_sbs),
        ("ranstr", diagnosis.ranstr, diagnosis.raw_ranstr),
    ):
        shown, used = visible(redact(value), mark)
        any_marker = any_marker or used
        line = f'  {name:<7}"{shown}"  ({len(value)} characters)'
        if raw is not None and raw != value:
            line += f"  written in the link as {clean(raw)}"
        lines.append(line)
    lines.append("")

    lines.append(
        styles["head"]("Computation")
        + styles["dim"](f" (the secret as {SECRET_PLACEHOLDER}, the inner digest as a fingerprint)")
    )
    step_lines, used = _step_lines(diagnosis.steps, redact, styles, "  ")
    any_marker = any_marker or used
    lines.extend(step_lines)
    lines.append("")

    given = clean(diagnosis.given)
    lines.append(f"  expected  {diagnosis.expected}")
    lines.append(f"  given     {given}")
    if not diagnosis.ok:
        lines.append(f"            {styles['bad'](_difference(diagnosis.expected, given))}")
    lines.append("")

    if diagnosis.ok:
        where = "" if diagnosis.sdk is None else " in a browser"
        lines.append(styles["good"]("Verdict: OK") + f" — the signature is correct{where}.")
        any_marker = _render_sdk(diagnosis, lines, styles) or any_marker
    else:
        lines.append(styles["bad"]("Verdict: MISMATCH") + f" — {clean(diagnosis.headline)}")
        if diagnosis.given_problem:
            lines.append(f"  {clean(diagnosis.given_problem)}")
        any_marker = _render_sdk(diagnosis, lines, styles) or any_marker
        lines.append("")
        if diagnosis.details:
            any_marker = _render_matches(diagnosis, lines, styles) or any_marker
        else:
            _render_unknown(diagnosis, lines, styles)
    if any_marker:
        lines.append("")
        lines.append(styles["dim"](LEGEND))
    return "\n".join(lines)


def _render_sdk(diagnosis: Diagnosis, lines: list[str], styles: dict[str, Style]) -> bool:
    """A line on the native SDK's web view, where it reads the values differently."""
    sdk = diagnosis.sdk
    if sdk is None:
        return False
    if sdk.sbs is None or sdk.ranstr is None:
        lines.append(
            "  "
            + styles["bad"]("In the app")
            + " (native SDK web view) the link is rejected: a percent escape in sbs or "
            "ranstr is malformed or not UTF-8."
        )
        return False
    marked = False
    readings: list[str] = []
    for name, value, browser in (
        ("sbs", sdk.sbs, diagnosis.sbs),
        ("ranstr", sdk.ranstr, diagnosis.ranstr),
    ):
        if value != browser:
            shown, used = visible(diagnosis.redact(value), styles["mark"])
            marked = marked or used
            readings.append(f'{name} as "{shown}"')
    verdict = styles["good"]("correct") if sdk.ok else styles["bad"]("wrong")
    lines.append(
        "  In the app (native SDK web view, which keeps '+' literally) the page reads "
        + " and ".join(readings)
        + f": there the signature is {verdict}."
    )
    return marked


def _render_matches(diagnosis: Diagnosis, lines: list[str], styles: dict[str, Style]) -> bool:
    clean = _cleaner(diagnosis)
    any_marker = False
    lines.append(styles["head"]("Mistakes that reproduce the given sbs_mm") + " (best first)")
    for number, match in enumerate(diagnosis.details, start=1):
        lines.append(f"  {number}. [{match.hypothesis}] {clean(match.description)}")
        lines.append(f"     what:  {clean(match.variant)}")
        if match.secret_label is not None:
            lines.append(f"     secret: candidate labelled {clean(match.secret_label)!r}")
        if match.batch_index is not None:
            batch_link = clean(match.batch_link or "")
            lines.append(f"     values of batch link {match.batch_index + 1}: {batch_link}")
        if match.uppercase:
            lines.append("     and the result was written in upper-case hex digits")
        step_lines, used = _step_lines(match.steps, diagnosis.redact, styles, "     ")
        any_marker = any_marker or used
        lines.extend(step_lines)
        lines.append(f"     fix:   {clean(match.fix)}")
        if match.uppercase:
            lines.append(f"            {hypothesis('uppercase-hex').fix}")
    if diagnosis.suggested:
        lines.append("")
        lines.append("  The shape of sbs_mm also points to: " + ", ".join(diagnosis.suggested))
    return any_marker


def _render_unknown(diagnosis: Diagnosis, lines: list[str], styles: dict[str, Style]) -> None:
    clean = diagnosis.redact
    lines.append(styles["head"]("Compare with your server's logs"))
    for name, value in (("sbs", diagnosis.sbs), ("ranstr", diagnosis.ranstr)):
        shown = clean(value)
        note = " (the AppSecret it holds masked)" if shown != value else ""
        lines.append(f"  {name} as UTF-8 bytes{note}:")
        lines.append(f"    {_utf8_bytes(shown) or '(empty)'}")
    lines.append(
        f"  AppSecret: {diagnosis.secret_length} characters, "
        f"SHA-256 fingerprint {diagnosis.secret_fingerprint} "
        "(compare: printf %s \"$SECRET\" | sha256sum | cut -c1-6)"
    )
    lines.append(f"  inner digest fingerprint: {diagnosis.steps[0].result}")
    lines.append(f"  expected sbs_mm: {diagnosis.expected}")
    if diagnosis.suggested:
        names = ", ".join(diagnosis.suggested)
        lines.append(
            f"  The shape of sbs_mm points to {names}, but no variant tried with this secret "
            "reproduces it: check the secret too."
        )
