"""The member states side by side: one row per topic, one column per country.

Every cell comes from a country profile (its `short` text, else its position),
so the matrix never says anything a profile does not.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from defa_check.model import DISCLAIMER, TOPICS
from defa_check.model import TOPIC_LABELS as MODEL_TOPIC_LABELS
from defa_check.packs.loader import CountryProfile, Position
from defa_check.workflows.formats import COUNTRIES_FORMATS

SYMBOL = {"requirement": "●", "no_requirement": "○", "draft_only": "◐", "unclear": "?"}
LEGEND = "● requirement in force   ○ no requirement found   ◐ draft law only   ? unclear"
TOPIC_LABELS = {**MODEL_TOPIC_LABELS, "ecommerce": "E-commerce duties"}
"""The matrix says "duties": its e-commerce row is about a seller's duties, not the topic at large."""
PILLAR_LABELS = {
    "digital_payments": "Digital payments",
    "cybersecurity": "Cybersecurity (beyond personal data)",
    "digital_identity": "Digital identity and e-signatures",
}
"""The DEFA pillars a profile states a position on besides the rule topics."""
MCC_LABEL = {"recognised": "recognised", "not_recognised": "not recognised", "unclear": "unclear"}
CBPR_LABEL = {"member": "member", "associate": "associate", "none": "no"}


def positions(profile: CountryProfile) -> list[tuple[str, Position]]:
    """(label, position) for every topic, then every pillar the profile states."""
    out = [(TOPIC_LABELS[t], profile.topics[t]) for t in TOPICS]
    out += [(PILLAR_LABELS[k], v) for k, v in profile.pillars.items() if k in PILLAR_LABELS]
    return out


def _cell(entry: Position) -> str:
    text = entry.short or entry.position.replace("_", " ")
    return f"{SYMBOL[entry.position]} {text}"


def cell(profile: CountryProfile, topic: str) -> str:
    return _cell(profile.topics[topic])


def pillar_cell(profile: CountryProfile, pillar: str) -> str:
    entry = profile.pillars.get(pillar)
    return "? not yet reviewed" if entry is None else _cell(entry)


def rows(profiles: list[CountryProfile]) -> list[tuple[str, list[str]]]:
    """(row label, one cell per profile), topics first, then the ASEAN-level columns."""
    out = [(TOPIC_LABELS[t], [cell(p, t) for p in profiles]) for t in TOPICS]
    for pillar, label in PILLAR_LABELS.items():
        if any(pillar in p.pillars for p in profiles):
            out.append((label, [pillar_cell(p, pillar) for p in profiles]))
    out.append(("ASEAN Model Contractual Clauses", [MCC_LABEL[p.asean_mcc] for p in profiles]))
    out.append(("Global CBPR participant", [CBPR_LABEL[p.global_cbpr] for p in profiles]))
    out.append(("Profile reviewed", [p.last_reviewed for p in profiles]))
    return out


def to_json(profiles: list[CountryProfile]) -> str:
    data = {
        "countries": [
            {
                "code": p.code,
                "name": p.name,
                "asean_member_since": p.asean_member_since,
                "last_reviewed": p.last_reviewed,
                "asean_mcc": p.asean_mcc,
                "global_cbpr": p.global_cbpr,
                "regulators": p.data["regulators"],
                "instruments": p.data["instruments"],
                "sensitive_categories": list(p.sensitive_categories),
                "sensitive_note": p.sensitive_note,
                "topics": {
                    t: {
                        "position": p.topics[t].position,
                        "short": p.topics[t].short,
                        "summary": p.topics[t].summary,
                    }
                    for t in TOPICS
                },
                "pillars": {
                    k: {
                        "position": v.position,
                        "short": v.short,
                        "summary": v.summary,
                    }
                    for k, v in p.pillars.items()
                },
            }
            for p in profiles
        ],
        "disclaimer": DISCLAIMER,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_markdown(profiles: list[CountryProfile]) -> str:
    from defa_check.render.escape import md

    head = "| topic | " + " | ".join(p.code for p in profiles) + " |"
    out = ["# ASEAN member states compared", "", LEGEND, "", head, "|---" * (len(profiles) + 1) + "|"]
    for label, cells in rows(profiles):
        out.append(f"| {md(label)} | " + " | ".join(md(c) for c in cells) + " |")
    out += ["", f"_{md(DISCLAIMER)}_", ""]
    return "\n".join(out)


def to_csv(profiles: list[CountryProfile]) -> str:
    from defa_check.render.escape import safe_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["topic", *[p.code for p in profiles]])
    for label, cells in rows(profiles):
        writer.writerow([safe_cell(label), *[safe_cell(c) for c in cells]])
    return buffer.getvalue()


