"""Fides (fideslang) resources -> plain values with their positions, or located problems.

Reads the YAML files a Fides repository keeps (``system:``, ``dataset:``,
``organization:``, ``data_category:``, ``data_use:``, ``data_subject:``, each a
list of resources) with the project's safe loader. Only the shape this tool
maps is checked here; the test suite checks the fixtures against fideslang's
own models, so the reader follows the real format without depending on it.

Fideslang records no geography (since 3.0), so a *locations* file or options
say where systems, datasets, third parties and people are: :func:`read_locations`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from defa_check.inputs.source import Document, load
from defa_check.model import Location, Problem, quote
from defa_check.records import field, record

RESOURCE_TYPES = ("system", "dataset", "organization", "data_category", "data_use", "data_subject")
IGNORED_TYPES = ("policy", "registry", "evaluation")
"""Fideslang resource types with no manifest counterpart (reported, not read)."""

MAX_FILES = 2000


@record
class Spot:
    """A place in a Fides file: line and column, and the JSON path (for problems)."""

    path: str
    line: int
    column: int
    json_path: str


@record
class Resource:
    """Where a resource (or one of its parts) is, and its fields as written."""

    doc: Document
    path: tuple[Any, ...]
    raw: dict[str, Any]

    def at(self, *more: Any) -> Spot:
        from defa_check.inputs.schemas import json_path

        loc = self.doc.locate([*self.path, *more])
        return Spot(loc.path, loc.line, loc.column, json_path([*self.path, *more]))

    def has(self, name: str) -> bool:
        """The field is written with a value (not null, not an empty list or string)."""
        value = self.raw.get(name)
        return value not in (None, "", [], {})


@record
class DataFlow:
    """A system's egress or ingress entry: a system, a dataset, or ``user``."""

    key: str
    type: str
    data_categories: tuple[str, ...] | None


@record
class Declaration:
    source: Resource
    name: str | None
    data_categories: tuple[str, ...]
    data_use: str
    data_subjects: tuple[str, ...]
    egress: tuple[str, ...] | None
    ingress: tuple[str, ...] | None
    dataset_references: tuple[str, ...]
    legal_basis_for_processing: str | None
    retention_period: str | None
    third_parties: str | None
    data_shared_with_third_parties: bool
    shared_categories: tuple[str, ...]
    impact_assessment_location: str | None


@record
class System:
    source: Resource
    key: str
    name: str | None
    declarations: tuple[Declaration, ...]
    egress: tuple[DataFlow, ...]
    ingress: tuple[DataFlow, ...]
    dataset_references: tuple[str, ...]
    responsibility: tuple[str, ...]
    legal_basis_for_transfers: tuple[str, ...]
    data_security_practices: str | None
    dpa_location: str | None
    legal_name: str | None
    resource_id: str | None
    processes_personal_data: bool


@record
class Dataset:
    source: Resource
    key: str
    name: str | None
    data_categories: tuple[str, ...]
    """Every category the dataset, its collections and fields declare, in order."""


@record
class Organization:
    source: Resource
    key: str
    name: str | None
    has_dpo: bool


@record
class TaxonomyItem:
    """A user-defined data category, data use or data subject."""

    source: Resource
    kind: str
    key: str
    parent: str | None
    name: str | None
    description: str | None


@record(frozen=False)
class Inventory:
    """Everything read from a Fides repository."""

    files: list[str] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    taxonomy: list[TaxonomyItem] = field(default_factory=list)
    skipped: list[tuple[Location, str]] = field(default_factory=list)
    """Resources read but not mapped (policies, ...): where, and what."""
    problems: list[Problem] = field(default_factory=list)


