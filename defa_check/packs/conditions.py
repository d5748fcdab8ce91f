"""The condition language of rule packs, compiled once into Python closures.

A condition is data (validated by the rules schema): ``all``/``any``/``not`` and
leaves ``{fact: NAME, OPERATOR: VALUE}``. Nothing in a pack is executed as code:
each operator is one of the closures below, picked from a fixed table.

Logic is three-valued. A predicate returns True, False or None ("unknown": a
fact it needs is not in the manifest). ``all`` is False if any part is False,
else unknown if any part is unknown; ``any`` is True if any part is True, else
unknown if any part is unknown; ``not`` keeps unknown unknown.
"""

from __future__ import annotations

from collections.abc import Callable

from defa_check.inputs.taxonomy import match_categories_cached
from defa_check.model import Between, Condition, Predicate
from defa_check.records import record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Ctx: TypeAlias = "dict[str, Any]"


class ConditionError(ValueError):
    """A condition that the schema let through but cannot be compiled."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()

# Each builder returns a closure over plain locals: no dict look-ups of the
# condition at evaluation time (see the performance notes in bench/).


def _exists(fact: str, value: Any) -> Predicate:
    want = bool(value)

    def exists(ctx: Ctx) -> bool | None:
        return (fact in ctx) is want

    return exists


def _equals(fact: str, value: Any) -> Predicate:
    def equals(ctx: Ctx) -> bool | None:
        v = ctx.get(fact, _MISSING)
        return None if v is _MISSING else v == value

    return equals


def _not_equals(fact: str, value: Any) -> Predicate:
    def not_equals(ctx: Ctx) -> bool | None:
        v = ctx.get(fact, _MISSING)
        return None if v is _MISSING else v != value

    return not_equals


def _membership(positive: bool) -> Callable[[str, Any], Predicate]:
    def build(fact: str, value: Any) -> Predicate:
        members = frozenset(value)

        def in_(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING or isinstance(v, (list, dict)):
                # A list-valued fact needs contains_*; `in` on it is undecidable.
                return None
            return (v in members) is positive

        return in_

    return build


def _contains(mode: str) -> Callable[[str, Any], Predicate]:
    def build(fact: str, value: Any) -> Predicate:
        members = frozenset(value)

        def contains(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING:
                return None
            items = v if isinstance(v, (list, tuple, set, frozenset)) else (v,)
            if mode == "all":
                return members.issubset(items)
            shared = not members.isdisjoint(items)
            return shared if mode == "any" else not shared

        return contains

    return build


def _numeric(compare: Callable[[Any, Any], bool]) -> Callable[[str, Any], Predicate]:
    def build(fact: str, bound: Any) -> Predicate:
        def numeric(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if type(v) is Between:
                at_low, at_high = compare(v.low, bound), compare(v.high, bound)
                return at_low if at_low == at_high else None
            if v is _MISSING or isinstance(v, bool) or not isinstance(v, (int, float)):
                return None
            return compare(v, bound)

        return numeric

    return build


def _under(fact: str, value: Any) -> Predicate:
    keys = tuple(value)

    def under(ctx: Ctx) -> bool | None:
        v = ctx.get(fact, _MISSING)
        if v is _MISSING:
            return None
        return match_categories_cached(tuple(v), keys)

    return under


@record
class Operator:
    """One operator of the condition language: how it reads, what value it takes, how it evaluates."""

    words: str
    """How `explain` and the rule catalogue say it: "fact <words> value"."""
    value_schema: dict[str, Any]
    """The JSON Schema of its value (the rules schema's `leaf` must say the same; a test checks)."""
    build: Callable[[str, Any], Predicate]


_SCALAR = {"$ref": "#/$defs/scalar"}
_SCALARS = {"$ref": "#/$defs/scalars"}
_NUMBER = {"type": "number"}

OPERATORS: dict[str, Operator] = {
    "equals": Operator("is", _SCALAR, _equals),
    "not_equals": Operator("is not", _SCALAR, _not_equals),
    "in": Operator("is one of", _SCALARS, _membership(True)),
    "not_in": Operator("is none of", _SCALARS, _membership(False)),
    "contains_any": Operator("includes any of", _SCALARS, _contains("any")),
    "contains_all": Operator("includes all of", _SCALARS, _contains("all")),
    "contains_none": Operator("includes none of", _SCALARS, _contains("none")),
    "gte": Operator("≥", _NUMBER, _numeric(lambda v, b: v >= b)),
    "gt": Operator(">", _NUMBER, _numeric(lambda v, b: v > b)),
    "lte": Operator("≤", _NUMBER, _numeric(lambda v, b: v <= b)),
    "lt": Operator("<", _NUMBER, _numeric(lambda v, b: v < b)),
    "exists": Operator("is stated:", {"type": "boolean"}, _exists),
    "under": Operator(
        "includes data under", {"type": "array", "minItems": 1, "items": {"type": "string"}}, _under
    ),
}
"""The operators of a leaf condition: the one table that compiles, describes and is documented."""


def _leaf(fact: str, op: str, value: Any) -> Predicate:
    operator = OPERATORS.get(op)
    if operator is None:
        raise ConditionError(f"unknown operator {op!r}")
    return operator.build(fact, value)


def _all(parts: list[Predicate]) -> Predicate:
    def all_(ctx: Ctx) -> bool | None:
        unknown = False
        for part in parts:
            r = part(ctx)
            if r is False:
                return False
            if r is None:
                unknown = True
        return None if unknown else True

    return all_


def _any(parts: list[Predicate]) -> Predicate:
    def any_(ctx: Ctx) -> bool | None:
        unknown = False
        for part in parts:
            r = part(ctx)
            if r is True:
                return True
            if r is None:
                unknown = True
        return None if unknown else False

    return any_


def _not(part: Predicate) -> Predicate:
    def not_(ctx: Ctx) -> bool | None:
        r = part(ctx)
        return None if r is None else not r

    return not_


def _compile(source: dict[str, Any], facts: list[str]) -> Predicate:
    if "all" in source:
        parts = [_compile(c, facts) for c in source["all"]]
        return parts[0] if len(parts) == 1 else _all(parts)
    if "any" in source:
        parts = [_compile(c, facts) for c in source["any"]]
        return parts[0] if len(parts) == 1 else _any(parts)
    if "not" in source:
        return _not(_compile(source["not"], facts))
    fact = source.get("fact")
    ops = [k for k in source if k != "fact"]
    if not isinstance(fact, str) or len(ops) != 1:
        raise ConditionError("a leaf needs `fact` and exactly one operator")
    facts.append(fact)
    return _leaf(fact, ops[0], source[ops[0]])


Explainer: TypeAlias = "Callable[[Ctx, bool], list[tuple[dict[str, Any], bool]]]"
"""The leaves that give a node the wanted value, each with its own value: under a ``not`` a
leaf that is false makes the node true, and must be worded as false."""


def _group_explainer(nodes: list[tuple[Predicate, Explainer]], is_all: bool) -> Explainer:
    def explain_group(ctx: Ctx, want: bool) -> list[tuple[dict[str, Any], bool]]:
        out: list[tuple[dict[str, Any], bool]] = []
        for predicate, explain in nodes:
            if predicate(ctx) is want:
                if want is not is_all:  # any-true / all-false: one witness is enough
                    return explain(ctx, want)
                out += explain(ctx, want)
        return out

    return explain_group


def _explainer(source: dict[str, Any]) -> tuple[Predicate, Explainer]:
    """A node's predicate and a function naming the leaves that give it a wanted value.

    Used only for the findings a reader sees, so evaluation keeps its fast closures.
    """
    for key in ("all", "any"):
        if key in source:
            return _compile(source, []), _group_explainer([_explainer(c) for c in source[key]], key == "all")
    if "not" in source:
        inner_predicate, inner_explain = _explainer(source["not"])
        return _not(inner_predicate), lambda ctx, want: inner_explain(ctx, not want)
    predicate = _compile(source, [])
    return predicate, lambda ctx, want: [(source, want)] if predicate(ctx) is want else []


Unknowns: TypeAlias = "Callable[[Ctx], list[dict[str, Any]]]"


def _unknowns(source: dict[str, Any]) -> tuple[Predicate, Unknowns]:
    """A node's predicate and a function naming the leaves whose unknown value makes it unknown.

    An unknown ``all`` has no false part and an unknown ``any`` no true part, so its unknown
    parts are exactly those that keep it from being decided; a part that is decided (a false
    branch of an ``any``) does not matter, whatever facts it lacks.
    """
    for key in ("all", "any"):
        if key in source:
            parts = [_unknowns(c) for c in source[key]]

            def group(ctx: Ctx, parts: list[tuple[Predicate, Unknowns]] = parts) -> list[dict[str, Any]]:
                out: list[dict[str, Any]] = []
                for predicate, unknown in parts:
                    if predicate(ctx) is None:
                        out += unknown(ctx)
                return out

            return _compile(source, []), group
    if "not" in source:
        inner_predicate, inner_unknown = _unknowns(source["not"])
        return _not(inner_predicate), inner_unknown
    predicate = _compile(source, [])
    return predicate, lambda ctx: [source] if predicate(ctx) is None else []


def compile_condition(source: dict[str, Any]) -> Condition:
    """Compile a condition (already schema-valid) into a :class:`Condition`."""
    facts: list[str] = []
    predicate = _compile(source, facts)
    return Condition(
        source=source,
        predicate=predicate,
        facts=tuple(dict.fromkeys(facts)),
        explain=_LazyExplainer(source),
        unknown=_LazyUnknowns(source),
    )


class _LazyUnknowns:
    """Builds the closures naming unknown leaves on first use: only needs_info outcomes need them."""

    __slots__ = ("_source", "_unknown")

    def __init__(self, source: dict[str, Any]) -> None:
        self._source = source
        self._unknown: Unknowns | None = None

    def __call__(self, ctx: Ctx) -> list[dict[str, Any]]:
        if self._unknown is None:
            self._unknown = _unknowns(self._source)[1]
        return self._unknown(ctx)


class _LazyExplainer:
    """Builds the explaining closures on first use: most rules in a run never need them."""

    __slots__ = ("_explain", "_source")

    def __init__(self, source: dict[str, Any]) -> None:
        self._source = source
        self._explain: Explainer | None = None

    def __call__(self, ctx: Ctx, want: bool) -> list[tuple[dict[str, Any], bool]]:
        if self._explain is None:
            self._explain = _explainer(self._source)[1]
        return self._explain(ctx, want)


def describe(source: dict[str, Any], indent: int = 0) -> list[str]:
    """The condition as indented plain-text lines, for `explain` and the docs."""
    pad = "  " * indent
    if "all" in source:
        lines = [f"{pad}all of:"]
        for c in source["all"]:
            lines += describe(c, indent + 1)
        return lines
    if "any" in source:
        lines = [f"{pad}any of:"]
        for c in source["any"]:
            lines += describe(c, indent + 1)
        return lines
    if "not" in source:
        return [f"{pad}not:", *describe(source["not"], indent + 1)]
    op = next(k for k in source if k != "fact")
    value = source[op]
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        shown = str(value).lower()
    else:
        shown = str(value)
    return [f"{pad}{source['fact']} {OPERATORS[op].words} {shown}"]
