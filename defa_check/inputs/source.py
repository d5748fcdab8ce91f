"""Safe YAML (and JSON) loading that remembers where everything is.

* libyaml's C parser when present (several times faster than the pure-Python one);
* a resolver without YAML 1.1's surprises: ``NO`` stays the string "NO" (Norway),
  ``yes``/``on`` stay strings, and dates stay strings;
* duplicate keys are problems, not silently dropped values;
* the data is JSON's data model, whatever the file says: text keys; text,
  finite numbers, true/false, null, lists and mappings (no ``!!set``,
  ``!!binary``, NaN, infinities or lone surrogates);
* aliases cannot expand a small file into a huge document, nor nesting run deep;
* files are bounded in size, and a device or a FIFO never blocks a run;
* syntax errors become :class:`~defa_check.model.Problem` values with
  ``file:line:col``, never exceptions that escape.

Locations are kept beside the data, keyed by the identity of each constructed
mapping or sequence, so the data itself stays plain dicts and lists.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path

from defa_check.model import Location, Problem, quote
from defa_check.records import field, record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Refuse inputs larger than this. A manifest of 100,000 flows (the most the schema allows) is
about 40 MB of YAML and takes about 2 GB to check (bench/RESULTS.md); a larger file is refused
at once instead of dying of MemoryError halfway."""

MAX_EXPANDED_NODES = 5_000_000
"""Refuse documents whose aliases expand them beyond this many nodes."""

MAX_NESTING = 200
"""Refuse YAML documents nested deeper than this (a manifest needs 6 levels)."""

MAX_KEYS = 10_000
"""Keys one mapping may have: no file defa-check reads needs more than a few hundred, and a
million (a message each, 1.6 GB of them, once) is refused at once instead."""

MAX_NUMBER_DIGITS = 4300
"""Longer numbers are refused (Python's own limit for converting text to int)."""


