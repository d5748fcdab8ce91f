"""The fast path for YAML manifests: yaml-rs (Rust) when installed, PyYAML otherwise.

``pip install "defa-check[fast]"`` adds yaml-rs, which builds the same Python
objects about ten times faster than PyYAML's C loader (bench/RESULTS.md). It is
optional: :mod:`defa_check.inputs.source` stays the reference loader, the one
that gives precise ``file:line:col`` problems, and this module only ever
answers for a manifest the reference would load without a problem, with the
same data and the same positions. Whenever it cannot be sure of that, it
answers ``None`` and the caller uses the reference loader:

* anything yaml-rs refuses (syntax errors, duplicate keys, alias limits),
  and an anchor name given twice or not made of letters, digits, ``-`` and
  ``_``, which yaml-rs accepts: the reference loader reports it, located;
* text where the two resolvers could differ: tags, explicit ``?`` keys,
  directives and document markers (except a ``---`` line that starts the
  document, after comments only, and a ``...`` line that ends the text: both
  read as blank lines, the form linters such as yamllint ask for), numbers in forms the strict resolver keeps
  as strings (``010``, ``0x1F``, ``1e5``, ``1.``, ``.inf``, ``_1``) and ``._`` (a float of
  no digits, which the reference refuses), characters
  libyaml refuses, a lone carriage return, a block scalar that may end the
  text (yaml-rs adds a line break to it), a ``:`` or ``|`` a flow collection
  does not allow in libyaml (``[:x]``, ``[x:]``, ``[a, |]``, ``{x\n  : y}``);
* non-text keys (where ``1`` and ``1.0`` or ``true`` and ``1`` collide), and
  keys with a space or a line break in a text with a flow mapping (where one
  may be a key written over two lines, which libyaml refuses),
  nesting deeper than :data:`MAX_DEPTH`, or aliases that expand the document
  beyond :data:`~defa_check.inputs.source.MAX_EXPANDED_NODES`;
* a layout the position scan below does not recognise.

Positions are the coarse ones a valid manifest needs (what findings point
at): each top-level key, and the start of each item of ``flows``, ``systems``
and ``markets``. The scan finds them from the block layout and checks itself
against the parsed data (the same keys in the same order, as many items as
the lists have); a document with problems is loaded again by the reference
loader for exact positions (:func:`defa_check.inputs.manifest.validate_manifest`).
``tests/test_fast_source.py`` holds both paths to the same data, problems
and locations.
"""

from __future__ import annotations

import functools
import re

from defa_check.inputs.source import MAX_EXPANDED_NODES, MAX_NUMBER_DIGITS, Document, find_alias

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 64
"""Deeper documents go to the reference loader, whose own limit depends on the call stack."""

SMALL_TEXT = 65_536
"""Below this size a text with aliases goes to the reference loader (see :func:`loads_fast`)."""

LONGEST_INT_BITS = 3 * MAX_NUMBER_DIGITS
"""An integer this long may have more than :data:`~defa_check.inputs.source.MAX_NUMBER_DIGITS`
digits (3.33 bits a digit): the reference loader counts them, and refuses it if so."""

_SECTIONS = ("flows", "systems", "markets")
_INFINITY = float("inf")