def fides_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named, and those inside the folders named (sorted, hidden folders skipped)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in (".yml", ".yaml")
                and p.is_file()
                and not any(
                    part.startswith(".") and part not in (".", "..", ".fides")
                    for part in p.relative_to(path).parts
                )
            )
            if not found:
                problems.append(
                    Problem(str(path), "no .yml or .yaml files in this folder", code="unreadable")
                )
            files.extend(found)
        else:
            files.append(path)
    if len(files) > MAX_FILES:
        problems.append(
            Problem(
                str(paths[0]),
                f"more than {MAX_FILES} files; name the folder that holds the Fides resources",
                code="unreadable",
            )
        )
        return [], problems
    return list(dict.fromkeys(files)), problems


def read_inventory(paths: list[Path]) -> Inventory:
    """Read Fides resources from files and folders; never raises on bad input."""
    inventory = Inventory()
    files, inventory.problems = fides_files(paths)
    named = {p for p in paths if not p.is_dir()}
    for file in files:
        doc = load(file)
        inventory.files.append(doc.path)
        if not doc.ok:
            inventory.problems.extend(doc.problems)
            continue
        data = doc.data
        if not isinstance(data, dict) or not any(k in data for k in (*RESOURCE_TYPES, *IGNORED_TYPES)):
            if file in named:
                inventory.problems.append(
                    Problem(
                        doc.path,
                        "no fideslang resources here (system:, dataset:, organization:, ...)",
                        1,
                        1,
                        code="invalid-form",
                    )
                )
            continue
        _read_doc(inventory, doc)
    return inventory


class _Reader:
    def __init__(self, inventory: Inventory, doc: Document) -> None:
        self.inventory, self.doc = inventory, doc

    def problem(self, path: list[Any], message: str, code: str = "invalid", hint: str | None = None) -> None:
        from defa_check.inputs.schemas import json_path

        loc = self.doc.locate(path)
        self.inventory.problems.append(
            Problem(self.doc.path, message, loc.line, loc.column, json_path(path), hint, code=code)
        )

    def string(self, raw: dict[str, Any], name: str, path: list[Any], required: bool = False) -> str | None:
        value = raw.get(name)
        if value is None or value == "":
            if required:
                self.problem(path, f"{name} is required", code="missing-field")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem([*path, name], f"{name} must be text", code="wrong-type")
            return None
        return str(value)

    def strings(self, raw: dict[str, Any], name: str, path: list[Any]) -> tuple[str, ...] | None:
        value = raw.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem([*path, name], f"{name} must be a list of keys", code="wrong-type")
            return None
        return tuple(value)

    def flag(self, raw: dict[str, Any], name: str, path: list[Any], default: bool) -> bool:
        value = raw.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem([*path, name], f"{name} must be true or false", code="wrong-type")
            return default
        return value

    def resources(self, section: str) -> list[tuple[list[Any], dict[str, Any]]]:
        items = self.doc.data.get(section)
        if items is None:
            return []
        if not isinstance(items, list):
            self.problem([section], f"{section} must be a list of resources", code="wrong-type")
            return []
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.problem([section, i], f"each {section} must be a mapping", code="wrong-type")
            elif self.string(item, "fides_key", [section, i], required=True) is not None:
                out.append(([section, i], item))
        return out


def _read_doc(inventory: Inventory, doc: Document) -> None:
    r = _Reader(inventory, doc)
    for section in IGNORED_TYPES:
        for path, raw in r.resources(section):
            inventory.skipped.append((doc.locate(path), f"{section} {raw['fides_key']}"))
    for path, raw in r.resources("organization"):
        inventory.organizations.append(
            Organization(
                Resource(doc, tuple(path), raw),
                str(raw["fides_key"]),
                r.string(raw, "name", path),
                has_dpo=isinstance(raw.get("data_protection_officer"), dict),
            )
        )
    for kind in ("data_category", "data_use", "data_subject"):
        for path, raw in r.resources(kind):
            inventory.taxonomy.append(
                TaxonomyItem(
                    Resource(doc, tuple(path), raw),
                    kind,
                    str(raw["fides_key"]),
                    r.string(raw, "parent_key", path),
                    r.string(raw, "name", path),
                    r.string(raw, "description", path),
                )
            )
    for path, raw in r.resources("dataset"):
        inventory.datasets.append(
            Dataset(
                Resource(doc, tuple(path), raw),
                str(raw["fides_key"]),
                r.string(raw, "name", path),
                tuple(dict.fromkeys(_dataset_categories(raw))),
            )
        )
    for path, raw in r.resources("system"):
        system = _read_system(r, path, raw)
        if system is not None:
            inventory.systems.append(system)


