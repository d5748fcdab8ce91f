"""Markdown for pull-request comments and CI step summaries.

A summary table, then findings grouped by country; long reports fold the
details into <details> blocks. Everything taken from the manifest or the packs
is escaped so it cannot break out of a table cell or inject HTML.
"""

from __future__ import annotations

import re

from defa_check.model import DISCLAIMER, Confidence, Finding, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency, country_counts
from defa_check.render.escape import code, md

# Characters that change meaning anywhere in a line. Text never starts a line here
# (it always follows "- ", "| " or a heading mark), so "#", "-" and "1." are safe.


def _url(url: str) -> str:
    # Only http(s) links become links; anything else is shown as text.
    if re.fullmatch(r"https?://[^\s<>()]+", url):
        return f"<{url}>"
    return md(url)


def _finding(f: Finding) -> list[str]:
    where = f" ({md(f.location)})" if f.location else ""
    label = f.status.value.replace("_", " ").upper()
    if f.draft:
        label = f"DRAFT: {label}"
    elif f.upcoming:
        label = f"UPCOMING: {label}"
    if f.in_baseline:
        label += ", IN BASELINE"
    elif f.in_baseline is False:
        label += ", NEW"
    lines = [
        f"- **{f.severity.label.upper()} {label}** "
        f"`{f.rule_id}` · {f.subject.kind} {code(f.subject.id)}{where}: {md(f.title)}",
        f"  - {md(f.message)}",
    ]
    if f.status is Status.FAIL or f.missing:
        lines.append(f"  - What to do: {md(f.remediation)}")
    lines.append(f"  - Law: {md(f.citation.instrument)}, {md(f.citation.provision)} — {_url(f.citation.url)}")
    if f.upcoming:
        when = f.effective_from.isoformat() if f.effective_from else "draft law, not in force"
        lines.append(f"  - Upcoming: {md(when)}")
    if f.confidence is not Confidence.HIGH:
        lines.append(f"  - Confidence: {f.confidence}")
    return lines


class MarkdownFormat(OutputFormat):
    name = "markdown"
    description = "Markdown for pull-request comments and CI job summaries"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        out = [
            f"# defa-check report: {md(report.organization)}",
            "",
            f"As of **{report.as_of.isoformat()}** · manifest {code(report.manifest_path)} "
            f"(sha256 `{report.manifest_sha256[:12]}…`)",
            "",
        ]
        if report.packs:
            packs = ", ".join(f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs)
            out += [f"Rule packs: {md(packs)}", ""]
        out += [
            "| country | " + " | ".join(st.value.replace("_", " ") for st in Status) + " | upcoming |",
            "|---|" + "---:|" * (len(Status) + 1),
        ]
        for country, (per_status, n_upcoming) in country_counts(report).items():
            counts = [per_status[s] for s in Status]
            out.append(f"| {country} | " + " | ".join(map(str, counts)) + f" | {n_upcoming} |")
        out.append("")
        long_report = report.finding_count() > 40  # listed or only counted (a saved report)
        for country in report.countries:
            mine = by_urgency([f for f in report.findings if f.country == country])
            action = [f for f in mine if f.needs_action]
            review = [f for f in mine if f.needs_review]
            upcoming = [f for f in mine if f.needs_action_once_in_force]
            out.append(f"## {country}: {len(action)} need action")
            out.append("")
            if not action and not review and not upcoming:
                out += ["Nothing needs action.", ""]
                continue
            body: list[str] = []
            for f in action:
                body += _finding(f)
            if review:
                body += [
                    "",
                    f"**To confirm with counsel** ({len(review)}): "
                    "the facts are stated, the law is unsettled.",
                    "",
                ]
                for f in review:
                    body += _finding(f)
            if upcoming:
                body += ["", "**Upcoming and draft requirements** (never fail a run):", ""]
                for f in upcoming:
                    body += _finding(f)
            if long_report:
                out += ["<details><summary>Findings</summary>", "", *body, "", "</details>", ""]
            else:
                out += [*body, ""]
        waived = [f for f in report.findings if f.status is Status.WAIVED]
        if waived:
            out += ["## Waived", ""]
            for f in waived:
                w = f.waiver
                expires = w.expires.isoformat() if w else "None"
                out.append(
                    f"- `{f.rule_id}` · {f.subject.kind} {code(f.subject.id)} until {md(expires)}: "
                    f"{md(w.justification if w else '')} (approved by {md(w.approved_by if w else '')})"
                )
            out.append("")
        if report.notices:
            out += ["## Notices", ""] + [f"- {md(n)}" for n in report.notices] + [""]
        out += [f"_{md(DISCLAIMER)}_", ""]
        return "\n".join(out)
