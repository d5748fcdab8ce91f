"""Escapers: the only functions that make text safe to embed in an output format.

Every renderer, every workflow and every message the command line prints uses
these: :func:`terminal` for a terminal or a CI log (the console report, every
notice and problem on standard error), :func:`md` and :func:`code` for
Markdown, :func:`xml_text` for XML, :func:`safe_cell` for spreadsheets,
:func:`github_data`/:func:`github_property` for workflow commands and
:func:`uri_reference` for SARIF; HTML is escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def _compiled(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled when first used: a run needs one or two of the ones below
    (compiling them all took ~2.5 ms of every start)."""
    return functools.cache(lambda: re.compile(pattern, flags))


_UNSAFE_IN_LINE = _compiled(
    # C0 controls but tab (newline included), DEL and C1 controls (ESC starts every
    # CSI/OSC sequence; U+009B is a one-character CSI); lone surrogates (undecodable
    # file names); bidirectional overrides and isolates (text that reads other than
    # it is); the Unicode line and paragraph separators.
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_IN_BLOCK = _compiled(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_COMMAND_AT_LINE_START = _compiled(r"^([^\S\n]*)(::)", re.MULTILINE)
"""A GitHub Actions workflow command: the runner trims leading whitespace, Unicode spaces
(no-break, ideographic) included, before it looks for `::`."""
_LEGACY_COMMAND = "##["
"""The older `##[command]` form, which GitHub's runner (and Azure Pipelines) finds anywhere in a line."""
_LEGACY_COMMAND_SHOWN = "##\\["

_NAMED = {"\n": "\\n", "\r": "\\r", "\x00": "\\0", "\x1b": "\\e"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def terminal(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Text from any input, made safe to print on a terminal or into a CI log.

    Control characters (escape sequences, NUL, C1, carriage returns) and
    characters that mislead the eye are shown as visible escapes (``\\e``,
    ``\\x9b``, ``\\u202e``) instead of acting; newlines are escaped too unless
    ``multiline``; a line that would start a workflow command (``::error``,
    ``::add-mask::``, after any whitespace) gets a backslash in front, and the older
    ``##[command]`` form, acted on anywhere in a line, becomes ``##\\[``, so no input
    can forge an annotation or change what a CI job does. ``limit`` shortens very long text
    (a terminal is not the place for a 50 MB name; the file formats keep it whole).
    """
    out = str(text)
    if limit is not None and len(out) > limit:
        out = out[:limit] + f"… ({len(out) - limit:,} more characters)"
    if not out.isprintable():  # else nothing to escape: every character of both classes is unprintable
        out = (_UNSAFE_IN_BLOCK if multiline else _UNSAFE_IN_LINE)().sub(_visible, out)
    if "::" in out:
        out = _COMMAND_AT_LINE_START().sub(r"\1\\\2", out)
    return out.replace(_LEGACY_COMMAND, _LEGACY_COMMAND_SHOWN)


_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
"""What Rich's markup reads as a tag, with the backslashes before it (rich.markup.escape's pattern)."""


def _escape_rich_tag(match: re.Match[str]) -> str:
    backslashes, tag = match.groups()
    return f"{backslashes}{backslashes}\\{tag}"


def rich_markup(text: object, limit: int | None = 2000) -> str:
    """Input text for a Rich markup string: :func:`terminal`, then Rich's own markup escaped.

    The escaping is rich.markup.escape's, written out here so that the console report can be
    laid out without importing Rich (defa_check.render.plain); a test compares the two.
    """
    markup = _RICH_TAG.sub(_escape_rich_tag, terminal(text, limit=limit))
    if markup.endswith("\\") and not markup.endswith("\\\\"):
        return markup + "\\"  # a trailing backslash would escape whatever markup follows
    return markup


_SPECIAL = _compiled(r"([\\`*_{}\[\]|~])")
_AUTOLINKED = _compiled(
    # What GitHub turns into links or notifications in Markdown text: URLs and
    # www. hosts, @mentions (users and teams), #123 / GH-123 / owner/repo#123
    # references, and e-mail addresses.
    r"(?i)(?<![\w])(?:(https?|ftp)(:)|(www)(\.)|(@)(?=[a-z0-9])|(#)(?=\d)|(gh)(-)(?=\d))"
)
_ZERO_WIDTH = "\u2060"
"""WORD JOINER: invisible, breaks GitHub's autolinking and mentions without changing the text shown."""


def _break_autolink(match: re.Match[str]) -> str:
    parts = [p for p in match.groups() if p is not None]
    if len(parts) == 1:  # "@" or "#": the joiner goes after the sign
        return parts[0] + _ZERO_WIDTH
    return parts[0] + _ZERO_WIDTH + parts[1]


_ENTITY = _compiled(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
"""An ampersand that would start an HTML character reference ("&amp;", "&#60;")."""


def md(text: object) -> str:
    """Escape text for Markdown: HTML characters, Markdown punctuation, line breaks, control
    characters, and what GitHub would turn into a link, a mention or an issue reference.

    Markdown's own escapes, not HTML entities: the file is read as written too, and
    "Tan &amp; Partners" in a raw Markdown file is not the firm's name. A backslash keeps
    ``<`` from opening a tag or an autolink and ``>`` from opening a quote; ``&`` is escaped
    only where it would start a character reference ("&copy;"), so "Tan & Partners" stays as
    it is.
    """
    escaped = terminal(" ".join(str(text).split()))
    escaped = _SPECIAL().sub(r"\\\1", escaped)
    escaped = escaped.replace("<", "\\<").replace(">", "\\>")
    escaped = _ENTITY().sub(r"\\&", escaped)
    return _AUTOLINKED().sub(_break_autolink, escaped)


def code(text: object) -> str:
    """A code span: backslash escapes do not work inside one, so only fence and whitespace change.

    GitHub links nothing inside a code span; control characters are made visible.
    """
    body = terminal(" ".join(str(text).split()))
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {body} {fence}" if longest else f"`{body}`"


def safe_cell(value: object) -> str:
    """A spreadsheet cell: no formula (a leading =, +, -, @ is quoted), and, as for a terminal,
    no control character, line break or workflow command (a CSV report printed in a CI job is
    read by its runner line by line)."""
    text = "" if value is None else terminal(value)
    if text[:1] in ("=", "+", "-", "@", "\t"):  # a carriage return is already shown as \\r
        return "'" + text
    return text


_NOT_XML = _compiled("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, even as character references."""


def xml_text(text: object) -> str:
    """Text an XML 1.0 document can hold, safe in a CI log too (JUnit is often printed): characters
    XML forbids and terminal controls become visible escapes, and no line starts a workflow command."""
    return _NOT_XML().sub(_visible, terminal(text, multiline=True))


def json_document(text: str) -> str:
    """A JSON document safe to print in a CI log: the `##[command]` form GitHub's runner acts on
    anywhere in a line is written ``#\\u0023[`` inside strings (the only place it can be),
    which every JSON parser reads back as the same text."""
    return text.replace(_LEGACY_COMMAND, "#\\u0023[")


def github_data(text: str) -> str:
    """The message of a workflow command: one line, control characters visible."""
    safe = _UNSAFE_IN_BLOCK().sub(_visible, text)  # newlines are kept here, as %0A
    safe = safe.replace(_LEGACY_COMMAND, _LEGACY_COMMAND_SHOWN)
    return safe.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def uri_reference(path: str) -> str:
    """A file path as a relative or absolute URI reference (SARIF's artifactLocation.uri).

    Characters that are not allowed in a URI are percent-encoded (UTF-8), and so
    is a ``:`` that would make a first path segment look like a scheme. The
    platform's separator becomes ``/`` (on POSIX a backslash is part of a name).
    """
    import os
    from urllib.parse import quote

    posix = path.replace(os.sep, "/") if os.sep != "/" else path
    encoded = quote(posix.encode("utf-8", "surrogateescape"), safe="/-._~!$&'()*+,;=@:")
    first = encoded.split("/", 1)[0]
    if ":" in first:
        encoded = first.replace(":", "%3A") + encoded[len(first) :]
    return encoded
