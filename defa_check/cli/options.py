"""Options shared by several commands, declared once.

Choice lists come from the registries (output formats from
:data:`defa_check.render.FORMATS`, severities from :class:`~defa_check.model.Severity`),
so a format or a severity added there is accepted here without another edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from defa_check.cli.check_command import SEVERITY_NAMES, SHOWABLE
from defa_check.cli.output import names_a_folder, output_path
from defa_check.render import FORMATS


def parse_date(text: str) -> dt.date:
    """`--as-of`: an ISO date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-11-27") from None


def choice(names: Iterable[str], what: str, never_suggest: Iterable[str] = ()) -> Callable[[str], str]:
    """A parser accepting one of ``names`` in any case, with a did-you-mean otherwise.

    ``never_suggest`` are names no typo is pointed to: `--fail-on severe` must not be told
    "did you mean 'never'?", which would turn the build's gate off.
    """
    known = tuple(names)
    suggestible = tuple(name for name in known if name not in set(never_suggest))

    def parse(value: str) -> str:
        if value in known:
            return value
        if value.lower() in known:  # HIGH, JSON: the same keyword
            return value.lower()
        from defa_check.inputs.suggest import did_you_mean

        hint = did_you_mean(value, suggestible)
        raise typer.BadParameter(
            f"unknown {what} {value!r}" + (f" ({hint})" if hint else "") + f"; choose from {', '.join(known)}"
        )

    return parse


def output_file(value: str) -> Path:
    """The file a command that writes one file writes to: a name ending with a slash is refused."""
    if names_a_folder(value):
        raise typer.BadParameter(f"{value!r} names a folder (it ends with a slash); give a file name")
    return Path(value)


def completer(names: Iterable[str]) -> Callable[[str], list[str]]:
    """Shell completion for an option taking one of ``names``."""
    known = tuple(names)

    def complete(incomplete: str) -> list[str]:
        return [name for name in known if name.startswith(incomplete)]

    return complete


RulesDir = Annotated[
    Optional[Path],
    typer.Option(
        "--rules-dir", metavar="DIR", help="Use the packs in this folder instead of the bundled ones."
    ),
]
AsOf = Annotated[
    Optional[dt.date],
    typer.Option(
        "--as-of",
        parser=parse_date,
        metavar="YYYY-MM-DD",
        help="Evaluate the law as of this date, an ISO date such as 2026-11-27 (default: today).",
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Replace --output files that exist.")]
Output = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        parser=output_file,
        help="Write to this file (default: standard output).",
    ),
]
Countries = Annotated[
    Optional[list[str]],
    typer.Option(
        "--country",
        "-c",
        metavar="CC",
        help="Only these countries (codes or names; repeatable, or comma-separated).",
    ),
]
ReportFormats = Annotated[
    Optional[list[str]],
    typer.Option(
        "--format",
        "-f",
        parser=choice(FORMATS, "format"),
        autocompletion=completer(FORMATS),
        metavar="FORMAT",
        help=f"Output format (repeatable): {', '.join(FORMATS)}. "
        "Default: console, or github when GITHUB_ACTIONS is set, or the --output file's extension.",
    ),
]


def _outputs(more: str = "", folders: bool = False) -> Any:
    """`--output FILE` (repeatable), what it does said once; ``more`` for what one command adds."""
    return typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        parser=output_path if folders else output_file,
        help="Write the report to this file (repeatable: the n-th --output goes with the n-th --format)."
        + more,
    )


Outputs = Annotated[
    Optional[list[Path]],
    _outputs(
        " A folder (one that exists, or a name ending with /) takes one file per manifest;"
        " with several manifests, give a folder.",
        folders=True,
    ),
]
OneReportOutputs = Annotated[Optional[list[Path]], _outputs()]


def _fail_on(help: str) -> Any:
    """`--fail-on SEVERITY`: the same choices everywhere, what it does said per command."""
    return typer.Option(
        "--fail-on",
        parser=choice((*SEVERITY_NAMES, "never"), "severity", never_suggest=("never",)),
        autocompletion=completer((*SEVERITY_NAMES, "never")),
        metavar="SEVERITY",
        help=help,
    )


FailOn = Annotated[
    Optional[str],
    _fail_on(
        f"Exit 1 if a failing finding is at or above this severity: {', '.join(SEVERITY_NAMES)} "
        "or never (default: high)."
    ),
]
ReportFailOn = Annotated[
    Optional[str],
    _fail_on(
        f"Which findings the rendered report marks as failing (JUnit failures, the console's count): "
        f"{', '.join(SEVERITY_NAMES)} or never (default: high). `report` itself always exits 0; "
        "`check` and `diff` are the commands that fail a build."
    ),
]
ShowAll = Annotated[
    bool,
    typer.Option(
        "--all",
        help="List every requirement not met (console), every finding that needs action (compact) and "
        "annotate each (github), without the usual caps.",
    ),
]


def _statuses(value: str) -> str:
    """`--show pass,not_applicable` or repeated: each part must be a status the console can list."""
    for part in value.split(","):
        choice(SHOWABLE, "status")(part.strip())
    return value


Show = Annotated[
    Optional[list[str]],
    typer.Option(
        "--show",
        parser=_statuses,
        metavar="STATUS",
        help="Console: also list what is already met (pass) or does not apply and why (not_applicable); "
        "comma-separated or repeatable. HTML and Markdown always include them.",
    ),
]
IncludeNotApplicable = Annotated[
    bool,
    typer.Option(
        "--include-not-applicable",
        help="JSON: list not-applicable findings too (by default they are counted per rule and kind).",
    ),
]

Title = Annotated[
    Optional[str],
    typer.Option(
        "--title",
        metavar="TEXT",
        help="The report's title (HTML, PDF, Word, Markdown). Also `title` in settings.",
    ),
]
PreparedFor = Annotated[
    Optional[str],
    typer.Option(
        "--prepared-for",
        metavar="TEXT",
        help="The client the report is for, on its cover (default: the manifest's organisation).",
    ),
]
PreparedBy = Annotated[
    Optional[str],
    typer.Option(
        "--prepared-by", metavar="TEXT", help="Who prepared the report (consultant or firm), on its cover."
    ),
]
Logo = Annotated[
    Optional[Path],
    typer.Option("--logo", metavar="FILE", help="A PNG or JPEG shown on the report's cover."),
]


def format_option(names: Iterable[str]) -> Any:
    """A single `--format` for a workflow with its own registry (plan, diff, countries)."""
    known = tuple(names)
    return typer.Option(
        "--format", "-f", parser=choice(known, "format"), metavar="FORMAT", help=", ".join(known) + "."
    )
