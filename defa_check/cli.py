"""The `defa-check` command line: parse options, call the tested stages, set the exit code.

Only Typer is imported at start-up; YAML, jsonschema and Rich are imported by
the commands that need them, so `--version` and `--help` stay fast.

Exit codes (every command): 0 success, nothing at or above the fail threshold;
1 `check` found failing findings at or above the threshold (or `rules lint` /
`rules test` found problems); 2 the input could not be read or is invalid, or
the command line is wrong.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer

from . import __version__

if TYPE_CHECKING:
    from .checkrun import CheckOutcome
    from .config import Settings
    from .model import Report, Rule
    from .packs import Catalog
    from .render import RenderOptions
    from .waivers import Waiver

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2

app = typer.Typer(
    name="defa-check",
    help=(
        "Check a flow manifest against the data-protection, data-localization and e-commerce "
        "laws of the ASEAN member states.\n\n"
        "Exit codes: 0 nothing at or above the fail threshold; 1 failing findings at or above it; "
        "2 the input could not be read or is invalid. Not legal advice."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="List, show, lint and test rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
waivers_app = typer.Typer(help="Check waiver files.", no_args_is_help=True)
app.add_typer(waivers_app, name="waivers")
baseline_app = typer.Typer(
    help="Create baselines: saved results that later checks compare with.", no_args_is_help=True
)
app.add_typer(baseline_app, name="baseline")
config_app = typer.Typer(help="Show the effective settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


class FailOn(str, enum.Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"
    never = "never"


def _format_names() -> list[str]:
    from .render import FORMATS

    return list(FORMATS)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"defa-check {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """defa-check command line."""


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _fatal(message: str, code: int = EXIT_INVALID) -> NoReturn:
    _err(f"error: {message}")
    raise typer.Exit(code)


def _parse_date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fatal(f"--as-of {text!r} is not a date like 2026-11-27")


def _catalog(rules_dir: Path | None) -> Catalog:
    from .packs import load_catalog

    catalog = load_catalog(rules_dir)
    if catalog.problems:
        for problem in catalog.problems:
            _err(str(problem))
        _fatal(f"the rule packs have {len(catalog.problems)} problem(s); run `defa-check rules lint`")
    return catalog


def _countries(values: list[str] | None, source: Catalog | Path | None) -> frozenset[str] | None:
    """The --country selection, checked against the packs that exist."""
    if not values:
        return None
    from .interview import to_country
    from .packs import Catalog, available_countries
    from .validate import closest

    available = set(source.packs) if isinstance(source, Catalog) else available_countries(source)
    chosen = set()
    for value in values:
        for part in value.split(","):
            code = to_country(part) or part.strip().upper()
            if code not in available:
                close = closest(code, sorted(available))
                hint = " (did you mean " + close.replace("' or '", " or ") + "?)" if close else ""
                _fatal(f"no rule pack for country {code!r}{hint}; available: " + ", ".join(sorted(available)))
            chosen.add(code)
    return frozenset(chosen)


def _is_pack_problem(outcome: CheckOutcome, root: Path | None) -> bool:
    """True if the outcome's problems are in rule packs, not in the manifest."""
    from .packs import bundled_root, resolve_dirs

    rules_dir, countries_dir = resolve_dirs(root or bundled_root())
    places = [str(rules_dir)] + ([str(countries_dir)] if countries_dir else [])
    return all(any(p.path.startswith(place) for place in places) for p in outcome.problems)


