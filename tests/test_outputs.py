"""Each output format, checked the way its consumers check it.

SARIF against the OASIS 2.1.0 schema, JUnit against the Jenkins xUnit XSD, and
every format against a hostile report whose strings try to break out of their
cell, tag, row or line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from defa_check import records
from defa_check.cli import app
from defa_check.evaluate.document import check_document
from defa_check.inputs import source as yamlio
from defa_check.model import (
    Citation,
    Confidence,
    Finding,
    Location,
    PackInfo,
    Report,
    RuleText,
    Severity,
    Status,
    Subject,
)
from defa_check.packs.loader import Catalog
from defa_check.render import RenderOptions, get_format
from defa_check.render.escape import safe_cell

from .conftest import AS_OF, FIXTURES, ROOT

SCHEMAS = Path(__file__).parent / "schemas"
SMALL = FIXTURES / "manifests" / "aq-small.yaml"
PROJECT = str(FIXTURES / "project")
EVIL = (
    "</td></tr><script>alert(\"x\")</script> | =cmd|' /C calc'!A0 `tick` ]]> & %0A\n::error::pwn\r\n# heading"
)


def report_for(text: str, catalog: Catalog) -> Report:
    result = check_document(yamlio.loads(text, "flows.yaml"), catalog, AS_OF)
    assert result.report is not None, result.problems
    return result.report


@pytest.fixture(scope="module")
def small(test_catalog: Catalog) -> Report:
    return report_for(SMALL.read_text(), test_catalog)


def hostile_report() -> Report:
    text = RuleText(
        rule_id="AQ-TRANSFER-001",
        country="AQ",
        topic="transfer",
        severity=Severity.HIGH,
        title=EVIL,
        citation=Citation(EVIL, EVIL, "javascript:alert(1)"),
        remediation=EVIL,
        effective_from=dt.date(2020, 1, 1),
        effective_until=None,
        upcoming=False,
        confidence=Confidence.HIGH,
        draft=False,
    )
    finding = Finding(
        rule=text,
        status=Status.FAIL,
        subject=Subject("flow", "-2+3"),
        message=EVIL,
        missing=(),
        location=Location("dir/fl ows,:%.yaml", 3, 5),
    )
    return Report(
        "1.0", AS_OF, EVIL, "0" * 64, EVIL, (PackInfo("AQ", "2026.11", "2026-11-01"),), (finding,), ("AQ",)
    )


def test_sarif_is_valid_against_the_oasis_schema(small: Report) -> None:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    validator_cls = jsonschema.validators.validator_for(schema)
    for report in (small, hostile_report()):
        log = json.loads(get_format("sarif").render(report))
        errors = list(validator_cls(schema).iter_errors(log))
        assert errors == [], [e.message for e in errors[:3]]
    log = json.loads(get_format("sarif").render(small))
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(set(rule_ids))
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
    levels = {(r["ruleId"], r["properties"]["subject"]): r["level"] for r in run["results"]}
    assert levels[("AQ-TRANSFER-001", "flow:out")] == "error"
    assert levels[("AQ-TRANSFER-001", "flow:unknown")] == "none"  # needs_info: kind review, so no level


def test_sarif_fingerprints_survive_moved_lines(test_catalog: Catalog) -> None:
    text = SMALL.read_text()
    moved = "# a comment\n# and another\n" + text.replace("flows:\n", "flows:\n\n\n", 1)
    a = json.loads(get_format("sarif").render(report_for(text, test_catalog)))["runs"][0]["results"]
    b = json.loads(get_format("sarif").render(report_for(moved, test_catalog)))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in a] == [r["partialFingerprints"] for r in b]
    lines_a = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in a]
    lines_b = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in b]
    assert lines_a != lines_b
    assert len({r["partialFingerprints"]["defaCheckFinding/v1"] for r in a}) == len(a)


def test_fingerprint_depends_on_rule_country_and_subject_only() -> None:
    f = hostile_report().findings[0]
    moved = records.replace(f, location=Location("x", 99, 1))
    other = records.replace(f, subject=Subject("flow", "x"))
    assert f.fingerprint_hash == moved.fingerprint_hash != other.fingerprint_hash
    assert f.fingerprint == moved.fingerprint != other.fingerprint


def test_sarif_and_baselines_share_one_fingerprint(test_catalog: Catalog) -> None:
    """Code scanning's partialFingerprints are the hash of the key baselines and diff use."""
    report = report_for(SMALL.read_text(encoding="utf-8"), test_catalog)
    results = json.loads(get_format("sarif").render(report))["runs"][0]["results"]
    by_key = {f.fingerprint: f for f in report.findings}
    import hashlib

    for result in results:
        props = result["properties"]
        key = f"{result['ruleId']}|{props['country']}|{props['subject'].replace(':', '|', 1)}"
        expected = hashlib.sha256(by_key[key].fingerprint.encode()).hexdigest()[:32]
        assert result["partialFingerprints"]["defaCheckFinding/v1"] == expected


