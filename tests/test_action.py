"""The GitHub Action (action.yml) run locally: its shell steps in bash, in order, as the runner would.

`uses:` steps are stood in for (setup-python gives this Python; the uploads are only
recorded); `if:` conditions and `${{ }}` expressions are evaluated for the few forms the
action uses. The install step really builds a virtual environment from this checkout.
Also: the action and the README's workflow are checked against their schemas, and with
actionlint and shellcheck where they are installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from defa_check import __version__

from .conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
FAILING = ROOT / "examples" / "vn-fintech-us-cloud.yaml"  # fails high-severity rules
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is needed to run the steps")


@dataclass
class Run:
    """What one run of the action did."""

    outcomes: dict[str, str] = field(default_factory=dict)
    """Step name -> success | failure | skipped."""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    log: str = ""
    summary: str = ""
    uploaded: list[str] = field(default_factory=list)


def _value(ref: str, context: dict[str, Any]) -> Any:
    value: Any = context
    for part in ref.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def _evaluate(text: str, context: dict[str, Any]) -> Any:
    """The expression forms action.yml uses: context references, 'literals', == and !=."""
    text = text.strip()
    for op in ("==", "!="):
        if op in text:
            left, right = (_evaluate(side, context) for side in text.split(op, 1))
            return (_as_text(left) == _as_text(right)) == (op == "==")
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1]
    assert re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_-]+)+", text), f"expression the test cannot evaluate: {text}"
    return _value(text, context)


def _as_text(value: Any) -> str:
    """How GitHub turns a value into a string: booleans as true/false."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _substitute(text: str, context: dict[str, Any]) -> str:
    return EXPRESSION.sub(lambda m: _as_text(_evaluate(m.group(1), context)), str(text))


