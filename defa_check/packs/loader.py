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
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from defa_check.inputs import source
from defa_check.inputs.schemas import quick_check, schema_problems
from defa_check.inputs.suggest import did_you_mean
from defa_check.model import (
    TOPICS,
    Citation,
    Confidence,
    Example,
    Location,
    PackInfo,
    Problem,
    Rule,
    Severity,
    quote,
)
from defa_check.packs.conditions import ConditionError, compile_condition
from defa_check.packs.facts import FACTS, TAXONOMY_FACTS
from defa_check.records import field, record
from defa_check.records import fields as record_fields

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

_rule_problem = functools.partial(Problem, code="rule")
"""A problem in a rule pack or a country profile (schema problems keep their own codes)."""


@record(slots=True)
class Position:
    """A country's position on a topic or pillar, as its profile states it."""

    position: str
    """requirement | no_requirement | draft_only | unclear"""
    summary: str
    sources: tuple[str, ...]
    confidence: str | None = None
    short: str | None = None
    not_checked: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Position:
        return cls(
            data["position"],
            " ".join(str(data["summary"]).split()),
            tuple(data.get("sources") or ()),
            data.get("confidence"),
            data.get("short"),
            data.get("not_checked"),
        )


@record(slots=True)
class Regulator:
    """A regulator a profile names."""

    name: str
    url: str | None = None
    note: str | None = None


@record(slots=True)
class Instrument:
    """A law, decree or notification a profile lists."""

    id: str
    title: str
    status: str
    url: str
    number: str | None = None
    in_force_from: str | None = None
    in_force_until: str | None = None
    regulator: str | None = None
    note: str | None = None


