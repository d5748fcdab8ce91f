"""GitHub Actions workflow commands: an annotation per finding that needs action.

fail -> ::error (high and critical) or ::warning; needs_info -> ::warning.
Upcoming and draft findings are not annotated. Chosen automatically when
GITHUB_ACTIONS is set and no --format is given.
"""

from __future__ import annotations

from defa_check.model import Report, Severity, Status
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency
from defa_check.render.escape import github_data, github_property


class GithubFormat(OutputFormat):
    name = "github"
    description = "GitHub Actions annotations (::error / ::warning) on the manifest's lines"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        lines = []
        for f in by_urgency(report.findings):
            if not (f.needs_action or f.needs_review):
                continue
            command = "error" if f.status is Status.FAIL and f.severity >= Severity.HIGH else "warning"
            if f.needs_review:
                command = "notice"  # the law is unsettled: to confirm, not a failure
            if f.in_baseline:
                command = "notice"  # known before: shown, but not as a new problem
            props = []
            if f.location is not None:
                props += [
                    f"file={github_property(f.location.path)}",
                    f"line={f.location.line}",
                    f"col={f.location.column}",
                ]
            props.append(f"title={github_property(f'{f.rule_id} ({f.status.value}): {f.title}')}")
            law = f"{f.citation.instrument}, {f.citation.provision}"
            body = f"{f.message} What to do: {f.remediation} Law: {law}"
            lines.append(f"::{command} {','.join(props)}::{github_data(body)}")
        summary = report.summary()
        lines.append(
            f"::notice title=defa-check::{summary['fail']} fail, {summary['needs_info']} needs info, "
            f"{summary['review']} review, {summary['pass']} pass, {summary['upcoming']} upcoming"
        )
        return "\n".join(lines) + "\n"