# Any of these means "let the reference loader decide". False alarms (the same
# characters inside a quoted string or a description) only cost the fast path.
# Each pattern starts with a literal, which the regex engine finds quickly; a
# lookbehind then checks that it starts a token (after a space, a flow
# indicator or the start of the text). The ones a document may not need are compiled when first
# needed (:func:`_pattern`).
_INDICATORS = (
    r"!(?:(?<=\A!)|(?<=[\s\[{,]!))"
    r"|\?(?:(?<=\A\?)|(?<=[\s\[{,]\?))"
    r"|<<"
)
"""Tags, explicit keys, merge keys (looked for only when the text has a ``!``, ``?`` or ``<<``)."""
_NON_DECIMAL = re.compile(r"0(?:(?<=[\s\[{,:]0)|(?<=[\s\[{,:][-+]0))[0-9_xXoObB]")
"""Leading zeros, hex, octal, binary: strings to the strict resolver, numbers to YAML 1.2."""
_FLOAT_FORMS = (
    r"\.(?<=[0-9]\.)(?![0-9_])",  # "1." (a float to YAML 1.2)
    r"[eE](?<=[0-9][eE])[-+]?[0-9]",  # "1e5"
    r"\.(?:inf|Inf|INF|nan|NaN|NAN)",
)
"""Only looked for when the document has a float at all."""
_NOT_PRINTABLE = (
    # Outside libyaml's printable set (tab, line feed, carriage return, 0x20-0x7e, 0xa0-0xd7ff,
    # 0xe000-0xfffd, 0x10000-0x10ffff), or a YAML 1.1 line break (NEL, LS, PS). Listed directly:
    # written as the negated printable set, it took 9-25 ms to compile at every start.
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
"""Looked for only in a text that is not ASCII."""
_SURROGATE_ESCAPE = r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])"
"""An escaped UTF-16 surrogate in a double-quoted string: libyaml refuses it, yaml-rs pairs it."""
_DIGITLESS_FLOAT = r"\._(?:(?<=\A\._)|(?<=[\s\[{,:]\._)|(?<=\A[-+]\._)|(?<=[\s\[{,:][-+]\._))"
"""``._`` or ``-._``: a float to the strict resolver that has no digit, so the reference loader
refuses it; yaml-rs reads it as text."""
_UNDERSCORE_NUMBER = r"_[0-9._](?:(?<=[\s\[{,:]_.)|(?<=[\s\[{,:][-+]_.))"
"""``_1``, ``-_1``, ``_.5``: text to the strict resolver (a number starts with a digit or a dot),
a number to yaml-rs."""
_BLOCK_HEADER = r"(?m)[|>](?:(?<=\A[|>])|(?<=\s[|>]))[-+0-9]*[ \r]*(?:#[^\n]*)?$"
"""A block scalar's header (``|``, ``>-``, ``|2+``). yaml-rs gives a block scalar that runs to the end
of the text a line break the reference loader does not: after its last line when the text has no
final line break (``a: |\n  x``), or as the whole value when it has no lines (``a: |\n``)."""
_FLOW_COLON = r":(?![ \r\n])(?:(?<=[\s\[{,]:)|(?<=[\"']::)|(?<![\"']:)[,?\[\]{}])"
"""A ``:`` that starts a plain scalar (``[:x]``, ``{a: :x}``) or is followed by a flow indicator
(``[x:]``, ``[x:, y]``): in a flow collection libyaml refuses both, yaml-rs reads them (looked for
only in a text that has a flow collection; most colons are followed by a space and fail at once)."""
_LINE_COLON = r"\n *:"
"""A line that starts with ``:``: in a flow mapping (``{x\n  : y}``), the value of a key the line
before holds, which libyaml refuses and yaml-rs reads (looked for only in a text with a ``{``)."""
_TOKEN_BAR = r"[|>](?<=[\s\[{,][|>])"
"""A ``|`` or ``>`` where a token starts: a block scalar's header, or (in a flow collection) what
libyaml refuses and yaml-rs reads as the text ``|`` (see :func:`_in_a_flow`)."""
_PROPERTY_ENDING_A_LINE = r"(?m)[&*][0-9A-Za-z_-]+[ \r]*$"
"""An anchor (or alias) that ends its line: in a flow mapping (``{&a\n  b: c}``) libyaml refuses
the key it starts on the next line, yaml-rs reads it (see :func:`_in_a_flow`)."""
_ASCII_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_KEY_LINE = re.compile(
    r"""(?:([A-Za-z_][\w-]*)|"([A-Za-z_][\w-]*)"|'([A-Za-z_][\w-]*)')[ \t]*:(?=[ \t\r]|$)"""
)
_ANCHOR = r"&(?:(?<=\A&)|(?<=[\s\[{,:-]&))([^\s,\[\]{}]+)"
"""An anchor (``&name``) where a token starts: the reference loader refuses a name given twice,
yaml-rs lets the second replace the first."""
_ODD_ANCHOR = r"&(?:(?<=\A&)|(?<=[\s\[{,:-]&))(?![0-9A-Za-z_-]+(?:[ \r\n]|\Z))"
"""An anchor whose name is not libyaml's (letters, digits, ``-``, ``_``, then a space or a line
break): ``&a.b`` and ``&é`` are refused by the reference loader, ``&a:b`` is the anchor ``a`` of the
text ``:b``; yaml-rs takes the whole name."""
_TOP_LINE = re.compile(r"\n[^ \t\r\n#]")
_DOCUMENT_START = r"\A(?: *(?:#[^\n]*)?\r?\n)*(---)(?: +#[^\n]*| *)\r?(?:\n|\Z)"
"""A ``---`` line starting the document, after blank and comment lines only (what yamllint's
document-start rule asks for): then ``---`` reads the same as a blank line."""
_DOCUMENT_END = r"\n(\.\.\.)[ \r\n]*\Z"
"""A ``...`` line ending the text, with nothing after it but blank lines: it reads the same as a
blank line."""
_CONTENT_LINE = re.compile(r"\n *[^ \r\n#]")


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _doubtful(text: str) -> bool:
    """Whether the text has anything on which yaml-rs and the reference loader could differ."""
    if "\t" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return True
    if text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text or "\n%" in text:
        return True
    if text.isascii():
        if text.encode("ascii").translate(None, _ASCII_PRINTABLE):
            return True
    elif _pattern(_NOT_PRINTABLE).search(text):
        return True
    if ("!" in text or "?" in text or "<<" in text) and _pattern(_INDICATORS).search(text):
        return True
    if "\\" in text and _pattern(_SURROGATE_ESCAPE).search(text):
        return True
    if _pattern(_DIGITLESS_FLOAT).search(text):  # faster than looking for "._" first
        return True
    if "_" in text and _pattern(_UNDERSCORE_NUMBER).search(text):
        return True
    if ("|" in text or ">" in text) and (
        _block_scalar_may_end_the_text(text) or _in_a_flow(text, _TOKEN_BAR, "[{,:")
    ):
        return True
    if "{" in text and ("&" in text or "*" in text) and _in_a_flow(text, _PROPERTY_ENDING_A_LINE):
        return True
    if ("[" in text or "{" in text) and _pattern(_FLOW_COLON).search(text):
        return True
    if "{" in text and _pattern(_LINE_COLON).search(text):
        return True
    return _NON_DECIMAL.search(text) is not None


