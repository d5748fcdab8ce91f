"""PDF: the HTML report laid out by WeasyPrint, the same way on every machine.

WeasyPrint (an optional extra: `pip install "defa-check[pdf]"`) is a Python
library, so no browser has to be found on PATH; it implements the CSS paged
media the report's print styles use: a running header, "Page n of m" and the
disclaimer in the footer of every page, and page numbers in the contents.

Two runs on the same input give the same bytes: the document's dates are the
as-of date (from the page's ``dcterms`` metadata), and the embedded font subsets
are stamped with it too (fontTools honours ``SOURCE_DATE_EPOCH``). The page may
fetch nothing: only ``data:`` URIs (the logo) are resolved.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from typing import Any

from defa_check.model import DISCLAIMER, Report
from defa_check.render.base import BinaryOutputFormat, MissingDependency, RenderOptions
from defa_check.render.html import HtmlFormat

HOW_TO_GET_IT = (
    'the PDF report needs WeasyPrint: pip install "defa-check[pdf]" (from a clone: pip install '
    '".[pdf]"; it also needs the Pango library: present on most Linux desktops; macOS: `brew '
    "install pango`; Windows: see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html). "
    'Or use --format html (the html extra: pip install "defa-check[html]") and print it from any browser.'
)


@contextlib.contextmanager
def _stamped(day: dt.date) -> Iterator[None]:
    """Font subsets dated ``day`` instead of now, unless the caller already fixed a date."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(day.timetuple()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Resolve data: URIs only; a report never reaches the network or the disk (WeasyPrint < 70)."""
    if not url.startswith("data:"):
        raise ValueError(f"the report may not fetch {url!r}")
    from weasyprint.urls import default_url_fetcher

    result: dict[str, Any] = default_url_fetcher(url)
    return result


def _data_only_fetcher() -> Any:
    """What resolves the page's URLs: data: URIs only (the logo), never the network or the disk.

    WeasyPrint 70 takes a fetcher object, which can be told the protocols it may use; earlier
    versions take a function (and have no such object). Any other URL is refused, and
    WeasyPrint leaves that resource out.
    """
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _no_fetching
    return URLFetcher(allowed_protocols=("data",))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_frame(title: str) -> str:
    """Print styles for a page that has none of its own (`countries`, `plan`): the title in the header,
    the disclaimer and "Page n of m" in the footer of every page."""
    font = 'font: 7.5pt "DejaVu Sans", Arial, sans-serif; color: #475467;'
    return (
        "@page { margin: 18mm 14mm 20mm 14mm;"
        f" @top-left {{ content: {_css_string(title)}; {font} }}"
        f" @bottom-left {{ content: {_css_string(DISCLAIMER)}; width: 78%; {font} }}"
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {font} }} }}'
        "body { margin: 0; } tr, li { break-inside: avoid; } h1, h2, h3 { break-after: avoid; }"
    )


def html_to_pdf(html: str, day: dt.date, frame: str | None = None) -> bytes:
    """A self-contained HTML page as PDF bytes, reproducibly (the same bytes for the same page and day).

    `check`, `countries` and `plan` all print through this one function; ``frame`` is
    :func:`page_frame` for pages without print styles of their own.
    """
    try:
        import weasyprint
    except ImportError as exc:
        raise MissingDependency(HOW_TO_GET_IT) from exc
    except OSError as exc:  # the Python package is there, the Pango library is not
        raise MissingDependency(f"{HOW_TO_GET_IT} ({exc})") from exc
    # WeasyPrint logs every CSS property it ignores (screen-only styles); those are not the reader's concern.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    sheets = [weasyprint.CSS(string=frame)] if frame else None
    with _stamped(day):
        pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf(
            stylesheets=sheets
        )
    return pdf


class PdfFormat(BinaryOutputFormat):
    name = "pdf"
    lists_every_finding = True
    has_cover = True
    description = 'the HTML report as a paged PDF (needs the `pdf` extra: pip install "defa-check[pdf]")'

    def render_bytes(self, report: Report, options: RenderOptions = RenderOptions()) -> bytes:
        try:
            html = HtmlFormat().render(report, options)
        except MissingDependency as exc:  # Jinja2 missing: the pdf extra brings it, with WeasyPrint
            raise MissingDependency(HOW_TO_GET_IT) from exc
        return html_to_pdf(html, report.as_of)
