"""Safe YAML (and JSON) loading that remembers where everything is.

* libyaml's C parser when present (several times faster than the pure-Python one);
* a resolver without YAML 1.1's surprises: ``NO`` stays the string "NO" (Norway),
  ``yes``/``on`` stay strings, and dates stay strings;
* duplicate keys are problems, not silently dropped values;
* aliases cannot expand a small file into a huge document;
* syntax errors become :class:`~defa_check.model.Problem` values with
  ``file:line:col``, never exceptions that escape.

Locations are kept beside the data, keyed by the identity of each constructed
mapping or sequence, so the data itself stays plain dicts and lists.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from defa_check.model import Location, Problem

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Refuse inputs larger than this: a manifest of 100,000 flows is about 40 MB."""

MAX_EXPANDED_NODES = 5_000_000
"""Refuse documents whose aliases expand them beyond this many nodes."""

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    _BaseParser: Any = _CParser
    HAVE_LIBYAML = True
except ImportError:  # PyYAML built without libyaml: correct, several times slower
    _BaseParser = yaml.parser.Parser
    HAVE_LIBYAML = False


class _StrictResolver(yaml.resolver.BaseResolver):
    """JSON-like implicit types only: null, true/false, ints and floats."""


_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
    list("-+0123456789"),
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        # No .inf or .nan: they are not numbers a manifest means, and JSON has none.
        r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$"
    ),
    list("-+0123456789."),
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that records positions and rejects duplicate keys."""

    precise = True
    """Record every key's position; otherwise only containers' and the top level's keys."""

    def __init__(self) -> None:
        super().__init__()
        self.key_marks: dict[int, dict[Any, tuple[int, int]]] = {}
        self.node_marks: dict[int, tuple[int, int]] = {}
        self.duplicate_keys: list[tuple[str, int, int]] = []
        self._root: Any = None

    def construct_document(self, node: Any) -> Any:
        self._root = node
        return super().construct_document(node)

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data: dict[Any, Any] = {}
        yield data
        self.node_marks[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        marks: dict[Any, tuple[int, int]] = {}
        keep_keys = self.precise or node is self._root
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in data:
                self.duplicate_keys.append(
                    (str(key), key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                )
                continue
            data[key] = self.construct_object(value_node, deep=True)
            if keep_keys:
                marks[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if keep_keys:
            self.key_marks[id(data)] = marks

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Any:
        data: list[Any] = []
        yield data
        self.node_marks[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:seq", _Constructor.construct_yaml_seq)  # type: ignore[type-var]
# Strings the strict resolver leaves alone (dates, "yes", "NO") are plain strings.
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)  # type: ignore[type-var]


class _Loader(_BaseParser, _Constructor, _StrictResolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _BaseParser.__init__(self, stream)
        _Constructor.__init__(self)
        _StrictResolver.__init__(self)


if _BaseParser is yaml.parser.Parser:  # pure-Python fallback needs the reader/scanner/composer too

    class _PyLoader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Constructor,
        _StrictResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _StrictResolver.__init__(self)

    _LoaderClass: Any = _PyLoader
else:
    _LoaderClass = _Loader


@dataclass
class Document:
    """A loaded file: its data, where each part came from, and what was wrong with it."""

    path: str
    data: Any
    text: str
    problems: list[Problem] = field(default_factory=list)
    approximate: bool = False
    """Positions known only for the top level and list items (the fast JSON path)."""
    _key_marks: dict[int, dict[Any, tuple[int, int]]] = field(default_factory=dict, repr=False)
    _node_marks: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def locate(self, json_path: tuple[Any, ...] | list[Any]) -> Location:
        """The closest known position of a JSON path (a key's line, else its container's)."""
        node: Any = self.data
        best = self._node_marks.get(id(node), (1, 1))
        for part in json_path:
            if isinstance(node, dict) and part in node:
                mark = self._key_marks.get(id(node), {}).get(part)
                if mark:
                    best = mark
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                best = self._node_marks.get(id(node), best)
            else:
                break
        else:
            # For a list item that is a container, its own start beats its list's key.
            if json_path and isinstance(json_path[-1], int) and id(node) in self._node_marks:
                best = self._node_marks[id(node)]
        return Location(self.path, best[0], best[1])


_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]")


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


def loads(text: str, path: str = "<string>", precise: bool = True) -> Document:
    """Parse YAML (or JSON, a subset) text into a :class:`Document`; never raises on bad input.

    ``precise=False`` keeps positions only for containers and top-level keys
    (what findings point at): a large manifest loads faster and in less memory,
    and a caller that meets problems loads it again precisely to locate them.
    """
    doc = Document(path=path, data=None, text=text, approximate=not precise)
    loader = _LoaderClass(text)
    loader.precise = precise
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small objects triggers needless collections
    try:
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{exc.context}: {message}" if exc.problem else exc.context
        doc.problems.append(Problem(path, f"invalid YAML: {message}", line, col, code="syntax"))
        return doc
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        doc.problems.append(Problem(path, f"invalid YAML: {exc}", code="syntax"))
        return doc
    finally:
        if gc_was_enabled:
            gc.enable()
    for key, line, col in loader.duplicate_keys:
        doc.problems.append(
            Problem(path, f"duplicate key {key!r}: each key may appear once", line, col, code="duplicate-key")
        )
    if _ALIAS_RE.search(text):
        try:
            expanded = _expanded_size(data)
        except RecursionError:
            expanded = MAX_EXPANDED_NODES + 1
        if expanded > MAX_EXPANDED_NODES:
            doc.problems.append(
                Problem(
                    path,
                    f"YAML aliases expand this document beyond {MAX_EXPANDED_NODES:,} nodes; "
                    "refusing to process it",
                    code="too-complex",
                )
            )
            return doc
    doc.data = data
    doc._key_marks = loader.key_marks
    doc._node_marks = loader.node_marks
    return doc


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
        return str(path)
    base = cwd or Path.cwd()
    for candidate, root in ((p, base), (p.resolve(), base.resolve())):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return p.name


def load(path: str | Path, display_path: str | None = None, precise: bool = True) -> Document:
    """Read and parse a file; a missing or unreadable file is a problem, not an exception."""
    shown = display_path or str(path)
    if str(path) == "-":
        return Document(
            shown,
            None,
            "",
            [Problem(shown, "reading from standard input is not supported; give a file", code="unreadable")],
        )
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return Document(
                shown,
                None,
                "",
                [
                    Problem(
                        shown, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", code="unreadable"
                    )
                ],
            )
        raw = p.read_bytes()
    except FileNotFoundError:
        return Document(shown, None, "", [Problem(shown, "no such file", code="unreadable")])
    except IsADirectoryError:
        return Document(shown, None, "", [Problem(shown, "is a directory, not a file", code="unreadable")])
    except OSError as exc:
        return Document(shown, None, "", [Problem(shown, f"cannot read: {exc.strerror}", code="unreadable")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Document(
            shown, None, "", [Problem(shown, f"not UTF-8 text ({exc.reason})", code="unreadable")]
        )
    if p.suffix.lower() == ".json":
        return loads_json(text, shown)
    if not precise and len(text) > 65_536:  # the fast parser (inputs/fast_source.py); below this
        # size importing it costs more than it saves
        from defa_check.inputs.fast_source import loads_fast

        fast = loads_fast(text, shown)
        if fast is not None:
            return fast
    return loads(text, shown, precise)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


_JSON_LISTS = ("flows", "systems", "markets")


def loads_json(text: str, path: str = "<string>") -> Document:
    """Parse a JSON manifest with the C decoder, keeping positions of its parts.

    The top-level object and the items of `flows`, `systems` and `markets` get
    their line and column (what findings point at). Anything unusual — a syntax
    error, a duplicate key, a top level that is not an object — goes through the
    YAML loader instead, which reports it with a location like any other input.
    """
    import json

    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    scan = decoder.scan_once  # type: ignore[attr-defined]
    # Positions are asked for in increasing order: count newlines incrementally (in C).
    state = [0, 1]  # last offset, its line

    def position(offset: int) -> tuple[int, int]:
        state[1] += text.count("\n", state[0], offset)
        state[0] = offset
        return state[1], offset - (text.rfind("\n", 0, offset) + 1) + 1

    def fallback() -> Document:
        """Not plain JSON: explain a syntax error as JSON, anything else via the YAML loader."""
        try:
            json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            if isinstance(exc, RecursionError):
                return Document(
                    path, None, text, [Problem(path, "invalid JSON: nested too deeply", code="too-complex")]
                )
            return Document(
                path,
                None,
                text,
                [Problem(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, code="syntax")],
            )
        return loads(text, path)

    ws = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]

    def skip(i: int) -> int:
        end: int = ws(text, i).end()
        return end

    doc = Document(path=path, data=None, text=text)
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
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            if key in data:
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
            keys[key] = position(key_at)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
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
