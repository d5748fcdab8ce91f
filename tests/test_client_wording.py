"""Wording of the client deliverable a consultant signs: what a consultant's trial found.

Each test renders through the command line, the way a consultant makes the report.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from defa_check.cli import app

from .conftest import ROOT

AS_OF = "2026-12-01"
EXAMPLES = ROOT / "examples"


def render(tmp_path: Path, example: str, fmt: str, *options: str) -> str:
    out = tmp_path / f"{example}.{fmt}"
    manifest = str(EXAMPLES / f"{example}.yaml")
    args = ["check", manifest, "--as-of", AS_OF, "-f", fmt, "-o", str(out), "--force", *options]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    return out.read_text(encoding="utf-8")


def test_markdown_cover_fields_are_escaped_for_markdown_not_as_html(tmp_path: Path) -> None:
    text = render(
        tmp_path, "regional-hr", "markdown",
        "--title", "Review of A&B <draft>", "--prepared-for", "Lotus Crafts & Co",
        "--prepared-by", "Tan & Partners Advisory",
    )  # fmt: skip
    assert text.startswith("# Review of A&B \\<draft\\>\n")
    assert "Prepared for Lotus Crafts & Co · prepared by Tan & Partners Advisory" in text
    # No HTML entity anywhere: Markdown is read as written too.
    assert not re.search(r"&(amp|lt|gt|quot|#\d+);", text), re.findall(r".{20}&\w+;.{20}", text)
    # What would read as an entity or a tag is still kept inert, with Markdown's backslash.
    inert = render(tmp_path, "regional-hr", "markdown", "--prepared-by", "R&amp;D <b>Ltd</b> &copy;")
    assert "prepared by R\\&amp;D \\<b\\>Ltd\\</b\\> \\&copy;" in inert


def test_the_default_title_is_the_clients_and_the_tool_is_named_in_the_footer(tmp_path: Path) -> None:
    text = render(tmp_path, "regional-hr", "markdown")
    title, *_ = text.splitlines()
    assert title == "# Data-flow compliance report: Straits Freight Holdings Pte. Ltd."
    assert "defa-check" not in title and text.rstrip().splitlines()[-1].startswith("_defa-check ")
    html = render(tmp_path, "regional-hr", "html")
    assert "<h1>Data-flow compliance report</h1>" in html and "<dd>defa-check " in html


def test_the_philippines_takes_the_article_in_sentences_and_lists(tmp_path: Path) -> None:
    text = render(tmp_path, "regional-hr", "markdown")
    assert "in the Philippines" in text
    assert not re.search(r"(?<!the )(?<!The )Philippines(?! \(PH\)|\w)", text.replace("Republic of the", ""))
    html = render(tmp_path, "regional-hr", "html")
    cover = html[html.index('<section class="cover"') : html.index("</section>")]
    assert "Malaysia (MY), the Philippines (PH), Singapore (SG)" in cover
    assert "people in the Philippines" in html and "people in Philippines" not in html
    # A name that needs no article gets none; a name that starts a line is capitalised.
    assert "in Lao PDR" not in text and "the Thailand" not in html and "the Viet Nam" not in html
    assert "<h2>The Philippines (PH): what needs action</h2>" in html


JARGON = ("effective_until", "no_requirement", "encoded", "fail a run", "research notes", "fact base")


def _scope(html: str) -> str:
    start = html.index('<section id="scope">')
    return html[start : html.index("</section>", start)]


def test_scope_and_limits_says_what_each_pack_does_not_cover_in_plain_third_person(tmp_path: Path) -> None:
    scope = _scope(render(tmp_path, "regional-hr", "html"))
    assert "<h3>Thailand (TH): what this report does not cover</h3>" in scope
    assert "<h3>Viet Nam (VN): what this report does not cover</h3>" in scope
    assert ": not checked</h3>" not in scope
    # Written by nobody in particular: no "we" a client would take for the consultant, no pack jargon.
    words = re.sub(r"<[^>]+>", " ", scope)
    assert not re.search(r"\b(we|We|us|our)\b", words), re.findall(r".{40}\b(?:we|We|us|our)\b.{40}", words)
    for jargon in JARGON:
        assert jargon not in words, jargon
    # The legal facts stay as they were.
    assert "Decree No. 330/2026/ND-CP" in words and "this rule pack has not yet been updated for it" in words
    decree_13 = "Decree 13 rules (transfer, impact assessment, breach, legal basis) for dates up to"
    assert f"{decree_13} 2025-12-31" in words


def test_every_profile_note_reads_in_the_third_person(tmp_path: Path) -> None:
    # Every country at once: the notes of all eleven packs reach some client's report.
    manifest = tmp_path / "all.yaml"
    countries = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
    manifest.write_text(
        "manifest_version: 1\norganization: {name: Acme, home_country: SG}\n"
        "flows: []\nmarkets:\n" + "".join(f"  - {{country: {c}, role: seller}}\n" for c in countries)
    )
    out = tmp_path / "all.html"
    result = CliRunner().invoke(app, ["check", str(manifest), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    words = re.sub(r"<[^>]+>", " ", _scope(out.read_text()))
    assert all(f"({c}): " in words for c in countries)
    assert not re.search(r"\b(we|We|us|our)\b", words), re.findall(r".{40}\b(?:we|We|us|our)\b.{40}", words)
    for jargon in JARGON:
        assert jargon not in words, jargon


def test_what_to_record_does_not_say_in_the_manifest_twice(tmp_path: Path) -> None:
    records = []
    for example in sorted(p.stem for p in EXAMPLES.glob("*.yaml")):
        text = render(tmp_path, example, "markdown").replace("\\", "")
        records += [line for line in text.splitlines() if line.startswith("- In the manifest: ")]
        html = render(tmp_path, example, "html")
        records += re.findall(r'<div class="meta">((?:Then record it )?[Ii]n the manifest: .*?)</div>', html)
    assert any("flows[].safeguards" in record for record in records)
    doubled = [r for r in records if "in the manifest" in r.split(": ", 1)[1].lower()]
    assert not doubled, doubled
    assert not any(r.startswith("Then record it") for r in records)


def test_evidence_uses_readable_labels_and_no_cut_negative_lists(tmp_path: Path) -> None:
    texts = {}
    for example in sorted(p.stem for p in EXAMPLES.glob("*.yaml")):
        texts[example] = re.sub(r"<[^>]+>", " ", render(tmp_path, example, "html"))
    words = " ".join(texts.values())
    assert "do not include binding corporate rules approval" in words
    assert "do not include purchase history" in words
    assert "the transfer mechanisms: only binding corporate rules" in words
    assert "the people concerned: only employee" in words
    for internal in (
        "bcr approval",
        "asean mcc",
        "eu scc",
        "data under user.",
        "user.behavior.purchase_history",
        "include none of anonymous user",
        "(not micro, small)",
    ):
        assert internal not in words, internal
    # No negative list is cut short ("none of a, b, c, d, e and 9 more").
    assert not re.search(r"(?:none of|any of|do not include)[^;.]*? and \d+ more", words)


def test_retention_and_shop_information_read_as_sentences(tmp_path: Path) -> None:
    """A user trial: "how long the data is kept is indefinite (not period or purpose ends)" and
    "what the shop shows consumers do not include ..." read as field values and bad grammar."""
    manifest = tmp_path / "shop.yaml"
    manifest.write_text(
        "manifest_version: 1\n"
        "organization: {name: Kedai, home_country: MY, size: micro, employees: 3}\n"
        "flows:\n"
        "  - {id: orders, from: SG, to: SG, subjects: {kinds: [customer], countries: [SG]},\n"
        "     data_categories: [user.name], retention: {until: indefinite}}\n"
        "markets:\n"
        "  - {country: VN, role: seller, b2c: true, channels: [own_website],\n"
        "     consumer_information: [contact]}\n"
    )
    out = tmp_path / "r.md"
    args = ["check", str(manifest), "--as-of", AS_OF, "-c", "SG,VN", "-f", "markdown", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert "the data is kept with no set limit, not for a set period or until its purpose ends" in text
    assert "is indefinite" not in text and "purpose ends)" not in text
    assert "the details the shop shows consumers do not include" in text
    assert "what the shop shows consumers do not" not in text