def _page(title: str, body: str, extra_css: str = "") -> str:
    """A self-contained page: inline CSS, and a policy that forbids fetching anything."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>"
        "body{font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:12px;margin:24px}"
        "table{border-collapse:collapse}th,td{border:1px solid #d0d5dd;padding:4px 6px;vertical-align:top}"
        f"{extra_css}</style></head><body><h1>{escape(title)}</h1>{body}"
        f"<p>{escape(DISCLAIMER)}</p></body></html>\n"
    )


def to_html(profiles: list[CountryProfile]) -> str:
    head = "".join(f"<th>{escape(p.name)}</th>" for p in profiles)
    body = "".join(
        f"<tr><th>{escape(label)}</th>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"
        for label, cells in rows(profiles)
    )
    return _page(
        "ASEAN member states compared",
        f"<p>{escape(LEGEND)}</p>"
        f"<table><thead><tr><th>Topic</th>{head}</tr></thead><tbody>{body}</tbody></table>",
        extra_css="thead th{background:#f2f4f7;position:sticky;top:0}"
        "tbody th{text-align:left;background:#f9fafb}@media print{@page{size:A3 landscape}}",
    )


def _rules(count: int) -> str:
    return f"{count} rule" + ("" if count == 1 else "s")


def profile_markdown(profile: CountryProfile, rule_count: int) -> str:
    """One country's profile as Markdown, for a client report."""
    from defa_check.render.escape import md

    out = [
        f"# {md(profile.name)} ({profile.code})",
        "",
        f"ASEAN member since {profile.asean_member_since} · profile reviewed {profile.last_reviewed} · "
        f"{_rules(rule_count)} · ASEAN Model Contractual Clauses: {MCC_LABEL[profile.asean_mcc]} · "
        f"Global CBPR: {CBPR_LABEL[profile.global_cbpr]}",
        "",
        "## Regulators",
        "",
        *[f"- {md(r.name)}" + (f" <{r.url}>" if r.url else "") for r in profile.regulators],
        "",
        "## Instruments",
        "",
        "| instrument | number | status | in force |",
        "|---|---|---|---|",
    ]
    for inst in profile.instruments:
        dates = (inst.in_force_from or "") + (f" to {inst.in_force_until}" if inst.in_force_until else "")
        out.append(
            f"| [{md(inst.title)}](<{inst.url}>) | {md(inst.number or '')} | "
            f"{inst.status.replace('_', ' ')} | {dates} |"
        )
    out += ["", "## Position by topic", ""]
    for label, entry in positions(profile):
        out.append(f"- **{label}** ({entry.position.replace('_', ' ')}): {md(entry.summary)}")
    out += ["", f"Sensitive data: {md(profile.sensitive_note)}", "", f"_{md(DISCLAIMER)}_", ""]
    return "\n".join(out)


def profile_html(profile: CountryProfile, rule_count: int) -> str:
    """One country's profile as a self-contained printable page."""

    def link(url: str, text: str) -> str:
        safe = escape(url, quote=True)
        return (
            f'<a href="{safe}">{escape(text)}</a>'
            if url.startswith(("https://", "http://"))
            else escape(text)
        )

    regulators = "".join(
        f"<li>{link(r.url, r.name) if r.url else escape(r.name)}</li>" for r in profile.regulators
    )
    instruments = "".join(
        f"<tr><td>{link(i.url, i.title)}</td><td>{escape(i.number or '')}</td>"
        f"<td>{escape(i.status.replace('_', ' '))}</td><td>{escape(i.in_force_from or '')}"
        f"{(' to ' + escape(i.in_force_until)) if i.in_force_until else ''}</td></tr>"
        for i in profile.instruments
    )
    topics = "".join(
        f"<tr><th>{escape(label)}</th><td>{SYMBOL[entry.position]} "
        f"{escape(entry.position.replace('_', ' '))}</td>"
        f"<td>{escape(entry.summary)}</td></tr>"
        for label, entry in positions(profile)
    )
    return _page(
        f"{profile.name} ({profile.code})",
        f"<p>ASEAN member since {escape(profile.asean_member_since)} · profile reviewed "
        f"{escape(profile.last_reviewed)} · {_rules(rule_count)} · ASEAN Model Contractual Clauses: "
        f"{escape(MCC_LABEL[profile.asean_mcc])} · Global CBPR: {escape(CBPR_LABEL[profile.global_cbpr])}</p>"
        f"<h2>Regulators</h2><ul>{regulators}</ul>"
        "<h2>Instruments</h2><table><thead><tr><th>Instrument</th><th>Number</th><th>Status</th>"
        f"<th>In force</th></tr></thead><tbody>{instruments}</tbody></table>"
        f"<h2>Position by topic</h2><table><tbody>{topics}</tbody></table>"
        f"<p>Sensitive data: {escape(profile.sensitive_note)}</p>",
        extra_css="body{max-width:1000px}table{width:100%}th,td{text-align:left}",
    )


