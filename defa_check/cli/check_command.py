"""`check`'s run, from its parsed options to its exit code, without Typer.

The Typer command (:func:`defa_check.cli.commands.check`) and the direct path for a
plain command line (:mod:`defa_check.cli.direct`) both parse into :class:`CheckArgs`
and call :func:`run_check`, so they differ only in how the options were read.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

from defa_check import records
from defa_check.cli.output import (
    check_outputs,
    echo,
    err,
    exit_on_problems,
    fail,
    print_problems,
    refuse_binary_on_a_terminal,
    use_color,
    write_to,
)
from defa_check.records import record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)

if TYPE_CHECKING:
    from defa_check.evaluate.batch import CheckRequest
    from defa_check.inputs.config import Settings
    from defa_check.model import Report
    from defa_check.render.base import RenderOptions


SEVERITY_NAMES = ("critical", "high", "medium", "low", "info")
"""`--fail-on` choices besides "never" (the test suite checks them against Severity)."""
SHOWABLE = ("pass", "not_applicable")
"""What `--show` can list besides what needs action."""


@record
class CheckArgs:
    """`check`'s command line, parsed: what was given, None (or empty) where it was not."""

    manifests: tuple[Path, ...] = ()
    formats: tuple[str, ...] = ()
    outputs: tuple[Path, ...] = ()
    force: bool = False
    as_of: dt.date | None = None
    countries: tuple[str, ...] = ()
    fail_on: str | None = None
    strict: bool | None = None
    strict_review: bool | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    show_all: bool = False
    show: tuple[str, ...] = ()
    include_not_applicable: bool = False
    horizon: int | None = None
    rules_dir: Path | None = None
    config: Path | None = None
    title: str | None = None
    prepared_for: str | None = None
    prepared_by: str | None = None
    logo: Path | None = None


def run_check(args: CheckArgs) -> int:
    """Check the manifests, write the reports and the summary; the exit code (a problem exits 2)."""
    from defa_check.cli.requests import check_request, cover_options
    from defa_check.evaluate.batch import run_checks

    settings = settings_or_exit(args.config)
    request, targets, force, problems = check_request(
        settings,
        manifests=list(args.manifests) or None,
        formats=list(args.formats) or None,
        outputs=list(args.outputs) or None,
        force=args.force,
        as_of=args.as_of or dt.date.today(),
        countries=list(args.countries) or None,
        fail_on=args.fail_on,
        strict=args.strict,
        strict_review=args.strict_review,
        waivers=args.waivers,
        baseline=args.baseline,
        rules_dir=args.rules_dir,
    )
    render_options, logo_problems = cover_options(
        settings,
        report_options(args.show_all, list(args.show), args.include_not_applicable),
        title=args.title,
        prepared_for=args.prepared_for,
        prepared_by=args.prepared_by,
        logo=args.logo,
    )
    exit_on_problems([*problems, *logo_problems], "nothing was checked")
    refuse_binary_on_a_terminal(targets)
    if args.logo is not None:
        from defa_check.render import FORMATS, format_class

        covered = [name for name in FORMATS if format_class(name).has_cover]
        if not any(name in covered for name, _ in targets):
            shown = ", ".join(covered)
            err(f"notice: --logo is shown on the cover of {shown} reports only; none is written here")
    run = run_checks(_listing(request, targets, args.include_not_applicable))
    exit_on_problems(run.problems, run.stopped_by)
    # The settings file this run read is one of its inputs too: no report replaces it.
    settings_files = (
        [args.config] if args.config is not None else [Path(".defa-check.yaml"), Path("pyproject.toml")]
    )
    # Outputs no option named come from the settings file's `formats:`: messages name it.
    outputs_from = None if args.formats or args.outputs or not settings["formats"] else settings.file
    write_reports(
        run.outcomes, targets, force, render_options, args.horizon, request, settings_files, outputs_from
    )
    return run.exit_code(request)


def render_chunks(name: str, report: Report, options: RenderOptions) -> Iterable[bytes]:
    """A report in format ``name``, computed before anything is written."""
    from defa_check.render import get_format
    from defa_check.render.base import MissingDependency

    try:
        return get_format(name).render_chunks(report, options)
    except MissingDependency as exc:
        fail(str(exc))


def settings_or_exit(path: Path | None = None) -> Settings:
    """The settings file (``path``, or the one in the working folder); exit 2 when it is invalid."""
    from defa_check.inputs.config import load_settings
    from defa_check.render import FORMATS

    settings, problems = load_settings(formats=FORMATS, path=path)
    exit_on_problems(problems, "the settings file cannot be used")
    if settings.ignored:
        err(
            f"notice: {settings.ignored} is not read: {settings.file} comes first (one settings file is used)"
        )
    return settings


