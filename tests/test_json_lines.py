"""The JSON report's findings are written from pieces encoded once (render/json.py, issue #20):
the text must be exactly what encoding each :meth:`Report.finding_rows` row with the JSON
encoder gives, which is what this test writes as the reference, the slow, obvious way.

Over the examples, a generated manifest, a report read back, and reports whose findings were
changed at random in every field a row writes (messages, why and evidence off their defaults,
missing facts, locations in another file, waivers, verdicts, baseline marks, rule fields that
differ from their rule's, hostile text).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defa_check import model, records
from defa_check.evaluate.batch import catalog_for
from defa_check.evaluate.document import check_document
from defa_check.evaluate.engine import build_report
from defa_check.inputs import source
from defa_check.inputs.saved_report import load_report
from defa_check.model import Finding, Location, Report, Status, Subject, Waiver
from defa_check.packs.loader import Catalog, load_catalog
from defa_check.render import RenderOptions, get_format
from defa_check.render.escape import json_document
from defa_check.render.json import indented

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import manifest as generated_manifest

AS_OF = dt.date(2026, 11, 29)
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def reference(report: Report, include_not_applicable: bool) -> str:
    """The JSON report as the layout describes it, every row a dict encoded by `json.dumps`."""
    data = report.to_dict(include_findings=True, include_not_applicable=include_not_applicable)
    rules = data.pop("rules")
    findings = data.pop("findings")
    text = json.dumps(data, indent=2, ensure_ascii=False)[:-2] + ',\n  "rules": {'
    dump = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    text += ",".join(f"\n    {dump(k)}: {dump(v)}" for k, v in rules.items())
    text += ("\n  }" if rules else "}") + ',\n  "findings": ['
    text += ",".join("\n    " + dump(row) for row in findings)
    text += "\n  ]\n}\n" if findings else "]\n}\n"
    return json_document(text)


def assert_as_reference(report: Report) -> None:
    json_format = get_format("json")
    for include in (False, True):
        options = RenderOptions(include_not_applicable=include)
        expected = reference(report, include)
        text = json_format.render(report, options)
        assert text == expected
        chunks = list(json_format.render_chunks(report, options))
        assert b"".join(chunks) == expected.encode("utf-8")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def generated(catalog: Catalog) -> Report:
    """Eleven countries, every status, not-applicable findings listed (so they can be changed too)."""
    return build_report(generated_manifest(300), "flows.yaml", b"", catalog, AS_OF)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("listed", [False, True], ids=["counted", "listed"])
def test_examples_are_written_as_the_reference(example: Path, listed: bool) -> None:
    doc = source.load(example, precise=False)
    result = check_document(doc, catalog_for([doc], None, None), AS_OF, list_not_applicable=listed)
    assert result.report is not None
    assert_as_reference(result.report)


def test_a_generated_manifest_is_written_as_the_reference(catalog: Catalog, generated: Report) -> None:
    assert_as_reference(generated)
    manifest = generated_manifest(300)
    counted = build_report(manifest, "flows.yaml", b"", catalog, AS_OF, list_not_applicable=False)
    assert_as_reference(counted)


def test_a_report_read_back_is_written_as_the_reference(generated: Report, tmp_path: Path) -> None:
    saved = tmp_path / "report.json"
    saved.write_text(get_format("json").render(generated), encoding="utf-8")
    loaded, problems = load_report(saved)
    assert loaded is not None, problems
    assert_as_reference(loaded)
    assert get_format("json").render(loaded) == saved.read_text(encoding="utf-8")


HOSTILE = [
    "##[error]forged",
    'a "quoted" \\ back\\slash',
    "line\nbreak\ttab\r\x00\x1b[31m",
    "\u2028\u2029\u202e bidi",
    "caf\u00e9 \u65e5\u672c \U0001f600",
    "",
]


def _changed(finding: Finding, rng: random.Random, first: bool) -> Finding:
    """The finding with some of what a row writes changed (its rule's fields rarely)."""
    changes: dict[str, Any] = {}
    pick = rng.random
    if pick() < 0.15:
        changes["subject"] = Subject(finding.subject.kind, finding.subject.id, rng.choice(HOSTILE))
    if pick() < 0.15:
        changes["message"] = rng.choice([*HOSTILE, finding.message + " more"])
    if pick() < 0.15:
        changes["missing"] = rng.choice([(), ("$.flows[0].retention",), ('$.a["b"]', "$.c ##[x]")])
    if pick() < 0.15:
        loc = finding.location
        changes["location"] = rng.choice(
            [None, Location("other/flows.yaml", 3, 7), Location("flows.yaml", 1, 1)]
            + ([Location(loc.path, loc.line, loc.column)] if loc else [])
        )
    if pick() < 0.1:
        changes["verdict"] = rng.choice(list(Status))
    if pick() < 0.1:
        changes["in_baseline"] = rng.choice([True, False])
    if pick() < 0.1:
        changes["waiver"] = Waiver(
            rule=finding.rule_id,
            justification=rng.choice(HOSTILE),
            approved_by="DPO ##[x]",
            expires=dt.date(2027, 1, 31),
            ticket=rng.choice([None, "T-1"]),
            location=rng.choice([None, Location("waivers.yaml", 2, 3)]),
        )
    if pick() < 0.15:
        more = (*finding.why, "another reason")
        changes["why"] = rng.choice([(), tuple(finding.why), more, (rng.choice(HOSTILE),)])
    if pick() < 0.15:
        changes["evidence"] = rng.choice([(), tuple(finding.evidence), ("what the manifest says",)])
    if pick() < 0.1:
        changes["status"] = rng.choice(list(Status))
    if pick() < (0.3 if first else 0.03):
        field, value = rng.choice(
            [
                ("title", finding.title + " ##[changed]"),
                ("topic", "other"),
                ("country", "ZZ"),
                (
                    "severity",
                    model.Severity.INFO
                    if finding.severity is not model.Severity.INFO
                    else model.Severity.HIGH,
                ),
                ("citation", model.Citation("Act", "s. 1", "https://example.org/#[x]")),
                ("remediation", rng.choice(HOSTILE)),
                ("effective_from", rng.choice([None, dt.date(2020, 1, 1)])),
                ("effective_until", rng.choice([None, dt.date(2030, 1, 1)])),
                ("upcoming", not finding.upcoming),
                (
                    "confidence",
                    model.Confidence.HIGH
                    if finding.confidence is model.Confidence.LOW
                    else model.Confidence.LOW,
                ),
                ("draft", not finding.draft),
            ]
        )
        changes["rule"] = records.replace(finding.rule, **{field: value})
    return records.replace(finding, **changes) if changes else finding


@pytest.mark.parametrize("seed", range(6))
def test_changed_findings_are_written_as_the_reference(generated: Report, seed: int) -> None:
    rng = random.Random(seed)
    seen: set[str] = set()
    findings = []
    for finding in generated.findings:
        findings.append(_changed(finding, rng, finding.rule_id not in seen))
        seen.add(finding.rule_id)
    report = records.replace(
        generated,
        findings=tuple(findings),
        manifest_path=rng.choice(["flows.yaml", "other/flows.yaml", "caf\u00e9 ##[x].yaml"]),
        organization=rng.choice(HOSTILE),
    )
    assert_as_reference(report)


# `indented` (SARIF's writer): json.dumps(value, indent=2, ensure_ascii=False), built faster.

_KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from([*model.Confidence, *model.Status, *model.Severity])  # str and int enums
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_indented_is_json_dumps_with_an_indent(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [{1}, b"x", dt.date(2026, 1, 1), {"a": [object()]}, {(1, 2): 3}])
def test_indented_refuses_what_json_dumps_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        indented(value)
