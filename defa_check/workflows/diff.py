"""Compare two saved reports: what is new, what was resolved, what changed."""

from __future__ import annotations

import json

from defa_check.model import Finding, Report, Severity, Status
from defa_check.records import record
from defa_check.render.escape import terminal
from defa_check.workflows.formats import DIFF_FORMATS

TRACKED = (Status.FAIL, Status.NEEDS_INFO, Status.REVIEW, Status.WAIVED)
"""Open items a diff follows: what needs action or review, and what was accepted as a risk (waived)."""


@record
class ReportDiff:
    """Findings matched by fingerprint (rule, country, subject), never by line."""

    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    changed: tuple[tuple[Finding, Finding], ...]

    def failing(self, threshold: Severity | None) -> list[Finding]:
        """New or worsened fails at or above the threshold (what makes `diff` exit 1)."""
        if threshold is None:
            return []
        worse = [new for _, new in self.changed if new.status is Status.FAIL]
        return [
            f
            for f in (*self.new, *worse)
            if f.status is Status.FAIL and not f.upcoming and f.severity >= threshold
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "new": [f.to_dict() for f in self.new],
            "resolved": [f.to_dict() for f in self.resolved],
            "changed": [
                {
                    "rule_id": new.rule_id,
                    "country": new.country,
                    "subject": {"kind": new.subject.kind, "id": new.subject.id},
                    "from": {"status": old.status.value, "severity": old.severity.label},
                    "to": {"status": new.status.value, "severity": new.severity.label},
                }
                for old, new in self.changed
            ],
        }


def _checked(report: Report) -> set[str]:
    return set(report.countries) or {pack.country for pack in report.packs}


def scope_notices(old: Report, new: Report) -> list[str]:
    """What the two reports did not both check: there, every finding reads as new or resolved (a
    user trial compared a `-c SG` report with a full one and took Viet Nam's findings for new)."""
    before, after = _checked(old), _checked(new)
    if before == after:
        return []
    from defa_check.workflows.interview import country_name  # only when there is something to say

    notices = []
    if after - before:
        names = ", ".join(country_name(c, in_sentence=True) for c in sorted(after - before))
        notices.append(f"the earlier report did not check {names}: its findings there are listed as new")
    if before - after:
        names = ", ".join(country_name(c, in_sentence=True) for c in sorted(before - after))
        notices.append(f"the later report did not check {names}: its findings there are listed as resolved")
    return notices


def diff_reports(old: Report, new: Report) -> ReportDiff:
    before = {f.fingerprint: f for f in old.findings}
    after = {f.fingerprint: f for f in new.findings}
    added: list[Finding] = []
    resolved: list[Finding] = []
    changed: list[tuple[Finding, Finding]] = []
    for key, f in after.items():
        prev = before.get(key)
        if f.status in TRACKED and (prev is None or prev.status not in TRACKED):
            added.append(f)
        elif (
            f.status in TRACKED
            and prev is not None
            and (prev.status, prev.severity) != (f.status, f.severity)
        ):
            changed.append((prev, f))
    for key, f in before.items():
        now = after.get(key)
        if f.status in TRACKED and (now is None or now.status not in TRACKED):
            resolved.append(f)
    return ReportDiff(
        tuple(sorted(added, key=_sort_key)),
        tuple(sorted(resolved, key=_sort_key)),
        tuple(sorted(changed, key=lambda pair: pair[1].sort_key)),
    )


def _sort_key(f: Finding) -> tuple[str, str, str, str]:
    return f.sort_key


def _when(f: Finding) -> str:
    """' (in force from 2031-01-01)' for a rule not in force yet, else '': such a finding never
    fails a run, and the diff must not read as if it did (a user trial)."""
    if not f.upcoming:
        return ""
    return f" (in force from {f.effective_from.isoformat()})" if f.effective_from else " (upcoming)"


def _status(f: Finding) -> str:
    return f.status.value + _when(f)


def _line(f: Finding) -> str:
    # The status column keeps its width; "(in force from ...)" follows the rule id.
    head = f"{f.severity.label.upper():8} {f.status.value:14} {f.rule_id}{_when(f)}"
    return f"{head} · {f.subject.label}: {f.title}"


FORMATS = DIFF_FORMATS
"""`diff --format` choices; :func:`render_diff` renders each."""


def render_diff(diff: ReportDiff, fmt: str) -> str:
    """The diff as console text, JSON or Markdown."""
    if fmt == "json":
        return json.dumps(diff.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from defa_check.render.escape import code, md

        out = [
            "# defa-check: changes",
            "",
            f"{len(diff.new)} new · {len(diff.resolved)} resolved · {len(diff.changed)} changed",
            "",
        ]
        for title, items in (("New", diff.new), ("Resolved", diff.resolved)):
            if items:
                out += [f"## {title}", ""]
                out += [
                    f"- **{f.severity.label.upper()} {_status(f)}** `{f.rule_id}` · "
                    f"{f.subject.kind} {code(f.subject.id)}: {md(f.title)}"
                    for f in items
                ]
                out.append("")
        if diff.changed:
            out += ["## Changed", ""]
            out += [
                f"- `{new.rule_id}` · {new.subject.kind} {code(new.subject.id)}: "
                f"{_status(old)}/{old.severity.label} → {_status(new)}/{new.severity.label}"
                for old, new in diff.changed
            ]
            out.append("")
        return "\n".join(out)
    out = [f"{len(diff.new)} new, {len(diff.resolved)} resolved, {len(diff.changed)} changed"]
    for title, items in (("New", diff.new), ("Resolved", diff.resolved)):
        if items:
            out += ["", f"{title}:"] + ["  " + terminal(_line(f)) for f in items]
    if diff.changed:
        out += ["", "Changed:"]
        out += [
            "  "
            + terminal(f"{new.rule_id} · {new.subject.kind} {new.subject.id}")
            + f": {_status(old)}/{old.severity.label} -> {_status(new)}/{new.severity.label}"
            for old, new in diff.changed
        ]
    return "\n".join(out) + "\n"
