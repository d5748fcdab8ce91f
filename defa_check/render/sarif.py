"""SARIF 2.1.0 for code scanning: one run, a rules table, results located in the manifest.

Fingerprints come from rule id + country + subject (never line numbers), so
code scanning keeps tracking a finding when the manifest is edited around it.

What GitHub code scanning does with a SARIF file decides three choices here:

- **Every result becomes an alert**, whatever its ``level`` or ``kind`` (GitHub
  ignores both for that purpose). So only what needs action now, and waived
  findings (as suppressed results), are results. Upcoming findings (rules not
  yet in force, drafts) are never results: they are counted per rule in the
  run's ``properties["defa-check/upcoming"]`` and shown by the other formats.
- **At most 5,000 results per run are kept** (more are dropped; more than
  25,000 reject the file), and at most 1,000 locations per result. Up to
  :data:`RESULTS_CAP` results, there is one per rule and subject. Beyond it,
  there is one result per requirement (rule, status), located at its first
  subject, with up to :data:`RELATED_CAP` of the others as ``relatedLocations``
  and the full count in its message and properties; ``run.properties
  ["defa-check/results"]`` says which layout was used. Alerts opened in one
  layout are closed and reopened under the other when a manifest crosses the cap.
- **Paths are relative to the repository** (``uriBaseId`` ``%SRCROOT%``, the
  folder defa-check ran in), normalised (``m/../flows.yaml`` is ``flows.yaml``)
  and percent-encoded, so the same file gives the same URI however it was named
  on the command line; an absolute path outside that folder stays a ``file:`` URI.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable, Iterable
from urllib.parse import quote

from defa_check.model import DISCLAIMER, Finding, Report, Severity, Status
from defa_check.render.base import OutputFormat, RenderOptions, repo_path
from defa_check.render.escape import json_document
from defa_check.render.json import indented

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
RESULTS_CAP = 5_000
"""Most per-subject results in one run; beyond it, one result per requirement (GitHub keeps 5,000)."""
RELATED_CAP = 1_000
"""Most related locations on one grouped result (GitHub's limit of locations per result)."""

# GitHub's code scanning reads `security-severity` (0-10) to rank findings.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def artifact_location(path: str, cwd: str | None = None) -> dict[str, str]:
    """A manifest path as a SARIF artifactLocation: relative to ``cwd`` (default: the working
    folder) with ``uriBaseId``, normalised and percent-encoded; absolute only when outside it."""
    relative = repo_path(path, cwd)
    if relative is None:
        absolute = posixpath.normpath(path.replace("\\", "/"))
        return {"uri": "file://" + ("" if absolute.startswith("/") else "/") + quote(absolute)}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SOURCE_ROOT}


def _level(finding: Finding) -> str:
    if finding.status is not Status.FAIL:
        return "none"  # SARIF 2.1.0 §3.27.10: only kind "fail" carries a level
    if finding.in_baseline:
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


def _text(finding: Finding) -> str:
    text = finding.message
    if finding.status is Status.FAIL or finding.missing:
        text += f" What to do: {finding.remediation}"
    return text


def _artifacts(cwd: str) -> Callable[[str], dict[str, str]]:
    """:func:`artifact_location` in ``cwd``, worked out once per path (findings share a few)."""
    known: dict[str, dict[str, str]] = {}

    def artifact(path: str) -> dict[str, str]:
        found = known.get(path)
        if found is None:
            found = known[path] = artifact_location(path, cwd)
        return found

    return artifact


def _physical(finding: Finding, artifact: Callable[[str], dict[str, str]]) -> dict[str, Any] | None:
    if finding.location is None:
        return None
    return {
        "artifactLocation": artifact(finding.location.path),
        "region": {"startLine": finding.location.line, "startColumn": finding.location.column},
    }


def _common(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "kind": "fail" if finding.status is Status.FAIL else "review",
    }
    if finding.in_baseline is not None:
        result["baselineState"] = "unchanged" if finding.in_baseline else "new"
    if finding.status is Status.WAIVED and finding.waiver:
        result["suppressions"] = [{"kind": "external", "justification": finding.waiver.justification}]
    return result


