"""`defa-check import fides|ropa` and `template ropa`: an inventory -> a commented manifest that validates.

Each importer returns an :class:`ImportResult`: the manifest (as data and as
commented YAML naming each item's source), the *notes* (fields not imported,
or imported with a loss, each located in the source), and the problems that
stop the import. Nothing is guessed: a country, a legal basis or a transfer
mechanism the source does not state is left out, so that `check` asks for it;
where the manifest cannot do without a value (a flow's `from` and `to`, the
organisation's home country) its absence is a problem naming what to add.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml

from defa_check.inputs import fides as fides_input
from defa_check.inputs import vocabulary as words
from defa_check.inputs.ropa import RopaRow, read_ropa
from defa_check.model import Problem, quote
from defa_check.records import field, record


@record
class Note:
    """A field not imported, or imported with a loss: where it is in the source, and why."""

    where: str
    message: str
    order: tuple[str, int, int] = ("", 0, 0)
    """File, line (or row) and column: notes are listed in file order."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@record(frozen=False)
class ImportResult:
    """The manifest an import makes (None when problems stop it), its notes and problems."""

    manifest: dict[str, Any] | None = None
    text: str | None = None
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)
    """With --partial: what was left out because of a problem."""


def plain(text: object) -> str:
    """One line without control characters: safe in a YAML comment and on a terminal."""
    return "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(text)).strip()


def slug(text: str, limit: int = 48) -> str:
    """An id the manifest accepts (letters, digits, - _ .) made from any text."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.").lower()
    return value[:limit].rstrip("-.") or "item"


# ---------------------------------------------------------------- writing the manifest


class _NoAliases(yaml.SafeDumper):
    """Repeat shared lists instead of writing &anchors: the file is for people to read."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)


