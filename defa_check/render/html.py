"""A self-contained, printable HTML report for consultants and their clients.

Built from a Jinja2 template with autoescaping: no string concatenation of
manifest text into HTML. No network requests: inline CSS, an inline SVG chart,
and a Content-Security-Policy that forbids fetching anything.
Jinja2 is an optional dependency: `pip install "defa-check[html]"`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from defa_check.model import DISCLAIMER, Report, Status
from defa_check.render.base import MissingDependency, OutputFormat, RenderOptions, country_counts
from defa_check.render.digest import (
    STATUS_LABELS,
    TOPIC_LABELS,
    needs_action_line,
    plural,
    questions,
    requirements,
    subject_list,
)

_COLOURS = {
    Status.FAIL: "#b42318",
    Status.NEEDS_INFO: "#b54708",
    Status.REVIEW: "#6941c6",
    Status.PASS: "#067647",
    Status.NOT_APPLICABLE: "#98a2b3",
    Status.WAIVED: "#175cd3",
}


def _chart(report: Report) -> str:
    """Stacked horizontal bars of findings in force per country and status, as inline SVG."""
    rows = [
        (country, [per_status[s] for s in Status])
        for country, (per_status, _) in country_counts(report).items()
    ]
    if not rows:
        return ""
    width, bar, gap, left = 640, 18, 8, 40
    biggest = max((sum(c) for _, c in rows), default=1) or 1
    height = len(rows) * (bar + gap) + 40
    parts = [
        f'<svg role="img" aria-label="Findings by country and status" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (country, counts) in enumerate(rows):
        y = i * (bar + gap)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(country)}</text>')
        x = float(left)
        for status, n in zip(Status, counts, strict=True):
            w = (width - left - 10) * n / biggest
            if w:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{_COLOURS[status]}">'
                    f"<title>{escape(country)} {status.value}: {n}</title></rect>"
                )
            x += w
    legend_y = len(rows) * (bar + gap) + 16
    x = left
    for status in Status:
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{_COLOURS[status]}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{legend_y}" font-size="11">{status.value.replace("_", " ")}</text>'
        )
        x += 110
    parts.append("</svg>")
    return "".join(parts)


def _summary_lines(report: Report) -> list[str]:
    """The executive summary: requirements counted as requirements, items as items."""

    def count(status: Status) -> int:
        if status is Status.NOT_APPLICABLE:  # listed, or only counted in a saved report
            return len({n.rule.rule_id for n in report.not_applicable_counts() if n.count > n.upcoming})
        return len(requirements(f for f in report.findings if f.status is status and not f.upcoming))

    failing = requirements(f for f in report.findings if f.status is Status.FAIL and not f.upcoming)
    open_questions = questions(report.action_items())
    coming = {f.rule_id for f in report.findings if f.upcoming} | {
        n.rule.rule_id for n in report.not_applicable_counts() if n.upcoming
    }
    lines = [
        f"We checked {report.organization or 'the organisation'}'s declared data flows and markets against "
        f"the rules of {plural(len(report.packs), 'member state')}, "
        f"as the law stood on {report.as_of.isoformat()}.",
        f"{plural(len(failing), 'requirement')} {'is' if len(failing) == 1 else 'are'} not met. "
        f"{plural(len(open_questions), 'question')} about the business must be answered before "
        f"{plural(count(Status.NEEDS_INFO), 'other requirement')} can be decided. "
        f"{plural(count(Status.PASS), 'requirement')} {'is' if count(Status.PASS) == 1 else 'are'} met, and "
        f"{plural(count(Status.NOT_APPLICABLE), 'requirement')} do not apply (the reasons are listed). "
        f"{plural(len(coming), 'requirement')} {'is' if len(coming) == 1 else 'are'} not in force yet or "
        "come from draft laws.",
    ]
    review = requirements(report.review_items())
    if review:
        lines.append(
            f"On {plural(len(review), 'point')} the facts are stated but the law is unsettled: "
            "counsel should confirm how it applies."
        )
    if failing:
        lines.append(
            "Most urgent: "
            + "; ".join(f"{r.first.title} ({r.first.country}, {r.first.rule_id})" for r in failing[:3])
            + "."
        )
    return lines


class HtmlFormat(OutputFormat):
    name = "html"
    description = "a self-contained printable HTML report (needs the `html` extra: Jinja2)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        try:
            import jinja2
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependency('the HTML report needs Jinja2: pip install "defa-check[html]"') from exc
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("defa_check.render", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        countries: list[dict[str, Any]] = []
        for code in report.countries:
            mine = [f for f in report.findings if f.country == code]
            countries.append(
                {
                    "code": code,
                    "failing": requirements(f for f in mine if f.status is Status.FAIL and not f.upcoming),
                    "questions": questions(f for f in mine if f.needs_action),
                    "review": requirements(f for f in mine if f.needs_review),
                    "upcoming": requirements(f for f in mine if f.needs_action_once_in_force),
                    "met": requirements(f for f in mine if f.status is Status.PASS and not f.upcoming),
                    "not_applicable": [
                        n
                        for n in report.not_applicable_counts()
                        if n.rule.country == code and n.count > n.upcoming
                    ],
                }
            )
        table_rows = [
            {"country": code, "counts": [per_status[s] for s in Status], "upcoming": upcoming}
            for code, (per_status, upcoming) in country_counts(report).items()
        ]
        html = env.get_template("report.html.j2").render(
            report=report,
            summary_lines=_summary_lines(report),
            chart=_chart(report),
            statuses=[s.value for s in Status],
            table_rows=table_rows,
            countries=countries,
            needs_action=needs_action_line(report),
            labels=STATUS_LABELS,
            topics=TOPIC_LABELS,
            plural=plural,
            subject_list=subject_list,
            rules=report.rules_applied(),  # with rules whose findings a saved report only counted
            disclaimer=DISCLAIMER,
        )
        return html if html.endswith("\n") else html + "\n"
