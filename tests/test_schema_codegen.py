"""The generated yes/no schema checks (issue #20): up to date with the schemas, and faithful.

The shipped schemas' checks are held to jsonschema by the property tests in
test_properties.py (manifests, profiles, saved reports, waiver files). Here: the
module matches what the generator writes from today's schemas, and every keyword and
shortcut of the generator agrees with jsonschema on small schemas and edge values,
including those the shipped schemas do not combine (a type known in advance, a list of
text checked as a set, text uniqueness checked after the items).
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defa_check.inputs import schema_codegen
from defa_check.inputs.schema_predicate import Unsupported


def test_the_generated_module_is_up_to_date_with_the_schemas() -> None:
    written = schema_codegen.GENERATED.read_text("utf-8")
    fresh = schema_codegen.generate(schema_codegen.shipped_schemas())
    assert written == fresh, "run: python -m defa_check.inputs.schema_codegen"


def test_every_schema_the_checks_are_asked_for_has_one() -> None:
    from defa_check.inputs.schema_checks import CHECKS

    assert set(CHECKS) == {"country", "manifest", "report", "waivers"}


def compiled(schema: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(schema_codegen.generate({"s": schema}), namespace)  # our own generator's output, for the test
    return namespace["CHECKS"]["s"]


TEXT = {"type": "string"}


def nested(schema: Any, depth: int) -> Any:
    for _ in range(depth):
        schema = {"type": "object", "properties": {"n": schema}}
    return schema


SCHEMAS: list[Any] = [
    {"type": "object", "properties": {"a": TEXT, "b": {"type": "integer", "minimum": 0}}, "required": ["a"]},
    {"type": "object", "properties": {"a": TEXT}, "additionalProperties": False},
    {"properties": {"a": TEXT}, "additionalProperties": {"type": "boolean"}},
    {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "maxProperties": 2, "minProperties": 1},
    {"type": "array", "items": {"enum": ["x", "y", "z"]}, "uniqueItems": True},
    {"items": {"type": "string", "enum": ["x", "y"]}, "uniqueItems": True, "maxItems": 2},
    {"type": "array", "items": {"type": "string", "maxLength": 2}, "uniqueItems": True, "minItems": 1},
    {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
    {"type": "array", "uniqueItems": True},
    {"type": ["string", "null"], "minLength": 2, "pattern": "^a"},
    {"type": "number", "minimum": 1.5, "maximum": 3},
    {"type": "integer", "enum": ["1", "2"]},
    {"enum": [1, "1", True, None, [1], {"a": 1}]},
    {"const": {"a": [1, 2]}},
    {"const": 1},
    {"type": "string", "format": "date"},
    {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    {"not": {"type": "string"}, "allOf": [{"minimum": 2}, {"maximum": 5}]},
    {"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
    nested({"type": "boolean"}, 8),  # deeper than one function holds: a function of its own
]  # fmt: skip
LEAVES = st.sampled_from(
    ["", "a", "ab", "abc", "x", "y", "z", "A", "2026-02-30", "2026-01-01", "2026-01-01\n", 0, 1, 1.0, 2.5,
     -1, 4, True, False, None]
)  # fmt: skip
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["a", "b", "c", "n"]), inner),
    max_leaves=12,
)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: str(sorted(s)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES)
def test_each_keyword_agrees_with_jsonschema(schema: Any, value: Any) -> None:
    valid = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(value)
    assert compiled(schema)(value) is valid


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "array", "items": {"enum": ["x"]}}, ["x", ["x"]], False),  # an unhashable item is no member
        ({"type": "array", "items": {"enum": ["x"]}}, ["x", {"x": 1}], False),
        ({"type": "array", "items": {"enum": ["x", "y"]}, "uniqueItems": True}, ["x", "y", "x"], False),
        ({"type": "array", "items": TEXT, "uniqueItems": True}, ["a", ["a"]], False),  # no set() of a list
        ({"type": "array", "items": TEXT, "uniqueItems": True}, ["a", "b"], True),
        ({"type": "array", "uniqueItems": True}, [[1], [1.0]], False),  # JSON: 1 is 1.0
        ({"type": "array", "uniqueItems": True}, [[1], [True]], True),  # ... and true is not 1
        ({"type": "array", "uniqueItems": True}, [{"a": [1]}, {"a": [1.0]}], False),
        ({"type": "array", "uniqueItems": True}, [1, True, "1", None, 0, False], True),
        ({"enum": [[1]]}, [1.0], True),
        ({"enum": [[1]]}, [True], False),
        ({"const": {"a": 1}}, {"a": 1.0}, True),
        ({"const": {"a": 1}}, {"a": True}, False),
    ],
)
def test_the_shortcuts_never_crash_and_answer_as_jsonschema(schema: Any, value: Any, valid: bool) -> None:
    assert jsonschema.Draft202012Validator(schema).is_valid(value) is valid
    assert compiled(schema)(value) is valid


def test_a_schema_with_a_keyword_it_does_not_know_gets_no_check() -> None:
    source = schema_codegen.generate({"s": {"type": "string", "contentEncoding": "base64"}, "t": TEXT})
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    assert set(namespace["CHECKS"]) == {"t"}
    with pytest.raises(Unsupported):
        schema_codegen._Writer().function(False)
