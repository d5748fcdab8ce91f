"""A requirement for organisations or flows the manifest shows are outside it is not_applicable,
never "already met" (found with examples/regional-hr.yaml in a user trial)."""

from __future__ import annotations

import json
from typing import Any

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


# A Malaysian shop: 3,000 customers in Malaysia alone, and a courier flow about the customers of
# three countries together.
_MY_SHOP = """\
manifest_version: 1
organization:
  name: Batik Corner Sdn. Bhd.
  home_country: MY
  size: micro
  employees: 8
  establishments: [MY]
  dpo_appointed: false
  registrations: []
flows:
  - id: my-customers
    from: MY
    to: MY
    subjects: {kinds: [customer], countries: [MY], count: 3000}
    data_categories: [user.name]
  - id: courier
    from: MY
    to: MY
    subjects: {kinds: [customer], countries: [MY, SG, TH], count: COURIER}
    data_categories: [user.name, user.contact.address]
"""


def _my_dpo(tmp_path: Any, courier: int, extra: str = "") -> tuple[str, list[str], list[str]]:
    manifest = tmp_path / "shop.yaml"
    text = _MY_SHOP.replace("COURIER", str(courier)).replace(
        "  registrations: []\n", "  registrations: []\n" + extra
    )
    manifest.write_text(text)
    args = [
        "check",
        str(manifest),
        "-c",
        "MY",
        "-f",
        "json",
        "--include-not-applicable",
        "--as-of",
        "2026-11-29",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "MY-DPO-001"]
    why = finding.get("why") or report["rules"]["MY-DPO-001"]["defaults"][finding["status"]].get("why", [])
    return finding["status"], finding.get("missing", []), why


def test_a_flow_about_several_countries_people_gives_only_an_upper_bound_for_one_of_them(
    tmp_path: Any,
) -> None:
    """A user trial: a courier flow's 4,400 people across MY, SG and TH was read as 4,400 people in
    Malaysia. MY-DPO-001 applies above 20,000 people: 25,000 across three countries may or may not
    be, so it asks for the per-country total instead of failing; 4,400 cannot be, at either end."""
    status, missing, _ = _my_dpo(tmp_path, 25_000)
    assert (status, missing) == ("needs_info", ["$.organization.data_subjects_by_country"])
    status, _, why = _my_dpo(tmp_path, 4_400)
    assert status == "not_applicable"
    assert "the number of people in Malaysia whose data you hold: 3,000 to 4,400 (at most 20,000)" in why
    # The organisation's own total settles it, either way.
    status, _, _ = _my_dpo(tmp_path, 25_000, "  data_subjects_by_country: {MY: 21000}\n")
    assert status == "fail"
    status, _, _ = _my_dpo(tmp_path, 25_000, "  data_subjects_by_country: {MY: 5000}\n")
    assert status == "not_applicable"


def test_an_employers_staff_data_does_not_make_the_thai_dpo_notification_apply() -> None:
    """A user trial: TH-DPO-003 failed for regional-hr ("your processing ... requires [a DPO] under
    PDPA s. 41") while TH-DPO-002 said its employee data did not require one."""
    got = _statuses("regional-hr.yaml", "TH-DPO-002", "TH-DPO-003")
    assert got == {
        ("TH-DPO-002", "th-staff"): "not_applicable",
        ("TH-DPO-003", "organization"): "not_applicable",
    }
