"""`check` with a plain command line, run without importing Typer.

Importing Typer and building the command costs more than checking a real-size
manifest (bench/RESULTS.md): about 60 ms of every pre-commit hook and CI step.
A command line made only of manifests and `check`'s options, each written in
full and given a value Typer would accept as it is, is read here into the same
:class:`~defa_check.cli.check_command.CheckArgs` Typer would build, and run by
the same :func:`~defa_check.cli.check_command.run_check`.

Anything else goes to Typer, which stays the command line's definition and its
only voice for help, usage errors and did-you-means: a short option stuck to
its value (``-fjson``), ``--``, an unknown option, a value that starts with
``-`` or is empty, a value Typer would refuse, ``--help``, shell completion,
Windows (where click expands wildcards in arguments), and standard streams that
are not UTF-8 (click re-encodes those). A differential test holds this reading
to Typer's on generated command lines, and the two paths' output to each other.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from defa_check.cli.check_command import SEVERITY_NAMES, SHOWABLE, CheckArgs
from defa_check.cli.output import output_path

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any


def _path(value: str) -> Path:
    return Path(value)


def _text(value: str) -> str:
    return value


def _format(value: str) -> str | None:
    from defa_check.render import FORMATS

    value = value.lower()  # as options.choice reads it: JSON is json
    return value if value in FORMATS else None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _severity(value: str) -> str | None:
    value = value.lower()  # as options.choice reads it: HIGH is high
    return value if value in SEVERITY_NAMES or value == "never" else None


def _statuses(value: str) -> str | None:
    return value if all(part.strip() in SHOWABLE for part in value.split(",")) else None


def _months(value: str) -> int | None:
    # click reads an int with int(), which also takes " 7", "+7", "0_7" and other digits: Typer's.
    if not (value.isascii() and value.isdigit()):
        return None
    months = int(value)
    return months if 1 <= months <= 120 else None


_VALUED: dict[str, tuple[str, Callable[[str], Any], bool]] = {
    # option: (CheckArgs field, how its value is read (None: let Typer answer), repeatable)
    "--format": ("formats", _format, True),
    "-f": ("formats", _format, True),
    "--output": ("outputs", output_path, True),
    "-o": ("outputs", output_path, True),
    "--as-of": ("as_of", _date, False),
    "--country": ("countries", _text, True),
    "-c": ("countries", _text, True),
    "--fail-on": ("fail_on", _severity, False),
    "--waivers": ("waivers", _path, False),
    "--baseline": ("baseline", _path, False),
    "--show": ("show", _statuses, True),
    "--horizon": ("horizon", _months, False),
    "--rules-dir": ("rules_dir", _path, False),
    "--config": ("config", _path, False),
    "--title": ("title", _text, False),
    "--prepared-for": ("prepared_for", _text, False),
    "--prepared-by": ("prepared_by", _text, False),
    "--logo": ("logo", _path, False),
}
_FLAGS: dict[str, tuple[str, bool]] = {
    "--force": ("force", True),
    "--strict": ("strict", True),
    "--no-strict": ("strict", False),
    "--strict-review": ("strict_review", True),
    "--no-strict-review": ("strict_review", False),
    "--all": ("show_all", True),
    "--include-not-applicable": ("include_not_applicable", True),
}


def check_args(argv: list[str]) -> CheckArgs | None:
    """`check`'s arguments (after the word ``check``) as Typer would read them, or None
    where this reading is not sure to be Typer's (then Typer reads them)."""
    fields: dict[str, Any] = {}
    repeated: dict[str, list[Any]] = {"manifests": []}
    tokens = iter(argv)
    for token in tokens:
        if not token.startswith("-"):
            repeated["manifests"].append(Path(token))
            continue
        if token in _FLAGS:
            name, flag = _FLAGS[token]
            fields[name] = flag
            continue
        option, equals, value = token.partition("=")
        if option not in _VALUED or (equals and not option.startswith("--")):  # click reads -o=x as "=x"
            return None
        if not equals:
            value = next(tokens, "")
        if not value or value.startswith("-"):
            return None
        name, read, repeatable = _VALUED[option]
        parsed = read(value)
        if parsed is None:
            return None
        if repeatable:
            repeated.setdefault(name, []).append(parsed)
        else:
            fields[name] = parsed  # as click does, the last of a repeated option wins
    fields.update((name, tuple(values)) for name, values in repeated.items())
    return CheckArgs(**fields)


def plain_streams() -> bool:
    """Whether standard output and error take text as they are (UTF-8), so a line printed
    here is the bytes click would print."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            if not encoding or codecs.lookup(encoding).name != "utf-8":
                return False
        except LookupError:
            return False
    return True


def run_directly(argv: list[str]) -> int | None:
    """Run `check` with ``argv`` (after ``check``) without Typer; its exit code, or None
    when Typer should read this command line instead."""
    import os

    if sys.platform == "win32" or any(key.endswith("_COMPLETE") for key in os.environ) or not plain_streams():
        return None
    args = check_args(argv)
    if args is None:
        return None
    from defa_check.cli.check_command import run_check
    from defa_check.cli.guard import exit_code_for, last_exit_code

    # The two nets of the Typer path: the command group's, then the application's.
    try:
        try:
            return run_check(args)
        except SystemExit as done:
            return done.code if isinstance(done.code, int) else 1 if done.code else 0
        except (Exception, KeyboardInterrupt) as exc:
            return exit_code_for(exc)
    except BaseException as exc:  # saying what went wrong failed too (standard error full)
        return last_exit_code(exc)