def _dataset_categories(node: Any) -> list[str]:
    """Categories declared anywhere in a dataset (dataset, collections, nested fields)."""
    out: list[str] = []
    if isinstance(node, dict):
        cats = node.get("data_categories")
        if isinstance(cats, list):
            out.extend(c for c in cats if isinstance(c, str))
        for child in ("collections", "fields"):
            if isinstance(node.get(child), list):
                for item in node[child]:
                    out.extend(_dataset_categories(item))
    return out


def _flows(r: _Reader, raw: dict[str, Any], name: str, path: list[Any]) -> tuple[DataFlow, ...]:
    value = raw.get(name)
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem([*path, name], f"{name} must be a list of {{fides_key, type}}", code="wrong-type")
        return ()
    out = []
    for i, item in enumerate(value):
        where = [*path, name, i]
        if not isinstance(item, dict):
            r.problem(
                where, f"each {name} entry must be a mapping with fides_key and type", code="wrong-type"
            )
            continue
        key = r.string(item, "fides_key", where, required=True)
        kind = r.string(item, "type", where, required=True)
        if kind is not None and kind not in ("system", "dataset", "user"):
            r.problem(
                [*where, "type"], f"type {quote(kind)} must be system, dataset or user", code="unknown-value"
            )
            continue
        if key is not None and kind is not None:
            out.append(DataFlow(key, kind, r.strings(item, "data_categories", where)))
    return tuple(out)


def _read_system(r: _Reader, path: list[Any], raw: dict[str, Any]) -> System | None:
    declarations_raw = raw.get("privacy_declarations")
    if not isinstance(declarations_raw, list):
        r.problem(path, "privacy_declarations is required (a list; empty if none)", code="missing-field")
        return None
    declarations = []
    for i, d in enumerate(declarations_raw):
        where = [*path, "privacy_declarations", i]
        if not isinstance(d, dict):
            r.problem(where, "each privacy declaration must be a mapping", code="wrong-type")
            continue
        categories = r.strings(d, "data_categories", where)
        use = r.string(d, "data_use", where, required=True)
        if categories is None:
            r.problem(where, "data_categories is required", code="missing-field")
        if categories is None or use is None:
            continue
        declarations.append(
            Declaration(
                Resource(r.doc, tuple(where), d),
                r.string(d, "name", where),
                categories,
                use,
                r.strings(d, "data_subjects", where) or (),
                r.strings(d, "egress", where),
                r.strings(d, "ingress", where),
                r.strings(d, "dataset_references", where) or (),
                r.string(d, "legal_basis_for_processing", where),
                r.string(d, "retention_period", where),
                r.string(d, "third_parties", where),
                r.flag(d, "data_shared_with_third_parties", where, False),
                r.strings(d, "shared_categories", where) or (),
                r.string(d, "impact_assessment_location", where),
            )
        )
    meta = raw.get("fidesctl_meta")
    resource_id = r.string(meta, "resource_id", [*path, "fidesctl_meta"]) if isinstance(meta, dict) else None
    return System(
        Resource(r.doc, tuple(path), raw),
        str(raw["fides_key"]),
        r.string(raw, "name", path),
        tuple(declarations),
        _flows(r, raw, "egress", path),
        _flows(r, raw, "ingress", path),
        r.strings(raw, "dataset_references", path) or (),
        r.strings(raw, "responsibility", path) or (),
        r.strings(raw, "legal_basis_for_transfers", path) or (),
        r.string(raw, "data_security_practices", path),
        r.string(raw, "dpa_location", path),
        r.string(raw, "legal_name", path),
        resource_id,
        r.flag(raw, "processes_personal_data", path, True),
    )


