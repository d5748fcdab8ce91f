"""Releases and the snippets that name them: the README's set-up commands, its pinned tag, and
the pre-commit snippet run as a user would run it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from defa_check import __version__

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TAG = f"v{__version__}"
PRE_COMMIT = shutil.which("pre-commit")


def test_readme_opens_with_two_venv_commands_and_ci_runs_the_second() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line for line in first_block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    install_and_check, install_and_test = commands
    for command in commands:  # PEP 668: never pip outside a virtual environment
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert "defa-check check examples/" in install_and_check
    assert (ROOT / install_and_check.split("defa-check check ")[1].split()[0]).is_file()
    assert install_and_test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()  # CI runs exactly the README's test command


def test_every_pinned_release_is_the_current_version() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pins = re.findall(r"(?:rev: |defa-check@|defa-check/defa-check@)(v\d+\.\d+\.\d+)", README + hooks)
    assert len(pins) >= 4 and set(pins) == {TAG}, pins
    assert (ROOT / "docs" / "releasing.md").is_file()


def _git(*args: str, cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env, check=True)


@pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None, reason="pre-commit or git missing")
def test_readme_pre_commit_snippet_works_at_its_tag(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml, verbatim but for the repository's address: a copy of
    this tree, committed and tagged as the release the snippet names."""
    assert PRE_COMMIT is not None
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    upstream = tmp_path / "defa-check"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (upstream / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, upstream / name)
    _git("init", "-q", cwd=upstream, env=env)
    _git("add", "-A", cwd=upstream, env=env)
    _git("commit", "-q", "-m", "release", cwd=upstream, env=env)
    _git("tag", "-a", TAG, "-m", f"defa-check {__version__}", cwd=upstream, env=env)

    snippet = next(b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "rev: " in b)
    config = snippet.replace("https://github.com/defa-check/defa-check", str(upstream))
    assert yaml.safe_load(config)["repos"][0]["rev"] == TAG
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / "flows.yaml").write_text((ROOT / "examples" / "vn-fintech-us-cloud.yaml").read_text())
    # Files the hooks must leave alone: a web app manifest and a Kubernetes manifest.
    (repo / "public").mkdir()
    (repo / "public" / "manifest.json").write_text('{"name": "shop", "start_url": "/"}')
    (repo / "k8s").mkdir()
    (repo / "k8s" / "manifest.yaml").write_text("apiVersion: v1\nkind: Service\n")
    _git("add", "-A", cwd=repo, env=env)
    done = subprocess.run(
        [PRE_COMMIT, "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out  # the example fails high-severity rules
    assert re.search(r"defa-check validate.*Passed", out), out
    assert re.search(r"defa-check check.*Failed", out), out
    assert "manifest.json" not in out and "k8s" not in out
    # the compact summary: one line per finding that needs action, not the whole report
    lines = [line for line in out.splitlines() if re.match(r"flows\.yaml:\d+:\d+: [A-Z]{2}-", line)]
    assert lines and len(lines) <= 21 and any("VN-TRANSFER-001" in line for line in lines)
    assert "fail," in out and "needs info" in out  # the totals line
