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
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

from . import __version__

if TYPE_CHECKING:
    from .model import Report, Rule
    from .packs import Catalog
    from .render import RenderOptions

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


def _countries(values: list[str] | None, catalog: Catalog) -> frozenset[str] | None:
    if not values:
        return None
    import difflib

    chosen = set()
    for value in values:
        for code in value.split(","):
            code = code.strip().upper()
            if code not in catalog.packs:
                close = difflib.get_close_matches(code, list(catalog.packs), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                _fatal(
                    f"no rule pack for country {code!r}{hint}; available: " + ", ".join(sorted(catalog.packs))
                )
            chosen.add(code)
    return frozenset(chosen)


def write_output(data: str | bytes, output: Path | None, force: bool) -> None:
    """Write to stdout, or atomically to ``output`` (never replacing a file without ``force``)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output is None or str(output) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
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
            handle.write(raw)
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _fatal(f"cannot write {output}: {exc.strerror}")


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@app.command()
def check(
    manifest: Path = typer.Argument(..., help="The flow manifest (YAML or JSON)."),
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
        help="Write the report to this file (repeatable: the n-th --output goes with the n-th --format).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace --output files that exist."),
    as_of: Optional[str] = typer.Option(
        None, "--as-of", help="Evaluate the law as of this date (default: today)."
    ),
    country: Optional[list[str]] = typer.Option(
        None, "--country", "-c", help="Only these countries (repeatable, or comma-separated)."
    ),
    fail_on: FailOn = typer.Option(
        FailOn.high, "--fail-on", help="Exit 1 if a failing finding is at or above this severity."
    ),
    show_all: bool = typer.Option(False, "--all", help="Console: list every finding that needs action."),
    rules_dir: Optional[Path] = typer.Option(
        None, "--rules-dir", help="Use the packs in this folder instead of the bundled ones."
    ),
) -> None:
    """Check a manifest and report, requirement by requirement, what complies and what to do."""
    from .engine import Selection
    from .model import Severity
    from .pipeline import check_file
    from .render import RenderOptions

    targets = _targets(format, output)
    day = _parse_date(as_of)
    catalog = _catalog(rules_dir)
    selection = Selection(countries=_countries(country, catalog))
    result = check_file(manifest, catalog, day, selection)
    if result.report is None:
        for problem in result.problems:
            _err(str(problem))
        _fatal(f"{manifest}: {len(result.problems)} problem(s); nothing was checked")
    report = result.report
    for name, path in targets:
        options = RenderOptions(color=_use_color(path), limit=None if show_all else 50)
        write_output(_render(name, report, options), path, force)
    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    failing = report.failing(threshold)
    summary = report.summary()
    _err(
        f"{summary['fail']} fail, {summary['needs_info']} needs info, {summary['pass']} pass, "
        f"{summary['not_applicable']} not applicable"
        + (f"; {len(failing)} at or above {fail_on.value}" if threshold is not None else "")
    )
    if failing:
        raise typer.Exit(EXIT_FINDINGS)


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


def _render(name: str, report: Report, options: RenderOptions) -> bytes:
    from .render import get_format
    from .render.html import MissingDependency

    try:
        return get_format(name).render_bytes(report, options)
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


@rules_app.command("lint")
def rules_lint(
    directory: Optional[Path] = typer.Argument(
        None, help="A folder with rules/ and countries/, or a rules folder (default: the bundled packs)."
    ),
) -> None:
    """Check packs and profiles: schema, unique ids, topics, facts, taxonomy keys, dates, citations."""
    from .packs import lint_topics, load_catalog

    catalog = load_catalog(directory)
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
    from .packs import load_catalog
    from .ruletest import run_all

    catalog = load_catalog(directory)
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
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir"),
) -> None:
    """Write the rule catalogue (Markdown, one page per country) generated from the packs."""
    from .catalogue import render_catalogue

    catalog = _catalog(rules_dir)
    output.mkdir(parents=True, exist_ok=True)
    pages = render_catalogue(catalog)
    for stale in output.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (output / name).write_text(text, encoding="utf-8")
    _err(f"wrote {len(pages)} pages to {output}")


def main() -> None:
    """Entry point for the console script and `python -m defa_check`."""
    app(prog_name="defa-check")


if __name__ == "__main__":  # pragma: no cover
    main()
