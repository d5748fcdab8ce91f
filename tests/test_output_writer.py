"""The one output writer (issue #21 points 1 and 6): only regular files are replaced, atomically;
devices, FIFOs and /dev/stdout-like paths are written, never replaced; every target is checked
before the first is written; nothing is left behind when a write is stopped.

Every file here lives in the test's own temporary folder (our own FIFO, pipe and links);
nothing points at /dev/null, /dev/stdout or another system path.
"""

from __future__ import annotations

import os
import shlex
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.cli.output import Terminated, check_outputs, output_stems, write_to

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
SMALL = FIXTURES / "manifests" / "aq-small.yaml"
BASE = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def check(*args: str) -> tuple[int, str, str]:
    return run("check", str(SMALL), *BASE, *args)


class Reader(threading.Thread):
    """Reads a FIFO to its end in the background, as `cat fifo` would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.data = path, b""

    def run(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = Reader(fifo)
    reader.start()
    code, _, err = check("-f", "json", "-o", str(fifo), *(["--force"] if force else []))
    reader.join(timeout=30)
    assert code == 1, err
    assert reader.data.startswith(b"{") and b'"report_version"' in reader.data
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]  # no temporary file


@pytest.mark.parametrize("force", [False, True])
def test_a_dev_stdout_like_link_is_opened_and_written_never_replaced(tmp_path: Path, force: bool) -> None:
    # Like /dev/stdout -> /proc/self/fd/1: a link into /proc, here to a pipe of our own.
    read_end, write_end = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    try:
        code, _, err = check("-f", "csv", "-o", str(link), *(["--force"] if force else []))
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    assert code == 1, err
    assert b"rule_id" in data
    assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{write_end}"


def test_a_dangling_symlink_needs_force_and_then_only_the_link_is_replaced(tmp_path: Path) -> None:
    link = tmp_path / "report.json"
    target = tmp_path / "elsewhere" / "never.json"
    link.symlink_to(target)
    code, _, err = check("-o", str(link))
    assert code == 2 and "symbolic link to nothing" in err and "--force" in err
    assert link.is_symlink()
    assert check("-o", str(link), "--force")[0] == 1
    assert not link.is_symlink() and link.is_file() and not target.exists()


def test_a_link_to_a_regular_file_replaces_that_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(real)
    assert check("-o", str(link))[0] == 2 and real.read_text() == "old"
    assert check("-o", str(link), "--force")[0] == 1
    assert link.is_symlink() and real.read_text().startswith("{")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its mode


def test_every_target_is_checked_before_the_first_is_written(tmp_path: Path) -> None:
    new, existing = tmp_path / "new.json", tmp_path / "old.sarif"
    existing.write_text("mine")
    code, _, err = check("-f", "json", "-o", str(new), "-f", "sarif", "-o", str(existing))
    assert code == 2 and "already exists" in err and "nothing was written" in err
    assert not new.exists() and existing.read_text() == "mine"


def test_two_formats_to_one_file_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    code, _, err = check("-f", "json", "-o", str(target), "-f", "csv", "-o", str(target))
    assert code == 2 and "two outputs would be written to this one file" in err
    assert not target.exists()
    link = tmp_path / "alias.txt"
    link.symlink_to(target)
    code, _, err = check("-f", "json", "-o", str(target), "-f", "csv", "-o", str(link), "--force")
    assert code == 2 and "two outputs" in err


def test_a_folder_or_a_missing_folder_is_a_clear_problem(tmp_path: Path) -> None:
    # An existing folder takes one file per manifest (named after it); a missing folder is a problem.
    code, _, err = check("-o", str(tmp_path))
    assert code in (0, 1) and list(tmp_path.iterdir()), err
    code, _, err = check("-o", str(tmp_path / "no" / "such" / "r.json"))
    assert code == 2 and "does not exist" in err


def _both(folder: Path, args: list[str]) -> list[tuple[int, str, Path]]:
    """(exit code, stderr, the folder it ran in) for a command run through the console entry
    (check's plain command line is read without Typer) and through Typer (CliRunner), each in a
    folder of its own under ``folder``."""
    (folder / "entry").mkdir()
    (folder / "typer").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "defa_check", *args], cwd=folder / "entry", capture_output=True, text=True
    )
    cwd = os.getcwd()
    os.chdir(folder / "typer")
    try:
        code, _, err = run(*args)
    finally:
        os.chdir(cwd)
    return [(done.returncode, done.stderr, folder / "entry"), (code, err, folder / "typer")]


def test_an_output_ending_with_a_slash_is_a_folder_made_if_missing(tmp_path: Path) -> None:
    # Path("reports/") is Path("reports"): the report became a file named `reports`.
    json_and_sarif = ["-f", "json", "-o", "reports.v2/", "-f", "sarif", "-o", "reports.v2/"]
    for code, err, ran_in in _both(tmp_path, ["check", str(SMALL), *BASE, *json_and_sarif]):
        assert code in (0, 1), err
        made = sorted(p.name for p in (ran_in / "reports.v2").iterdir())
        assert made == [f"{SMALL.stem}.json", f"{SMALL.stem}.sarif"]


@pytest.mark.parametrize(
    "args",
    [
        ["baseline", "create", str(SMALL), "--rules-dir", PROJECT, "-o", "reports/"],
        ["init", "-o", "reports/"],
        ["report", "saved.json", "-f", "markdown", "-o", "reports/"],
        ["plan", str(SMALL), "--rules-dir", PROJECT, "--expand-to", "SG", "--write", "reports/"],
    ],
)
def test_a_command_writing_one_file_refuses_an_output_naming_a_folder(
    tmp_path: Path, args: list[str]
) -> None:
    for code, err, ran_in in _both(tmp_path, args):
        assert code == 2, err
        assert "'reports/' names a folder (it ends with a slash); give a file name" in err
        assert list(ran_in.iterdir()) == []
    # A folder that exists is refused the same way, not with advice to make it.
    (tmp_path / "entry" / "reports").mkdir()
    for code, err, _ in _both(tmp_path / "entry", args):
        assert code == 2 and "give a file name" in err, err


def test_a_settings_output_ending_with_a_slash_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes(SMALL.read_bytes())
    (tmp_path / ".defa-check.yaml").write_text(
        "manifests: [m.yaml]\nformats: [{format: json, output: out/}]\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "defa_check", "check", *BASE], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["m.json"]


def test_manifests_with_the_same_stem_never_overwrite_each_other(tmp_path: Path) -> None:
    import json

    import yaml

    folder = tmp_path / "a"
    folder.mkdir()
    data = yaml.safe_load(SMALL.read_text())
    for suffix, dump in ((".yaml", yaml.safe_dump), (".json", json.dumps)):
        named = {**data, "organization": {**data["organization"], "name": f"from {suffix[1:]}"}}
        (folder / f"flows{suffix}").write_text(dump(named))
    out = tmp_path / "out"
    for extra in ([], ["--force"]):
        code, _, err = run("check", str(folder / "flows.yaml"), str(folder / "flows.json"), *BASE,
                           "-f", "json", "-o", str(out), *extra)  # fmt: skip
        assert code == 1, err
        written = {p.name: json.loads(p.read_text())["organization"] for p in out.iterdir()}
        assert sorted(written.values()) == ["from json", "from yaml"], written
    assert output_stems([Path("x/flows.yaml"), Path("y/flows.yaml")]) == {
        Path("x/flows.yaml"): "x_flows",
        Path("y/flows.yaml"): "y_flows",
    }


def test_a_manifest_named_twice_is_checked_once(tmp_path: Path) -> None:
    # `check a.yaml a.yaml -o out`, or a folder and a file in it, refused to write: both reports
    # were planned for one file, and the message said to give each format its own --output.
    folder = tmp_path / "in"
    folder.mkdir()
    manifest = folder / "flows.yaml"
    manifest.write_text(SMALL.read_text())
    other = folder / "other-flows.yaml"
    other.write_text(SMALL.read_text())
    out = tmp_path / "out"
    twice = str(folder / ".." / "in" / "flows.yaml")
    code, _, err = run("check", str(folder), str(manifest), twice, *BASE, "-f", "json", "-o", str(out))
    assert code == 1, err
    assert sorted(p.name for p in out.iterdir()) == ["flows.json", "other-flows.json"]
    assert err.count(os.sep + "flows.yaml:") == 1 and "two outputs" not in err
    code, _, err = run("validate", str(manifest), str(manifest))
    assert code == 0 and err.count("valid") == 1, err


def chunks_then_signal(signum: int) -> Iterator[bytes]:
    yield b"first part of a report\n" * 1000
    os.kill(os.getpid(), signum)
    yield b"never written"


def chunks_then_interrupt() -> Iterator[bytes]:
    yield b"first part of a report\n" * 1000
    raise KeyboardInterrupt
    yield b"never written"


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    destination = check_outputs([target], force=True)[0]
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as stopped:
        write_to(destination, chunks_then_signal(signal.SIGTERM))
    assert stopped.value.code == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"] and target.read_text() == "old"
    assert signal.getsignal(signal.SIGTERM) == before  # the handler was put back


def test_ctrl_c_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    destination = check_outputs([target], force=False)[0]
    with pytest.raises(KeyboardInterrupt):
        # What Python's own SIGINT handler raises, raised where it would be: a real SIGINT was
        # ignored in some full runs (the test worker's handler is not always Python's default).
        write_to(destination, chunks_then_interrupt())
    assert list(tmp_path.iterdir()) == []


def test_a_new_report_gets_the_mode_a_plain_write_would_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    # The temporary file is made private (0600) while it is written; the finished report is not.
    fresh, kept = tmp_path / "fresh.json", tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o640)
    old_mask = os.umask(0o022)
    try:
        for target in (fresh, kept):
            write_to(check_outputs([target], force=True)[0], [b"{}\n"])
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.json", "kept.json"]


def test_a_temporary_name_already_taken_is_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first two random names are taken (one by a link an attacker planted): both are left
    # alone, the report goes through a third name.
    target = tmp_path / "report.json"
    victim = tmp_path / "victim"
    victim.write_text("keep")
    names = iter([b"\x00" * 6, b"\x01" * 6, b"\x02" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(names))
    (tmp_path / ".report.json.000000000000.tmp").write_text("someone else's")
    (tmp_path / ".report.json.010101010101.tmp").symlink_to(victim)
    write_to(check_outputs([target], force=False)[0], [b"report"])
    assert target.read_bytes() == b"report" and victim.read_text() == "keep"
    assert (tmp_path / ".report.json.000000000000.tmp").read_text() == "someone else's"
    assert not (tmp_path / ".report.json.020202020202.tmp").exists()


def test_a_report_is_written_from_a_thread_other_than_the_main_one(tmp_path: Path) -> None:
    # Signal handlers can only be set in the main thread: elsewhere the write goes on without them.
    target = tmp_path / "report.json"
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_to(check_outputs([target], force=False)[0], [b"report"])
        except BaseException as exc:  # handed to the main thread's assert
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert errors == [] and target.read_bytes() == b"report"


def test_rules_docs_never_deletes_markdown_it_did_not_write(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("# my notes\n")
    (docs / "README.md").write_text("# mine\n")
    assert run("rules", "docs", "--output", str(docs), "--rules-dir", PROJECT)[0] == 2
    assert run("rules", "docs", "--output", str(docs), "--rules-dir", PROJECT, "--force")[0] == 0
    assert (docs / "notes.md").read_text() == "# my notes\n"  # not a page of the catalogue: kept
    assert (docs / "README.md").read_text().startswith("<!-- Generated by `defa-check rules docs`")
    stale = docs / "zz.md"
    stale.write_text((docs / "aq.md").read_text())  # a page it wrote for a country now gone
    assert run("rules", "docs", "--output", str(docs), "--rules-dir", PROJECT)[0] == 0
    assert not stale.exists() and (docs / "notes.md").exists()


def test_hatch_build_removes_its_temporary_folder(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("defa-check-build-*"))
    import hatch_build  # type: ignore[import-not-found]

    hook = hatch_build.CustomBuildHook(str(ROOT), {}, None, None, str(tmp_path), "wheel")
    build_data: dict[str, object] = {"force_include": {}}
    hook.initialize("0", build_data)
    assert set(Path(tempfile.gettempdir()).glob("defa-check-build-*")) - before
    # One pre-parsed file per country and one for the taxonomy: a check reads only what it needs.
    included = build_data["force_include"]
    assert isinstance(included, dict)
    assert sorted(included.values()) == sorted(
        f"defa_check/_bundled/compiled/{name}.json"
        for name in ("bn", "id", "kh", "la", "mm", "my", "ph", "sg", "th", "tl", "vn", "taxonomy")
    )
    hook.finalize("0", build_data, str(tmp_path / "x.whl"))
    assert set(Path(tempfile.gettempdir()).glob("defa-check-build-*")) == before


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{m}", "-f", "json", "-o", "{m}", "--force"],
        ["check", "{m}", "-f", "json", "-o", "{w}", "--force", "--waivers", "{w}"],
        ["baseline", "create", "{m}", "-o", "{m}", "--force"],
        ["report", "{r}", "-f", "markdown", "-o", "{r}", "--force"],
    ],
)
def test_a_report_never_replaces_an_input_of_its_run(tmp_path: Path, args: list[str]) -> None:
    """Found by a trial: `check flows.yaml -o flows.yaml --force` replaced the manifest with its report."""
    import shutil

    manifest = tmp_path / "flows.yaml"
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", manifest)
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n")
    saved = tmp_path / "r.json"
    runner = CliRunner()
    made = runner.invoke(app, ["check", str(manifest), "-f", "json", "-o", str(saved), "--fail-on", "never"])
    assert made.exit_code == 0, made.stderr
    before = {p: p.read_bytes() for p in (manifest, waivers, saved)}
    filled = [a.format(m=manifest, w=waivers, r=saved) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 2, result.stdout
    assert "is an input of the run" in result.stderr
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("layout", ["file-link", "folder-link"])
def test_a_link_in_the_working_folder_does_not_lead_a_report_out_of_it(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a re-trial: a committed `report.md -> ../victim/profile.sh` (or a folder link)
    made the CI job's report replace a file outside the checkout, even with a trusted --config."""
    import shutil

    repo, victim = tmp_path / "repo", tmp_path / "victim"
    repo.mkdir()
    victim.mkdir()
    (victim / "profile.sh").write_text("echo hi\n")
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", repo / "flows.yaml")
    if layout == "file-link":
        (repo / "report.md").symlink_to(victim / "profile.sh")
        target = "report.md"
    else:
        (repo / "out").symlink_to(victim, target_is_directory=True)
        target = "out/report.md"
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(app, ["check", "flows.yaml", "-f", "markdown", "-o", target, "--force"])
    assert result.exit_code == 2, result.stdout
    assert "leads out of the working folder" in result.stderr
    assert (victim / "profile.sh").read_text() == "echo hi\n"
    assert not (victim / "report.md").exists()
    # Outside the working folder by its own path: the user's choice, written.
    elsewhere = tmp_path / "elsewhere.md"
    done = CliRunner().invoke(
        app, ["check", "flows.yaml", "-f", "markdown", "-o", str(elsewhere), "--fail-on", "never"]
    )
    assert done.exit_code == 0 and elsewhere.is_file()


@pytest.mark.parametrize(
    ("args", "redirect", "code"),
    [
        (["--version"], ">&-", 2),
        (["--help"], ">&-", 2),
        (["check", "examples/sg-shop-selling-into-vn.yaml"], ">&-", 2),
        (["check", "examples/sg-shop-selling-into-vn.yaml", "-o", "{tmp}/r.txt"], ">&-", 1),
        (["check", "examples/sg-shop-selling-into-vn.yaml"], "2>&-", 1),
        (["rules", "list"], ">&-", 2),
        (["schema", "manifest"], ">&-", 2),
    ],
)
def test_a_closed_or_full_standard_stream_is_an_error_never_a_crash(
    tmp_path: Path, args: list[str], redirect: str, code: int
) -> None:
    """`>&-` makes Python's standard output (or error) None."""
    words = " ".join(shlex.quote(a.format(tmp=tmp_path)) for a in args)
    done = subprocess.run(
        f"{shlex.quote(sys.executable)} -m defa_check {words} {redirect}",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == code
    if redirect == ">&-":
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        assert done.stderr.startswith("error: cannot write") or "-o" in args, done.stderr
    if "-o" in args:
        assert (tmp_path / "r.txt").read_text().startswith("defa-check report")
