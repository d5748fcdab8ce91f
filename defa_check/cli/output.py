"""Writing what a command produces, and printing problems: the only places the CLI does I/O.

Reports go to standard output or through the one output writer
(:func:`check_outputs`, then :func:`write_to`): regular files are written
atomically and replaced only with ``--force``; devices, FIFOs and /dev/stdout
are opened and written, never replaced; every target is checked before the
first is written. Messages and problems go to standard error, made safe for a
terminal or a CI log.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from defa_check.model import Problem
from defa_check.records import record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, NoReturn

EXIT_INVALID = 2

SUFFIX_FORMATS = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv",
}
"""With --output and no --format, the file's extension picks the format."""

FORMAT_SUFFIXES = {
    "json": ".json",
    "sarif": ".sarif",
    "junit": ".xml",
    "markdown": ".md",
    "html": ".html",
    "pdf": ".pdf",
    "docx": ".docx",
    "csv": ".csv",
    "github": ".txt",
    "gitlab": ".gl-code-quality.json",
    "compact": ".compact.txt",
    "console": ".txt",
}
"""The file name suffix of each format, for one output file per manifest."""

Target = tuple[str, Path | None]
"""A format and where it goes (None: standard output)."""


def echo(text: str, err: bool = False) -> None:
    """One line on standard output (or error), as ``click.echo`` writes it, without importing click.

    `check` runs without Typer (:mod:`defa_check.cli.direct`); its lines, and the messages
    of this module that every command uses, are written here, so both ways print the same
    bytes. Like click: a stream that says it is
    ASCII gets UTF-8 (a message quotes names in any script), and escape sequences are
    dropped where the stream is not a terminal (ours never contain any; text from input
    has been through :func:`~defa_check.render.escape.terminal`).
    """
    stream = sys.stderr if err else sys.stdout
    line = text + "\n"
    if "\x1b" in line and not stream.isatty():
        import re

        line = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", line)
    try:
        if _ascii(stream):
            stream.flush()
            stream.buffer.write(line.encode("utf-8", "replace"))
            stream.buffer.flush()
            return
        stream.write(line)
        stream.flush()
    except BrokenPipeError:
        if err:
            raise
        # The reader of standard output went away (`| head`): what is left has nowhere to go,
        # and the command keeps its exit code, as a report written to standard output does.
        _discard_stdout()


def _discard_stdout() -> None:
    """Standard output from now on goes nowhere (its reader went away)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _ascii(stream: object) -> bool:
    import codecs

    encoding = getattr(stream, "encoding", None)
    try:
        return encoding is not None and codecs.lookup(encoding).name == "ascii" and hasattr(stream, "buffer")
    except LookupError:
        return False


def err(message: str) -> None:
    """A message for the person running the command (standard error), made safe for a terminal or log.

    Whatever input text it quotes cannot add control sequences or workflow commands
    (see :func:`defa_check.render.escape.terminal`).
    """
    from defa_check.render.escape import terminal

    # One line: a line break inside it can only come from quoted input (a file name), which
    # must not start a line of its own; several lines of ours go through err_lines.
    echo(terminal(message), err=True)


def say(text: str) -> None:
    """Text on standard output that quotes packs or settings (explain, rules list|show, config
    show), each line made safe for a terminal or CI log like :func:`err`."""
    from defa_check.render.escape import terminal

    for line in text.split("\n"):
        echo(terminal(line))


def err_lines(*lines: str) -> None:
    """Several lines of our own on standard error, each made safe like :func:`err`."""
    for line in lines:
        err(line)


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print ``error: message`` and exit (2: the input or the command line is wrong)."""
    err(f"error: {message}")
    raise SystemExit(code)


MAX_PROBLEMS_SHOWN = 200
"""Problems printed per list; the rest are counted ("… and N more")."""


def print_problems(
    problems: Sequence[Problem],
    summary: str | None = None,
    to_stdout: bool = False,
    limit: int | None = MAX_PROBLEMS_SHOWN,
) -> None:
    """Every problem, one per line (``file:line:col: $.path: message (hint) [code]``), then a summary.

    Each line is made safe for a terminal or a CI log: a problem quotes input
    (file names, keys, values). ``to_stdout`` is for commands whose output *is*
    the problem list (`validate`, `rules lint`). More than ``limit`` problems end
    with "… and N more": the first ones are what to fix first.
    """
    from defa_check.render.escape import terminal

    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        echo(terminal(str(problem)), err=not to_stdout)
    if len(shown) < len(problems):
        echo(f"… and {len(problems) - len(shown):,} more", err=not to_stdout)
    if summary:
        err(f"error: {summary}")


