"""One line per finding that needs action, most urgent first: for pre-commit hooks and terminals
where the full report is too long.

``path:line:col: RULE-ID status (severity): title [subject]``, at most :data:`LINES`
lines (``--all`` lifts the cap) and a last line counting the rest. The totals
line the CLI prints on standard error completes it.
"""

from __future__ import annotations

from defa_check.model import Report
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency
from defa_check.render.escape import terminal

LINES = 20
"""Findings listed before "... and N more"."""


class CompactFormat(OutputFormat):
    name = "compact"
    description = "one line per finding that needs action (pre-commit hooks, quick looks)"
    shows_notices = True

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # What the baseline does not know first: with a baseline, it is what fails the run.
        due = sorted(
            (f for f in by_urgency(report.findings) if f.needs_action), key=lambda f: bool(f.in_baseline)
        )
        # The report's notices first (what was not checked): "nothing needs action" alone would
        # read as all clear.
        lines = [f"{terminal(report.manifest_path)}: notice: {terminal(n)}" for n in report.notices]
        if not due:
            return "\n".join([*lines, f"{terminal(report.manifest_path)}: nothing needs action"]) + "\n"
        shown = due if options.limit is None else due[:LINES]
        for f in shown:
            where = str(f.location) if f.location else report.manifest_path
            known = " (in the baseline)" if f.in_baseline else ""
            lines.append(
                f"{terminal(where)}: {f.rule_id} {f.status.value} ({f.severity.label}){known}: "
                f"{terminal(f.title)} [{terminal(f.subject.label)}]"
            )
        if len(due) > len(shown):
            lines.append(
                f"... and {len(due) - len(shown)} more; `defa-check check {terminal(report.manifest_path)}` "
                "gives the full report"
            )
        return "\n".join(lines) + "\n"