# ---------------------------------------------------------------- locations


@record(frozen=False)
class Locations:
    """Where things are: what fideslang does not record."""

    home_country: str | None = None
    places: dict[str, str] = field(default_factory=dict)
    """fides_key of a system or dataset, or a third party's name -> ISO country code."""
    subjects: dict[str, list[str]] = field(default_factory=dict)
    """fideslang data subject -> the countries those people are in."""
    problems: list[Problem] = field(default_factory=list)


def country_code(text: str) -> tuple[str | None, str | None]:
    """An ISO code from a code or a cloud region; else None and a did-you-mean (names are not guessed at)."""
    from defa_check.inputs.geo import CLOUD_REGIONS, COUNTRY_NAMES, iso_codes, suggest_country

    value = text.strip()
    if value.upper() in iso_codes():
        return value.upper(), None
    if value.lower() in CLOUD_REGIONS:
        return CLOUD_REGIONS[value.lower()], None
    named = COUNTRY_NAMES.get(value.lower())
    if named is None:
        near = suggest_country(value)
        named = COUNTRY_NAMES.get(near or "") or CLOUD_REGIONS.get(near or "")
    return None, (f"did you mean '{named}'?" if named else None)


LOCATIONS_EXAMPLE = """\
home_country: SG              # where the organisation is headquartered
locations:                    # system or dataset fides_key (or a third party's name) -> country
  checkout: SG                #   an ISO code, or a cloud region such as ap-southeast-1
  analytics_warehouse: us-east-1
subjects:                     # fideslang data subject -> where those people are
  customer: [SG, VN, TH]
"""


def read_locations(path: Path) -> Locations:
    """A locations file (see :data:`LOCATIONS_EXAMPLE`); problems located in it."""
    from defa_check.inputs.schemas import json_path

    doc = load(path)
    out = Locations()
    if not doc.ok:
        out.problems = list(doc.problems)
        return out

    def bad(parts: list[Any], message: str, hint: str | None = None, code: str = "unknown-value") -> None:
        loc = doc.locate(parts)
        out.problems.append(
            Problem(doc.path, message, loc.line, loc.column, json_path(parts), hint, code=code)
        )

    data = doc.data
    if not isinstance(data, dict):
        bad([], "a locations file is a mapping with home_country, locations and subjects", code="wrong-type")
        return out
    for key in data:
        if key not in ("home_country", "locations", "subjects"):
            from defa_check.inputs.suggest import did_you_mean

            bad(
                [key],
                f"unknown field {quote(key)}",
                did_you_mean(str(key), ["home_country", "locations", "subjects"]),
                "unknown-field",
            )

    def code_at(value: Any, parts: list[Any]) -> str | None:
        if not isinstance(value, str):
            bad(parts, "expected a country code", code="wrong-type")
            return None
        code, hint = country_code(value)
        if code is None:
            bad(parts, f"{quote(value)} is not an ISO country code or cloud region", hint)
        return code

    if "home_country" in data:
        out.home_country = code_at(data["home_country"], ["home_country"])
    places = data.get("locations") or {}
    if not isinstance(places, dict):
        bad(["locations"], "locations maps fides_keys to countries", code="wrong-type")
    else:
        for key, value in places.items():
            code = code_at(value, ["locations", key])
            if code:
                out.places[str(key)] = code
    subjects = data.get("subjects") or {}
    if not isinstance(subjects, dict):
        bad(["subjects"], "subjects maps data subjects to lists of countries", code="wrong-type")
    else:
        for kind, value in subjects.items():
            values = value if isinstance(value, list) else [value]
            codes = [
                code_at(v, ["subjects", kind, i] if isinstance(value, list) else ["subjects", kind])
                for i, v in enumerate(values)
            ]
            out.subjects[str(kind)] = [c for c in dict.fromkeys(codes) if c]
    return out
