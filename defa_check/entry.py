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
    try:
        from defa_check.cli import main as cli_main
    except Exception as exc:  # a broken installation: still never exit 1
        sys.stderr.write(
            f"defa-check: internal error while starting: {type(exc).__name__}: {exc!r}\n"
            "This is a bug or a broken installation; please report it (exit code 70).\n"
        )
        sys.exit(70)
    cli_main()
