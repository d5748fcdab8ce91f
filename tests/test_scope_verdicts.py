"""A requirement for organisations or flows the manifest shows are outside it is not_applicable,
never "already met" (found with examples/regional-hr.yaml in a user trial)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from defa_check.cli import app

from .conftest import ROOT


def _statuses(example: str, *rule_ids: str) -> dict[tuple[str, str], str]:
    manifest = str(ROOT / "examples" / example)
    args = ["check", manifest, "-f", "json", "--include-not-applicable", "--as-of", "2026-11-29"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return {
        (f["rule_id"], f["subject"]["id"]): f["status"]
        for f in report["findings"]
        if f["rule_id"] in rule_ids
    }


def test_the_non_coverage_declaration_is_not_for_an_organisation_above_the_thresholds() -> None:
    """Straits Freight has 2,600 employees and a Philippine entity: it must register (it has, so
    PH-REGISTRATION-001 passes); the declaration for those below the thresholds does not apply."""
    got = _statuses("regional-hr.yaml", "PH-REGISTRATION-001", "PH-REGISTRATION-003")
    assert got == {
        ("PH-REGISTRATION-001", "organization"): "pass",
        ("PH-REGISTRATION-003", "organization"): "not_applicable",
    }


def test_an_exempt_employee_flow_is_outside_the_transfer_dossier_duty() -> None:
    """Law 91/2025 Art. 20(6)(b) and Decree 356 Art. 17(3)(d) exempt employees' data sent abroad
    for employment: such a flow is not_applicable, not a pass as if a dossier were filed."""
    got = _statuses("regional-hr.yaml", "VN-TRANSFER-001")
    assert got == {("VN-TRANSFER-001", "vn-staff"): "not_applicable"}
    got = _statuses("vn-fintech-us-cloud.yaml", "VN-TRANSFER-001")
    assert got == {
        ("VN-TRANSFER-001", "customers-to-us-cloud"): "fail",
        ("VN-TRANSFER-001", "staff-hr"): "not_applicable",
    }
