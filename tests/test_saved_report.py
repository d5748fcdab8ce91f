"""The JSON report (version 3) as a saved file: its layout, and that `report`, `diff` and
`--baseline` get back exactly the findings `check` had, so every format renders the same.

Version 3 leaves out of each finding what the report can restore: the rule's usual message,
why and evidence per status (`rules[id].defaults`), a needs_info message's ending (rebuilt
from `missing`), the manifest's path in a location, empty lists and nulls.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from defa_check import records
from defa_check.cli import app
from defa_check.inputs.saved_report import load_report
from defa_check.model import Location, Report, Status, Subject, Waiver
from defa_check.render import FORMATS, RenderOptions, get_format

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
BASE = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]
EVERY_STATUS = FIXTURES / "manifests" / "aq-every-status.yaml"
SCHEMA = ROOT / "defa_check" / "schemas" / "report.schema.json"
runner = CliRunner()

WAIVER = {
    "rule": "AQ-TRANSFER-*",
    "flow": "out",
    "justification": "Contract clauses signed 2026-10-01; upload pending.",
    "approved_by": "DPO, A. Tan",
    "expires": "2027-01-31",
}

# What a report counting not-applicable findings cannot render as `check` did: CSV has one row
# per finding, and the deliverable names the subjects a rule does not apply to.
NEEDS_THEM_LISTED = {"csv", "html", "pdf", "docx"}


def cli(*args: str) -> bytes:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout_bytes


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The every-status manifest, a waiver file and a baseline made before the flow `unknown`."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copy(EVERY_STATUS, folder / "flows.yaml")
    (folder / "waivers.yaml").write_text(yaml.safe_dump({"waivers": [WAIVER]}), encoding="utf-8")
    earlier = yaml.safe_load(EVERY_STATUS.read_text(encoding="utf-8"))
    earlier["flows"] = [f for f in earlier["flows"] if f["id"] != "unknown"]
    (folder / "earlier.yaml").write_text(yaml.safe_dump(earlier, sort_keys=False), encoding="utf-8")
    cli("baseline", "create", str(folder / "earlier.yaml"), "--output", str(folder / "baseline.json"), *BASE)
    return folder


@pytest.fixture
def project(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder for a test, so the reports name the manifest `flows.yaml`."""
    monkeypatch.chdir(folder)
    return folder


CHECK = ["check", "flows.yaml", *BASE, "--waivers", "waivers.yaml", "--baseline", "baseline.json"]


def saved(name: str, *extra: str) -> dict[str, Any]:
    cli(*CHECK, "--format", "json", "--output", name, "--force", *extra)
    data: dict[str, Any] = json.loads(Path(name).read_text(encoding="utf-8"))
    return data


def test_the_fixture_gives_every_status_upcoming_waived_and_baseline_findings(project: Path) -> None:
    data = saved("listed.json", "--include-not-applicable")
    rows = data["findings"]
    assert {r["status"] for r in rows} == {s.value for s in Status}
    assert {r.get("in_baseline") for r in rows} == {True, False, None}
    assert any(r["status"] == "waived" and r["waiver"]["approved_by"] == "DPO, A. Tan" for r in rows)
    assert any(r["status"] == "review" and r["verdict"] == "fail" for r in rows)
    assert {rule["upcoming"] for rule in data["rules"].values()} == {True, False}
    assert any(rule["draft"] for rule in data["rules"].values())
    assert any(r["subject"].get("name") == "Orders sent to Singapore" for r in rows)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_from_the_saved_report_is_byte_identical_to_check(project: Path, name: str) -> None:
    """`report saved.json --format X` gives what `check --format X` gave, for every format,
    from a report listing every finding; from one counting the not-applicable findings,
    for every format that does not name them one by one."""
    options = ["--title", "Round trip", "--prepared-by", "Tester"]
    for saved_as, extra in (("listed.json", ["--include-not-applicable"]), ("counted.json", [])):
        if saved_as == "counted.json" and name in NEEDS_THEM_LISTED:
            continue
        saved(saved_as, *extra)
        cli(*CHECK, "--format", name, "--output", f"direct.{name}", "--force", *extra, *options)
        cli("report", saved_as, "--format", name, "--output", f"again.{name}", "--force", *extra, *options)
        direct, again = Path(f"direct.{name}").read_bytes(), Path(f"again.{name}").read_bytes()
        assert len(direct) > 100
        assert again == direct, (saved_as, name)


def test_findings_leave_out_what_their_rule_says(project: Path) -> None:
    data = saved("listed.json", "--include-not-applicable")
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    assert data["report_version"] == 3
    text = Path("listed.json").read_text(encoding="utf-8")
    finding_lines = text.split('"findings": [\n', 1)[1].splitlines()[:-2]
    assert len(finding_lines) == len(data["findings"])  # one finding per line
    assert all(json.loads(line.rstrip(",")) in data["findings"] for line in finding_lines)
    for row in data["findings"]:
        assert "message" not in row  # every finding here says what its rule usually says
        assert row.get("missing") != [] and "path" not in row["location"]
        assert "title" not in row and "citation" not in row and "remediation" not in row
    asked = [r for r in data["findings"] if r["status"] == "needs_info"]
    assert asked and all(r["missing"] for r in asked)
    usual = data["rules"]["AQ-TRANSFER-001"]["defaults"]
    assert usual["needs_info"] == {
        "message": "The manifest does not say enough to decide this requirement.",
        "why": ["the data leaves Testland (fixture)"],
    }
    assert usual["waived"]["message"] == "No transfer mechanism."
    assert set(usual) == {"needs_info", "not_applicable", "pass", "waived"}