def write_output(data: str | bytes | Iterable[bytes], output: Path | None, force: bool) -> None:
    """Write to stdout, or atomically to ``output`` (never replacing a file without ``force``)."""
    if isinstance(data, str):
        chunks: Iterable[bytes] = [data.encode("utf-8")]
    elif isinstance(data, bytes):
        chunks = [data]
    else:
        chunks = data
    if output is None or str(output) == "-":
        sys.stdout.flush()  # "-" means standard output, as for many tools
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    if output.exists() and not force:
        _fatal(f"{output} already exists; pass --force to replace it")
    import tempfile

    directory = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    except OSError as exc:
        _fatal(f"cannot write {output}: {exc.strerror}")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        # mkstemp makes the file private; give it the mode a plain write would.
        os.chmod(tmp, output.stat().st_mode & 0o7777 if output.exists() else 0o666 & ~_umask())
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _fatal(f"cannot write {output}: {exc.strerror}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@app.command()
def check(
    manifests: Optional[list[Path]] = typer.Argument(
        None,
        help="Flow manifests (YAML or JSON) or folders of them. Default: `manifests` in the config file.",
    ),
    format: Optional[list[str]] = typer.Option(
        None,
        "--format",
        "-f",
        help="Output format (repeatable): console, json, sarif, junit, markdown, html, pdf, csv, github. "
        "Default: console, or github when GITHUB_ACTIONS is set.",
    ),
    output: Optional[list[Path]] = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the report to this file (repeatable: the n-th --output goes with the n-th --format). "
        "With several manifests, a folder: one file per manifest.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace --output files that exist."),
    as_of: Optional[str] = typer.Option(
        None, "--as-of", help="Evaluate the law as of this date (default: today)."
    ),
    country: Optional[list[str]] = typer.Option(
        None, "--country", "-c", help="Only these countries (repeatable, or comma-separated)."
    ),
    fail_on: Optional[FailOn] = typer.Option(
        None, "--fail-on", help="Exit 1 if a failing finding is at or above this severity (default: high)."
    ),
    strict: Optional[bool] = typer.Option(
        None, "--strict/--no-strict", help="needs_info counts as failing too."
    ),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Waiver file (known risks accepted)."),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="A saved JSON report: only findings not in it fail the run."
    ),
    show_all: bool = typer.Option(False, "--all", help="Console: list every finding that needs action."),
    horizon: Optional[int] = typer.Option(
        None, "--horizon", min=1, max=120, help="Also list what comes into force in the next N months."
    ),
    rules_dir: Optional[Path] = typer.Option(
        None, "--rules-dir", help="Use the packs in this folder instead of the bundled ones."
    ),
) -> None:
    """Check manifests and report, requirement by requirement, what complies and what to do."""
    import gc

    # A short-lived process building many small objects: the cyclic collector
    # only costs time here (about half of YAML parsing, see bench/RESULTS.md).
    gc.disable()
    from .checkrun import CheckOptions, expand_manifests, run_checks
    from .model import Severity
    from .render import RenderOptions

    settings = _settings()
    if manifests:
        settings.set("manifests", [str(m) for m in manifests], "command line")
    for key, value in (
        ("fail_on", fail_on.value if fail_on else None),
        ("strict", strict),
        ("waivers", str(waivers) if waivers else None),
        ("baseline", str(baseline) if baseline else None),
        ("rules_dir", str(rules_dir) if rules_dir else None),
        ("countries", list(country) if country else None),
    ):
        if value is not None:
            settings.set(key, value, "command line")
    from_config = not format and not output and bool(settings["formats"])
    force = force or (from_config and bool(settings["force"]))
    if not settings["manifests"]:
        _fatal("no manifest given (pass one, or set `manifests` in .defa-check.yaml)")
    paths, problems = expand_manifests([Path(m) for m in settings["manifests"]])
    for problem in problems:
        _err(str(problem))
    if problems:
        raise typer.Exit(EXIT_INVALID)
    if from_config:
        # The config pairs each format with its own output, in any order.
        items = settings["formats"]
        targets = [(i["format"], Path(i["output"]) if i.get("output") else None) for i in items]
        for name, _ in targets:
            if name not in _format_names():
                _fatal(f"unknown format {name!r} in {settings.sources['formats']}")
        if sum(1 for _, p in targets if p is None) > 1:
            _fatal(f"{settings.sources['formats']}: at most one format may go to standard output")
    else:
        targets = _targets(format, output)
    day = _parse_date(as_of)
    root = Path(settings["rules_dir"]) if settings["rules_dir"] else None
    threshold = None if settings["fail_on"] == "never" else Severity.parse(settings["fail_on"])
    options = CheckOptions(
        manifests=tuple(paths),
        as_of=day,
        countries=_countries(settings["countries"], root),
        fail_on=threshold,
        strict=bool(settings["strict"]),
        waivers=tuple(_load_waivers(Path(settings["waivers"]))) if settings["waivers"] else (),
        baseline=_load_baseline(Path(settings["baseline"])) if settings["baseline"] else None,
    )
    outcomes = run_checks(options, root=root)
    if (
        outcomes
        and outcomes[0].report is None
        and outcomes[0].problems
        and _is_pack_problem(outcomes[0], root)
    ):
        for problem in outcomes[0].problems:
            _err(str(problem))
        _fatal(f"the rule packs have {len(outcomes[0].problems)} problem(s); run `defa-check rules lint`")
    several = len(outcomes) > 1
    if several:
        _check_multi_targets(targets)
    stems = output_stems([o.path for o in outcomes])
    worst = EXIT_OK
    for outcome in outcomes:
        if outcome.report is None:
            for problem in outcome.problems:
                _err(str(problem))
            _err(f"error: {outcome.path}: {len(outcome.problems)} problem(s); nothing was checked")
            worst = EXIT_INVALID
            continue
        report = outcome.report
        for name, path in targets:
            target = _per_manifest(path, stems[outcome.path], name) if several and path is not None else path
            render_options = RenderOptions(color=_use_color(target), limit=None if show_all else 50)
            write_output(_render(name, report, render_options), target, force)
        for notice in report.notices:
            _err(f"notice: {notice}")
        if horizon is not None:
            _print_horizon(report, horizon, to_stdout=any(n == "console" and p is None for n, p in targets))
        failing = report.failing(threshold, options.strict)
        summary = report.summary()
        _err(
            (f"{outcome.path}: " if several else "")
            + f"{summary['fail']} fail, {summary['needs_info']} needs info, {summary['pass']} pass, "
            f"{summary['not_applicable']} not applicable, {summary['waived']} waived"
            + (f"; {len(failing)} failing at or above {settings['fail_on']}" if threshold is not None else "")
            + (" (strict)" if options.strict else "")
        )
        worst = max(worst, outcome.exit_code(options))
    if worst:
        raise typer.Exit(worst)


