"""MSME and consultant workflow: plan, countries, --horizon (init: tests/test_init.py)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.packs.loader import load_catalog

from .conftest import FIXTURES, ROOT

runner = CliRunner()
PROJECT = str(FIXTURES / "project")


def test_plan_lists_assumptions_and_an_ordered_todo(tmp_path: Path) -> None:
    example = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    result = runner.invoke(
        app,
        [
            "plan",
            str(example),
            "--expand-to",
            "ID,TH",
            "--customers",
            "5000",
            "--as-of",
            "2026-11-27",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["expand_to"] == ["ID", "TH"]
    assert any("customers' data goes from ID to SG" in a for a in data["assumptions"])
    ids = [t["rule_id"] for t in data["todo"]]
    assert "ID-REG-001" in ids  # register as an electronic system operator
    assert all(t["country"] in ("ID", "TH") for t in data["todo"])
    # Countries in the order given; within each, what to do first, then what to find out.
    assert [t["country"] for t in data["todo"]] == sorted(
        (t["country"] for t in data["todo"]), key=["ID", "TH"].index
    )
    for country in ("ID", "TH"):
        labels = [t["label"] for t in data["todo"] if t["country"] == country]
        assert labels == sorted(labels, key=lambda label: label != "Do")
    assert all(t["effort"] for t in data["todo"])
    md = runner.invoke(app, ["plan", str(example), "--expand-to", "ID", "-f", "markdown"]).stdout
    assert md.startswith("# Expansion plan for ") and "## What we assumed" in md and "```yaml" in md


def test_countries_matrix_cells_come_from_the_profiles() -> None:
    catalog = load_catalog()
    result = runner.invoke(app, ["countries", "--format", "json"])
    data = json.loads(result.stdout)
    assert [c["code"] for c in data["countries"]] == sorted(catalog.profiles)
    assert len(data["countries"]) == 11
    for country in data["countries"]:
        profile = catalog.profiles[country["code"]].data
        for topic, cell in country["topics"].items():
            assert cell["position"] == profile["topics"][topic]["position"]
            assert cell["short"] == profile["topics"][topic].get("short")
    md = runner.invoke(app, ["countries", "--format", "markdown"]).stdout
    assert "| ASEAN Model Contractual Clauses |" in md and "| Global CBPR participant |" in md
    console = runner.invoke(app, ["countries"]).stdout
    assert "TL" in console and "● requirement in force" in console
    csv_out = runner.invoke(app, ["countries", "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("topic,BN,ID,KH")


def test_countries_one_profile_and_unknown_code() -> None:
    result = runner.invoke(app, ["countries", "vn"])
    assert result.exit_code == 0
    assert "Viet Nam (VN)" in result.stdout and "Law on Personal Data Protection" in result.stdout
    bad = runner.invoke(app, ["countries", "VM"])
    assert bad.exit_code == 2 and "did you mean" in bad.stderr


def test_horizon_lists_what_comes_into_force_within_the_window() -> None:
    manifest = FIXTURES / "manifests" / "aq-small.yaml"
    base = ["check", str(manifest), "--rules-dir", PROJECT, "--fail-on", "never"]
    inside = runner.invoke(app, [*base, "--as-of", "2029-06-01", "--horizon", "12"])
    assert "Coming into force in the next 12 months (1)" in inside.stdout
    assert "2030-01-01  AQ-DPO-001" in inside.stdout
    outside = runner.invoke(app, [*base, "--as-of", "2029-06-01", "--horizon", "3"])
    assert "Coming into force in the next 3 months (0)" in outside.stdout


def test_plan_skips_markets_already_served_and_accepts_country_names() -> None:
    example = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    result = runner.invoke(app, ["plan", str(example), "--expand-to", "Thailand,VN", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["expand_to"] == ["TH", "VN"]
    assert "Viet Nam (VN): you already sell there; nothing was added for it." in data["assumptions"]
    assert all(t["country"] != "VN" for t in data["todo"])


def test_one_country_profile_as_markdown_and_json() -> None:
    md = runner.invoke(app, ["countries", "VN", "--format", "markdown"]).stdout
    assert md.startswith("# Viet Nam (VN)") and "## Instruments" in md and "## Regulators" in md
    data = json.loads(runner.invoke(app, ["countries", "VN", "--format", "json"]).stdout)
    assert data["countries"][0]["instruments"] and data["countries"][0]["regulators"]


def test_one_country_profile_as_html() -> None:
    html = runner.invoke(app, ["countries", "SG", "--format", "html"]).stdout
    assert "<h1>Singapore (SG)</h1>" in html and "<h2>Instruments</h2>" in html
    assert "<script" not in html and "Content-Security-Policy" in html


def test_countries_matrix_shows_the_pillars_a_profile_states(tmp_path: Path) -> None:
    """A pillar position in a profile (payments, cybersecurity, identity) becomes a matrix row."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", project)
    profile = next((project / "countries").glob("*.yaml"))
    text = profile.read_text(encoding="utf-8")
    text += (
        "pillars:\n  digital_payments:\n    position: requirement\n    short: Card data stays onshore\n"
        "    summary: Payment data must be processed locally.\n    sources: [https://example.invalid/pay]\n"
    )
    profile.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["countries", "--format", "markdown", "--rules-dir", str(project)])
    assert result.exit_code == 0, result.stderr
    assert "- **Digital payments** (requirement): Payment data must be processed locally." in result.stdout
    matrix = runner.invoke(app, ["countries", "--format", "csv", "--rules-dir", str(project)])
    assert "Digital payments,● Card data stays onshore" in matrix.stdout