def _listing(request: CheckRequest, targets: list[tuple[str, Path | None]], include: bool) -> CheckRequest:
    """Not-applicable findings listed one by one only where a report shows them so."""
    from defa_check.render import format_class

    listed = include or any(format_class(name).lists_every_finding for name, _ in targets)
    return records.replace(request, list_not_applicable=listed)


def write_reports(
    outcomes: Iterable[object],
    targets: list[tuple[str, Path | None]],
    force: bool,
    render_options: RenderOptions,
    horizon: int | None,
    request: CheckRequest,
    settings_files: Iterable[Path] = (),
    outputs_from: str | None = None,
) -> None:
    """Each manifest's report in each format, then its notices and one summary line on stderr.

    Every target of every manifest is checked before the first is written.
    """
    from defa_check.cli.output import FolderPath, check_targets_for_several, output_stems, per_manifest
    from defa_check.evaluate.batch import CheckOutcome

    results = [o for o in outcomes if isinstance(o, CheckOutcome)]
    several = len(results) > 1
    if several:
        check_targets_for_several(targets, outputs_from)
    stems = output_stems([o.path for o in results])
    planned = [
        (
            outcome,
            name,
            # Several manifests, or a folder as --output: one file per manifest inside it.
            per_manifest(path, stems[outcome.path], name)
            if path is not None and (several or isinstance(path, FolderPath) or path.is_dir())
            else path,
        )
        for outcome in results
        if outcome.report is not None
        for name, path in targets
    ]
    read = [o.path for o in results] + [request.waivers, request.baseline, *settings_files]
    destinations = iter(
        check_outputs(
            [target for _, _, target in planned],
            force,
            create_folders=several or any(isinstance(path, FolderPath) for _, path in targets),
            inputs=read,
            settings_file=outputs_from,
        )
    )
    reports = [o.report for o in results if o.report is not None]
    shared = set.intersection(*(set(r.notices) for r in reports)) if several and reports else set()
    said: set[str] = set()
    # A report on stdout that lists every notice (the console's Notices): stderr would repeat them
    # on the same screen or CI log.
    from defa_check.render import format_class

    notices_on_stdout = any(path is None and format_class(name).shows_notices for name, path in targets)
    for outcome in results:
        if outcome.report is None:
            from defa_check.model import problems_counted

            counted = problems_counted(outcome.problems)
            # With several manifests the others were checked: say which one was not.
            not_checked = "this manifest was not checked" if several else "nothing was checked"
            print_problems(outcome.problems, f"{outcome.path}: {counted}; {not_checked}")
            continue
        report = outcome.report
        for name, _ in targets:
            destination = next(destinations)
            options = records.replace(
                render_options,
                color=use_color(destination.given),
                fail_on=request.fail_on,
                strict=request.strict,
            )
            write_to(destination, render_chunks(name, report, options))
        for notice in () if notices_on_stdout else report.notices:
            if notice in shared:  # the same for every manifest (a waiver file's): said once
                if notice not in said:
                    said.add(notice)
                    err(f"notice: {notice}")
            else:
                err(f"notice: {outcome.path}: {notice}" if several else f"notice: {notice}")
        if horizon is not None:
            from defa_check.workflows.plan import horizon_text

            text = horizon_text(report, horizon)
            if any(n == "console" and p is None for n, p in targets):
                echo(text)
            else:
                sys.stderr.write(text + "\n")
        err((f"{outcome.path}: " if several else "") + _summary_line(report, request))


def report_options(
    show_all: bool, show: list[str] | None, include_not_applicable: bool = False
) -> RenderOptions:
    from defa_check.model import Status
    from defa_check.render import RenderOptions

    statuses = [part.strip() for value in show or () for part in value.split(",") if part.strip()]
    return RenderOptions(
        limit=None if show_all else 50,
        show=frozenset(Status(s) for s in statuses),
        include_not_applicable=include_not_applicable,
    )


def _summary_line(report: Report, request: CheckRequest) -> str:
    summary = report.summary()
    line = (
        f"{summary['fail']} fail, {summary['needs_info']} needs info, {summary['review']} review, "
        f"{summary['pass']} pass, "
        f"{summary['not_applicable']} not applicable, {summary['waived']} waived"
    )
    if request.fail_on is not None:
        failing = report.failing(request.fail_on, request.strict, request.strict_review)
        line += f"; {len(failing)} failing at or above {request.fail_on.label}"
    modes = [m for m, on in (("strict", request.strict), ("strict review", request.strict_review)) if on]
    return line + (f" ({', '.join(modes)})" if modes else "")
