"""The whole `check` job minus printing: many manifests, the packs they need, waivers and a baseline.

:func:`run_checks` takes a :class:`CheckRequest` (what the command line and
the settings file asked for) and returns a :class:`CheckRun`: problems that
stop the whole run (a missing waiver file, broken packs) kept apart from each
manifest's own report or problems.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from defa_check import records
from defa_check.evaluate.document import check_document
from defa_check.evaluate.engine import Selection, countries_mentioned
from defa_check.evaluate.waivers import apply_baseline, apply_waivers
from defa_check.inputs import source
from defa_check.model import ASEAN_MEMBERS, Problem, Report, Severity, Waiver
from defa_check.packs.loader import Catalog, available_countries, load_catalog
from defa_check.records import field, record

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
MANIFEST_NAME = r"^(?:.+[._-])?flows\.(?:ya?ml|json)$"
"""The documented manifest names: flows.yaml, data-flows.yaml, team.flows.json, hr_flows.yml, ...
(case-insensitive; compiled only when a folder is searched)."""
_MANIFEST_KEY = rb'(?m)^manifest_version[ \t]*:|"manifest_version"\s*:'
_SNIFF_BYTES = 1 << 20


def is_manifest(path: Path) -> bool:
    """In a folder, a file is a manifest when it has a documented name or says `manifest_version`
    (in its first MiB), so a waiver file, a baseline or a Kubernetes manifest beside it is left alone."""
    if re.match(MANIFEST_NAME, path.name, re.IGNORECASE):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return re.search(_MANIFEST_KEY, head) is not None


EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2
"""Exit codes of `check`: nothing at or above the threshold; failing findings; unreadable or invalid input."""


@record
class CheckRequest:
    """Everything `check` needs, resolved from the command line and the settings file."""

    manifests: tuple[Path, ...]
    as_of: dt.date
    countries: tuple[str, ...] = ()
    """Countries asked for (codes or names); empty: every country the manifests mention."""
    countries_from: str = "--country"
    """Where the countries were asked for, as messages name it (the option, or the settings file)."""
    countries_located: Callable[[int], tuple[str, int | None, int | None]] | None = None
    """Where the n-th of ``countries`` is written (file, line, column) when a file asked for them."""
    fail_on: Severity | None = Severity.HIGH
    strict: bool = False
    strict_review: bool = False
    waivers: Path | None = None
    baseline: Path | None = None
    rules_dir: Path | None = None
    list_not_applicable: bool = True
    """List not-applicable findings one by one; False: count them per rule and subject kind
    (what every report format but CSV and the deliverables shows, at a fraction of the cost)."""


@record
class CheckOutcome:
    """One manifest's result: a report, or the problems that stopped it."""

    path: Path
    report: Report | None = None
    problems: tuple[Problem, ...] = field(default=())

    def exit_code(self, request: CheckRequest) -> int:
        if self.report is None:
            return EXIT_INVALID
        return (
            EXIT_FINDINGS
            if self.report.failing(request.fail_on, request.strict, request.strict_review)
            else EXIT_OK
        )


@record
class CheckRun:
    """The result of a request: problems that stopped everything, or one outcome per manifest."""

    problems: tuple[Problem, ...] = ()
    stopped_by: str = ""
    """What the run-stopping problems are in ("the rule packs", "the waiver file", ...)."""
    outcomes: tuple[CheckOutcome, ...] = ()

    def exit_code(self, request: CheckRequest) -> int:
        if self.problems:
            return EXIT_INVALID
        return max((o.exit_code(request) for o in self.outcomes), default=EXIT_OK)


def expand_manifests(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given; folders become the manifests inside them (sorted; see :func:`is_manifest`),
    hidden folders such as .git left out. A file named twice (`check a.yaml a.yaml`, or a folder
    and a file inside it) is checked once, where it is first named: its reports would otherwise
    go to the same output file."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in MANIFEST_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
                and p.is_file()
                and is_manifest(p)
            )
            if not inside:
                problems.append(
                    Problem(
                        str(path),
                        "folder holds no manifest (a .yaml, .yml or .json file with `manifest_version`, "
                        "or named flows.yaml, *-flows.yaml, *.flows.yaml or *_flows.yaml)",
                        code="unreadable",
                    )
                )
            found += inside
        else:
            found.append(path)
    return _once_each(found), problems


