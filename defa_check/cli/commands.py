"""The commands around a check: check, validate, report, diff, plan, init, countries, explain, schema.

Each command parses its options into a request, makes one call into the
stages or workflows, prints, and maps the result to an exit code.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from defa_check import records
from defa_check.cli import options as opt
from defa_check.cli.check_command import render_chunks, report_options, settings_or_exit
from defa_check.cli.groups import app, baseline_app, config_app
from defa_check.cli.output import (
    check_outputs,
    err,
    err_lines,
    exit_on_problems,
    fail,
    print_problems,
    refuse_binary_on_a_terminal,
    say,
    use_color,
    write_output,
    write_to,
)
from defa_check.workflows.formats import COUNTRIES_FORMATS, DIFF_FORMATS, PLAN_FORMATS

if TYPE_CHECKING:
    from defa_check.model import Report, Rule, Severity
    from defa_check.packs.loader import Catalog
    from defa_check.workflows.interview import Answers

EXIT_FINDINGS, EXIT_INVALID = 1, 2


def load_catalog_or_exit(rules_dir: Path | None) -> Catalog:
    """The packs under ``rules_dir`` (default: bundled); broken packs end the command with exit 2."""
    from defa_check.packs.loader import load_catalog

    catalog = load_catalog(rules_dir)
    exit_on_problems(
        catalog.problems,
        f"the rule packs have {len(catalog.problems)} problem(s); run `defa-check rules lint`",
    )
    return catalog


def selected_countries(
    values: list[str] | None, available: Iterable[str], option: str = "--country"
) -> frozenset[str] | None:
    """`--country` checked against the packs that exist (exit 2 with a did-you-mean otherwise)."""
    if not values:
        return None
    from defa_check.evaluate.batch import select_countries

    chosen, problems = select_countries(values, available, where=option)
    exit_on_problems(problems, "unknown country")
    return chosen


def threshold(fail_on: str) -> Severity | None:
    from defa_check.model import Severity

    return None if fail_on == "never" else Severity.parse(fail_on)


def load_report_or_exit(path: Path, purpose: str) -> Report:
    from defa_check.inputs.saved_report import load_report

    loaded, problems = load_report(path)
    if loaded is None:
        print_problems(problems, f"{path}: cannot {purpose}")
        raise typer.Exit(EXIT_INVALID)
    return loaded


@app.command()
def check(
    manifests: Optional[list[Path]] = typer.Argument(
        None,
        metavar="[MANIFEST]...",
        help="Flow manifests (YAML or JSON) or folders of them. Default: `manifests` in the config file.",
    ),
    format: opt.ReportFormats = None,
    output: opt.Outputs = None,
    force: opt.Force = False,
    as_of: opt.AsOf = None,
    country: opt.Countries = None,
    fail_on: opt.FailOn = None,
    strict: Optional[bool] = typer.Option(
        None,
        "--strict/--no-strict",
        help="needs_info (a fact the manifest does not state) counts as failing too.",
    ),
    strict_review: Optional[bool] = typer.Option(
        None,
        "--strict-review/--no-strict-review",
        help="review items (facts stated, law unsettled: confirm with counsel) count as failing too. "
        "Off by default: no manifest edit can clear them.",
    ),
    waivers: Optional[Path] = typer.Option(
        None, "--waivers", metavar="FILE", help="Waiver file (known risks accepted)."
    ),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", metavar="FILE", help="A saved JSON report: only findings not in it fail the run."
    ),
    show_all: opt.ShowAll = False,
    show: opt.Show = None,
    include_not_applicable: opt.IncludeNotApplicable = False,
    horizon: Optional[int] = typer.Option(
        None,
        "--horizon",
        min=1,
        max=120,
        metavar="MONTHS",
        help="Also list what comes into force in the next MONTHS months.",
    ),
    rules_dir: opt.RulesDir = None,
    config: Optional[Path] = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="Settings file to use instead of .defa-check.yaml or pyproject.toml in the working folder.",
    ),
    title: opt.Title = None,
    prepared_for: opt.PreparedFor = None,
    prepared_by: opt.PreparedBy = None,
    logo: opt.Logo = None,
) -> None:
    """Check manifests and report, requirement by requirement, what complies and what to do."""
    from defa_check.cli.check_command import CheckArgs, run_check

    args = CheckArgs(
        manifests=tuple(manifests or ()),
        formats=tuple(format or ()),
        outputs=tuple(output or ()),
        force=force,
        as_of=as_of,
        countries=tuple(country or ()),
        fail_on=fail_on,
        strict=strict,
        strict_review=strict_review,
        waivers=waivers,
        baseline=baseline,
        show_all=show_all,
        show=tuple(show or ()),
        include_not_applicable=include_not_applicable,
        horizon=horizon,
        rules_dir=rules_dir,
        config=config,
        title=title,
        prepared_for=prepared_for,
        prepared_by=prepared_by,
        logo=logo,
    )
    raise typer.Exit(run_check(args))


@app.command()
def report(
    result: Path = typer.Argument(
        ..., metavar="REPORT", help="A JSON report saved by `check --format json`."
    ),
    format: opt.ReportFormats = None,
    output: opt.OneReportOutputs = None,
    force: opt.Force = False,
    show_all: opt.ShowAll = False,
    show: opt.Show = None,
    fail_on: opt.ReportFailOn = None,
    strict: bool = typer.Option(
        False, "--strict", help="JUnit and the like: needs_info at or above --fail-on counts as failed."
    ),
    include_not_applicable: opt.IncludeNotApplicable = False,
    title: opt.Title = None,
    prepared_for: opt.PreparedFor = None,
    prepared_by: opt.PreparedBy = None,
    logo: opt.Logo = None,
) -> None:
    """Render a saved JSON result in any format, without the manifest."""
    from defa_check.cli.output import pair_targets
    from defa_check.cli.requests import cover_options

    targets = pair_targets(format, output)
    render_options, problems = cover_options(
        settings_or_exit(),
        report_options(show_all, show, include_not_applicable),
        title=title,
        prepared_for=prepared_for,
        prepared_by=prepared_by,
        logo=logo,
    )
    exit_on_problems(problems, "nothing was rendered")
    refuse_binary_on_a_terminal(targets)
    destinations = check_outputs([path for _, path in targets], force, inputs=[result])
    loaded = load_report_or_exit(result, "render it: not a defa-check JSON report this version can read")
    for (name, path), destination in zip(targets, destinations, strict=True):
        options = records.replace(
            render_options,
            color=use_color(path),
            fail_on=threshold(fail_on or "high"),
            strict=strict,
        )
        write_to(destination, render_chunks(name, loaded, options))


@app.command()
def validate(
    manifests: list[Path] = typer.Argument(
        ..., metavar="MANIFEST...", help="Manifests, or folders of manifests, to validate."
    ),
) -> None:
    """Check manifests against the schema and their references, listing every problem."""
    from defa_check.evaluate.batch import expand_manifests
    from defa_check.evaluate.document import load_manifest

    # Folders as `check` reads them: the manifests inside.
    paths, unreadable = expand_manifests(manifests)
    print_problems(unreadable, to_stdout=True)
    bad = len(unreadable)
    for path in paths:
        _, problems = load_manifest(path)
        print_problems(problems, to_stdout=True)
        if problems:
            bad += 1
        else:
            err(f"{path}: valid")
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
def schema(
    name: SchemaName = typer.Argument(
        ...,
        metavar="NAME",
        help="Which schema to print: " + ", ".join(n.value for n in SchemaName) + ".",
        show_choices=False,
    ),
) -> None:
    """Print a JSON Schema (draft 2020-12) that defa-check itself uses."""
    import json

    from defa_check.inputs.schemas import schema as load_schema

    typer.echo(json.dumps(load_schema(name.value), indent=2))


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="RULE_ID", help="A rule id, e.g. VN-TRANSFER-001."),
    rules_dir: opt.RulesDir = None,
) -> None:
    """Explain a rule in plain language: what it requires, who it applies to, how to comply."""
    from defa_check.workflows.explain import explain_rule

    catalog = load_catalog_or_exit(rules_dir)
    say(explain_rule(rule_or_exit(catalog, rule_id), catalog, width=explain_width()))


def explain_width() -> int:
    """The terminal's width (up to the default) on a terminal; the stable default otherwise."""
    import shutil
    import sys

    from defa_check.workflows.explain import DEFAULT_WIDTH

    if not sys.stdout.isatty():
        return DEFAULT_WIDTH
    return min(DEFAULT_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH + 1, 24)).columns - 1)


