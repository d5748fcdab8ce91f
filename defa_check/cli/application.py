"""The Typer application with every command registered, and the net around running it."""

from __future__ import annotations

import typer

from defa_check.cli import commands, import_commands, rule_commands  # noqa: F401  (registers the commands)
from defa_check.cli.groups import app, whole_short_help
from defa_check.cli.guard import last_exit_code

whole_short_help(app)


def main() -> None:
    """Run the command line (the console script and `python -m defa_check` come through here).

    The command group already reports an escaped exception as a bug (exit 70);
    this is the net for what happens outside it (option parsing, start-up).
    """
    import sys

    try:
        _only_the_command_run(sys.argv[1:])(prog_name="defa-check")
    except SystemExit:
        raise
    except BaseException as exc:
        sys.exit(last_exit_code(exc))


def _only_the_command_run(args: list[str]) -> typer.Typer:
    """The application with only the command (or command group) that ``args`` names.

    Typer builds every command's options before it runs one: about 30 ms of each
    `check` in CI or a pre-commit hook, for twenty commands it will not run. The
    full application answers everything else: `--help`, a misspelt command (for
    its did-you-mean), shell completion.
    """
    import copy
    import os

    if not args or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    chosen = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or c.callback.__name__.replace("_", "-")) == args[0]
    ]
    groups = [g for g in app.registered_groups if g.name == args[0]]
    if not chosen and not groups:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands, narrowed.registered_groups = chosen, groups
    return narrowed


__all__ = ["app", "main"]