def test_whole_findings_are_restored_from_the_saved_report(project: Path) -> None:
    """Through the API: `load_report` gives back each finding, field by field."""
    from defa_check.evaluate.document import check_file
    from defa_check.evaluate.waivers import apply_baseline, apply_waivers
    from defa_check.inputs.waiver_file import load_waivers
    from defa_check.packs.loader import load_catalog

    catalog = load_catalog(Path(PROJECT))
    direct = check_file("flows.yaml", catalog, dt.date(2026, 11, 27)).report
    assert direct is not None
    waivers, problems = load_waivers(Path("waivers.yaml"))
    assert problems == []
    baseline, problems = load_report(Path("baseline.json"))
    assert problems == [] and baseline is not None
    direct = apply_baseline(apply_waivers(direct, waivers, {r.id for r in catalog.rules}), baseline)
    saved("listed.json", "--include-not-applicable")
    again, problems = load_report(Path("listed.json"))
    assert problems == [] and again is not None
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in direct.findings]


def unlike_their_rules(report: Report) -> Report:
    """``report`` with findings that differ from their rule's usual text in every way a finding can."""
    by_status: dict[tuple[str, Status], list[Any]] = {}
    for f in report.findings:
        by_status.setdefault((f.rule_id, f.status), []).append(f)
    fail = next(f for f in report.findings if f.status is Status.FAIL and f.why and f.evidence)
    asked = next(f for f in report.findings if f.status is Status.NEEDS_INFO and f.missing)
    odd = [
        # a fail with no reason and other evidence than the rule's other fails
        records.replace(fail, subject=Subject("flow", "zz-1"), why=(), evidence=("something else",)),
        records.replace(fail, subject=Subject("flow", "zz-2", "Named flow")),
        records.replace(fail, subject=Subject("flow", "zz-3")),
        # its own message; a needs_info message of its own; other facts missing; an ending
        # that `missing` does not give
        records.replace(fail, subject=Subject("flow", "zz-4"), message="A message of its own."),
        records.replace(asked, subject=Subject("flow", "zz-5"), message="Say more."),
        records.replace(
            asked,
            subject=Subject("flow", "zz-6"),
            missing=("$.a", "$.b"),
            message=asked.message_base + " Add to the manifest: $.a, $.b.",
        ),
        records.replace(asked, subject=Subject("flow", "zz-7"), missing=(), message=asked.message),
        # placed in another file, or nowhere
        records.replace(fail, subject=Subject("flow", "zz-8"), location=Location("other.yaml", 4, 2)),
        records.replace(fail, subject=Subject("flow", "zz-9"), location=None),
        # its rule's fields differ from the rule's first finding
        records.replace(
            fail,
            subject=Subject("flow", "zz-10"),
            rule=records.replace(fail.rule, title="Another title", effective_until=dt.date(2031, 1, 1)),
        ),
        # waived, and outside a baseline
        records.replace(
            fail,
            subject=Subject("flow", "zz-11"),
            status=Status.WAIVED,
            verdict=Status.FAIL,
            waiver=Waiver(
                "AQ-*", "Accepted.", "A. Tan", dt.date(2027, 1, 31), location=Location("w.yaml", 2, 5)
            ),
        ),
        records.replace(fail, subject=Subject("flow", "zz-12"), in_baseline=False),
        records.replace(fail, subject=Subject("flow", "zz-13"), in_baseline=True),
    ]
    findings = sorted((*report.findings, *odd), key=lambda f: f.sort_key)
    return records.replace(report, findings=tuple(findings))


def test_findings_unlike_their_rule_survive_a_saved_report(project: Path, tmp_path: Path) -> None:
    data = saved("listed.json", "--include-not-applicable")
    base, problems = load_report(Path("listed.json"))
    assert problems == [] and base is not None and len(data["findings"]) == len(base.findings)
    report = unlike_their_rules(base)
    path = tmp_path / "odd.json"
    path.write_bytes(get_format("json").render_bytes(report, RenderOptions(include_not_applicable=True)))
    rows = {r["subject"]["id"]: r for r in json.loads(path.read_text(encoding="utf-8"))["findings"]}
    assert rows["zz-1"]["why"] == [] and rows["zz-1"]["evidence"] == ["something else"]
    assert "why" not in rows["zz-2"] and "message" not in rows["zz-3"]
    assert rows["zz-4"]["message"] == "A message of its own." and rows["zz-5"]["message"] == "Say more."
    assert "message" not in rows["zz-6"] and "message" in rows["zz-7"]  # its ending is not `missing`
    assert rows["zz-8"]["location"] == {"path": "other.yaml", "line": 4, "column": 2}
    assert "location" not in rows["zz-9"]
    assert rows["zz-10"]["title"] == "Another title" and rows["zz-10"]["effective_until"] == "2031-01-01"
    assert rows["zz-12"]["in_baseline"] is False
    again, problems = load_report(path)
    assert problems == [] and again is not None
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]
    for name in sorted(FORMATS):
        result = runner.invoke(app, ["report", str(path), "--format", name, "--include-not-applicable"])
        assert result.exit_code == 0, result.stderr
        expected = get_format(name).render_bytes(report, RenderOptions(include_not_applicable=True))
        assert result.stdout_bytes == expected, name


