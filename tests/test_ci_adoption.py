"""CI adoption: waivers, baselines, diff, strictness, config file, many manifests, hooks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
SMALL = FIXTURES / "manifests" / "aq-small.yaml"
runner = CliRunner()
BASE = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def write_waivers(path: Path, *waivers: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump({"waivers": list(waivers)}))
    return path


def statuses(out: str) -> dict[tuple[str, str], dict[str, object]]:
    return {(f["rule_id"], f["subject"]["id"]): f for f in json.loads(out)["findings"]}


WAIVE_TRANSFER = {
    "rule": "AQ-TRANSFER-*",
    "flow": "out",
    "justification": "Contract clauses signed 2026-10-01; upload pending.",
    "approved_by": "DPO, A. Tan",
    "expires": "2027-01-31",
}


def test_waiver_marks_finding_waived_and_keeps_it_in_the_report(tmp_path: Path) -> None:
    waivers = write_waivers(tmp_path / "w.yaml", WAIVE_TRANSFER)
    code, out, err = run(
        "check", str(SMALL), *BASE, "--format", "json", "--waivers", str(waivers), "--fail-on", "high"
    )
    found = statuses(out)[("AQ-TRANSFER-001", "out")]
    assert found["status"] == "waived" and found["verdict"] == "fail"
    assert found["waiver"]["approved_by"] == "DPO, A. Tan" and found["waiver"]["expires"] == "2027-01-31"
    assert statuses(out)[("AQ-TRANSFER-001", "unknown")]["status"] == "needs_info"  # other flow untouched
    assert code == 1  # AQ-PLATFORM-001 still fails at high
    code, _, _ = run(
        "check",
        str(SMALL),
        *BASE,
        "--waivers",
        str(waivers),
        "--fail-on",
        "high",
        "-c",
        "AQ",
        "--format",
        "json",
    )
    assert "1 waived" in err


def test_expired_waiver_stops_applying_and_is_reported(tmp_path: Path) -> None:
    waivers = write_waivers(tmp_path / "w.yaml", {**WAIVE_TRANSFER, "expires": "2026-11-26"})
    _, out, err = run("check", str(SMALL), *BASE, "--format", "json", "--waivers", str(waivers))
    assert statuses(out)[("AQ-TRANSFER-001", "out")]["status"] == "fail"
    assert "expired on 2026-11-26" in err
    assert any("expired on 2026-11-26" in n for n in json.loads(out)["notices"])


def test_unused_and_unknown_waivers_are_reported(tmp_path: Path) -> None:
    waivers = write_waivers(
        tmp_path / "w.yaml",
        {**WAIVE_TRANSFER, "flow": "no-such-flow"},
        {**WAIVE_TRANSFER, "rule": "AQ-NOPE-001"},
    )
    _, out, err = run("check", str(SMALL), *BASE, "--waivers", str(waivers))
    # In the console report's Notices, and not said again on stderr under it (a user trial).
    assert "matched no finding" in out and "names no known rule" in out
    assert "matched no finding" not in err and "names no known rule" not in err
    # A report written elsewhere: the notices come on stderr.
    _, _, err = run(
        "check", str(SMALL), *BASE, "--waivers", str(waivers), "-f", "json", "-o", str(tmp_path / "r.json")
    )
    assert "notice: " in err and "matched no finding" in err and "names no known rule" in err
    code, out, _ = run("waivers", "lint", str(waivers), "--rules-dir", PROJECT)
    assert code == 1 and "AQ-NOPE-001" in out
    # A mistyped rule id gets a guess, as `explain` gives one (a user trial).
    waivers = write_waivers(tmp_path / "w.yaml", {**WAIVE_TRANSFER, "rule": "AQ-TRANSFR-001"})
    code, out, _ = run("waivers", "lint", str(waivers), "--rules-dir", PROJECT)
    assert code == 1 and "names no known rule (did you mean 'AQ-TRANSFER-001'?)" in out


def test_waivers_for_a_country_not_checked_in_this_run_are_left_out(tmp_path: Path) -> None:
    """`--country SG` made a waiver file's VN waivers read "names no known rule" (a user trial):
    their rules exist, this run only does not check Viet Nam."""
    manifest = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"  # mentions SG, VN and US
    waivers = write_waivers(
        tmp_path / "w.yaml",
        {**WAIVE_TRANSFER, "rule": "VN-TRANSFER-001", "flow": "x"},
        {**WAIVE_TRANSFER, "rule": "VN-*", "flow": "x"},
        {**WAIVE_TRANSFER, "rule": "TH-*", "flow": "x"},  # a country the manifest does not mention
        {**WAIVE_TRANSFER, "rule": "VM-TRANSFER-001"},  # a typo: no such country's pack
    )
    _, out, _ = run("check", str(manifest), "--waivers", str(waivers), "-c", "SG", "-f", "json")
    notices = json.loads(out)["notices"]
    assert not any("VN-" in n or "TH-" in n for n in notices), notices
    assert any("VM-TRANSFER-001 on flow out names no known rule" in n for n in notices), notices
    # Checked, the VN waivers are questioned as before (they match no flow "x").
    _, out, _ = run("check", str(manifest), "--waivers", str(waivers), "-f", "json")
    notices = json.loads(out)["notices"]
    assert any("waiver for VN-TRANSFER-001 on flow x matched no finding" in n for n in notices), notices


@pytest.mark.parametrize("missing", ["justification", "expires", "approved_by"])
def test_waiver_without_justification_approval_or_expiry_is_rejected(tmp_path: Path, missing: str) -> None:
    waiver = {k: v for k, v in WAIVE_TRANSFER.items() if k != missing}
    waivers = write_waivers(tmp_path / "w.yaml", waiver)
    code, _, err = run("check", str(SMALL), *BASE, "--waivers", str(waivers))
    assert code == 2 and f"required field '{missing}' is missing" in err
    assert run("waivers", "lint", str(waivers))[0] == 2


def test_baseline_fails_only_on_new_findings(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, _ = run("baseline", "create", str(SMALL), "--output", str(baseline), *BASE)
    assert code == 0
    assert run("check", str(SMALL), *BASE, "--baseline", str(baseline))[0] == 0
    # A new failing flow, and the old ones moved down the file: only the new one fails the run.
    text = SMALL.read_text().replace(
        "flows:\n",
        "flows:\n  - id: brand-new\n    from: AQ\n    to: US\n    transfer_mechanisms: [none]\n\n",
        1,
    )
    changed = tmp_path / "flows.yaml"
    changed.write_text("# moved\n\n" + text)
    code, out, _ = run("check", str(changed), *BASE, "--baseline", str(baseline), "--format", "json")
    assert code == 1
    found = statuses(out)
    assert found[("AQ-TRANSFER-001", "brand-new")]["in_baseline"] is False
    assert found[("AQ-TRANSFER-001", "out")]["in_baseline"] is True


def test_strict_counts_needs_info(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "manifest_version: 1\norganization: {name: T, home_country: AQ}\nflows: [{id: f, from: AQ, to: SG}]\n"
    )
    assert run("check", str(manifest), *BASE)[0] == 0
    assert run("check", str(manifest), *BASE, "--strict")[0] == 1


def test_diff_shows_new_resolved_and_changed(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    run("check", str(SMALL), *BASE, "--format", "json", "--output", str(old))
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(
        SMALL.read_text()
        .replace("transfer_mechanisms: [none]", "transfer_mechanisms: [contract_clauses]")
        .replace(
            "    data_categories: [user]\n", "    data_categories: [user]\n    transfer_mechanisms: [none]\n"
        )
    )
    run("check", str(fixed), *BASE, "--format", "json", "--output", str(new))
    code, out, _ = run("diff", str(old), str(new), "--format", "json")
    data = json.loads(out)
    assert [(f["rule_id"], f["subject"]["id"]) for f in data["resolved"]] == [("AQ-TRANSFER-001", "out")]
    assert [
        (c["rule_id"], c["subject"]["id"], c["from"]["status"], c["to"]["status"]) for c in data["changed"]
    ] == [("AQ-TRANSFER-001", "unknown", "needs_info", "fail")]
    assert code == 1  # a finding got worse: needs_info -> fail at high
    code, out, _ = run("diff", str(old), str(new), "--format", "markdown")
    assert "## Resolved" in out and "## Changed" in out
    code, out, _ = run("diff", str(old), str(old))
    assert code == 0 and out.startswith("0 new, 0 resolved, 0 changed")


def test_config_file_sets_defaults_and_the_command_line_wins(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "flows.yaml")
    (tmp_path / ".defa-check.yaml").write_text(
        f"manifests: [flows.yaml]\nfail_on: critical\nrules_dir: {PROJECT}\n"
        "formats: [{format: console}, {format: json, output: out.json}]\n"
    )
    code, _, _ = run("check", "--as-of", "2026-11-27", cwd=tmp_path)
    assert code == 0  # nothing critical
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["fail"] == 3
    code, _, _ = run(
        "check", "--as-of", "2026-11-27", "--fail-on", "high", "--format", "console", cwd=tmp_path
    )
    assert code == 1
    code, out, _ = run("config", "show", cwd=tmp_path)
    assert 'fail_on: "critical"    # .defa-check.yaml' in out and "strict: false    # default" in out


@pytest.mark.parametrize(
    "toml",
    [
        '[tool.defa-check]\nfail_on = "medium"\n',
        '[tool."defa-check"]\nfail_on = "medium"\n',
        "[ tool . 'defa-check' ]\nfail_on = 'medium'\n",
        '[tool]\ndefa-check = {fail_on = "medium"}\n',
        'tool.defa-check.fail_on = "medium"\n[project]\nname = "x"\n',
        'tool = {defa-check = {fail_on = "medium"}}\n',
        '[tool.ruff]\nline-length = 100\n\n[tool.defa-check]\nfail_on = "medium"\n',
        '[tool."defa\\u002dcheck"]\nfail_on = "medium"\n',  # an escape in a quoted key
    ],
)
def test_every_way_of_writing_the_pyproject_table_is_read(tmp_path: Path, toml: str) -> None:
    # A pyproject.toml that cannot hold [tool.defa-check] is not parsed (tomllib costs start-up):
    # each way TOML has of writing the table must still be read.
    (tmp_path / "pyproject.toml").write_text(toml)
    code, out, err = run("config", "show", cwd=tmp_path)
    assert code == 0, err
    assert 'fail_on: "medium"    # pyproject.toml [tool.defa-check]' in out


def test_another_tools_pyproject_is_left_alone(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m.yaml")
    # Not TOML at all after the first table, and no [tool.defa-check]: not ours to judge.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "defa-check-demo"\n[tool.ruff\noops = = 1\n')
    code, _, err = run("check", "m.yaml", "--as-of", "2026-11-27", cwd=tmp_path)
    assert code in (0, 1) and "pyproject.toml" not in err
    (tmp_path / "pyproject.toml").write_text("[tool.defa-check-extra]\noops = = 1\n")  # another tool's
    code, _, err = run("check", "m.yaml", "--as-of", "2026-11-27", cwd=tmp_path)
    assert code in (0, 1) and "pyproject.toml" not in err
    # With the table, the same mistake is reported where it is.
    (tmp_path / "pyproject.toml").write_text('[tool.defa-check]\nfail_on = "high"\noops = = 1\n')
    code, _, err = run("check", "m.yaml", "--as-of", "2026-11-27", cwd=tmp_path)
    assert code == 2 and "pyproject.toml:3:8: invalid TOML: Invalid value" in err


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ("[tool.defa-check]\nfail_on = medium\n", "2:11: invalid TOML: Invalid value"),
        ('[tool.defa-check]\nfail_on = "high"\nselect = ["E",\n', "3:15: invalid TOML: Invalid value"),
        ('[tool.defa-check]\nnote = """a\nb\n', "3:2: invalid TOML: Unterminated string"),
        ("[tool.defa-check]\nx = [1,\n  2", "3:4: invalid TOML: Unclosed array"),
        ('[tool.defa-check]\r\nselect = ["E",\r\n\r\n', "2:15: invalid TOML: Invalid value"),  # CRLF
    ],
)
def test_a_toml_mistake_is_located_where_it_is(tmp_path: Path, toml: str, where: str) -> None:
    # Python before 3.14 gives the position only in the message; "at end of document" is the end.
    (tmp_path / "pyproject.toml").write_text(toml)
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2 and f"pyproject.toml:{where} [syntax]" in err, err


