"""Validate a loaded manifest: JSON Schema, then references and taxonomy keys.

Every problem is a value with ``file:line:col`` and a JSON path, all collected
at once, with a did-you-mean for mistyped field names, country codes, enum
values and taxonomy keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from defa_check.inputs.schemas import MAX_PROBLEMS, json_path, problems_from_errors, too_many
from defa_check.inputs.source import Document
from defa_check.inputs.suggest import did_you_mean, did_you_mean_key
from defa_check.model import Problem, kind_of, quote, shorten

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

LIBRARY_FROM_ITEMS = 1500
"""From this many flows, systems and markets, the validator library's import pays for itself
(measured against the generated check: 10 M instructions dearer at 1,000 flows, 23 M cheaper
at 2,000; bench/RESULTS.md)."""


def validate_manifest(doc: Document) -> list[Problem]:
    """Every problem in a loaded manifest (schema first; references only if the shape is right)."""
    from defa_check.inputs.schemas import is_valid_quickly

    if not doc.ok:
        return list(doc.problems)
    if not isinstance(doc.data, dict):
        said = "the file is empty" if doc.data is None else f"the file holds {kind_of(doc.data)}"
        return [
            Problem(
                doc.path,
                f"{said}; a manifest is a mapping: manifest_version: 1, organization, flows, ...",
                1,
                1,
                hint="`defa-check init` writes one from a few questions",
                code="wrong-type",
            )
        ]
    items = sum(len(v) for k in ("flows", "systems", "markets") if isinstance(v := doc.data.get(k), list))
    if is_valid_quickly("manifest", doc.data, large=items >= LIBRARY_FROM_ITEMS):
        # Valid by the compiled check, which accepts only what jsonschema accepts.
        problems: list[Problem] = []
    elif doc.approximate:
        # Problems to locate: word them once, on the text read again exactly (below), not
        # first on the coarse positions too (jsonschema's pass is seconds on a large manifest).
        return _exactly(doc)
    else:
        problems = problems_from_errors(doc, _schema_errors(doc.data, items >= LIBRARY_FROM_ITEMS))
    if len(problems) < MAX_PROBLEMS:
        problems += reference_problems(doc, MAX_PROBLEMS - len(problems))
    if problems and doc.approximate:
        return _exactly(doc)
    listed = sorted(
        (p for p in problems if p.code != "too-many-problems"),
        key=lambda p: (p.line or 0, p.column or 0, p.json_path),
    )
    return listed + [p for p in problems if p.code == "too-many-problems"][:1]


ITEM_SECTIONS = ("systems", "flows", "markets")
"""The manifest's lists of items, in the schema's order."""


def _schema_errors(data: dict[str, Any], large: bool) -> Iterable[Any]:
    """jsonschema's errors for a manifest the compiled check refused.

    On a large manifest, jsonschema's pass over every item takes seconds (two at 10,000
    flows) to word a problem or two: jsonschema-rs finds the items that have errors in
    milliseconds, and jsonschema words those items and the rest of the manifest only. The
    same errors as the full pass (tests/test_focused_validation.py compares them); whenever it could
    be otherwise, the full pass.
    """
    from defa_check.inputs.schemas import validator

    full = validator("manifest")
    focused = _focused_errors(data, full) if large else None
    return full.iter_errors(data) if focused is None else focused


def _failing_paths(data: dict[str, Any]) -> list[list[Any]] | None:
    """The paths jsonschema-rs finds failing (milliseconds on 10,000 flows), or None without it."""
    from defa_check.inputs.schemas import library_validator

    library = library_validator("manifest")
    if library is None:
        return None
    try:
        return [list(error.instance_path) for error in library.iter_errors(data)]
    except (ValueError, TypeError, OverflowError):  # not JSON-like (a huge integer)
        return None


def _focused_errors(data: dict[str, Any], full: Any) -> list[Any] | None:
    paths = _failing_paths(data)
    if paths is None:
        return None
    sections = [k for k in ITEM_SECTIONS if isinstance(data.get(k), list)]
    failing: dict[tuple[str, int], None] = {}
    for path in paths:
        if len(path) >= 2 and path[0] in sections and isinstance(path[1], int):
            failing[(path[0], path[1])] = None
        elif path and path[0] in sections:
            return None  # the list itself
    if not paths or len(failing) > MAX_PROBLEMS:
        return None
    # The rest of the manifest with its lists emptied (no schema rule reads across them),
    # then each failing item against the items' schema, its path put back in front.
    shell = {key: ([] if key in sections else value) for key, value in data.items()}
    errors = list(full.iter_errors(shell))
    if any(error.absolute_path and error.absolute_path[0] in sections for error in errors):
        return None
    for section, index in sorted(failing, key=lambda item: (ITEM_SECTIONS.index(item[0]), item[1])):
        for error in full.evolve(schema=full.schema["properties"][section]["items"]).iter_errors(
            data[section][index]
        ):
            error.path.extendleft((index, section))
            errors.append(error)
        if len(errors) > MAX_PROBLEMS:
            return None  # which to list beyond the limit is the full pass's order
    return errors or None


def _exactly(doc: Document) -> list[Problem]:
    """The problems of ``doc`` found on its text read again with every position recorded.

    The fast load (JSON, or YAML with precise=False) keeps coarse positions; problems
    deserve exact ones: the same text read again in its own language. In a large YAML
    manifest whose problems are all inside a few items, only those items' lines are read
    again (:func:`_items_read_again`); anything else, the whole text.
    """
    from defa_check.inputs.source import exact

    sliced = _items_read_again(doc)
    if sliced is not None:
        return validate_manifest(sliced)
    precise = exact(doc)
    return validate_manifest(precise) if precise.ok else list(precise.problems)


_LINE_BREAKS = "[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
"""Characters YAML or Python may take for a line break besides \\n: with any of them in the text,
lines are not counted the same way by both, and the whole text is read again instead."""


def _items_read_again(doc: Document) -> Document | None:
    """``doc`` with exact positions for its failing items, each read again from its own lines.

    Reading a 10,000-flow YAML manifest again with every position takes longer than checking
    it; a problem in one flow needs that flow's lines only. Each failing item's lines (from
    its start to the next item's, or the next top-level key's) are read exactly on their own
    and must give the very item the whole text gave, or the whole text is read again. Only
    when every schema problem is inside such items and nothing else is wrong (references
    are checked first, on the coarse positions): then every problem points inside them.
    """
    data = doc.data
    if doc.language != "yaml" or not doc.approximate or not isinstance(data, dict):
        return None
    sections = [k for k in ITEM_SECTIONS if isinstance(data.get(k), list)]
    # (The pattern is compiled on first use, by re's own cache: only a run with problems needs it.)
    if sum(len(data[k]) for k in sections) < LIBRARY_FROM_ITEMS or re.search(_LINE_BREAKS, doc.text):
        return None
    paths = _failing_paths(data)
    if paths is None:
        return None
    failing = {(path[0], path[1]) for path in paths if len(path) >= 2 and path[0] in sections}
    if (
        not paths
        or len(failing) > MAX_PROBLEMS
        or any(len(path) < 2 or (path[0], path[1]) not in failing for path in paths)
    ):
        return None
    if reference_problems(doc, 1):
        return None
    from defa_check.inputs import source

    lines = doc.text.split("\n")
    top = sorted(line for line, _ in doc._key_marks.get(id(data), {}).values())
    read: dict[tuple[str, int], tuple[Document, list[int], int]] = {}
    for section, index in failing:
        items = data[section]
        start = doc.locate([section, index]).line
        if index + 1 < len(items):
            end = doc.locate([section, index + 1]).line
        else:
            end = next((line for line in top if line > start), len(lines) + 1)
        if end <= start:
            return None  # several items on one line (flow style)
        part = source.loads("\n".join(lines[start - 1 : end - 1]), doc.path, precise=True)
        if not part.ok:
            return None  # an alias to an anchor outside the item, ...
        if repr(part.data) == repr([items[index]]):
            prefix = [0]
        elif repr(part.data) == repr(items[index]):
            prefix = []
        else:
            return None
        read[(section, index)] = (part, prefix, start - 1)

    def locate(path: list[Any]) -> tuple[int, int]:
        found = read.get((path[0], path[1])) if len(path) >= 2 else None
        if found is None:
            where = doc.locate(path)
            return where.line or 1, where.column or 1
        part, prefix, offset = found
        where = part.locate([*prefix, *path[2:]])
        return (where.line or 1) + offset, where.column or 1

    return Document(doc.path, data, doc.text, language="yaml", _locator=locate)


class _Full(Exception):
    """The problem list is as long as it will be listed."""


def _declared(systems: set[str], named: str) -> str:
    """What a flow's `system` can name when no declared id is close to what it says (``named``)."""
    if not systems:
        return f"declare it under systems: - {{id: {shorten(named, 40)}, country: CC}}"
    shown = sorted(systems)
    listed = ", ".join(quote(s) for s in shown[:5]) + (
        f" and {len(shown) - 5:,} more" if len(shown) > 5 else ""
    )
    return f"the systems declared are {listed}"


