"""A seeded mutator for defa-check's inputs, and the contract every run must keep (issue #21).

Used by tests/test_fuzz.py (a few hundred cases, in CI) and bench/fuzz.py (as many as you
like). A case is (kind, seed): the same pair always gives the same input, so a failure is
reproduced with `python bench/fuzz.py --kind KIND --seed SEED --show`.

The contract: the exit code is 0, 1 or 2; no traceback and no "internal error"; an exit 2
says why; and every problem about the mutated file names its line and column.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parent
PROJECT = HERE / "fixtures" / "project"
SMALL = HERE / "fixtures" / "manifests" / "aq-small.yaml"
BASE = ["--rules-dir", str(PROJECT), "--as-of", "2026-11-27"]
FORMATS = ("console", "json", "sarif", "junit", "markdown", "html", "csv", "github")

NASTY: tuple[bytes, ...] = (
    b"NaN", b"Infinity", b"-Infinity", b"1e309", b"1.0e999", b".inf", b".nan", b"9" * 5000,
    b"!!set", b"!!binary", b"!!seq", b"!!map", b"!!bool", b"!!int", b"!!float", b"!!omap",
    b"!!python/object:os.system",
    b"&a", b"*a", b"<<: *a", b"? ", b"- ", b": ", b"{", b"}", b"[", b"]", b",", b'"', b"'", b"#", b"|", b">",
    b"\\ud800", b"\\udfff", b"\\ud83d\\ude00", b"\xed\xa0\x80", b"\xff", b"\xe9", b"\xef\xbb\xbf",
    b"\x00", b"\x07", b"\x1b[2J", b"\x1b]0;t\x07", b"\xc2\x9b", b"\xe2\x80\xae", b"\t", b"\r\n", b"\n",
    b"\n::error file=a,line=1::forged\n", b"::add-mask::x", b"@octocat", b"#12", b"https://evil.example",
    b"[/x]", b"[bold]", b"%0A", b"2026-02-30", b"9999-12-31", b"0000-00-00", b"true", b"null", b"~", b"",
    b"-1", b"0x10", b"1_000", b"1e5", b"00", b"f1\n", b"*", b"?", b"AQ-*", b"VN", b"XX", b"user.contact",
    b"[" * 300, b"]" * 300, b"{" * 300, b"\"a\": 1, \"a\": 2",
)  # fmt: skip


def mutate(seed_text: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    """A few random edits: nasty tokens inserted or substituted, ranges cut, repeated, swapped."""
    data = bytearray(seed_text)
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        if not data:
            data += rng.choice(NASTY)
            continue
        at = rng.randrange(len(data) + 1)
        op = rng.randrange(9)
        if op <= 2:  # insert a nasty token
            data[at:at] = rng.choice(NASTY)
        elif op == 3:  # replace a scalar-looking word with a nasty token
            words = [m.span() for m in re.finditer(rb"[A-Za-z0-9_.\-]+", bytes(data))]
            if words:
                start, end = rng.choice(words)
                data[start:end] = rng.choice(NASTY)
        elif op == 4:  # cut a range
            data[at : at + rng.randint(1, 40)] = b""
        elif op == 5:  # repeat a range
            chunk = data[at : at + rng.randint(1, 60)]
            data[at:at] = chunk * rng.randint(1, 3)
        elif op == 6:  # swap two lines
            lines = bytes(data).split(b"\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
        elif op == 7:  # flip a byte
            if at < len(data):
                data[at] = rng.randrange(256)
        else:  # truncate
            del data[at:]
    return bytes(data)


@dataclass(frozen=True)
class Case:
    """One run: the file to write, its name, and the command line (``{file}`` is its path)."""

    name: str
    content: bytes
    args: tuple[str, ...]
    cwd_file: bool = False
    """The file is a settings file read from the working folder (not named on the command line)."""


def _seeds() -> dict[str, bytes]:
    small = SMALL.read_bytes()
    data = yaml.safe_load(small)
    waivers = {
        "waivers": [
            {"rule": "AQ-TRANSFER-*", "justification": "accepted until the contract is signed",
             "approved_by": "Jane Roe", "expires": "2027-01-31", "flow": "out", "ticket": "SEC-1"},
            {"rule": "AQ-SENSITIVE-001", "justification": "legal review pending for this flow",
             "approved_by": "Jane Roe", "expires": "2026-12-31", "country": "AQ"},
        ]
    }  # fmt: skip
    settings = {
        "manifests": [str(SMALL)],
        "fail_on": "critical",
        "rules_dir": str(PROJECT),
        "formats": [{"format": "json", "output": "out.json"}, {"format": "console"}],
        "force": True,
    }
    return {
        "manifest.yaml": small,
        "manifest.json": json.dumps(data, indent=1).encode(),
        "waivers.yaml": yaml.safe_dump(waivers, sort_keys=False).encode(),
        "settings.yaml": yaml.safe_dump(settings, sort_keys=False).encode(),
    }


_SEEDS: dict[str, bytes] = {}


def seed_inputs(report: bytes) -> dict[str, bytes]:
    if not _SEEDS:
        _SEEDS.update(_seeds())
    return {**_SEEDS, "report.json": report}


KINDS = ("manifest.yaml", "manifest.json", "waivers.yaml", "settings.yaml", "report.json")


def make_case(kind: str, seed: int, report: bytes) -> Case:
    """The case ``seed`` of ``kind``: a mutated input and a command that reads it."""
    rng = random.Random(f"{kind}:{seed}")
    content = mutate(seed_inputs(report)[kind], rng)
    fmt = FORMATS[seed % len(FORMATS)]
    if kind.startswith("manifest"):
        name = "m" + kind[len("manifest") :]
        commands = [("check", "{file}", *BASE, "-f", fmt, "--fail-on", "high"), ("validate", "{file}")]
        return Case(name, content, commands[seed % 5 == 4])
    if kind == "waivers.yaml":
        return Case("w.yaml", content, ("check", str(SMALL), *BASE, "-f", fmt, "--waivers", "{file}"))
    if kind == "settings.yaml":
        commands = [("check", "--as-of", "2026-11-27"), ("config", "show")]
        return Case(".defa-check.yaml", content, commands[seed % 4 == 3], cwd_file=True)
    commands = [
        ("report", "{file}", "-f", fmt),
        ("diff", "{good}", "{file}"),
        ("check", str(SMALL), *BASE, "--baseline", "{file}", "-f", fmt),
    ]
    return Case("r.json", content, commands[seed % 3])


def broken_contract(case: Case, path: Path, code: int, out: str, err: str) -> str | None:
    """What the run did wrong, or None if it kept the contract."""
    both = out + err
    if code not in (0, 1, 2):
        return f"exit code {code}"
    if "Traceback" in both or "internal error" in both:
        return "a traceback or an internal error"
    if code == 2 and not err.strip() and not out.strip():
        return "exit 2 without a word"
    shown = case.name if case.cwd_file else str(path)
    for line in both.splitlines():
        is_problem = re.search(r" \[[a-z-]+\]$", line) is not None  # problems end with their code
        if is_problem and line.startswith(shown) and not re.match(rf"{re.escape(shown)}:\d+:\d+: ", line):
            return f"a problem without a line and column: {line!r}"
    return None


Runner = Callable[[list[str], Path], tuple[int, str, str]]


def run_case(case: Case, folder: Path, good_report: Path, runner: Runner) -> str | None:
    """Write the case's file into ``folder``, run it, and check the contract."""
    path = folder / case.name
    path.write_bytes(case.content)
    args = [a.replace("{file}", str(path)).replace("{good}", str(good_report)) for a in case.args]
    code, out, err = runner(args, folder)
    problem = broken_contract(case, path, code, out, err)
    for leftover in folder.glob("out*"):
        leftover.unlink()
    return problem


def describe(kind: str, seed: int, case: Case, problem: str) -> str:
    text = case.content.decode("utf-8", "backslashreplace")
    return (
        f"{kind} seed {seed}: {problem}\n  command: defa-check {' '.join(case.args)}\n"
        f"  reproduce: python bench/fuzz.py --kind {kind} --seed {seed} --show\n  input:\n{text[:2000]}"
    )


def in_process_runner() -> Runner:
    """Run the command line in this process (CliRunner), in ``cwd``."""
    from typer.testing import CliRunner

    from defa_check.cli import app

    runner = CliRunner()

    def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
        old = os.getcwd()
        os.chdir(cwd)
        try:
            result = runner.invoke(app, args, catch_exceptions=True)
        finally:
            os.chdir(old)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return 99, result.stdout, f"Traceback: {result.exception!r}"
        return result.exit_code, result.stdout, result.stderr

    return run
