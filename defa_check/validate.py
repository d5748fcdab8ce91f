"""Validate a loaded manifest: JSON Schema, then references and taxonomy keys.

Every problem is a value with ``file:line:col`` and a JSON path, all collected
at once, with a did-you-mean for mistyped field names, country codes, enum
values and taxonomy keys.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from typing import Any

from .model import Problem
from .yamlio import Document


def _json_path(parts: Iterable[Any]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def closest(word: str, choices: Iterable[Any]) -> str | None:
    pool = [str(c) for c in choices]
    upper = {c.upper(): c for c in pool}
    if word.upper() in upper:  # case slip: 'vn' for 'VN'
        return upper[word.upper()]
    if len(word) == 2 and all(len(c) == 2 for c in pool):
        # Country codes are too short for difflib: suggest a code one letter
        # away, preferring the ASEAN member states this tool is about.
        from .model import ASEAN_MEMBERS

        typed = word.upper()
        near = [c for c in pool if sum(a != b for a, b in zip(c, typed, strict=True)) == 1]
        near.sort(key=lambda c: (c not in ASEAN_MEMBERS, c[0] != typed[0], c))
        return "' or '".join(near[:2]) if near else None
    match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return match[0] if match else None


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}


def _show(value: Any) -> str:
    """A value as the user wrote it: 'text' quoted, everything else in JSON/YAML spelling."""
    if isinstance(value, str):
        return repr(value)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _country_from_name(text: str) -> str | None:
    """'Singapore' -> 'SG', for the did-you-mean of a country written as a name."""
    from .interview import to_country

    code = to_country(text)
    return code if code and code != text else None


def _hint(choice: str | None) -> str | None:
    if not choice:
        return None
    return f"did you mean '{choice}'?"


def problems_from_errors(doc: Document, errors: Iterable[Any]) -> list[Problem]:
    """Turn jsonschema errors into located problems with helpful wording."""
    from jsonschema.exceptions import best_match

    problems: list[Problem] = []
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
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
                    _json_path(path),
                    f"closest: {_json_path(deepest.absolute_path)}: {deepest.message}",
                )
            )
            continue
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            for extra in sorted(k for k in error.instance if k not in allowed):
                loc = doc.locate([*path, extra])
                problems.append(
                    Problem(
                        doc.path,
                        f"unknown field {extra!r}",
                        loc.line,
                        loc.column,
                        _json_path([*path, extra]),
                        _hint(closest(str(extra), allowed)),
                    )
                )
            continue
        if error.validator == "enum":
            choices = error.validator_value
            is_country = all(isinstance(c, str) and len(c) == 2 for c in choices) and len(choices) > 30
            if is_country:
                message = f"{_show(error.instance)} is not an ISO 3166-1 alpha-2 country code"
            elif len(choices) > 30:
                message = f"{_show(error.instance)} is not a known value here"
            else:
                message = f"{_show(error.instance)} is not one of: " + ", ".join(map(str, choices))
            if isinstance(error.instance, str):
                named = _country_from_name(error.instance) if is_country else None
                hint = _hint(named or closest(error.instance, choices))
        elif error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            message = f"required field {missing!r} is missing"
        elif error.validator == "const":
            message = f"must be {_show(error.validator_value)}, not {_show(error.instance)}"
        elif error.validator == "type":
            wanted = error.validator_value
            wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
            message = f"expected {_TYPE_WORDS.get(wanted, wanted)}, got {_show(error.instance)}"
        elif error.validator == "not" and error.schema.get("$comment"):
            message = error.schema["$comment"]
        loc = doc.locate(path)
        problems.append(Problem(doc.path, message, loc.line, loc.column, _json_path(path), hint))
    return problems


def validate_manifest(doc: Document) -> list[Problem]:
    """Every problem in a loaded manifest (schema first; references only if the shape is right)."""
    from .packs import quick_check, validator

    if not doc.ok:
        return list(doc.problems)
    if not isinstance(doc.data, dict):
        return [
            Problem(doc.path, "a manifest must be a mapping with manifest_version, organization, ...", 1, 1)
        ]
    quick = quick_check("manifest")
    if quick is not None and quick(doc.data):
        # Valid by the compiled check, which accepts only what jsonschema accepts.
        problems: list[Problem] = []
    else:
        problems = problems_from_errors(doc, validator("manifest").iter_errors(doc.data))
    problems += reference_problems(doc)
    if problems and doc.approximate:
        # The fast load (JSON, or YAML with precise=False) keeps coarse positions;
        # errors deserve exact ones.
        from .yamlio import loads

        exact = loads(doc.text, doc.path)
        if exact.ok:
            return validate_manifest(exact)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.json_path))


def reference_problems(doc: Document) -> list[Problem]:
    """Cross-references and taxonomy keys, which a JSON Schema cannot express."""
    from .taxonomy import data_categories, data_subjects, data_uses

    data = doc.data
    problems: list[Problem] = []

    def items(value: Any) -> list[tuple[int, dict[str, Any]]]:
        """Indexed mappings of a list, skipping what the schema already reports."""
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]

    def strings(value: Any) -> list[tuple[int, str]]:
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]

    def add(message: str, path: list[Any], hint: str | None = None) -> None:
        loc = doc.locate(path)
        problems.append(Problem(doc.path, message, loc.line, loc.column, _json_path(path), hint))

    for section in ("systems", "flows", "markets"):
        seen: dict[str, int] = {}
        for i, item in items(data.get(section)):
            ident = item.get("id") or (item.get("country") if section == "markets" else None)
            if not isinstance(ident, str):
                continue
            if ident in seen:
                add(f"{section[:-1]} id {ident!r} is already used by {section}[{seen[ident]}]", [section, i])
            else:
                seen[ident] = i

    categories = data_categories()
    ext_section = data.get("taxonomy_extensions")
    ext_items = items(ext_section.get("data_categories")) if isinstance(ext_section, dict) else []
    extensions = [e["key"] for _, e in ext_items if isinstance(e.get("key"), str)]
    for i, key in enumerate(extensions):
        if categories.canonical(key) is not None:
            add(f"{key!r} is already a data category", ["taxonomy_extensions", "data_categories", i])
        elif not categories.parent_known(key):
            add(
                f"{key!r} must be beneath an existing data category",
                ["taxonomy_extensions", "data_categories", i, "key"],
            )
    if extensions:
        categories = categories.extended(extensions)
    subjects, uses = data_subjects(), data_uses()
    systems = {s["id"] for _, s in items(data.get("systems")) if isinstance(s.get("id"), str)}
    for i, flow in items(data.get("flows")):
        if isinstance(flow.get("system"), str) and flow["system"] not in systems:
            add(
                f"system {flow['system']!r} is not declared under systems",
                ["flows", i, "system"],
                _hint(closest(flow["system"], systems)),
            )
        for j, key in strings(flow.get("data_categories")):
            if categories.canonical(key) is None:
                add(
                    f"unknown data category {key!r}",
                    ["flows", i, "data_categories", j],
                    _hint(categories.suggest(key)),
                )
        for j, key in strings(flow.get("purposes")):
            if uses.canonical(key) is None:
                add(
                    f"unknown purpose (fideslang data use) {key!r}",
                    ["flows", i, "purposes", j],
                    _hint(uses.suggest(key)),
                )
        subjects_field = flow.get("subjects")
        kinds = subjects_field.get("kinds") if isinstance(subjects_field, dict) else None
        for j, key in strings(kinds):
            if subjects.canonical(key) is None:
                add(
                    f"unknown data subject {key!r}",
                    ["flows", i, "subjects", "kinds", j],
                    _hint(subjects.suggest(key)),
                )
    return problems
