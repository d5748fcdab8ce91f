"""A yes/no validator compiled from a JSON Schema, for the common case of a valid manifest.

jsonschema costs about 150 µs per flow; most manifests are valid, and for those
we only need "yes". This module compiles the subset of JSON Schema the
manifest schema uses (type, properties, required, additionalProperties: false,
items, enum, const, pattern, minimum, minLength, uniqueItems, not/anyOf of
required) into nested closures. When it answers "no", or meets a keyword it
does not know, the caller runs jsonschema for the located, explained errors,
so the verdict and the messages are always jsonschema's own. A property test
checks that the two never disagree on "valid".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_KNOWN = {
    "$schema", "$id", "$defs", "title", "description", "type", "properties", "required",
    "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "minLength",
    "uniqueItems", "format", "not", "anyOf", "oneOf", "allOf", "if", "then", "else",
    "minItems", "maxItems", "minProperties", "maxProperties", "maxLength", "propertyNames",
    "examples", "$comment", "default",
}  # fmt: skip


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not handle: use jsonschema alone."""


def _type_check(name: str) -> Check:
    if name == "object":
        return lambda v: isinstance(v, dict)
    if name == "array":
        return lambda v: isinstance(v, list)
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "integer":
        return lambda v: (
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
        )
    if name == "number":
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "null":
        return lambda v: v is None
    raise Unsupported(f"type {name}")


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


def _unique(items: list[Any]) -> bool:
    if set(map(type, items)) <= {str}:  # the usual list (keys, purposes): text equality is JSON's
        return len(set(items)) == len(items)
    seen: set[Any] = set()  # a set: a list made 100,000 items take minutes
    for item in items:
        # JSON equality: 1 and True differ, 1 and 1.0 do not.
        key = (type(item) is bool, item) if not isinstance(item, (dict, list)) else repr(item)
        if key in seen:
            return False
        seen.add(key)
    return True


def compile_schema(schema: Any) -> Check:
    """A function that returns True only if jsonschema would accept the instance."""
    if schema is True or schema == {}:
        return lambda v: True
    if not isinstance(schema, dict):
        raise Unsupported("boolean false schema")
    unknown = set(schema) - _KNOWN
    if unknown:
        raise Unsupported(", ".join(sorted(unknown)))
    checks: list[Check] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        parts = [_type_check(t) for t in types]
        alternatives = tuple(parts)

        def check_type(v: Any) -> bool:
            return any(c(v) for c in alternatives)

        checks.append(parts[0] if len(parts) == 1 else check_type)
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: v == const and type(v) is type(const))
    if "enum" in schema:
        values = schema["enum"]
        if all(isinstance(e, str) for e in values):
            members = frozenset(values)
            checks.append(lambda v: isinstance(v, str) and v in members)
        else:
            checks.append(lambda v: any(v == e and type(v) is type(e) for e in values))
    if "pattern" in schema:
        regex = ecma_regex(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or regex.search(v) is not None)
    if "minLength" in schema:
        least = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= least)
    if "maxLength" in schema:
        most = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= most)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: isinstance(v, bool) or not isinstance(v, (int, float)) or v >= low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda v: isinstance(v, bool) or not isinstance(v, (int, float)) or v <= high)
    if "required" in schema:
        required = tuple(schema["required"])

        def check_required(v: Any) -> bool:
            if isinstance(v, dict):
                for key in required:
                    if key not in v:
                        return False
            return True

        checks.append(check_required)
    if "properties" in schema or "additionalProperties" in schema:
        props = {k: compile_schema(s) for k, s in schema.get("properties", {}).items()}
        extra_schema = schema.get("additionalProperties", True)
        closed = extra_schema is False
        extra = None if isinstance(extra_schema, bool) else compile_schema(extra_schema)

        def check_object(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, value in v.items():
                sub = props.get(key)
                if sub is None:
                    if closed or (extra is not None and not extra(value)):
                        return False
                elif not sub(value):
                    return False
            return True

        checks.append(check_object)
    if "propertyNames" in schema:
        names = compile_schema(schema["propertyNames"])
        checks.append(lambda v: not isinstance(v, dict) or all(names(k) for k in v))
    if "items" in schema:
        item = compile_schema(schema["items"])

        def check_items(v: Any) -> bool:
            if isinstance(v, list):
                for x in v:
                    if not item(x):
                        return False
            return True

        checks.append(check_items)
    if schema.get("uniqueItems"):
        checks.append(lambda v: not isinstance(v, list) or _unique(v))
    for key, kind in (
        ("minItems", list),
        ("maxItems", list),
        ("minProperties", dict),
        ("maxProperties", dict),
    ):
        if key in schema:
            bound, container, at_least = schema[key], kind, key.startswith("min")

            def check_size(v: Any, b: int = bound, c: type = container, low: bool = at_least) -> bool:
                if not isinstance(v, (list, dict)) or not isinstance(v, c):
                    return True
                return len(v) >= b if low else len(v) <= b

            checks.append(check_size)
    if "allOf" in schema:
        every = [compile_schema(s) for s in schema["allOf"]]
        checks.append(lambda v: all(c(v) for c in every))
    if "oneOf" in schema:
        choices = [compile_schema(s) for s in schema["oneOf"]]
        checks.append(lambda v: sum(1 for c in choices if c(v)) == 1)
    if "if" in schema:
        condition = compile_schema(schema["if"])
        then = compile_schema(schema.get("then", True))
        otherwise = compile_schema(schema.get("else", True))
        checks.append(lambda v: then(v) if condition(v) else otherwise(v))
    if "not" in schema:
        inner = compile_schema(schema["not"])
        checks.append(lambda v: not inner(v))
    if "anyOf" in schema:
        options = [compile_schema(s) for s in schema["anyOf"]]
        checks.append(lambda v: any(o(v) for o in options))
    if "format" in schema and schema["format"] == "date":
        date = re.compile(r"^\d{4}-\d{2}-\d{2}$")

        def check_date(v: Any) -> bool:
            import datetime as dt

            if not isinstance(v, str):
                return True
            if not date.match(v):
                return False
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                return False
            return True

        checks.append(check_date)
    if not checks:
        return lambda v: True
    return _every(checks)


def _every(checks: list[Check]) -> Check:
    """True when every check is (each check answers True or False). Written out for two and three,
    the usual counts, and as a loop beyond: ``all()`` over a generator cost about half of the time
    of a valid manifest's check."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)
    all_checks = tuple(checks)

    def check_every(v: Any) -> bool:
        for check in all_checks:  # noqa: SIM110 (a loop: all() over a generator is the slow part)
            if not check(v):
                return False
        return True

    return check_every
