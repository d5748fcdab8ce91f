"""The console-script entry point: answers `--version` before importing Typer."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        # CI scripts call this often; importing Typer would triple its cost.
        sys.stdout.write(f"defa-check {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main()