def _block_scalar_may_end_the_text(text: str) -> bool:
    """Whether a block scalar may run to the end of the text without a line of its own there."""
    header = _pattern(_BLOCK_HEADER)
    if not text.endswith("\n"):
        return header.search(text) is not None
    tail = text[-4096:].rstrip(" \r\n") or text.rstrip(" \r\n")[-4096:]
    return header.search(tail, tail.rfind("\n") + 1) is not None


def _in_a_flow(text: str, pattern: str, line_ends: str = "[{,") -> bool:
    """Whether a match of ``pattern`` may be inside a flow collection (``[a, |]``, ``{a: >}``):
    after a ``[``, ``{`` or ``,`` on its line, or on a line after one that ends with one of
    ``line_ends`` (for ``|``, also ``:``: ``{a:\n  |x}``; a block scalar's header is seldom
    written on a line of its own)."""
    for match in _pattern(pattern).finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()]
        if "[" in before or "{" in before or "," in before:
            return True
        previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
        last = previous.rstrip(" \r")[-1:]
        if last and last in line_ends:
            return True
    return False


def available() -> bool:
    """Whether the fast parser is installed."""
    try:
        import yaml_rs  # noqa: F401
    except ImportError:
        return False
    return True


def loads_fast(text: str, path: str) -> Document | None:
    """The manifest in ``text`` with coarse positions, or None: use the reference loader."""
    try:
        import yaml_rs
    except ImportError:
        return None
    original, text = text, _without_document_markers(text)
    if _doubtful(text):
        return None
    if "&" in text:
        if _pattern(_ODD_ANCHOR).search(text):
            return None
        anchors = _pattern(_ANCHOR).findall(text)
        if len(set(anchors)) != len(anchors):
            return None
    walk = _Walk(count=find_alias(text) is not None, flow="{" in text)
    if walk.count and len(text) <= SMALL_TEXT:
        # A small text with aliases may be an alias bomb: the reference loader refuses one in a
        # few megabytes, yaml-rs only after building its expansion (hundreds of megabytes).
        return None
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
            # The reference loader's bound, not yaml-rs's default of 1,000,000 replayed events,
            # which a large manifest's shared category lists (anchors, as yaml.safe_dump writes
            # them) exceed. The walk below still counts nodes; beyond the bound, the reference
            # loader refuses the file with its location.
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_EXPANDED_NODES),
        )
    except Exception:
        return None
    if type(data) is not dict:
        return None
    if not walk.plain(data, 0) or walk.nodes > MAX_EXPANDED_NODES:
        return None
    if walk.floats and any(_pattern(form).search(text) for form in _FLOAT_FORMS):
        return None
    return _with_positions(text, path, data, original)