def _print_horizon(report: Report, months: int, to_stdout: bool) -> None:
    from .planning import horizon_findings

    coming = horizon_findings(report, months)
    lines = [f"Coming into force in the next {months} months ({len(coming)}):"]
    if not coming:
        lines.append("  nothing dated in this window for this manifest")
    for f in coming:
        what = (f.verdict or f.status).value.replace("_", " ")
        when = f.effective_from.isoformat() if f.effective_from else ""
        lines.append(f"  {when}  {f.rule_id} · {f.subject.label}: {f.title} (would be {what})")
        lines.append(f"              What to do: {f.remediation}")
    text = "\n".join(lines)
    if to_stdout:
        typer.echo(text)
    else:
        _err(text)


def _settings() -> Settings:
    from .config import load_settings

    settings, problems = load_settings()
    for problem in problems:
        _err(str(problem))
    if problems:
        _fatal("the configuration file is invalid")
    return settings


def _load_waivers(path: Path) -> list[Waiver]:
    from .waivers import load_waivers

    loaded, problems = load_waivers(path)
    for problem in problems:
        _err(str(problem))
    if problems:
        _fatal(f"{path}: invalid waiver file")
    return loaded


def _load_baseline(path: Path, purpose: str = "use as a baseline") -> Report:
    from .reportio import load_report

    loaded, problems = load_report(path)
    if loaded is None:
        for problem in problems:
            _err(str(problem))
        _fatal(f"{path}: cannot {purpose}")
    return loaded


_SUFFIX = {
    "json": ".json",
    "sarif": ".sarif",
    "junit": ".xml",
    "markdown": ".md",
    "html": ".html",
    "pdf": ".pdf",
    "csv": ".csv",
    "github": ".txt",
    "console": ".txt",
}


def _check_multi_targets(targets: list[tuple[str, Path | None]]) -> None:
    for name, path in targets:
        if path is None and name in ("json", "sarif", "junit", "html", "pdf"):
            _fatal(f"several manifests: give --output FOLDER for --format {name} (one file per manifest)")
        if path is not None and path.exists() and not path.is_dir():
            _fatal(f"several manifests: --output {path} must be a folder")
        if path is not None and not path.exists() and path.suffix:
            _fatal(
                "several manifests: --output names a folder (one file per manifest); "
                f"{path} looks like a file"
            )


