"""The `defa-check` command line: parse options, call the tested stages, print, set the exit code.

Only Typer is imported at start-up; YAML, jsonschema and Rich are imported by
the commands that need them, so `--version` and `--help` stay fast.

Exit codes (every command): 0 success, nothing at or above the fail threshold;
1 `check` found failing findings at or above the threshold (or `rules lint` /
`rules test` / `waivers lint` found problems); 2 the input could not be read or
is invalid, or the command line is wrong.
"""

from __future__ import annotations

from defa_check.cli import commands, import_commands, rule_commands  # noqa: F401  (registers the commands)
from defa_check.cli.app import app, whole_short_help

whole_short_help(app)


def main() -> None:
    """Run the command line (the console script and `python -m defa_check` come through here)."""
    app(prog_name="defa-check")


__all__ = ["app", "main"]
