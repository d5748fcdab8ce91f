"""Writes :mod:`defa_check.inputs.schema_checks`: each shipped JSON Schema as one Python function.

    python -m defa_check.inputs.schema_codegen     # after editing defa_check/schemas/*.json

Most files a user gives are valid, and for a valid file we only need "yes". jsonschema
costs about 150 µs per flow; a compiled validator library (jsonschema-rs) answers in
microseconds but its import costs more than a small manifest's whole check. So each
schema is turned, once, into straight-line Python (an ``if`` per constraint, loops over
lists, no call per value) that Python caches as bytecode like any module; a test fails
when the module is out of date with the schemas.

Only the subset of JSON Schema the shipped schemas use is compiled (type, properties,
required, additionalProperties, items, enum, const, pattern, minimum, minLength,
uniqueItems, not/anyOf/oneOf/allOf, if/then/else, format "date", ...). A schema with
another keyword gets no function, and its files are checked by jsonschema alone. When a
function answers "no", jsonschema words the located errors, so the messages are always
jsonschema's; property tests hold each function to jsonschema's verdict.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from defa_check.inputs.schema_predicate import Unsupported

SCHEMAS = ("country", "manifest", "report", "waivers")
"""The shipped schemas (``defa_check/schemas/<name>.schema.json``) whose files are checked for
"yes" first: the manifest, waiver files, saved reports, and the bundled country profiles."""

GENERATED = Path(__file__).with_name("schema_checks.py")

_KNOWN = {
    "$schema", "$id", "$defs", "title", "description", "type", "properties", "required",
    "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "minLength",
    "uniqueItems", "format", "not", "anyOf", "oneOf", "allOf", "if", "then", "else",
    "minItems", "maxItems", "minProperties", "maxProperties", "maxLength", "propertyNames",
    "examples", "$comment", "default",
}  # fmt: skip

_TYPES = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    # JSON Schema's integer includes 1.0; a boolean is never a number.
    "integer": (
        "((isinstance({v}, int) and not isinstance({v}, bool))"
        " or (isinstance({v}, float) and {v}.is_integer()))"
    ),
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
}

_NESTING = 6
"""Schemas nested deeper than this inside one function become functions of their own
(Python allows 20 nested blocks; each level here opens up to three)."""


_GUARDS = {
    "str": "not isinstance({v}, str)",
    "list": "not isinstance({v}, list)",
    "dict": "not isinstance({v}, dict)",
    "number": "isinstance({v}, bool) or not isinstance({v}, (int, float))",
}
"""What lets a value through a constraint that applies to one kind of value only."""

_TYPES_OF_KIND = {"str": {"string"}, "list": {"array"}, "dict": {"object"}, "number": {"integer", "number"}}
_KIND_OF_TYPE = {"dict": "object", "list": "array"}

_ANNOTATIONS = {"title", "description", "examples", "$comment", "default"}


def _is_text(schema: Any) -> bool:
    """Whether ``schema`` accepts text only."""
    if not isinstance(schema, dict):
        return False
    enum = schema.get("enum")
    texts = isinstance(enum, list) and all(isinstance(e, str) for e in enum)
    return schema.get("type") == "string" or texts


def _only_strings(schema: Any) -> str | None:
    """For a schema that is a list of text values and nothing else, the set of them (as code)."""
    if not isinstance(schema, dict) or set(schema) - _ANNOTATIONS - {"type", "enum"}:
        return None
    enum = schema.get("enum")
    if schema.get("type", "string") != "string" or not isinstance(enum, list):
        return None
    if not all(isinstance(e, str) for e in enum):
        return None
    return f"frozenset[str]({sorted(enum)!r})"


class _Writer:
    """The module being written: its constants and functions, shared between schemas."""

    def __init__(self) -> None:
        self.constants: dict[str, str] = {}  # the expression that builds a constant -> its name
        self.functions: dict[str, str] = {}  # a schema (as canonical JSON) -> its function's name
        self.sources: list[str] = []

    def constant(self, expression: str, prefix: str) -> str:
        if expression not in self.constants:
            self.constants[expression] = f"_{prefix}{len(self.constants)}"
        return self.constants[expression]

    def function(self, schema: Any) -> str:
        """The name of a function ``(value) -> bool`` for ``schema``, written once per distinct schema."""
        key = json.dumps(schema, sort_keys=True)
        name = self.functions.get(key)
        if name is None:
            name = self.functions[key] = f"_check{len(self.functions)}"
            body = self.statements(schema, "v", 1, 0)
            self.sources.append("\n".join([f"def {name}(v: Any) -> bool:", *body, "    return True"]))
        return name

    def statements(self, schema: Any, v: str, indent: int, depth: int) -> list[str]:
        """Lines (at ``indent`` levels) that ``return False`` unless ``v`` is valid under ``schema``."""
        pad = "    " * indent
        if schema is True or schema == {}:
            return []
        if not isinstance(schema, dict):
            raise Unsupported("boolean false schema")
        unknown = set(schema) - _KNOWN
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if depth >= _NESTING:
            return [f"{pad}if not {self.function(schema)}({v}):", f"{pad}    return False"]
        known = schema.get("type") if isinstance(schema.get("type"), str) else None
        items = schema.get("items", True)
        strings = _only_strings(items)  # a list of text: checked as a set
        tests = " and ".join(f"({test})" for test in self.tests(schema, v, known))
        lines = [f"{pad}if not ({tests}):", f"{pad}    return False"] if tests else []
        inner = f"x{depth}"  # the loop variable of this level (a deeper level has its own)
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        block: list[str] = []  # what applies to a mapping
        if properties or extra is not True:
            names = self.constant(f"frozenset[str]({sorted(properties)!r})", "KEYS")
            if extra is False:
                block += [f"{pad}    if not {names}.issuperset({v}):", f"{pad}        return False"]
            elif extra is not True:
                body = self.statements(extra, inner, indent + 3, depth + 1)
                if body:
                    block += [f"{pad}    for key, {inner} in {v}.items():"]
                    block += [f"{pad}        if key not in {names}:", *body]
            for key, sub in properties.items():
                body = self.statements(sub, inner, indent + 2, depth + 1)
                if body:
                    block += [f"{pad}    {inner} = {v}.get({key!r}, _ABSENT)"]
                    block += [f"{pad}    if {inner} is not _ABSENT:", *body]
        if "propertyNames" in schema:
            body = self.statements(schema["propertyNames"], inner, indent + 2, depth + 1)
            if body:
                block += [f"{pad}    for {inner} in {v}:", *body]
        lines += self._within(block, "dict", known, v, pad)
        block = []
        if strings is not None:
            members = self.constant(strings, "ENUM")
            block += [f"{pad}    if not all_in({members}, {v}):", f"{pad}        return False"]
        elif items is not True:
            body = self.statements(items, inner, indent + 2, depth + 1)
            if body:
                block += [f"{pad}    for {inner} in {v}:", *body]
        if schema.get("uniqueItems") and _is_text(items):
            # After the items: a set of text is JSON's equality, and every item is text by now.
            block += [f"{pad}    if len(set({v})) != len({v}):", f"{pad}        return False"]
        lines += self._within(block, "list", known, v, pad)
        return lines

    @staticmethod
    def _within(block: list[str], kind: str, known: str | None, v: str, pad: str) -> list[str]:
        """``block`` (indented one level) run only when ``v`` is a ``kind``."""
        if not block:
            return []
        if known == _KIND_OF_TYPE.get(kind):
            return [line[4:] for line in block]  # the type test already returned on anything else
        if known is not None:
            return []  # of another type: the type test already returned
        return [f"{pad}if isinstance({v}, {kind}):", *block]

    def tests(self, schema: dict[str, Any], v: str, known: str | None) -> list[str]:
        """The constraints of ``schema`` on ``v`` that one expression each can test, the type first
        (the others read ``v`` only as the type they apply to, and need no guard once it is known)."""
        tests: list[str] = []

        def test(kind: str, condition: str) -> None:
            if known is None:
                guard = _GUARDS[kind].format(v=v)
                tests.append(f"{guard} or {condition}")
            elif known in _TYPES_OF_KIND[kind]:
                tests.append(condition)
            # else: a value of another type, which the type test turned down

        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            for name in types:
                if name not in _TYPES:
                    raise Unsupported(f"type {name}")
            tests.append(" or ".join(_TYPES[name].format(v=v) for name in types))
        if "const" in schema:
            tests.append(f"json_equal({v}, {self.value(schema['const'])})")
        if "enum" in schema:
            values = schema["enum"]
            if all(isinstance(e, str) for e in values):
                members = self.constant(f"frozenset[str]({sorted(values)!r})", "ENUM")
                member = f"{v} in {members}"
                tests.append(member if known == "string" else f"isinstance({v}, str) and {member}")
            else:
                tests.append(f"any(json_equal({v}, e) for e in {self.value(values)})")
        if "pattern" in schema:
            regex = self.constant(f"ecma_regex({schema['pattern']!r})", "PATTERN")
            test("str", f"{regex}.search({v}) is not None")
        for key, sign in (("minLength", ">="), ("maxLength", "<=")):
            if key in schema:
                test("str", f"len({v}) {sign} {schema[key]!r}")
        for key, sign in (("minimum", ">="), ("maximum", "<=")):
            if key in schema:
                test("number", f"{v} {sign} {schema[key]!r}")
        if schema.get("required"):
            test("dict", " and ".join(f"{key!r} in {v}" for key in schema["required"]))
        if schema.get("uniqueItems") and not _is_text(schema.get("items", True)):
            test("list", f"unique_items({v})")
        for key, kind, sign in (
            ("minItems", "list", ">="),
            ("maxItems", "list", "<="),
            ("minProperties", "dict", ">="),
            ("maxProperties", "dict", "<="),
        ):
            if key in schema:
                test(kind, f"len({v}) {sign} {schema[key]!r}")
        for sub in schema.get("allOf", ()):
            tests.append(f"{self.function(sub)}({v})")
        if "oneOf" in schema:
            calls = ", ".join(f"{self.function(sub)}({v})" for sub in schema["oneOf"])
            tests.append(f"[{calls}].count(True) == 1")
        if "if" in schema:
            condition = self.function(schema["if"])
            then = self.function(schema.get("then", True))
            otherwise = self.function(schema.get("else", True))
            tests.append(f"({then}({v}) if {condition}({v}) else {otherwise}({v}))")
        if "not" in schema:
            tests.append(f"not {self.function(schema['not'])}({v})")
        if "anyOf" in schema:
            tests.append(" or ".join(f"{self.function(sub)}({v})" for sub in schema["anyOf"]))
        if schema.get("format") == "date":
            test("str", f"is_date({v})")
        return tests

    def value(self, value: Any) -> str:
        """A JSON value as a module constant (its literal when it is a plain one)."""
        if value is None or isinstance(value, (bool, int, float, str)):
            return repr(value)
        return self.constant(f"json.loads({json.dumps(value, sort_keys=True)!r})", "VALUE")


def generate(schemas: dict[str, Any]) -> str:
    """The source of :mod:`schema_checks` for ``schemas`` (name -> schema, ``$ref``s inlined)."""
    writer = _Writer()
    checks: dict[str, str] = {}
    for name, schema in schemas.items():
        try:
            checks[name] = writer.function(schema)
        except Unsupported:
            continue  # checked by jsonschema alone
    constants = [f"{name} = {expression}" for expression, name in writer.constants.items()]
    table = ",\n".join(f"    {name!r}: {function}" for name, function in checks.items())
    return "\n".join(
        [
            '"""Yes/no checks of the shipped JSON Schemas, written by :mod:`schema_codegen`.',
            "",
            "Do not edit: run ``python -m defa_check.inputs.schema_codegen`` after changing a schema",
            '(a test fails until it is run)."""',
            "",
            "# fmt: off",
            "# ruff: noqa",
            "from __future__ import annotations",
            "",
            "import json",
            "from collections.abc import Callable",
            "",
            "from defa_check.inputs.schema_predicate import (",
            "    all_in, ecma_regex, is_date, json_equal, unique_items,",
            ")",
            "",
            "TYPE_CHECKING = False  # typing is imported for type checkers only (start-up)",
            "if TYPE_CHECKING:",
            "    from typing import Any",
            "",
            "_ABSENT = object()",
            *constants,
            "",
            *(source + "\n" for source in writer.sources),
            "CHECKS: dict[str, Callable[[Any], bool]] = {",
            table + ",",
            "}",
            "",
        ]
    )


def shipped_schemas() -> dict[str, Any]:
    """The shipped schemas, ``$ref``s inlined, by name."""
    from defa_check.inputs.schemas import inlined_schema

    out = {}
    for name in SCHEMAS:
        try:
            out[name] = inlined_schema(name)
        except Unsupported:  # recursive: the rules schema's conditions refer to themselves
            continue
    return out


def main() -> None:
    GENERATED.write_text(generate(shipped_schemas()), "utf-8")
    print(f"wrote {GENERATED}")


if __name__ == "__main__":
    main()
