"""The JSON Schemas defa-check ships, one validator each, and schema errors as located problems.

Every user file (manifest, waiver file, settings, saved report) and every rule
pack is checked against one of these schemas. An error becomes a
:class:`~defa_check.model.Problem` with ``file:line:col`` and plain wording;
a manifest that is valid takes the compiled yes/no check
(:mod:`defa_check.inputs.schema_checks`) and never builds an error.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator

from defa_check.inputs.source import Document
from defa_check.inputs.suggest import did_you_mean, what_to_write
from defa_check.inputs.suggest import hint as hint_for
from defa_check.model import Problem, kind_of, quote, shorten

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package (manifest, rules, pack, country, report)."""
    from defa_check.inputs.bundle import PACKAGE

    text = (PACKAGE / "schemas" / f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


_ANNOTATIONS = {"description", "title", "examples", "$comment", "default"}
"""Keywords that describe a schema without constraining it: a `$ref` beside them can be inlined."""


def _inline_refs(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """The schema with local `#/$defs/...` references replaced by their targets.

    jsonschema resolves each `$ref` on every visit; inlining them once makes
    validation of a large manifest about twice as fast. Only non-recursive
    schemas are inlined (the rules schema's conditions refer to themselves).
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if isinstance(ref, str) and ref.startswith("#/$defs/") and set(siblings) <= _ANNOTATIONS:
            if depth > 12:
                from defa_check.inputs.schema_predicate import Unsupported

                raise Unsupported("recursive schema")
            target = _inline_refs(defs[ref[len("#/$defs/") :]], defs, depth + 1)
            return {**target, **siblings} if isinstance(target, dict) else target
        return {k: (v if k == "$defs" else _inline_refs(v, defs, depth)) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs, depth) for v in node]
    return node


_ENUM_SETS: dict[int, frozenset[str]] = {}  # the schema's enum lists live as long as the process


def _fast_enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Any:
    """`enum` by set membership for string enums (the country list has 249 values)."""
    members = _ENUM_SETS.get(id(enums))
    if members is None:
        members = frozenset(enums) if all(isinstance(e, str) for e in enums) else frozenset()
        _ENUM_SETS[id(enums)] = members
    if isinstance(instance, str) and members:
        if instance not in members:
            from jsonschema.exceptions import ValidationError

            yield ValidationError(f"{quote(instance)} is not one of {enums!r}")
        return
    from defa_check.inputs.schema_predicate import json_equal

    if not any(json_equal(instance, e) for e in enums):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{quote(instance)} is not one of {enums!r}")


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """`pattern` with ECMA-262's meaning of ``$`` (the very end; see :func:`ecma_regex`)."""
    from defa_check.inputs.schema_predicate import ecma_regex

    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{quote(instance)} does not match {pattern!r}")


def _max_length(validator: Any, most: int, instance: Any, schema: Any) -> Any:
    """`maxLength` worded without the value (jsonschema's message repeats all 60 MB of it)."""
    if isinstance(instance, str) and len(instance) > most:
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"text of {len(instance):,} characters is too long (at most {most:,})")


def _additional_properties_in_order(
    validator: Any, allowed: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    """jsonschema's `additionalProperties`, checking the extra keys in the file's order.

    jsonschema checks them in the order of a set, which changes with the interpreter's hash
    seed; problems are taken lazily up to a limit, so a report with more problems than the
    limit would list a different first hundred on each run (a user trial found one).
    Only the schema case differs; `false` words its one error as jsonschema does.
    """
    if validator.is_type(instance, "object") and validator.is_type(allowed, "object"):
        properties = schema.get("properties", {})
        patterns = "|".join(schema.get("patternProperties", {}))
        for key in instance:
            if key not in properties and not (patterns and re.search(patterns, key)):
                yield from validator.descend(instance[key], allowed, path=key)
        return
    from jsonschema import Draft202012Validator

    yield from Draft202012Validator.VALIDATORS["additionalProperties"](validator, allowed, instance, schema)


@functools.cache
def validator(name: str) -> Any:
    """One validator per schema, built once: the same schema, faster keyword implementations."""
    from jsonschema import Draft202012Validator, validators

    fast = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        {
            "enum": _fast_enum,
            "pattern": _ecma_pattern,
            "maxLength": _max_length,
            "additionalProperties": _additional_properties_in_order,
        },
    )
    inlined = schema(name) if name == "rules" else inlined_schema(name)
    return fast(inlined, format_checker=Draft202012Validator.FORMAT_CHECKER)


ENGINES = ("compiled", "library")
"""How :func:`quick_check` answers: our compiled closures, or jsonschema-rs (the `fast` extra)."""


@functools.cache
def library_validator(name: str) -> Any:
    """jsonschema-rs's validator for the schema (the `fast` extra), or None when not installed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(schema(name), validate_formats=True)


def inlined_schema(name: str) -> dict[str, Any]:
    """The shipped schema ``name`` with its ``$ref``s inlined (:class:`Unsupported` if recursive)."""
    raw = schema(name)
    inlined: dict[str, Any] = _inline_refs(raw, raw.get("$defs", {}))
    return inlined


@functools.cache
def quick_check(name: str, engine: str = "compiled") -> Callable[[Any], bool] | None:
    """The schema's yes/no check, or None if this engine cannot give one.

    ``compiled``: the schema written out as Python (:mod:`schema_checks`, generated by
    :mod:`schema_codegen`), always there. ``library``: jsonschema-rs, a compiled
    validator library, when installed; faster on a large manifest, but its import costs
    more than a small manifest's whole check, so callers take it for large inputs only.
    Either way a "no" goes to jsonschema for the worded, located errors, and property
    tests hold both to jsonschema's verdicts.
    """
    if engine == "library":
        library = library_validator(name)
        if library is None:
            return None

        def check(instance: Any) -> bool:
            try:
                return bool(library.is_valid(instance))
            except (ValueError, TypeError, OverflowError):  # not JSON-like (a huge integer): ask jsonschema
                return False

        return check
    from defa_check.inputs.schema_checks import CHECKS

    return CHECKS.get(name)


def is_valid_quickly(name: str, instance: Any, large: bool) -> bool:
    """Whether ``instance`` is valid by a compiled yes/no check (jsonschema-rs when ``large``
    and installed, else the compiled closures); False when none can answer or it says no,
    and then jsonschema words the errors."""
    quick = (large and quick_check(name, "library")) or quick_check(name)
    return quick is not None and quick(instance)


def schema_problems(doc: Document, schema_name: str) -> list[Problem]:
    """Every schema error in ``doc``, located (read again exactly if it was read fast)."""
    problems = problems_from_errors(doc, validator(schema_name).iter_errors(doc.data))
    if problems and doc.approximate:
        from defa_check.inputs.source import exact

        precise = exact(doc)
        if not precise.ok:
            return list(precise.problems)
        problems = problems_from_errors(precise, validator(schema_name).iter_errors(precise.data))
    return problems


def _choices_hint(schema: Any, key: str) -> str | None:
    """'one of: period, purpose_ends, indefinite' for a missing field that takes a few set values
    (a re-trial: `retention` without `until` did not say what to write)."""
    field = (schema.get("properties") or {}).get(key) if isinstance(schema, dict) else None
    choices = field.get("enum") if isinstance(field, dict) else None
    if not choices or len(choices) > 12:
        return None
    return "one of: " + ", ".join(map(str, choices))


def json_path(parts: Iterable[Any]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{shorten(str(part))}"  # a key of megabytes
    return out


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}


def _worded(error: Any) -> str:
    """jsonschema's message for ``error``, with a long value it quotes (``repr``) cut by :func:`quote`."""
    message: str = error.message
    if len(message) > 200:
        shown = repr(error.instance)
        if shown in message:
            return message.replace(shown, quote(error.instance))
    return message


def _country_from_name(text: str) -> str | None:
    """'Singapore' -> 'SG', for the did-you-mean of a country written as a name."""
    from defa_check.inputs.geo import COUNTRY_NAMES, suggest_country, to_country

    code = to_country(text)
    if code and code != text:
        return code
    # A misspelt name ('Thialand'): the closest name a person types, as its code.
    name = suggest_country(text)
    return COUNTRY_NAMES.get(name) if name else None


MAX_PROBLEMS = 100
"""Problems listed per file. More are not worked out at all (a million unknown keys would take
a minute and gigabytes, each with a did-you-mean): the list ends with one saying so."""


DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
"""How the schemas spell a date's shape (with ``format: date`` for a day the calendar has)."""

_LOOSE_DATE = r"\s*([0-9]{1,4})\s*[-/.]\s*([0-9]{1,2})\s*[-/.]\s*([0-9]{1,4})\s*"
"""A day written another way (20/12/2026, 2026-1-5); compiled on first use, by re's cache."""


def date_hint(text: str) -> str:
    """How to write ``text`` as a date the manifest takes: the date itself when the text can only
    mean one day (20/12/2026, 2026-1-5), else the form with an example."""
    import datetime as dt

    found = re.fullmatch(_LOOSE_DATE, text)
    if found:
        a, b, c = (int(part) for part in found.groups())
        if len(found.group(1)) == 4:
            readings = {(a, b, c)}  # year first: year, month, day
        elif len(found.group(3)) == 4:
            readings = {(c, b, a), (c, a, b)}  # day/month/year or month/day/year
        else:
            readings = set()
        days = set()
        for year, month, day in readings:
            try:
                days.add(dt.date(year, month, day))
            except ValueError:
                continue
        if len(days) == 1:
            return f"write {days.pop().isoformat()}"
    return "write the date as YYYY-MM-DD, e.g. 2026-12-20"


_WHOLE = r"-?[0-9]+"
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
"""Text that is a number as it stands ("50", "12.5"): without quotes it would be one. ("4,000"
is not: unquoted it is no number either.)"""


def too_many(doc: Document, at: Problem | None, more: int | None, limit: int = MAX_PROBLEMS) -> Problem:
    """The last problem of a list cut at ``limit``: how many more there are, when that is known."""
    counted = (
        f"… and {more:,} more problem{'' if more == 1 else 's'}"
        if more is not None
        else "… and more problems"
    )
    line, column = (at.line, at.column) if at is not None and at.line is not None else (1, 1)
    return Problem(
        doc.path,
        f"{counted} (listing stops at {limit:,}; fix these and run again)",
        line,
        column,
        at.json_path if at is not None else "$",
        code="too-many-problems",
    )


def problems_from_errors(doc: Document, errors: Iterable[Any], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """Turn jsonschema errors into located problems with helpful wording, at most ``limit`` of them.

    Errors are taken lazily: beyond ``limit``, jsonschema is not even asked for
    more, so a file with a million problems costs no more than one with a hundred.
    """
    import itertools

    from jsonschema.exceptions import best_match

    taken = list(itertools.islice(errors, limit + 1))
    cut = len(taken) > limit
    problems: list[Problem] = []
    reported_required: set[tuple[str, str]] = set()
    ordered = sorted(taken[:limit], key=lambda e: (list(map(str, e.absolute_path)), e.message))
    # A value not shaped like a date fails `format: date` too: one problem says it.
    misshapen = {
        tuple(e.absolute_path)
        for e in ordered
        if e.validator == "pattern" and e.validator_value == DATE_PATTERN
    }
    for index, error in enumerate(ordered):
        if error.validator == "format" and tuple(error.absolute_path) in misshapen:
            continue
        if len(problems) >= limit:
            cut, taken = True, [*taken[:limit], ordered[index]]
            break
        hint = None
        if error.validator in ("oneOf", "anyOf") and error.context:
            path = list(error.absolute_path)
            # Prefer the branch whose required keys the value has (a leaf with
            # `fact`, or an `all`): its errors say what is really wrong.
            branches: dict[Any, list[Any]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            shaped = [
                errs
                for errs in branches.values()
                if not any(e.validator == "required" and not e.relative_path for e in errs)
            ]
            deepest = best_match(shaped[0] if len(shaped) == 1 else error.context)
            loc = doc.locate(path)
            problems.append(
                Problem(
                    doc.path,
                    "does not match any allowed form",
                    loc.line,
                    loc.column,
                    json_path(path),
                    f"closest: {json_path(deepest.absolute_path)}: {_worded(deepest)}",
                    code="invalid-form",
                )
            )
            continue
        path = list(error.absolute_path)
        message = _worded(error)
        code = "invalid-value"
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            # In the file's order: a list cut at the limit shows the first ones in the file.
            extras = [str(k) for k in error.instance if k not in allowed]
            room = limit - len(problems)
            if len(extras) > room:
                loc = doc.locate([*path, extras[room]])
                cut_at = Problem(doc.path, "", loc.line, loc.column, json_path([*path, extras[room]]))
                more = len(extras) - room if not cut and index == len(ordered) - 1 else None
                problems += _unknown_fields(doc, path, extras[:room], allowed)
                return [*problems, too_many(doc, cut_at, more, limit)]
            problems += _unknown_fields(doc, path, extras, allowed)
            continue
        if error.validator == "enum":
            code = "unknown-value"
            choices = error.validator_value
            is_country = all(isinstance(c, str) and len(c) == 2 for c in choices) and len(choices) > 30
            if is_country:
                message = f"{quote(error.instance)} is not an ISO 3166-1 alpha-2 country code"
            elif len(choices) > 30:
                message = f"{quote(error.instance)} is not a known value here"
            else:
                message = f"{quote(error.instance)} is not one of: " + ", ".join(map(str, choices))
            if isinstance(error.instance, str):
                named = _country_from_name(error.instance) if is_country else None
                hint = hint_for([named]) if named else did_you_mean(error.instance, choices)
        elif error.validator == "required" and isinstance(error.instance, dict):
            # jsonschema raises one error per absent key; report each key once,
            # computed from the data rather than from the error's English.
            loc = doc.locate(path)
            for key in error.validator_value:
                if key not in error.instance and (json_path(path), key) not in reported_required:
                    reported_required.add((json_path(path), key))
                    problems.append(
                        Problem(
                            doc.path,
                            f"required field {key!r} is missing",
                            loc.line,
                            loc.column,
                            json_path(path),
                            _choices_hint(error.schema, key),
                            code="missing-field",
                        )
                    )
            continue
        elif error.validator == "const":
            message = f"must be {quote(error.validator_value)}, not {quote(error.instance)}"
        elif error.validator == "minLength" and isinstance(error.instance, str):
            n = error.validator_value
            message = (
                f"{quote(error.instance)} is too short: at least {n} character{'' if n == 1 else 's'}"
                if error.instance.strip()
                else f"must not be empty (at least {n} character{'' if n == 1 else 's'})"
            )
        elif error.validator == "pattern" and error.validator_value == DATE_PATTERN:
            message = f"{quote(error.instance)} is not a date written YYYY-MM-DD"
            hint = date_hint(error.instance)
        elif error.validator == "format" and error.validator_value == "date":
            message = f"{quote(error.instance)} is not a day in the calendar"
        elif error.validator == "type":
            code = "wrong-type"
            wanted = error.validator_value
            wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
            wanted = _TYPE_WORDS.get(wanted, wanted)
            if path:
                # '50' looks like a number in a message; it is text in the file.
                text = isinstance(error.instance, str) and error.validator_value in ("integer", "number")
                message = f"expected {wanted}, got {'the text ' if text else ''}{quote(error.instance)}"
                number = _WHOLE if error.validator_value == "integer" else _NUMBER
                if text and re.fullmatch(number, error.instance.strip()):
                    hint = hint or "write the number without quotes"
                kind = {"array": "list", "boolean": "yes/no"}.get(str(error.validator_value), "")
                hint = hint or what_to_write(error.instance, kind)
            else:  # the whole file is of the wrong kind: never echo it (a .env given as waivers)
                message = f"the file must hold {wanted}; it holds {kind_of(error.instance)}"
        elif error.validator == "not" and error.schema.get("$comment"):
            message = error.schema["$comment"]
        loc = doc.locate(path)
        problems.append(Problem(doc.path, message, loc.line, loc.column, json_path(path), hint, code=code))
    if cut or len(problems) > limit:
        rest = taken[limit] if cut else None
        at = None
        if rest is not None:
            loc = doc.locate(list(rest.absolute_path))
            at = Problem(doc.path, "", loc.line, loc.column, json_path(list(rest.absolute_path)))
        return [*problems[:limit], too_many(doc, at, None, limit)]
    return problems


def _unknown_fields(doc: Document, path: list[Any], extras: list[str], allowed: Any) -> list[Problem]:
    problems = []
    for extra in extras:
        loc = doc.locate([*path, extra])
        problems.append(
            Problem(
                doc.path,
                f"unknown field {quote(extra)}",
                loc.line,
                loc.column,
                json_path([*path, extra]),
                did_you_mean(str(extra), allowed),
                code="unknown-field",
            )
        )
    return problems
