"""PDF: the HTML report printed by a headless Chromium, when one is on the machine."""

from __future__ import annotations

import os
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
            return pdf.read_bytes()
