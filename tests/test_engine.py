"""The engine through its API, on the fictional test pack (country AQ)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from defa_check.evaluate.document import check_data, check_document
from defa_check.evaluate.engine import Selection, countries_mentioned
from defa_check.inputs import source as yamlio
from defa_check.model import Status
from defa_check.packs.loader import Catalog, load_catalog

from .conftest import AS_OF, ROOT


def manifest(**parts: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"manifest_version": 1, "organization": {"name": "T", "home_country": "AQ"}}
    data.update(parts)
    return data


def statuses(catalog: Catalog, data: dict[str, Any], as_of: dt.date = AS_OF) -> dict[tuple[str, str], str]:
    result = check_data(data, catalog, as_of)
    assert result.report is not None, result.problems
    return {(f.rule_id, f.subject.id): f.status.value for f in result.report.findings}


def test_statuses_per_subject(test_catalog: Catalog) -> None:
    data = manifest(
        flows=[
            {
                "id": "out",
                "from": "AQ",
                "to": "SG",
                "transfer_mechanisms": ["none"],
                "data_categories": ["user.contact.email"],
            },
            {
                "id": "in",
                "from": "SG",
                "to": "AQ",
                "data_categories": ["user.biometric.voice"],
                "legal_bases": ["consent"],
            },
            {"id": "elsewhere", "from": "SG", "to": "VN"},
        ]
    )
    got = statuses(test_catalog, data)
    assert got[("AQ-TRANSFER-001", "out")] == "fail"
    assert got[("AQ-TRANSFER-001", "in")] == "not_applicable"
    assert got[("AQ-SENSITIVE-001", "in")] == "pass"
    assert got[("AQ-SENSITIVE-001", "out")] == "not_applicable"
    # A flow that never touches AQ meets none of AQ's rules.
    assert not any(subject == "elsewhere" for _, subject in got)


def test_missing_fact_is_needs_info_naming_the_field(test_catalog: Catalog) -> None:
    result = check_data(manifest(flows=[{"id": "out", "from": "AQ", "to": "SG"}]), test_catalog, AS_OF)
    assert result.report is not None
    finding = next(f for f in result.report.findings if f.rule_id == "AQ-TRANSFER-001")
    assert finding.status is Status.NEEDS_INFO
    assert finding.missing == ("$.flows[0].transfer_mechanisms",)
    assert "$.flows[0].transfer_mechanisms" in finding.message


def test_declared_ancestor_is_never_a_silent_pass(test_catalog: Catalog) -> None:
    data = manifest(
        flows=[{"id": "f", "from": "AQ", "to": "AQ", "data_categories": ["user"], "legal_bases": []}]
    )
    assert statuses(test_catalog, data)[("AQ-SENSITIVE-001", "f")] == "needs_info"


def test_upcoming_rules_are_reported_and_never_fail_the_run(test_catalog: Catalog) -> None:
    data = manifest(
        organization={"name": "T", "home_country": "AQ", "dpo_appointed": False},
        flows=[{"id": "f", "from": "AQ", "to": "AQ", "subjects": {"count": 5000}}],
    )
    result = check_data(data, test_catalog, AS_OF)
    assert result.report is not None
    dpo = next(f for f in result.report.findings if f.rule_id == "AQ-DPO-001")
    assert (dpo.status, dpo.upcoming, dpo.effective_from) == (Status.FAIL, True, dt.date(2030, 1, 1))
    assert (
        dpo not in result.report.failing(threshold=None)
        and result.report.failing(threshold=dpo.severity) == []
    )
    # On its effective date it is no longer upcoming and does fail the run.
    later = check_data(data, test_catalog, dt.date(2030, 1, 1)).report
    assert later is not None
    assert [f.rule_id for f in later.failing(dpo.severity)] == ["AQ-DPO-001"]


def test_superseded_rules_are_not_applied(test_catalog: Catalog) -> None:
    data = manifest(organization={"name": "T", "home_country": "AQ", "breach_notification_hours": 48})
    assert ("AQ-BREACH-001", "organization") not in statuses(test_catalog, data)
    assert statuses(test_catalog, data, dt.date(2020, 12, 31))[("AQ-BREACH-001", "organization")] == "fail"


def test_market_rules_and_registrations_by_country(test_catalog: Catalog) -> None:
    data = manifest(
        organization={
            "name": "T",
            "home_country": "SG",
            "registrations": [{"country": "SG", "kind": "platform_notification"}],
        },
        markets=[{"country": "AQ", "role": "platform", "monthly_users": 6000}],
    )
    assert statuses(test_catalog, data)[("AQ-PLATFORM-001", "AQ")] == "fail"


def test_order_is_deterministic_and_independent_of_input_order(test_catalog: Catalog) -> None:
    flows = [{"id": f"f{i}", "from": "AQ", "to": "SG", "transfer_mechanisms": ["none"]} for i in range(5)]
    a = check_data(manifest(flows=flows), test_catalog, AS_OF).report
    b = check_data(manifest(flows=list(reversed(flows))), test_catalog, AS_OF).report
    assert a is not None and b is not None
    keys = [f.sort_key for f in a.findings]
    assert keys == sorted(keys)
    assert [f.to_dict()["subject"] for f in a.findings] == [f.to_dict()["subject"] for f in b.findings]


def test_country_selection(test_catalog: Catalog) -> None:
    data = manifest(flows=[{"id": "f", "from": "AQ", "to": "SG"}])
    result = check_data(data, test_catalog, AS_OF, Selection(countries=frozenset({"SG"})))
    assert result.report is not None and result.report.findings == ()
    assert countries_mentioned(data) == {"AQ", "SG"}


def test_findings_point_at_manifest_lines(test_catalog: Catalog) -> None:
    text = (
        "manifest_version: 1\n"
        "organization: {name: T, home_country: AQ}\n"
        "flows:\n"
        "  - id: a\n    from: AQ\n    to: AQ\n"
        "  - id: b\n    from: AQ\n    to: SG\n"
    )
    result = check_document(yamlio.loads(text, "m.yaml"), test_catalog, AS_OF)
    assert result.report is not None
    where = {f.subject.id: str(f.location) for f in result.report.findings}
    assert where == {"organization": "m.yaml:2:1", "a": "m.yaml:4:5", "b": "m.yaml:7:5"}


def test_report_round_trips_through_json(test_catalog: Catalog) -> None:
    from defa_check.model import Report

    result = check_data(manifest(flows=[{"id": "f", "from": "AQ", "to": "SG"}]), test_catalog, AS_OF)
    assert result.report is not None
    again = Report.from_dict(result.report.to_dict())
    assert again.to_dict() == result.report.to_dict()


def test_low_confidence_fail_is_reported_as_needs_review(test_catalog: Catalog) -> None:
    data = manifest(flows=[{"id": "f", "from": "AQ", "to": "AQ", "safeguards": []}])
    result = check_data(data, test_catalog, AS_OF)
    assert result.report is not None
    finding = next(f for f in result.report.findings if f.rule_id == "AQ-SECURITY-001")
    assert (finding.status, finding.verdict) == (Status.REVIEW, Status.FAIL)
    assert "unsettled" in finding.message and finding.missing == ()
    assert finding.to_dict()["verdict"] == "fail" and finding.to_dict()["status"] == "review"
    report = result.report
    # Not a fix the user can make: --strict does not count it, --strict-review does.
    assert report.failing(threshold=finding.severity, strict=False) == []
    assert report.failing(threshold=finding.severity, strict=True) == [
        f for f in report.action_items() if f.status is Status.NEEDS_INFO and f.severity >= finding.severity
    ]
    assert finding in report.failing(threshold=finding.severity, strict=True, strict_review=True)
    assert report.summary()["review"] >= 1 and finding in report.review_items()
    assert finding not in report.action_items()


def test_needs_info_always_names_a_fact_the_user_can_supply(test_catalog: Catalog) -> None:
    """Since review has its own status, every needs_info finding names what to add."""
    import yaml

    for path in sorted((ROOT / "examples").glob("*.yaml")):
        result = check_data(yaml.safe_load(path.read_text()), load_catalog(), AS_OF)
        assert result.report is not None
        for f in result.report.findings:
            if f.status is Status.NEEDS_INFO:
                assert f.missing, (path.name, f.rule_id, f.subject)


def test_draft_rules_are_pending_developments_never_failures(test_catalog: Catalog) -> None:
    data = manifest(organization={"name": "T", "home_country": "AQ", "dpo_appointed": False})
    result = check_data(data, test_catalog, AS_OF)
    assert result.report is not None
    draft = next(f for f in result.report.findings if f.rule_id == "AQ-DRAFT-001")
    assert (draft.status, draft.draft, draft.upcoming, draft.effective_from) == (
        Status.FAIL,
        True,
        True,
        None,
    )
    assert draft not in result.report.failing(threshold=draft.severity)
    assert draft.to_dict()["effective_from"] is None


def test_stated_totals_per_country_drive_thresholds(test_catalog: Catalog) -> None:
    """Flows may overlap; the organization's own total per country wins when it is larger."""
    flows = [{"id": f"f{i}", "from": "AQ", "to": "AQ", "subjects": {"count": 400}} for i in range(3)]
    org = {"name": "T", "home_country": "AQ", "dpo_appointed": False}
    as_of = dt.date(2030, 1, 1)
    assert ("AQ-DPO-001", "organization") in statuses(
        test_catalog, manifest(organization=org, flows=flows), as_of
    )
    assert statuses(test_catalog, manifest(organization=org, flows=flows), as_of)[
        ("AQ-DPO-001", "organization")
    ] == (
        "not_applicable"  # largest flow: 400 < 1000
    )
    stated = {**org, "data_subjects_by_country": {"AQ": 1200}}
    assert statuses(test_catalog, manifest(organization=stated, flows=flows), as_of)[
        ("AQ-DPO-001", "organization")
    ] == ("fail")
    unknown_counts = [{"id": "f", "from": "AQ", "to": "AQ"}]
    assert (
        statuses(test_catalog, manifest(organization=stated, flows=unknown_counts), as_of)[
            ("AQ-DPO-001", "organization")
        ]
        == "fail"
    )  # the stated total decides even when a flow omits its count
    # A flow about several countries' people counts them together: it does not raise AQ's total.
    shared = [{"id": "f", "from": "AQ", "to": "AQ", "subjects": {"count": 5000, "countries": ["AQ", "SG"]}}]
    below = {**org, "data_subjects_by_country": {"AQ": 800}}
    assert (
        statuses(test_catalog, manifest(organization=below, flows=shared), as_of)[
            ("AQ-DPO-001", "organization")
        ]
        == "not_applicable"
    )


def test_catalog_is_immutable_and_indexed_once(test_catalog: Catalog) -> None:
    import pytest

    from defa_check import records

    with pytest.raises(records.FrozenInstanceError):
        test_catalog.rules = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        test_catalog.packs["XX"] = test_catalog.packs["AQ"]  # type: ignore[index]
    assert sum(len(r) for kinds in test_catalog.by_country.values() for r in kinds.values()) == len(
        test_catalog.rules
    )
