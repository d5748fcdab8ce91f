"""Read a saved JSON report back, for `report`, `diff` and baselines."""

from __future__ import annotations

from pathlib import Path

from defa_check.model import REPORT_SCHEMA_VERSION, Problem, Report

MAX_REPORT_BYTES = 512 * 1024 * 1024
"""Saved reports are larger than the manifests they come from (a 20,000-flow manifest gives
a 250 MB report, read back in about 5 times its size in memory)."""


def load_report(path: Path) -> tuple[Report | None, list[Problem]]:
    """The report in ``path``, or the problems that make it unreadable (each located).

    Read like every other input (:func:`defa_check.inputs.source.load`, as JSON
    whatever the file is called): size-bounded, NaN and lone surrogates refused,
    nesting bounded. The report schema then checks everything
    :meth:`Report.from_dict` reads, dates included.
    """
    from defa_check.inputs import source

    doc = source.load(path, language="json", limit=MAX_REPORT_BYTES)
    if not doc.ok:
        return None, doc.problems
    data = doc.data
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "defa-check":
        return None, [
            Problem(doc.path, "not a defa-check JSON report (no tool.name 'defa-check')", 1, 1, code="report")
        ]
    version = data.get("report_version")
    if version != REPORT_SCHEMA_VERSION:
        which = "newer" if isinstance(version, int) and version > REPORT_SCHEMA_VERSION else "older"
        loc = doc.locate(["report_version"])
        return None, [
            Problem(
                doc.path,
                f"report_version {version!r} was written by a {which} defa-check; this version reads "
                f"report_version {REPORT_SCHEMA_VERSION}. Re-run `defa-check check` with this version.",
                loc.line,
                loc.column,
                code="report",
            )
        ]
    from defa_check.inputs.schemas import schema_problems

    problems = schema_problems(doc, "report")
    if problems:
        return None, [
            Problem(p.path, p.message, p.line, p.column, p.json_path, p.hint, code="report") for p in problems
        ]
    return Report.from_dict(data), []
