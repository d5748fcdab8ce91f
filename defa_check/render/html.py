"""A self-contained, printable HTML report for consultants and their clients.

Built from a Jinja2 template with autoescaping: no string concatenation of
manifest text into HTML. No network requests: inline CSS, an inline SVG chart,
and a Content-Security-Policy that forbids fetching anything.
Jinja2 is an optional dependency: `pip install "defa-check[html]"`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from defa_check.model import DISCLAIMER, TOPICS, Finding, Report, Status
from defa_check.render.base import MissingDependency, OutputFormat, RenderOptions, by_urgency, country_counts

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
    s = report.summary()
    fails = [f for f in report.findings if f.status is Status.FAIL and not f.upcoming]
    lines = [
        f"We checked {report.organization or 'the organization'}'s declared data flows and markets against "
        f"{len(report.packs)} member state rule pack(s) as of {report.as_of.isoformat()}.",
        f"{s['fail']} requirement(s) are not met, {s['needs_info']} cannot be decided until the "
        f"manifest says more, and {s['pass']} are met. {s['upcoming']} requirement(s) are not in force "
        "yet or come from drafts.",
        *(
            [
                f"{s['review']} point(s) turn on law that is unsettled: the facts are stated, and counsel "
                "should confirm how the law applies."
            ]
            if s["review"]
            else []
        ),
    ]
    if fails:
        first: dict[str, Finding] = {}
        for f in by_urgency(fails):
            first.setdefault(f.rule_id, f)
        worst = list(first.values())[:3]
        lines.append(
            "Most urgent: " + "; ".join(f"{f.title} ({f.country}, {f.rule_id})" for f in worst) + "."
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
            mine = by_urgency([f for f in report.findings if f.country == code])
            action = [f for f in mine if f.needs_action]
            by_topic: list[tuple[str, list[Finding]]] = []
            for topic in TOPICS:
                items = [f for f in action if f.topic == topic]
                if items:
                    by_topic.append((topic, items))
            upcoming = [f for f in mine if f.needs_action_once_in_force]
            review = [f for f in mine if f.needs_review]
            countries.append(
                {"code": code, "action": action, "by_topic": by_topic, "upcoming": upcoming, "review": review}
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
            rules=report.rules_applied(),  # with rules whose findings a saved report only counted
            disclaimer=DISCLAIMER,
        )
        return html if html.endswith("\n") else html + "\n"