@record(frozen=False)
class _Builder:
    """The manifest being built, with a source comment per item."""

    organization: dict[str, Any] = field(default_factory=dict)
    systems: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    flows: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    extensions: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def flow_id(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = {"manifest_version": 1, "organization": self.organization}
        data["systems"] = [s for s, _ in self.systems]
        data["flows"] = [f for f, _ in self.flows]
        if self.extensions:
            data["taxonomy_extensions"] = {"data_categories": [e for e, _ in self.extensions]}
        return data

    def text(self, header: list[str], notes: list[Note]) -> str:
        out = [f"# {plain(line)}\n" if line else "#\n" for line in header]
        if notes:
            out.append("#\n# Not imported, or imported with a loss:\n")
            out.extend(f"#   {plain(n)}\n" for n in notes)
        out.append("\nmanifest_version: 1\n\n")
        out.append(_dump({"organization": self.organization}))
        for key, items in (("systems", self.systems), ("flows", self.flows)):
            out.append(f"\n{key}:" + (" []\n" if not items else "\n"))
            for item, source in items:
                out.append(f"  # {plain(source)}\n")
                out.extend("  " + line + "\n" for line in _dump([item]).splitlines())
        if self.extensions:
            out.append("\ntaxonomy_extensions:\n  data_categories:\n")
            for item, source in self.extensions:
                out.append(f"    # {plain(source)}\n")
                out.extend("    " + line + "\n" for line in _dump([item]).splitlines())
        return "".join(out)


def _finish(builder: _Builder, header: list[str], result: ImportResult, display_path: str) -> ImportResult:
    """Write the text and validate it: an importer must never hand over a manifest that fails `validate`."""
    from defa_check.inputs import source
    from defa_check.inputs.manifest import validate_manifest

    result.notes.sort(key=lambda n: n.order)
    result.manifest = builder.manifest()
    result.text = builder.text(header, result.notes)
    problems = validate_manifest(source.loads(result.text, display_path))
    if problems:  # a bug, not the user's fault: say so rather than write a broken file
        result.problems.extend(problems)
        result.text = None
    return result


def _source_line(loc: Any) -> str:
    return f"{loc.path}:{loc.line}"


# ---------------------------------------------------------------- Fides


@record
class FidesRequest:
    """`import fides`: the files and folders, and what fideslang does not record."""

    paths: tuple[Path, ...]
    locations: Path | None = None
    countries: tuple[str, ...] = ()
    """KEY=CC: where a system, a dataset or a named third party is."""
    subjects: tuple[str, ...] = ()
    """KIND=CC,CC: where the people of a data subject kind are."""
    home: str | None = None
    name: str | None = None
    partial: bool = False
    output: str = "flows.yaml"


LEGAL_BASIS_FOR_TRANSFERS_NOT_MAPPED = ("supplementary measures", "other")

SYSTEM_FIELDS_NOT_MAPPED: dict[str, str] = {
    "uses_profiling": "no manifest field; profiling shows through data uses such as "
    "marketing.advertising.profiling",
    "legal_basis_for_profiling": "no manifest field",
    "exempt_from_privacy_regulations": "exemptions are decided by each country's rules, not declared",
    "reason_for_exemption": "exemptions are decided by each country's rules, not declared",
    "requires_data_protection_assessments": "needing an assessment is not having done one; dpa_location "
    "is read as a DPIA done",
    "dpa_progress": "free text",
    "joint_controller_info": "no manifest field",
    "dpo": "a contact, not a fact; organization.dpo_appointed comes from the organisation's "
    "data_protection_officer",
    "legal_address": "free text; no country is read from an address",
    "privacy_policy": "no manifest field",
    "legitimate_interest_disclosure_url": "no manifest field",
    "uses_cookies": "cookie rules are not checked",
    "cookie_max_age_seconds": "cookie rules are not checked",
    "cookie_refresh": "cookie rules are not checked",
    "uses_non_cookie_access": "cookie rules are not checked",
}
"""System fields with privacy meaning that the manifest has no place for (noted when set)."""

DECLARATION_FIELDS_NOT_MAPPED: dict[str, str] = {
    "special_category_legal_basis": "no manifest field; what is sensitive is decided from the data "
    "categories by each country's profile",
    "features": "no manifest field (IAB TCF features)",
}

ROLES = {"controller": "controller", "processor": "processor", "sub-processor": "processor"}


class _FidesMapper:
    def __init__(self, request: FidesRequest) -> None:
        self.request = request
        self.inventory = fides_input.read_inventory(list(request.paths))
        self.locations = (
            fides_input.read_locations(request.locations) if request.locations else fides_input.Locations()
        )
        self.result = ImportResult(problems=[*self.inventory.problems, *self.locations.problems])
        self.builder = _Builder()
        self.systems = {s.key: s for s in self.inventory.systems}
        self.datasets = {d.key: d for d in self.inventory.datasets}
        self.custom = {(t.kind, t.key): t for t in self.inventory.taxonomy}
        self.missing_places: set[str] = set()
        self.org_name = ""

    # -- small helpers

    def note(self, loc: Any, message: str) -> None:
        note = Note(f"{loc.path}:{loc.line}:{loc.column}", message, (loc.path, loc.line, loc.column))
        if note not in self.result.notes:
            self.result.notes.append(note)

    def problem(
        self, loc: fides_input.Spot, message: str, hint: str | None = None, code: str = "invalid"
    ) -> None:
        self.result.problems.append(
            Problem(loc.path, message, loc.line, loc.column, loc.json_path, hint=hint, code=code)
        )

    def options(self) -> None:
        """--home, --country KEY=CC and --subjects KIND=CC,CC over the locations file."""
        locs = self.locations
        if self.request.home:
            code, hint = fides_input.country_code(self.request.home)
            if code is None:
                self.result.problems.append(
                    Problem(
                        "--home",
                        f"{quote(self.request.home)} is not an ISO country code",
                        hint=hint,
                        code="usage",
                    )
                )
            locs.home_country = code or locs.home_country
        for item in self.request.countries:
            key, sep, value = item.rpartition("=")
            code, hint = fides_input.country_code(value) if sep and key else (None, None)
            if code is None:
                self.result.problems.append(
                    Problem(
                        "--country", f"{quote(item)}: write KEY=CC, e.g. checkout=SG", hint=hint, code="usage"
                    )
                )
            else:
                locs.places[key] = code
        for item in self.request.subjects:
            kind, sep, value = item.partition("=")
            codes = [fides_input.country_code(v) for v in value.split(",") if v.strip()]
            if not sep or not kind or not codes or any(c is None for c, _ in codes):
                hint = next((h for c, h in codes if c is None and h), None)
                self.result.problems.append(
                    Problem(
                        "--subjects",
                        f"{quote(item)}: write KIND=CC,CC, e.g. customer=SG,VN",
                        hint=hint,
                        code="usage",
                    )
                )
            else:
                locs.subjects[kind] = [c for c, _ in codes if c]

    def place(self, key: str, loc: Any, what: str) -> str | None:
        """Where a system, dataset or third party is; a problem (once) when nobody said."""
        if key in self.locations.places:
            return self.locations.places[key]
        system = self.systems.get(key)
        if system is not None and system.resource_id:
            region = _arn_region(system.resource_id)
            if region:
                return region
        if key not in self.missing_places:
            self.missing_places.add(key)
            self.problem(
                loc,
                f"where is {what} {quote(key)}? fideslang does not record locations",
                hint=f"add '{key}: CC' under locations: in the locations file, or --country {key}=CC",
                code="missing-field",
            )
        return None

    # -- taxonomy

    def category(self, key: str, loc: Any, lossy: list[str]) -> str | None:
        from defa_check.inputs.taxonomy import data_categories

        known = data_categories()
        if known.canonical(key) is not None:
            return key
        item = self.custom.get(("data_category", key))
        if item is not None:
            if known.parent_known(key):
                if all(e["key"] != key for e, _ in self.builder.extensions):
                    ext: dict[str, Any] = {"key": key}
                    if item.name:
                        ext["name"] = item.name
                    if item.description:
                        ext["description"] = item.description
                    self.builder.extensions.append(
                        (ext, f"{_source_line(item.source.at())}: data_category {key}")
                    )
                return key
            ancestor = self._known_ancestor("data_category", key, known.canonical)
            if ancestor:
                lossy.append(f"data category {quote(key)} imported as its parent {quote(ancestor)}")
                return ancestor
        self.problem(
            loc,
            f"unknown data category {quote(key)}",
            words.hint_for(key, known.all_keys),
            "unknown-taxonomy-key",
        )
        return None

    def _known_ancestor(self, kind: str, key: str, canonical: Any) -> str | None:
        seen: set[str] = set()
        current: str | None = key
        while current and current not in seen:
            seen.add(current)
            if canonical(current) is not None:
                return current
            item = self.custom.get((kind, current))
            current = item.parent if item else None
        return None

    def use(self, key: str, loc: Any, lossy: list[str]) -> str | None:
        from defa_check.inputs.taxonomy import data_uses

        known = data_uses()
        if known.canonical(key) is not None:
            return key
        ancestor = self._known_ancestor("data_use", key, known.canonical)
        if ancestor:
            lossy.append(f"data use {quote(key)} imported as its parent {quote(ancestor)}")
            return ancestor
        self.problem(
            loc, f"unknown data use {quote(key)}", words.hint_for(key, known.all_keys), "unknown-taxonomy-key"
        )
        return None

    def subject(self, key: str, loc: Any, lossy: list[str]) -> str | None:
        from defa_check.inputs.taxonomy import data_subjects

        known = data_subjects()
        if known.canonical(key) is not None:
            return key
        if ("data_subject", key) in self.custom:
            lossy.append(
                f"data subject {quote(key)} is your own; the manifest knows only fideslang's, "
                "so it is left out"
            )
            return None
        self.problem(
            loc,
            f"unknown data subject {quote(key)}",
            words.hint_for(key, known.all_keys),
            "unknown-taxonomy-key",
        )
        return None

    # -- the mapping

    def run(self) -> ImportResult:
        self.options()
        self.map_organization()
        for system in self.inventory.systems:
            self.map_system(system)
        for dataset in self.inventory.datasets:
            country = self.locations.places.get(dataset.key)
            if country and dataset.key not in self.systems:
                entry: dict[str, Any] = {"id": dataset.key}
                if dataset.name:
                    entry["name"] = dataset.name
                entry["country"] = country
                self.builder.systems.append(
                    (entry, f"{_source_line(dataset.source.at())}: dataset {dataset.key}")
                )
        for loc, what in self.inventory.skipped:
            self.note(
                loc,
                f"{what}: not imported (Fides policies are your own rules; defa-check checks the law)"
                if what.startswith("policy")
                else f"{what}: not imported",
            )
        if self.result.problems and not self.request.partial:
            return self.result
        if not self.builder.organization.get("name") or not self.builder.organization.get("home_country"):
            return self.result
        header = [
            "defa-check flow manifest, imported by `defa-check import fides` from "
            + ", ".join(str(p) for p in self.request.paths)
            + ".",
            f"Check it with: defa-check check {self.request.output}",
            "Fideslang records no countries: they come from the locations given to the import.",
            "What the source does not state is left out on purpose: `check` reports it as needs_info",
            "(transfer mechanisms, safeguards, retention, legal bases where a declaration has none).",
            "Data categories, uses and subjects: the Fides taxonomy (fideslang) by Ethyca, CC BY 4.0.",
        ]
        return _finish(self.builder, header, self.result, self.request.output)

    def map_organization(self) -> None:
        orgs = self.inventory.organizations
        org = orgs[0] if orgs else None
        for other in orgs[1:]:
            self.note(
                other.source.at(),
                f"organization {other.key}: only the first organisation "
                f"({org.key if org else ''}) is imported",
            )
        name = self.request.name or (org.name or org.key if org else None)
        if not name:
            self.result.problems.append(
                Problem("--name", "no organization resource names the business: give --name", code="usage")
            )
        home = self.locations.home_country
        if home is None and not any(p.path == "--home" for p in self.result.problems):
            self.result.problems.append(
                Problem(
                    "--home",
                    "the organisation's home country is not stated (fideslang has no field for it)",
                    hint="give --home CC or home_country: in the locations file",
                    code="usage",
                )
            )
        self.org_name = name or ""
        self.builder.organization = {"name": name or "", "home_country": home or ""}
        if org is not None:
            if org.has_dpo:
                self.builder.organization["dpo_appointed"] = True
            if org.source.has("representative"):
                self.note(
                    org.source.at("representative"),
                    "organization representative: not imported (no "
                    "country is read from an address; add organization.local_representatives)",
                )

    def map_system(self, system: fides_input.System) -> None:
        loc = system.source.at()
        for name, why in SYSTEM_FIELDS_NOT_MAPPED.items():
            if system.source.raw.get(name) not in (None, False, "", [], {}):
                self.note(system.source.at(name), f"system {system.key}: {name} not imported ({why})")
        if not system.processes_personal_data:
            self.note(loc, f"system {system.key}: processes no personal data; no flows")
        elif not system.declarations:
            self.note(loc, f"system {system.key}: has no privacy declarations; no flows")
        country = self.locations.places.get(system.key) or (
            _arn_region(system.resource_id) if system.resource_id else None
        )
        if country:
            entry: dict[str, Any] = {"id": system.key}
            if system.name:
                entry["name"] = system.name
            entry["country"] = country
            provider = self.provider(system)
            if provider:
                entry["provider"] = provider
            self.builder.systems.append((entry, f"{_source_line(loc)}: system {system.key}"))
        if system.processes_personal_data:
            for declaration in system.declarations:
                self.map_declaration(system, declaration)

    def provider(self, system: fides_input.System) -> str | None:
        if system.resource_id and system.resource_id.startswith("arn:aws:"):
            return "aws"
        if system.legal_name and system.legal_name != self.org_name:
            return system.legal_name
        return None

    def common(self, system: fides_input.System, d: fides_input.Declaration) -> dict[str, Any] | None:
        """The parts every flow of a declaration shares; None when a key is unknown."""
        lossy: list[str] = []
        categories = [
            c
            for i, k in enumerate(d.data_categories)
            if (c := self.category(k, d.source.at("data_categories", i), lossy)) is not None
        ]
        use = self.use(d.data_use, d.source.at("data_use"), lossy)
        kinds = [
            s
            for i, k in enumerate(d.data_subjects)
            if (s := self.subject(k, d.source.at("data_subjects", i), lossy)) is not None
        ]
        out: dict[str, Any] = {"categories": list(dict.fromkeys(categories)), "use": use, "kinds": kinds}
        if d.legal_basis_for_processing:
            basis = words.vocabulary("legal_bases").lookup(d.legal_basis_for_processing)
            if basis is None:
                self.problem(
                    d.source.at("legal_basis_for_processing"),
                    f"unknown legal_basis_for_processing {quote(d.legal_basis_for_processing)}",
                    words.hint_for(d.legal_basis_for_processing, words.vocabulary("legal_bases").choices),
                    "unknown-value",
                )
            else:
                out["legal_bases"] = [basis]
        safeguards = self.safeguards(system)
        if safeguards:
            out["safeguards"] = safeguards
        assessments = []
        if system.dpa_location:
            assessments.append("dpia")
        if d.impact_assessment_location:
            assessments.append("legitimate_interests_assessment")
        if assessments:
            out["assessments"] = assessments
        if d.retention_period:
            # Fides keeps retention as a number of days ("2555"): read a bare number as days.
            period = d.retention_period.strip()
            retention = words.parse_retention(f"{period} days" if period.isdigit() else period)
            if retention is None:
                lossy.append(
                    f"retention_period {quote(d.retention_period)} not read (write e.g. '24 months', "
                    "'7 years', 'until purpose ends' or 'indefinite')"
                )
            else:
                out["retention"] = retention.value
                if retention.lost:
                    lossy.append(f"retention_period: {retention.lost}")
        for name, why in DECLARATION_FIELDS_NOT_MAPPED.items():
            if d.source.raw.get(name) not in (None, False, "", [], {}):
                lossy.append(f"{name} not imported ({why})")
        label = f"system {system.key}, declaration {d.name or d.data_use!r}"
        for message in lossy:
            self.note(d.source.at(), f"{label}: {message}")
        if use is None or not categories:
            return None
        return out

    def safeguards(self, system: fides_input.System) -> list[str]:
        """The safeguards named in a system's data_security_practices (the rest noted, once)."""
        if not system.data_security_practices:
            return []
        found, unread = _safeguards(system.data_security_practices)
        if unread:
            self.note(
                system.source.at("data_security_practices"),
                f"system {system.key}: data_security_practices "
                f"{', '.join(repr(u) for u in unread)} not imported (no matching safeguard)",
            )
        return found

    def mechanisms(self, key: str) -> list[str]:
        """The transfer mechanisms of the system that sends the data (its legal_basis_for_transfers)."""
        system = self.systems.get(key)
        if system is None:
            return []
        out: list[str] = []
        for i, label in enumerate(system.legal_basis_for_transfers):
            mechanism = words.vocabulary("transfer_mechanisms").lookup(label)
            if mechanism is None:
                if f"transfers:{key}:{i}" not in self.missing_places:
                    self.missing_places.add(f"transfers:{key}:{i}")
                    self.note(
                        system.source.at("legal_basis_for_transfers", i),
                        f"system {key}: legal_basis_for_transfers {quote(label)} not imported (not a "
                        "transfer mechanism the manifest names)",
                    )
            elif mechanism not in out:
                out.append(mechanism)
        return out

    def subject_countries(self, kinds: list[str], loc: Any) -> dict[str, list[str]] | None:
        """Country -> the kinds of people there; None (and a problem) when a kind is not located."""
        by_country: dict[str, list[str]] = {}
        missing = [k for k in kinds if k not in self.locations.subjects]
        for kind in missing:
            if f"subjects:{kind}" not in self.missing_places:
                self.missing_places.add(f"subjects:{kind}")
                self.problem(
                    loc,
                    f"where are the {kind} data subjects? fideslang does not record it",
                    hint=f"add '{kind}: [CC, ...]' under subjects: in the locations file, or "
                    f"--subjects {kind}=CC,CC",
                    code="missing-field",
                )
        if missing or not kinds:
            return None if missing else {}
        for kind in kinds:
            for country in self.locations.subjects[kind]:
                by_country.setdefault(country, []).append(kind)
        return dict(sorted(by_country.items()))

    def map_declaration(self, system: fides_input.System, d: fides_input.Declaration) -> None:
        common = self.common(system, d)
        if common is None:
            return
        decl_loc = d.source.at()
        label = d.name or d.data_use
        base = slug(f"{system.key}-{label}")
        by_country = self.subject_countries(common["kinds"], d.source.at("data_subjects"))
        all_countries = sorted(by_country or {})
        to = self.place(system.key, system.source.at("fides_key"), "system")
        # Where the data comes from: the declaration's ingress, else the system's, else its people.
        sources = self.declared_flows(d, system, "ingress")
        if d.ingress is None and not sources:
            sources = [fides_input.DataFlow("user", "user", None)]
        recipient = self.recipient(system)
        for src in sources:
            if src.type == "user":
                if by_country is None:
                    continue
                for country, kinds in by_country.items():
                    self.add_flow(
                        common,
                        base=f"{base}-{country.lower()}",
                        start=country,
                        end=to,
                        system=system.key,
                        recipient=recipient,
                        kinds=kinds,
                        countries=[country],
                        sender=system.key,
                        description=f"{label} ({system.name or system.key}): collected in {country}",
                        source=f"{_source_line(decl_loc)}: system {system.key}, declaration {label!r}, "
                        f"collected in {country}",
                        categories=common["categories"],
                    )
            else:
                start = self.place(src.key, system.source.at("ingress"), src.type)
                categories = self.flow_categories(src, common, system)
                self.add_flow(
                    common,
                    base=f"{base}-from-{slug(src.key)}",
                    start=start,
                    end=to,
                    system=system.key,
                    recipient=recipient,
                    kinds=common["kinds"],
                    countries=all_countries,
                    sender=src.key if src.key in self.systems else system.key,
                    description=f"{label} ({system.name or system.key}): from {src.key}",
                    source=f"{_source_line(decl_loc)}: system {system.key}, declaration {label!r}, "
                    f"ingress {src.key}",
                    categories=categories,
                )
        self.map_onward(system, d, common, base, label, to, all_countries)

    def map_onward(
        self,
        system: fides_input.System,
        d: fides_input.Declaration,
        common: dict[str, Any],
        base: str,
        label: str,
        start: str | None,
        countries: list[str],
    ) -> None:
        """Egress, third parties and datasets stored elsewhere: where the data goes next."""
        decl_loc = d.source.at()
        targets = self.declared_flows(d, system, "egress")
        for tgt in targets:
            if tgt.type == "user":
                self.note(
                    decl_loc,
                    f"system {system.key}: egress to users not imported (data sent back to "
                    "the people it is about is not a transfer)",
                )
                continue
            receiver = self.systems.get(tgt.key)
            if receiver is not None and any(f.key == system.key for f in receiver.ingress):
                continue  # the receiving system's own declarations describe this flow
            end = self.place(tgt.key, system.source.at("egress"), tgt.type)
            self.add_flow(
                common,
                base=f"{base}-to-{slug(tgt.key)}",
                start=start,
                end=end,
                system=tgt.key,
                recipient=self.recipient(receiver) if receiver else {"name": self.org_name},
                kinds=common["kinds"],
                countries=countries,
                sender=system.key,
                description=f"{label} ({system.name or system.key}): sent to {tgt.key}",
                source=f"{_source_line(decl_loc)}: system {system.key}, declaration {label!r}, "
                f"egress {tgt.key}",
                categories=self.flow_categories(tgt, common, system),
            )
        if d.data_shared_with_third_parties or d.third_parties:
            party = d.third_parties
            where = self.locations.places.get(party) if party else None
            if party and where:
                shared = [c for c in d.shared_categories if c in common["categories"]] or common["categories"]
                self.add_flow(
                    common,
                    base=f"{base}-to-{slug(party)}",
                    start=start,
                    end=where,
                    system=None,
                    recipient={"name": party},
                    kinds=common["kinds"],
                    countries=countries,
                    sender=system.key,
                    description=f"{label} ({system.name or system.key}): shared with {party}",
                    source=f"{_source_line(decl_loc)}: system {system.key}, declaration {label!r}, "
                    "third_parties",
                    categories=shared,
                )
            else:
                self.note(
                    d.source.at("third_parties") if party else decl_loc,
                    f"system {system.key}, declaration {quote(label)}: sharing with third parties "
                    + (f"({quote(party)}) " if party else "")
                    + "not imported as a flow: "
                    + (
                        f"add '{party}: CC' under locations"
                        if party
                        else "name them in third_parties and locate them"
                    ),
                )
        for key in d.dataset_references or system.dataset_references:
            where = self.locations.places.get(key)
            if key not in self.datasets:
                self.problem(
                    decl_loc,
                    f"dataset {quote(key)} is not among the resources read",
                    words.hint_for(key, self.datasets),
                    code="unknown-reference",
                )
            elif where and where != start and start:
                dataset = self.datasets[key]
                self.add_flow(
                    common,
                    base=f"{base}-to-{slug(key)}",
                    start=start,
                    end=where,
                    system=key,
                    recipient={"name": self.org_name},
                    kinds=common["kinds"],
                    countries=countries,
                    sender=system.key,
                    description=f"{label} ({system.name or system.key}): stored in dataset {key}",
                    source=f"{_source_line(decl_loc)}: system {system.key}, declaration {label!r}, "
                    f"dataset {key}",
                    categories=[c for c in dataset.data_categories if c in common["categories"]]
                    or common["categories"],
                )

    def flow_categories(
        self, edge: fides_input.DataFlow, common: dict[str, Any], system: fides_input.System
    ) -> list[str]:
        """An edge's own data_categories (the data in transit) when it states them, else the declaration's."""
        if not edge.data_categories:
            return list(common["categories"])
        lossy: list[str] = []
        found = [c for k in edge.data_categories if (c := self.category(k, system.source.at(), lossy))]
        return list(dict.fromkeys(found)) or list(common["categories"])

    def declared_flows(
        self,
        d: fides_input.Declaration,
        system: fides_input.System,
        direction: Literal["ingress", "egress"],
    ) -> list[fides_input.DataFlow]:
        """The system's ingress or egress entries a declaration names (each unknown key is a
        problem), or all of the system's when the declaration names none."""
        named: tuple[str, ...] | None = getattr(d, direction)
        available: tuple[fides_input.DataFlow, ...] = getattr(system, direction)
        if named is None:
            return list(available)
        found: list[fides_input.DataFlow] = []
        for i, key in enumerate(named):
            match = next((f for f in available if f.key == key), None)
            if match is None:
                self.problem(
                    d.source.at(direction, i),
                    f"{direction} {quote(key)} is not among system {system.key}'s {direction}",
                    code="unknown-reference",
                )
            else:
                found.append(match)
        return found

    def recipient(self, system: fides_input.System) -> dict[str, Any]:
        name = system.legal_name or self.org_name
        out: dict[str, Any] = {"name": name}
        roles = [ROLES[r.lower()] for r in system.responsibility if r.lower() in ROLES]
        if roles:
            out["role"] = roles[0]
        return out

    def add_flow(
        self,
        common: dict[str, Any],
        *,
        base: str,
        start: str | None,
        end: str | None,
        system: str | None,
        recipient: dict[str, Any],
        kinds: list[str],
        countries: list[str],
        sender: str,
        description: str,
        source: str,
        categories: list[str],
    ) -> None:
        """One flow; left out (and listed) when a country is not known."""
        if start is None or end is None:
            self.result.skipped.append(Note(source, "left out: a country is not known"))
            return
        flow: dict[str, Any] = {
            "id": self.builder.flow_id(base),
            "description": description,
            "from": start,
            "to": end,
        }
        if system and (system in self.systems or system in self.datasets):
            flow["system"] = system
        flow["recipient"] = recipient
        subjects: dict[str, Any] = {}
        if kinds:
            subjects["kinds"] = kinds
        if countries:
            subjects["countries"] = countries
        if any(_is_children(c) for c in categories):
            subjects["children"] = True
        if subjects:
            flow["subjects"] = subjects
        flow["data_categories"] = categories
        flow["purposes"] = [common["use"]]
        if "legal_bases" in common:
            flow["legal_bases"] = common["legal_bases"]
        mechanisms = self.mechanisms(sender) if start != end else []
        if mechanisms:
            flow["transfer_mechanisms"] = mechanisms
        for key in ("safeguards", "assessments", "retention"):
            if key in common:
                flow[key] = common[key]
        self.builder.flows.append((flow, source))


def _is_children(key: str) -> bool:
    from defa_check.inputs.taxonomy import data_categories

    canonical = data_categories().canonical(key) or key
    return canonical == "user.childrens" or canonical.startswith("user.childrens.")


def _arn_region(resource_id: str) -> str | None:
    """The country of an AWS ARN's region (arn:aws:rds:ap-southeast-1:...): stated, not guessed."""
    from defa_check.inputs.geo import CLOUD_REGIONS

    parts = resource_id.split(":")
    if len(parts) > 3 and parts[0] == "arn":
        return CLOUD_REGIONS.get(parts[3])
    return None


def _safeguards(text: str) -> tuple[list[str], list[str]]:
    """Safeguards named in free text ('Encryption at rest, TLS and MFA'), and the parts not understood."""
    vocab = words.vocabulary("safeguards")
    found: list[str] = []
    unread: list[str] = []
    for part in re.split(r"[,;\n]|\band\b", text):
        part = part.strip(" .")
        if not part:
            continue
        value = vocab.lookup(part)
        if value is None:
            unread.append(part)
        elif value not in found:
            found.append(value)
    return found, unread


def import_fides(request: FidesRequest) -> ImportResult:
    """Fides resources -> a manifest (see the module docstring)."""
    return _FidesMapper(request).run()


# ---------------------------------------------------------------- ROPA


@record
class RopaRequest:
    """`import ropa`: the spreadsheet, and the organisation (which a ROPA does not describe)."""

    path: Path
    name: str | None = None
    home: str | None = None
    sheet: str | None = None
    partial: bool = False
    output: str = "flows.yaml"


def import_ropa(request: RopaRequest) -> ImportResult:
    """A ROPA spreadsheet -> a manifest: one flow per subject country, and one per recipient."""
    ropa = read_ropa(request.path, sheet=request.sheet)
    result = ImportResult(problems=list(ropa.problems))
    if not request.name:
        result.problems.append(
            Problem("--name", "give --name: the business the record belongs to", code="usage")
        )
    home = None
    if not request.home:
        result.problems.append(Problem("--home", "give --home CC: the business's home country", code="usage"))
    else:
        home, hint = fides_input.country_code(request.home)
        if home is None:
            result.problems.append(
                Problem(
                    "--home", f"{quote(request.home)} is not an ISO country code", hint=hint, code="usage"
                )
            )
    if any(p.path in ("--name", "--home") for p in result.problems) or (
        result.problems and not request.partial
    ):
        return result
    assert request.name is not None and home is not None
    builder = _Builder(organization={"name": request.name, "home_country": home})
    systems: dict[tuple[str, str], str] = {}
    for row in ropa.rows:
        if not row.ok:
            result.skipped.append(
                Note(row.where, order=("", row.row, 0), message="left out: the row has problems")
            )
            continue
        _map_row(row, request.name, builder, systems, result)
    header = [
        f"defa-check flow manifest, imported by `defa-check import ropa` from {ropa.path}"
        + (f" (sheet {ropa.sheet})." if ropa.sheet else "."),
        f"Check it with: defa-check check {request.output}",
        "One flow per row and subject country (collection), and per recipient (onward transfer).",
        "What a row does not state is left out on purpose: `check` reports it as needs_info.",
        "Data categories, uses and subjects: the Fides taxonomy (fideslang) by Ethyca, CC BY 4.0.",
    ]
    if result.skipped:
        header.append(f"--partial: {len(result.skipped)} row(s) with problems were left out.")
    return _finish(builder, header, result, request.output)


def _map_row(
    row: RopaRow, org: str, builder: _Builder, systems: dict[tuple[str, str], str], result: ImportResult
) -> None:
    assert row.storage is not None
    system_id = None
    if row.system:
        key = (row.system, row.storage)
        if key not in systems:
            ident = slug(row.system)
            if ident in systems.values():
                ident = f"{ident}-{row.storage.lower()}"
            systems[key] = ident
            builder.systems.append(
                ({"id": ident, "name": row.system, "country": row.storage}, f"{row.where}: System")
            )
        system_id = systems[key]
    base = row.id or slug(row.activity, 40)
    edges: list[tuple[str, str, str, dict[str, Any], list[str], str]] = []
    for country in row.subject_countries:
        edges.append((country, row.storage, country.lower(), {"name": org}, [country], "collected"))
    for recipient in row.recipients:
        who: dict[str, Any] = {"name": recipient.name}
        if row.recipient_role:
            who["role"] = row.recipient_role
        edges.append(
            (
                row.storage,
                recipient.country,
                "to-" + slug(recipient.name, 24),
                who,
                list(row.subject_countries),
                recipient.name,
            )
        )
    if row.count is not None and len(row.subject_countries) > 1:
        result.notes.append(
            Note(
                row.where,
                "Number of subjects is for all countries together; not split between the flows, so left out",
                ("", row.row, 0),
            )
        )
    crosses = any(a != b for a, b, *_ in edges)
    if row.transfer_mechanisms is not None and not crosses:
        result.notes.append(
            Note(
                row.where,
                order=("", row.row, 0),
                message="Transfer mechanism not used: no flow of this row crosses a border",
            )
        )
    if row.retention_lost:
        result.notes.append(
            Note(row.where, order=("", row.row, 0), message=f"Retention: {row.retention_lost}")
        )
    for start, end, suffix, receiver, countries, what in edges:
        flow: dict[str, Any] = {
            "id": builder.flow_id(base if len(edges) == 1 else f"{base}-{suffix}"),
            "description": row.activity if what == "collected" else f"{row.activity}: sent to {what}",
            "from": start,
            "to": end,
        }
        if system_id and what == "collected":
            flow["system"] = system_id
        flow["recipient"] = receiver
        subjects: dict[str, Any] = {"kinds": row.subjects, "countries": countries}
        if row.count is not None and len(row.subject_countries) == 1:
            subjects["count"] = row.count
        children = row.children or any(_is_children(c) for c in row.data_categories) or None
        if children is not None or row.children is False:
            subjects["children"] = bool(children)
        flow["subjects"] = subjects
        flow["data_categories"] = row.data_categories
        flow["purposes"] = row.purposes
        if row.legal_bases is not None:
            flow["legal_bases"] = row.legal_bases
        if row.transfer_mechanisms is not None and start != end:
            flow["transfer_mechanisms"] = row.transfer_mechanisms
        if row.safeguards is not None:
            flow["safeguards"] = row.safeguards
        if row.assessments is not None:
            flow["assessments"] = row.assessments
        if row.retention is not None and what == "collected":
            flow["retention"] = row.retention
        builder.flows.append((flow, f"{row.where}" + ("" if what == "collected" else f", recipient {what}")))


# ---------------------------------------------------------------- the template


def ropa_template() -> bytes:
    """An empty ROPA workbook: the columns, drop-down lists, a help sheet and an example row."""
    import io

    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from defa_check.inputs.ropa import COLUMNS, SHEET, choice_lists, column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    example = book.create_sheet("Example")
    help_sheet = book.create_sheet("Help")
    lists_sheet = book.create_sheet("Lists")
    lists = choice_lists()
    list_ranges: dict[str, str] = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = column_letter(j)
        lists_sheet.cell(1, j, name).font = Font(bold=True)
        for i, value in enumerate(values, start=2):
            lists_sheet.cell(i, j, value)
        list_ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for ws in (sheet, example):
        for j, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(1, j, column.header)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[column_letter(j)].width = max(14, min(40, len(column.example) + 4))
        ws.freeze_panes = "B2"
    for j, column in enumerate(COLUMNS, start=1):
        example.cell(2, j, column.example)
        sheet.cell(1, j).comment = Comment(column.help, "defa-check")
        if column.choices:
            single = column.choices in ("yes_no", "recipient_role")
            # Several values per cell are allowed in most columns: the list suggests, it does not refuse.
            validation = DataValidation(
                type="list",
                formula1=f"={list_ranges[column.choices]}",
                allow_blank=True,
                showErrorMessage=single,
            )
            validation.add(f"{column_letter(j)}2:{column_letter(j)}1000")
            sheet.add_data_validation(validation)
    help_sheet.append(["Column", "Required", "What to write", "Example"])
    for cell in help_sheet[1]:
        cell.font = bold
    for column in COLUMNS:
        help_sheet.append([column.header, "yes" if column.required else "", column.help, column.example])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["C"].width = 100
    help_sheet.column_dimensions["D"].width = 40
    help_sheet.append([])
    help_sheet.append(
        [
            "Import with: defa-check import ropa THIS_FILE.xlsx --name 'Your business' --home SG "
            "--output flows.yaml"
        ]
    )
    fixed = dt.datetime(2026, 1, 1)  # the same template, byte for byte, from every run
    book.properties.created = fixed
    book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The workbook with every date set to 2026-01-01: the same bytes from every run."""
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()


def notes_lines(result: ImportResult) -> Iterable[str]:
    """The end-of-import report: what was not imported or lost, and what was left out."""
    for note in result.notes:
        yield f"note: {plain(note)}"
    for note in result.skipped:
        yield f"skipped: {plain(note)}"
