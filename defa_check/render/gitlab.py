"""GitLab Code Quality (a subset of the Code Climate issue format) for merge-request annotations.

A JSON array with one issue per finding that needs action now, located on the
manifest's line; GitLab compares the merge request's report with the target
branch's by ``fingerprint`` and shows what is new and what was resolved.
Upcoming and draft findings are left out, as are waived ones (an accepted
risk is not a degradation). GitLab's five severities, from the rule's:

| finding | critical | high | medium | low | info |
|---|---|---|---|---|---|
| fail | critical | major | minor | info | info |
| needs_info | minor | minor | info | info | info |

A finding already in the baseline is ``info``. The fingerprint is the finding's
(rule, country, subject) with the manifest's path, so it survives edits that
move lines and stays distinct across manifests reported in one job.

Above :data:`ISSUES_CAP` issues (a 100,000-flow manifest gives about 100 MB of
them), there is one issue per requirement (rule, status) instead, at its first
subject, its description counting the subjects; the JSON report has them all.
"""

from __future__ import annotations

import hashlib
import json

from defa_check.model import Finding, Report, Severity, Status
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency, repo_path
from defa_check.render.escape import json_document

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

ISSUES_CAP = 5_000
"""Most issues, one per rule and subject; beyond it, one per requirement."""

_FAIL = {
    Severity.CRITICAL: "critical",
    Severity.HIGH: "major",
    Severity.MEDIUM: "minor",
    Severity.LOW: "info",
    Severity.INFO: "info",
}


def _severity(finding: Finding) -> str:
    if finding.in_baseline:
        return "info"
    if finding.status is Status.FAIL:
        return _FAIL[finding.severity]
    return "minor" if finding.severity >= Severity.HIGH else "info"


def _issue(finding: Finding, manifest: str) -> dict[str, Any]:
    path = manifest
    line = 1
    if finding.location is not None:
        path = repo_path(finding.location.path) or finding.location.path
        line = finding.location.line
    status = finding.status.value.replace("_", " ")
    description = f"{finding.rule_id} ({status}, {finding.subject.label}): {finding.message}"
    if finding.status is Status.FAIL or finding.missing:
        description += f" What to do: {finding.remediation}"
    key = f"{manifest}|{finding.fingerprint}"
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": description,
        "categories": ["Compliance"],
        "severity": _severity(finding),
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
        "location": {"path": path, "lines": {"begin": line}},
    }


class GitlabFormat(OutputFormat):
    name = "gitlab"
    description = "GitLab Code Quality JSON (merge-request annotations: artifacts:reports:codequality)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        manifest = repo_path(report.manifest_path) or report.manifest_path
        due = [f for f in by_urgency(report.findings) if f.needs_action]
        if len(due) <= ISSUES_CAP:
            issues = [_issue(f, manifest) for f in due]
        else:
            groups: dict[tuple[str, str, bool], list[Finding]] = {}
            for f in due:
                groups.setdefault((f.rule_id, f.status.value, bool(f.in_baseline)), []).append(f)
            issues = []
            for (rule_id, status, known), group in groups.items():
                issue = _issue(group[0], manifest)
                issue["description"] = (
                    f"{len(group)} subjects, first {group[0].subject.label}: " + issue["description"]
                )
                key = f"{manifest}|{rule_id}|{group[0].country}|{status}|{known}"
                issue["fingerprint"] = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
                issues.append(issue)
        if not issues:
            return "[]\n"
        # One issue per line: readable, diffable, and cheap to write at 100,000 flows.
        body = json_document(
            ",\n".join(json.dumps(issue, ensure_ascii=False, sort_keys=True) for issue in issues)
        )
        return "[\n" + body + "\n]\n"
