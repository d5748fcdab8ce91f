"""`check` with a plain command line runs without Typer (defa_check.cli.direct): it must read
the command line as Typer does, and print, write and exit exactly as the Typer path does."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from defa_check.cli import app, check_command
from defa_check.cli.check_command import CheckArgs
from defa_check.cli.direct import check_args

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

POSITIONALS = ["m.yaml", "other.json", "dir/", "é.yaml", "a b.yaml"]
FLAGS = [
    "--force", "--strict", "--no-strict", "--strict-review", "--no-strict-review", "--all",
    "--include-not-applicable",
]  # fmt: skip
SOME_VALUES = ["out.json", "SG,VN", "", "-x", "--force", "a=b", "é"]
VALUED = {
    "--format": ["json", "sarif", "console", "bogus", "JSON", " json"],
    "--output": ["r.sarif", "out/", "report.md"],
    "--as-of": ["2026-01-01", "20260101", "2026-13-01", "2026-W01-1", " 2026-01-01"],
    "--country": ["SG", "viet nam", "SG,,VN", "XX"],
    "--fail-on": ["high", "never", "info", "hig", "HIGH", " high"],
    "--waivers": ["w.yaml"],
    "--baseline": ["base.json"],
    "--show": [
        "pass",
        "not_applicable",
        "pass,not_applicable",
        "pass,",
        "not_applicable, pass",
        " pass",
        "passs",
    ],
    "--horizon": ["7", "0", "1", "120", "121", "+7", " 7", "0_7", "٣", "07", "-1"],
    "--rules-dir": ["rules"],
    "--config": ["ci.yaml"],
    "--title": ["Q4 review", "x=y"],
    "--prepared-for": ["Lotus"],
    "--prepared-by": ["Firm"],
    "--logo": ["logo.png"],
}
VALUED.update({"-f": VALUED["--format"], "-o": VALUED["--output"], "-c": VALUED["--country"]})
ODD = ["--", "-", "-x", "--help", "-h", "-fjson", "--force=1", "--formats", "--Format", "-F", "--no-force"]
"""Shapes only Typer reads."""

OPTION_AND_VALUE = st.sampled_from(sorted(VALUED)).flatmap(
    lambda option: st.sampled_from(VALUED[option] + SOME_VALUES).map(lambda value: [option, value])
)
ARGV = st.lists(
    st.one_of(
        st.sampled_from(POSITIONALS).map(lambda token: [token]),
        st.sampled_from(FLAGS).map(lambda token: [token]),
        OPTION_AND_VALUE,
        OPTION_AND_VALUE.map(lambda pair: ["=".join(pair)]),
        st.sampled_from(ODD).map(lambda token: [token]),
    ),
    max_size=6,
).map(lambda items: [token for item in items for token in item])


def typer_reading(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, CheckArgs | None]:
    """What the Typer command hands to run_check for ``check argv``, and its exit code."""
    seen: list[CheckArgs] = []

    def record(args: CheckArgs) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(check_command, "run_check", record)
    result = CliRunner().invoke(app, ["check", *argv])
    return result.exit_code, (seen[0] if seen else None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=ARGV)
def test_a_command_line_read_directly_is_read_as_typer_reads_it(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    direct = check_args(argv)
    if direct is None:
        return  # Typer reads it (and says what is wrong with it)
    code, through_typer = typer_reading(argv, monkeypatch)
    assert code == 0, argv
    assert through_typer == direct, argv


@pytest.mark.parametrize(
    "argv",
    [
        argv
        for option, values in VALUED.items()
        for value in values + SOME_VALUES
        for argv in (["m.yaml", option, value], ["m.yaml", f"{option}={value}"], [option, value, option, "x"])
    ]
    + [[flag] for flag in FLAGS + ODD],
)
def test_each_option_and_value_is_read_directly_as_typer_reads_it_or_left_to_typer(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    direct = check_args(argv)
    if direct is not None:
        assert typer_reading(argv, monkeypatch) == (0, direct)


@pytest.mark.parametrize(
    "argv",
    [
        ["m.yaml"],
        [],
        ["m.yaml", "--format", "sarif", "--output", "r.sarif", "--fail-on", "high"],
        ["a.yaml", "b.json", "-f", "json", "-o", "out/", "-c", "SG,VN", "-c", "TH", "--strict"],
        ["m.yaml", "--format=json", "--baseline", "base.json", "--waivers", "w.yaml", "--no-strict-review"],
        ["m.yaml", "--as-of", "2027-01-01", "--horizon", "12", "--show", "pass,not_applicable", "--all"],
        [
            "m.yaml",
            "-f",
            "html",
            "-o",
            "r.html",
            "--title",
            "Q4",
            "--prepared-for",
            "Lotus",
            "--logo",
            "l.png",
        ],
        ["--config", "ci.yaml", "--rules-dir", "rules", "--include-not-applicable", "--force"],
    ],
)
def test_the_command_lines_of_ci_and_hooks_are_read_directly(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    direct = check_args(argv)
    assert direct is not None, "this command line should not need Typer"
    assert typer_reading(argv, monkeypatch) == (0, direct)


@pytest.mark.parametrize(
    "argv",
    [
        ["m.yaml", "-f", "bogus"],  # Typer's did-you-mean
        ["m.yaml", "--as-of", "2026-13-01"],
        ["m.yaml", "--fail-on", "hig"],
        ["m.yaml", "--horizon", "0"],
        ["m.yaml", "--show", "pass,"],
        ["m.yaml", "--help"],
        ["m.yaml", "-fjson"],
        ["m.yaml", "-o"],
        ["m.yaml", "-o", "--force"],
        ["--", "-m.yaml"],
        ["m.yaml", "--unknown"],
    ],
)
def test_what_typer_must_answer_goes_to_typer(argv: list[str]) -> None:
    assert check_args(argv) is None


# End to end: the console script's direct path against the Typer path, as processes.

DIRECT = [sys.executable, "-m", "defa_check"]
THROUGH_TYPER = [sys.executable, "-c", "from defa_check.cli import main; main()"]
UTF8 = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}


def run(
    command: list[str], argv: list[str], cwd: Path, env: dict[str, str] = UTF8
) -> tuple[int, bytes, bytes]:
    proc = subprocess.run([*command, "check", *argv], cwd=cwd, capture_output=True, env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    """The same starting folder twice: the examples, a broken manifest, a report to keep, a waiver file."""
    made = []
    for name in ("direct", "typer"):
        folder = tmp_path / name
        shutil.copytree(EXAMPLES, folder)
        (folder / "broken.yaml").write_text(
            "manifest_version: 1\norganization: {name: X, home_country: XX}\nflows: [\n"
        )
        (folder / "invalid.yaml").write_text(
            "manifest_version: 1\norganization:\n  name: X\n  home_country: SGP\n"
            "flows:\n  - id: a\n    from: SG\n"
        )
        (folder / "kept.json").write_text("{}")
        made.append(folder)
    return made[0], made[1]


E2E = [
    ["sg-shop-selling-into-vn.yaml"],
    ["sg-shop-selling-into-vn.yaml", "--format", "json"],
    ["vn-fintech-us-cloud.yaml", "-f", "sarif", "-o", "r.sarif", "--fail-on", "never"],
    ["regional-hr.yaml", "well-prepared-sg-retailer.yaml", "-f", "markdown", "-o", "reports"],
    ["online-seller-three-markets.yaml", "-c", "VN,ID", "-f", "junit", "--strict", "--as-of", "2027-06-01"],
    ["frontier-markets-marketplace.yaml", "--horizon", "24", "--show", "pass", "--all"],
    ["sg-shop-selling-into-vn.yaml", "-f", "csv", "-f", "compact", "-o", "r.csv"],
    ["sg-shop-selling-into-vn.yaml", "-f", "github"],
    ["sg-shop-selling-into-vn.yaml", "-f", "json", "-o", "kept.json"],  # exists: refused without --force
    ["sg-shop-selling-into-vn.yaml", "-f", "json", "-o", "kept.json", "--force", "--include-not-applicable"],
    ["sg-shop-selling-into-vn.yaml", "-c", "Atlantis"],  # unknown country: a did-you-mean, exit 2
    ["broken.yaml"],
    ["invalid.yaml", "sg-shop-selling-into-vn.yaml"],
    ["missing.yaml"],
    ["sg-shop-selling-into-vn.yaml", "--waivers", "missing-waivers.yaml"],
    ["sg-shop-selling-into-vn.yaml", "--config", "missing.yaml"],
    ["sg-shop-selling-into-vn.yaml", "--logo", "kept.json", "-f", "html", "-o", "r.html"],
    [],
]


@pytest.mark.parametrize("argv", E2E, ids=[" ".join(a) or "(none)" for a in E2E])
def test_direct_and_typer_paths_print_write_and_exit_the_same(argv: list[str], tmp_path: Path) -> None:
    direct_dir, typer_dir = two_folders(tmp_path)
    assert check_args(argv) is not None, "the direct path must be the one tested here"
    direct = run(DIRECT, argv, direct_dir)
    through_typer = run(THROUGH_TYPER, argv, typer_dir)
    assert direct[0] == through_typer[0], (direct, through_typer)
    assert direct[1] == through_typer[1]
    assert direct[2] == through_typer[2]
    assert files(direct_dir) == files(typer_dir)


def test_a_plain_check_does_not_import_typer(tmp_path: Path) -> None:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('typer loaded: %s\\n' % ('typer' in sys.modules)))\n"
        "from defa_check.entry import main\n"
        "main()\n"
    )
    argv = ["check", str(EXAMPLES / "sg-shop-selling-into-vn.yaml"), "-f", "json"]
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=UTF8)
    assert proc.returncode == 1, proc.stderr
    assert "typer loaded: False" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv, "--help"], capture_output=True, text=True, env=UTF8
    )
    assert proc.returncode == 0
    assert "typer loaded: True" in proc.stderr


def test_an_ascii_stream_gets_utf8_as_click_would_write_it(tmp_path: Path) -> None:
    """Not UTF-8: Typer's path, and our own echo writes UTF-8 there as click did."""
    (tmp_path / "café.yaml").write_text("manifest_version: 1\n")
    env = {**UTF8, "PYTHONIOENCODING": "ascii"}
    code, _, err = run(DIRECT, ["café.yaml"], tmp_path, env)
    assert code == 2
    assert "café.yaml".encode() in err


