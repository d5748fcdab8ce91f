"""The console-script entry point: answers `--version`, and runs `check` with a plain command
line, before importing Typer."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    try:
        _main()
    except KeyboardInterrupt:  # Ctrl-C while the modules load: later ones are answered inside
        import contextlib

        with contextlib.suppress(OSError):
            sys.stderr.write("\ninterrupted\n")
        sys.exit(130)


def _main() -> None:
    _stand_in_for_closed_streams()
    if sys.argv[1:] == ["--version"]:
        from defa_check import __version__

        # CI scripts call this often; importing Typer would triple its cost.
        try:
            sys.stdout.write(f"defa-check {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head -0`): as for a report, nothing is wrong with the run.
            # Standard output is pointed at nothing so that Python's last flush does not fail too.
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            return
        except OSError as exc:
            import contextlib

            with contextlib.suppress(OSError):  # standard error full too: the exit code still says it
                sys.stderr.write(f"error: cannot write the version: {exc.strerror}\n")
            sys.exit(2)
        return
    # A short-lived process building many small objects: the cyclic collector
    # only costs time here (about half of YAML parsing, see bench/RESULTS.md).
    # Paused for the process only, never for an in-process caller such as a test.
    gc.disable()
    if sys.argv[1:2] == ["check"]:
        code = _check_directly(sys.argv[2:])
        if code is not None:
            done = SystemExit(code)
            _exit_at_once(done)
            raise done
    try:
        from defa_check.cli import main as cli_main
    except Exception as exc:  # a broken installation: still never exit 1
        sys.stderr.write(
            f"defa-check: internal error while starting: {type(exc).__name__}: {exc!r}\n"
            "This is a bug or a broken installation; please report it (exit code 70).\n"
        )
        sys.exit(70)
    try:
        cli_main()
    except SystemExit as done:
        _exit_at_once(done)
        raise


def _check_directly(argv: list[str]) -> int | None:
    """`check`'s exit code when its command line can be run without Typer, else None."""
    try:
        from defa_check.cli.direct import run_directly
    except Exception:  # a broken installation: the full command line says so
        return None
    return run_directly(argv)


def _stand_in_for_closed_streams() -> None:
    """A closed standard output (``>&-``) is None in Python; make it a stream whose writes fail
    as writing to a closed descriptor does, so a run that writes there ends with the same
    "cannot write" error (exit 2) as a full disk, not an internal error, and a run that writes
    its report to a file is not stopped by it. Nothing is buffered, so nothing is written
    again at exit. A closed standard error discards the messages."""
    import io

    def closed(*_: object) -> int:
        import errno

        raise OSError(errno.EBADF, "the stream is closed")

    class _ClosedBytes(io.RawIOBase):
        def writable(self) -> bool:
            return True

        write = closed

    class _ClosedText(io.TextIOBase):
        buffer = _ClosedBytes()

        def writable(self) -> bool:
            return True

        write = closed

    if sys.stdout is None:
        sys.stdout = _ClosedText()
    if sys.stderr is None:  # messages have nowhere to go; the exit code still says how it went
        import os

        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process


def _exit_at_once(done: SystemExit) -> None:
    """End the process now with ``done``'s exit code, when nothing is left to do at exit.

    Python's own shutdown tears down every module and object one by one: about 10 ms for
    Typer's modules alone and 20-25 ms after a check (bench/RESULTS.md), for a process whose
    reports are written and closed. Standard output and error are flushed first; if that
    fails (a reader that went away), or anything may still want to run at exit (an ``atexit``
    callback such as coverage's, a tracer or profiler, another thread), or the code is not a
    number, this returns and Python exits as usual, with the same exit code and messages.
    """
    code = 0 if done.code is None else done.code
    if not isinstance(code, int):
        return
    import atexit
    import os

    callbacks = getattr(atexit, "_ncallbacks", None)
    if callbacks is None or callbacks() or sys.gettrace() is not None or sys.getprofile() is not None:
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() != 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:
        return
    os._exit(code)