def _without_document_markers(text: str) -> str:
    """``text`` with a ``---`` line that starts the document and a ``...`` line that ends it
    written as spaces: the same data, and every other character where it was (positions hold)."""
    if "---" in text[:4096]:
        start = _pattern(_DOCUMENT_START).match(text)
        if start is not None:
            text = text[: start.start(1)] + "   " + text[start.end(1) :]
    if "..." in text[-4096:]:
        end = _pattern(_DOCUMENT_END).search(text, max(len(text) - 4096, 0))
        if end is not None:
            text = text[: end.start(1)] + "   " + text[end.end(1) :]
    return text


class _Walk:
    """One pass over the parsed data: text keys only, bounded depth, node count, any float."""

    def __init__(self, count: bool, flow: bool = False) -> None:
        self.count = count
        self.flow = flow
        """The text may have a flow mapping: a key in one written over two lines (``{x\n  y: z}``)
        is refused by libyaml, read as ``x y`` by yaml-rs; so no key with a space or a line break."""
        self.nodes = 0
        self.floats = False

    def plain(self, node: Any, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        self.nodes += 1
        values = node.values() if type(node) is dict else node
        if type(node) is dict:
            for key in node:
                if type(key) is not str or (self.flow and (" " in key or "\n" in key)):
                    return False
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                if not self.plain(value, depth + 1):
                    return False
            else:
                if kind is float:
                    self.floats = True
                    if value != value or value in (_INFINITY, -_INFINITY):
                        return False  # the reference loader refuses a number JSON has not
                elif kind is int and value.bit_length() > LONGEST_INT_BITS:
                    return False
                if self.count:
                    self.nodes += 1
        return True


def _with_positions(text: str, path: str, data: dict[str, Any], original: str) -> Document | None:
    """``data`` with the positions the reference loader would give, found from the layout of
    ``text``; the document holds ``original``, what was read (``text`` differs from it at most
    in characters written as spaces: see :func:`_without_document_markers`).

    Only lines that start a top-level key or an item of a section's block
    sequence are looked at (found by regular expressions, not line by line).
    """
    padded = (
        "\n" + text
    )  # offsets in ``padded`` are one more than in ``text``: a match's \n is its line's start
    line_of = _LineCounter(padded)
    key_marks: dict[Any, tuple[int, int]] = {}
    node_marks: dict[int, tuple[int, int]] = {}
    keys: list[str] = []
    tops = [m.start() for m in _TOP_LINE.finditer(padded)]
    tops.append(len(padded))
    # Top-level lines: keys, or the items of a sequence written at indent 0.
    sections: dict[str, tuple[int, int]] = {}  # section -> (offset after its key line, end of its block)
    zero_items: dict[str, list[int]] = {}
    current: str | None = None
    for n, start in enumerate(tops[:-1]):
        end_of_line = padded.find("\n", start + 1)
        line = padded[start + 1 : end_of_line if end_of_line >= 0 else len(padded)]
        if line[0] == "-":
            if current is None or line[1:2] not in ("", " ", "\r"):
                return None
            zero_items[current].append(start)
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            return None
        key = match.group(1) or match.group(2) or match.group(3)
        keys.append(key)
        key_marks[key] = (line_of(start), 1)
        current = None
        rest = line[match.end() :].strip(" \r")
        if key in _SECTIONS and (not rest or rest[0] == "#"):
            current = key
            zero_items[key] = []
            following = tops[n + 1]
            sections[key] = (end_of_line if end_of_line >= 0 else len(padded), following)
    if keys != list(data):
        return None
    for name in _SECTIONS:
        items = data.get(name)
        if not isinstance(items, list) or not items:
            continue
        if name not in sections:
            return None
        begin, _ = sections[name]
        first = _CONTENT_LINE.search(padded, begin)
        if first is None:
            return None
        indent = first.end() - first.start() - 2
        if indent == 0:
            starts = zero_items[name]
        else:
            if zero_items[name]:
                return None
            end = sections[name][1]
            # The block ends at the next top-level key; nothing may sit left of its items.
            if indent > 1 and re.compile(rf"\n {{1,{indent - 1}}}[^ \r\n#]").search(padded, begin, end):
                return None
            starts = [m.start() for m in re.compile(rf"\n {{{indent}}}-").finditer(padded, begin, end)]
        if len(starts) != len(items) or not starts or starts[0] != first.start():
            return None
        marks: list[tuple[int, int]] = []
        for start in starts:
            after = start + 1 + indent + 1  # just past the "-"
            end_of_line = padded.find("\n", after)
            end_of_line = len(padded) if end_of_line < 0 else end_of_line
            rest = padded[after:end_of_line]
            if rest and rest[0] not in " \r":
                return None  # "-x": not an item
            content = rest.lstrip(" ")
            if not content.strip("\r") or content[0] == "#":
                nxt = _CONTENT_LINE.search(padded, end_of_line)
                if nxt is None or nxt.end() - nxt.start() - 2 <= indent:
                    return None  # an empty item: leave it to the reference loader
                marks.append((line_of(nxt.start()), nxt.end() - nxt.start() - 1))
            elif content[0] in "&*":
                return None  # an anchor or alias as the item itself
            else:
                marks.append((line_of(start), indent + 2 + len(rest) - len(content)))
        node_marks[id(items)] = (line_of(starts[0]), indent + 1)
        for item, mark in zip(items, marks, strict=True):
            if type(item) is dict or type(item) is list:
                node_marks[id(item)] = mark
    node_marks[id(data)] = key_marks[keys[0]] if keys else (1, 1)
    doc = Document(path=path, data=data, text=original, approximate=True)
    doc._key_marks = {id(data): key_marks}
    doc._node_marks = node_marks
    return doc


class _LineCounter:
    """Line numbers of offsets in ``padded``, for offsets asked in any order (newlines counted in C)."""

    def __init__(self, padded: str) -> None:
        self.padded = padded
        self.offset = -1
        self.line = 0

    def __call__(self, offset: int) -> int:
        """The 1-based line whose starting newline is at ``offset``."""
        if offset >= self.offset:
            self.line += self.padded.count("\n", self.offset + 1, offset + 1)
        else:
            self.line -= self.padded.count("\n", offset + 1, self.offset + 1)
        self.offset = offset
        return self.line