def rule_or_exit(catalog: Catalog, rule_id: str) -> Rule:
    from defa_check.inputs.suggest import did_you_mean

    rule = catalog.rule(rule_id)
    if rule is None:
        hint = did_you_mean(rule_id.upper(), [r.id for r in catalog.rules])
        fail(f"no rule {rule_id!r}" + (f" ({hint})" if hint else ""))
    return rule


@baseline_app.command("create")
def baseline_create(
    manifest: Path = typer.Argument(
        ..., metavar="MANIFEST", help="The manifest whose current findings become the baseline."
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="FILE",
        parser=opt.output_file,
        help="Where to write the baseline (JSON report).",
    ),
    force: opt.Force = False,
    as_of: opt.AsOf = None,
    rules_dir: opt.RulesDir = None,
) -> None:
    """Save today's findings; `check --baseline FILE` then fails only on findings not in it."""
    from defa_check.evaluate.document import check_file
    from defa_check.render import get_format

    destination = check_outputs([output], force, inputs=[manifest])[0]
    catalog = load_catalog_or_exit(rules_dir)
    # A baseline is a JSON report: it counts not-applicable findings, so none is built.
    result = check_file(manifest, catalog, as_of or dt.date.today(), list_not_applicable=False)
    if result.report is None:
        print_problems(result.problems, f"{manifest}: nothing was checked")
        raise typer.Exit(EXIT_INVALID)
    write_to(destination, get_format("json").render(result.report))
    err(f"baseline with {len(result.report.action_items())} finding(s) needing action written to {output}")


