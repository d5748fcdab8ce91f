"""GitHub Actions workflow commands: an annotation per finding that needs action.

fail -> ::error (high and critical) or ::warning; needs_info -> ::warning;
findings already in the baseline -> ::notice. Upcoming and draft findings are
not annotated. Chosen automatically when GITHUB_ACTIONS is set and no --format
is given.

GitHub shows at most 10 annotations of each kind per step (and 50 per job), so
the most urgent :data:`PER_KIND` of each kind are annotated and a closing
notice counts the rest and says where the full list is (the job summary, the
report); ``--all`` (``RenderOptions.limit`` None) lifts the cap.
"""

from __future__ import annotations

from defa_check.model import Finding, Report, Severity, Status
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency, repo_path
from defa_check.render.escape import github_data, github_property

PER_KIND = 10
"""Annotations of each kind (error, warning, notice) GitHub displays per step."""


def _command(finding: Finding) -> str:
    if finding.in_baseline:
        return "notice"  # known before: shown, but not as a new problem
    if finding.needs_review:
        return "notice"  # the law is unsettled: to confirm with counsel, not a failure
    return "error" if finding.status is Status.FAIL and finding.severity >= Severity.HIGH else "warning"


def _annotation(command: str, finding: Finding) -> str:
    props = []
    if finding.location is not None:
        path = repo_path(finding.location.path) or finding.location.path
        props += [
            f"file={github_property(path)}",
            f"line={finding.location.line}",
            f"col={finding.location.column}",
        ]
    props.append(f"title={github_property(f'{finding.rule_id} ({finding.status.value}): {finding.title}')}")
    law = f"{finding.citation.instrument}, {finding.citation.provision}"
    body = f"{finding.message} What to do: {finding.remediation} Law: {law}"
    return f"::{command} {','.join(props)}::{github_data(body)}"


class GithubFormat(OutputFormat):
    name = "github"
    description = "GitHub Actions annotations (::error / ::warning) on the manifest's lines, 10 of each kind"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # One notice slot is kept for the summary line, and a warning slot for each of the
        # report's notices (what was not checked, expired waivers), which come first.
        notices = [f"::warning title=defa-check::{github_data(n)}" for n in report.notices[:PER_KIND]]
        caps = {"error": PER_KIND, "warning": PER_KIND - len(notices), "notice": PER_KIND - 1}
        shown = dict.fromkeys(caps, 0)
        left_out = dict.fromkeys(caps, 0)
        lines = list(notices)
        for f in by_urgency(report.findings):
            if not (f.needs_action or f.needs_review):
                continue
            command = _command(f)
            if options.limit is not None and shown[command] >= caps[command]:
                left_out[command] += 1
                continue
            shown[command] += 1
            lines.append(_annotation(command, f))
        summary = report.summary()
        line = (
            f"{summary['fail']} fail, {summary['needs_info']} needs info, {summary['review']} review, "
            f"{summary['pass']} pass, {summary['waived']} waived, {summary['upcoming']} upcoming"
        )
        if any(left_out.values()):
            kinds = ", ".join(f"{n} {kind}s" for kind, n in left_out.items() if n)
            line += (
                f". Not annotated here: {kinds} (GitHub shows {PER_KIND} of each kind per step); "
                "the full report lists every finding (the defa-check action uploads it as an artifact)"
            )
        lines.append(f"::notice title=defa-check::{github_data(line)}")
        return "\n".join(lines) + "\n"
