"""Writing what a command produces, and printing problems: the only places the CLI does I/O.

Reports go to standard output or to files written atomically (never replacing
a file without ``--force``); messages and problems go to standard error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn

import typer

from defa_check.model import Problem

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


def err(message: str) -> None:
    """A message for the person running the command (standard error)."""
    typer.echo(message, err=True)


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print ``error: message`` and exit (2: the input or the command line is wrong)."""
    err(f"error: {message}")
    raise typer.Exit(code)


def print_problems(problems: Sequence[Problem], summary: str | None = None, to_stdout: bool = False) -> None:
    """Every problem, one per line (``file:line:col: $.path: message (hint) [code]``), then a summary.

    ``to_stdout`` is for commands whose output *is* the problem list (`validate`, `rules lint`).
    """
    for problem in problems:
        typer.echo(str(problem), err=not to_stdout)
    if summary:
        err(f"error: {summary}")


def exit_on_problems(problems: Sequence[Problem], summary: str) -> None:
    """Print the problems and exit 2, if there are any."""
    if problems:
        print_problems(problems, summary)
        raise typer.Exit(EXIT_INVALID)


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, never in a file; NO_COLOR and FORCE_COLOR respected."""
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def write_output(data: str | bytes | Iterable[bytes], output: Path | None, force: bool) -> None:
    """Write to stdout, or atomically to ``output`` (never replacing a file without ``force``)."""
    if isinstance(data, str):
        chunks: Iterable[bytes] = [data.encode("utf-8")]
    elif isinstance(data, bytes):
        chunks = [data]
    else:
        chunks = data
    if output is None or str(output) == "-":
        sys.stdout.flush()  # "-" means standard output, as for many tools
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    if output.exists() and not force:
        fail(f"{output} already exists; pass --force to replace it")
    import tempfile

    directory = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        # mkstemp makes the file private; give it the mode a plain write would.
        os.chmod(tmp, output.stat().st_mode & 0o7777 if output.exists() else 0o666 & ~_umask())
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror}")


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


def check_targets_for_several(targets: list[Target]) -> None:
    """With several manifests, every file output must be a folder (one file per manifest)."""
    for name, path in targets:
        if path is None and name in ("json", "sarif", "junit", "html", "pdf", "docx"):
            fail(f"several manifests: give --output FOLDER for --format {name} (one file per manifest)")
        if path is not None and path.exists() and not path.is_dir():
            fail(f"several manifests: --output {path} must be a folder")
        if path is not None and not path.exists() and path.suffix:
            fail(
                "several manifests: --output names a folder (one file per manifest); "
                f"{path} looks like a file"
            )


def per_manifest(folder: Path, stem: str, name: str) -> Path:
    """The output file for one manifest inside an output folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (stem + FORMAT_SUFFIXES[name])


def output_stems(paths: list[Path]) -> dict[Path, str]:
    """A distinct output name per manifest: its stem, or its path when stems collide."""
    stems = [p.stem for p in paths]
    out = {}
    for path in paths:
        if stems.count(path.stem) == 1:
            out[path] = path.stem
        else:
            out[path] = "_".join([*path.with_suffix("").parts[-3:]]).replace("..", "").strip("_/")
    return out