def test_a_version_2_report_is_read_as_it_was_written() -> None:
    """A report saved by v0.2.0 (version 2) renders as the same findings checked today do.

    (The fixture's one evidence line is in today's words: a saved report keeps its wording as written.)"""
    old = FIXTURES / "reports" / "aq-small.v2.json"
    assert json.loads(old.read_text(encoding="utf-8"))["report_version"] == 2
    result = runner.invoke(app, ["report", str(old), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (ROOT / "tests" / "golden" / "aq-small.json").read_bytes()
    golden = ROOT / "tests" / "golden" / "aq-small.json"
    for name in ("console", "markdown", "sarif", "csv", "junit"):
        from_2 = runner.invoke(app, ["report", str(old), "--format", name])
        from_3 = runner.invoke(app, ["report", str(golden), "--format", name])
        assert from_2.exit_code == from_3.exit_code == 0, from_2.stderr
        assert from_2.stdout_bytes == from_3.stdout_bytes, name


def test_a_version_2_report_works_as_a_baseline_and_in_diff(tmp_path: Path) -> None:
    old = FIXTURES / "reports" / "aq-small.v2.json"
    result = runner.invoke(
        app, ["check", str(FIXTURES / "manifests" / "aq-small.yaml"), *BASE, "--baseline", str(old)]
    )
    assert result.exit_code == 0, result.stderr  # every failing finding is in the baseline
    new = tmp_path / "new.json"
    cli(
        "check",
        str(FIXTURES / "manifests" / "aq-small.yaml"),
        *BASE,
        "--format",
        "json",
        "--output",
        str(new),
    )
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["new"] == [] and diff["resolved"] == []


def test_a_finding_without_a_message_needs_its_rules_default(tmp_path: Path) -> None:
    data = json.loads((ROOT / "tests" / "golden" / "aq-small.json").read_text(encoding="utf-8"))
    del data["rules"]["AQ-DPO-001"]["defaults"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert "$.findings[0]" in result.stderr and "no default message for status 'needs_info'" in result.stderr
    assert f"{path}:" in result.stderr and f"{path}: $" not in result.stderr  # located at a line


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_documented_jq_program_gives_whole_findings(project: Path) -> None:
    """docs/whole-findings.jq (shown in docs/json-report.md) turns each finding back into the whole
    finding version 1 wrote: a person with jq can read version 3 without defa-check."""
    program = ROOT / "docs" / "whole-findings.jq"
    assert program.read_text(encoding="utf-8") in (ROOT / "docs" / "json-report.md").read_text(
        encoding="utf-8"
    )
    saved("listed.json", "--include-not-applicable")
    report, _ = load_report(Path("listed.json"))
    assert report is not None
    out = subprocess.run(
        ["jq", "-c", "-f", str(program), "listed.json"], capture_output=True, text=True, check=True
    ).stdout
    whole = [json.loads(line) for line in out.splitlines()]

    def plain(finding: dict[str, Any]) -> dict[str, Any]:
        empty = ([], None)
        return {
            k: v
            for k, v in finding.items()
            if not (k in ("why", "evidence", "effective_until") and v in empty)
        }

    assert [plain(f) for f in whole] == [plain(f.to_dict()) for f in report.findings]


def test_more_problems_than_shown_are_the_same_first_ones_on_every_run(tmp_path: Path) -> None:
    """A version-3 report labelled version 1 has hundreds of problems, one per rule entry. The
    first hundred shown must not depend on the interpreter's hash seed (jsonschema checks a
    mapping's extra keys in the order of a set; a user trial saw a different list on each run)."""
    import os
    import sys

    manifest = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    saved = tmp_path / "base.json"
    subprocess.run(
        [sys.executable, "-m", "defa_check", "check", str(manifest), "-f", "json", "-o", str(saved)],
        capture_output=True,
        check=False,
    )
    data = json.loads(saved.read_text())
    data["report_version"] = 1
    saved.write_text(json.dumps(data))
    outputs = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run(
            [sys.executable, "-m", "defa_check", "check", str(manifest), "--baseline", str(saved)],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert proc.returncode == 2
        assert b"more" in proc.stderr  # more problems than are shown
        outputs.add(proc.stderr)
    assert len(outputs) == 1
