"""The JSON report of BRIEF section 3.2: the hub every other format renders from."""

from __future__ import annotations

import json
from collections.abc import Iterator

from defa_check.model import Report
from defa_check.render.base import OutputFormat, RenderOptions

_ENCODER = json.JSONEncoder(ensure_ascii=False)
_BATCH = 2000


class JsonFormat(OutputFormat):
    name = "json"
    description = "the JSON report (stable; what CI consumes and `report` re-renders)"

    def _pieces(self, report: Report) -> Iterator[str]:
        # One finding per line: diffs stay readable, and each line is encoded by
        # the C encoder (an indented dump goes through the slow pure-Python path).
        # Findings are converted as they are written, so a report of 800,000
        # findings never exists as one string (see bench/RESULTS.md).
        head = json.dumps(report.to_dict(include_findings=False), indent=2, ensure_ascii=False)
        if not report.findings:
            yield head[:-2] + ',\n  "findings": []\n}\n'
            return
        encode = _ENCODER.encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call
        yield head[:-2] + ',\n  "findings": [\n    '
        findings = report.findings
        for start in range(0, len(findings), _BATCH):
            batch = ",\n    ".join(encode(f.to_dict()) for f in findings[start : start + _BATCH])
            yield batch if start == 0 else ",\n    " + batch
        yield "\n  ]\n}\n"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        return "".join(self._pieces(report))

    def render_chunks(self, report: Report, options: RenderOptions = RenderOptions()) -> Iterator[bytes]:
        return (piece.encode("utf-8") for piece in self._pieces(report))