def _per_manifest(folder: Path, stem: str, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (stem + _SUFFIX[name])


def output_stems(paths: list[Path]) -> dict[Path, str]:
    """A distinct output name per manifest: its stem, or its path when stems collide."""
    stems = [p.stem for p in paths]
    out = {}
    for path in paths:
        if stems.count(path.stem) == 1:
            out[path] = path.stem
        else:
            out[path] = "_".join([*path.with_suffix("").parts[-3:]]).replace("..", "").strip("_/")
    return out


def _targets(formats: list[str] | None, outputs: list[Path] | None) -> list[tuple[str, Path | None]]:
    """Pair formats with outputs: the n-th --output takes the n-th --format; one format may go to stdout."""
    names = list(formats or [])
    given = list(outputs or [])
    if not names:
        if len(given) == 1:
            names = [_format_for_suffix(given[0])]
        else:
            names = ["github" if os.environ.get("GITHUB_ACTIONS") == "true" else "console"]
    paths: list[Path | None] = list(given)
    known = _format_names()
    for name in names:
        if name not in known:
            _fatal(f"unknown format {name!r}; choose from {', '.join(known)}")
    if len(paths) > len(names) or len(names) - len(paths) > 1:
        _fatal(
            "give one --output per --format (the n-th --output goes with the n-th --format); "
            "at most one format may go to standard output"
        )
    paths += [None] * (len(names) - len(paths))
    return list(zip(names, paths, strict=True))


def _format_for_suffix(path: Path) -> str:
    """With --output and no --format, the file's extension picks the format."""
    return {
        ".json": "json",
        ".sarif": "sarif",
        ".xml": "junit",
        ".md": "markdown",
        ".html": "html",
        ".htm": "html",
        ".pdf": "pdf",
        ".csv": "csv",
    }.get(path.suffix.lower(), "console")


def _render(name: str, report: Report, options: RenderOptions) -> Iterable[bytes]:
    from .render import get_format
    from .render.html import MissingDependency

    try:
        return get_format(name).render_chunks(report, options)
    except MissingDependency as exc:
        _fatal(str(exc))


@app.command()
def report(
    result: Path = typer.Argument(..., help="A JSON report saved by `check --format json`."),
    format: Optional[list[str]] = typer.Option(None, "--format", "-f", help="Output format (repeatable)."),
    output: Optional[list[Path]] = typer.Option(None, "--output", "-o", help="Output file (repeatable)."),
    force: bool = typer.Option(False, "--force", help="Replace --output files that exist."),
    show_all: bool = typer.Option(False, "--all", help="Console: list every finding that needs action."),
) -> None:
    """Render a saved JSON result in any format, without the manifest."""
    from .render import RenderOptions
    from .reportio import load_report

    targets = _targets(format, output)
    loaded, problems = load_report(result)
    if loaded is None:
        for problem in problems:
            _err(str(problem))
        _fatal(f"{result}: not a defa-check JSON report this version can read")
    for name, path in targets:
        options = RenderOptions(color=_use_color(path), limit=None if show_all else 50)
        write_output(_render(name, loaded, options), path, force)


@app.command()
def validate(
    manifests: list[Path] = typer.Argument(..., help="Manifests to validate."),
) -> None:
    """Check manifests against the schema and their references, listing every problem."""
    from .pipeline import load_manifest

    bad = 0
    for path in manifests:
        _, problems = load_manifest(path)
        for problem in problems:
            typer.echo(str(problem))
        if problems:
            bad += 1
        else:
            _err(f"{path}: valid")
    if bad:
        raise typer.Exit(EXIT_INVALID)


class SchemaName(str, enum.Enum):
    manifest = "manifest"
    rules = "rules"
    country = "country"
    pack = "pack"
    report = "report"
    waivers = "waivers"


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="Which schema to print.")) -> None:
    """Print a JSON Schema (draft 2020-12) that defa-check itself uses."""
    import json

    from .packs import schema as load_schema

    typer.echo(json.dumps(load_schema(name.value), indent=2))