def test_junit_is_valid_against_the_xsd(small: Report) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    for report in (small, hostile_report()):
        text = get_format("junit").render(report)
        schema.validate(text)
    root = ET.fromstring(get_format("junit").render(small))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "defa-check.AQ"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["AQ-TRANSFER-001 flow out"].find("failure") is not None
    skipped = cases["AQ-TRANSFER-001 flow unknown"].find("skipped")
    assert skipped is not None and "$.flows[1].transfer_mechanisms" in (skipped.get("message") or "")
    fails = [f for f in small.findings if f.status is Status.FAIL and not f.upcoming]
    at_least_high = [f for f in fails if f.severity >= Severity.HIGH]
    assert 0 < len(at_least_high) < len(fails)  # the fixture has fails on both sides of the threshold
    # failures follow --fail-on: the default threshold (high), a lower one, and never
    assert int(root.get("failures") or 0) == len(at_least_high)
    for fail_on, expected in ((Severity.LOW, len(fails)), (None, 0)):
        options = RenderOptions(fail_on=fail_on)
        assert ET.fromstring(get_format("junit").render(small, options)).get("failures") == str(expected)
    below = next(f for f in fails if f.severity < Severity.HIGH)
    case = cases[f"{below.rule_id} {below.subject.label}"].find("skipped")
    assert case is not None and "below the fail threshold (high)" in (case.get("message") or "")
    assert below.remediation in (case.text or "")
    # needs_info names the missing facts in the message and says what to do in the text
    assert skipped.text and "What to do:" in skipped.text and "Missing: $.flows[1]" in skipped.text
    strict = ET.fromstring(get_format("junit").render(small, RenderOptions(strict=True)))
    needs_info_high = [
        f for f in small.findings
        if f.status is Status.NEEDS_INFO and not f.upcoming and f.severity >= Severity.HIGH
    ]  # fmt: skip
    assert strict.get("failures") == str(len(at_least_high) + len(needs_info_high))


def test_hostile_strings_stay_inside_their_containers() -> None:
    report = hostile_report()
    html = get_format("html").render(report)
    assert "<script>" not in html and "</td></tr><script>" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html
    md = get_format("markdown").render(report)
    # Inside a code span HTML is shown literally; everywhere else it must be escaped.
    outside_code = re.sub(r"(`+) .*? \1", "", md)
    assert "<script>" not in outside_code
    assert not any(line.startswith("# heading") for line in md.splitlines())
    table = [line for line in md.splitlines() if line.startswith("| AQ")]
    assert len(table) == 1 and table[0].count("|") == 9  # country, 6 statuses, upcoming
    root = ET.fromstring(get_format("junit").render(report))
    failure = root.find(".//failure")
    assert failure is not None and "<script>" in (
        failure.get("message") or ""
    )  # escaped in XML, intact as text
    rows = list(csv.reader(io.StringIO(get_format("csv").render(report))))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    assert rows[1][rows[0].index("subject_id")] == "'-2+3"
    github = get_format("github").render(report).splitlines()
    assert len(github) == 2 and github[0].startswith(
        "::error file=dir/fl ows%2C%3A%25.yaml,line=3,col=5,title="
    )
    assert "\n::error::pwn" not in get_format("github").render(report)
    sarif = json.loads(get_format("sarif").render(report))
    assert sarif["runs"][0]["results"][0]["message"]["text"].startswith(EVIL)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_csv_neutralises_formula_cells(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell
    assert safe_cell("plain") == "plain"
    # A carriage return (or any control) is shown, not kept: no cell can split a line.
    assert safe_cell("\rx") == "\\rx"


def test_junit_and_csv_on_standard_output_cannot_forge_ci_log_lines(tmp_path: Path) -> None:
    """Found by a trial: a waiver's justification (and a file name, a saved report's text) reached
    JUnit and CSV on stdout with raw newlines, ESC and `::error`/`::add-mask::` at a line start."""
    import shutil

    import yaml

    evil = "ok \x1b[31m\n::error file=x::pwned\n::add-mask::s\r\u009b long enough to justify it"
    waivers = tmp_path / "w.yaml"
    waiver = {
        "rule": "VN-TRANSFER-001",
        "justification": evil,
        "approved_by": "a@b.c",
        "expires": "2027-01-31",
    }
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}))
    name = tmp_path / "a\n::error file=x::pwned\x1b[31m\r.yaml"
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", name)
    for fmt in ("junit", "csv"):
        result = runner.invoke(
            app,
            [
                "check",
                str(name),
                "--as-of",
                "2026-12-01",
                "--waivers",
                str(waivers),
                "-f",
                fmt,
                "--fail-on",
                "never",
            ],
        )
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "pwned" in out, fmt  # the text is there, made inert
        assert not re.search(r"(?m)^[ \t]*::", out), fmt
        assert "\x1b" not in out and "\x9b" not in out and "\r" not in out.replace("\r\n", ""), fmt


