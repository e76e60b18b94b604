"""The report document of ``directlink check``: its links given on the command line or stdin.

So ``check --format sarif|jsonl|junit|github|html`` renders exactly as
``audit`` does, with the source (``<arg 1>``, ``<stdin>:3``) as the path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from validator.model import Report
from validator.record import LinkRecord, RecordJSON, Summary
from validator.redact import Redactor
from validator.report.document import ReportDocument


def check_document(
    sources: Sequence[str], reports: Sequence[Report], *, fail_on: str = "error",
    redactor: Redactor | None = None,
) -> ReportDocument:
    """The links ``check`` was given as the records every report format reads; secrets (and
    customer data where ``redactor.pii``) masked by ``redactor``."""
    masker = redactor or Redactor()

    def records() -> Iterator[RecordJSON]:
        # Built as a format reads them, as an audit's come from its spool: held all at
        # once, the records of 20,000 links took 450 MB.
        for source, report in zip(sources, reports, strict=True):
            yield masker.secrets(LinkRecord.given(source, report).to_json(), report.link)

    summary = Summary.of_reports(reports).to_dict()
    return ReportDocument(
        command="check",
        records_factory=records,
        summary=summary,
        paths=[],
        fail_on=fail_on,
        redact_pii=masker.pii,
    )