class _Full(io.RawIOBase):
    """A device that takes nothing: every write fails as on a full disk."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("manifest", ["missing.yaml", str(EXAMPLES / "well-prepared-sg-retailer.yaml")])
def test_a_full_standard_error_ends_the_direct_path_with_exit_2_as_typer_does(
    manifest: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saying what went wrong fails too: still 2 (cannot write), never 1, which CI reads as findings."""
    from defa_check.cli.direct import run_directly

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(_Full(), encoding="utf-8", write_through=True))
    assert run_directly([manifest, "-f", "json"]) == 2


@pytest.mark.parametrize("command", [DIRECT, THROUGH_TYPER], ids=["direct", "typer"])
def test_a_reader_that_goes_away_keeps_the_checks_exit_code(command: list[str], tmp_path: Path) -> None:
    """`check ... --horizon 12` whose reader has gone before anything is written: the report's
    write finds the pipe closed and sends the rest (the horizon text too) nowhere; the summary
    and the exit code (1: failing findings) stay. (A reader that goes after the report, before
    the horizon text, is the test below.)"""
    argv = ["check", str(EXAMPLES / "sg-shop-selling-into-vn.yaml"), "--horizon", "12"]
    proc = subprocess.Popen([*command, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=UTF8)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the child has written anything: every write to it fails
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1, err
    assert b"failing at or above high" in err
    assert b"Traceback" not in err


def test_a_line_printed_after_the_reader_went_away_is_dropped_not_a_crash() -> None:
    """What `check --horizon 12 | head -1` meets once head has exited: the horizon text, printed
    after the report, goes nowhere, and the command carries on to its summary and exit code."""
    code = (
        "import sys\n"
        "from defa_check.cli.output import echo\n"
        "echo('a line nobody reads')\n"
        "echo('and another')\n"
        "sys.stderr.write('carried on\\n')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=UTF8
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert err == b"carried on\n"


def test_version_to_a_reader_that_went_away_exits_0() -> None:
    """`defa-check --version | head -0`: as for a report, a reader that stops reading is not an
    error of the run (it exited 2, "cannot write the version")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "defa_check", "--version"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=UTF8,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert err == b""


def test_version_with_both_streams_full_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in a re-check: the message saying the version could not be written failed too (exit 1)."""
    from defa_check import entry

    monkeypatch.setattr(sys, "argv", ["defa-check", "--version"])
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(_Full(), encoding="utf-8", write_through=True))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(_Full(), encoding="utf-8", write_through=True))
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 2
