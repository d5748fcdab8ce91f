"""The Typer application and its command groups; commands register themselves on import."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from defa_check import __version__

EXIT_BUG = 70
"""An internal error (a bug in defa-check): never 1, which CI reads as failing findings (BSD EX_SOFTWARE)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), as shells report it; click would say 1."""

try:  # Typer 0.22 and later carry their own copy of click
    from typer._click.exceptions import ClickException as _UsageError
except ImportError:  # pragma: no cover - older Typer uses click itself
    from click import ClickException as _UsageError  # type: ignore[assignment]

BUG_REPORT_URL = "https://github.com/defa-check/defa-check/issues"


def cannot_write(exc: OSError) -> bool:
    """Whether ``exc`` is an output stream refusing a write: closed (`>&-`) or full, not a path."""
    import errno

    return not exc.filename and exc.errno in (errno.EBADF, errno.ENOSPC, errno.EIO)


def report_bug(exc: BaseException) -> None:
    """Say that an exception escaped, that it is a bug, and how to report it (standard error)."""
    import os
    import sys

    from defa_check.render.escape import terminal

    if os.environ.get("DEFA_CHECK_TRACEBACK"):
        import traceback

        traceback.print_exception(exc)
    what = terminal(f"{type(exc).__name__}: {exc}", limit=500)
    sys.stderr.write(
        f"defa-check: internal error: {what}\n"
        "This is a bug in defa-check, not a problem with your input or a compliance finding "
        f"(exit code {EXIT_BUG}). Please report it at {BUG_REPORT_URL} with the command you ran "
        "and, if you can, the input; set DEFA_CHECK_TRACEBACK=1 to include the traceback.\n"
    )
    sys.stderr.flush()


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
        except KeyboardInterrupt:
            import sys

            sys.stderr.write("\ninterrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # the reader of standard output went away (`| head`)
            import os
            import sys

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as exc:  # a path the system refuses (too long, a loop, no permission): the input's
            import sys

            from defa_check.render.escape import terminal

            where = "cannot write: " if cannot_write(exc) else f"{exc.filename}: " if exc.filename else ""
            sys.stderr.write(terminal(f"error: {where}{exc.strerror or exc}", limit=500) + "\n")
            raise typer.Exit(2) from None
        except MemoryError:
            import sys

            sys.stderr.write(
                "error: out of memory: the input is too large for this machine (see the limits in the "
                "README)\n"
            )
            raise typer.Exit(2) from None
        except Exception as exc:
            report_bug(exc)
            raise typer.Exit(EXIT_BUG) from None


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