@app.command()
def diff(
    old: Path = typer.Argument(..., metavar="OLD", help="The earlier JSON report."),
    new: Path = typer.Argument(..., metavar="NEW", help="The later JSON report."),
    format: Annotated[str, opt.format_option(DIFF_FORMATS)] = "console",
    fail_on: Annotated[
        str,
        typer.Option(
            parser=opt.choice((*opt.SEVERITY_NAMES, "never"), "severity", never_suggest=("never",)),
            metavar="SEVERITY",
            help="Exit 1 if a new fail is at or above this.",
        ),
    ] = "high",
) -> None:
    """Show new, resolved and changed findings between two saved reports."""
    from defa_check.workflows import diff as report_diff

    before = load_report_or_exit(old, "compare: not a saved JSON report")
    after = load_report_or_exit(new, "compare: not a saved JSON report")
    from defa_check.evaluate.waivers import baseline_mismatch
    from defa_check.model import quote

    if baseline_mismatch(after, before):
        err(
            f"notice: the reports are of different manifests ({before.manifest_path}, organization "
            f"{quote(before.organization)}; {after.manifest_path}, {quote(after.organization)}): "
            "findings are matched by rule, country and subject, so what is new or resolved may only "
            "be the other manifest's"
        )
    for notice in report_diff.scope_notices(before, after):
        err(f"notice: {notice}")
    result = report_diff.diff_reports(before, after)
    write_output(report_diff.render_diff(result, format), None, False)
    if result.failing(threshold(fail_on)):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def countries(
    code: Optional[str] = typer.Argument(
        None,
        metavar="CC[,CC...]",
        help="One country's profile (VN, or a name), or several side by side (VN,TH); omit for all.",
    ),
    format: Annotated[str, opt.format_option((*COUNTRIES_FORMATS, "pdf"))] = "console",
    output: opt.Output = None,
    force: opt.Force = False,
    rules_dir: opt.RulesDir = None,
) -> None:
    """The member states side by side (one row per topic), or one country's profile."""
    from defa_check.workflows import countries as country_tables

    catalog = load_catalog_or_exit(rules_dir)
    profiles = [catalog.profiles[c] for c in sorted(catalog.profiles)]
    if code is not None:
        from defa_check.evaluate.batch import select_countries

        chosen, problems = select_countries([code], catalog.profiles, where="COUNTRY")
        exit_on_problems(problems, f"no profile for {code!r}")
        profiles = [catalog.profiles[c] for c in sorted(chosen or ())]
    counts: dict[str, int] = {}
    for rule in catalog.rules:
        counts[rule.country] = counts.get(rule.country, 0) + 1
    if format == "pdf":
        refuse_binary_on_a_terminal([(format, output)])  # before the slow rendering
        page = country_tables.render_countries(profiles, "html", counts)
        title = profiles[0].name if len(profiles) == 1 else "ASEAN member states compared"
        # Dated by the newest profile review, so the same packs print the same bytes.
        reviewed = max(
            (dt.date.fromisoformat(p.last_reviewed[:10]) for p in profiles), default=dt.date(2026, 1, 1)
        )
        write_output(print_pdf(page, reviewed, title), output, force)
        return
    write_output(
        country_tables.render_countries(profiles, format, counts, color=use_color(output)), output, force
    )


