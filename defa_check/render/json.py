"""The JSON report of BRIEF section 3.2: the hub every other format renders from."""

from __future__ import annotations

import json

from ..model import Report
from .base import OutputFormat, RenderOptions

_ENCODER = json.JSONEncoder(ensure_ascii=False)


class JsonFormat(OutputFormat):
    name = "json"
    description = "the JSON report (stable; what CI consumes and `report` re-renders)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # One finding per line: diffs stay readable, and each line is encoded by
        # the C encoder (an indented dump goes through the slow pure-Python path).
        data = report.to_dict()
        findings = data.pop("findings")
        head = json.dumps(data, indent=2, ensure_ascii=False)
        if not findings:
            return head[:-2] + ',\n  "findings": []\n}\n'
        encode = _ENCODER.encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call
        lines = ",\n    ".join(encode(f) for f in findings)
        return head[:-2] + ',\n  "findings": [\n    ' + lines + "\n  ]\n}\n"