def _outputs(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            found[key] = value
    return found


def run_action(
    tmp: Path,
    inputs: dict[str, str],
    venv: Path,
    github: dict[str, Any] | None = None,
    workdir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Run:
    """Run the action's steps. The install step runs once per test session (``venv`` reused)."""
    temp = tmp / "runner-temp"
    temp.mkdir(exist_ok=True)
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    context: dict[str, Any] = {
        "inputs": {**defaults, **inputs},
        "steps": {},
        "github": {"action_path": str(ROOT), "actor": "someone", "event_name": "push", **(github or {})},
        "runner": {"temp": str(temp)},
    }
    summary = tmp / "summary.md"
    summary.write_text("")
    result = Run()
    failed = False
    for number, step in enumerate(ACTION["runs"]["steps"]):
        name = step.get("name") or step.get("id") or f"step {number}"
        condition = step.get("if")
        should_run = not failed if condition is None else (not failed and _evaluate(
            EXPRESSION.sub(lambda m: m.group(1), condition), context
        ))  # fmt: skip
        step_outputs: dict[str, str] = {}
        if not should_run:
            result.outcomes[name] = "skipped"
        elif "uses" in step:
            if step["uses"].startswith("actions/setup-python@"):
                step_outputs = {"python-path": sys.executable}
            else:
                with_ = {k: _substitute(v, context) for k, v in step.get("with", {}).items()}
                result.uploaded.append(f"{step['uses'].split('@')[0]} {json.dumps(with_, sort_keys=True)}")
            result.outcomes[name] = "success"
        elif step.get("id") == "install" and (venv / "bin" / "defa-check").exists():
            step_outputs = {"defa-check": str(venv / "bin" / "defa-check")}  # installed by an earlier run
            result.outcomes[name] = "success"
        else:
            output_file = tmp / f"output-{number}"
            output_file.write_text("")
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("GITHUB_", "VIRTUAL_ENV", "PYTHON", "DEFA"))
            }
            env.update({k: _substitute(v, context) for k, v in step.get("env", {}).items()})
            if step.get("id") == "install":
                env["VENV"] = str(venv)
            env.update(extra_env or {})
            env.update(
                GITHUB_OUTPUT=str(output_file),
                GITHUB_STEP_SUMMARY=str(summary),
                RUNNER_TEMP=str(temp),
                NO_COLOR="1",
            )
            assert "${{" not in step["run"]  # inputs reach scripts through env, never by interpolation
            script = tmp / f"step-{number}.sh"
            script.write_text(step["run"])
            done = subprocess.run(  # as GitHub runs `shell: bash`
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=workdir or tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            result.log += done.stdout + done.stderr
            step_outputs = _outputs(output_file)
            result.outcomes[name] = "success" if done.returncode == 0 else "failure"
            failed = failed or done.returncode != 0
        context["steps"][step.get("id", f"_{number}")] = {"outputs": step_outputs}
        result.outputs[step.get("id", name)] = step_outputs
    result.summary = summary.read_text()
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """defa-check installed by the action's own install step (once for the module)."""
    tmp = tmp_path_factory.mktemp("install")
    path = tmp / "venv"
    first = run_action(tmp, {"manifests": str(FAILING)}, path)
    assert first.outcomes["Install defa-check"] == "success", first.log
    # With the fast extra where its wheels exist (they do here), as a large manifest wants.
    bindir = "Scripts" if os.name == "nt" else "bin"
    has_fast = subprocess.run(
        [str(path / bindir / "python"), "-c", "import yaml_rs, jsonschema_rs"], check=False
    )
    assert has_fast.returncode == 0
    return path


def test_failing_manifest_uploads_then_fails_the_job(tmp_path: Path, venv: Path) -> None:
    shutil.copy(FAILING, tmp_path / "flows.yaml")
    run = run_action(tmp_path, {"manifests": "flows.yaml"}, venv, workdir=tmp_path)
    assert run.outcomes["Check"] == "success", run.log
    assert run.outputs["check"]["exit-code"] == "1"
    assert run.outcomes["Upload SARIF"] == "success" and run.outcomes["Upload the full report"] == "success"
    assert run.outcomes["Fail on findings"] == "failure"
    assert "::error file=flows.yaml," in run.log  # annotations on the manifest's lines, relative path
    assert "VN-TRANSFER-001" in run.summary and "artifact `defa-check-report`" in run.summary
    sarif = json.loads(Path(run.outputs["check"]["sarif"], "flows.sarif").read_text())
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    assert uris == {"flows.yaml"}
    # the caller's Python is untouched: defa-check lives in its own virtual environment
    assert Path(run.outputs["install"]["defa-check"]).parent.parent == venv


def test_fail_on_never_passes_and_inputs_reach_the_command(tmp_path: Path, venv: Path) -> None:
    shutil.copy(FAILING, tmp_path / "flows.yaml")
    inputs = {"manifests": "flows.yaml", "fail-on": "never", "countries": "VN", "as-of": "2026-11-27"}
    run = run_action(tmp_path, inputs, venv, workdir=tmp_path)
    assert run.outputs["check"]["exit-code"] == "0" and run.outcomes["Fail on findings"] == "success"
    report = json.loads((Path(run.outputs["check"]["report-dir"]) / "json" / "flows.json").read_text())
    assert report["as_of"] == "2026-11-27" and report["countries"] == ["VN"]
    strict = run_action(tmp_path, {**inputs, "fail-on": "high", "strict": "true"}, venv, workdir=tmp_path)
    assert strict.outputs["check"]["exit-code"] == "1"


@pytest.mark.parametrize(
    ("manifest", "extra", "expected"),
    [
        ("manifest_version: 1\norganization: {name: X, home_country: VM}\n", {}, "did you mean 'VN'"),
        (FAILING.read_text(), {"waivers": "missing-waivers.yaml"}, "missing-waivers.yaml"),
        (FAILING.read_text(), {"strict": "yes"}, "input strict must be true, false or empty"),
    ],
    ids=["invalid-manifest", "missing-waiver-file", "bad-input"],
)
def test_invalid_input_fails_the_check_step_with_defa_checks_message(
    tmp_path: Path, venv: Path, manifest: str, extra: dict[str, str], expected: str
) -> None:
    (tmp_path / "flows.yaml").write_text(manifest)
    run = run_action(tmp_path, {"manifests": "flows.yaml", **extra}, venv, workdir=tmp_path)
    assert run.outcomes["Check"] == "failure"
    errors = [line for line in run.log.splitlines() if line.startswith("::error title=defa-check")]
    assert len(errors) == 1 and expected in errors[0], run.log
    # nothing after a failed check runs: no "path does not exist" from the SARIF upload
    for step in ("Upload SARIF", "Upload the full report", "Fail on findings"):
        assert run.outcomes[step] == "skipped"
    assert run.uploaded == []


def test_sarif_upload_is_skipped_with_a_notice_on_forks(tmp_path: Path, venv: Path) -> None:
    shutil.copy(FAILING, tmp_path / "flows.yaml")
    fork = {"event": {"pull_request": {"head": {"repo": {"fork": True}}}}, "event_name": "pull_request"}
    run = run_action(tmp_path, {"manifests": "flows.yaml"}, venv, github=fork, workdir=tmp_path)
    assert run.outcomes["Upload SARIF"] == "skipped" and run.outcomes["Upload the full report"] == "success"
    assert "::notice title=defa-check::SARIF not uploaded: a pull request from a fork" in run.log
    assert run.outcomes["Fail on findings"] == "failure"  # the findings still fail the job


def test_large_report_summary_stays_under_a_mebibyte(tmp_path: Path, venv: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import manifest  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    (tmp_path / "flows.json").write_text(json.dumps(manifest(2_000)))
    # Grouped per requirement, even 2,000 flows make a small Markdown report; the cut is
    # exercised with a lower limit, which only this test sets.
    limit = 60_000
    run = run_action(
        tmp_path,
        {"manifests": "flows.json", "fail-on": "never"},
        venv,
        workdir=tmp_path,
        extra_env={"DEFA_CHECK_SUMMARY_LIMIT": str(limit)},
    )
    assert run.outcomes["Check"] == "success", run.log
    full = (Path(run.outputs["check"]["report-dir"]) / "markdown" / "flows.md").stat().st_size
    assert full > limit  # the case the cap is for
    assert len(run.summary.encode()) < limit
    assert "The report stops here" in run.summary and "artifact `defa-check-report`" in run.summary
    annotations = [line for line in run.log.splitlines() if line.startswith(("::error ", "::warning "))]
    assert len(annotations) <= 20 and "Not annotated here" in run.log


def test_action_metadata_and_readme_workflow_are_valid(tmp_path: Path) -> None:
    schema = json.loads((Path(__file__).parent / "schemas" / "github-action.json").read_text())
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(ACTION)] == []
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:  # pinned by a full commit, the release in a comment
            assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    raw = (ROOT / "action.yml").read_text()
    steps = [line for line in raw.splitlines() if re.match(r"\s*(- )?uses: ", line)]
    assert len(steps) == 3 and all(re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line) for line in steps)
    workflow = readme_workflow()
    used_inputs = set(next(s for s in workflow["jobs"]["defa-check"]["steps"] if "with" in s)["with"])
    assert used_inputs <= set(ACTION["inputs"])
    lint = shutil.which("actionlint")
    if lint is None:
        pytest.skip("actionlint not installed: the schema checks above ran, actionlint did not")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    text = README_WORKFLOW.replace(f"defa-check/defa-check@v{__version__}", "./")
    (tmp_path / ".github" / "workflows" / "defa-check.yml").write_text(text)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # actionlint looks for a repository
    done = subprocess.run([lint, "-no-color"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_scripts_pass_shellcheck(tmp_path: Path) -> None:
    check = shutil.which("shellcheck")
    if check is None:
        pytest.skip("shellcheck not installed")
    for number, step in enumerate(ACTION["runs"]["steps"]):
        if "run" in step:
            script = tmp_path / f"step{number}.sh"
            script.write_text("#!/usr/bin/env bash\n" + step["run"])
            done = subprocess.run(
                [check, "-S", "warning", str(script)], capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, done.stdout


def _readme_block(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```ya?ml\n(.*?)```", text, re.S)
    return next(b for b in blocks if marker in b)


README_WORKFLOW = _readme_block("uses: defa-check/defa-check@")


def readme_workflow() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.load(README_WORKFLOW, Loader=yaml.BaseLoader)  # "on" stays a string
    return parsed
