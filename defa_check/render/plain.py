"""The console report as plain text, laid out exactly as Rich lays it out when nothing wraps.

A report written to a pipe, a file or a CI log (no colour, no width given) is
only laid out by Rich: markup stripped, nothing wrapped (a 10,000-column canvas,
soft wrap), the summary table drawn with box characters. Doing that here saves
importing Rich (25-30 ms) and its per-line rendering, most of what a small
`check` cost beyond Typer's own start-up (issue #20).

The text must be byte for byte what Rich writes; tests/test_console_plain.py
renders reports both ways and compares. Where Rich does real layout work,
:class:`PlainSink` does not imitate it but raises :class:`NeedsRich`, and the
report is rendered through Rich instead: a tab (Rich's tab stops), a control
character (Rich strips some, and ends a line at others when it measures), an
indented line Rich may crop or leave out (it measures one by terminal cells, with
tables that vary by Unicode version: past the canvas, zero cells wide, or holding
a zero-width joiner or variation selector 16, where its measure is not the sum of
the parts), a table cell that is not printable ASCII, markup other than the
writer's own tags. Escaped input text (:func:`defa_check.render.escape.rich_markup`)
holds no control character; the rest is rare in a report (emoji sequences, a rule
title without one ASCII character, text thousands of characters long).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Literal, TypeAlias

Justify: TypeAlias = "Literal['left', 'right']"
"""How a table column aligns its cells (and its header)."""
Column: TypeAlias = "tuple[str, Justify]"
"""A table column: its header (markup) and how it aligns."""

CANVAS_WIDTH = 10_000
"""The console width the report is laid out at when it is not for a terminal (so nothing wraps)."""

STYLES = frozenset({"bold", "dim", "red", "bold red", "yellow", "magenta", "green", "cyan"})
"""The markup tags the console report's writer emits (each already in the form Rich normalises
a style name to, so an open and a close tag match here exactly when they match for Rich)."""

_TAG = re.compile(r"(\\*)\[([a-z#/@][^[]*?)]")
"""What Rich's markup parser reads as a tag, with the backslashes before it (rich.markup.RE_TAGS)."""