def test_a_pyproject_table_that_the_settings_file_shadows_is_said_to_be_unread(tmp_path: Path) -> None:
    # One settings file is read; a [tool.defa-check] beside .defa-check.yaml was ignored silently.
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m.yaml")
    (tmp_path / ".defa-check.yaml").write_text("fail_on: high\n")
    (tmp_path / "pyproject.toml").write_text('[tool.defa-check]\nfail_on = "medium"\n')
    notice = "notice: pyproject.toml [tool.defa-check] is not read: .defa-check.yaml comes first"
    code, out, err = run("config", "show", cwd=tmp_path)
    assert code == 0 and notice in err
    assert "# not read: pyproject.toml [tool.defa-check] (.defa-check.yaml comes first)" in out
    assert 'fail_on: "high"    # .defa-check.yaml' in out
    code, _, err = run("check", "m.yaml", "--as-of", "2026-11-27", cwd=tmp_path)
    assert code in (0, 1) and notice in err
    # Another tool's pyproject.toml, or one that only names the table in a comment: nothing to say.
    for toml in (
        "[tool.ruff]\nline-length = 100\n",
        "[tool.ruff]\n# see [tool.defa-check] in .defa-check.yaml\n",
    ):
        (tmp_path / "pyproject.toml").write_text(toml)
        code, _, err = run("check", "m.yaml", "--as-of", "2026-11-27", cwd=tmp_path)
        assert code in (0, 1) and "notice: pyproject.toml" not in err


