"""SARIF 2.1.0 for code scanning: one run, a rules table, results located in the manifest.

Fingerprints come from rule id + country + subject (never line numbers), so
code scanning keeps tracking a finding when the manifest is edited around it.
"""

from __future__ import annotations

import json
from typing import Any

from defa_check.model import DISCLAIMER, Finding, Report, Severity, Status
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import uri_reference

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# GitHub's code scanning reads `security-severity` (0-10) to rank findings.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _level(finding: Finding) -> str:
    if finding.status is not Status.FAIL:
        return "none"  # SARIF 2.1.0 §3.27.10: only kind "fail" carries a level
    if finding.upcoming or finding.in_baseline:
        return "note"
    return "error" if finding.severity >= Severity.HIGH else "warning"


def _rule_level(severity: Severity) -> str:
    return "error" if severity >= Severity.HIGH else "warning" if severity >= Severity.MEDIUM else "note"


def _rule(finding: Finding) -> dict[str, Any]:
    citation = f"{finding.citation.instrument}, {finding.citation.provision}"
    return {
        "id": finding.rule_id,
        "name": finding.rule_id.replace("-", ""),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": f"{finding.title}. Law: {citation}."},
        "help": {
            "text": f"{finding.remediation}\n\nLaw: {citation} ({finding.citation.url})\n\n{DISCLAIMER}",
            "markdown": (
                f"{finding.remediation}\n\n**Law:** [{citation}]({finding.citation.url})\n\n_{DISCLAIMER}_"
            ),
        },
        "helpUri": finding.citation.url,
        "defaultConfiguration": {"level": _rule_level(finding.severity)},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "tags": ["compliance", f"country:{finding.country}", f"topic:{finding.topic}"],
            "confidence": finding.confidence,
        },
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    text = finding.message
    if finding.upcoming:
        when = finding.effective_from.isoformat() if finding.effective_from else "a draft law, not in force"
        text = f"Upcoming ({when}): {text}"
    if finding.status is Status.FAIL or finding.missing:
        text += f" What to do: {finding.remediation}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "kind": "fail" if finding.status is Status.FAIL else "review",
        "message": {"text": text},
        "partialFingerprints": {"defaCheckFinding/v1": finding.fingerprint_hash},
        "properties": {
            "country": finding.country,
            "status": finding.status.value,
            "severity": finding.severity.label,
            "subject": f"{finding.subject.kind}:{finding.subject.id}",
            "upcoming": finding.upcoming,
            "draft": finding.draft,
        },
    }
    if finding.location is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_reference(finding.location.path)},
                    "region": {"startLine": finding.location.line, "startColumn": finding.location.column},
                },
                "message": {"text": finding.subject.label},
            }
        ]
    if finding.in_baseline is not None:
        result["baselineState"] = "unchanged" if finding.in_baseline else "new"
    if finding.status is Status.WAIVED and finding.waiver:
        result["suppressions"] = [{"kind": "external", "justification": finding.waiver.justification}]
    return result


class SarifFormat(OutputFormat):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # What needs action now, what would once in force (level "note"), and what was waived
        # (as suppressed results, so code scanning shows the accepted risk).
        reported = [
            f
            for f in report.findings
            if f.needs_action or f.needs_action_once_in_force or f.status is Status.WAIVED
        ]
        rules: dict[str, int] = {}
        table: list[dict[str, Any]] = []
        for finding in sorted(reported, key=lambda f: f.rule_id):
            if finding.rule_id not in rules:
                rules[finding.rule_id] = len(table)
                table.append(_rule(finding))
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "defa-check",
                            "version": report.tool_version,
                            "semanticVersion": report.tool_version,
                            "rules": table,
                        }
                    },
                    "automationDetails": {"id": f"defa-check/{report.manifest_path}/"},
                    "results": [_result(f, rules[f.rule_id]) for f in reported],
                    "properties": {
                        "as_of": report.as_of.isoformat(),
                        "manifest_sha256": report.manifest_sha256,
                        "packs": [
                            f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs
                        ],
                    },
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
