"""Output formats: each module renders a :class:`ReportDocument` to a text stream.

``text`` (the per-link renderer) and ``explain_text`` belong to the check and
explain commands; the registry below is what ``--format`` offers for both
``check`` and ``audit``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from validator.report.document import Record, ReportDocument

Writer = Callable[["ReportDocument", TextIO], None]

#: Each format and the module whose ``write`` renders it, imported when that format is used
#: (JUnit's XML escaping alone pulls in most of ``urllib``).
FORMATS: dict[str, str] = {
    "text": "validator.report.grouped_text",
    "json": "validator.report.json",
    "jsonl": "validator.report.jsonl",
    "sarif": "validator.report.sarif",
    "junit": "validator.report.junit",
    "github": "validator.report.github",
    "html": "validator.report.html",
}
#: The formats ``check`` renders through a :class:`ReportDocument`, besides its own
#: ``text`` and ``json``.
EXTRA_FORMATS = ("jsonl", "sarif", "junit", "github", "html")


def writer_for(output_format: str) -> Writer:
    """The function that renders ``output_format`` (one of :data:`FORMATS`)."""
    try:
        module = FORMATS[output_format]
    except KeyError:
        raise ValueError(
            f"unknown format {output_format!r}: choose from {', '.join(FORMATS)}"
        ) from None
    return cast(Writer, importlib.import_module(module).write)


def write_report(output_format: str, document: ReportDocument, stream: TextIO) -> None:
    """Render ``document`` in ``output_format`` (one of :data:`FORMATS`)."""
    writer_for(output_format)(document, stream)


def __getattr__(name: str) -> object:
    # The document model loads with the first format that needs it: a check printed as
    # text never does.
    if name in ("Record", "ReportDocument"):
        from validator.report import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EXTRA_FORMATS", "FORMATS", "Record", "ReportDocument", "Writer", "write_report",
           "writer_for"]
