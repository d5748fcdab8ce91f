"""Rule packs and country profiles: find them, validate them, compile them.

The bundled packs live at the repository's top level (``rules/``,
``countries/``) and are copied into the wheel as ``defa_check/_bundled``; a
source checkout uses the top-level folders directly. A problem in a pack is a
:class:`~defa_check.model.Problem` with ``file:line:col``, collected with all
the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import yamlio
from .conditions import ConditionError, compile_condition
from .facts import FACTS
from .model import (
    TOPICS,
    Citation,
    Example,
    Location,
    PackInfo,
    Problem,
    Rule,
    Severity,
)


@dataclass(frozen=True)
class CountryProfile:
    """A member state's profile: instruments, sensitive data, and a position per topic."""

    code: str
    name: str
    last_reviewed: str
    sensitive_categories: tuple[str, ...]
    data: dict[str, Any]
    path: str


@dataclass
class Catalog:
    """All loaded packs and profiles, indexed for evaluation."""

    rules: list[Rule] = field(default_factory=list)
    packs: dict[str, PackInfo] = field(default_factory=dict)
    profiles: dict[str, CountryProfile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @functools.cached_property
    def by_country(self) -> dict[str, dict[str, list[Rule]]]:
        """Rules per country and subject kind, so each subject meets only its own."""
        index: dict[str, dict[str, list[Rule]]] = {}
        for rule in self.rules:
            index.setdefault(rule.country, {"flow": [], "market": [], "organization": []})[
                rule.subject
            ].append(rule)
        return index

    def rule(self, rule_id: str) -> Rule | None:
        wanted = rule_id.upper()
        return next((r for r in self.rules if r.id == wanted), None)

    def sensitive(self, country: str) -> tuple[str, ...]:
        profile = self.profiles.get(country)
        return profile.sensitive_categories if profile else ()


def bundled_root() -> Path:
    """The folder holding the bundled ``rules/`` and ``countries/``."""
    installed = Path(str(resources.files("defa_check"))) / "_bundled"
    if (installed / "rules").is_dir():
        return installed
    return Path(__file__).resolve().parent.parent


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package (manifest, rules, pack, country, report)."""
    text = resources.files("defa_check").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _inline_refs(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """The schema with local `#/$defs/...` references replaced by their targets.

    jsonschema resolves each `$ref` on every visit; inlining them once makes
    validation of a large manifest about twice as fast. Only non-recursive
    schemas are inlined (the rules schema's conditions refer to themselves).
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if isinstance(ref, str) and ref.startswith("#/$defs/") and set(siblings) <= {"description", "title"}:
            if depth > 12:
                from .fastschema import Unsupported

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

            yield ValidationError(f"{instance!r} is not one of {enums!r}")
        return
    from jsonschema._keywords import enum

    yield from enum(validator, enums, instance, schema) or ()  # type: ignore[func-returns-value]


@functools.cache
def validator(name: str) -> Any:
    """One validator per schema, built once: the same schema, faster keyword implementations."""
    from jsonschema import Draft202012Validator, validators

    fast = validators.extend(Draft202012Validator, {"enum": _fast_enum})  # type: ignore[no-untyped-call]
    raw = schema(name)
    inlined = raw if name == "rules" else _inline_refs(raw, raw.get("$defs", {}))
    return fast(inlined, format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def quick_check(name: str) -> Callable[[Any], bool] | None:
    """The schema compiled to a yes/no check (see fastschema), or None if it cannot be."""
    from .fastschema import Unsupported, compile_schema

    raw = schema(name)
    try:
        return compile_schema(_inline_refs(raw, raw.get("$defs", {})))
    except Unsupported:
        return None


def schema_problems(doc: yamlio.Document, schema_name: str) -> list[Problem]:
    """Every schema error in ``doc``, located, best first within each path."""
    from .validate import problems_from_errors

    return problems_from_errors(doc, validator(schema_name).iter_errors(doc.data))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def resolve_dirs(root: Path) -> tuple[Path, Path | None]:
    """Accept a project folder (holding rules/ and countries/) or a rules folder."""
    if (root / "rules").is_dir():
        countries = root / "countries"
        return root / "rules", countries if countries.is_dir() else None
    sibling = root.parent / "countries"
    return root, sibling if sibling.is_dir() else None


def available_countries(root: Path | None = None) -> set[str]:
    """Countries that have a pack under ``root``, without loading any."""
    rules_dir, _ = resolve_dirs(root or bundled_root())
    if not rules_dir.is_dir():
        return set()
    return {p.name.upper() for p in rules_dir.iterdir() if p.is_dir() and (p / "pack.yaml").is_file()}


def load_catalog(
    root: Path | None = None, countries: set[str] | None = None, validate: bool = True
) -> Catalog:
    """Load the packs and profiles under ``root`` (default: the bundled ones).

    ``countries`` limits loading to those packs (a check needs only the
    countries its manifest mentions). ``validate=False`` skips the JSON Schema
    pass for packs already validated by the test suite (the bundled ones); a
    file that then fails to build is loaded again with validation, so a broken
    pack is still reported as problems, never as a traceback.
    """
    from .taxonomy import data_categories

    rules_dir, countries_dir = resolve_dirs(root or bundled_root())
    catalog = Catalog()
    if not rules_dir.is_dir():
        catalog.problems.append(Problem(str(rules_dir), "no such rules folder"))
        return catalog
    categories = data_categories()
    wanted = {c.lower() for c in countries} if countries is not None else None
    if countries_dir is not None:
        for path in sorted(countries_dir.glob("*.y*ml")):
            if wanted is None or path.stem.lower() in wanted:
                _load_profile(catalog, path, categories, validate)
    seen: dict[str, str] = {}
    for pack_dir in sorted(
        p for p in rules_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    ):
        if wanted is None or pack_dir.name.lower() in wanted:
            _load_pack(catalog, pack_dir, seen, categories, validate)
    return catalog


def _read(path: Path, validate: bool) -> yamlio.Document:
    """A pack or profile file: pre-parsed when bundled in a wheel and trusted, else parsed now."""
    if not validate:
        from .compiled import bundled

        pre = bundled()
        root = bundled_root()
        if pre is not None and path.is_relative_to(root):
            data = pre["files"].get(path.relative_to(root).as_posix())
            if data is not None:
                return yamlio.Document(path=str(path), data=data, text="", approximate=True)
    return yamlio.load(path)


def _load_profile(catalog: Catalog, path: Path, categories: Any, validate: bool = True) -> None:
    doc = _read(path, validate)
    if not doc.ok:
        catalog.problems += doc.problems
        return
    problems = schema_problems(doc, "country") if validate else []
    if not problems and not validate and not _profile_shape_ok(doc.data):
        problems = schema_problems(doc, "country")
    if problems:
        catalog.problems += problems
        return
    data = doc.data
    code = data["code"]
    if path.stem.upper() != code:
        catalog.problems.append(
            Problem(
                str(path), f"profile code {code} does not match the file name", *_at(doc, ["code"]), "$.code"
            )
        )
    for i, key in enumerate(data["sensitive_categories"]):
        if categories.canonical(key) is None:
            catalog.problems.append(
                Problem(
                    str(path),
                    f"unknown data category {key!r}",
                    *_at(doc, ["sensitive_categories", i]),
                    f"$.sensitive_categories[{i}]",
                    _did_you_mean(categories.suggest(key)),
                )
            )
    ids = [i["id"] for i in data["instruments"]]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        catalog.problems.append(Problem(str(path), f"instrument id {dup!r} is used twice"))
    for i, inst in enumerate(data["instruments"]):
        start, end = inst.get("in_force_from"), inst.get("in_force_until")
        if start and end and end < start:
            catalog.problems.append(
                Problem(
                    str(path),
                    "in_force_until is before in_force_from",
                    *_at(doc, ["instruments", i]),
                    f"$.instruments[{i}]",
                )
            )
    if data["last_reviewed"] > dt.date.today().isoformat():
        catalog.problems.append(
            Problem(
                str(path), "last_reviewed is in the future", *_at(doc, ["last_reviewed"]), "$.last_reviewed"
            )
        )
    sensitive = tuple(categories.canonical(k) or k for k in data["sensitive_categories"])
    catalog.profiles[code] = CountryProfile(
        code, data["name"], data["last_reviewed"], sensitive, data, str(path)
    )


def _profile_shape_ok(data: Any) -> bool:
    """The fields the engine reads, present and of the right type (for unvalidated loading)."""
    quick = quick_check("country")
    return bool(quick(data)) if quick is not None else False


def _at(doc: yamlio.Document, path: list[Any]) -> tuple[int, int]:
    loc = doc.locate(path)
    return loc.line, loc.column


def _did_you_mean(suggestion: str | None) -> str | None:
    return f"did you mean {suggestion!r}?" if suggestion else None


def _load_pack(
    catalog: Catalog, pack_dir: Path, seen: dict[str, str], categories: Any, validate: bool = True
) -> None:
    country = pack_dir.name.upper()
    meta_path = pack_dir / "pack.yaml"
    meta = _read(meta_path, validate)
    if not meta.ok:
        catalog.problems += meta.problems
        return
    meta_problems = schema_problems(meta, "pack") if validate else []
    if meta_problems:
        catalog.problems += meta_problems
        return
    if meta.data["country"] != country:
        catalog.problems.append(
            Problem(
                str(meta_path),
                f"pack country {meta.data['country']} does not match folder {pack_dir.name}",
                *_at(meta, ["country"]),
                "$.country",
            )
        )
        return
    if meta.data["last_reviewed"] > dt.date.today().isoformat():
        catalog.problems.append(
            Problem(
                str(meta_path),
                "last_reviewed is in the future",
                *_at(meta, ["last_reviewed"]),
                "$.last_reviewed",
            )
        )
    catalog.packs[country] = PackInfo(country, meta.data["version"], meta.data["last_reviewed"])
    if country not in catalog.profiles:
        catalog.problems.append(
            Problem(str(meta_path), f"no country profile for {country} (countries/{pack_dir.name}.yaml)")
        )
    for path in sorted(pack_dir.glob("*.y*ml")):
        if path.name == "pack.yaml":
            continue
        doc = _read(path, validate)
        if not doc.ok:
            catalog.problems += doc.problems
            continue
        problems = schema_problems(doc, "rules") if validate else []
        if problems:
            catalog.problems += problems
            continue
        try:
            built = [
                _build_rule(catalog, doc, i, raw, country, categories)
                for i, raw in enumerate(doc.data["rules"])
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            # Trusted but malformed after all: validate it to report located problems.
            catalog.problems += schema_problems(doc, "rules") or [Problem(str(path), "malformed rule file")]
            continue
        for i, rule in enumerate(built):
            if rule is None:
                continue
            if rule.id in seen:
                catalog.problems.append(
                    Problem(
                        str(path),
                        f"rule id {rule.id} is already used in {seen[rule.id]}",
                        *_at(doc, ["rules", i, "id"]),
                        f"$.rules[{i}].id",
                    )
                )
                continue
            seen[rule.id] = str(path)
            catalog.rules.append(rule)


def _build_rule(
    catalog: Catalog, doc: yamlio.Document, i: int, raw: dict[str, Any], country: str, categories: Any
) -> Rule | None:
    from .taxonomy import data_uses

    uses = data_uses()
    path = doc.path
    here = f"$.rules[{i}]"
    problems: list[Problem] = []

    def problem(message: str, where: list[Any], hint: str | None = None) -> None:
        json_path = here + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
        problems.append(Problem(path, message, *_at(doc, ["rules", i, *where]), json_path, hint))

    if not raw["id"].startswith(country + "-"):
        problem(f"rule id must start with {country}-", ["id"])
    draft = bool(raw.get("draft", False))
    start = _date(raw["effective_from"]) if raw.get("effective_from") else None
    until = _date(raw["effective_until"]) if raw.get("effective_until") else None
    if start is None and not draft:
        problem("a rule in force needs effective_from (only a draft may lack it)", [])
    if until is not None and (start is None or until < start):
        problem("effective_until is before effective_from", ["effective_until"])
    conditions = {}
    for key in ("applies_when", "requires"):
        if key not in raw:
            continue
        try:
            cond = compile_condition(raw[key])
        except ConditionError as exc:
            problem(str(exc), [key])
            continue
        for fact in cond.facts:
            kinds = FACTS.get(fact)
            if kinds is None:
                import difflib

                close = difflib.get_close_matches(fact, list(FACTS), n=1)
                problem(f"unknown fact {fact!r}", [key], _did_you_mean(close[0] if close else None))
            elif raw["subject"] not in kinds:
                problem(f"fact {fact!r} is not available on {raw['subject']} rules", [key])
        for fact, keys in _under_values(raw[key]):
            taxonomy, what = (
                (uses, "purpose (data use)") if fact == "flow.purposes" else (categories, "data category")
            )
            for k in keys:
                if taxonomy.canonical(k) is None:
                    problem(f"unknown {what} {k!r}", [key], _did_you_mean(taxonomy.suggest(k)))
        conditions[key] = cond
    names = [e["name"] for e in raw["examples"]]
    expects = {e["expect"] for e in raw["examples"]}
    if not {"pass", "fail"} <= expects:
        problem("examples need at least one `pass` and one `fail`", ["examples"])
    if len(set(names)) != len(names):
        problem("example names must be unique within a rule", ["examples"])
    if problems:
        catalog.problems += problems
        return None
    message = raw["message"]
    loc = doc.locate(["rules", i])
    return Rule(
        id=raw["id"],
        country=country,
        title=raw["title"],
        topic=raw["topic"],
        severity=Severity.parse(raw["severity"]),
        subject=raw["subject"],
        citation=Citation(**raw["citation"]),
        effective_from=start,
        effective_until=until,
        confidence=raw["confidence"],
        requires=conditions["requires"],
        applies_when=conditions.get("applies_when"),
        message_fail=message["fail"].strip(),
        message_pass=message["pass"].strip(),
        message_needs_info=(message.get("needs_info") or "").strip() or None,
        remediation=raw["remediation"].strip(),
        explanation=(raw.get("explanation") or "").strip() or None,
        note=(raw.get("note") or "").strip() or None,
        sources=tuple(raw.get("sources", ())),
        examples=tuple(
            Example(
                name=e["name"],
                expect=e["expect"],
                manifest=e["manifest"],
                subject=e.get("subject"),
                as_of=_date(e["as_of"]) if e.get("as_of") else None,
            )
            for e in raw["examples"]
        ),
        location=Location(path, loc.line, loc.column),
        raw=raw,
        draft=draft,
    )


def _under_values(cond: dict[str, Any]) -> list[tuple[str, list[str]]]:
    if "all" in cond or "any" in cond:
        out: list[tuple[str, list[str]]] = []
        for c in cond.get("all", cond.get("any", [])):
            out += _under_values(c)
        return out
    if "not" in cond:
        return _under_values(cond["not"])
    return [(cond["fact"], cond["under"])] if "under" in cond else []


def lint_topics(catalog: Catalog) -> list[Problem]:
    """Profiles must state a position on every topic (the schema enforces it; this names gaps)."""
    problems = []
    for profile in catalog.profiles.values():
        topics = profile.data.get("topics", {})
        for topic in TOPICS:
            if topic not in topics:
                problems.append(Problem(profile.path, f"no position on topic {topic!r}"))
    return problems
