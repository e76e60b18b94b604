"""Output formats: each module renders a :class:`ReportDocument` to a text stream.

``text`` (the per-link renderer) and ``explain_text`` belong to the check and
explain commands; the registry below is what ``--format`` offers for both
``check`` and ``audit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from validator.report import github, grouped_text, html, json, jsonl, junit, sarif
from validator.report.document import Record, ReportDocument

Writer = Callable[[ReportDocument, TextIO], None]

FORMATS: dict[str, Writer] = {
    "text": grouped_text.write,
    "json": json.write,
    "jsonl": jsonl.write,
    "sarif": sarif.write,
    "junit": junit.write,
    "github": github.write,
    "html": html.write,
}


def write_report(output_format: str, document: ReportDocument, stream: TextIO) -> None:
    """Render ``document`` in ``output_format`` (one of :data:`FORMATS`)."""
    try:
        writer = FORMATS[output_format]
    except KeyError:
        raise ValueError(
            f"unknown format {output_format!r}: choose from {', '.join(FORMATS)}"
        ) from None
    writer(document, stream)


__all__ = ["FORMATS", "Record", "ReportDocument", "Writer", "write_report"]
