"""Commands on rule packs and waiver files: rules list|show|lint|test|docs, waivers lint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from defa_check.cli import options as opt
from defa_check.cli.commands import load_catalog_or_exit, rule_or_exit, selected_countries
from defa_check.cli.groups import rules_app, waivers_app
from defa_check.cli.output import err, exit_on_problems, fail, print_problems, say

if TYPE_CHECKING:
    from defa_check.packs.loader import Catalog

EXIT_PROBLEMS = 1
"""`rules lint|test` and `waivers lint` exit 1 when they find problems (their findings)."""


@rules_app.command("list")
def rules_list(
    country: opt.Countries = None,
    topic: Optional[str] = typer.Option(None, "--topic", "-t", metavar="TOPIC", help="Only this topic."),
    rules_dir: opt.RulesDir = None,
) -> None:
    """List rules: id, topic, severity, subject, in force from, title."""
    from defa_check.model import TOPICS
    from defa_check.workflows.ruledocs import list_header, list_line

    catalog = load_catalog_or_exit(rules_dir)
    countries = selected_countries(country, catalog.packs)
    if topic is not None and topic not in TOPICS:
        fail(f"unknown topic {topic!r}; topics: {', '.join(TOPICS)}")
    typer.echo(list_header())
    for rule in sorted(catalog.rules, key=lambda r: r.id):
        if (countries is None or rule.country in countries) and (topic is None or rule.topic == topic):
            say(list_line(rule))


@rules_app.command("show")
def rules_show(
    rule_id: str = typer.Argument(..., metavar="RULE_ID", help="A rule id, e.g. VN-TRANSFER-001."),
    rules_dir: opt.RulesDir = None,
) -> None:
    """Print a rule as written in its pack (YAML)."""
    import yaml

    rule = rule_or_exit(load_catalog_or_exit(rules_dir), rule_id)
    where = f"# {rule.location}\n" if rule.location else ""
    say(where + yaml.safe_dump(rule.raw, sort_keys=False, allow_unicode=True, width=100))


def _catalog_to_check(directory: Path | None) -> Catalog:
    """Packs for `rules lint|test`: a project folder, a rules folder, or one pack's folder."""
    from defa_check.packs.loader import load_catalog

    if directory is None:
        return load_catalog()
    if not directory.is_dir():
        fail(f"{directory}: no such folder")
    if (directory / "pack.yaml").is_file():  # one pack: rules/<cc>
        catalog = load_catalog(directory.parent, countries={directory.name.upper()})
    else:
        catalog = load_catalog(directory)
    if not catalog.packs and not catalog.problems:
        fail(f"{directory}: no rule packs here (expected rules/<cc>/pack.yaml, or a pack folder)")
    return catalog


@rules_app.command("lint")
def rules_lint(
    directory: Optional[Path] = typer.Argument(
        None,
        metavar="[DIR]",
        help="A folder with rules/ and countries/, or a rules folder (default: the bundled packs).",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Warnings (a first URL that is not an official source) count as problems."
    ),
) -> None:
    """Check packs and profiles: schema, ids, topics, facts, taxonomy keys, dates, citations and sources."""
    from defa_check.packs.loader import lint_sources, lint_topics

    catalog = _catalog_to_check(directory)
    source_problems, warnings = lint_sources(catalog)
    problems = [*catalog.problems, *lint_topics(catalog), *source_problems]
    if strict:
        problems += warnings
    else:
        for warning in warnings:
            typer.echo(f"warning: {warning}")
    print_problems(problems, to_stdout=True)
    err(
        f"{len(catalog.rules)} rules in {len(catalog.packs)} packs, {len(catalog.profiles)} profiles: "
        f"{len(problems)} problem(s)" + ("" if strict else f", {len(warnings)} warning(s)")
    )
    if problems:
        raise typer.Exit(EXIT_PROBLEMS)


@rules_app.command("test")
def rules_test(
    directory: Optional[Path] = typer.Argument(
        None,
        metavar="[DIR]",
        help="A folder with rules/ and countries/, or a rules folder (default: the bundled packs).",
    ),
    country: opt.Countries = None,
) -> None:
    """Run every rule's examples and report the ones that do not give their expected status."""
    from defa_check.workflows.rule_examples import run_all

    catalog = _catalog_to_check(directory)
    print_problems(catalog.problems)
    # Broken rules are left out of the catalog; the others still run, so one
    # bad file does not hide every other rule's results.
    results = run_all(catalog, selected_countries(country, catalog.packs))
    failed = [r for r in results if not r.ok]
    for r in failed:
        detail = f" — {r.detail}" if r.detail else ""
        typer.echo(f"FAIL {r.rule_id} [{r.example}]: expected {r.expected}, got {r.actual}{detail}")
    err(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if catalog.problems:
        err(f"{len(catalog.problems)} problem(s) in the packs; see `defa-check rules lint`")
    if failed or catalog.problems:
        raise typer.Exit(EXIT_PROBLEMS)


@rules_app.command("docs")
def rules_docs(
    output: Path = typer.Option(
        Path("docs/rules"), "--output", "-o", metavar="DIR", help="Folder to write the catalogue to."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace Markdown files that this command did not write (never removed)."
    ),
    rules_dir: opt.RulesDir = None,
) -> None:
    """Write the rule catalogue (Markdown, one page per country) generated from the packs."""
    from defa_check.cli.output import check_outputs, write_to
    from defa_check.workflows.ruledocs import plan_catalogue

    plan, problems = plan_catalogue(load_catalog_or_exit(rules_dir), output, force)
    exit_on_problems(problems, "nothing was written")
    # Its own pages are replaced without --force; the plan has refused the others already.
    destinations = check_outputs(list(plan.pages), force=True, create_folders=True)
    for destination, text in zip(destinations, plan.pages.values(), strict=True):
        write_to(destination, text)
    for stale in plan.stale:
        stale.unlink(missing_ok=True)
    err(f"wrote {len(plan.pages)} pages to {output}")


@waivers_app.command("lint")
def waivers_lint(
    path: Path = typer.Argument(..., metavar="FILE", help="The waiver file."),
    rules_dir: opt.RulesDir = None,
) -> None:
    """Check a waiver file on its own: schema, known rules, expiry."""
    from defa_check.evaluate.waivers import review_waivers
    from defa_check.inputs.waiver_file import load_waivers

    loaded, problems = load_waivers(path)
    unreadable = problems and all(p.code == "unreadable" for p in problems)  # "no such file" is not "invalid"
    exit_on_problems(problems, f"{path}: " + ("cannot be read" if unreadable else "invalid waiver file"))
    catalog = load_catalog_or_exit(rules_dir)
    notes = review_waivers(loaded, {r.id for r in catalog.rules}, dt.date.today())
    print_problems(notes, to_stdout=True)
    err(f"{path}: {len(loaded)} waiver(s), {len(notes)} problem(s)")
    if notes:
        raise typer.Exit(EXIT_PROBLEMS)