_LAID_OUT_BY_RICH = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters Rich does something with: tabs it expands, control codes it strips or shows
(zero cells), line and paragraph separators that end a line when Rich measures text."""


class NeedsRich(Exception):
    """The report holds text whose layout only Rich reproduces exactly; render it with Rich."""


def shown_text(markup: str) -> str:
    """The text Rich shows for a markup string: tags removed, escaped tags and brackets literal.

    Follows rich.markup.render: a tag preceded by an even number of backslashes is a tag (half
    of them shown), by an odd number is literal text (the tag shown, half the rest of the
    backslashes shown); in the text between tags, ``\\[`` shows as ``[``. A tag other than
    the writer's own styles, or a closing tag that closes nothing, raises :class:`NeedsRich`
    (Rich would apply a style, a link or a handler, or refuse the markup).
    """
    if "[" not in markup:
        return markup
    pieces: list[str] = []
    open_styles: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        backslashes, tag = match.groups()
        start = match.start()
        if start > position:
            pieces.append(markup[position:start].replace("\\[", "["))
        position = match.end()
        literal_backslashes, escaped = divmod(len(backslashes), 2)
        pieces.append("\\" * literal_backslashes)
        if escaped:
            pieces.append(f"[{tag}]")  # no "[" inside a tag, so no "\\[" to turn into "["
        elif tag.startswith("/"):
            name = tag[1:].strip()
            if name not in STYLES or name not in open_styles:
                raise NeedsRich(f"closing tag {tag!r}")
            del open_styles[len(open_styles) - 1 - open_styles[::-1].index(name)]
        elif tag in STYLES:
            open_styles.append(tag)
        else:
            raise NeedsRich(f"tag {tag!r}")
    pieces.append(markup[position:].replace("\\[", "["))
    return "".join(pieces)


_PRINTABLE_ASCII = re.compile("[ -~]")


def _measured_as_laid_out(shown: str, width: int) -> bool:
    """Whether Rich measures ``shown`` at between 1 and ``width`` cells, and at the sum of its
    styled pieces — so that ``Padding`` neither leaves it out (zero cells), crops it (past the
    width) nor crops part of it (a piece longer than measured).

    Known without Rich's table of cell widths, which varies with the Unicode version:
    printable ASCII takes one cell and no character more than two; only a zero-width joiner
    (which hides the character after it) and variation selector 16 (which widens the one
    before it) make a measure other than the sum of each character's cells.
    """
    if "\n" in shown or "\u200d" in shown or "\ufe0f" in shown or not _PRINTABLE_ASCII.search(shown):
        return False
    return len(shown) * 2 <= width or (len(shown) <= width and shown.isascii() and shown.isprintable())


class PlainSink:
    """Collects the console report as Rich would write it with no colour on a 10,000-column
    canvas with soft wrap (see the module's description); :meth:`text` gives the result."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def text(self) -> str:
        return "".join(self._lines)

    def out(self, text: str = "", style: str | None = None) -> None:
        """A paragraph; the style shows no character without colour. An indented one Rich prints
        through ``Padding``, which measures it and crops it to that measure, at most the canvas
        less the indent; one measured at zero cells it leaves out, line break and all."""
        if _LAID_OUT_BY_RICH.search(text):
            raise NeedsRich("a control character or tab")
        body = text.lstrip(" ")
        indent = len(text) - len(body)
        if not (indent and body):
            self._lines.append(shown_text(text) + "\n")  # soft wrap: neither wrapped nor cropped
            return
        shown = shown_text(body)
        if not shown:
            return  # zero cells
        if not _measured_as_laid_out(shown, CANVAS_WIDTH - indent):
            raise NeedsRich("an indented paragraph Rich may crop or leave out")
        self._lines.append(" " * indent + shown + "\n")

    def url(self, text: str) -> None:
        """A line printed whole (Rich: no wrap, no crop)."""
        if _LAID_OUT_BY_RICH.search(text):
            raise NeedsRich("a control character or tab")
        self._lines.append(shown_text(text) + "\n")

    def table(self, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A table as Rich draws ``Table(title=..., title_justify="left", show_edge=True)``:
        the heavy-head box, one space of padding either side of each cell, each column as wide
        as its widest cell, the header aligned as its column."""
        header = [shown_text(name) for name, _ in columns]
        body = [[shown_text(cell) for cell in row] for row in rows]
        shown_title = shown_text(title)
        every_text = [shown_title, *header, *(cell for row in body for cell in row)]
        if not all(text.isascii() and text.isprintable() for text in every_text):
            raise NeedsRich("a table cell that is not printable ASCII")
        widths = [max(len(text) for text in column) + 2 for column in zip(header, *body, strict=True)]
        table_width = sum(widths) + len(widths) + 1  # the cells and the vertical lines
        if table_width > CANVAS_WIDTH or len(shown_title) > table_width:
            raise NeedsRich("a table wider than the canvas (Rich shrinks it) or narrower than its title")
        justify = [how for _, how in columns]

        def cells(texts: Sequence[str]) -> list[str]:
            return [
                f" {text.rjust(width - 2) if how == 'right' else text.ljust(width - 2)} "
                for text, width, how in zip(texts, widths, justify, strict=True)
            ]

        rules = ["━" * width for width in widths]
        lines = [
            shown_title,
            "┏" + "┳".join(rules) + "┓",
            "┃" + "┃".join(cells(header)) + "┃",
            "┡" + "╇".join(rules) + "┩",
            *("│" + "│".join(cells(row)) + "│" for row in body),
            "└" + "┴".join("─" * width for width in widths) + "┘",
        ]
        self._lines.append("\n".join(lines) + "\n")
