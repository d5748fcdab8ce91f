"""PDF: the HTML report printed by a headless Chromium, when one is on the machine."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from defa_check.model import Report
from defa_check.render.base import BinaryOutputFormat, MissingDependency, RenderOptions
from defa_check.render.html import HtmlFormat

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
HOW_TO_GET_ONE = (
    "the PDF report needs a headless Chromium or Chrome: install one (Debian/Ubuntu: "
    "`apt-get install chromium`; macOS: install Google Chrome) or set DEFA_CHROMIUM to its path. "
    "Or use --format html and print it from any browser."
)


HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these, Chromium phones home at start-up; the report itself fetches nothing.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_browser() -> str | None:
    """A Chromium-family browser: $DEFA_CHROMIUM, else the first one on PATH."""
    explicit = os.environ.get("DEFA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


class PdfFormat(BinaryOutputFormat):
    name = "pdf"
    description = "the HTML report as PDF (needs a headless Chromium on the machine)"

    def render_bytes(self, report: Report, options: RenderOptions = RenderOptions()) -> bytes:
        browser = find_browser()
        if browser is None:
            raise MissingDependency(HOW_TO_GET_ONE)
        html = HtmlFormat().render(report, options)
        with tempfile.TemporaryDirectory(prefix="defa-check-pdf-") as tmp:
            page = Path(tmp) / "report.html"
            pdf = Path(tmp) / "report.pdf"
            page.write_text(html, encoding="utf-8")
            command = [
                browser,
                *HEADLESS_FLAGS,
                "--no-pdf-header-footer",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ]
            try:
                subprocess.run(command, capture_output=True, timeout=120, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise MissingDependency(f"could not run {browser}: {exc}") from exc
            if not pdf.exists() or pdf.stat().st_size == 0:
                raise MissingDependency(f"{browser} did not produce a PDF")
            return reproducible(pdf.read_bytes(), report.as_of)


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{4,14})([^)]*)\)")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]+)(</xmp:)")
_UUID = re.compile(rb"(uuid:)([0-9a-fA-F-]{36})")
_TRAILER_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9a-fA-F]+)(>\s*<)([0-9a-fA-F]+)(>)")


def reproducible(pdf: bytes, when: dt.date) -> bytes:
    """The same report gives the same PDF: the browser's creation and modification dates become
    the report's as-of date, and its random document ids a hash of the content.

    Every replacement keeps the length of what it replaces, so the cross-reference
    offsets of the file stay right.
    """
    stamp = when.strftime("%Y%m%d").encode() + b"000000"

    def pdf_date(match: re.Match[bytes]) -> bytes:
        digits, zone = match.group(2), match.group(3)
        fixed_zone = (b"+00'00'"[: len(zone)] if len(zone) >= 6 else b"Z".ljust(len(zone))) if zone else b""
        return match.group(1) + stamp[: len(digits)].ljust(len(digits), b"0") + fixed_zone + b")"

    def xmp_date(match: re.Match[bytes]) -> bytes:
        iso = when.isoformat().encode() + b"T00:00:00Z"
        value = match.group(2)
        return match.group(1) + iso[: len(value)].ljust(len(value), b" ") + match.group(3)

    out = _XMP_DATE.sub(xmp_date, _PDF_DATE.sub(pdf_date, pdf))

    # The ids are made from the content with the ids themselves blanked out.
    def zeros(match: re.Match[bytes]) -> bytes:
        groups = match.groups()
        return b"".join(g if i % 2 == 0 else b"0" * len(g) for i, g in enumerate(groups))

    blank = _TRAILER_ID.sub(zeros, _UUID.sub(lambda m: m.group(1) + b"0" * 36, out))
    digest = hashlib.sha256(blank).hexdigest().encode()

    def uuid(match: re.Match[bytes]) -> bytes:
        d = digest
        return match.group(1) + d[:8] + b"-" + d[8:12] + b"-" + d[12:16] + b"-" + d[16:20] + b"-" + d[20:32]

    def trailer_id(match: re.Match[bytes]) -> bytes:
        first = (digest * 4)[: len(match.group(2))]
        second = (digest * 4)[: len(match.group(4))]
        return match.group(1) + first + match.group(3) + second + match.group(5)

    return _TRAILER_ID.sub(trailer_id, _UUID.sub(uuid, out))