@pytest.mark.parametrize("name", ["defa_check", "DefaCheck", "defacheck"])
def test_a_misspelt_pyproject_table_is_an_error_not_ignored(tmp_path: Path, name: str) -> None:
    # [tool.defa_check] (the package's own spelling) was ignored: CI ran on the defaults.
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.{name}]\nfail_on = "medium"\n')
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2
    assert (
        f"pyproject.toml:4:1: unknown table [tool.{name}] (did you mean [tool.defa-check]?) [config]" in err
    )


def test_pyproject_table_and_bad_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.defa-check]\nfail-on = "medium"\nstrict = true\n')
    _, out, _ = run("config", "show", cwd=tmp_path)
    assert 'fail_on: "medium"    # pyproject.toml [tool.defa-check]' in out
    (tmp_path / ".defa-check.yaml").write_text("fial_on: high\n")
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2 and "unknown setting 'fial_on'" in err and "did you mean 'fail_on'" in err
    assert ".defa-check.yaml:1:1: $.fial_on" in err
    (tmp_path / ".defa-check.yaml").write_text("fail_on: high\nformats: [{format: xml}]\n")
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2 and ".defa-check.yaml:2:12: $.formats[0].format: unknown format 'xml'" in err
    # A mistyped threshold gets the guess the command line gives, and never 'never' (a user trial).
    (tmp_path / ".defa-check.yaml").write_text("fail_on: hihg\n")
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2 and "fail_on 'hihg' is not one of" in err and "(did you mean 'high'?)" in err
    (tmp_path / ".defa-check.yaml").write_text("fail_on: nevr\n")
    code, _, err = run("config", "show", cwd=tmp_path)
    assert code == 2 and "did you mean" not in err


