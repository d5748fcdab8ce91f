"""CSV, one row per finding with stable columns, safe to open in a spreadsheet.

Cells that a spreadsheet would treat as a formula (starting with =, +, -, @,
a tab or a carriage return) are prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

from defa_check.model import Report
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import safe_cell

COLUMNS = (
    "country",
    "rule_id",
    "status",
    "severity",
    "topic",
    "subject_kind",
    "subject_id",
    "title",
    "message",
    "remediation",
    "instrument",
    "provision",
    "url",
    "missing",
    "path",
    "line",
    "column",
    "effective_from",
    "effective_until",
    "upcoming",
    "draft",
    "confidence",
)


class CsvFormat(OutputFormat):
    name = "csv"
    lists_every_finding = True
    description = "CSV, one row per finding, for spreadsheets"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for f in report.findings:
            loc = f.location
            row = (
                f.country,
                f.rule_id,
                f.status.value,
                f.severity.label,
                f.topic,
                f.subject.kind,
                f.subject.id,
                f.title,
                f.message,
                f.remediation,
                f.citation.instrument,
                f.citation.provision,
                f.citation.url,
                "; ".join(f.missing),
                loc.path if loc else "",
                loc.line if loc else "",
                loc.column if loc else "",
                f.effective_from.isoformat() if f.effective_from else "",
                f.effective_until.isoformat() if f.effective_until else "",
                "true" if f.upcoming else "false",
                "true" if f.draft else "false",
                f.confidence,
            )
            writer.writerow([safe_cell(v) for v in row])
        return buffer.getvalue()
