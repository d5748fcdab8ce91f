"""Run every rule's examples: the examples in a rule are its tests."""

from __future__ import annotations

import copy
import datetime as dt

from defa_check.evaluate.document import check_data
from defa_check.evaluate.engine import Selection
from defa_check.model import Example, Rule
from defa_check.packs.loader import Catalog
from defa_check.records import record


@record
class ExampleResult:
    """What one example produced, against what it expected."""

    rule_id: str
    example: str
    expected: str
    actual: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def complete_manifest(fragment: dict[str, object]) -> dict[str, object]:
    """The example's fragment with the defaults the harness adds."""
    manifest = copy.deepcopy(fragment)
    manifest.setdefault("manifest_version", 1)
    org = manifest.setdefault("organization", {})
    if isinstance(org, dict):
        org.setdefault("name", "Example Co")
    return manifest


def run_example(rule: Rule, example: Example, catalog: Catalog) -> ExampleResult:
    """Evaluate one example of ``rule`` with only that rule selected."""
    as_of = example.as_of or rule.effective_from or dt.date.today()
    result = check_data(
        complete_manifest(example.manifest),
        catalog,
        as_of,
        Selection(countries=frozenset({rule.country}), rule_ids=frozenset({rule.id})),
        path=f"{rule.id}:{example.name}",
    )
    if result.report is None:
        detail = "; ".join(str(p) for p in result.problems)
        return ExampleResult(rule.id, example.name, example.expect, "invalid", detail)
    findings = [f for f in result.report.findings if f.rule_id == rule.id]
    if example.subject is not None:
        findings = [f for f in findings if f.subject.id == example.subject]
    if len(findings) != 1:
        ids = ", ".join(f"{f.subject.kind}:{f.subject.id}" for f in findings) or "none"
        return ExampleResult(
            rule.id,
            example.name,
            example.expect,
            "ambiguous" if findings else "no-finding",
            f"expected one finding on the subject, got {ids}",
        )
    finding = findings[0]
    detail = ", ".join(finding.missing)
    # The rule's own verdict: a low-confidence fail is reported as review,
    # but its examples test the rule's logic.
    actual = (finding.verdict or finding.status).value
    return ExampleResult(rule.id, example.name, example.expect, actual, detail)


def run_all(catalog: Catalog, countries: frozenset[str] | None = None) -> list[ExampleResult]:
    results = []
    for rule in sorted(catalog.rules, key=lambda r: r.id):
        if countries is not None and rule.country not in countries:
            continue
        for example in rule.examples:
            results.append(run_example(rule, example, catalog))
    return results