runner = CliRunner()


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    a, b = tmp_path / "r.json", tmp_path / "r.sarif"
    result = runner.invoke(
        app,
        [
            "check",
            str(SMALL),
            "--rules-dir",
            PROJECT,
            "--as-of",
            "2026-11-27",
            "--format",
            "json",
            "--output",
            str(a),
            "--format",
            "sarif",
            "--output",
            str(b),
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 1, result.stderr
    assert json.loads(a.read_text())["tool"]["name"] == "defa-check"
    assert json.loads(b.read_text())["version"] == "2.1.0"
    assert result.stdout.startswith("# Data-flow compliance report")
    bad = runner.invoke(
        app, ["check", str(SMALL), "--format", "json", "--output", str(a), "--output", str(b)]
    )
    assert bad.exit_code == 2 and "one --output per --format" in bad.stderr


def test_output_suffix_picks_the_format(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    runner.invoke(app, ["check", str(SMALL), "--rules-dir", PROJECT, "--output", str(target)])
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_github_format_is_the_default_on_github_actions() -> None:
    result = runner.invoke(
        app,
        ["check", str(SMALL), "--rules-dir", PROJECT, "--as-of", "2026-11-27"],
        env={"GITHUB_ACTIONS": "true"},
    )
    # The fixture's rules folder has no SG or VN pack: that notice first, then the findings.
    notice, first, *_ = result.stdout.splitlines()
    assert notice.startswith("::warning title=defa-check::the rules folder") and "SG, VN" in notice
    assert first.startswith("::error file=")


def test_report_rerenders_a_saved_result_in_every_format(tmp_path: Path, small: Report) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(get_format("json").render(small))
    for name in ("console", "json", "sarif", "junit", "markdown", "html", "csv", "github"):
        result = runner.invoke(app, ["report", str(saved), "--format", name])
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == get_format(name).render_bytes(small), name


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.update(report_version=4), "written by a newer defa-check"),
        (lambda d: d.update(report_version=0), "written by an older defa-check"),
        (lambda d: d["tool"].update(name="other"), "not a defa-check JSON report"),
        (lambda d: d["findings"][0].update(status="maybe"), "'maybe' is not one of"),
    ],
)
def test_report_refuses_results_it_cannot_read(tmp_path: Path, small: Report, change, needle: str) -> None:  # type: ignore[no-untyped-def]
    data = small.to_dict()
    change(data)
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(data))
    result = runner.invoke(app, ["report", str(saved)])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "a older" not in result.stderr


def test_html_is_self_contained(small: Report) -> None:
    html = get_format("html").render(small)
    assert "Executive summary" in html and "<svg" in html and "@media print" in html
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html)
    assert not re.search(r"(src|srcset)=|@import|url\(", html)
    assert "Content-Security-Policy" in html
    assert "not legal advice" in html


def version_1(report: Report) -> dict[str, Any]:
    """``report`` as version 1 wrote it: every finding self-contained, none only counted."""
    data = report.to_dict(include_findings=False)
    del data["rules"], data["not_applicable"]
    return {**data, "report_version": 1, "findings": [f.to_dict() for f in report.findings]}