def _once_each(paths: list[Path]) -> list[Path]:
    """``paths`` without those naming a file named earlier (the same file by another spelling too)."""
    import os

    seen: set[str] = set()
    kept: list[Path] = []
    for path in paths:
        key = os.path.normcase(os.path.realpath(path))
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def select_countries(
    asked: Iterable[str],
    available: Iterable[str],
    where: str = "--country",
    located: Callable[[int], tuple[str, int | None, int | None]] | None = None,
) -> tuple[frozenset[str] | None, list[Problem]]:
    """The countries asked for (codes, names, comma-separated lists), checked against the packs.

    With ``located`` (where the n-th value is written in a settings file), a problem names that
    file, line and column, as the settings file's other problems do.
    """
    from defa_check.inputs.geo import COUNTRY_NAMES, suggest_country, to_country
    from defa_check.inputs.suggest import did_you_mean, hint

    known = sorted(available)
    chosen: set[str] = set()
    problems: list[Problem] = []
    asked_any = False
    for n, value in enumerate(asked):
        for part in str(value).split(","):
            typed = part.strip()
            if not typed:  # "VN," or "VN,,TH": nothing between the commas
                continue
            asked_any = True
            country = to_country(typed)
            code = country or typed.upper()
            if code in known:
                chosen.add(code)
                continue
            guess = did_you_mean(code, known) if len(typed) == 2 else None
            if guess is None and len(typed) > 2:  # a mistyped name: 'Vietnma', 'Singapur'
                name = suggest_country(typed)
                near = COUNTRY_NAMES.get(name or "")
                if near in known:
                    guess = hint([near])
            # A country without a pack (US), or no country at all (a typo): said apart.
            said = f"{'no rule pack for country' if country else 'no country code or name'} {typed!r}"
            available_said = f"available: {', '.join(known)}"
            if located is None:
                problems.append(Problem(where, f"{said}; {available_said}", hint=guess, code="usage"))
            else:
                path, line, column = located(n)
                problems.append(
                    Problem(
                        path, f"{said}; {available_said}", line, column, f"$.countries[{n}]", guess, "config"
                    )
                )
    if not asked_any:
        problems.append(Problem(where, "give a country code or name (VN, or 'Viet Nam')", code="usage"))
    return (frozenset(chosen) if chosen or problems else None), problems


