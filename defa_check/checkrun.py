"""Check one or many manifests with waivers and a baseline: the whole `check` job, minus printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .engine import Selection, countries_mentioned
from .model import Problem, Report, Severity
from .packs import Catalog, load_catalog
from .pipeline import check_document
from .waivers import Waiver, apply_baseline, apply_waivers

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class CheckOptions:
    """Everything `check` needs, resolved from the command line and the config file."""

    manifests: tuple[Path, ...]
    as_of: dt.date
    countries: frozenset[str] | None = None
    fail_on: Severity | None = Severity.HIGH
    strict: bool = False
    waivers: tuple[Waiver, ...] = ()
    baseline: Report | None = None


@dataclass(frozen=True)
class CheckOutcome:
    """One manifest's result: a report, or the problems that stopped it."""

    path: Path
    report: Report | None = None
    problems: tuple[Problem, ...] = field(default=())

    def exit_code(self, options: CheckOptions) -> int:
        if self.report is None:
            return 2
        return 1 if self.report.failing(options.fail_on, options.strict) else 0


def expand_manifests(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given; folders become the manifests inside them (YAML and JSON, sorted)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file())
            if not inside:
                problems.append(Problem(str(path), "folder holds no .yaml, .yml or .json manifest"))
            found += inside
        else:
            found.append(path)
    return found, problems


def catalog_for(
    documents: list[yamlio.Document], root: Path | None, selected: frozenset[str] | None
) -> Catalog:
    """Only the packs these manifests need: the countries they mention (and that are selected).

    The bundled packs are validated by the test suite and `rules lint`, so they
    load without a second schema pass; packs from --rules-dir are validated.
    """
    wanted: set[str] = set()
    for doc in documents:
        if isinstance(doc.data, dict):
            wanted |= countries_mentioned(doc.data)
    if selected is not None:
        wanted &= selected
    return load_catalog(root, countries=wanted, validate=root is not None)


def run_checks(
    options: CheckOptions, catalog: Catalog | None = None, root: Path | None = None
) -> list[CheckOutcome]:
    """Check every manifest; each gets its own report or problems.

    Without a ``catalog``, the packs the manifests need are loaded from ``root``
    (default: the bundled packs); their problems, if any, are returned on every outcome.
    """
    documents = [yamlio.load(path, precise=False) for path in options.manifests]
    if catalog is None:
        catalog = catalog_for(documents, root, options.countries)
        if catalog.problems:
            return [CheckOutcome(path, problems=tuple(catalog.problems)) for path in options.manifests]
    rule_ids = {r.id for r in catalog.rules}
    outcomes = []
    for path, doc in zip(options.manifests, documents, strict=True):
        result = check_document(doc, catalog, options.as_of, Selection(countries=options.countries))
        if result.report is None:
            outcomes.append(CheckOutcome(path, problems=result.problems))
            continue
        report = apply_waivers(result.report, list(options.waivers), rule_ids)
        if options.baseline is not None:
            report = apply_baseline(report, options.baseline)
        outcomes.append(CheckOutcome(path, report=report))
    return outcomes