def test_version_1_reports_are_read_with_review_split_out(tmp_path: Path, small: Report) -> None:
    """Saved baselines from before the review status keep working."""
    data = version_1(small)
    del data["summary"]["review"]
    data["findings"].append(
        {
            **data["findings"][0],
            "status": "needs_info",
            "verdict": "fail",
            "confidence": "low",
            "upcoming": False,
        }
    )
    data["summary"]["needs_info"] += 1
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    from defa_check.inputs.saved_report import load_report

    loaded, problems = load_report(old)
    assert problems == [] and loaded is not None
    assert loaded.findings[-1].status is Status.REVIEW
    assert loaded.summary()["review"] == 1


@pytest.fixture(scope="module")
def with_not_applicable() -> Report:
    """A bundled example's report: many not-applicable findings, over several rules and countries."""
    from defa_check.evaluate.document import check_file
    from defa_check.packs.loader import load_catalog

    result = check_file(ROOT / "examples" / "regional-hr.yaml", load_catalog(), dt.date(2026, 11, 27))
    assert result.report is not None
    assert sum(f.status is Status.NOT_APPLICABLE for f in result.report.findings) > 20
    return result.report


def test_saved_report_without_not_applicable_findings_renders_the_same(
    tmp_path: Path, with_not_applicable: Report
) -> None:
    """The JSON report counts not-applicable findings instead of listing them; `report` on it
    gives exactly what rendering the check directly gives, in every format but CSV (one row
    per finding: it needs them listed, with --include-not-applicable)."""
    report = with_not_applicable
    counted, listed = tmp_path / "counted.json", tmp_path / "listed.json"
    for path, extra in ((counted, []), (listed, ["--include-not-applicable"])):
        path.write_bytes(
            get_format("json").render_bytes(report, RenderOptions(include_not_applicable=bool(extra)))
        )
    data = json.loads(counted.read_text())
    assert all(f["status"] != "not_applicable" for f in data["findings"])
    assert sum(n["count"] for n in data["not_applicable"]) == data["summary"]["not_applicable"] + sum(
        n["upcoming"] for n in data["not_applicable"]
    )
    assert len(listed.read_bytes()) > len(counted.read_bytes())
    for saved, formats in (
        (counted, ("console", "markdown", "html", "json", "sarif", "junit", "github")),
        (listed, ("console", "markdown", "html", "json", "sarif", "junit", "github", "csv")),
    ):
        for name in formats:
            result = runner.invoke(app, ["report", str(saved), "--format", name, "--all"])
            assert result.exit_code == 0, result.stderr
            direct = get_format(name).render_bytes(report, RenderOptions(limit=None))
            assert result.stdout_bytes == direct, (saved.name, name)
    again = runner.invoke(app, ["report", str(listed), "--format", "json", "--include-not-applicable"])
    assert again.stdout_bytes == listed.read_bytes()


def test_version_1_reports_with_not_applicable_findings_render_the_same(
    tmp_path: Path, with_not_applicable: Report
) -> None:
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(version_1(with_not_applicable)), encoding="utf-8")
    for name in ("console", "markdown", "csv"):
        result = runner.invoke(app, ["report", str(old), "--format", name])
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == get_format(name).render_bytes(with_not_applicable), name


@pytest.mark.parametrize(
    "command",
    [["check", "{m}"], ["report", "{r}"], ["plan", "{m}", "--expand-to", "PH"], ["countries", "SG"]],
)
def test_a_binary_format_is_not_poured_onto_a_terminal(tmp_path: Path, command: list[str]) -> None:
    """`check flows.yaml -f pdf` in a terminal printed the PDF's bytes (a user trial)."""
    import pty

    manifest = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    saved = tmp_path / "r.json"
    subprocess.run(
        [sys.executable, "-m", "defa_check", "check", str(manifest), "-f", "json", "-o", str(saved)],
        check=False,
        capture_output=True,
    )
    argv = [part.format(m=manifest, r=saved) for part in command]
    main, terminal = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "defa_check", *argv, "-f", "pdf"],
            stdout=terminal,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    finally:
        os.close(terminal)
        os.close(main)
    assert proc.returncode == 2
    assert b"binary file, not text for the terminal: give --output FILE.pdf" in proc.stderr, proc.stderr
