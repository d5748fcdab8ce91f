"""The YAML half of :mod:`defa_check.inputs.source`: the strict loader on PyYAML (libyaml's C
parser when present), and the refusal of a mapping past the key limit before it is built.

Imported only when a YAML text is read: a JSON manifest, the bundled packs of an installed
wheel and `--version` never pay for importing PyYAML (about 20 ms of every start).
"""

from __future__ import annotations

import gc
import math
import re

import yaml

from defa_check.inputs.source import (
    MAX_EXPANDED_NODES,
    MAX_KEYS,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    Document,
    _expanded_size,
    _line_col,
    duplicate_key_problems,
    find_alias,
)
from defa_check.model import Problem, quote

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    _BaseParser: Any = _CParser
    HAVE_LIBYAML = True
except ImportError:  # PyYAML built without libyaml: correct, several times slower
    _BaseParser = yaml.parser.Parser
    HAVE_LIBYAML = False


class _BeyondLimit(yaml.constructor.ConstructorError):
    """A refusal for size, not form (nesting, keys in one mapping): code `too-complex`, as JSON's."""


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
        # key, line, column, its mapping, the line the key is first written on
        self.duplicate_keys: list[tuple[str, int, int, dict[Any, Any], int]] = []
        self._root: Any = None

    def construct_document(self, node: Any) -> Any:
        self._root = node
        self._depth = 0
        return super().construct_document(node)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        """Any value a constructor cannot make from this node is a located problem, not a crash."""
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING:
                raise _BeyondLimit(None, None, f"nested deeper than {MAX_NESTING} levels", node.start_mark)
            return super().construct_object(node, deep)
        except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            what = repr(node.value[:40]) if isinstance(node.value, str) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} cannot be read as {tag}", node.start_mark
            ) from None
        finally:
            self._depth -= 1

    def construct_undefined(self, node: Any) -> Any:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"the tag {tag} is not allowed: only text, numbers, true/false, null, lists and mappings",
            node.start_mark,
        )

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_NUMBER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {digits:,} digits is longer than any value means", node.start_mark
            )
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{quote(node.value)} is not a finite number (JSON has no NaN or infinity)",
                node.start_mark,
            )  # fmt: skip
        return value

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data: dict[Any, Any] = {}
        yield data
        self.node_marks[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        marks: dict[Any, tuple[int, int]] = {}
        keep_keys = self.precise or node is self._root
        self.flatten_mapping(node)
        if len(node.value) > MAX_KEYS:
            raise _too_many_keys(node.value[MAX_KEYS][0].start_mark)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # JSON's data model: keys are text (`2: x` would sort beside "a" and break a schema).
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"a mapping key must be text, not {quote(key)} (quote it)",
                    key_node.start_mark,
                )
            if key in data:
                first = next(k for k, _ in node.value if k.value == key_node.value)
                mark = key_node.start_mark
                self.duplicate_keys.append(
                    (str(key), mark.line + 1, mark.column + 1, data, first.start_mark.line + 1)
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
        if self.precise:  # each item's own position: a text item has no node mark of its own
            marks = [child.start_mark for child in node.value]
            self.key_marks[id(data)] = {i: (m.line + 1, m.column + 1) for i, m in enumerate(marks)}


# Only JSON's kinds of value: a `!!set`, `!!binary`, `!!omap` or `!!python/...` tag is a problem.
_Constructor.yaml_constructors = {
    "tag:yaml.org,2002:null": _Constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _Constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _Constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _Constructor.construct_yaml_float,
    "tag:yaml.org,2002:str": _Constructor.construct_yaml_str,
    # Strings the strict resolver leaves alone (dates, "yes", "NO") are plain strings.
    "tag:yaml.org,2002:timestamp": _Constructor.construct_yaml_str,
    "tag:yaml.org,2002:seq": _Constructor.construct_yaml_seq,
    "tag:yaml.org,2002:map": _Constructor.construct_yaml_map,
    None: _Constructor.construct_undefined,
}
_Constructor.yaml_multi_constructors = {}


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


def _too_many_keys(mark: Any) -> yaml.constructor.ConstructorError:
    """The refusal of a mapping whose key at ``mark`` is one past :data:`MAX_KEYS`."""
    return _BeyondLimit(None, None, f"more than {MAX_KEYS:,} keys in one mapping", mark)


def first_key_past_limit(text: str) -> Any:
    """The mark of the first key past :data:`MAX_KEYS` in a mapping, when a cheap look finds one first.

    A mapping of a million keys is refused here in milliseconds instead of after
    libyaml has built it (seconds, a gigabyte); the same mark as the constructor's
    refusal, so the same problem. None: nothing found (nearly always, at the cost
    of a few samples of the text; :mod:`defa_check.inputs.key_limit`), and the
    constructor still refuses what the look missed.
    """
    if len(text) < 3 * MAX_KEYS:
        return None
    from defa_check.inputs import key_limit

    return key_limit.first_key_past_limit(text, MAX_KEYS, lambda: _LoaderClass(text), MAX_NESTING)


def refused(text: str, path: str, mark: Any, precise: bool = True) -> Document:
    doc = Document(path=path, data=None, text=text, approximate=not precise)
    doc.problems.append(_yaml_problem(_too_many_keys(mark), path))
    return doc


_INDENTATION = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
)
"""PyYAML's words for a line indented unlike the lines around it."""


