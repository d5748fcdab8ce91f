"""GitHub Actions workflow commands: an annotation per finding that needs action.

fail -> ::error (high and critical) or ::warning; needs_info -> ::warning.
Upcoming and draft findings are not annotated. Chosen automatically when
GITHUB_ACTIONS is set and no --format is given.
"""

from __future__ import annotations

from ..model import Report, Severity, Status
from .base import OutputFormat, RenderOptions, by_urgency


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubFormat(OutputFormat):
    name = "github"
    description = "GitHub Actions annotations (::error / ::warning) on the manifest's lines"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        lines = []
        for f in by_urgency(report.findings):
            if f.upcoming or f.status not in (Status.FAIL, Status.NEEDS_INFO):
                continue
            command = "error" if f.status is Status.FAIL and f.severity >= Severity.HIGH else "warning"
            if f.in_baseline:
                command = "notice"  # known before: shown, but not as a new problem
            props = []
            if f.location is not None:
                props += [
                    f"file={_prop(f.location.path)}",
                    f"line={f.location.line}",
                    f"col={f.location.column}",
                ]
            props.append(f"title={_prop(f'{f.rule_id} ({f.status.value}): {f.title}')}")
            law = f"{f.citation.instrument}, {f.citation.provision}"
            body = f"{f.message} What to do: {f.remediation} Law: {law}"
            lines.append(f"::{command} {','.join(props)}::{_data(body)}")
        summary = report.summary()
        lines.append(
            f"::notice title=defa-check::{summary['fail']} fail, {summary['needs_info']} needs info, "
            f"{summary['pass']} pass, {summary['upcoming']} upcoming"
        )
        return "\n".join(lines) + "\n"
