"""Word (.docx): the deliverable for consultants who edit before they send.

The same structure as the HTML and PDF reports (:mod:`defa_check.render.deliverable`),
with real heading styles (so Word's navigation pane and its table of contents
work), a table-of-contents field Word fills in when the file is opened, tables
for the heat map and every list, and the disclaimer and page numbers in the
footer of every page. Built with python-docx, an optional extra:
`pip install "defa-check[docx]"`.

Two runs on the same input give the same bytes: the document's dates are the
as-of date, and the zip entries are stamped with it too.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from defa_check.model import DISCLAIMER, Report, Status
from defa_check.render import deliverable
from defa_check.render.base import BinaryOutputFormat, MissingDependency, RenderOptions
from defa_check.render.deliverable import Deliverable
from defa_check.render.digest import STATUS_LABELS, Requirement, plural, subject_list

HOW_TO_GET_IT = (
    'the Word report needs python-docx: pip install "defa-check[docx]" (from a clone: pip install ".[docx]")'
)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (TOC, PAGE, NUMPAGES) Word computes when it opens or prints the file.

    python-docx has no field API: the field is written as its runs (begin, instruction,
    separate, placeholder text, end), marked dirty so Word recomputes it.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(element: Any) -> None:
        run = paragraph.add_run()
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document: Any, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Any:
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, "#f2f4f7")
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()
    return table


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _fields_table(document: Any, pairs: list[tuple[str, str]]) -> None:
    from docx.shared import Cm, Pt, RGBColor

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].text = ""
        head = cells[0].paragraphs[0].add_run(label)
        head.font.color.rgb = RGBColor(0x47, 0x54, 0x67)
        head.bold = label == "What to do"
        cells[1].text = ""
        body = cells[1].paragraphs[0].add_run(value)
        body.bold = label == "What to do"
        for cell, width in zip(cells, (4.0, 12.5), strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()


def _entry(document: Any, req: Requirement) -> None:
    f = req.lead
    document.add_heading(f.title, level=3)
    line = document.add_paragraph()
    line.add_run(STATUS_LABELS[req.status]).bold = True
    line.add_run(f" · {f.severity.label} · {f.rule_id} · {deliverable.topic_label(f.topic)}")
    concerns = subject_list(req.concerned, 6)
    if req.otherwise:
        concerns += f". {deliverable.elsewhere(req)}"
    pairs = [("Concerns", concerns)]
    if req.why:
        pairs.append(("Why it applies", "; ".join(req.why)))
    if req.evidence:
        pairs.append(("What the manifest shows", "; ".join(req.evidence)))
    pairs.append(("Finding", f.message))
    if req.status is Status.FAIL and req.action:
        pairs.append(("What to do", req.action))
        if req.record:
            pairs.append(("In the manifest", req.record))
    url = deliverable.link(f)
    pairs.append(("Law", deliverable.law(f) + (f" — {url}" if url else "")))
    pairs.append(("When", deliverable.in_force(f)))
    if f.confidence != "high":
        pairs.append(("Confidence", f"{f.confidence}: the sources leave room for interpretation"))
    _fields_table(document, pairs)


def _name(req: Requirement) -> str:
    return f"{req.first.title} ({req.first.rule_id})"


def build_document(doc: Deliverable) -> Any:
    """The python-docx Document of a deliverable."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    report = doc.report
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    document.styles["Normal"].font.size = Pt(10)

    client = doc.prepared_for or report.organization
    header = section.header.paragraphs[0]
    header.text = f"{doc.title} — {client}"
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    small = footer.add_run(f"{DISCLAIMER}  Page ")
    small.font.size = Pt(7)
    _field(footer, "PAGE", "1")
    footer.add_run(" of ").font.size = Pt(7)
    _field(footer, "NUMPAGES", "1")
    section.different_first_page_header_footer = True
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.add_run(DISCLAIMER).font.size = Pt(7)

    # Cover
    if doc.logo is not None:
        document.add_picture(io.BytesIO(doc.logo), height=Cm(2.0))
    document.add_paragraph("ASEAN data protection, data localization and e-commerce rules")
    document.add_heading(doc.title, level=0)
    document.add_paragraph(client, style="Subtitle")
    cover = document.add_table(rows=0, cols=2)
    for label, value in doc.cover:
        cells = cover.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].width, cells[1].width = Cm(4.5), Cm(12.5)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Contents: a field Word fills in (it offers to update fields when the file is opened).
    # Not a heading: the contents must not list itself.
    contents = document.add_paragraph().add_run("Contents")
    contents.bold, contents.font.size = True, Pt(16)
    _field(
        document.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "Right-click here and choose Update Field to list the contents with page numbers.",
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Executive summary
    document.add_heading("Executive summary", level=1)
    document.add_paragraph().add_run(doc.needs_action).bold = True
    for line in doc.summary:
        document.add_paragraph(line)
    if doc.urgent:
        document.add_heading("The most urgent actions", level=2)
        for action in doc.urgent:
            item = document.add_paragraph(style="List Number")
            item.add_run(action.headline).bold = True
            item.add_run(f"\n{action.detail}\n{action.where}")
    document.add_heading("Requirements in force, by outcome", level=2)
    _table(document, ["Outcome", "Requirements"], [[label, str(n)] for label, n in doc.counts], [10.0, 3.5])
    if doc.heat and doc.topics:
        document.add_heading("Where action is needed: countries and topics", level=2)
        heat = _table(
            document,
            ["Country", *[deliverable.topic_label(t) for t in doc.topics]],
            [[deliverable.country_title(c), *[cell.text for cell in cells]] for c, cells in doc.heat],
        )
        for row, (_, cells) in zip(heat.rows[1:], doc.heat, strict=True):
            for table_cell, cell in zip(row.cells[1:], cells, strict=True):
                _shade(table_cell, cell.colour)
        document.add_paragraph(
            "Each cell: the number of requirements needing action (not met, a question open, or to "
            "confirm with counsel), coloured by the most urgent (red: not met; orange: question open; "
            "purple: confirm with counsel; green: met; grey: does not apply); ✓ all met; – none applies; "
            "blank: not assessed (no rule on the topic, or nothing declared that its rules concern, such "
            "as a market)."
        )
    for notice in report.notices:
        document.add_paragraph(notice)

    # Per country
    for country in doc.countries:
        document.add_heading(f"{country.title}: what needs action", level=1)
        text = country.headline
        if country.quiet:
            text += (
                f" on what the manifest states: {plural(len(country.met), 'requirement')} met, "
                f"{len(country.not_applicable)} not applicable"
            )
        document.add_paragraph().add_run(text + ".").bold = True
        if country.failing:
            document.add_heading("Not met", level=2)
            for req in country.failing:
                _entry(document, req)
        if country.review:
            document.add_heading("To confirm with counsel", level=2)
            document.add_paragraph(
                "The facts are stated; the law on these points is unsettled or its reach unclear."
            )
            for req in country.review:
                _entry(document, req)
        if country.questions:
            document.add_heading("Questions to answer", level=2)
            document.add_paragraph(
                f"{plural(len(country.undecided), 'requirement')} cannot be decided until these are answered."
            )
            for q in country.questions:
                item = document.add_paragraph(q.text, style="List Number")
                item.add_run(
                    f"\nDecides: {', '.join(q.rules)} · for {subject_list(q.subjects, 4)} · "
                    f"manifest field {q.field}"
                ).font.size = Pt(8)
        if country.upcoming:
            document.add_heading("Coming into force, and draft laws", level=2)
            _table(
                document,
                ["Requirement", "Concerns", "When", "Would be"],
                [
                    [
                        _name(r),
                        subject_list(r.subjects, 3),
                        deliverable.in_force(r.first),
                        STATUS_LABELS[r.first.verdict or r.first.status],
                    ]
                    for r in country.upcoming
                ],
                [7.0, 4.0, 4.0, 2.5],
            )
        if country.waived:
            document.add_heading("Waived (accepted risks)", level=2)
            _table(
                document,
                ["Requirement", "Justification", "Approved by, until"],
                [
                    [
                        _name(r),
                        r.first.waiver.justification if r.first.waiver else "",
                        f"{r.first.waiver.approved_by}, {r.first.waiver.expires.isoformat()}"
                        if r.first.waiver
                        else "",
                    ]
                    for r in country.waived
                ],
            )

    document.add_heading("What you already meet", level=1)
    if not any(c.met for c in doc.countries):
        document.add_paragraph("No requirement is met yet on what the manifest states.")
    for country in doc.countries:
        if country.met:
            document.add_heading(country.title, level=2)
            _table(
                document,
                ["Requirement", "What the manifest shows"],
                [
                    [f"{_name(r)}\n{deliverable.law(r.first)}", "; ".join(r.evidence) or r.lead.message]
                    for r in country.met
                ],
                [7.5, 10.0],
            )

    document.add_heading("What does not apply, and why", level=1)
    document.add_paragraph(
        "A legal judgement was made for each: the reason is what the manifest states, or does not."
    )
    for country in doc.countries:
        if country.not_applicable:
            document.add_heading(country.title, level=2)
            _table(
                document,
                ["Requirement", "Why it does not apply"],
                [[_name(r), "; ".join(r.why) or r.lead.message] for r in country.not_applicable],
                [7.5, 10.0],
            )

    document.add_heading("Scope and limits of this check", level=1)
    document.add_paragraph(
        "The check covers what the manifest declares: its data flows, systems and online markets, judged "
        "against the rule packs listed on the cover. Flows, markets or facts the manifest leaves out are "
        "not assessed, and a requirement marked “met” is met on the facts as stated."
    )
    if doc.drafts:
        document.add_heading("Draft laws", level=2)
        for req in doc.drafts:
            document.add_paragraph(
                f"{deliverable.country_at_start(req.first.country)}: {_name(req)} "
                f"— {deliverable.law(req.first)}",
                style="List Bullet",
            )
    if doc.unsettled:
        document.add_heading("Unsettled points", level=2)
        for req in doc.unsettled:
            document.add_paragraph(
                f"{deliverable.country_at_start(req.first.country)}: {_name(req)} "
                f"(confidence {req.first.confidence})",
                style="List Bullet",
            )
    for country in doc.countries:
        limits = doc.limits.get(country.code, [])
        if not limits:
            continue
        document.add_heading(doc.limits_heading(country.code), level=2)
        listed = [limit for limit in limits if limit.topic]
        if listed:
            document.add_paragraph(doc.limits_lead)
        for limit in listed:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(f"{deliverable.topic_label(limit.topic)}: ").bold = True
            item.add_run(limit.text)
        for limit in limits:
            if not limit.topic:
                notes = document.add_paragraph()
                if listed:
                    notes.add_run(f"{doc.notes_lead} ").bold = True
                notes.add_run(limit.text)
    document.add_paragraph(DISCLAIMER).runs[0].italic = True
    return document


def _settings_update_fields(document: Any) -> None:
    """Ask Word to fill in the contents and page fields when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _reproducible(data: bytes, day: dt.date) -> bytes:
    """The same .docx with every zip entry dated ``day`` (python-docx stamps them with the time now)."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


class DocxFormat(BinaryOutputFormat):
    name = "docx"
    lists_every_finding = True
    has_cover = True
    description = (
        'a Word document to edit before sending (needs the `docx` extra: pip install "defa-check[docx]")'
    )

    def render_bytes(self, report: Report, options: RenderOptions = RenderOptions()) -> bytes:
        try:
            import docx  # noqa: F401
        except ImportError as exc:
            raise MissingDependency(HOW_TO_GET_IT) from exc
        doc = deliverable.build(report, options)
        document = build_document(doc)
        _settings_update_fields(document)
        stamp = dt.datetime(report.as_of.year, report.as_of.month, report.as_of.day, tzinfo=dt.UTC)
        props = document.core_properties
        props.title = doc.title
        props.subject = f"{report.organization}: data-flow compliance, law as of {report.as_of.isoformat()}"
        props.author = doc.prepared_by or "defa-check"
        props.last_modified_by = doc.prepared_by or "defa-check"
        props.comments = DISCLAIMER
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        buffer = io.BytesIO()
        document.save(buffer)
        return _reproducible(buffer.getvalue(), report.as_of)