def exit_on_problems(problems: Sequence[Problem], summary: str) -> None:
    """Print the problems and exit 2, if there are any."""
    if problems:
        print_problems(problems, summary)
        raise SystemExit(EXIT_INVALID)


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, never in a file; NO_COLOR and FORCE_COLOR respected."""
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


# --- the one output writer ------------------------------------------------------------------------


@record
class Destination:
    """Where one output goes, decided (and checked) before anything is written."""

    given: Path | None
    """The path as the user gave it; None for standard output."""
    how: str
    """"stdout"; "create" or "replace" a regular file atomically; or "stream": open and write
    (a device such as /dev/null, a FIFO, /dev/stdout), never unlinked or renamed over."""
    file: Path | None = None
    """The regular file created or replaced: ``given``, or the file a symbolic link points to."""

    def __str__(self) -> str:
        return "standard output" if self.given is None else str(self.given)


_SYSTEM_STREAM_ROOTS = ("/dev/", "/proc/")


def _through_system_streams(path: Path) -> bool:
    """Whether ``path`` is, or is a symbolic link through, /dev or /proc (/dev/stdout, /dev/fd/3)."""
    current = os.path.abspath(path)
    for _ in range(40):
        if current.startswith(_SYSTEM_STREAM_ROOTS):
            return True
        try:
            target = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return False


def _inside(path: Path) -> str | None:
    """What is wrong when a path inside the working folder leads out of it through a symbolic link.

    A repository can hold a link (`report.md -> ../../.bashrc`, or a folder link) where a
    CI job writes its report; the job would write outside the checkout. A path given
    outside the working folder (`-o /tmp/r.json`) is the user's own choice and allowed.
    """
    cwd = Path.cwd()
    if not Path(os.path.abspath(path)).is_relative_to(cwd):
        return None
    real = Path(os.path.realpath(path))
    if real.is_relative_to(Path(os.path.realpath(cwd))):
        return None
    return (
        f"{path} leads out of the working folder through a symbolic link (to {real}); a report is "
        "written only where its path says: give --output a path without the link"
    )


def _destination(path: Path | None, force: bool, create_folders: bool = False) -> Destination | str:
    """Where ``path`` leads, or what is wrong with writing there."""
    if path is None or str(path) == "-":  # "-" means standard output, as for many tools
        return Destination(None, "stdout")
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir() and not (create_folders and not parent.exists()):
            return f"cannot write {path}: folder {parent} does not exist"
        return _inside(path) or Destination(path, "create", path)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror}"
    if stat.S_ISLNK(link.st_mode):
        if _through_system_streams(path):
            return Destination(path, "stream")
        try:
            info = os.stat(path)
        except FileNotFoundError:  # a dangling link: replaced (the link, not where it points) with --force
            if not force:
                return f"{path} is a symbolic link to nothing; pass --force to replace it"
            return Destination(path, "replace", path)
        except OSError as exc:
            return f"cannot write {path}: {exc.strerror}"
        real = Path(os.path.realpath(path))
    else:
        info, real = link, path
    mode = info.st_mode
    if stat.S_ISREG(mode):
        if not force:
            return f"{path} already exists; pass --force to replace it"
        return _inside(path) or Destination(path, "replace", real)
    if stat.S_ISDIR(mode):
        return f"{path} is a folder; give a file name"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or _through_system_streams(path):
        return Destination(path, "stream")  # /dev/null, a terminal, a pipe: written, never replaced
    if stat.S_ISBLK(mode):
        return f"{path} is a block device (a disk); a report is never written to one"
    return f"{path} is not a file defa-check can write to (a socket or another special file)"


def check_outputs(
    paths: Sequence[Path | None],
    force: bool,
    create_folders: bool = False,
    inputs: Sequence[Path | None] = (),
    settings_file: str | None = None,
) -> list[Destination]:
    """Every output target checked before anything is written; exit 2 listing every problem.

    Only regular files are ever replaced (atomically, and only with ``force``);
    devices, FIFOs and /dev/stdout-like paths are opened and written; a dangling
    symbolic link needs ``force``; two outputs may not go to the same file, nor to
    one of this run's ``inputs`` (a manifest, a waiver file, a baseline), even with ``force``.
    ``create_folders``: a missing folder is made when its first file is written.
    ``settings_file``: the outputs come from that settings file's `formats:`, which the stop line says.
    """
    problems: list[Problem] = []
    destinations: list[Destination] = []
    seen: dict[str, Path | None] = {}
    read = {os.path.normcase(os.path.realpath(p)): p for p in inputs if p is not None and p.is_file()}
    for path in paths:
        found = _destination(path, force, create_folders)
        if isinstance(found, str):
            problems.append(Problem(str(path), found.removeprefix(f"{path} "), code="usage"))
            continue
        destinations.append(found)
        if found.file is None:
            continue
        key = os.path.normcase(os.path.realpath(found.file))
        if key in read:
            problems.append(
                Problem(
                    str(path),
                    f"this is an input of the run ({read[key]}); a report never replaces it, "
                    "even with --force: give --output another file",
                    code="usage",
                )
            )
        if key in seen:
            problems.append(
                Problem(
                    str(path),
                    f"two outputs would be written to this one file (also {seen[key]}); "
                    "give each format its own --output",
                    code="usage",
                )
            )
        seen[key] = path
    if problems:
        # `force: true` is worth saying only where a file is in the way (not a missing folder).
        in_the_way = any("pass --force" in p.message for p in problems)
        from_file = (
            f"; these outputs are the formats in {settings_file} ("
            + ("`force: true` there replaces files, " if in_the_way else "")
            + "`--format console` shows the report here instead)"
            if settings_file
            else ""
        )
        print_problems(problems, f"nothing was written{from_file}")
        raise SystemExit(EXIT_INVALID)
    return destinations


def write_output(data: str | bytes | Iterable[bytes], output: Path | None, force: bool) -> None:
    """Check one target (see :func:`check_outputs`) and write ``data`` there."""
    write_to(check_outputs([output], force)[0], data)


def write_to(destination: Destination, data: str | bytes | Iterable[bytes]) -> None:
    """Write to a checked destination: stdout, a stream, or a regular file replaced atomically.

    A temporary file is removed whatever stops the write: an error, Ctrl-C or SIGTERM.
    """
    if isinstance(data, str):
        chunks: Iterable[bytes] = [data.encode("utf-8")]
    elif isinstance(data, bytes):
        chunks = [data]
    else:
        chunks = data
    if destination.how == "stdout":
        _write_stdout(chunks)
        return
    assert destination.given is not None
    if destination.how == "stream":
        try:
            # O_APPEND: for /dev/stdout redirected (`>` or `>>`) to a file, the shell's choice stands.
            fd = os.open(destination.given, os.O_WRONLY | os.O_APPEND)
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as exc:
            fail(f"cannot write {destination.given}: {exc.strerror}")
        return
    assert destination.file is not None
    _replace_atomically(destination.file, chunks, destination.given)


def _write_stdout(chunks: Iterable[bytes]) -> None:
    sys.stdout.flush()
    try:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): stop writing, keep the exit code of the check.
        _discard_stdout()
    except OSError as exc:  # closed (`>&-`) or full
        fail(f"cannot write the report to standard output: {exc.strerror}")


def _replace_atomically(file: Path, chunks: Iterable[bytes], shown: Path) -> None:
    directory = file.parent if str(file.parent) else Path(".")
    with _signals_raise():
        try:
            directory.mkdir(parents=True, exist_ok=True)  # checked before: only a folder that is asked for
            fd, tmp = _private_file(directory, prefix=f".{file.name}.", suffix=".tmp")
        except OSError as exc:
            fail(f"cannot write {shown}: {exc.strerror}")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            # mkstemp makes the file private; give it the mode a plain write would.
            try:
                mode = os.stat(file).st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
            os.chmod(tmp, mode)
            os.replace(tmp, file)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            fail(f"cannot write {shown}: {exc.strerror}")
        except BaseException:  # Ctrl-C, SIGTERM (below), a failing renderer: leave nothing behind
            Path(tmp).unlink(missing_ok=True)
            raise


def _private_file(directory: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file only this user can read, opened for writing: what ``tempfile.mkstemp`` does.

    Not tempfile itself: its import (random, shutil, bz2, lzma) cost a small check more
    than writing its report. The same guarantees: a name that did not exist (``O_EXCL``),
    no symlink followed, mode 0600.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(directory, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(directory))


def names_a_folder(value: str) -> bool:
    """Whether an output path as written ends with a slash: a folder, whether or not it exists.

    ``Path("reports/")`` is ``Path("reports")``: the slash must be read before the text becomes
    a Path, or a report meant for a folder becomes a file named ``reports``."""
    return value.endswith(("/", os.sep))


if TYPE_CHECKING:
    _ConcretePath = Path
else:
    _ConcretePath = type(Path())


class FolderPath(_ConcretePath):
    """An output written with a trailing slash (``-o reports/``): a folder, made if missing.

    ``Path("reports/")`` drops the slash; this keeps what it said."""


def output_path(value: str) -> Path:
    """`check`'s --output (or a settings file's `output:`) as written: a folder if it ends with a slash."""
    return FolderPath(value) if names_a_folder(value) else Path(value)


class Terminated(SystemExit):
    """SIGTERM or SIGHUP while a file is being written: exit 128 + the signal, after cleaning up."""


class _signals_raise:
    """While writing a file, SIGTERM and SIGHUP raise (so temporary files are removed) instead of
    killing the process on the spot; the previous handlers come back afterwards. (A class, not
    ``contextlib.contextmanager``: importing contextlib costs `check` a millisecond at start.)"""

    def __enter__(self) -> None:
        import signal

        def handler(signum: int, frame: object) -> None:
            raise Terminated(128 + signum)

        self.previous: dict[str, Any] = {}
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                try:
                    self.previous[name] = signal.signal(getattr(signal, name), handler)
                except ValueError:  # not the main thread: handlers are the main thread's to set
                    break

    def __exit__(self, *exc: object) -> None:
        import signal

        for name, old in self.previous.items():
            signal.signal(getattr(signal, name), old)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def pair_targets(formats: list[str] | None, outputs: list[Path] | None) -> list[Target]:
    """Pair formats with outputs: the n-th --output takes the n-th --format; one format may go to stdout."""
    names = list(formats or [])
    given = list(outputs or [])
    if not names:
        if len(given) == 1:
            names = [SUFFIX_FORMATS.get(given[0].suffix.lower(), "console")]
        else:
            names = ["github" if os.environ.get("GITHUB_ACTIONS") == "true" else "console"]
    paths: list[Path | None] = list(given)
    if len(paths) > len(names) or len(names) - len(paths) > 1:
        fail(
            "give one --output per --format (the n-th --output goes with the n-th --format); "
            "at most one format may go to standard output"
        )
    paths += [None] * (len(names) - len(paths))
    return list(zip(names, paths, strict=True))


def refuse_binary_on_a_terminal(targets: list[Target]) -> None:
    """A PDF or Word document is never poured onto a terminal: exit 2, asking for --output."""
    if not sys.stdout.isatty():
        return  # a pipe or a file: the bytes are wanted
    from defa_check.render import format_class

    for name, path in targets:
        if path is None and format_class(name).binary:
            suffix = FORMAT_SUFFIXES[name]
            fail(
                f"--format {name} writes a binary file, not text for the terminal: give --output FILE{suffix}"
            )


def check_targets_for_several(targets: list[Target], settings_file: str | None = None) -> None:
    """With several manifests, every file output must be a folder (one file per manifest).

    ``settings_file``: the outputs are the `formats:` of that settings file, and are named so
    (the user typed no --output).
    """
    given = f"`output:` under formats in {settings_file}" if settings_file else "--output"
    for name, path in targets:
        if path is None and name in ("json", "sarif", "junit", "html", "pdf", "docx"):
            wanted = (
                f"{given} a folder for {name}" if settings_file else f"--output FOLDER for --format {name}"
            )
            fail(f"several manifests: give {wanted} (one file per manifest)")
        if path is not None and path.exists() and not path.is_dir():
            fail(f"several manifests: {given} {path} must be a folder")
        if path is not None and not path.exists() and path.suffix and not isinstance(path, FolderPath):
            fail(
                f"several manifests: {given} names a folder (one file per manifest); {path} looks like a file"
            )


def per_manifest(folder: Path, stem: str, name: str) -> Path:
    """The output file for one manifest inside an output folder (made when the file is written)."""
    return Path(folder, stem + FORMAT_SUFFIXES[name])


def output_stems(paths: list[Path]) -> dict[Path, str]:
    """A distinct output name per manifest: its stem; its last path parts when stems collide
    (`sales/flows.yaml` -> `sales_flows`); those with the suffix when even they do
    (`a/flows.yaml`, `a/flows.json`); a number as the last resort. Compared without case,
    as some file systems do."""
    from collections import Counter

    def joined(path: Path, keep_suffix: bool) -> str:
        parts = (path if keep_suffix else path.with_suffix("")).parts[-3:]
        kept = [p for p in parts if p not in ("..", ".", path.anchor)]
        return "_".join(kept).replace(":", "_").replace("\\", "_").strip("_") or "manifest"

    def stem(path: Path) -> str:
        return path.stem

    def without_suffix(path: Path) -> str:
        return joined(path, keep_suffix=False)

    def with_suffix(path: Path) -> str:
        return joined(path, keep_suffix=True)

    levels = [stem, without_suffix, with_suffix]
    names = {path: levels[0](path) for path in paths}
    for level in levels[1:]:
        counts = Counter(name.lower() for name in names.values())
        names = {path: level(path) if counts[name.lower()] > 1 else name for path, name in names.items()}
    out: dict[Path, str] = {}
    taken: set[str] = set()
    for path in paths:
        unique, n = names[path], 1
        while unique.lower() in taken:
            n += 1
            unique = f"{names[path]}-{n}"
        taken.add(unique.lower())
        out[path] = unique
    return out
