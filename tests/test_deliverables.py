"""The deliverable a consultant signs: PDF (read back page by page), Word, the cover options,
reproducible bytes, and no path of the machine in any format.

The PDF is rendered to images and its text extracted with pypdfium2 (PDFium, the
engine of Chromium's PDF viewer), independent of WeasyPrint that wrote it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.inputs.saved_report import load_report
from defa_check.model import DISCLAIMER
from defa_check.render import FORMATS, format_class

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
AS_OF = "2026-11-27"


# A 1×1 PNG, written by hand (signature, IHDR, IDAT, IEND).
def _png(width: int, height: int) -> bytes:
    """A whole, valid RGB PNG of one colour (an image decoder reads it to the end)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png(1, 1)
"""A whole 1x1 PNG (a hand-written one had a chunk length and a checksum wrong, which the
logo check now refuses)."""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def client_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consultant's client folder, named so that a leak is easy to see."""
    folder = tmp_path_factory.mktemp("alice-secret-clients") / "mekongpay"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "flows.yaml")
    return folder


@pytest.fixture(scope="module")
def facts(client_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The JSON report of the example: what the deliverables must say."""
    out = tmp_path_factory.mktemp("json") / "r.json"
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-f", "json", "-o", str(out)
    )
    assert code in (0, 1), err
    data: dict[str, object] = json.loads(out.read_text())
    return data


def _failing_rules(facts: dict[str, object]) -> set[str]:
    findings = facts["findings"]
    assert isinstance(findings, list)
    rules = facts["rules"]
    assert isinstance(rules, dict)
    # A finding carries its rule's fields (upcoming, ...) only where they differ from the rules table.
    return {
        f["rule_id"]
        for f in findings
        if f["status"] == "fail" and not f.get("upcoming", rules[f["rule_id"]]["upcoming"])
    }


@pytest.fixture(scope="module")
def pdf_bytes(client_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The example's PDF made twice, by the CLI, from an absolute manifest path."""
    pytest.importorskip("weasyprint")
    outputs = []
    for n in (1, 2):
        out = tmp_path_factory.mktemp(f"pdf{n}") / "report.pdf"
        code, err = run(
            "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", str(out),
            "--prepared-for", "MekongPay JSC", "--prepared-by", "Tran & Partners",
        )  # fmt: skip
        assert code in (0, 1), err
        outputs.append(out.read_bytes())
    return outputs


def _pages(data: bytes) -> list[str]:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_pdf_is_byte_identical_across_runs(pdf_bytes: list[bytes]) -> None:
    first, second = pdf_bytes
    assert first.startswith(b"%PDF-")
    assert first == second


def test_pdf_text_has_the_summary_citations_page_numbers_and_disclaimer_on_every_page(
    pdf_bytes: list[bytes], facts: dict[str, object]
) -> None:
    pages = _pages(pdf_bytes[0])
    whole = "\n".join(pages)
    flat = " ".join(whole.split())
    assert "Executive summary" in flat and "The most urgent actions" in flat
    failing = _failing_rules(facts)
    # The summary counts requirements once each, not findings.
    assert f"{len(failing)} requirements are not met" in flat
    findings = facts["findings"]
    assert isinstance(findings, list)
    rules = facts["rules"]
    assert isinstance(rules, dict)
    for f in findings:
        if f["rule_id"] in failing:
            citation = f.get("citation", rules[f["rule_id"]]["citation"])
            assert " ".join(citation["instrument"].split()) in flat
            # A rule id is never broken over two lines.
            assert f["rule_id"] in whole
    assert "MekongPay JSC" in flat and "Tran & Partners" in flat
    for number, text in enumerate(pages, 1):
        words = " ".join(text.split())
        assert f"Page {number} of {len(pages)}" in words
        assert "It is not legal advice" in words, f"page {number} lacks the disclaimer"
    assert "What you already meet" in flat and "What does not apply, and why" in flat
    assert "Scope and limits of this check" in flat and "what this report does not cover" in flat


def test_pdf_has_contents_with_page_numbers_and_no_near_empty_page(pdf_bytes: list[bytes]) -> None:
    pages = _pages(pdf_bytes[0])
    contents = " ".join(pages[1].split())
    assert re.search(r"Contents Executive summary[ .]+\d+", contents)
    running = len(" ".join(DISCLAIMER.split())) + 200  # header, footer and page number
    for number, text in enumerate(pages[1:], 2):  # the cover is allowed its white space
        assert len(" ".join(text.split())) > running + 300, f"page {number} is nearly empty"


def test_pdf_pages_render_to_images_that_are_not_blank(pdf_bytes: list[bytes]) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(pdf_bytes[0])
    for i in range(min(len(document), 4)):
        image = document[i].render(scale=0.5).to_pil().convert("L")
        low, high = image.getextrema()
        assert high - low > 100, f"page {i + 1} is blank"
        # Something is drawn on at least 1% of the page (text, the heat map).
        dark = sum(image.histogram()[:200])
        assert dark > image.width * image.height / 100


def test_word_report_has_headings_tables_a_contents_field_and_is_reproducible(
    client_folder: Path, tmp_path: Path, facts: dict[str, object]
) -> None:
    docx = pytest.importorskip("docx")
    outs = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for out in outs:
        code, err = run("check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", str(out))
        assert code in (0, 1), err
    assert outs[0].read_bytes() == outs[1].read_bytes()
    document = docx.Document(str(outs[0]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Executive summary") in headings
    assert ("Heading 1", "Viet Nam (VN): what needs action") in headings
    assert ("Heading 1", "What does not apply, and why") in headings
    titles = {text for style, text in headings if style == "Heading 3"}
    findings = facts["findings"]
    assert isinstance(findings, list)
    rules = facts["rules"]
    assert isinstance(rules, dict)
    assert {rules[f["rule_id"]]["title"] for f in findings if f["rule_id"] in _failing_rules(facts)} <= titles
    assert len(document.tables) >= 5
    heat = next(t for t in document.tables if t.rows[0].cells[0].text == "Country")
    assert [row.cells[0].text for row in heat.rows[1:]] == ["Singapore (SG)", "Viet Nam (VN)"]
    with zipfile.ZipFile(outs[0]) as package:
        body = package.read("word/document.xml").decode()
        footers = "".join(package.read(n).decode() for n in package.namelist() if "footer" in n)
    assert "TOC \\o" in body and "PAGE" in footers and "not legal advice" in footers


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_no_absolute_path_of_the_machine_in_any_format(
    name: str, client_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "pdf":
        pytest.importorskip("weasyprint")
    if name == "docx":
        pytest.importorskip("docx")
    monkeypatch.chdir(tmp_path)  # the working folder is elsewhere: the manifest is outside it
    out = tmp_path / f"report.{name}"
    waivers = client_folder / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - rule: VN-SENSITIVE-001\n"
        "    justification: Accepted by the board on 2026-11-01 pending the dossier.\n"
        "    approved_by: Jane\n    expires: '2027-06-30'\n"
    )
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-f", name, "-o", str(out),
        "--waivers", str(waivers),
    )  # fmt: skip
    assert code in (0, 1), err
    data = out.read_bytes()
    if name == "pdf":
        text = "\n".join(_pages(data))
    elif name == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            text = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    else:
        assert not format_class(name).binary
        text = data.decode()
    assert "alice-secret-clients" not in text and str(client_folder) not in text
    if name in ("json", "html", "markdown", "console", "docx", "pdf"):
        assert "flows.yaml" in text


def test_a_manifest_inside_the_working_folder_is_named_relative_to_it(
    client_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(client_folder.parent)
    out = tmp_path / "r.json"
    code, err = run("check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", str(out))
    assert code in (0, 1), err
    report = json.loads(out.read_text())
    assert report["manifest"]["path"] == "mekongpay/flows.yaml"
    # A finding's location names its file only when it is not the manifest (report version 3).
    assert all("path" not in f["location"] for f in report["findings"] if f.get("location"))
    loaded, problems = load_report(out)
    assert problems == [] and loaded is not None
    assert {f.location.path for f in loaded.findings if f.location} == {"mekongpay/flows.yaml"}


def test_cover_options_and_settings(
    client_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    out = tmp_path / "r.html"
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", str(out),
        "--title", "Regional privacy review", "--prepared-for", "MekongPay <JSC>",
        "--prepared-by", "Tran & Partners", "--logo", str(logo),
    )  # fmt: skip
    assert code in (0, 1), err
    html = out.read_text()
    assert "<h1>Regional privacy review</h1>" in html
    assert "MekongPay &lt;JSC&gt;" in html and "Tran &amp; Partners" in html
    assert 'src="data:image/png;base64,' in html
    # The same from the settings file; a command-line option still wins.
    project = tmp_path / "project"
    project.mkdir()
    (project / "logo.png").write_bytes(PNG)
    (project / ".defa-check.yaml").write_text(
        "title: Annual review\nprepared_by: In-house DPO\nprepared_for: Board\nlogo: logo.png\n"
    )
    monkeypatch.chdir(project)
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", "r.html",
        "--prepared-for", "Audit committee",
    )  # fmt: skip
    assert code in (0, 1), err
    html = (project / "r.html").read_text()
    assert "<h1>Annual review</h1>" in html and "In-house DPO" in html and "Audit committee" in html
    assert "Board" not in html and "data:image/png" in html


def test_a_logo_for_reports_without_a_cover_is_said_to_be_unused(client_folder: Path, tmp_path: Path) -> None:
    """`--logo` with a Markdown report was dropped without a word (a user trial)."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    out = tmp_path / "r.md"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out), "--logo", str(logo))
    assert code in (0, 1) and out.exists()
    assert "notice: --logo is shown on the cover of html, pdf, docx reports only; none is written here" in err
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "-o", str(tmp_path / "r.html"), "--logo", str(logo)
    )
    assert code in (0, 1) and "--logo is shown" not in err


def test_a_logo_that_is_not_an_image_is_refused_before_anything_is_written(
    client_folder: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "logo.png"
    bad.write_text("<svg/>")
    out = tmp_path / "r.html"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out), "--logo", str(bad))
    assert code == 2 and "must be a PNG or JPEG" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.write_bytes(PNG[:-12]), "the logo is cut short"),  # no IEND: the download stopped
        (lambda p: p.write_bytes(PNG[:40]), "the logo is cut short"),
        (
            lambda p: p.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100),
            "the logo is cut short",
        ),  # JPEG, no end
        (lambda p: p.mkdir(), "a folder, not a file"),
        (lambda p: os.mkfifo(p), "not a regular file (a pipe or a device)"),
        (lambda p: p.write_bytes(_flipped(PNG, 45)), "the logo is damaged (its checksums do not match)"),
        (lambda p: p.write_bytes(_with_crcs(_flipped(PNG, 45))), "the logo is damaged"),  # CRC redone
        (lambda p: p.write_bytes(b""), "the logo file is empty"),
        (lambda p: None, "no such file"),
    ],
)
def test_a_logo_that_cannot_be_drawn_is_refused_with_what_is_wrong(
    client_folder: Path, tmp_path: Path, make: Any, said: str
) -> None:
    logo = tmp_path / "logo.png"
    make(logo)
    out = tmp_path / "r.html"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out), "--logo", str(logo))
    assert code == 2 and said in err, err
    assert not out.exists()


def test_a_whole_jpeg_logo_with_padding_after_its_end_is_taken(client_folder: Path, tmp_path: Path) -> None:
    logo = tmp_path / "logo.jpg"
    logo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9" + b"\x00" * 16)
    out = tmp_path / "r.html"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out), "--logo", str(logo))
    assert code in (0, 1), err
    assert "data:image/jpeg" in out.read_text()


def test_pdf_without_weasyprint_says_how_to_get_it(
    client_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    out = tmp_path / "r.pdf"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out))
    assert code == 2
    assert 'pip install "defa-check[pdf]"' in " ".join(err.split())
    assert not out.exists()


@pytest.mark.parametrize("missing", ["weasyprint", "jinja2"])
def test_pdf_without_its_extra_names_the_pdf_extra(
    client_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """Without Jinja2 too the PDF needs the pdf extra (which brings it), not the html one."""
    import sys

    monkeypatch.setitem(sys.modules, missing, None)
    out = tmp_path / "r.pdf"
    code, err = run("check", str(client_folder / "flows.yaml"), "-o", str(out))
    assert code == 2
    assert 'pip install "defa-check[pdf]"' in " ".join(err.split())
    assert "the HTML report needs Jinja2" not in err


def test_countries_and_plan_print_to_pdf_with_page_numbers(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    matrix, plan = tmp_path / "countries.pdf", tmp_path / "plan.pdf"
    code, err = run("countries", "-f", "pdf", "-o", str(matrix))
    assert code == 0, err
    code, err = run("plan", str(EXAMPLE), "--expand-to", "TH", "--as-of", AS_OF, "-f", "pdf", "-o", str(plan))
    assert code == 0, err
    matrix_pages = _pages(matrix.read_bytes())
    assert "ASEAN member states compared" in matrix_pages[0] and "Viet Nam" in matrix_pages[0]
    plan_pages = _pages(plan.read_bytes())
    assert "Expansion plan: TH" in plan_pages[0]
    for pages in (matrix_pages, plan_pages):
        for number, text in enumerate(pages, 1):
            words = " ".join(text.split())
            assert f"Page {number} of {len(pages)}" in words and "It is not legal advice" in words


def test_pdf_with_a_logo_embeds_it_and_fetches_nothing_else(client_folder: Path, tmp_path: Path) -> None:
    """A consultant's PDF with the firm's logo (found in a user trial: WeasyPrint 70 took the
    fetcher for a function of the older API and the run ended with exit 70)."""
    pytest.importorskip("weasyprint")
    pdfium = pytest.importorskip("pypdfium2")
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(8, 8))
    out = tmp_path / "r.pdf"
    code, err = run(
        "check", str(client_folder / "flows.yaml"), "--as-of", AS_OF, "-o", str(out), "--logo", str(logo),
        "--prepared-by", "Tran & Partners",
    )  # fmt: skip
    assert code in (0, 1), err
    document = pdfium.PdfDocument(out.read_bytes())
    first = document[0]
    images = [o for o in first.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert images, "the logo is not on the cover"
    assert "Tran & Partners" in first.get_textpage().get_text_range()


def _with_crcs(data: bytes) -> bytes:
    """A PNG with each chunk's CRC written again for what the chunk now holds."""
    import struct
    import zlib

    out, at = bytearray(data[:8]), 8
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        body = data[at + 4 : at + 8 + length]
        out += data[at : at + 8 + length] + struct.pack(">I", zlib.crc32(body))
        at += 12 + length
    return bytes(out)


def _flipped(data: bytes, at: int) -> bytes:
    """``data`` with one byte changed, as a bad copy or download leaves it."""
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def test_a_blank_heat_map_cell_says_not_assessed_never_no_rule(tmp_path: Path) -> None:
    """A user trial: regional-hr declares no market, so Indonesia's consumer-protection and
    local-presence rules (market rules) give no finding; the cell read "no rule", which a client
    takes for "Indonesia has no such requirement"."""
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(ROOT / "examples" / "regional-hr.yaml"),
            "--as-of",
            AS_OF,
            "-f",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code in (0, 1), result.output
    html = out.read_text(encoding="utf-8")
    assert ": no rule<" not in html and "blank: no rule" not in html
    assert "ID, Consumer protection: not assessed (no rule on the topic, or nothing declared" in html