def catalog_for(
    documents: list[source.Document], root: Path | None, selected: frozenset[str] | None
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


def _load_waivers(path: Path) -> tuple[list[Waiver], list[Problem]]:
    from defa_check.inputs.waiver_file import load_waivers

    return load_waivers(path)


def _load_baseline(path: Path) -> tuple[Report | None, list[Problem]]:
    from defa_check.inputs.saved_report import load_report

    return load_report(path)


def run_checks(request: CheckRequest, catalog: Catalog | None = None) -> CheckRun:
    """Check every manifest of ``request``; each gets its own report or problems.

    Without a ``catalog``, the packs the manifests need are loaded from
    ``request.rules_dir`` (default: the bundled packs).
    """
    given_catalog = catalog is not None
    paths, problems = expand_manifests(request.manifests)
    if problems:
        return CheckRun(tuple(problems), "a manifest given cannot be read; nothing was checked")
    selected = None
    if request.countries:
        available = set(catalog.packs) if catalog is not None else available_countries(request.rules_dir)
        selected, problems = select_countries(
            request.countries, available, request.countries_from, request.countries_located
        )
        if problems:
            return CheckRun(tuple(problems), "a country asked for cannot be checked; nothing was checked")
    waivers: list[Waiver] = []
    if request.waivers is not None:
        waivers, problems = _load_waivers(request.waivers)
        if problems:
            unreadable = all(p.code == "unreadable" for p in problems)  # "no such file" is not "invalid"
            said = "the waiver file cannot be read" if unreadable else "invalid waiver file"
            return CheckRun(tuple(problems), f"{request.waivers}: {said}; nothing was checked")
    baseline = None
    if request.baseline is not None:
        baseline, problems = _load_baseline(request.baseline)
        if baseline is None:
            return CheckRun(tuple(problems), f"{request.baseline}: cannot use as a baseline")
    if catalog is None and request.rules_dir is not None and not available_countries(request.rules_dir):
        # An empty or mistyped rules folder would otherwise check nothing and pass.
        return CheckRun(
            (
                Problem(
                    str(request.rules_dir),
                    "no rule packs here (expected rules/<cc>/pack.yaml, or a folder of pack folders); "
                    "nothing would be checked",
                    code="usage",
                ),
            ),
            "the rules folder has no rule packs; nothing was checked",
        )
    documents = [source.load(path, precise=False) for path in paths]
    if catalog is None:
        catalog = catalog_for(documents, request.rules_dir, selected)
        if catalog.problems:
            return CheckRun(
                tuple(catalog.problems),
                f"the rule packs have {len(catalog.problems)} problem(s); run `defa-check rules lint`",
            )
    rule_ids = {r.id for r in catalog.rules}
    if waivers and not given_catalog:
        # A waiver for a country this run does not check (not chosen, or mentioned by no manifest)
        # names rules that exist: it is left out, not reported as naming no known rule.
        unchecked = available_countries(request.rules_dir) - set(catalog.packs)
        waivers = [w for w in waivers if waiver_country(w) not in unchecked]
    outcomes = []
    for path, doc in zip(paths, documents, strict=True):
        result = check_document(
            doc, catalog, request.as_of, Selection(countries=selected), request.list_not_applicable
        )
        if result.report is None:
            outcomes.append(CheckOutcome(path, problems=result.problems))
            continue
        report = _say_unchecked(result.report, doc, catalog, selected, request.rules_dir)
        report = _say_unselected(report, doc, selected, request.countries_from)
        report = apply_waivers(report, waivers, rule_ids)
        if baseline is not None:
            report = apply_baseline(report, baseline)
        outcomes.append(CheckOutcome(path, report=report))
    return CheckRun(outcomes=tuple(outcomes))


def waiver_country(waiver: Waiver) -> str | None:
    """The one country whose rules ``waiver`` can match: its own ``country``, or the country code
    its rule pattern starts with (`VN-*`); None for a pattern that may match any country's."""
    if waiver.country:
        return waiver.country.upper()
    code = re.match(r"([A-Za-z]{2})-", waiver.rule)
    return code.group(1).upper() if code else None


def _say_unselected(
    report: Report, doc: source.Document, selected: frozenset[str] | None, asked_in: str = "--country"
) -> Report:
    """A notice for the countries --country chose that this manifest does not mention: the
    report says nothing about them, and that must not read as "they ask nothing of you"."""
    if selected is None or not isinstance(doc.data, dict) or selected <= set(report.countries):
        return report  # every country chosen was checked
    mentioned = countries_mentioned(doc.data)
    unmentioned = sorted(selected - mentioned)
    if not unmentioned:
        return report
    listed = ", ".join(sorted(mentioned)) or "no country"

    def asked(codes: list[str]) -> str:
        return (
            f"--country {','.join(codes)}" if asked_in == "--country" else f"{', '.join(codes)} ({asked_in})"
        )

    notice = (
        f"{asked(sorted(selected))}: this manifest mentions only {listed}; nothing was checked"
        if not report.countries
        else f"{asked(unmentioned)}: this manifest does not mention "
        f"{'it' if len(unmentioned) == 1 else 'them'} (it mentions {listed}); not checked"
    )
    return records.replace(report, notices=(*report.notices, notice))


def _say_unchecked(
    report: Report, doc: source.Document, catalog: Catalog, selected: frozenset[str] | None, root: Path | None
) -> Report:
    """A notice for each ASEAN member the manifest mentions that the rules folder has no pack
    (or a pack without rules) for.

    The bundled packs cover all eleven; a rules folder of one's own may not, and a country
    without a pack would otherwise vanish from the report as if it asked nothing.
    """
    if root is None or not isinstance(doc.data, dict):
        return report
    missing = sorted(
        c
        for c in countries_mentioned(doc.data) & ASEAN_MEMBERS
        if (c not in catalog.packs or not any((catalog.by_country.get(c) or {}).values()))
        and (selected is None or c in selected)
    )
    if not missing:
        return report
    notice = (
        f"the rules folder {root} has no pack (or no rules) for {', '.join(missing)}: "
        f"{'that country was' if len(missing) == 1 else 'those countries were'} not checked"
    )
    return records.replace(report, notices=(*report.notices, notice))