@record(frozen=False)
class Document:
    """A loaded file: its data, where each part came from, and what was wrong with it."""

    path: str
    data: Any
    text: str
    problems: list[Problem] = field(default_factory=list)
    approximate: bool = False
    """Positions known only for the top level and list items (the fast JSON path)."""
    language: str = "yaml"
    """"yaml" or "json": how the text was read (and is read again, for exact positions)."""
    _key_marks: dict[int, dict[Any, tuple[int, int]]] = field(default_factory=dict, repr=False)
    _node_marks: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    _locator: Any = field(default=None, repr=False)
    """For exact JSON: finds a path's position in the text when asked (:class:`_JsonLocator`)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def locate(self, json_path: tuple[Any, ...] | list[Any], shown: str | None = None) -> Location:
        """The closest known position of a JSON path (a key's line, else its container's), in
        the file named ``shown`` (by default the document's path)."""
        if self._locator is not None:
            line, column = self._locator(list(json_path))
            return Location(shown or self.path, line, column)
        node: Any = self.data
        best = self._node_marks.get(id(node), (1, 1))
        for part in json_path:
            if isinstance(node, dict) and part in node:
                mark = self._key_marks.get(id(node), {}).get(part)
                if mark:
                    best = mark
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                item = self._key_marks.get(id(node), {}).get(part)  # read precisely: every item's
                node = node[part]
                best = self._node_marks.get(id(node), item or best)
            else:
                break
        else:
            # For a list item that is a container, its own start beats its list's key.
            if json_path and isinstance(json_path[-1], int) and id(node) in self._node_marks:
                best = self._node_marks[id(node)]
        return Location(shown or self.path, best[0], best[1])


_ALIAS = r"\*(?:(?<=\A\*)|(?<=[\s\[{,:-]\*))[^\s,\]}]"
"""An alias (``*name``) after a space, a flow indicator or the start. The ``*`` comes first, so
the search skips to each ``*`` (with the alternation first, 60 MB of text took 1.8 s)."""


def find_alias(text: str) -> re.Match[str] | None:
    """The first alias in a YAML text, or None. (Compiled when first asked: 1.6 ms that a JSON
    manifest never needs.)"""
    return re.compile(_ALIAS).search(text)  # re caches the compiled pattern


def _expanded_size(data: Any) -> int:
    """Node count of ``data`` with shared (aliased) parts counted each time they appear."""
    memo: dict[int, int] = {}

    def size(obj: Any) -> int:
        if isinstance(obj, dict):
            key = id(obj)
            if key not in memo:
                memo[key] = 1 + sum(size(v) for v in obj.values())
            return memo[key]
        if isinstance(obj, list):
            key = id(obj)
            if key not in memo:
                memo[key] = 1 + sum(size(v) for v in obj)
            return memo[key]
        return 1

    return size(data)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (for one position; see :class:`_Lines`)."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _Lines:
    """Line and column of many offsets in one text, each in O(log lines): counting from the start
    for each would make a file with many keys (or one long line) take quadratic time.

    The first few are counted (in C): a text that has only a problem or two to
    locate (a mapping refused at its 10,001st key) does not pay for indexing a
    million lines."""

    COUNTED = 8

    def __init__(self, text: str) -> None:
        self.text = text
        self.counted = 0
        self.starts: list[int] | None = None

    def __call__(self, offset: int) -> tuple[int, int]:
        import bisect

        if self.starts is None:
            if self.counted < self.COUNTED:
                self.counted += 1
                return _line_col(self.text, offset)
            self.starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def loads(text: str, path: str = "<string>", precise: bool = True) -> Document:
    """Parse YAML (or JSON, a subset) text into a :class:`Document`; never raises on bad input.

    ``precise=False`` keeps positions only for containers and top-level keys
    (what findings point at): a large manifest loads faster and in less memory,
    and a caller that meets problems loads it again precisely to locate them.
    """
    from defa_check.inputs import yaml_reader

    mark = yaml_reader.first_key_past_limit(text)
    if mark is not None:
        return yaml_reader.refused(text, path, mark, precise)
    return yaml_reader.parse(text, path, precise)


def shown_path(path: str | Path, cwd: Path | None = None) -> str:
    """How a user's file is named in every output: as given when relative; never absolute.

    Reports travel (to a client, into a repository's code scanning), so a path
    given as ``/home/alice/clients/acme/flows.yaml`` must not carry the folder of the
    machine it was made on. An absolute path inside the working folder is named
    relative to it (``acme/flows.yaml``); one outside it by its file name alone.
    The report takes it once (``Report.manifest_path``, its findings' locations), so
    every format shows the same name; problems printed for the person at the machine
    keep the path as given.
    """
    p = Path(path)
    if not p.is_absolute():
        # `../client/flows.yaml` climbs out of the working folder: named by its file name too.
        return p.name if os.pardir in p.parts else str(path)
    base = cwd or Path.cwd()
    for candidate, root in ((p, base), (p.resolve(), base.resolve())):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return p.name


def printable_path(path: str | Path) -> str:
    """A file name as text that can be printed and written: bytes that are not UTF-8 (a Latin-1
    name on Linux) become ``\\xe9`` instead of lone surrogates that no encoder accepts."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def duplicate_key_problems(
    path: str, data: Any, duplicates: list[tuple[str, int, int, dict[str, Any], int]]
) -> list[Problem]:
    """A problem per duplicate key (key, line, column, the mapping it is in, the line the key
    is first written on), at its JSON path.

    The readers meet a duplicate before they know where its mapping sits in the document, so
    the paths are found afterwards, in one walk of the data (only when there are duplicates).
    """
    if not duplicates:
        return []
    from defa_check.inputs.schemas import json_path

    wanted = {id(mapping) for _, _, _, mapping, _ in duplicates}
    paths: dict[int, list[Any]] = {}
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack and len(paths) < len(wanted):
        node, at = stack.pop()
        if id(node) in wanted and id(node) not in paths:
            paths[id(node)] = at
        children = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        stack += [(value, [*at, key]) for key, value in children if isinstance(value, (dict, list))]
    return [
        Problem(
            path,
            f"duplicate key {quote(key)}: each key may appear once",
            line,
            column,
            json_path([*paths.get(id(mapping), []), key]),
            f"the first is on line {first}" if first != line else "the first is earlier on this line",
            code="duplicate-key",
        )
        for key, line, column, mapping, first in duplicates
    ]


def _unreadable(shown: str, message: str) -> Document:
    return Document(shown, None, "", [Problem(shown, message, code="unreadable")])


def read_bytes(path: str | Path, shown: str, limit: int = MAX_FILE_BYTES) -> bytes | Document:
    """A file's bytes, or a Document holding the problem: missing, a folder, a device, too large.

    A FIFO (or a pipe such as ``<(command)``) is read, bounded by ``limit``; its
    open never waits for a writer, so a FIFO nobody writes to reads as empty
    instead of blocking the run for ever. Devices (``/dev/zero``, a terminal)
    are refused: they are never a manifest.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return _unreadable(shown, "no such file")
    except IsADirectoryError:
        return _unreadable(shown, "is a directory, not a file")
    except OSError as exc:
        return _unreadable(shown, f"cannot read: {exc.strerror}")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return _unreadable(shown, "is a directory, not a file")
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            return _unreadable(shown, "is a device or special file, not a file with a manifest in it")
        if info.st_size > limit:
            return _unreadable(shown, f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a FIFO with no writer now reads as end of file
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return _unreadable(shown, f"more than {limit:,} bytes; the limit is {limit:,}")
        return b"".join(chunks)
    except OSError as exc:
        return _unreadable(shown, f"cannot read: {exc.strerror}")
    finally:
        os.close(fd)


def decode(raw: bytes, shown: str) -> str | Document:
    """UTF-8 text (a byte-order mark allowed), or a Document with the located problem."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The decoder counts from after a byte-order mark, which is no column of the first line.
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        start = exc.start + bom
        line = raw.count(b"\n", 0, start) + 1
        line_start = max(raw.rfind(b"\n", 0, start) + 1, bom)
        column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
        byte = raw[start : start + 1].hex()
        return Document(
            shown,
            None,
            "",
            [
                Problem(
                    shown, f"not UTF-8 text (byte 0x{byte}: {exc.reason})", line, column, code="unreadable"
                )
            ],
        )


def load(
    path: str | Path,
    display_path: str | None = None,
    precise: bool = True,
    language: str | None = None,
    limit: int | None = None,
) -> Document:
    """Read and parse a file; a missing or unreadable file is a problem, not an exception.

    ``language``: "json" or "yaml"; by default a `.json` file is JSON, anything else YAML.
    ``limit``: the largest file accepted (default :data:`MAX_FILE_BYTES`).
    """
    shown = display_path or printable_path(path)
    if str(path) == "-":
        return _unreadable(shown, "reading from standard input is not supported; give a file")
    raw = read_bytes(path, shown, MAX_FILE_BYTES if limit is None else limit)
    if isinstance(raw, Document):
        return raw
    text = decode(raw, shown)
    if isinstance(text, Document):
        return text
    if language == "json" or (language is None and Path(path).suffix.lower() == ".json"):
        return loads_json(text, shown)
    if len(text) >= 3 * MAX_KEYS:
        # Before either parser, which would build the whole mapping. A shorter text cannot hold a
        # mapping past the limit; a longer one is sampled without PyYAML, which is imported only
        # to read the text at a place the sampling finds suspect (nearly never).
        from defa_check.inputs import key_limit

        if key_limit.suspect(text, MAX_KEYS) is not None:
            from defa_check.inputs import yaml_reader

            mark = yaml_reader.first_key_past_limit(text)
            if mark is not None:
                return yaml_reader.refused(text, shown, mark, precise)
    if not precise:
        # The fast parser (inputs/fast_source.py) when installed, whatever the size: with it, even
        # a small manifest is read in less time than importing PyYAML takes (bench/RESULTS.md).
        from defa_check.inputs.fast_source import loads_fast

        fast = loads_fast(text, shown)
        if fast is not None:
            return fast
    from defa_check.inputs import yaml_reader

    return yaml_reader.parse(text, shown, precise)


def exact(doc: Document) -> Document:
    """``doc`` read again with every position recorded (same language, same data)."""
    if not doc.approximate:
        return doc
    if doc.language == "json":
        # The fast read accepted the text, so its data stands; only positions are missing,
        # found in the text when a problem asks for them.
        return Document(doc.path, doc.data, doc.text, language="json", _locator=_JsonLocator(doc.text))
    return loads(doc.text, doc.path)


class _DuplicateKey(ValueError):
    pass


class _NotJsonData(ValueError):
    """A value JSON's data model has no place for (NaN, infinity): read again exactly, to locate it."""


def _no_duplicates(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


def _no_constant(name: str) -> Any:
    raise _NotJsonData(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJsonData(text)
    return value


_JSON_LISTS = ("flows", "systems", "markets")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A surrogate written as an escape: fine in a pair, a problem alone (checked by the exact reader)."""


def loads_json(text: str, path: str = "<string>") -> Document:
    """Parse a JSON manifest with the C decoder, keeping positions of its parts.

    The top-level object and the items of `flows`, `systems` and `markets` get
    their line and column (what findings point at). Anything unusual — a syntax
    error, a duplicate key, NaN or an infinity, a lone surrogate, a top level that
    is not an object — goes to :func:`loads_json_exact`, which reads the same
    JSON with every position and reports each problem where it is.
    """
    import json

    if not text.strip():  # an empty file holds nothing, as an empty YAML file does (not a syntax error)
        return Document(path=path, data=None, text=text, language="json", _locator=_JsonLocator(text))
    if _SURROGATE_ESCAPE.search(text):
        return loads_json_exact(text, path)
    if len(text) >= 3 * MAX_KEYS:
        from defa_check.inputs import key_limit

        # What looks like an object of very many keys is read by the exact reader, which stops at
        # the first key past the limit; the C reader would build the whole object first.
        suspect = key_limit.suspect(text, MAX_KEYS, block=False)
        if suspect is not None:
            return loads_json_exact(text, path, suspect)
    decoder = json.JSONDecoder(
        object_pairs_hook=_bounded_pairs, parse_constant=_no_constant, parse_float=_finite_float
    )
    scan = decoder.scan_once  # type: ignore[attr-defined]
    # Positions are asked for in increasing order: count newlines incrementally (in C).
    state = [0, 1, 0]  # last offset, its line, the start of its line

    def position(offset: int) -> tuple[int, int]:
        newlines = text.count("\n", state[0], offset)
        if newlines:
            state[1] += newlines
            state[2] = text.rfind("\n", state[0], offset) + 1
        state[0] = offset
        return state[1], offset - state[2] + 1

    def fallback() -> Document:
        return loads_json_exact(text, path)

    ws = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]

    def skip(i: int) -> int:
        end: int = ws(text, i).end()
        return end

    doc = Document(path=path, data=None, text=text, language="json")
    try:
        i = skip(0)
        if text[i : i + 1] != "{":
            return fallback()
        data: dict[str, Any] = {}
        doc._node_marks[id(data)] = position(i)
        keys: dict[Any, tuple[int, int]] = {}
        i = skip(i + 1)
        while text[i] != "}":
            key_at = i
            if text[i] != '"':
                return fallback()
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            if key in data:
                return fallback()
            keys[key] = position(key_at)  # in increasing order of offsets, as position() needs
            if len(keys) > MAX_KEYS:
                return fallback()
            i = skip(i)
            if text[i] != ":":
                return fallback()
            i = skip(i + 1)
            if key in _JSON_LISTS and text[i] == "[":
                items: list[Any] = []
                doc._node_marks[id(items)] = position(i)
                i = skip(i + 1)
                while text[i] != "]":
                    item_at = i
                    item, i = scan(text, i)
                    items.append(item)
                    if isinstance(item, (dict, list)):
                        doc._node_marks[id(item)] = position(item_at)
                    i = skip(i)
                    if text[i] == ",":
                        i = skip(i + 1)
                        if text[i] == "]":  # a trailing comma: not JSON
                            return fallback()
                    elif text[i] != "]":
                        return fallback()
                value: Any = items
                i += 1
            else:
                value_at = i
                value, i = scan(text, i)
                if isinstance(value, (dict, list)):
                    doc._node_marks[id(value)] = position(value_at)
            data[key] = value
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
                if text[i] == "}":  # a trailing comma: not JSON
                    return fallback()
            elif text[i] != "}":
                return fallback()
        if skip(i + 1) != len(text):
            return fallback()
    except (StopIteration, IndexError, ValueError, RecursionError):
        return fallback()
    doc._key_marks[id(data)] = keys
    doc.data = data
    doc.approximate = True
    return doc


_TRAILING_COMMA = "invalid JSON: a comma before '{}' (JSON allows no trailing comma)"


class _JsonProblem(Exception):
    def __init__(self, offset: int, message: str, code: str = "syntax") -> None:
        super().__init__(message)
        self.offset, self.message, self.code = offset, message, code


class _TooManyKeys(ValueError):
    pass


def _bounded_pairs(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    if len(pairs) > MAX_KEYS:
        raise _TooManyKeys
    return _no_duplicates(pairs)


class _JsonLocator:
    """Positions of JSON paths, found in the text when asked.

    Each container on a path is scanned once (its values skipped by the C
    scanner) and its keys' or items' offsets kept, so locating a hundred
    problems in a large file costs one pass over the containers they are in.
    """

    def __init__(self, text: str) -> None:
        import json

        self.text = text
        self.lines = _Lines(text)
        self.whitespace = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]
        self.scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self.scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
        self.members: dict[int, Any] = {}

    def skip(self, i: int) -> int:
        end: int = self.whitespace(self.text, i).end()
        return end

    def _members(self, start: int) -> Any:
        """Key -> (key offset, value offset) of the object at ``start``; value offsets of a list."""
        if start in self.members:
            return self.members[start]
        text, opening = self.text, self.text[start]
        keys: dict[str, tuple[int, int]] = {}
        items: list[int] = []
        i = self.skip(start + 1)
        try:
            while text[i] not in "]}":
                key_at = i
                if opening == "{":
                    key, i = self.scanstring(text, i + 1)
                    i = self.skip(self.skip(i) + 1)  # past ':'
                    keys.setdefault(key, (key_at, i))
                else:
                    items.append(i)
                _, i = self.scan(text, i)
                i = self.skip(i)
                if text[i] == ",":
                    i = self.skip(i + 1)
        except (ValueError, IndexError, StopIteration, RecursionError):
            pass  # positions so far are still right
        found = keys if opening == "{" else items
        self.members[start] = found
        return found

    def __call__(self, path: list[Any]) -> tuple[int, int]:
        i = self.skip(0)
        best = i
        for part in path:
            char = self.text[i : i + 1]
            members = self._members(i) if char in ("{", "[") else None
            if char == "{" and isinstance(members, dict) and part in members:
                best, i = members[part]
            elif char == "[" and isinstance(members, list) and isinstance(part, int) and part < len(members):
                best = i = members[part]
            else:
                break
        return self.lines(best)


MAX_JSON_NESTING = 500
"""Nesting the exact JSON reader follows (the C reader stops near 1,000)."""


def loads_json_exact(text: str, path: str = "<string>", suspect: int | None = None) -> Document:
    """Read JSON that the fast reader refused, and say where each problem is.

    The same data as :func:`loads_json` (the same string and number readers), so
    what is validated is exactly what is evaluated. A value the C reader accepts
    is taken whole; only the containers around a problem are walked here, so a
    large file costs little more than the fast read. Refused, each at its place:
    syntax errors, duplicate keys (the first value is kept, as in YAML), NaN and
    infinities (``NaN``, ``Infinity``, ``1e309``), numbers longer than
    :data:`MAX_NUMBER_DIGITS`, lone surrogates, mappings of more than
    :data:`MAX_KEYS` keys, nesting deeper than the reader can follow.

    ``suspect``: the offset of a comma inside what may be an object of more than
    :data:`MAX_KEYS` keys (:func:`defa_check.inputs.key_limit.suspect`). The C
    reader, which builds a whole object before its size can be refused, reads
    values that start before it only up to it: the objects around it are walked
    here, key by key, and refused at the first key past the limit. The data and
    the problems are the same as without it.
    """
    import json

    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    whitespace = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]
    number = json.scanner.NUMBER_RE.match  # type: ignore[attr-defined]
    strict = json.JSONDecoder(
        object_pairs_hook=_bounded_pairs, parse_constant=_no_constant, parse_float=_finite_float
    ).scan_once  # type: ignore[attr-defined]
    doc = Document(path=path, data=None, text=text, language="json", _locator=_JsonLocator(text))
    duplicates: list[tuple[str, int, dict[str, Any], int]] = []  # key, offset, its mapping, first offset
    position = doc._locator.lines

    def skip(i: int) -> int:
        end: int = whitespace(text, i).end()
        return end

    def string(i: int) -> tuple[str, int]:
        try:
            value, end = scanstring(text, i + 1)
        except json.JSONDecodeError as exc:
            raise _JsonProblem(exc.pos, f"invalid JSON: {exc.msg}") from None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _JsonProblem(
                i, "invalid JSON: a lone surrogate (\\ud800-\\udfff) is not a character"
            ) from None
        return value, end

    # A value that starts before the suspect and ends after it fails here (the text ends) and is walked.
    # A comma is never inside a number or a literal, so a value that ends before it reads the same.
    head = text if suspect is None else text[:suspect]

    def whole(i: int) -> tuple[Any, int] | None:
        """The value at ``i`` read by the C reader, if it has nothing to object to."""
        try:
            value, end = strict(head if i < len(head) else text, i)
        except (ValueError, StopIteration, RecursionError):
            return None
        if isinstance(value, (dict, list, str)) and _SURROGATE_ESCAPE.search(text, i, end):
            return None  # a surrogate escape inside: the walk below checks each string
        return value, end

    def read(i: int, depth: int) -> tuple[Any, int]:
        if depth > MAX_JSON_NESTING:
            raise _JsonProblem(i, f"nested deeper than {MAX_JSON_NESTING} levels", "too-complex")
        # The top two levels are walked here: a value the fast reader refused is usually in them,
        # and reading a whole large document again in C to find that out would double the cost.
        found = whole(i) if depth > 2 else None
        if found is not None:
            return found
        char = text[i : i + 1]
        if char == "{":
            obj: dict[str, Any] = {}
            key_offsets: dict[str, int] = {}  # where each key is first written, for a duplicate
            i = skip(i + 1)
            if text[i : i + 1] == "}":
                return obj, i + 1
            while True:
                if text[i : i + 1] != '"':
                    raise _JsonProblem(i, "invalid JSON: expected a key in double quotes")
                key_at = i
                key, i = string(i)
                i = skip(i)
                if text[i : i + 1] != ":":
                    raise _JsonProblem(i, "invalid JSON: expected ':' after the key")
                value, i = read(skip(i + 1), depth + 1)
                if key in obj:
                    duplicates.append((key, key_at, obj, key_offsets[key]))
                elif len(obj) >= MAX_KEYS:
                    raise _JsonProblem(key_at, f"more than {MAX_KEYS:,} keys in one mapping", "too-complex")
                else:
                    obj[key] = value
                    key_offsets[key] = key_at
                i = skip(i)
                char = text[i : i + 1]
                if char == "}":
                    return obj, i + 1
                if char != ",":
                    raise _JsonProblem(i, "invalid JSON: expected ',' or '}'")
                comma, i = i, skip(i + 1)
                if text[i : i + 1] == "}":
                    raise _JsonProblem(comma, _TRAILING_COMMA.format("}"))
        if char == "[":
            items: list[Any] = []
            i = skip(i + 1)
            if text[i : i + 1] == "]":
                return items, i + 1
            while True:
                value, i = read(i, depth + 1)
                items.append(value)
                i = skip(i)
                char = text[i : i + 1]
                if char == "]":
                    return items, i + 1
                if char != ",":
                    raise _JsonProblem(i, "invalid JSON: expected ',' or ']'")
                comma, i = i, skip(i + 1)
                if text[i : i + 1] == "]":
                    raise _JsonProblem(comma, _TRAILING_COMMA.format("]"))
        if char == '"':
            return string(i)
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(literal, i):
                return value, i + len(literal)
        for literal in ("NaN", "Infinity", "-Infinity"):
            if text.startswith(literal, i):
                raise _JsonProblem(i, f"{literal} is not a number JSON allows", "invalid-value")
        match = number(text, i)
        if match is None:
            raise _JsonProblem(i, "invalid JSON: expected a value")
        integer, fraction, exponent = match.groups()
        if len(integer) > MAX_NUMBER_DIGITS:
            raise _JsonProblem(
                i, f"a number of {len(integer):,} digits is longer than any value means", "invalid-value"
            )
        if fraction or exponent:
            parsed = float(match.group())
            if not math.isfinite(parsed):
                raise _JsonProblem(
                    i, f"{match.group()[:40]} is too large to be a finite number", "invalid-value"
                )
            return parsed, match.end()
        return int(integer), match.end()

    try:
        data, end = read(skip(0), 1)
        end = skip(end)
        if end != len(text):
            raise _JsonProblem(end, "invalid JSON: extra data after the value")
    except _JsonProblem as exc:
        line, col = position(exc.offset)
        doc.problems.append(Problem(path, exc.message, line, col, code=exc.code))
        return doc
    except RecursionError:
        doc.problems.append(Problem(path, "nested too deeply", 1, 1, code="too-complex"))
        return doc
    located = [(key, *position(offset), obj, position(first)[0]) for key, offset, obj, first in duplicates]
    doc.problems += duplicate_key_problems(path, data, located)
    doc.data = data
    return doc
