"""Markdown for pull-request comments and CI step summaries.

A summary table and the count of what needs action, then one entry per
requirement (the most urgent first), the questions to answer, what to confirm
with counsel, what is coming, and — folded — what is met and what does not
apply, with the reasons. Everything taken from the manifest or the packs
is escaped so it cannot break out of a table cell or inject HTML.
"""

from __future__ import annotations

import re

from defa_check.model import DISCLAIMER, TOPIC_LABELS, Confidence, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions, country_counts
from defa_check.render.digest import (
    STATUS_LABELS,
    Requirement,
    met_requirements,
    needs_action_line,
    not_applicable_rules,
    plural,
    questions,
    requirements,
    subject_list,
)
from defa_check.render.escape import code, md

# Characters that change meaning anywhere in a line. Text never starts a line here
# (it always follows "- ", "| " or a heading mark), so "#", "-" and "1." are safe.


def _url(url: str) -> str:
    # Only http(s) links become links; anything else is shown as text.
    if re.fullmatch(r"https?://[^\s<>()]+", url):
        return f"<{url}>"
    return md(url)


def _requirement(req: Requirement) -> list[str]:
    f = req.first
    label = STATUS_LABELS[req.status].upper()
    if f.draft:
        label = f"DRAFT: {label}"
    elif f.upcoming:
        label = f"UPCOMING: {label}"
    baseline = [x.in_baseline for x in req.findings if x.in_baseline is not None]
    if baseline:
        label += ", IN BASELINE" if all(baseline) else ", NEW"
    topic = TOPIC_LABELS.get(f.topic, f.topic)
    lines = [
        f"### {f.severity.label.upper()} {label} · `{f.rule_id}` · {md(topic)} ({f.country})",
        "",
        f"**{md(f.title)}**",
        "",
        f"- Concerns: {md(subject_list(req.subjects))}",
    ]
    if req.why:
        lines.append(f"- Why it applies: {md('; '.join(req.why))}")
    lines.append(f"- {md(f.message)}")
    if req.evidence:
        lines.append(f"- What the manifest shows: {md('; '.join(req.evidence))}")
    if req.status in (Status.FAIL, Status.NEEDS_INFO) and req.action:
        lines.append(f"- **What to do:** {md(req.action)}")
        if req.record:
            lines.append(f"- In the manifest: {md(req.record)}")
    when = f.effective_from.isoformat() if f.effective_from else "draft law, not in force"
    since = f"takes effect {when}" if f.upcoming else f"in force since {when}"
    lines.append(
        f"- Law: {md(f.citation.instrument)}, {md(f.citation.provision)} ({since}) — {_url(f.citation.url)}"
    )
    if f.confidence is not Confidence.HIGH:
        lines.append(f"- Confidence: {f.confidence} (see `defa-check explain {f.rule_id}`)")
    return [*lines, ""]


def _one_line(req: Requirement, reason: list[str]) -> str:
    f = req.first
    why = f" — {md('; '.join(reason))}" if reason else ""
    return f"- `{f.rule_id}` ({f.country}) {md(f.title)}: {md(subject_list(req.subjects, most=2))}{why}"


class MarkdownFormat(OutputFormat):
    name = "markdown"
    description = "Markdown for pull-request comments, CI job summaries and client files"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # The client's title, not the tool's: the tool is named in the closing disclaimer.
        if options.title or not report.organization:
            heading = md(options.report_title)
        else:
            heading = f"{md(options.report_title)}: {md(report.organization)}"
        out = [f"# {heading}", ""]
        cover = [
            f"Prepared for {md(options.prepared_for)}" if options.prepared_for else "",
            f"prepared by {md(options.prepared_by)}" if options.prepared_by else "",
        ]
        if any(cover):
            out += [" · ".join(c for c in cover if c), ""]
        out += [
            f"Law as of **{report.as_of.isoformat()}** · manifest {code(report.manifest_path)} "
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
        failing = requirements(f for f in report.findings if f.status is Status.FAIL and not f.upcoming)
        asked = questions(report.action_items())
        review = requirements(report.review_items())
        out += [f"**{md(needs_action_line(report))}**", ""]
        for n, req in enumerate(failing[:3], 1):
            out.append(f"{n}. {md(req.first.title)} ({req.first.country}, `{req.first.rule_id}`)")
        if failing:
            out.append("")
        long_report = len(failing) > 15
        if failing:
            out += [f"## Not met ({plural(len(failing), 'requirement')})", ""]
            body = [line for req in failing for line in _requirement(req)]
            out += (
                ["<details><summary>Requirements not met</summary>", "", *body, "</details>", ""]
                if (long_report)
                else body
            )
        if asked:
            settled = len({(f.rule_id, f.subject.kind, f.subject.id) for q in asked for f in q.findings})
            out += [
                f"## Questions to answer ({plural(len(asked), 'question')} settle {plural(settled, 'item')})",
                "",
                "A field left out of the manifest means “not stated”; an empty list means “none” "
                "and can turn an item into a fail.",
                "",
            ]
            for n, q in enumerate(asked, 1):
                out.append(f"{n}. {md(q.text)}")
                out.append(f"   - For: {md(subject_list(q.subjects))} ({plural(len(q.rules), 'rule')})")
                # The note after the example is not YAML to paste: outside the code span.
                said = f" {md(q.note)}" if q.note else ""
                out.append(f"   - In the manifest: {code(q.field)}, e.g. {code(q.example)}{said}")
            out.append("")
        if review:
            out += [
                f"## To confirm with counsel ({plural(len(review), 'requirement')})",
                "",
                "The facts are stated; the law on these points is unsettled.",
                "",
            ]
            out += [line for req in review for line in _requirement(req)]
        coming = requirements(f for f in report.findings if f.needs_action_once_in_force)
        if coming:
            out += [f"## Coming into force and draft laws ({plural(len(coming), 'requirement')})", ""]
            out += ["These never fail a run.", ""]
            out += [line for req in coming for line in _requirement(req)]
        met = met_requirements(report)
        if met:
            out += [
                f"## Already met ({plural(len(met), 'requirement')})",
                "",
                "<details><summary>Show</summary>",
                "",
            ]
            out += [_one_line(req, req.evidence) for req in met]
            out += ["", "</details>", ""]
        not_applicable = not_applicable_rules(report)
        if not_applicable:
            rules = len({n.rule.rule_id for n in not_applicable})
            out += [
                f"## Does not apply, and why ({plural(rules, 'requirement')})",
                "",
                "<details><summary>Show</summary>",
                "",
            ]
            for tally in not_applicable:
                why = f" — {md('; '.join(tally.why))}" if tally.why else ""
                out.append(
                    f"- `{tally.rule.rule_id}` ({tally.rule.country}) {md(tally.rule.title)}: "
                    f"{plural(tally.count - tally.upcoming, tally.subject_kind)}{why}"
                )
            out += ["", "</details>", ""]
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
