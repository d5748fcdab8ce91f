"""Output formats. The registry below is the single list of `--format` choices.

Each format is a class with a ``name``, a one-line ``description`` and
``render(report, options) -> str`` (or ``render_bytes`` for binary output);
formats never print. Modules are imported only when their format is used, so
a console check does not pay for XML, HTML or PDF. A test fails if a
registered name has no working implementation.
"""

from __future__ import annotations

import importlib

from defa_check.render.base import OutputFormat, RenderOptions

FORMATS: dict[str, str] = {
    "console": "console:ConsoleFormat",
    "json": "json:JsonFormat",
    "sarif": "sarif:SarifFormat",
    "junit": "junit:JunitFormat",
    "markdown": "markdown:MarkdownFormat",
    "html": "html:HtmlFormat",
    "pdf": "pdf:PdfFormat",
    "docx": "docx:DocxFormat",
    "csv": "csv:CsvFormat",
    "github": "github:GithubFormat",
    "gitlab": "gitlab:GitlabFormat",
    "compact": "compact:CompactFormat",
}
"""Format name -> "module:Class" in this package."""


def format_class(name: str) -> type[OutputFormat]:
    """The class implementing a registered format."""
    try:
        module_name, class_name = FORMATS[name].split(":")
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None
    module = importlib.import_module(f".{module_name}", __name__)
    cls: type[OutputFormat] = getattr(module, class_name)
    return cls


def get_format(name: str) -> OutputFormat:
    """An instance of the named format."""
    return format_class(name)()


__all__ = ["FORMATS", "OutputFormat", "RenderOptions", "format_class", "get_format"]
