"""The `defa-check` command line: parse options, call the tested stages, print, set the exit code.

The Typer application (:mod:`defa_check.cli.application`) is imported on first use of
``app`` or ``main``, not with this package: `check` with a plain command line runs
without Typer (:mod:`defa_check.cli.direct`), and its modules live here too.

Exit codes (every command): 0 success, nothing at or above the fail threshold;
1 `check` found failing findings at or above the threshold (or `rules lint` /
`rules test` / `waivers lint` found problems); 2 the input could not be read or
is invalid, or the command line is wrong; 70 an internal error (a bug, never 1);
130 interrupted.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("app", "main"):
        from defa_check.cli import application

        return getattr(application, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
