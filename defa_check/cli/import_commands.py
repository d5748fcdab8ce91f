"""`defa-check import fides|ropa` and `defa-check template ropa`: thin commands around workflows.importing."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from defa_check.cli import options as opt
from defa_check.cli.groups import app
from defa_check.cli.output import err, fail, print_problems, write_output

import_app = typer.Typer(
    help="Write a manifest from Fides resources or a records-of-processing sheet.",
    no_args_is_help=True,
)
app.add_typer(
    import_app,
    name="import",
    short_help="Write a manifest from Fides resources or a records-of-processing sheet.",
)
template_app = typer.Typer(
    help="Write templates to fill in (a records-of-processing workbook).", no_args_is_help=True
)
app.add_typer(template_app, name="template")

_OUTPUT = typer.Option(
    None,
    "--output",
    "-o",
    metavar="FILE",
    parser=opt.output_file,
    help="Where to write the manifest (default: standard output).",
)
_FORCE = typer.Option(False, "--force", help="Replace the file if it exists.")
_PARTIAL = typer.Option(
    False, "--partial", help="Write what could be imported even when some parts have problems."
)


def _finish(result: object, output: Optional[Path], force: bool, partial: bool) -> None:
    """Print problems and notes, write the manifest, set the exit code (2: nothing written)."""
    from defa_check.workflows.importing import ImportResult, notes_lines

    assert isinstance(result, ImportResult)
    if result.problems and (not partial or result.text is None):
        print_problems(
            result.problems,
            "nothing was written" + ("" if partial else " (--partial writes what can be imported)"),
        )
        raise typer.Exit(2)
    if result.problems:
        print_problems(result.problems)
        err(f"warning: {len(result.problems)} problem(s); --partial wrote the rest")
    assert result.text is not None and result.manifest is not None
    write_output(result.text, output, force)
    for line in notes_lines(result):
        err(line)
    flows, systems = len(result.manifest["flows"]), len(result.manifest["systems"])
    err(
        f"{'Wrote ' + str(output) if output else 'Imported'}: {flows} flow(s), {systems} system(s); "
        f"{len(result.notes)} note(s) on fields not imported. Next: defa-check check "
        f"{output or 'FILE'}"
    )


@import_app.command("fides")
def import_fides(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH...", help="Fides resource files or folders (system, dataset, organization YAML)."
    ),
    output: Optional[Path] = _OUTPUT,
    force: bool = _FORCE,
    locations: Optional[Path] = typer.Option(
        None,
        "--locations",
        metavar="FILE",
        help="A YAML file saying where systems, datasets and people are (home_country, locations, subjects).",
    ),
    country: Optional[list[str]] = typer.Option(
        None,
        "--country",
        metavar="KEY=CC",
        help="Where a system, dataset or third party is: KEY=CC (repeatable).",
    ),
    subjects: Optional[list[str]] = typer.Option(
        None,
        "--subjects",
        metavar="KIND=CC,CC",
        help="Where a kind of data subject is: KIND=CC,CC (repeatable).",
    ),
    home: Optional[str] = typer.Option(None, "--home", metavar="CC", help="The organisation's home country."),
    name: Optional[str] = typer.Option(
        None, "--name", metavar="TEXT", help="The organisation's name (default: Fides's)."
    ),
    partial: bool = _PARTIAL,
) -> None:
    """Import Fides systems, datasets and the organisation (fideslang YAML) into a manifest."""
    from defa_check.workflows.importing import FidesRequest, import_fides

    request = FidesRequest(
        tuple(paths),
        locations,
        tuple(country or ()),
        tuple(subjects or ()),
        home,
        name,
        partial,
        str(output or "flows.yaml"),
    )
    _finish(import_fides(request), output, force, partial)


@import_app.command("ropa")
def import_ropa(
    path: Path = typer.Argument(
        ..., metavar="FILE", help="A records-of-processing workbook (.xlsx) or CSV file."
    ),
    output: Optional[Path] = _OUTPUT,
    force: bool = _FORCE,
    name: Optional[str] = typer.Option(
        None, "--name", metavar="TEXT", help="The business the record belongs to."
    ),
    home: Optional[str] = typer.Option(None, "--home", metavar="CC", help="Its home country (ISO code)."),
    sheet: Optional[str] = typer.Option(
        None, "--sheet", metavar="NAME", help="The sheet to read (default: ROPA, else the first)."
    ),
    partial: bool = _PARTIAL,
) -> None:
    """Import a records-of-processing spreadsheet (the layout of `template ropa`) into a manifest."""
    from defa_check.workflows.importing import RopaRequest, import_ropa

    request = RopaRequest(path, name, home, sheet, partial, str(output or "flows.yaml"))
    _finish(import_ropa(request), output, force, partial)


@template_app.command("ropa")
def template_ropa(
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="FILE",
        parser=opt.output_file,
        help="Where to write the workbook (.xlsx).",
    ),
    force: bool = _FORCE,
) -> None:
    """Write an empty records-of-processing workbook: the columns, drop-down lists and an example."""
    if str(output) == "-" or output.suffix.lower() not in (".xlsx", ".xlsm"):
        # A workbook named .csv is opened by spreadsheets and refused by `import ropa` as text.
        fail(
            f"give --output a workbook name ending in .xlsx (not {str(output)!r}): the template is a workbook"
        )
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        fail(
            'writing a workbook needs openpyxl: pip install "defa-check[import]" '
            '(from a clone: pip install ".[import]")'
        )
    from defa_check.workflows.importing import ropa_template

    write_output(ropa_template(), output, force)
    err(
        f"Wrote {output}. Fill in the ROPA sheet (see Help and Example), then: defa-check import ropa "
        f"{output} --name 'Your business' --home CC --output flows.yaml"
    )
