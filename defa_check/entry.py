"""The console-script entry point: answers `--version` before importing Typer."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from defa_check import __version__

        # CI scripts call this often; importing Typer would triple its cost.
        sys.stdout.write(f"defa-check {__version__}\n")
        return
    # A short-lived process building many small objects: the cyclic collector
    # only costs time here (about half of YAML parsing, see bench/RESULTS.md).
    # Paused for the process only, never for an in-process caller such as a test.
    gc.disable()
    from defa_check.cli import main as cli_main

    cli_main()
