"""What an exception escaping a command means for the person running it: a message and an exit code.

Without Typer, so that `check` run directly (:mod:`defa_check.cli.direct`) and every command
run through Typer (:class:`defa_check.cli.groups.GuardedGroup`) end the same way.
"""

from __future__ import annotations

EXIT_BUG = 70
"""An internal error (a bug in defa-check): never 1, which CI reads as failing findings (BSD EX_SOFTWARE)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), as shells report it; click would say 1."""
EXIT_BROKEN_PIPE = 141
"""The reader of standard output went away (128 + SIGPIPE), as shells report it."""

BUG_REPORT_URL = "https://github.com/defa-check/defa-check/issues"


def cannot_write(exc: OSError) -> bool:
    """Whether ``exc`` is an output stream refusing a write: closed (`>&-`) or full, not a path."""
    import errno

    return not exc.filename and exc.errno in (errno.EBADF, errno.ENOSPC, errno.EIO)


def report_bug(exc: BaseException) -> None:
    """Say that an exception escaped, that it is a bug, and how to report it (standard error)."""
    import contextlib
    import os
    import sys

    from defa_check.render.escape import terminal

    if os.environ.get("DEFA_CHECK_TRACEBACK"):
        import traceback

        traceback.print_exception(exc)
    what = terminal(f"{type(exc).__name__}: {exc}", limit=500)
    with contextlib.suppress(OSError):  # a standard error that is closed or full: the code still says it
        sys.stderr.write(
            f"defa-check: internal error: {what}\n"
            "This is a bug in defa-check, not a problem with your input or a compliance finding "
            f"(exit code {EXIT_BUG}). Please report it at {BUG_REPORT_URL} with the command you ran "
            "and, if you can, the input; set DEFA_CHECK_TRACEBACK=1 to include the traceback.\n"
        )
        sys.stderr.flush()


def exit_code_for(exc: Exception | KeyboardInterrupt) -> int:
    """Say on standard error what ``exc``, escaped from a command, means, and return the exit code."""
    import os
    import sys

    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError):  # the reader of standard output went away (`| head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    if isinstance(exc, OSError):  # a path the system refuses (too long, a loop, no permission): the input's
        from defa_check.render.escape import terminal

        where = "cannot write: " if cannot_write(exc) else f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(terminal(f"error: {where}{exc.strerror or exc}", limit=500) + "\n")
        return 2
    if isinstance(exc, MemoryError):
        sys.stderr.write(
            "error: out of memory: the input is too large for this machine (see the limits in the README)\n"
        )
        return 2
    report_bug(exc)
    return EXIT_BUG


def last_exit_code(exc: BaseException) -> int:
    """The exit code for ``exc`` escaping everything else (option parsing, start-up, or the
    message about another exception failing to print), said on standard error if it can be."""
    import contextlib
    import sys

    if isinstance(exc, KeyboardInterrupt):
        with contextlib.suppress(OSError):
            sys.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError) and cannot_write(exc):
        # Standard output or error could not take a message (closed, full).
        with contextlib.suppress(OSError):
            sys.stderr.write(f"error: cannot write: {exc.strerror}\n")
        return 2
    report_bug(exc)
    return EXIT_BUG
