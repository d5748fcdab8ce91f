"""JUnit XML for CI test reports: one testsuite per country, one testcase per rule and subject.

A testcase fails exactly when its finding fails the run: status fail (and, with
--strict, needs_info) at or above the --fail-on threshold, in force, not in the
baseline (``RenderOptions.fail_on`` / ``strict``, the same test as the exit code).
Everything else that asks something of the reader is ``<skipped>`` with the
reason in ``message`` and the detail as text: needs_info names the missing facts,
waived gives the waiver, a fail below the threshold says so, upcoming gives the
date. not_applicable is omitted (it is not a test of this manifest).

Above :data:`GROUP_OVER` testcases, there is one testcase per rule instead (its
subjects listed in the failure or skip text), so CI test views stay usable.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from defa_check.model import Finding, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import xml_text as x

GROUP_OVER = 1_000
"""With more testcases than this, one testcase per rule rather than per rule and subject."""
LISTED = 100
"""Subjects listed in a grouped testcase's text before "and N more"."""


def _law(finding: Finding) -> str:
    return f"Law: {finding.citation.instrument}, {finding.citation.provision} — {finding.citation.url}"


def _outcome(finding: Finding, failing: bool, options: RenderOptions) -> tuple[str, str, str] | None:
    """('failure' | 'skipped', message, text) for a finding, or None when it simply passed."""
    at = f"At: {finding.location}\n" if finding.location else ""
    if failing:
        text = f"{finding.title}\n{finding.message}\nWhat to do: {finding.remediation}\n{_law(finding)}\n{at}"
        return "failure", finding.message, text
    if finding.upcoming:
        when = finding.effective_from.isoformat() if finding.effective_from else "a draft law, not in force"
        would = (finding.verdict or finding.status).value
        return "skipped", f"upcoming ({when}): would be {would}", f"{finding.message}\n{_law(finding)}\n{at}"
    if finding.in_baseline:
        return (
            "skipped",
            f"already in the baseline (still {finding.status.value})",
            f"{finding.message}\n{at}",
        )
    if finding.status is Status.WAIVED and finding.waiver is not None:
        w = finding.waiver
        return (
            "skipped",
            f"waived until {w.expires.isoformat()} (approved by {w.approved_by})",
            f"Justification: {w.justification}\n{finding.message}\n{at}",
        )
    if finding.status is Status.NEEDS_INFO:
        missing = ", ".join(finding.missing) or "a fact the manifest does not state"
        below = "" if options.strict else " (counts as failing only with --strict)"
        return (
            "skipped",
            f"needs info: {missing}{below}",
            f"{finding.message}\nMissing: {missing}\nWhat to do: {finding.remediation}\n{at}",
        )
    if finding.status is Status.FAIL:
        threshold = options.fail_on.label if options.fail_on is not None else "never"
        return (
            "skipped",
            f"fail ({finding.severity.label}), below the fail threshold ({threshold})",
            f"{finding.message}\nWhat to do: {finding.remediation}\n{_law(finding)}\n{at}",
        )
    if finding.status in (Status.PASS, Status.NOT_APPLICABLE):
        return None
    if finding.status is Status.REVIEW:
        return (
            "skipped",
            "review: the facts are stated, the law is unsettled; confirm with counsel",
            f"{finding.message}\n{_law(finding)}\n{at}",
        )
    # Any other status: shown with its own name.
    return "skipped", f"{finding.status.value.replace('_', ' ')}", f"{finding.message}\n{at}"


def _case(
    suite: ET.Element, classname: str, name: str, outcome: tuple[str, str, str] | None, severity: str
) -> str | None:
    # Every text from an input goes through the XML escaper: control characters XML forbids
    # (and lone surrogates) would make the file ill-formed.
    case = ET.SubElement(suite, "testcase", classname=x(classname), name=x(name), time="0.000")
    if outcome is None:
        return None
    kind, message, text = outcome
    element = ET.SubElement(case, kind, message=x(message))
    if kind == "failure":
        element.set("type", severity)
    element.text = x(text)
    return kind


def _grouped_outcome(
    findings: Sequence[Finding], failing: set[int], options: RenderOptions
) -> tuple[str, str, str] | None:
    outcomes = [(f, _outcome(f, id(f) in failing, options)) for f in findings]
    failed = [(f, o) for f, o in outcomes if o is not None and o[0] == "failure"]
    skipped = [(f, o) for f, o in outcomes if o is not None and o[0] == "skipped"]
    chosen = failed or skipped
    if not chosen:
        return None
    first = chosen[0][0]
    lines = [f"{f.subject.label}: {o[1]}" + (f" ({f.location})" if f.location else "") for f, o in chosen]
    more = len(lines) - LISTED
    text = "\n".join(lines[:LISTED]) + (f"\n... and {more} more" if more > 0 else "")
    text += f"\n\n{first.title}\nWhat to do: {first.remediation}\n{_law(first)}\n"
    if failed:
        return "failure", f"fails the run on {len(failed)} of {len(findings)} subjects", text
    return "skipped", f"{len(skipped)} of {len(findings)} subjects need a look (none fails the run)", text


class JunitFormat(OutputFormat):
    name = "junit"
    description = "JUnit XML for CI test-report views (failures follow --fail-on and --strict)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        failing = {id(f) for f in report.failing(options.fail_on, options.strict)}
        tested = [f for f in report.findings if f.status is not Status.NOT_APPLICABLE]
        grouped = len(tested) > GROUP_OVER
        root = ET.Element("testsuites", name="defa-check")
        totals = [0, 0]
        for country in report.countries:
            mine = [f for f in tested if f.country == country]
            suite = ET.SubElement(root, "testsuite", name=f"defa-check.{country}")
            kinds: list[str | None] = []
            if grouped:
                by_rule: dict[str, list[Finding]] = {}
                for finding in mine:
                    by_rule.setdefault(finding.rule_id, []).append(finding)
                for rule_id, findings in by_rule.items():
                    name = f"{rule_id} ({len(findings)} subjects)"
                    outcome = _grouped_outcome(findings, failing, options)
                    classname = f"defa-check.{country}.{rule_id}"
                    kinds.append(_case(suite, classname, name, outcome, findings[0].severity.label))
            else:
                for finding in mine:
                    outcome = _outcome(finding, id(finding) in failing, options)
                    name = f"{finding.rule_id} {finding.subject.label}"
                    classname = f"defa-check.{country}.{finding.rule_id}"
                    kinds.append(_case(suite, classname, name, outcome, finding.severity.label))
            failures = kinds.count("failure")
            suite.set("tests", str(len(kinds)))
            suite.set("failures", str(failures))
            suite.set("errors", "0")
            suite.set("skipped", str(kinds.count("skipped")))
            suite.set("time", "0.000")
            totals[0] += len(kinds)
            totals[1] += failures
        root.set("tests", str(totals[0]))
        root.set("failures", str(totals[1]))
        root.set("errors", "0")
        root.set("time", "0.000")  # the xUnit XSD has no `skipped` on <testsuites>
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
