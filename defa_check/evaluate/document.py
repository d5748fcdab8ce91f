"""The check pipeline as one call: load -> validate -> evaluate.

The CLI and tests use these functions; each stage lives in its own module
(``yamlio``, ``validate``, ``engine``) and knows nothing of the CLI.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from defa_check.evaluate.engine import Selection, build_report
from defa_check.inputs import source
from defa_check.inputs.manifest import validate_manifest
from defa_check.model import Location, Problem, Report
from defa_check.packs.loader import Catalog
from defa_check.records import field, record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any


@record
class CheckResult:
    """A report, or the problems that kept the manifest from being checked."""

    path: str
    report: Report | None = None
    problems: tuple[Problem, ...] = field(default=())


def load_manifest(path: str | Path) -> tuple[source.Document, list[Problem]]:
    """Load and validate one manifest file."""
    doc = source.load(path, precise=False)
    return doc, validate_manifest(doc)


def check_document(
    doc: source.Document,
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    list_not_applicable: bool = True,
) -> CheckResult:
    """Validate and evaluate an already-loaded manifest (see :func:`build_report` for
    ``list_not_applicable``)."""
    problems = validate_manifest(doc)
    if problems:
        return CheckResult(doc.path, problems=tuple(problems))
    # The report names the manifest as shown, never by an absolute path (it travels).
    shown = source.shown_path(doc.path)

    def locate(json_path: list[Any]) -> Location:
        return doc.locate(json_path, shown)

    report = build_report(
        doc.data,
        shown,
        doc.text.encode("utf-8"),
        catalog,
        as_of,
        selection,
        locate=doc.locate if shown == doc.path else locate,
        list_not_applicable=list_not_applicable,
    )
    return CheckResult(doc.path, report=report)


def check_file(
    path: str | Path,
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    list_not_applicable: bool = True,
) -> CheckResult:
    """Load, validate and evaluate one manifest file."""
    return check_document(source.load(path, precise=False), catalog, as_of, selection, list_not_applicable)


def check_data(
    manifest: dict[str, Any],
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    path: str = "<manifest>",
) -> CheckResult:
    """Check a manifest given as data (used by rule examples and the API)."""
    import json

    text = json.dumps(manifest, indent=1, sort_keys=False)
    return check_document(source.loads(text, path), catalog, as_of, selection)