def print_pdf(page: str, day: dt.date, title: str) -> bytes:
    """A workflow's HTML page as PDF, through the report's own machinery (header, footer, page numbers)."""
    from defa_check.render.base import MissingDependency
    from defa_check.render.pdf import html_to_pdf, page_frame

    try:
        return html_to_pdf(page, day, page_frame(title))
    except MissingDependency as exc:
        fail(str(exc))


@app.command()
def init(
    output: Path = typer.Option(
        Path("flows.yaml"),
        "--output",
        "-o",
        metavar="FILE",
        parser=opt.output_file,
        help="Where to write the manifest.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
    answers_file: Optional[Path] = typer.Option(
        None,
        "--answers",
        metavar="FILE",
        help="Replay answers saved by an earlier run (questions it does not answer are asked).",
    ),
    non_interactive: bool = typer.Option(
        False, "--non-interactive", help="Take the answers from the flags below."
    ),
    name: Optional[str] = typer.Option(None, "--name", metavar="TEXT", help="Business name."),
    home: Optional[str] = typer.Option(None, "--home", metavar="CC", help="Home country (code or name)."),
    size: Optional[str] = typer.Option(None, "--size", metavar="SIZE", help="micro, small, medium or large."),
    employees: Optional[int] = typer.Option(
        None, "--employees", min=0, metavar="N", help="Number of employees."
    ),
    sector: Optional[list[str]] = typer.Option(
        None, "--sector", metavar="SECTOR", help="Sector (repeatable)."
    ),
    sell_to: str = typer.Option(
        "",
        "--sell-to",
        metavar="CC[,CC...]",
        help="Countries you sell to online, comma-separated (your home country too, if you sell there).",
    ),
    data: Optional[list[str]] = typer.Option(
        None,
        "--data",
        metavar="KIND",
        help="Kinds of data (repeatable): names, email, phone, address, cards, bank, birth, profiling, "
        "location, ids, health, biometric, beliefs (contact = names, email, phone and address).",
    ),
    store: Optional[str] = typer.Option(
        None, "--store", metavar="PLACE", help="Where data is stored: country or cloud region."
    ),
    provider: Optional[str] = typer.Option(
        None, "--provider", metavar="TEXT", help="Hosting or cloud provider."
    ),
    service: Optional[list[str]] = typer.Option(
        None,
        "--service",
        metavar="SPEC",
        help="A company you send data to, as NAME:COUNTRY[:PURPOSES[:DATA]] with + between several, "
        "e.g. Stripe:US:payments:names+email+cards (repeatable).",
    ),
    customers: Optional[int] = typer.Option(
        None, "--customers", min=0, metavar="N", help="Customers a year, in each country."
    ),
    children: Optional[bool] = typer.Option(
        None, "--children/--no-children", help="Some customers are children (or none are)."
    ),
    dpo: Optional[bool] = typer.Option(
        None, "--dpo/--no-dpo", help="A data protection officer is appointed."
    ),
    cards_at_provider: Optional[bool] = typer.Option(
        None,
        "--cards-at-provider/--cards-in-shop",
        help="With --data cards: the payment company takes card numbers on its own page, so only "
        "its flow carries them (or your shop keeps them too).",
    ),
) -> None:
    """Write a manifest by answering plain questions, then print a first check to stdout."""
    from defa_check.workflows import interview

    # Checked before the interview, so no answers are lost to a file that is in the way.
    destination = check_outputs([output], force)[0]
    recorded: dict[str, str] = {}
    if non_interactive:
        flags = interview.Flags(
            name, home, size, employees, tuple(sector or ()), sell_to, tuple(data or ()), store, provider,
            tuple(service or ()), customers, children, dpo, cards_at_provider,
        )  # fmt: skip
        answers, problems = interview.answers_from_flags(flags)
        exit_on_problems(problems, "nothing was written")
        assert answers is not None
    else:
        answers, recorded = _interview(output, answers_file)
    text, problems = interview.valid_manifest_text(answers, str(output))
    if problems:
        # A bug, not the user's fault: the answers are checked as they are given.
        saved = _save_answers(recorded, output) if recorded else None
        print_problems(problems)
        fail(
            "the answers do not make a valid manifest; nothing was written (please report this)"
            + (f". Your answers are saved in {saved}" if saved else "")
        )
    if destination.how == "create" and output.exists():
        saved = _save_answers(recorded, output) if recorded else None
        fail(
            f"{output} appeared while you answered; nothing was replaced"
            + (
                f". Your answers are saved in {saved}: run `defa-check init --answers {saved} -o OTHER`"
                if saved
                else ""
            )
        )
    write_to(destination, text)
    outside = interview.outside_scope([answers.home_country, *answers.sell_to])
    err_lines("", f"Wrote {output}. Your first check follows (on standard output).")
    if outside:
        err(
            f"Not checked: {', '.join(outside)} (outside ASEAN; "
            "defa-check's packs cover the eleven member states)."
        )
    _first_check(output)
    # One line at a time: err() shows a newline inside a line as the two characters \n.
    err_lines(
        "Next steps:",
        f'  1. Find out what the report marks "needs info" and add it to {output}.',
        f"  2. Run `defa-check check {output}` again; `defa-check explain RULE-ID` explains any rule.",
        f"  3. Planning a new market? `defa-check plan {output} "
        f"--expand-to {interview.suggested_markets(answers) or 'VN'}`.",
    )


def _interview(output: Path, answers_file: Path | None) -> tuple[Answers, dict[str, str]]:
    """Run the prompts (replaying ``answers_file``); on any stop, save the answers and say where."""
    from defa_check.workflows import interview_questions as questions

    replay: dict[str, str] = {}
    if answers_file is not None:
        try:
            parsed = questions.parse_answers(answers_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {answers_file}: {getattr(exc, 'strerror', None) or exc}")
        if isinstance(parsed, str):
            fail(f"{answers_file}: {parsed}")
        replay = parsed
    interactive = sys.stdin.isatty()
    if not interactive and not replay:
        err(
            "Standard input is not a terminal: reading one answer per line. For scripts, "
            "`defa-check init --non-interactive` with flags, or `--answers FILE`, is steadier."
        )

    def read() -> str | None:
        sys.stderr.flush()
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\r\n")

    def write(text: str) -> None:
        sys.stderr.write(text + "\n")

    session = questions.Session(
        read, write, dict(replay), width=questions.terminal_width(), echo=not interactive
    )
    try:
        return questions.interview(session), session.recorded
    except (EOFError, KeyboardInterrupt) as exc:
        stopped = "input ended" if isinstance(exc, EOFError) else "interrupted"
        # Replayed answers that were not reached yet are kept too: nothing given is lost.
        kept = {**session.recorded, **session.replay}
        if not kept:
            fail(
                f"interview {stopped} before any answer; nothing was written."
                + ("" if interactive else " Use `defa-check init --non-interactive` with flags for scripts.")
            )
        saved = _save_answers(kept, output)
        fail(
            f"interview {stopped}; nothing was written. Your {len(kept)} answer(s) are saved in {saved}; "
            f"continue with `defa-check init --answers {saved}`"
            + ("" if interactive else " (or use --non-interactive with flags)")
        )


def _save_answers(recorded: dict[str, str], output: Path) -> Path:
    """Write the answers next to ``output`` under a new name (never replacing a file); the path."""
    import tempfile

    from defa_check.workflows import interview_questions as questions

    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    for n in range(1, 100):
        candidate = output.with_name(f"{stem}.answers{'' if n == 1 else f'-{n}'}.yaml")
        try:
            with open(candidate, "x", encoding="utf-8") as handle:
                handle.write(questions.answers_text(recorded, str(candidate)))
            return candidate
        except FileExistsError:
            continue
        except OSError:
            break
    fd, name = tempfile.mkstemp(prefix="defa-check-init-", suffix=".answers.yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(questions.answers_text(recorded, name))
    return Path(name)


def _first_check(manifest: Path) -> None:
    """`init`'s first check, on stdout: `defa-check init > first-report.txt` keeps it."""
    from defa_check.evaluate.batch import CheckRequest, run_checks
    from defa_check.render import RenderOptions

    run = run_checks(CheckRequest(manifests=(manifest,), as_of=dt.date.today()))
    outcome = run.outcomes[0] if run.outcomes else None
    if outcome is None or outcome.report is None:  # pragma: no cover - the interview writes valid manifests
        print_problems(run.problems or (outcome.problems if outcome else ()), "please report this")
        raise typer.Exit(EXIT_INVALID)
    write_output(render_chunks("console", outcome.report, RenderOptions(color=use_color(None))), None, False)


@app.command()
def plan(
    manifest: Path = typer.Argument(..., metavar="MANIFEST", help="Your manifest as it is today."),
    expand_to: str = typer.Option(
        ...,
        "--expand-to",
        metavar="CC[,CC...]",
        help="New markets, comma-separated, in your order (e.g. VN,ID).",
    ),
    customers: Optional[int] = typer.Option(
        None, "--customers", min=0, metavar="N", help="Expected customers a year in each new market."
    ),
    start: Optional[dt.datetime] = typer.Option(
        None,
        "--start",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="When you start selling there (default: today).",
    ),
    write: Optional[Path] = typer.Option(
        None,
        "--write",
        metavar="FILE",
        parser=opt.output_file,
        help="Also write your manifest with the proposed additions to this new file.",
    ),
    format: Annotated[str, opt.format_option((*PLAN_FORMATS, "pdf"))] = "console",
    output: opt.Output = None,
    force: opt.Force = False,
    as_of: opt.AsOf = None,
    rules_dir: opt.RulesDir = None,
) -> None:
    """What entering new markets adds: dated to-dos labelled Do, Find out or If, with citations."""
    import shutil

    from defa_check.evaluate.document import load_manifest
    from defa_check.workflows import plan as expansion

    doc, problems = load_manifest(manifest)
    from defa_check.model import problems_counted

    exit_on_problems(problems, f"{manifest}: {problems_counted(problems)}")
    catalog = load_catalog_or_exit(rules_dir)
    chosen = selected_countries([expand_to], catalog.packs, "--expand-to") or frozenset()
    wanted = _in_given_order(expand_to, chosen)
    if write is not None and not force:
        if write.resolve() == manifest.resolve():
            fail(f"--write {write} is your manifest itself; choose a new file (or pass --force)")
        if write.exists():
            fail(f"{write} already exists; pass --force to replace it")
    result, problems = expansion.make_plan(
        doc.data, wanted, catalog, as_of or dt.date.today(), customers,
        start=start.date() if start else None, doc=doc, path=str(manifest),
    )  # fmt: skip
    exit_on_problems(problems, "no plan was made")
    assert result is not None
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))
    if format == "pdf":
        refuse_binary_on_a_terminal([(format, output)])  # before the slow rendering
        title = f"Expansion plan: {', '.join(result.countries)}"
        write_output(print_pdf(expansion.plan_html(result, width), result.after.as_of, title), output, force)
    else:
        write_output(expansion.render_plan(result, format, width), output, force)
    if write is not None:
        write_output(expansion.extended_text(result), write, force)
        err(f"wrote {write}: {manifest} with the proposed markets and flows")


def _in_given_order(expand_to: str, chosen: frozenset[str]) -> list[str]:
    """The countries of ``--expand-to`` in the order the user gave them."""
    from defa_check.inputs.geo import to_country

    ordered = [to_country(p) or p.strip().upper() for p in expand_to.split(",") if p.strip()]
    return [c for c in dict.fromkeys(ordered) if c in chosen]


@config_app.command("show")
def config_show() -> None:
    """Print the effective settings and where each comes from."""
    import json

    from defa_check.inputs.config import KEYS

    settings = settings_or_exit()
    say(f"# settings file: {settings.file or 'none (defaults)'}")
    if settings.ignored:
        say(f"# not read: {settings.ignored} ({settings.file} comes first)")
    for key in KEYS:
        say(f"{key}: {json.dumps(settings[key])}    # {settings.sources[key]}")
