"""What the generated schema checks (:mod:`defa_check.inputs.schema_checks`) call at run time.

The checks are written by :mod:`defa_check.inputs.schema_codegen`; the few constraints
that are more than an expression (ECMA-262 patterns, uniqueItems, format "date") are
here, shared with the jsonschema validators (:mod:`defa_check.inputs.schemas`).
"""

from __future__ import annotations

import functools
import re

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not handle: use jsonschema alone."""


@functools.cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema `pattern` (ECMA-262) as a Python regex with the same meaning.

    In ECMA-262 ``$`` matches only at the very end; in Python it also matches
    before a final newline, which let an id such as ``"f1\\n"`` through
    ``^[A-Za-z0-9_.-]+$``. Outside character classes, ``$`` becomes ``\\Z``.
    """
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        else:
            out.append(r"\Z" if char == "$" else char)
    return re.compile("".join(out))


def unique_items(items: list[Any]) -> bool:
    """JSON Schema's uniqueItems: no two items equal as JSON values (:func:`json_equal`)."""
    if set(map(type, items)) <= {str}:  # the usual list (keys, purposes): text equality is JSON's
        return len(set(items)) == len(items)
    seen: set[Any] = set()  # a set: a list made 100,000 items take minutes
    for item in items:
        key = _json_key(item)
        if key in seen:
            return False
        seen.add(key)
    return True


def _json_key(value: Any) -> Any:
    """A hashable stand-in for a JSON value: equal exactly when the values are JSON-equal."""
    if isinstance(value, bool):
        return (bool, value)  # true is not 1
    if isinstance(value, list):
        return (list, tuple(map(_json_key, value)))
    if isinstance(value, dict):
        return (dict, frozenset((k, _json_key(v)) for k, v in value.items()))
    return value  # text, a number (1 and 1.0 hash and compare equal), null


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality, as JSON Schema's `const`, `enum` and `uniqueItems` compare: true is not 1,
    1 is 1.0, and lists and mappings compare item by item in the same way."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return False
    return bool(a == b)


def all_in(members: frozenset[str], items: list[Any]) -> bool:
    """Whether every item is one of ``members`` (text): a set operation, not a loop in Python."""
    try:
        return members.issuperset(items)
    except TypeError:  # an unhashable item (a list, a mapping) is not text, so not a member
        return False


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_date(text: str) -> bool:
    """JSON Schema's ``format: date`` as jsonschema checks it: YYYY-MM-DD, a real day."""
    import datetime as dt

    if not _DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
