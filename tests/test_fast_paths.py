"""The speed-ups never change a verdict: each fast path gives the same report as the plain one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from defa_check.evaluate.document import check_data, check_document
from defa_check.inputs import source as yamlio
from defa_check.model import Report
from defa_check.packs import loader as packs
from defa_check.workflows.rule_examples import complete_manifest

from .conftest import AS_OF, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def verdicts(report: Report) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.to_dict().items() if k != "location"} for f in report.findings]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_coarse_positions_and_json_give_the_same_report(example: Path, tmp_path: Path) -> None:
    catalog = packs.load_catalog()
    precise = check_document(yamlio.load(example, precise=True), catalog, AS_OF).report
    coarse = check_document(yamlio.load(example, precise=False), catalog, AS_OF).report
    as_json = tmp_path / (example.stem + ".json")
    as_json.write_text(json.dumps(yamlio.load(example).data, indent=2))
    from_json = check_document(yamlio.load(as_json), catalog, AS_OF).report
    assert precise is not None and coarse is not None and from_json is not None
    assert verdicts(precise) == verdicts(coarse) == verdicts(from_json)
    # Findings point at the same flow, market or organization lines either way.
    assert [f.location for f in precise.findings] == [f.location for f in coarse.findings]


def test_rule_examples_give_identical_reports_without_the_compiled_schema_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every rule example, validated by the compiled check and by jsonschema alone."""
    catalog = packs.load_catalog()
    manifests = [complete_manifest(e.manifest) for r in catalog.rules for e in r.examples]
    fast = [check_data(m, catalog, AS_OF) for m in manifests]
    monkeypatch.setattr(packs, "quick_check", lambda name: None)
    slow = [check_data(m, catalog, AS_OF) for m in manifests]
    for a, b in zip(fast, slow, strict=True):
        assert (a.report is None) == (b.report is None)
        if a.report is not None and b.report is not None:
            assert a.report.to_dict() == b.report.to_dict()
        else:
            assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