def reference_problems(doc: Document, limit: int = MAX_PROBLEMS) -> list[Problem]:
    """Cross-references and taxonomy keys, which a JSON Schema cannot express (at most ``limit``)."""
    try:
        return _reference_problems(doc, limit)
    except _Full as full:
        problems: list[Problem] = full.args[0]
        return [*problems[:limit], too_many(doc, problems[limit], None, limit)]


def _reference_problems(doc: Document, limit: int) -> list[Problem]:
    from defa_check.inputs.taxonomy import data_categories, data_subjects, data_uses

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

    def add(message: str, path: list[Any], hint: str | None = None, code: str = "invalid") -> None:
        loc = doc.locate(path)
        if len(problems) >= limit:  # one more, to say where the list stops; no did-you-mean for it
            problems.append(Problem(doc.path, message, loc.line, loc.column, json_path(path), code=code))
            raise _Full(problems)
        problems.append(Problem(doc.path, message, loc.line, loc.column, json_path(path), hint, code=code))

    for section in ("systems", "flows", "markets"):
        seen: dict[str, int] = {}
        for i, item in items(data.get(section)):
            ident = item.get("id") or (item.get("country") if section == "markets" else None)
            if not isinstance(ident, str):
                continue
            if ident in seen:
                add(
                    f"{section[:-1]} id {quote(ident)} is already used by {section}[{seen[ident]}]",
                    [section, i],
                    code="duplicate-id",
                )
            else:
                seen[ident] = i

    categories = data_categories()
    ext_section = data.get("taxonomy_extensions")
    ext_items = items(ext_section.get("data_categories")) if isinstance(ext_section, dict) else []
    extensions = [e["key"] for _, e in ext_items if isinstance(e.get("key"), str)]
    for i, key in enumerate(extensions):
        if categories.canonical(key) is not None:
            add(
                f"{quote(key)} is already a data category",
                ["taxonomy_extensions", "data_categories", i],
                code="taxonomy-extension",
            )
        elif not categories.parent_known(key):
            add(
                f"{quote(key)} must be beneath an existing data category",
                ["taxonomy_extensions", "data_categories", i, "key"],
                code="taxonomy-extension",
            )
    if extensions:
        categories = categories.extended(extensions)
    subjects, uses = data_subjects(), data_uses()
    systems = {s["id"] for _, s in items(data.get("systems")) if isinstance(s.get("id"), str)}
    # Per taxonomy: what it is called, where a flow lists its keys, and the keys already found
    # known (a large manifest repeats the same few thousand times).
    lists: list[tuple[Any, str, tuple[str, ...], set[str]]] = [
        (categories, "data category", ("data_categories",), set()),
        (uses, "purpose (fideslang data use)", ("purposes",), set()),
        (subjects, "data subject", ("subjects", "kinds"), set()),
    ]
    for i, flow in items(data.get("flows")):
        if isinstance(flow.get("system"), str) and flow["system"] not in systems:
            add(
                f"system {quote(flow['system'])} is not declared under systems",
                ["flows", i, "system"],
                did_you_mean(flow["system"], systems) or _declared(systems, flow["system"]),
                code="unknown-reference",
            )
        for taxonomy, what, where, known in lists:
            keys: Any = flow
            for field_name in where:
                keys = keys.get(field_name) if isinstance(keys, dict) else None
            if not isinstance(keys, list):
                continue
            try:
                if known.issuperset(keys):  # the usual case, in one C call
                    continue
            except TypeError:  # a key that is not text (unhashable): the schema reports it
                pass
            for j, key in enumerate(keys):
                if not isinstance(key, str) or key in known:
                    continue
                if taxonomy.canonical(key) is not None:
                    known.add(key)
                    continue
                add(
                    f"unknown {what} {quote(key)}",
                    ["flows", i, *where, j],
                    did_you_mean_key(key, taxonomy.all_keys),
                    code="unknown-taxonomy-key",
                )
    return problems