def test_many_manifests_and_folders_exit_with_the_worst(tmp_path: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "ok.yaml").write_text("manifest_version: 1\norganization: {name: T, home_country: AQ}\n")
    shutil.copy(SMALL, folder / "bad.yaml")
    code, _, err = run("check", str(folder), *BASE)
    assert code == 1 and "bad.yaml: 3 fail" in err and "ok.yaml: 0 fail" in err
    (folder / "broken.yaml").write_text("manifest_version: 1\norganization: {name: T}\n")
    code, _, err = run("check", str(folder), *BASE, "--format", "json", "--output", str(tmp_path / "out"))
    assert code == 2 and "broken.yaml" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bad.json", "ok.json"]
    code, _, err = run("check", str(folder), *BASE, "--format", "json")
    assert code == 2 and "give --output FOLDER" in err


def test_several_manifests_say_a_shared_notice_once_and_name_the_manifest_of_the_others(
    tmp_path: Path,
) -> None:
    """A waiver file's notices were printed once per manifest, and a manifest's own notices did not
    say which manifest they were about (a user trial with three manifests)."""
    folder = tmp_path / "manifests"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", folder / "a.yaml")  # SG, US, VN
    shutil.copy(ROOT / "examples" / "regional-hr.yaml", folder / "b.yaml")
    waivers = write_waivers(tmp_path / "w.yaml", {**WAIVE_TRANSFER, "rule": "SG-*", "expires": "2030-01-01"})
    out_folder = tmp_path / "out"
    _, _, err = run(
        "check",
        str(folder),
        "-c",
        "SG,TH",
        "--waivers",
        str(waivers),
        "--as-of",
        "2026-11-27",
        "-f",
        "json",
        "-o",
        str(out_folder),
    )
    notices = [line for line in err.splitlines() if line.startswith("notice: ")]
    assert sum("expires more than a year from now" in n for n in notices) == 1, notices
    assert any(
        n.startswith(f"notice: {folder / 'a.yaml'}: --country TH: this manifest does not mention it")
        for n in notices
    ), notices


