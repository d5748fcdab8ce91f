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
from typing import Any

from .model import Condition, Predicate
from .taxonomy import match_categories_cached

Ctx = dict[str, Any]

OPERATORS: tuple[str, ...] = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "contains_any",
    "contains_all",
    "contains_none",
    "gte",
    "gt",
    "lte",
    "lt",
    "exists",
    "under",
)


class ConditionError(ValueError):
    """A condition that the schema let through but cannot be compiled."""


def _leaf(fact: str, op: str, value: Any) -> Predicate:
    # Each branch builds a closure over plain locals: no dict look-ups of the
    # condition at evaluation time (see the performance notes in bench/).
    if op == "exists":
        want = bool(value)

        def exists(ctx: Ctx) -> bool | None:
            return (fact in ctx) is want

        return exists

    if op == "equals":

        def equals(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            return None if v is _MISSING else v == value

        return equals
    if op == "not_equals":

        def not_equals(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            return None if v is _MISSING else v != value

        return not_equals
    if op in ("in", "not_in"):
        members = frozenset(value)
        positive = op == "in"

        def in_(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING or isinstance(v, (list, dict)):
                # A list-valued fact needs contains_*; `in` on it is undecidable.
                return None
            return (v in members) is positive

        return in_
    if op in ("contains_any", "contains_all", "contains_none"):
        members = frozenset(value)

        def contains(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING:
                return None
            items = v if isinstance(v, (list, tuple, set, frozenset)) else (v,)
            if op == "contains_all":
                return members.issubset(items)
            shared = not members.isdisjoint(items)
            return shared if op == "contains_any" else not shared

        return contains
    if op in ("gte", "gt", "lte", "lt"):
        bound = value
        compare: Callable[[Any], bool] = {
            "gte": lambda v: v >= bound,
            "gt": lambda v: v > bound,
            "lte": lambda v: v <= bound,
            "lt": lambda v: v < bound,
        }[op]

        def numeric(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING or isinstance(v, bool) or not isinstance(v, (int, float)):
                return None
            return compare(v)

        return numeric
    if op == "under":
        keys = tuple(value)

        def under(ctx: Ctx) -> bool | None:
            v = ctx.get(fact, _MISSING)
            if v is _MISSING:
                return None
            return match_categories_cached(tuple(v), keys)

        return under
    raise ConditionError(f"unknown operator {op!r}")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


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


def compile_condition(source: dict[str, Any]) -> Condition:
    """Compile a condition (already schema-valid) into a :class:`Condition`."""
    facts: list[str] = []
    predicate = _compile(source, facts)
    return Condition(source=source, predicate=predicate, facts=tuple(dict.fromkeys(facts)))


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
    words = {
        "equals": "is",
        "not_equals": "is not",
        "in": "is one of",
        "not_in": "is none of",
        "contains_any": "includes any of",
        "contains_all": "includes all of",
        "contains_none": "includes none of",
        "gte": "≥",
        "gt": ">",
        "lte": "≤",
        "lt": "<",
        "exists": "is stated:",
        "under": "includes data under",
    }
    return [f"{pad}{source['fact']} {words[op]} {shown}"]
