"""The JSON report (version 3): what CI consumes, and what `report`, `diff` and `--baseline` read back."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from defa_check.model import Report
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import json_document

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_BATCH = 2000


class JsonFormat(OutputFormat):
    name = "json"
    description = "the JSON report (stable; what CI consumes and `report` re-renders)"

    def _pieces(self, report: Report, include_not_applicable: bool) -> Iterator[str]:
        # Report version 3: each rule's fixed text and its findings' usual message,
        # why and evidence once in `rules`, findings that carry only what differs,
        # not-applicable findings counted (listed only when asked). The header is
        # indented; each rule and each finding is one compact line, so diffs and
        # grep stay readable and each line is encoded by the C encoder (an indented
        # dump goes through the slow pure-Python path). Findings are converted as
        # they are written, so a large report never exists as one string (see
        # bench/RESULTS.md).
        head_data = report.to_dict(include_findings=False, include_not_applicable=include_not_applicable)
        rules = head_data.pop("rules")
        head = json.dumps(head_data, indent=2, ensure_ascii=False)[:-2]
        encode = _ENCODER.encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call
        yield head + ',\n  "rules": {'
        yield ",".join(f"\n    {encode(rule_id)}: {encode(text)}" for rule_id, text in rules.items())
        yield ("\n  }" if rules else "}") + ',\n  "findings": ['
        rows = report.finding_rows(rules, include_not_applicable)
        first = True
        while True:
            batch = [encode(row) for row in itertools.islice(rows, _BATCH)]
            if not batch:
                break
            yield ("\n    " if first else ",\n    ") + ",\n    ".join(batch)
            first = False
        yield "]\n}\n" if first else "\n  ]\n}\n"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # Each piece ends at a line's end, so no `##[` spans two pieces.
        return "".join(json_document(piece) for piece in self._pieces(report, options.include_not_applicable))

    def render_chunks(self, report: Report, options: RenderOptions = RenderOptions()) -> Iterator[bytes]:
        return (
            json_document(piece).encode("utf-8")
            for piece in self._pieces(report, options.include_not_applicable)
        )
