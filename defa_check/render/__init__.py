"""Output formats. The registry below is the single list of `--format` choices.

Each format is a class with a ``name``, a one-line ``description`` and
``render(report, options) -> str``; formats never print. A test fails if a
registered name has no working implementation.
"""

from __future__ import annotations

from .base import OutputFormat, RenderOptions
from .console import ConsoleFormat
from .csv import CsvFormat
from .github import GithubFormat
from .html import HtmlFormat
from .json import JsonFormat
from .junit import JunitFormat
from .markdown import MarkdownFormat
from .pdf import PdfFormat
from .sarif import SarifFormat

FORMATS: dict[str, type[OutputFormat]] = {
    ConsoleFormat.name: ConsoleFormat,
    JsonFormat.name: JsonFormat,
    SarifFormat.name: SarifFormat,
    JunitFormat.name: JunitFormat,
    MarkdownFormat.name: MarkdownFormat,
    HtmlFormat.name: HtmlFormat,
    PdfFormat.name: PdfFormat,
    CsvFormat.name: CsvFormat,
    GithubFormat.name: GithubFormat,
}


def get_format(name: str) -> OutputFormat:
    """An instance of the named format (names come from :data:`FORMATS`)."""
    try:
        return FORMATS[name]()
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None


__all__ = ["FORMATS", "OutputFormat", "RenderOptions", "get_format"]