def _result(finding: Finding, rule_index: int, artifact: Callable[[str], dict[str, str]]) -> dict[str, Any]:
    result = _common(finding, rule_index)
    result["message"] = {"text": _text(finding)}
    result["partialFingerprints"] = {"defaCheckFinding/v1": finding.fingerprint_hash}
    result["properties"] = {
        "country": finding.country,
        "status": finding.status.value,
        "severity": finding.severity.label,
        "subject": f"{finding.subject.kind}:{finding.subject.id}",
        "upcoming": finding.upcoming,
        "draft": finding.draft,
    }
    physical = _physical(finding, artifact)
    if physical is not None:
        result["locations"] = [{"physicalLocation": physical, "message": {"text": finding.subject.label}}]
    return result


def _grouped_result(
    group: list[Finding], rule_index: int, artifact: Callable[[str], dict[str, str]]
) -> dict[str, Any]:
    """One result for a requirement on many subjects: the first located, the others related."""
    first = group[0]
    result = _common(first, rule_index)
    listed = group[1 : RELATED_CAP + 1]
    more = len(group) - 1 - len(listed)
    status = first.status.value.replace("_", " ") + (" (in the baseline)" if first.in_baseline else "")
    result["message"] = {
        "text": f"{status} on {len(group)} subjects, first {first.subject.label}: {_text(first)}"
        + (f" The other subjects are listed as related locations ({more} more not listed)." if more else "")
    }
    key = f"{first.rule_id}|{first.country}|{first.status.value}|{bool(first.in_baseline)}"
    result["partialFingerprints"] = {
        "defaCheckRequirement/v1": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    }
    result["properties"] = {
        "country": first.country,
        "status": first.status.value,
        "severity": first.severity.label,
        "subjects": len(group),
        "subjects_not_listed": more,
    }
    physical = _physical(first, artifact)
    if physical is not None:
        result["locations"] = [{"physicalLocation": physical, "message": {"text": first.subject.label}}]
    related = []
    for number, finding in enumerate(listed, start=1):
        where = _physical(finding, artifact)
        if where is not None:
            related.append(
                {"id": number, "physicalLocation": where, "message": {"text": finding.subject.label}}
            )
    if related:
        result["relatedLocations"] = related
    return result


def _groups(findings: Iterable[Finding]) -> list[list[Finding]]:
    groups: dict[tuple[str, str, bool], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule_id, finding.status.value, bool(finding.in_baseline)), []).append(
            finding
        )
    return list(groups.values())


def _invocations(report: Report) -> dict[str, Any]:
    """The report's notices as the run's tool notifications (what was not checked, waivers that
    expired): without them an empty result list reads as "all clear" to code scanning."""
    if not report.notices:
        return {}
    notifications = [{"level": "warning", "message": {"text": notice}} for notice in report.notices]
    return {"invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}]}


class SarifFormat(OutputFormat):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        cwd = os.getcwd()
        # What needs action now, and what was waived (as suppressed results, so code scanning
        # shows the accepted risk). Nothing upcoming: every result is an alert on GitHub.
        reported = [
            f
            for f in report.findings
            if f.needs_action or f.needs_review or (f.status is Status.WAIVED and not f.upcoming)
        ]
        upcoming: dict[str, int] = {}
        for f in report.findings:
            if f.needs_action_once_in_force:
                upcoming[f.rule_id] = upcoming.get(f.rule_id, 0) + 1
        rules: dict[str, int] = {}
        table: list[dict[str, Any]] = []
        for finding in sorted(reported, key=lambda f: f.rule_id):
            if finding.rule_id not in rules:
                rules[finding.rule_id] = len(table)
                table.append(_rule(finding))
        grouped = len(reported) > RESULTS_CAP
        artifact = _artifacts(cwd)
        if grouped:
            results = [_grouped_result(g, rules[g[0].rule_id], artifact) for g in _groups(reported)]
        else:
            results = [_result(f, rules[f.rule_id], artifact) for f in reported]
        manifest_uri = artifact_location(report.manifest_path, cwd)["uri"]
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
                    "automationDetails": {"id": f"defa-check/{manifest_uri}/"},
                    "originalUriBaseIds": {
                        SOURCE_ROOT: {
                            "description": {
                                "text": "The folder defa-check ran in (in CI, the repository root)."
                            }
                        }
                    },
                    "results": results,
                    **_invocations(report),
                    "properties": {
                        "as_of": report.as_of.isoformat(),
                        "manifest_sha256": report.manifest_sha256,
                        "packs": [
                            f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs
                        ],
                        "defa-check/results": "per-requirement" if grouped else "per-subject",
                        "defa-check/results-cap": RESULTS_CAP,
                        "defa-check/upcoming": dict(sorted(upcoming.items())),
                    },
                }
            ],
        }
        return json_document(indented(log)) + "\n"