def test_exit_codes_are_documented_in_help() -> None:
    _, out, _ = run("--help")
    assert "0 nothing at or above the fail threshold" in out and "2 the input could not be read" in out


def test_action_yml_is_a_composite_action_that_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    script = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "GITHUB_STEP_SUMMARY" in script and "--format sarif" in script
    assert "${{" not in script  # inputs reach the script through env, never by interpolation


PRE_COMMIT = shutil.which("pre-commit")


@pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None, reason="pre-commit or git missing")
def test_pre_commit_hooks_run_with_pre_commit_try_repo(tmp_path: Path) -> None:
    """The hooks as users run them: pre-commit installs defa-check from this repository."""
    assert PRE_COMMIT is not None
    repo = tmp_path / "user-repo"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True, env=env)
    (repo / "flows.yaml").write_text((ROOT / "examples" / "vn-fintech-us-cloud.yaml").read_text())
    subprocess.run(["git", "add", "flows.yaml"], cwd=repo, check=True, env=env)

    def try_repo(hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    ok = try_repo("defa-check-validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    failing = try_repo("defa-check")  # the fintech example fails high-severity rules
    assert failing.returncode == 1 and "VN-TRANSFER-001" in failing.stdout
    (repo / "flows.yaml").write_text("manifest_version: 1\norganization: {name: X, home_country: VM}\n")
    subprocess.run(["git", "add", "flows.yaml"], cwd=repo, check=True, env=env)
    bad = try_repo("defa-check-validate")
    assert bad.returncode == 1 and "flows.yaml:2:" in bad.stdout and "did you mean 'VN'" in bad.stdout


def test_several_manifests_with_the_same_name_get_distinct_outputs(tmp_path: Path) -> None:
    for team in ("sales", "hr"):
        (tmp_path / team).mkdir()
        shutil.copy(SMALL, tmp_path / team / "flows.yaml")
    out = tmp_path / "out"
    code, _, _ = run(
        "check", str(tmp_path / "sales"), str(tmp_path / "hr"), *BASE, "-f", "json", "-o", str(out)
    )
    assert code == 1
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and names[0] != names[1]
    assert all(n.endswith("flows.json") for n in names)


def test_baseline_is_visible_in_every_ci_format(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    run("baseline", "create", str(SMALL), "--output", str(baseline), *BASE)
    args = ["check", str(SMALL), *BASE, "--baseline", str(baseline)]
    assert run(*args, "--format", "github")[1].count("::error") == 0
    junit = run(*args, "--format", "junit")[1]
    assert "<failure" not in junit and "already in the baseline" in junit
    sarif = json.loads(run(*args, "--format", "sarif")[1])
    assert {r["baselineState"] for r in sarif["runs"][0]["results"]} == {"unchanged"}
    assert "(in the baseline)" in run(*args)[1]


def test_a_justification_too_short_says_how_long_it_must_be(tmp_path: Path) -> None:
    """`'typo' is too short` gave no length to write to (a user trial)."""
    waivers = write_waivers(
        tmp_path / "w.yaml", {**WAIVE_TRANSFER, "justification": "typo", "approved_by": ""}
    )
    code, out, err = run("waivers", "lint", str(waivers), "--rules-dir", PROJECT)
    assert code == 2 and out == "", out
    assert "$.waivers[0].justification: 'typo' is too short: at least 10 characters" in err, err
    assert "$.waivers[0].approved_by: must not be empty (at least 2 characters)" in err, err


def test_waiver_with_two_scopes_says_so_plainly(tmp_path: Path) -> None:
    waivers = write_waivers(tmp_path / "w.yaml", {**WAIVE_TRANSFER, "market": "AQ"})
    code, _, err = run("waivers", "lint", str(waivers))
    assert code == 2 and "a waiver names at most one of flow, market and organization" in err


def test_waivers_lint_questions_broad_or_long_waivers(tmp_path: Path) -> None:
    waivers = write_waivers(tmp_path / "w.yaml", {**WAIVE_TRANSFER, "rule": "*", "expires": "2099-12-31"})
    code, out, _ = run("waivers", "lint", str(waivers))
    assert code == 1
    assert "matches rules of several countries" in out and "expires more than a year from now" in out


def test_folder_mode_checks_only_manifests(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    (folder / "teams").mkdir(parents=True)
    (folder / "public").mkdir()
    (folder / ".git").mkdir()
    shutil.copy(SMALL, folder / "flows.yaml")  # a documented name
    shutil.copy(SMALL, folder / "teams" / "sales.yaml")  # says manifest_version
    write_waivers(folder / "waivers.yaml", WAIVE_TRANSFER)
    (folder / "baseline.json").write_text('{"report_version": 1}')
    (folder / "manifest.yaml").write_text("apiVersion: v1\nkind: Service\n")  # Kubernetes
    (folder / "public" / "manifest.json").write_text('{"name": "shop", "start_url": "/"}')
    shutil.copy(SMALL, folder / ".git" / "flows.yaml")  # hidden folders are not searched
    (folder / "hr_flows.yml").write_text("organization: {name: T, home_country: AQ}\n")  # named: checked
    code, _, err = run("check", str(folder), *BASE, "--format", "compact")
    assert code == 2, err  # hr_flows.yml is checked, and lacks manifest_version
    assert "hr_flows.yml" in err and "manifest_version" in err
    (folder / "hr_flows.yml").unlink()
    code, _, err = run("check", str(folder), *BASE, "--format", "compact")
    assert code == 1, err
    checked = sorted(line.split(":")[0] for line in err.splitlines() if " fail, " in line)
    assert checked == [str(folder / "flows.yaml"), str(folder / "teams" / "sales.yaml")]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "waivers.yaml").write_text("waivers: []\n")
    code, _, err = run("check", str(empty), *BASE)
    assert code == 2 and "folder holds no manifest" in err


def test_config_formats_are_replaced_on_rerun_when_the_config_says_force(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "flows.yaml")
    settings = "manifests: [flows.yaml]\nformats:\n  - {format: sarif, output: out.sarif}\n"
    (tmp_path / ".defa-check.yaml").write_text(settings + "force: true\n")
    args = ("check", "--rules-dir", PROJECT, "--as-of", "2026-11-27")
    assert run(*args, cwd=tmp_path)[0] == 1
    (tmp_path / "out.sarif").write_text("old")
    assert run(*args, cwd=tmp_path)[0] == 1 and (tmp_path / "out.sarif").read_text().startswith("{")
    (tmp_path / ".defa-check.yaml").write_text(settings)
    code, _, err = run(*args, cwd=tmp_path)
    assert code == 2 and "already exists" in err
    # --config names another settings file
    other = tmp_path / "ci.yaml"
    other.write_text(settings.replace("out.sarif", "ci.sarif"))
    assert run(*args, "--config", str(other), cwd=tmp_path)[0] == 1 and (tmp_path / "ci.sarif").is_file()
    code, _, err = run(*args, "--config", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert code == 2 and "no such settings file" in err
    code, _, err = run(*args, "--config", str(tmp_path), cwd=tmp_path)  # a folder given by mistake
    assert code == 2 and "a folder, not a settings file" in err


def test_countries_from_the_settings_file_are_named_as_such(tmp_path: Path) -> None:
    """An error or notice about `countries:` in the settings file named `--country`, which the user
    never typed (a user trial)."""
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m.yaml")
    (tmp_path / ".defa-check.yaml").write_text("manifests: [m.yaml]\ncountries: [Vietnma]\n")
    code, _, err = run("check", cwd=tmp_path)
    # Located where it is written, as the settings file's other problems are (line 2, column 13).
    assert code == 2 and ".defa-check.yaml:2:13: $.countries[0]: no country code or name 'Vietnma'" in err
    assert "[config]" in err and "--country" not in err
    (tmp_path / ".defa-check.yaml").write_text("manifests: [m.yaml]\ncountries:\n  - SG\n  - US\n")
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and ".defa-check.yaml:4:5: $.countries[1]: no rule pack for country 'US'" in err
    (tmp_path / ".defa-check.yaml").unlink()
    toml = '[tool.defa-check]\nmanifests = ["m.yaml"]\ncountries = ["XX"]\n'
    (tmp_path / "pyproject.toml").write_text(toml)
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "pyproject.toml:3:1: $.countries[0]: no country code or name 'XX'" in err
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".defa-check.yaml").write_text("manifests: [m.yaml]\ncountries: [TH, VN]\n")
    report = json.loads(run("check", "--format", "json", cwd=tmp_path)[1])
    assert report["notices"] == [
        "TH (countries in .defa-check.yaml): this manifest does not mention it (it mentions SG, US, VN); "
        "not checked"
    ]
    # The command line wins, and is named as the command line.
    report = json.loads(run("check", "--format", "json", "--country", "MY,VN", cwd=tmp_path)[1])
    assert report["notices"][0].startswith("--country MY: this manifest does not mention it")


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("countries: VN,TH", "setting 'countries' must be a list (write [VN, TH])"),
        ("manifests: m.yaml", "setting 'manifests' must be a list (write [m.yaml])"),
        ('countries: [""]', "$.countries[0]: an item of countries is empty"),
    ],
)
def test_a_list_setting_written_as_text_shows_the_list(tmp_path: Path, setting: str, said: str) -> None:
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m.yaml")
    manifests = "" if setting.startswith("manifests") else "manifests: [m.yaml]\n"
    (tmp_path / ".defa-check.yaml").write_text(manifests + setting + "\n")
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and said in err, err


def test_outputs_from_the_settings_file_are_named_as_coming_from_it(tmp_path: Path) -> None:
    """A user who typed no --output was told "--output names a folder", and "pass --force" with no
    word of the settings file the outputs came from (a user trial)."""
    (tmp_path / "m").mkdir()
    for name in ("a", "b"):
        shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m" / f"{name}.yaml")
    (tmp_path / ".defa-check.yaml").write_text(
        "manifests: [m]\nformats:\n  - {format: sarif, output: out/defa.sarif}\n"
    )
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "`output:` under formats in .defa-check.yaml names a folder" in err
    assert "--output" not in err
    (tmp_path / ".defa-check.yaml").write_text(
        "manifests: [m/a.yaml]\nformats:\n  - {format: sarif, output: out.sarif}\n"
    )
    (tmp_path / "out.sarif").write_text("earlier")
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "these outputs are the formats in .defa-check.yaml (`force: true` there" in err
    code, _, err = run("check", "-f", "sarif", "-o", "out.sarif", cwd=tmp_path)  # typed: as before
    assert code == 2 and "already exists; pass --force" in err and "formats in" not in err
    assert (tmp_path / "out.sarif").read_text() == "earlier"
    # A missing folder: `force: true` would not help, so it is not offered (a user trial).
    (tmp_path / ".defa-check.yaml").write_text(
        "manifests: [m/a.yaml]\nformats:\n  - {format: sarif, output: no-such/out.sarif}\n"
    )
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "folder no-such does not exist" in err and "force: true" not in err


def test_settings_messages_name_the_file_read_and_what_to_write(tmp_path: Path) -> None:
    """With settings in pyproject.toml only, "set `manifests` in .defa-check.yaml" named a file
    that did not exist; `strict: yes` got no hint (manifests get "write true"). A user trial."""
    (tmp_path / "pyproject.toml").write_text('[tool.defa-check]\nfail_on = "medium"\n')
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "set `manifests` in pyproject.toml [tool.defa-check])" in err
    (tmp_path / ".defa-check.yaml").write_text("strict: yes\nforce: 'false'\n")
    code, _, err = run("check", cwd=tmp_path)
    assert code == 2 and "$.strict: setting 'strict' must be true or false (write true)" in err
    assert "$.force: setting 'force' must be true or false (write false without quotes)" in err


def test_diff_says_when_a_new_finding_is_not_in_force_yet(tmp_path: Path) -> None:
    """A user trial: a rule in force from 2031 read "New: HIGH fail" in the diff, as if it failed
    the run; upcoming findings never do."""
    example = str(ROOT / "examples" / "sg-shop-selling-into-vn.yaml")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    run("check", example, "-c", "SG", "--as-of", "2026-11-29", "-f", "json", "-o", str(old))
    run("check", example, "--as-of", "2026-11-29", "-f", "json", "-o", str(new))
    rules = json.loads(new.read_text())["rules"]  # report version 3: a rule's dates once, in its table
    upcoming = [rule_id for rule_id, rule in rules.items() if rule["upcoming"]]
    assert upcoming, "the example has a rule not in force yet"
    rule_id, when = upcoming[0], rules[upcoming[0]]["effective_from"]
    _, out, err = run("diff", str(old), str(new))
    # ... and that the earlier report never checked Viet Nam, so its findings there all read as new.
    assert (
        "notice: the earlier report did not check Viet Nam (VN): its findings there are listed as new" in err
    )
    _, _, err_back = run("diff", str(new), str(old))
    assert (
        "the later report did not check Viet Nam (VN): its findings there are listed as resolved" in err_back
    )
    _, _, err_same = run("diff", str(new), str(new))
    assert "did not check" not in err_same
    line = next(line for line in out.splitlines() if rule_id in line)
    assert f"{rule_id} (in force from {when})" in line, line  # after the id: the columns stay aligned
    _, out, _ = run("diff", str(old), str(new), "--format", "markdown")
    assert f"(in force from {when})** `{rule_id}`" in out


def test_a_missing_waiver_file_is_said_to_be_missing_not_invalid(tmp_path: Path) -> None:
    """A user trial: "waiver.yaml: no such file", then "error: waiver.yaml: invalid waiver file"."""
    missing = tmp_path / "waiver.yaml"
    code, _, err = run("check", str(SMALL), *BASE, "--waivers", str(missing))
    assert code == 2 and "no such file" in err and "invalid waiver file" not in err
    assert "the waiver file cannot be read; nothing was checked" in err
    code, _, err = run("waivers", "lint", str(missing))
    assert code == 2 and "no such file" in err and "invalid waiver file" not in err
    missing.write_text("waivers: [{rule: X}]\n")  # readable and wrong: invalid, as before
    code, _, err = run("check", str(SMALL), *BASE, "--waivers", str(missing))
    assert code == 2 and "invalid waiver file" in err


def test_a_waiver_that_matched_nothing_says_why_once(tmp_path: Path) -> None:
    """A user trial: a mistyped rule id got "names no known rule" and "matched no finding" both; a
    waiver whose findings an earlier one had waived said only "matched no finding"."""
    waivers = write_waivers(
        tmp_path / "w.yaml",
        WAIVE_TRANSFER,
        {**WAIVE_TRANSFER, "rule": "AQ-TRANSFER-001"},  # the same findings, already waived
        {**WAIVE_TRANSFER, "rule": "AQ-TRANSFR-001"},  # a typo
    )
    out = tmp_path / "r.json"
    run("check", str(SMALL), *BASE, "--waivers", str(waivers), "-f", "json", "-o", str(out))
    notices = json.loads(out.read_text())["notices"]
    typo = [n for n in notices if "AQ-TRANSFR-001" in n]
    assert len(typo) == 1 and "names no known rule" in typo[0], typo
    shadowed = [n for n in notices if "waiver for AQ-TRANSFER-001 " in n]
    assert len(shadowed) == 1, notices
    assert "waived by an earlier waiver for AQ-TRANSFER-* on flow out (" in shadowed[0], shadowed
