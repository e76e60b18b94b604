"""The lines of a signing snippet that fix a diagnosed mistake, as text (``explain --language``)."""

from __future__ import annotations

from typing import Any

from validator.mistakes import hypothesis
from validator.report.style import paint


def render_fix_in_code(fix: dict[str, Any], *, color: bool = False) -> str:
    """``fix`` (from :func:`validator.signing_snippets.fix_in_code`) for a terminal."""

    def head(text: str) -> str:
        return paint(text, bold=True) if color else text

    def code(text: str) -> str:
        return paint(text, fg="green") if color else text

    lines = [head(f"Fix in {fix['title']} code") + f" (`{fix['command']}`, {fix['file']})"]
    width = max((len(str(entry["line"])) for item in fix["fixes"] for entry in item["lines"]),
                default=1)
    for item in fix["fixes"]:
        mistake = item["hypothesis"]
        if mistake is None:
            lines.append("  no known mistake reproduces sbs_mm: compare your code with these "
                         "lines, and the secret")
        else:
            lines.append(f"  [{mistake}] {hypothesis(mistake).fix}")
        for entry in item["lines"]:
            lines.append(f"    {entry['line']:>{width}} | {code(entry['text'].rstrip())}")
    return "\n".join(lines)
