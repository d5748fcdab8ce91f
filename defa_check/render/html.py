"""A self-contained, printable HTML report for consultants and their clients.

Built from a Jinja2 template with autoescaping: no string concatenation of
manifest text into HTML. No network requests: inline CSS, an inline SVG heat
map, the logo as a data URI, and a Content-Security-Policy that forbids
fetching anything. The same page is what the PDF format prints (its print
styles give the running header, the page numbers and the disclaimer on every page).
Jinja2 is an optional dependency: `pip install "defa-check[html]"`.
"""

from __future__ import annotations

import base64
from html import escape

from defa_check.model import DISCLAIMER, Report, image_media_type
from defa_check.render import deliverable
from defa_check.render.base import MissingDependency, OutputFormat, RenderOptions
from defa_check.render.deliverable import HEAT_COLOURS, HEAT_LABELS, Deliverable
from defa_check.render.digest import STATUS_LABELS, plural, subject_list


def heat_map(doc: Deliverable) -> str:
    """Countries down, topics across; each cell coloured by the most urgent status in force (inline SVG)."""
    if not doc.heat or not doc.topics:
        return ""
    left, cell, head, gap = 150, 34, 128, 2
    width = max(left + len(doc.topics) * cell + 10, 560)  # at least the legend's width
    rows_height = len(doc.heat) * cell
    legend_y = head + rows_height + 22
    height = legend_y + 40
    parts = [
        f'<svg role="img" aria-label="Requirements needing action by country and topic" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="11">'
    ]
    for j, topic in enumerate(doc.topics):
        x = left + j * cell + cell / 2 + 4
        parts.append(
            f'<text transform="translate({x:.0f},{head - 6}) rotate(-60)">'
            f"{escape(deliverable.topic_label(topic))}</text>"
        )
    for i, (country, cells) in enumerate(doc.heat):
        y = head + i * cell
        parts.append(
            f'<text x="0" y="{y + cell / 2 + 4:.0f}">{escape(deliverable.country_title(country))}</text>'
        )
        for j, c in enumerate(cells):
            x = left + j * cell
            ink = "#ffffff" if c.status in ("fail", "review", "needs_info") else "#101828"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - gap}" height="{cell - gap}" fill="{c.colour}" '
                f'stroke="#d0d5dd" stroke-width="0.5"><title>{escape(country)}, '
                f"{escape(deliverable.topic_label(doc.topics[j]))}: {escape(c.title)}</title></rect>"
            )
            if c.text:
                parts.append(
                    f'<text x="{x + (cell - gap) / 2:.0f}" y="{y + cell / 2 + 3:.0f}" text-anchor="middle" '
                    f'fill="{ink}" font-weight="700">{escape(c.text)}</text>'
                )
            if c.upcoming:
                parts.append(f'<circle cx="{x + cell - 8}" cy="{y + 6}" r="3" fill="#101828"/>')
    x = 0
    for status in ("fail", "needs_info", "review", "pass", "not_applicable"):
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{HEAT_COLOURS[status]}" '
            'stroke="#d0d5dd" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{legend_y + 10}">{escape(HEAT_LABELS[status])}</text>')
        x += 26 + 7 * len(HEAT_LABELS[status])
    parts.append("</svg>")
    return "".join(parts)


def logo_uri(data: bytes | None) -> str:
    """The cover logo as a data URI ('' when there is none or it is not a PNG or JPEG)."""
    kind = image_media_type(data) if data else None
    if data is None or kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


class HtmlFormat(OutputFormat):
    name = "html"
    lists_every_finding = True
    has_cover = True
    description = "a self-contained printable HTML report (needs the `html` extra: Jinja2)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        try:
            import jinja2
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependency(
                'the HTML report needs Jinja2: pip install "defa-check[html]" '
                '(from a clone: pip install ".[html]")'
            ) from exc
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("defa_check.render", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        doc = deliverable.build(report, options)
        html = env.get_template("report.html.j2").render(
            report=report,
            doc=doc,
            heat_map=heat_map(doc),
            logo_uri=logo_uri(doc.logo),
            has_met=any(c.met for c in doc.countries),
            labels=STATUS_LABELS,
            plural=plural,
            subject_list=subject_list,
            topic_label=deliverable.topic_label,
            country_at_start=deliverable.country_at_start,
            law=deliverable.law,
            link=deliverable.link,
            in_force=deliverable.in_force,
            elsewhere=deliverable.elsewhere,
            disclaimer=DISCLAIMER,
        )
        return html if html.endswith("\n") else html + "\n"
