"""The Typer application and its command groups (commands register themselves on import)."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from defa_check import __version__
from defa_check.cli.guard import exit_code_for

try:  # Typer 0.22 and later carry their own copy of click
    from typer._click.exceptions import ClickException as _UsageError
except ImportError:  # pragma: no cover - older Typer uses click itself
    from click import ClickException as _UsageError  # type: ignore[assignment]


class GuardedGroup(TyperGroup):
    """The command group that turns an escaped exception into a bug report and exit 70.

    Every way of running the command line comes through here (the console script,
    `python -m defa_check`, an embedding program, the tests' CliRunner), so a crash
    is never reported with the exit code of failing findings.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, _UsageError):  # the command's own exits and usage errors
            raise
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(exit_code_for(exc)) from None


app = typer.Typer(
    cls=GuardedGroup,
    name="defa-check",
    help=(
        "Check a flow manifest against the data-protection, data-localization and e-commerce "
        "laws of the ASEAN member states.\n\n"
        "Exit codes: 0 nothing at or above the fail threshold; 1 failing findings at or above it; "
        "2 the input could not be read or is invalid; 70 an internal error (a bug: please report it); "
        "130 interrupted. Not legal advice."
    ),
    no_args_is_help=True,
    # Completion: `defa-check --install-completion` (bash, zsh, fish, PowerShell). The
    # completion script calls back into the program, which answers without importing
    # YAML, jsonschema or Rich (they are imported by the commands that run).
    add_completion=True,
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


def whole_short_help(typer_app: typer.Typer) -> None:
    """Give every command its docstring's first sentence as ``short_help``: command listings
    then show it whole (wrapped), where Click would cut it at the terminal's width."""
    for info in typer_app.registered_commands:
        if info.short_help is None and info.callback is not None and info.callback.__doc__:
            text = " ".join(info.callback.__doc__.split())
            info.short_help = text.split(". ")[0].rstrip(".") + "."
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            whole_short_help(group.typer_instance)