@record
class CountryProfile:
    """A member state's profile: instruments, sensitive data, and a position per topic and pillar."""

    code: str
    name: str
    last_reviewed: str
    sensitive_categories: tuple[str, ...]
    data: dict[str, Any]
    """The profile as written (for `countries --format json`, which prints the whole of it)."""
    path: str
    topics: Mapping[str, Position] = field(default_factory=dict)
    pillars: Mapping[str, Position] = field(default_factory=dict)
    regulators: tuple[Regulator, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    official_domains: tuple[str, ...] = ()
    asean_mcc: str = "unclear"
    global_cbpr: str = "none"
    asean_member_since: str = ""
    sensitive_note: str = ""
    name_in_sentence: str = ""
    """The name in the middle of a sentence ("the Philippines"), where it differs from the name."""

    @property
    def in_sentence(self) -> str:
        """'the Philippines', 'Viet Nam': the name as it follows "in" or "from"."""
        return self.name_in_sentence or self.name

    @classmethod
    def from_data(cls, data: dict[str, Any], sensitive: tuple[str, ...], path: str) -> CountryProfile:
        """A profile from its validated YAML."""
        fields = {f.name for f in record_fields(Instrument)}
        pillars = data.get("pillars") or {}
        return cls(
            code=data["code"],
            name=data["name"],
            last_reviewed=data["last_reviewed"],
            sensitive_categories=sensitive,
            data=data,
            path=path,
            topics=MappingProxyType({k: Position.from_dict(v) for k, v in data["topics"].items()}),
            pillars=MappingProxyType({k: Position.from_dict(v) for k, v in pillars.items()}),
            regulators=tuple(
                Regulator(r["name"], r.get("url"), r.get("note")) for r in data.get("regulators") or ()
            ),
            instruments=tuple(
                Instrument(**{k: v for k, v in i.items() if k in fields})
                for i in data.get("instruments") or ()
            ),
            official_domains=tuple(data.get("official_domains") or ()),
            asean_mcc=data["asean_mcc"],
            global_cbpr=data["global_cbpr"],
            asean_member_since=data["asean_member_since"],
            sensitive_note=" ".join(str(data["sensitive_note"]).split()),
            name_in_sentence=data.get("name_in_sentence") or "",
        )


@record(frozen=False, eq=False)  # never compared
class _CatalogBuilder:
    """What the loader fills in, file by file; frozen into a :class:`Catalog` when done."""

    rules: list[Rule] = field(default_factory=list)
    packs: dict[str, PackInfo] = field(default_factory=dict)
    profiles: dict[str, CountryProfile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def freeze(self) -> Catalog:
        return Catalog(tuple(self.rules), dict(self.packs), dict(self.profiles), tuple(self.problems))


@record
class Catalog:
    """All loaded packs and profiles, indexed for evaluation once, when built (never changed after)."""

    rules: tuple[Rule, ...] = ()
    packs: Mapping[str, PackInfo] = field(default_factory=dict)
    profiles: Mapping[str, CountryProfile] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    by_country: Mapping[str, Mapping[str, tuple[Rule, ...]]] = field(init=False, repr=False, compare=False)
    """Rules per country and subject kind, so each subject meets only its own."""

    def __post_init__(self) -> None:
        index: dict[str, dict[str, list[Rule]]] = {}
        for rule in self.rules:
            index.setdefault(rule.country, {"flow": [], "market": [], "organization": []})[
                rule.subject
            ].append(rule)
        frozen = {c: {k: tuple(v) for k, v in kinds.items()} for c, kinds in index.items()}
        object.__setattr__(self, "by_country", MappingProxyType(frozen))
        object.__setattr__(self, "packs", MappingProxyType(dict(self.packs)))
        object.__setattr__(self, "profiles", MappingProxyType(dict(self.profiles)))
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "problems", tuple(self.problems))

    def rule(self, rule_id: str) -> Rule | None:
        wanted = rule_id.upper()
        return next((r for r in self.rules if r.id == wanted), None)

    def sensitive(self, country: str) -> tuple[str, ...]:
        profile = self.profiles.get(country)
        return profile.sensitive_categories if profile else ()


@functools.cache
def bundled_root() -> Path:
    """The folder holding the bundled ``rules/`` and ``countries/``."""
    from defa_check.inputs.bundle import PACKAGE

    installed = PACKAGE / "_bundled"
    if (installed / "rules").is_dir():
        return installed
    return Path(__file__).resolve().parents[2]  # the source checkout: defa_check/packs/loader.py -> root


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
    from defa_check.inputs.taxonomy import data_categories

    rules_dir, countries_dir = resolve_dirs(root or bundled_root())
    catalog = _CatalogBuilder()
    if not rules_dir.is_dir():
        catalog.problems.append(_rule_problem(str(rules_dir), "no such rules folder"))
        return catalog.freeze()
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
    return catalog.freeze()


def _pre_parsed(path: Path, validate: bool) -> source.Document | None:
    """A trusted pack or profile file as the wheel carries it pre-parsed, if it does."""
    if not validate:
        from defa_check.inputs.bundle import bundled_file

        root = bundled_root()
        if path.is_relative_to(root):
            data = bundled_file(path.relative_to(root).as_posix())
            if data is not None:
                return source.Document(path=str(path), data=data, text="", approximate=True)
    return None


def _read(path: Path, validate: bool) -> source.Document:
    """A pack or profile file: pre-parsed when bundled in a wheel and trusted, else parsed now."""
    return _pre_parsed(path, validate) or source.load(path)


def _load_profile(catalog: _CatalogBuilder, path: Path, categories: Any, validate: bool = True) -> None:
    pre = _pre_parsed(path, validate)
    doc = pre or source.load(path)
    if not doc.ok:
        catalog.problems += doc.problems
        return
    problems = schema_problems(doc, "country") if validate else []
    # A pre-parsed profile passed the same shape check when the wheel was built (bundle.compile_data).
    if not problems and not validate and pre is None and not _profile_shape_ok(doc.data):
        problems = schema_problems(doc, "country")
    if problems:
        catalog.problems += problems
        return
    data = doc.data
    code = data["code"]
    if path.stem.upper() != code:
        catalog.problems.append(
            _rule_problem(
                str(path), f"profile code {code} does not match the file name", *_at(doc, ["code"]), "$.code"
            )
        )
    for i, key in enumerate(data["sensitive_categories"]):
        if categories.canonical(key) is None:
            catalog.problems.append(
                _rule_problem(
                    str(path),
                    f"unknown data category {quote(key)}",
                    *_at(doc, ["sensitive_categories", i]),
                    f"$.sensitive_categories[{i}]",
                    did_you_mean(key, categories.all_keys),
                )
            )
    ids = [i["id"] for i in data["instruments"]]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        catalog.problems.append(_rule_problem(str(path), f"instrument id {quote(dup)} is used twice"))
    for i, inst in enumerate(data["instruments"]):
        start, end = inst.get("in_force_from"), inst.get("in_force_until")
        if start and end and end < start:
            catalog.problems.append(
                _rule_problem(
                    str(path),
                    "in_force_until is before in_force_from",
                    *_at(doc, ["instruments", i]),
                    f"$.instruments[{i}]",
                )
            )
    if data["last_reviewed"] > dt.date.today().isoformat():
        catalog.problems.append(
            _rule_problem(
                str(path), "last_reviewed is in the future", *_at(doc, ["last_reviewed"]), "$.last_reviewed"
            )
        )
    sensitive = tuple(categories.canonical(k) or k for k in data["sensitive_categories"])
    catalog.profiles[code] = CountryProfile.from_data(data, sensitive, str(path))


def _profile_shape_ok(data: Any) -> bool:
    """The fields the engine reads, present and of the right type (for unvalidated loading)."""
    quick = quick_check("country")
    return bool(quick(data)) if quick is not None else False


def _at(doc: source.Document, path: list[Any]) -> tuple[int, int]:
    loc = doc.locate(path)
    return loc.line, loc.column


def _load_pack(
    catalog: _CatalogBuilder, pack_dir: Path, seen: dict[str, str], categories: Any, validate: bool = True
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
            _rule_problem(
                str(meta_path),
                f"pack country {meta.data['country']} does not match folder {pack_dir.name}",
                *_at(meta, ["country"]),
                "$.country",
            )
        )
        return
    if meta.data["last_reviewed"] > dt.date.today().isoformat():
        catalog.problems.append(
            _rule_problem(
                str(meta_path),
                "last_reviewed is in the future",
                *_at(meta, ["last_reviewed"]),
                "$.last_reviewed",
            )
        )
    catalog.packs[country] = PackInfo(country, meta.data["version"], meta.data["last_reviewed"])
    if country not in catalog.profiles:
        catalog.problems.append(
            _rule_problem(
                str(meta_path), f"no country profile for {country} (countries/{pack_dir.name}.yaml)"
            )
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
            catalog.problems += schema_problems(doc, "rules") or [
                _rule_problem(str(path), "malformed rule file")
            ]
            continue
        for i, rule in enumerate(built):
            if rule is None:
                continue
            if rule.id in seen:
                catalog.problems.append(
                    _rule_problem(
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
    catalog: _CatalogBuilder, doc: source.Document, i: int, raw: dict[str, Any], country: str, categories: Any
) -> Rule | None:
    from defa_check.inputs.taxonomy import data_uses

    uses = data_uses()
    path = doc.path
    here = f"$.rules[{i}]"
    problems: list[Problem] = []

    def problem(message: str, where: list[Any], hint: str | None = None) -> None:
        json_path = here + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
        problems.append(_rule_problem(path, message, *_at(doc, ["rules", i, *where]), json_path, hint))

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
                problem(f"unknown fact {quote(fact)}", [key], did_you_mean(fact, FACTS))
            elif raw["subject"] not in kinds:
                problem(f"fact {quote(fact)} is not available on {raw['subject']} rules", [key])
        for fact, keys in _under_values(raw[key]):
            if fact not in TAXONOMY_FACTS:
                if fact in FACTS:  # an unknown fact is reported above
                    problem(
                        f"`under` compares taxonomy keys; fact {quote(fact)} holds none",
                        [key],
                        "use it on " + " or ".join(map(quote, sorted(TAXONOMY_FACTS))),
                    )
                continue
            taxonomy, what = (
                (uses, "purpose (data use)") if fact == "flow.purposes" else (categories, "data category")
            )
            for k in keys:
                if taxonomy.canonical(k) is None:
                    problem(f"unknown {what} {quote(k)}", [key], did_you_mean(k, taxonomy.all_keys))
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
        confidence=Confidence(raw["confidence"]),
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
        topics = profile.topics
        for topic in TOPICS:
            if topic not in topics:
                problems.append(_rule_problem(profile.path, f"no position on topic {quote(topic)}"))
    return problems


MIRROR_HOST_PREFIXES = (
    "mail.",
    "preprod.",
    "staging.",
    "stage.",
    "dev.",
    "sitedev.",
    "test.",
    "uat.",
    "webiis",
)
MIRROR_HOST_PARTS = (
    "magnolia-platform",
    "digitaloceanspaces",
    "herokuapp",
    "netlify.app",
    "vercel.app",
    "-prod.",
)
"""Host names that are copies of a page rather than its home: staging servers, mail front-ends, CDNs."""


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


def lint_sources(catalog: Catalog) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) about rules' sources.

    A first URL on a mirror or staging host is a problem. A first URL not on the
    country profile's ``official_domains`` (or a subdomain) is a warning: some
    laws have no official text online, and the rule's note must then say so.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for rule in catalog.rules:
        where = rule.location
        path, line, column = (where.path, where.line, where.column) if where else (rule.id, None, None)
        for url in (rule.citation.url, *rule.sources):
            host = _host(url)
            if host.startswith(MIRROR_HOST_PREFIXES) or any(part in host for part in MIRROR_HOST_PARTS):
                problems.append(
                    Problem(
                        path,
                        f"{rule.id}: {host} looks like a mirror or staging copy; cite the page's home",
                        line,
                        column,
                        code="mirror-source",
                    )
                )
        profile = catalog.profiles.get(rule.country)
        official = profile.official_domains if profile else ()
        host = _host(rule.citation.url)
        if official and not any(host == d or host.endswith("." + d) for d in official):
            noted = "official" in (rule.note or "").lower() or "primary" in (rule.note or "").lower()
            warnings.append(
                Problem(
                    path,
                    f"{rule.id}: first URL ({host}) is not on {rule.country}'s official domains"
                    + ("" if noted else "; say in the note why no official text is cited"),
                    line,
                    column,
                    code="unofficial-source",
                )
            )
    return problems, warnings
