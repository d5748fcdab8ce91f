"""A mapping with more keys than :data:`~defa_check.inputs.source.MAX_KEYS`, found before it is built.

The loaders refuse such a mapping with a located problem, but the constructor
can only count keys once the parser has built them all: a million keys in a
17 MB file cost seconds and a gigabyte before the refusal. This module finds
them in the raw text first, in two steps, so that a normal manifest pays
almost nothing (bench/RESULTS.md, issue #21):

1. :func:`suspect` looks at the text every :data:`SAMPLE_EVERY` characters
   (texts shorter than ``3 * MAX_KEYS`` characters are not looked at: no
   mapping past the limit fits in them) and asks an anchored regular
   expression, run in C, whether a long run of sibling keys starts there:
   block style (:data:`RUN` key lines at one indentation, with deeper lines —
   nested values —, lists at the keys' indentation, blank lines and comments
   between them; a sample inside a nested value looks at the keys around it,
   up to two levels out) or flow style and JSON (:data:`RUN` ``key: value``
   members in a row, each value a scalar or a list or mapping nested at most
   two levels). A normal manifest's mappings have about twenty keys and its
   list items start with ``-`` or ``{``, so a sample fails within a few lines.
2. Where a sample says yes, the text is read exactly, from its start: YAML by
   :func:`first_key_past_limit`, which counts keys in the parser's event stream
   and stops at the first key past the limit (a false alarm costs the events up
   to the end of the suspected collection); JSON by the exact JSON reader, told
   where the suspect place is (:func:`defa_check.inputs.source.loads_json_exact`).
   Either gives the very problem the full load gives: same words, same key.

Not seen by the samples, and still refused by the constructor after the full
parse (as before, in seconds): flow-style values nested deeper than two levels,
block-style nested values longer than :data:`_NESTED_REACH` characters or deeper
than two levels where a sample falls, flow keys without a value (``{a, b}``),
explicit ``? key`` entries. Where a refused file has another problem the full
load would report first — a syntax error or a second document *after* the
refused key, or the mapping is inside another one past the limit — the key
limit is what is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

SAMPLE_EVERY = 16_384
"""Characters between two samples. A mapping of ``MAX_KEYS`` keys spans at least four characters a key
in block style (``ab:`` and a newline) and six in flow style (``ab: 1,``): two or more samples fall in it."""

RUN = 32
"""Sibling keys in a row that make a sample suspect (normal manifests' mappings have about 20)."""

# The patterns are compiled when first needed (a large pattern takes milliseconds to compile, and a
# YAML file in block style never needs the flow ones). Atomic groups and possessive quantifiers: a
# sample that fails, fails without backtracking.
_BLOCK_KEY = (
    r"""(?>"[^"\n]*+"|'[^'\n]*+'|[^\s#'"?:,\[\]{}&*!|>%@`-][^\n:]*+(?::(?![ \r\n])[^\n:]*+)*+)"""
    r"[ ]*+:(?=[ \r\n]|\Z)[^\n]*+"
)
"""The rest of a line that is a block mapping key (plain or quoted, then ':' and a space or the end)."""


@cache
def _block_run_pattern() -> re.Pattern[str]:
    # A key line at some indentation \1, then lines that are deeper (space or '-' after \1: a nested
    # value, or a sequence written at the key's own indentation), blank or a comment; RUN times.
    return re.compile(
        rf"(?=\n( *+){_BLOCK_KEY})"
        rf"(?>\n\1{_BLOCK_KEY}(?:\n(?:\1[ -][^\n]*+|(?!\1[ -])[ ]*+(?:#[^\n]*+|\r)?(?=\n|\Z)))*+){{{RUN}}}"
    )


@cache
def _less_indented(indent: int) -> re.Pattern[str]:
    """The next line indented less than ``indent`` that is not blank or a comment."""
    return re.compile(rf"\n {{0,{indent - 1}}}[^ \r\n#]")


_CONTENT_LINE = re.compile(r"\n(?=[ ]*+[^ \r\n#])")
_NESTED_REACH = 2048
"""How far past a sample the keys around a nested value are looked for."""

_SPACE = r"[ \t\r\n]*+"
_STRING = r""""(?:[^"\\\n]|\\.)*+"|'[^'\n]*+'"""
_FLOW_KEY = _STRING + r"""|[^\s,\[\]{}#'"!&*?:-][^,\[\]{}:\n]*+"""


def _containers(levels: int) -> str:
    """A flow list or mapping nested up to ``levels`` deep (brackets inside "..." strings skipped)."""
    inner = ""
    for _ in range(levels):
        inside = rf"""(?:"(?:[^"\\\n]|\\.)*+"{inner and "|" + inner}|[^{{}}\[\]"])*+"""
        inner = rf"\[{inside}\]|\{{{inside}\}}"
    return inner


@cache
def _flow_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A run of members; a member; the comma after a value that is a list or a mapping."""
    value = _STRING + r"""|[^\s,\[\]{}#'"][^,\[\]{}\n]*+|""" + _containers(2)
    return (
        # ", key: value, key: value, ..." RUN times: the inside of a flow mapping or a JSON object.
        re.compile(f",{_SPACE}(?>(?>{_FLOW_KEY}){_SPACE}:{_SPACE}(?>{value}){_SPACE},{_SPACE}){{{RUN}}}"),
        re.compile(f",{_SPACE}(?>{_FLOW_KEY}){_SPACE}:"),
        re.compile(rf"[\]}}]{_SPACE},"),
    )


def suspect(text: str, max_keys: int, block: bool = True, start: int = 0) -> int | None:
    """An offset inside what looks like a mapping of very many keys, or None (nearly always).

    ``block``: look for block style too (YAML); JSON has only the flow style.
    ``start``: sample only after this offset. The offset is a newline or a
    comma, never inside a token of valid JSON, so a JSON reader may stop there.
    A None is not a promise (see the module's notes); an offset is not a
    verdict: :func:`first_key_past_limit` or the exact JSON reader decides.
    """
    size = len(text)
    if size < 3 * max_keys:
        return None
    find = text.find
    block_run = _block_run_pattern().match if block else None
    flow: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = None
    for offset in range((start // SAMPLE_EVERY + 1) * SAMPLE_EVERY, size, SAMPLE_EVERY):
        if block_run is not None:
            line = _CONTENT_LINE.search(text, offset, offset + 4096)  # not blank, not a comment
            if line is not None:
                found = _block_run(text, line.start(), block_run)
                if found is not None:
                    return found
        comma = find(",", offset, offset + 1024)
        if comma >= 0:
            flow = flow or _flow_patterns()
            flow_run, member, after_closing = flow
            if flow_run.match(text, comma):
                return comma
            if member.match(text, comma):
                continue  # the comma was between members: the run there was looked at
            # The comma was inside a value (a list): look again after the value.
            closing = after_closing.search(text, comma, comma + 1024)
            if closing and flow_run.match(text, closing.end() - 1):
                return closing.end() - 1
    return None


def _block_run(text: str, newline: int, block_run: Callable[[str, int], Any]) -> int | None:
    """Where a run of block keys starts at this line, or at one of the next two less indented lines.

    A sample can fall inside a key's nested value; the keys around it are the
    next lines indented less than it.
    """
    for _ in range(3):
        if block_run(text, newline):
            return newline
        indent = _indent(text, newline)
        if not 0 < indent <= 32:
            return None
        outer = _less_indented(indent).search(text, newline + 1, newline + _NESTED_REACH)
        if outer is None:
            return None
        newline = outer.start()
    return None


def _indent(text: str, newline: int) -> int:
    """Spaces at the start of the line after ``newline`` (up to 33)."""
    line = text[newline + 1 : newline + 34]
    return len(line) - len(line.lstrip(" "))


_MAYBE_NOT_TEXT = frozenset("-+0123456789.~nNtTfF")
"""First characters of a plain scalar the strict resolver may read as a number, true/false or null."""
_NUMBER_START = frozenset("-+0123456789.")
_STR = "tag:yaml.org,2002:str"


def first_key_past_limit(text: str, max_keys: int, parser: Callable[[], Any], max_nesting: int) -> Any:
    """The start mark of the first key past ``max_keys`` in one YAML mapping, or None.

    Nothing is parsed unless :func:`suspect` finds a place to look. Then the
    events of ``parser()`` (a fresh event parser over ``text`` that is also the
    loader's resolver; libyaml's when present) are read, keys counted in every
    open mapping, until a mapping gets one key too many: its mark is the one
    the constructor would report (an alias key's being its anchor's).

    None, and the full load decides, wherever that load could report another
    problem first: a syntax error, an undefined or repeated anchor before that
    key; up to the mapping's start, what the constructor refuses (a tag, a key
    that is not text, a number it may not read, nesting beyond ``max_nesting``);
    a merge key (``!!merge``) in the mapping. The reading also stops, with None,
    where the collection open at the suspect place ends and no later place is
    suspect, and at the end of the text.
    """
    at = suspect(text, max_keys)
    if at is None:
        return None
    import yaml  # here, not at the top: a JSON text is sampled without it

    events = parser()
    resolve = events.resolve
    ScalarEvent, AliasEvent, ScalarNode = yaml.ScalarEvent, yaml.AliasEvent, yaml.ScalarNode
    CollectionStartEvent, CollectionEndEvent = yaml.CollectionStartEvent, yaml.CollectionEndEvent
    MappingStartEvent = yaml.MappingStartEvent
    # One entry per open collection: its keys so far (-1 for a sequence), whether a key comes next,
    # and where it starts.
    counts: list[int] = []
    expect_key: list[bool] = []
    starts: list[int] = []
    anchors: dict[str, Any] = {}
    stop_depth = -1  # until the suspect place is reached
    doubt = len(text)  # where the first thing the constructor may refuse is
    try:
        while events.check_event():
            event = events.get_event()
            if isinstance(event, CollectionEndEvent):
                counts.pop()
                expect_key.pop()
                starts.pop()
                if len(counts) < stop_depth:  # a false alarm: look further on, or stop
                    end: Any = event.end_mark  # always set by a parser
                    next_at = suspect(text, max_keys, start=end.index)
                    if next_at is None:
                        return None
                    at, stop_depth = next_at, -1
                continue
            if not isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
                continue
            mark: Any = event.start_mark  # always set by a parser
            index = mark.index
            depth = len(counts)
            if stop_depth < 0 and index >= at:
                stop_depth = depth
            in_mapping = depth > 0 and counts[-1] >= 0
            is_key = in_mapping and expect_key[-1]
            if in_mapping:
                expect_key[-1] = not is_key
            if isinstance(event, AliasEvent):
                mark = anchors.get(event.anchor or "")  # the constructor reports an alias by its anchor
                if mark is None:
                    return None  # the composer refuses it
                if is_key:
                    doubt = min(doubt, index)  # what it stands for may not be text
            else:
                if event.anchor is not None:
                    if event.anchor in anchors:
                        return None  # a repeated anchor: the composer refuses it
                    anchors[event.anchor] = mark
                if event.tag is not None:
                    if is_key and event.tag == "tag:yaml.org,2002:merge":
                        return None
                    doubt = min(doubt, index)
            if depth >= max_nesting:
                doubt = min(doubt, index)
            if is_key:
                counts[-1] += 1
                if counts[-1] > max_keys:
                    if doubt <= starts[-1]:
                        return None
                    return mark
            if isinstance(event, ScalarEvent):
                if event.implicit[0]:  # plain
                    value = event.value
                    if is_key:
                        if (not value or value[0] in _MAYBE_NOT_TEXT) and resolve(
                            ScalarNode, value, (True, False)
                        ) != _STR:
                            doubt = min(doubt, index)  # a key that is not text
                    elif value[:1] in _NUMBER_START and (len(value) > 300 or "e" in value or "E" in value):
                        doubt = min(doubt, index)  # a number too long, or maybe not finite
            elif isinstance(event, CollectionStartEvent):
                if is_key:
                    doubt = min(doubt, index)  # a key that is not text
                counts.append(0 if isinstance(event, MappingStartEvent) else -1)
                expect_key.append(True)
                starts.append(index)
    except yaml.YAMLError:
        return None
    finally:
        events.dispose()
    return None
