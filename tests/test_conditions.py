"""The condition language: operators, three-valued logic, and property tests."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defa_check.packs.conditions import compile_condition, describe


def run(cond: dict[str, Any], ctx: dict[str, Any]) -> bool | None:
    return compile_condition(cond).predicate(ctx)


@pytest.mark.parametrize(
    ("cond", "ctx", "expected"),
    [
        ({"fact": "a", "equals": "SG"}, {"a": "SG"}, True),
        ({"fact": "a", "equals": "SG"}, {"a": "VN"}, False),
        ({"fact": "a", "equals": "SG"}, {}, None),
        ({"fact": "a", "not_equals": "SG"}, {"a": "VN"}, True),
        ({"fact": "a", "in": ["SG", "VN"]}, {"a": "VN"}, True),
        ({"fact": "a", "not_in": ["SG", "VN"]}, {"a": "VN"}, False),
        ({"fact": "a", "contains_any": ["x", "y"]}, {"a": ["y", "z"]}, True),
        ({"fact": "a", "contains_any": ["x"]}, {"a": []}, False),
        ({"fact": "a", "contains_all": ["x", "y"]}, {"a": ["y", "x", "z"]}, True),
        ({"fact": "a", "contains_all": ["x", "y"]}, {"a": ["y"]}, False),
        ({"fact": "a", "contains_none": ["none"]}, {"a": ["consent"]}, True),
        ({"fact": "a", "contains_none": ["none"]}, {"a": ["none"]}, False),
        ({"fact": "n", "gte": 10}, {"n": 10}, True),
        ({"fact": "n", "gt": 10}, {"n": 10}, False),
        ({"fact": "n", "lte": 72}, {"n": 72.0}, True),
        ({"fact": "n", "lt": 72}, {"n": 80}, False),
        ({"fact": "n", "gte": 1}, {"n": True}, None),
        ({"fact": "a", "exists": True}, {}, False),
        ({"fact": "a", "exists": False}, {}, True),
        ({"fact": "c", "under": ["user.biometric"]}, {"c": ["user.biometric.voice"]}, True),
        ({"fact": "c", "under": ["user.biometric"]}, {"c": ["user"]}, None),
        ({"fact": "c", "under": ["user.biometric"]}, {"c": ["user.contact"]}, False),
        ({"fact": "c", "under": ["user.biometric"]}, {"c": ["user.contact", "user.biometric"]}, True),
        ({"fact": "c", "under": ["user.biometric"]}, {"c": []}, False),
    ],
)
def test_leaf_operators(cond: dict[str, Any], ctx: dict[str, Any], expected: bool | None) -> None:
    assert run(cond, ctx) is expected


T = {"fact": "t", "equals": 1}
F = {"fact": "f", "equals": 1}
U = {"fact": "missing", "equals": 1}
CTX = {"t": 1, "f": 0}


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"all": [T, T]}, True),
        ({"all": [T, F]}, False),
        ({"all": [U, F]}, False),
        ({"all": [T, U]}, None),
        ({"any": [F, T]}, True),
        ({"any": [U, T]}, True),
        ({"any": [F, U]}, None),
        ({"any": [F, F]}, False),
        ({"not": T}, False),
        ({"not": U}, None),
    ],
)
def test_three_valued_logic(cond: dict[str, Any], expected: bool | None) -> None:
    assert run(cond, CTX) is expected


def test_facts_are_collected_once() -> None:
    cond = compile_condition({"all": [T, {"any": [T, U]}, {"not": F}]})
    assert cond.facts == ("t", "missing", "f")


def test_describe_reads_as_text() -> None:
    assert describe(
        {"all": [{"fact": "flow.to", "in": ["SG", "VN"]}, {"not": {"fact": "x", "exists": True}}]}
    ) == [
        "all of:",
        "  flow.to is one of SG, VN",
        "  not:",
        "    x is stated: true",
    ]


# --- property tests: random conditions over random contexts -------------------------------

FACT_NAMES = ["a", "b", "c"]
values = st.one_of(st.integers(-5, 5), st.sampled_from(["x", "y"]), st.booleans())
leaves = st.one_of(
    st.builds(lambda f, v: {"fact": f, "equals": v}, st.sampled_from(FACT_NAMES), values),
    st.builds(lambda f, v: {"fact": f, "in": v}, st.sampled_from(FACT_NAMES), st.lists(values, max_size=3)),
    st.builds(lambda f, v: {"fact": f, "gte": v}, st.sampled_from(FACT_NAMES), st.integers(-5, 5)),
    st.builds(lambda f, v: {"fact": f, "exists": v}, st.sampled_from(FACT_NAMES), st.booleans()),
    st.builds(
        lambda f, v: {"fact": f, "contains_any": v}, st.sampled_from(FACT_NAMES), st.lists(values, max_size=3)
    ),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)
contexts = st.dictionaries(
    st.sampled_from(FACT_NAMES), st.one_of(values, st.lists(values, max_size=3)), max_size=3
)


@settings(max_examples=300, deadline=None)
@given(conditions, contexts)
def test_result_is_three_valued_and_not_is_an_involution(cond: dict[str, Any], ctx: dict[str, Any]) -> None:
    result = run(cond, ctx)
    assert result in (True, False, None)
    assert run({"not": {"not": cond}}, ctx) is result


@settings(max_examples=300, deadline=None)
@given(conditions, conditions, contexts)
def test_de_morgan_holds_in_three_valued_logic(
    a: dict[str, Any], b: dict[str, Any], ctx: dict[str, Any]
) -> None:
    left = run({"not": {"all": [a, b]}}, ctx)
    right = run({"any": [{"not": a}, {"not": b}]}, ctx)
    assert left is right


@settings(max_examples=200, deadline=None)
@given(conditions, contexts, st.sampled_from(FACT_NAMES), values)
def test_stating_a_fact_never_turns_a_decided_result_unknown(
    cond: dict[str, Any], ctx: dict[str, Any], fact: str, value: Any
) -> None:
    """Monotonic in knowledge, for conditions without `exists`: more facts only decide more."""
    if "exists" in repr(cond) or fact in ctx:
        return
    before = run(cond, ctx)
    after = run(cond, {**ctx, fact: value})
    if before is not None:
        assert after is before


def test_one_operator_table_compiles_describes_and_matches_the_rules_schema() -> None:
    """The operator table and the rules schema's `leaf` name the same operators with the same values."""
    from defa_check.inputs.schemas import schema
    from defa_check.packs.conditions import OPERATORS

    leaf = schema("rules")["$defs"]["leaf"]["properties"]
    assert {k: v for k, v in leaf.items() if k != "fact"} == {
        op: o.value_schema for op, o in OPERATORS.items()
    }
    for op, operator in OPERATORS.items():
        value = (
            [1]
            if operator.value_schema.get("type") == "array" or "scalars" in str(operator.value_schema)
            else 1
        )
        if op == "exists":
            value = True
        assert callable(compile_condition({"fact": "x", op: value}).predicate)
        assert describe({"fact": "x", op: value})[0].startswith(f"x {operator.words}")


def test_every_fact_has_plain_words() -> None:
    from defa_check.packs.facts import FACTS
    from defa_check.packs.phrases import LABELS, VERBS, YES_NO

    assert set(FACTS) - set(LABELS) - set(YES_NO) - set(VERBS) == set()


def test_reasons_name_what_held_in_plain_words() -> None:
    from defa_check.packs.phrases import reason

    ctx = {
        "flow.leaves_country": True,
        "flow.to": "US",
        "flow.legal_bases": ["contract"],
        "org.size": "small",
    }
    assert (
        reason({"fact": "flow.leaves_country", "equals": True}, True, ctx, "Viet Nam")
        == "the data leaves Viet Nam"
    )
    assert reason({"fact": "flow.leaves_country", "equals": True}, False, {}, "Viet Nam") == (
        "the data does not leave Viet Nam"
    )
    assert (
        reason({"fact": "flow.to", "equals": "VN"}, False, ctx, "Viet Nam") == "the data goes to US, not VN"
    )
    assert reason({"fact": "flow.legal_bases", "contains_any": ["consent", "contract"]}, True, ctx, "X") == (
        "the legal bases include contract"
    )
    assert reason({"fact": "org.size", "in": ["micro"]}, False, ctx, "X") == "your size is small (not micro)"