def _yaml_problem(exc: yaml.MarkedYAMLError, path: str, text: str = "") -> Problem:
    """PyYAML's error, located, in words a person who does not write YAML every day can act on:
    a tab, a line indented unlike its neighbours and a stray ``:`` are said as such; any other
    error in PyYAML's own words."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or str(exc)
    if exc.context:
        message = f"{exc.context}: {message}" if exc.problem else exc.context
    if isinstance(exc, _BeyondLimit):
        return Problem(path, f"invalid YAML: {message}", line, col, code="too-complex")
    lines = text.split("\n")
    where = lines[line - 1] if text and 0 < line <= len(lines) else ""
    said, hint = message, None
    if "\t" in where[: len(where) - len(where.lstrip())] or "tab character" in message:
        said = "a tab indents this line; YAML indents with spaces only"
        hint = "replace the tab with spaces"
    elif any(words in message for words in _INDENTATION):
        said = "this line is indented differently from the lines above it"
        hint = "the items of one list, and the keys of one mapping, start in the same column"
    elif "mapping values are not allowed" in message:
        said = "a ':' where no new field can start"
        hint = "put a value that contains ': ' in quotes, or check this line's indentation"
    elif message.startswith("found duplicate anchor") and exc.context_mark is not None:
        # libyaml's words name neither the anchor nor, once joined, where it was first.
        first = exc.context_mark
        named = re.match(r"&([^\s,\[\]{}]+)", where[col - 1 :])
        name = named.group(1) if named else None
        anchor = f"the anchor '&{name}'" if name else "this anchor"
        said = f"{anchor} is defined twice: first on line {first.line + 1}, column {first.column + 1}"
        alias = f"'*{name}'" if name else "an alias (*name)"
        hint = f"delete this one if nothing repeats it with {alias}, or give it a name of its own"
    elif message.startswith("expected a single document in the stream"):
        said = "a second document starts here, and a manifest is one document"
        hint = "remove this '---' line and what follows that is not part of the manifest, or split the file"
    return Problem(path, f"invalid YAML: {said}", line, col, hint=hint, code="syntax")


def parse(text: str, path: str, precise: bool) -> Document:
    """:func:`~defa_check.inputs.source.loads` once the cheap look has refused no mapping in the text."""
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
        doc.problems.append(_yaml_problem(exc, path, text))
        return doc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        line, col = _line_col(text, exc.position)
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        doc.problems.append(
            Problem(path, f"invalid YAML: character {what} is not allowed ({exc.reason})", line, col,
                    code="syntax")
        )  # fmt: skip
        return doc
    except RecursionError:
        doc.problems.append(Problem(path, "invalid YAML: nested too deeply", 1, 1, code="too-complex"))
        return doc
    except (yaml.YAMLError, ValueError) as exc:
        doc.problems.append(Problem(path, f"invalid YAML: {exc}", 1, 1, code="syntax"))
        return doc
    finally:
        if gc_was_enabled:
            gc.enable()
    doc.problems += duplicate_key_problems(path, data, loader.duplicate_keys)
    alias = find_alias(text)
    if alias:
        try:
            expanded = _expanded_size(data)
        except RecursionError:
            expanded = MAX_EXPANDED_NODES + 1
        if expanded > MAX_EXPANDED_NODES:
            line, col = _line_col(text, alias.end() - 2)
            doc.problems.append(
                Problem(
                    path,
                    f"YAML aliases expand this document beyond {MAX_EXPANDED_NODES:,} nodes; "
                    "refusing to process it",
                    line,
                    col,
                    code="too-complex",
                )
            )
            return doc
    doc.data = data
    doc._key_marks = loader.key_marks
    doc._node_marks = loader.node_marks
    return doc