def profile_text(profile: CountryProfile, rule_count: int) -> str:
    """One country's profile in plain text, for `countries CC`."""
    lines = [
        f"{profile.name} ({profile.code}) — ASEAN member since {profile.asean_member_since}; "
        f"profile reviewed {profile.last_reviewed}; {_rules(rule_count)}",
        "",
        "Regulators:",
    ]
    lines += [f"  - {r.name}" + (f" <{r.url}>" if r.url else "") for r in profile.regulators] or ["  none"]
    lines += ["", "Instruments:"]
    for inst in profile.instruments:
        dates = inst.in_force_from or ""
        if inst.in_force_until:
            dates += f" to {inst.in_force_until}"
        number = f" ({inst.number})" if inst.number else ""
        lines.append(f"  - {inst.title}{number} — {inst.status.replace('_', ' ')} {dates}".rstrip())
        lines.append(f"    {inst.url}")
    lines += [
        "",
        f"ASEAN Model Contractual Clauses: {MCC_LABEL[profile.asean_mcc]}. "
        f"Global CBPR: {CBPR_LABEL[profile.global_cbpr]}.",
        "",
        "Sensitive data: " + profile.sensitive_note,
        "",
        "Position by topic:",
    ]
    for label, entry in positions(profile):
        lines.append(f"  {SYMBOL[entry.position]} {label}: {entry.position.replace('_', ' ')}")
        lines.append("      " + entry.summary)
    lines += ["", DISCLAIMER]
    return "\n".join(lines) + "\n"


def to_console(profiles: list[CountryProfile], color: bool = False) -> str:
    """The matrix as a Rich table: one symbol per cell, the legend below."""
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=140, highlight=False)
    table = Table(title="ASEAN member states compared", title_justify="left")
    table.add_column("Topic", no_wrap=True)
    for p in profiles:
        table.add_column(p.code, justify="center", no_wrap=True)
    compact = {
        "recognised": "●",
        "not recognised": "○",
        "unclear": "?",
        "member": "●",
        "associate": "◐",
        "no": "○",
    }
    for label, cells in rows(profiles):
        if label == "Profile reviewed":
            continue
        table.add_row(
            label,
            *[c.split(" ", 1)[0] if c[:1] in SYMBOL.values() else compact.get(c, c) for c in cells],
        )
    console.print(table)
    console.print(LEGEND)
    console.print("Each cell's text: --format markdown|html|csv|json. One country: defa-check countries VN.")
    return buffer.getvalue()


FORMATS = COUNTRIES_FORMATS
"""`countries --format` choices; :func:`render_countries` has a renderer for each."""


def render_countries(
    profiles: list[CountryProfile], fmt: str, rule_counts: dict[str, int], color: bool = False
) -> str:
    """The matrix of ``profiles``, or one country's whole profile when there is one."""
    if len(profiles) == 1:
        one: dict[str, Any] = {
            "console": profile_text,
            "markdown": profile_markdown,
            "html": profile_html,
        }
        if fmt in one:
            text: str = one[fmt](profiles[0], rule_counts.get(profiles[0].code, 0))
            return text
    if fmt == "console":
        return to_console(profiles, color)
    matrix = {"markdown": to_markdown, "csv": to_csv, "html": to_html, "json": to_json}
    return matrix[fmt](profiles)
