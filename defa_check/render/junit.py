"""JUnit XML for CI test reports: one testsuite per country, one testcase per rule and subject.

fail -> <failure>; needs_info, waived and upcoming -> <skipped> with the reason;
not_applicable is omitted (it is not a test of this manifest).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defa_check.model import Finding, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import xml_text as x


def _case(suite: ET.Element, finding: Finding) -> tuple[int, int]:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=x(f"defa-check.{finding.country}.{finding.rule_id}"),
        name=x(f"{finding.rule_id} {finding.subject.label}"),
        time="0.000",
    )
    if finding.upcoming:
        when = finding.effective_from.isoformat() if finding.effective_from else "draft law"
        ET.SubElement(case, "skipped", message=f"upcoming ({when}): would be {finding.status.value}")
        return 0, 1
    if finding.in_baseline:
        ET.SubElement(case, "skipped", message=f"already in the baseline (still {finding.status.value})")
        return 0, 1
    if finding.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", message=x(finding.message), type=finding.severity.label)
        failure.text = x(
            f"{finding.title}\n{finding.message}\nWhat to do: {finding.remediation}\n"
            f"Law: {finding.citation.instrument}, {finding.citation.provision} — {finding.citation.url}\n"
            + (f"At: {finding.location}\n" if finding.location else "")
        )
        return 1, 0
    if finding.status is Status.NEEDS_INFO:
        missing = ", ".join(finding.missing) or "legal review"
        ET.SubElement(case, "skipped", message=x(f"needs info: {missing}"))
        return 0, 1
    if finding.status is Status.WAIVED:
        ET.SubElement(case, "skipped", message="waived")
        return 0, 1
    return 0, 0


class JunitFormat(OutputFormat):
    name = "junit"
    description = "JUnit XML for CI test-report views"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        root = ET.Element("testsuites", name="defa-check")
        totals = [0, 0]
        for country in report.countries:
            mine = [
                f for f in report.findings if f.country == country and f.status is not Status.NOT_APPLICABLE
            ]
            suite = ET.SubElement(root, "testsuite", name=f"defa-check.{country}")
            failures = skipped = 0
            for finding in mine:
                f, s = _case(suite, finding)
                failures += f
                skipped += s
            suite.set("tests", str(len(mine)))
            suite.set("failures", str(failures))
            suite.set("errors", "0")
            suite.set("skipped", str(skipped))
            suite.set("time", "0.000")
            totals[0] += len(mine)
            totals[1] += failures
        root.set("tests", str(totals[0]))
        root.set("failures", str(totals[1]))
        root.set("errors", "0")
        root.set("time", "0.000")  # the xUnit XSD has no `skipped` on <testsuites>
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
