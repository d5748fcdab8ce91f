"""CI formats at the platforms' limits: SARIF (GitHub code scanning), JUnit, GitHub annotations,
GitLab Code Quality, and the compact hook output."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from defa_check.model import (
    Citation,
    Confidence,
    Finding,
    Location,
    PackInfo,
    Report,
    RuleText,
    Severity,
    Status,
    Subject,
)
from defa_check.render import RenderOptions, get_format
from defa_check.render.github import PER_KIND
from defa_check.render.gitlab import ISSUES_CAP
from defa_check.render.junit import GROUP_OVER
from defa_check.render.sarif import RELATED_CAP, RESULTS_CAP

SCHEMAS = Path(__file__).parent / "schemas"
AS_OF = dt.date(2026, 11, 27)
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def finding(
    n: int,
    status: Status = Status.FAIL,
    severity: Severity = Severity.HIGH,
    rule: str | None = None,
    path: str = "flows.yaml",
    upcoming: bool = False,
) -> Finding:
    text = RuleText(
        rule_id=rule or f"AQ-RULE-{n % 7:03d}",
        country="AQ",
        topic="transfer",
        severity=severity,
        title="A title",
        citation=Citation("Act", "s. 1", "https://example.invalid/act"),
        remediation="Do it.",
        effective_from=dt.date(2031, 1, 1) if upcoming else dt.date(2020, 1, 1),
        effective_until=None,
        upcoming=upcoming,
        confidence=Confidence.HIGH,
        draft=False,
    )
    return Finding(
        rule=text,
        status=status,
        subject=Subject("flow", f"f{n}"),
        message="A message.",
        missing=("$.flows[0].x",) if status is Status.NEEDS_INFO else (),
        location=Location(path, 10 + n, 5),
    )


def report_of(findings: list[Finding], path: str = "flows.yaml") -> Report:
    return Report(
        "1.0",
        AS_OF,
        path,
        "0" * 64,
        "Org",
        (PackInfo("AQ", "2026.11", "2026-11-01"),),
        tuple(findings),
        ("AQ",),
    )


@pytest.fixture(scope="module")
def huge() -> Report:
    """100,000 flows, each failing one of seven rules, plus needs_info on a few."""
    found = [finding(n) for n in range(100_000)]
    found += [finding(n, Status.NEEDS_INFO, rule="AQ-INFO-001") for n in range(2_000)]
    return report_of(found)


def sarif_schema_errors(log: dict[str, object]) -> list[str]:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [e.message for e in validator.iter_errors(log)][:3]


def test_sarif_uris_are_relative_normalised_and_based(tmp_path: Path) -> None:
    inside = os.path.join(os.getcwd(), "m", "..", "teams", "flows.yaml")
    for path in (inside, "m/../teams/flows.yaml", "./teams/flows.yaml"):
        log = json.loads(get_format("sarif").render(report_of([finding(1, path=path)], path)))
        where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert where == {"uri": "teams/flows.yaml", "uriBaseId": "%SRCROOT%"}
        assert log["runs"][0]["automationDetails"]["id"] == "defa-check/teams/flows.yaml/"
        assert "%SRCROOT%" in log["runs"][0]["originalUriBaseIds"]
    outside = str(Path(os.getcwd()).parent / "else where" / "flows.yaml")
    log = json.loads(get_format("sarif").render(report_of([finding(1, path=outside)], outside)))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file:///") and "else%20where" in uri["uri"] and "uriBaseId" not in uri
    assert sarif_schema_errors(log) == []


def test_sarif_upcoming_findings_never_become_results() -> None:
    soon = [finding(n, upcoming=True, rule="AQ-SOON-001") for n in range(3)]
    log = json.loads(get_format("sarif").render(report_of([*soon, finding(9, Status.PASS)])))
    run = log["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["properties"]["defa-check/upcoming"] == {"AQ-SOON-001": 3}


def test_sarif_below_the_cap_has_one_result_per_subject() -> None:
    log = json.loads(get_format("sarif").render(report_of([finding(n) for n in range(RESULTS_CAP)])))
    run = log["runs"][0]
    assert len(run["results"]) == RESULTS_CAP and run["properties"]["defa-check/results"] == "per-subject"


def test_sarif_of_100000_flows_fits_github_limits(huge: Report) -> None:
    text = get_format("sarif").render(huge)
    log = json.loads(text)
    run = log["runs"][0]
    assert run["properties"]["defa-check/results"] == "per-requirement"
    assert len(log["runs"]) <= 20 and len(run["results"]) <= RESULTS_CAP
    assert len(run["results"]) == 8  # seven failing rules and one needs_info rule
    for result in run["results"]:
        assert len(result.get("locations", [])) + len(result.get("relatedLocations", [])) <= 1 + RELATED_CAP
        assert len(result["relatedLocations"]) == RELATED_CAP
    by_rule = {r["ruleId"]: r for r in run["results"]}
    failing = by_rule["AQ-RULE-000"]
    subjects = sum(1 for n in range(100_000) if n % 7 == 0)
    assert failing["properties"]["subjects"] == subjects
    assert failing["properties"]["subjects_not_listed"] == subjects - 1 - RELATED_CAP
    assert f"on {subjects} subjects" in failing["message"]["text"]
    assert len({json.dumps(r["partialFingerprints"]) for r in run["results"]}) == 8
    assert len(gzip.compress(text.encode())) < 10 * 1024 * 1024  # GitHub's upload limit
    for result in run["results"]:  # every related location has the same shape: validate a few
        result["relatedLocations"] = result["relatedLocations"][:20]
    assert sarif_schema_errors(log) == []


def test_junit_groups_per_rule_when_large() -> None:
    xmlschema = pytest.importorskip("xmlschema")
    found = [finding(n, severity=Severity.HIGH if n % 2 else Severity.LOW) for n in range(2 * GROUP_OVER)]
    found.append(finding(5000, Status.NEEDS_INFO, rule="AQ-INFO-001"))
    text = get_format("junit").render(report_of(found))
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text)
    root = ET.fromstring(text)
    cases = {c.get("name", ""): c for c in root.iter("testcase")}
    assert len(cases) == 8  # seven rules and the needs_info one
    failure = cases[next(n for n in cases if n.startswith("AQ-RULE-001 "))].find("failure")
    assert failure is not None and "fails the run on" in (failure.get("message") or "")
    assert "... and" in (failure.text or "")  # long lists are cut, with a count
    info = cases["AQ-INFO-001 (1 subjects)"].find("skipped")
    assert info is not None and "$.flows[0].x" in (info.text or "")
    never = ET.fromstring(get_format("junit").render(report_of(found), RenderOptions(fail_on=None)))
    assert never.get("failures") == "0"


def test_github_annotations_are_capped_with_a_summary_line() -> None:
    found = [finding(n) for n in range(25)] + [finding(n, severity=Severity.LOW) for n in range(25, 28)]
    lines = get_format("github").render(report_of(found)).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == PER_KIND
    assert sum(line.startswith("::warning ") for line in lines) == 3
    assert lines[-1].startswith("::notice title=defa-check::") and "15 errors" in lines[-1]
    every = get_format("github").render(report_of(found), RenderOptions(limit=None)).splitlines()
    assert sum(line.startswith("::error ") for line in every) == 25 and "Not annotated" not in every[-1]


def test_gitlab_code_quality_is_valid_against_gitlabs_schema(huge: Report) -> None:
    item_schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text())
    validator = jsonschema.validators.validator_for(item_schema)(item_schema)
    small = report_of(
        [
            finding(1),
            finding(2, Status.NEEDS_INFO),
            finding(3, Status.WAIVED),
            finding(4, Status.PASS),
            finding(5, upcoming=True),
            finding(6, severity=Severity.CRITICAL, path=os.path.join(os.getcwd(), "a", "..", "flows.yaml")),
        ]
    )
    issues = json.loads(get_format("gitlab").render(small))
    assert [i["check_name"] for i in issues] == ["AQ-RULE-006", "AQ-RULE-001", "AQ-RULE-002"]
    assert [i["severity"] for i in issues] == ["critical", "major", "minor"]
    for issue in issues:
        assert list(validator.iter_errors(issue)) == []
        assert issue["location"] == {
            "path": "flows.yaml",
            "lines": {"begin": issue["location"]["lines"]["begin"]},
        }
    assert json.loads(get_format("gitlab").render(report_of([]))) == []
    # GitLab's published schema is per issue; the docs add the array, the severities and unique fingerprints.
    at_cap = json.loads(get_format("gitlab").render(report_of([finding(n) for n in range(ISSUES_CAP)])))
    assert len(at_cap) == ISSUES_CAP and len({i["fingerprint"] for i in at_cap}) == ISSUES_CAP
    everything = json.loads(get_format("gitlab").render(huge))
    assert isinstance(everything, list) and len(everything) == 8  # one per requirement beyond the cap
    assert {i["severity"] for i in everything} <= GITLAB_SEVERITIES
    assert len({i["fingerprint"] for i in everything}) == len(everything)
    failing = next(i for i in everything if i["check_name"] == "AQ-RULE-000")
    assert failing["description"].startswith(
        f"{sum(1 for n in range(100_000) if n % 7 == 0)} subjects, first"
    )
    for issue in everything:
        assert list(validator.iter_errors(issue)) == []
        assert issue["location"]["lines"]["begin"] >= 1 and not issue["location"]["path"].startswith("/")


def test_compact_output_lists_what_needs_action_and_counts_the_rest() -> None:
    found = [finding(n) for n in range(30)] + [finding(99, Status.PASS)]
    lines = get_format("compact").render(report_of(found)).splitlines()
    assert len(lines) == 21 and lines[0].startswith("flows.yaml:10:5: AQ-RULE-000 fail (high)")
    assert lines[-1].startswith("... and 10 more")
    clean = report_of([finding(1, Status.PASS)])
    assert get_format("compact").render(clean) == "flows.yaml: nothing needs action\n"
    evil = report_of([finding(1, path="fl\x1b]0;owned\x07ows.yaml")])
    assert "\x1b" not in get_format("compact").render(evil)


NOTICE = "--country TH: this manifest mentions only SG, US, VN; nothing was checked"


@pytest.mark.parametrize("found", [[], [finding(1)]], ids=["nothing found", "a finding"])
def test_what_was_not_checked_is_said_in_every_ci_format(found: list[Finding]) -> None:
    """A run that checked nothing read as all clear in SARIF, GitHub and compact output (a user
    trial): the report's notices come first in each, and SARIF stays valid."""
    from defa_check import records

    report = records.replace(report_of(found), notices=(NOTICE, "waiver W-1 expired on 2026-11-01"))
    log = json.loads(get_format("sarif").render(report))
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notifications] == list(report.notices)
    assert {n["level"] for n in notifications} == {"warning"}
    assert sarif_schema_errors(log) == []
    github = get_format("github").render(report).splitlines()
    assert github[:2] == [f"::warning title=defa-check::{NOTICE}", github[1]] and "W-1" in github[1]
    compact = get_format("compact").render(report).splitlines()
    assert compact[0] == f"flows.yaml: notice: {NOTICE}"
    assert compact[-1] == "flows.yaml: nothing needs action" or "AQ-" in compact[-1]
    # Without notices the output is as before: no invocations, no notice lines.
    plain = report_of(found)
    assert "invocations" not in json.loads(get_format("sarif").render(plain))["runs"][0]
    assert "notice:" not in get_format("compact").render(plain)
    assert not get_format("github").render(plain).startswith("::warning title=defa-check::")


def test_notices_take_warning_slots_from_findings_not_beyond_githubs_cap() -> None:
    from defa_check import records

    many = [finding(n, severity=Severity.MEDIUM) for n in range(30)]  # warnings
    report = records.replace(report_of(many), notices=(NOTICE,))
    lines = get_format("github").render(report).splitlines()
    assert sum(line.startswith("::warning") for line in lines) == PER_KIND
    assert lines[0] == f"::warning title=defa-check::{NOTICE}"