@app.command()
def explain(
    rule_id: str = typer.Argument(..., help="A rule id, e.g. VN-TRANSFER-001."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Look in this folder's packs."),
) -> None:
    """Explain a rule in plain language: what it requires, who it applies to, how to comply."""
    from .explain import explain_rule

    catalog = _catalog(rules_dir)
    rule = catalog.rule(rule_id)
    if rule is None:
        _fatal(_unknown_rule(rule_id, catalog))
    typer.echo(explain_rule(rule, catalog))


def _unknown_rule(rule_id: str, catalog: Catalog) -> str:
    import difflib

    close = difflib.get_close_matches(rule_id.upper(), [r.id for r in catalog.rules], n=1)
    return f"no rule {rule_id!r}" + (f" (did you mean {close[0]}?)" if close else "")


@rules_app.command("list")
def rules_list(
    country: Optional[list[str]] = typer.Option(None, "--country", "-c", help="Only these countries."),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="Only this topic."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """List rules: id, country, topic, severity, subject, in force from, title."""
    from .model import TOPICS

    catalog = _catalog(rules_dir)
    countries = _countries(country, catalog)
    if topic is not None and topic not in TOPICS:
        _fatal(f"unknown topic {topic!r}; topics: {', '.join(TOPICS)}")
    for rule in sorted(catalog.rules, key=lambda r: r.id):
        if countries is not None and rule.country not in countries:
            continue
        if topic is not None and rule.topic != topic:
            continue
        typer.echo(
            f"{rule.id:24} {rule.topic:20} {rule.severity.label:8} {rule.subject:12} "
            f"{_dates(rule):21}  {rule.title}"
        )


def _dates(rule: Rule) -> str:
    if rule.draft:
        return "draft (not law)"
    start = rule.effective_from.isoformat() if rule.effective_from else ""
    return start + (f"–{rule.effective_until.isoformat()}" if rule.effective_until else "")


@rules_app.command("show")
def rules_show(
    rule_id: str = typer.Argument(...),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """Print a rule as written in its pack (YAML)."""
    import yaml

    catalog = _catalog(rules_dir)
    rule = catalog.rule(rule_id)
    if rule is None:
        _fatal(_unknown_rule(rule_id, catalog))
    where = f"# {rule.location}\n" if rule.location else ""
    typer.echo(where + yaml.safe_dump(rule.raw, sort_keys=False, allow_unicode=True, width=100))


def _catalog_to_check(directory: Path | None) -> Catalog:
    """Packs for `rules lint|test`: a project folder, a rules folder, or one pack's folder."""
    from .packs import load_catalog

    if directory is None:
        return load_catalog()
    if not directory.is_dir():
        _fatal(f"{directory}: no such folder")
    if (directory / "pack.yaml").is_file():  # one pack: rules/<cc>
        catalog = load_catalog(directory.parent, countries={directory.name.upper()})
    else:
        catalog = load_catalog(directory)
    if not catalog.packs and not catalog.problems:
        _fatal(f"{directory}: no rule packs here (expected rules/<cc>/pack.yaml, or a pack folder)")
    return catalog


@rules_app.command("lint")
def rules_lint(
    directory: Optional[Path] = typer.Argument(
        None, help="A folder with rules/ and countries/, or a rules folder (default: the bundled packs)."
    ),
) -> None:
    """Check packs and profiles: schema, unique ids, topics, facts, taxonomy keys, dates, citations."""
    from .packs import lint_topics

    catalog = _catalog_to_check(directory)
    problems = catalog.problems + lint_topics(catalog)
    for problem in problems:
        typer.echo(str(problem))
    _err(
        f"{len(catalog.rules)} rules in {len(catalog.packs)} packs, {len(catalog.profiles)} profiles: "
        f"{len(problems)} problem(s)"
    )
    if problems:
        raise typer.Exit(EXIT_FINDINGS)


@rules_app.command("test")
def rules_test(
    directory: Optional[Path] = typer.Argument(None, help="As for `rules lint`."),
    country: Optional[list[str]] = typer.Option(None, "--country", "-c"),
) -> None:
    """Run every rule's examples and report the ones that do not give their expected status."""
    from .ruletest import run_all

    catalog = _catalog_to_check(directory)
    for problem in catalog.problems:
        _err(str(problem))
    # Broken rules are left out of the catalog; the others still run, so one
    # bad file does not hide every other rule's results.
    results = run_all(catalog, _countries(country, catalog))
    failed = [r for r in results if not r.ok]
    for r in failed:
        detail = f" — {r.detail}" if r.detail else ""
        typer.echo(f"FAIL {r.rule_id} [{r.example}]: expected {r.expected}, got {r.actual}{detail}")
    _err(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if catalog.problems:
        _err(f"{len(catalog.problems)} problem(s) in the packs; see `defa-check rules lint`")
    if failed or catalog.problems:
        raise typer.Exit(EXIT_FINDINGS)


@rules_app.command("docs")
def rules_docs(
    output: Path = typer.Option(
        Path("docs/rules"), "--output", "-o", help="Folder to write the catalogue to."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace Markdown files that this command did not write."
    ),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """Write the rule catalogue (Markdown, one page per country) generated from the packs."""
    from .catalogue import HEADER, render_catalogue

    catalog = _catalog(rules_dir)
    output.mkdir(parents=True, exist_ok=True)
    pages = render_catalogue(catalog)
    existing = list(output.glob("*.md"))
    foreign = [p for p in existing if not p.read_text(encoding="utf-8", errors="replace").startswith(HEADER)]
    if foreign and not force:
        _fatal(
            f"{', '.join(str(p) for p in foreign)} not written by `rules docs`; "
            "pass --force to replace, or --output another folder"
        )
    for stale in existing:
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (output / name).write_text(text, encoding="utf-8")
    _err(f"wrote {len(pages)} pages to {output}")


@waivers_app.command("lint")
def waivers_lint(
    path: Path = typer.Argument(..., help="The waiver file."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """Check a waiver file on its own: schema, known rules, expiry."""
    from .waivers import review_waivers

    loaded = _load_waivers(path)
    catalog = _catalog(rules_dir)
    notes = review_waivers(loaded, {r.id for r in catalog.rules}, dt.date.today())
    for note in notes:
        typer.echo(note)
    _err(f"{path}: {len(loaded)} waiver(s), {len(notes)} problem(s)")
    if notes:
        raise typer.Exit(EXIT_FINDINGS)


@baseline_app.command("create")
def baseline_create(
    manifest: Path = typer.Argument(..., help="The manifest whose current findings become the baseline."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the baseline (JSON report)."),
    force: bool = typer.Option(False, "--force", help="Replace --output if it exists."),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """Save today's findings; `check --baseline FILE` then fails only on findings not in it."""
    from .pipeline import check_file
    from .render import get_format

    catalog = _catalog(rules_dir)
    result = check_file(manifest, catalog, _parse_date(as_of))
    if result.report is None:
        for problem in result.problems:
            _err(str(problem))
        _fatal(f"{manifest}: nothing was checked")
    write_output(get_format("json").render(result.report), output, force)
    _err(
        f"baseline with {sum(1 for f in result.report.findings if f.status.value in ('fail', 'needs_info'))} "
        f"finding(s) needing action written to {output}"
    )


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier JSON report."),
    new: Path = typer.Argument(..., help="The later JSON report."),
    format: str = typer.Option("console", "--format", "-f", help="console, json or markdown."),
    fail_on: FailOn = typer.Option(
        FailOn.high, "--fail-on", help="Exit 1 if a new fail is at or above this."
    ),
) -> None:
    """Show new, resolved and changed findings between two saved reports."""
    from .diff import diff_reports, render_diff
    from .model import Severity

    if format not in ("console", "json", "markdown"):
        _fatal(f"unknown format {format!r}; choose from console, json, markdown")
    before = _load_baseline(old, "compare: not a saved JSON report")
    after = _load_baseline(new, "compare: not a saved JSON report")
    result = diff_reports(before, after)
    write_output(render_diff(result, format), None, False)
    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    if result.failing(threshold):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def countries(
    code: Optional[str] = typer.Argument(None, help="One country's profile (e.g. VN); omit for the matrix."),
    format: str = typer.Option("console", "--format", "-f", help="console, markdown, csv, html or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    force: bool = typer.Option(False, "--force", help="Replace --output if it exists."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """The member states side by side (one row per topic), or one country's profile."""
    from . import matrix

    if format not in ("console", "markdown", "csv", "html", "json"):
        _fatal(f"unknown format {format!r}; choose from console, markdown, csv, html, json")
    catalog = _catalog(rules_dir)
    profiles = [catalog.profiles[c] for c in sorted(catalog.profiles)]
    if code is not None:
        from .interview import to_country

        wanted = to_country(code) or code.upper()
        if wanted not in catalog.profiles:
            from .validate import closest

            close = closest(wanted, sorted(catalog.profiles))
            hint = " (did you mean " + close.replace("' or '", " or ") + "?)" if close else ""
            _fatal(f"no profile for {code!r}{hint}")
        profiles = [catalog.profiles[wanted]]
        count = sum(1 for r in catalog.rules if r.country == wanted)
        if format == "console":
            write_output(matrix.profile_text(profiles[0], count), output, force)
            return
        if format == "markdown":
            write_output(matrix.profile_markdown(profiles[0], count), output, force)
            return
        if format == "html":
            write_output(matrix.profile_html(profiles[0], count), output, force)
            return
    renderers = {
        "markdown": matrix.to_markdown,
        "csv": matrix.to_csv,
        "html": matrix.to_html,
        "json": matrix.to_json,
    }
    if format in renderers:
        write_output(renderers[format](profiles), output, force)
        return
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=_use_color(output), width=140, highlight=False)
    table = Table(title="ASEAN member states compared", title_justify="left")
    table.add_column("Topic", no_wrap=True)
    for p in profiles:
        table.add_column(p.code, justify="center", no_wrap=True)
    compact = {
        "recognised": "●",
        "not recognised": "○",
        "unclear": "?",
        "member": "●",
        "associate": "◐",
        "no": "○",
    }
    for label, cells in matrix.rows(profiles):
        if label == "Profile reviewed":
            continue
        table.add_row(
            label,
            *[c.split(" ", 1)[0] if c[:1] in matrix.SYMBOL.values() else compact.get(c, c) for c in cells],
        )
    console.print(table)
    console.print(matrix.LEGEND)
    console.print("Each cell's text: --format markdown|html|csv|json. One country: defa-check countries VN.")
    write_output(buffer.getvalue(), output, force)


@app.command()
def init(
    output: Path = typer.Option(Path("flows.yaml"), "--output", "-o", help="Where to write the manifest."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
    non_interactive: bool = typer.Option(
        False, "--non-interactive", help="Take the answers from the flags below."
    ),
    name: Optional[str] = typer.Option(None, "--name", help="Business name."),
    home: Optional[str] = typer.Option(None, "--home", help="Home country (code or name)."),
    size: str = typer.Option("small", "--size", help="micro, small, medium or large."),
    employees: Optional[int] = typer.Option(None, "--employees", min=0),
    sector: Optional[list[str]] = typer.Option(None, "--sector", help="Sector (repeatable)."),
    sell_to: str = typer.Option("", "--sell-to", help="Countries you sell to online, comma-separated."),
    data: Optional[list[str]] = typer.Option(
        None,
        "--data",
        help="Kinds of data (repeatable): contact, cards, bank, ids, health, location, "
        "behaviour, biometric, religion.",
    ),
    store: Optional[str] = typer.Option(
        None, "--store", help="Where data is stored: country or cloud region."
    ),
    provider: Optional[str] = typer.Option(None, "--provider", help="Hosting or cloud provider."),
    service: Optional[list[str]] = typer.Option(
        None, "--service", help="A company you send data to, as NAME:COUNTRY (repeatable)."
    ),
    customers: Optional[int] = typer.Option(
        None, "--customers", min=0, help="Customers a year, per country."
    ),
    children: bool = typer.Option(False, "--children", help="Some customers are children."),
    dpo: Optional[bool] = typer.Option(
        None, "--dpo/--no-dpo", help="A data protection officer is appointed."
    ),
) -> None:
    """Write a manifest by answering plain questions, then run a first check."""
    from . import interview

    if output.exists() and not force:
        _fatal(f"{output} already exists; pass --force to replace it (or --output another file)")
    if non_interactive:
        answers = _answers_from_flags(
            interview, name, home, size, employees, sector, sell_to, data, store, provider, service,
            customers, children, dpo,
        )  # fmt: skip
    else:
        from rich.console import Console

        try:
            answers = interview.ask(Console(stderr=True, highlight=False))
        except (EOFError, KeyboardInterrupt):
            _fatal("interview interrupted; nothing was written")
    text = interview.manifest_text(answers, str(output))
    from . import yamlio
    from .validate import validate_manifest

    problems = validate_manifest(yamlio.loads(text, str(output)))
    if problems:  # pragma: no cover - a bug: the answers are checked as they are given
        for problem in problems:
            _err(str(problem))
        _fatal("the answers do not make a valid manifest; nothing was written (please report this)")
    write_output(text, output, force=True)
    _err(f"\nWrote {output}. Your first check:\n")
    from .checkrun import CheckOptions, run_checks
    from .render import RenderOptions

    outcome = run_checks(CheckOptions(manifests=(output,), as_of=dt.date.today()))[0]
    if outcome.report is None:  # pragma: no cover - the interview only writes valid manifests
        for problem in outcome.problems:
            _err(str(problem))
        _fatal("the written manifest is not valid; please report this")
    sys.stderr.write(
        b"".join(_render("console", outcome.report, RenderOptions(color=_use_color(None)))).decode()
    )
    _err(
        "Next steps:\n"
        f"  1. Open {output} and add what the report says is missing (legal bases, transfer\n"
        "     mechanisms, safeguards, numbers of customers).\n"
        f"  2. Run `defa-check check {output}` again; `defa-check explain RULE-ID` explains any rule.\n"
        f"  3. Planning a new market? `defa-check plan {output} --expand-to {_suggested_markets(answers)}`."
    )


def _suggested_markets(answers: Any) -> str:
    """Two large ASEAN markets the business does not serve yet, for the example command."""
    served = {answers.home_country, *answers.sell_to}
    return ",".join([c for c in ("VN", "ID", "TH", "MY", "PH", "SG") if c not in served][:2])


def _answers_from_flags(
    interview: Any,
    name: str | None,
    home: str | None,
    size: str,
    employees: int | None,
    sector: list[str] | None,
    sell_to: str,
    data: list[str] | None,
    store: str | None,
    provider: str | None,
    service: list[str] | None,
    customers: int | None,
    children: bool,
    dpo: bool | None,
) -> Any:
    if not name or not home:
        _fatal("--non-interactive needs at least --name and --home")
    home_code = interview.to_country(home)
    if home_code is None:
        _fatal(f"--home {home!r} is not a country code or name I know")
    if size not in ("micro", "small", "medium", "large"):
        _fatal(f"--size {size!r}: choose micro, small, medium or large")
    for s in sector or []:
        if s not in interview.SECTORS:
            _fatal(f"--sector {s!r}: choose from {', '.join(interview.SECTORS)}")
    markets = []
    for part in (p.strip() for p in sell_to.split(",") if p.strip()):
        code = interview.to_country(part)
        if code is None:
            _fatal(f"--sell-to {part!r} is not a country code or name I know")
        markets.append(code)
    for key in data or []:
        if key not in interview.DATA_CHOICES:
            _fatal(f"--data {key!r}: choose from {', '.join(interview.DATA_CHOICES)}")
    store_code = interview.to_country(store) if store else home_code
    if store_code is None:
        _fatal(f"--store {store!r} is not a country, country name or cloud region I know")
    services = []
    for item in service or []:
        label, _, where = item.rpartition(":")
        code = interview.to_country(where)
        if not label or code is None:
            _fatal(f"--service {item!r}: write NAME:COUNTRY, e.g. Stripe:US")
        services.append(interview.Service(label, code))
    return interview.Answers(
        name=name,
        home_country=home_code,
        size=size,
        employees=employees,
        sectors=list(sector or ["ecommerce"]),
        sell_to=sorted({m for m in markets if m != home_code}),
        data=list(dict.fromkeys(data or ["contact"])),
        storage_country=store_code,
        storage_provider=provider,
        services=services,
        customers=customers,
        children=children,
        dpo_appointed=dpo,
    )


@app.command()
def plan(
    manifest: Path = typer.Argument(..., help="Your manifest as it is today."),
    expand_to: str = typer.Option(..., "--expand-to", help="New markets, comma-separated (e.g. VN,ID)."),
    customers: Optional[int] = typer.Option(
        None, "--customers", min=0, help="Expected customers a year in each new market."
    ),
    format: str = typer.Option("console", "--format", "-f", help="console, markdown or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o"),
    force: bool = typer.Option(False, "--force"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """What entering new markets adds: an ordered to-do list with effort, citations and dates."""
    from .pipeline import load_manifest
    from .planning import make_plan, render_plan

    if format not in ("console", "markdown", "json"):
        _fatal(f"unknown format {format!r}; choose from console, markdown, json")
    doc, problems = load_manifest(manifest)
    if problems:
        for problem in problems:
            _err(str(problem))
        _fatal(f"{manifest}: {len(problems)} problem(s)")
    catalog = _catalog(rules_dir)
    wanted = sorted(_countries([expand_to], catalog) or ())
    try:
        result = make_plan(doc.data, wanted, catalog, _parse_date(as_of), customers)
    except ValueError as exc:
        _fatal(str(exc))
    write_output(render_plan(result, format), output, force)


@config_app.command("show")
def config_show() -> None:
    """Print the effective settings and where each comes from."""
    import json

    from .config import KEYS

    settings = _settings()
    typer.echo(f"# settings file: {settings.file or 'none (defaults)'}")
    for key in KEYS:
        typer.echo(f"{key}: {json.dumps(settings[key])}    # {settings.sources[key]}")


def main() -> None:
    """Entry point for the console script and `python -m defa_check`."""
    app(prog_name="defa-check")


if __name__ == "__main__":  # pragma: no cover
    main()
