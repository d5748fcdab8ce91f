"""The JSON report of BRIEF section 3.2: the hub every other format renders from."""

from __future__ import annotations

import json

from ..model import Report
from .base import OutputFormat, RenderOptions


class JsonFormat(OutputFormat):
    name = "json"
    description = "the JSON report (stable; what CI consumes and `report` re-renders)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
