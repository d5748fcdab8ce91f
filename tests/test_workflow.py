"""MSME and consultant workflow: init, plan, countries, --horizon."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.inputs import source as yamlio
from defa_check.inputs.manifest import validate_manifest
from defa_check.packs.loader import load_catalog
from defa_check.workflows import interview

from .conftest import FIXTURES, ROOT

runner = CliRunner()
PROJECT = str(FIXTURES / "project")

# One answer per prompt, in order, as a person would type them.
ANSWERS = [
    "Lotus Crafts",  # name
    "Singapore",  # home country, by name
    "small",
    "30",
    "ecommerce",
    "Vietnam, ID",  # sells to
    "y", "y", "n", "n", "n", "n", "y", "n", "n",  # data kinds: contact, cards, ..., behaviour
    "n",  # children
    "12000",  # customers a year
    "ap-southeast-1",  # storage: a cloud region
    "aws",
    "y", "Stripe", "US",  # one service
    "n",  # no more services
    "y",  # DPO
]  # fmt: skip


def run_init(tmp_path: Path, answers: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "defa_check", "init", "--output", str(tmp_path / "flows.yaml"), *args],
        input="\n".join(answers) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


def test_init_interview_driven_through_its_real_prompts(tmp_path: Path) -> None:
    proc = run_init(tmp_path, ANSWERS)
    assert proc.returncode == 0, proc.stderr
    assert "What is your business called?" in proc.stderr
    assert "Next steps" in proc.stderr and "Summary" in proc.stderr  # the first check ran
    text = (tmp_path / "flows.yaml").read_text()
    assert text.startswith("# defa-check flow manifest")
    data = yaml.safe_load(text)
    assert data["organization"]["home_country"] == "SG" and data["organization"]["dpo_appointed"] is True
    assert {m["country"] for m in data["markets"]} == {"VN", "ID"}
    assert data["systems"][0]["country"] == "SG"  # ap-southeast-1
    vn = next(f for f in data["flows"] if f["from"] == "VN")
    assert vn["to"] == "SG" and vn["subjects"]["count"] == 12000
    assert vn["data_categories"] == [
        "user.name",
        "user.contact",
        "user.financial.credit_card",
        "user.behavior",
    ]
    stripe = next(f for f in data["flows"] if f["recipient"]["name"] == "Stripe")
    assert stripe["to"] == "US" and stripe["recipient"]["role"] == "processor"
    assert validate_manifest(yamlio.load(tmp_path / "flows.yaml")) == []


def test_init_asks_again_on_a_bad_answer(tmp_path: Path) -> None:
    answers = [*ANSWERS[:1], "Atlantis", "SG", *ANSWERS[2:]]
    proc = run_init(tmp_path, answers)
    assert proc.returncode == 0, proc.stderr
    assert "'Atlantis' is not a country code" in proc.stderr


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    (tmp_path / "flows.yaml").write_text("mine\n")
    proc = run_init(tmp_path, ANSWERS)
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert (tmp_path / "flows.yaml").read_text() == "mine\n"
    assert run_init(tmp_path, ANSWERS, "--force").returncode == 0


def test_init_stops_cleanly_when_input_ends(tmp_path: Path) -> None:
    proc = run_init(tmp_path, ANSWERS[:3])
    assert proc.returncode == 2 and "nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "flows.yaml").exists()


def test_init_non_interactive(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    result = runner.invoke(
        app,
        ["init", "--non-interactive", "--name", "Sen Pay", "--home", "Viet Nam", "--sell-to", "VN,TH",
         "--data", "contact", "--data", "bank", "--store", "us-east-1", "--service", "Mailer Inc:IE",
         "--customers", "500", "--no-dpo", "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(out.read_text())
    assert data["organization"]["home_country"] == "VN" and data["organization"]["dpo_appointed"] is False
    assert [m["country"] for m in data["markets"]] == ["TH"]
    assert data["systems"][0]["country"] == "US"
    bad = runner.invoke(
        app,
        [
            "init",
            "--non-interactive",
            "--name",
            "X",
            "--home",
            "Narnia",
            "--size",
            "huge",
            "-o",
            str(tmp_path / "x"),
        ],
    )
    # Every bad flag at once, each named, and nothing written.
    assert bad.exit_code == 2 and "--home: 'Narnia' is not a country" in bad.stderr
    assert "--size: 'huge'" in bad.stderr and "[usage]" in bad.stderr
    assert not (tmp_path / "x").exists()


countries_st = st.sampled_from(["SG", "VN", "ID", "TH", "MY", "PH", "BN", "KH", "LA", "MM", "TL", "US", "JP"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip()),
    home=countries_st,
    size=st.sampled_from(["micro", "small", "medium", "large"]),
    employees=st.none() | st.integers(0, 10**6),
    sector=st.sampled_from(interview.SECTORS),
    sell_to=st.lists(countries_st, max_size=5),
    data=st.lists(st.sampled_from(list(interview.DATA_CHOICES)), max_size=9, unique=True),
    store=countries_st,
    services=st.lists(st.tuples(st.text(min_size=1, max_size=20), countries_st), max_size=3),
    customers=st.none() | st.integers(0, 10**7),
    children=st.booleans(),
    dpo=st.none() | st.booleans(),
)
def test_every_init_answer_gives_a_valid_manifest(**a: object) -> None:
    answers = interview.Answers(
        name=a["name"], home_country=a["home"], size=a["size"], employees=a["employees"],  # type: ignore[arg-type]
        sectors=[a["sector"]], sell_to=sorted(set(a["sell_to"]) - {a["home"]}), data=a["data"],  # type: ignore[arg-type,operator]
        storage_country=a["store"], storage_provider=None,  # type: ignore[arg-type]
        services=[interview.Service(n, c) for n, c in a["services"]],  # type: ignore[attr-defined]
        customers=a["customers"], children=a["children"], dpo_appointed=a["dpo"],  # type: ignore[arg-type]
    )  # fmt: skip
    doc = yamlio.loads(interview.manifest_text(answers, "flows.yaml"), "flows.yaml")
    assert validate_manifest(doc) == []


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
    statuses = [t["status"] for t in data["todo"]]
    assert statuses == sorted(statuses, key=lambda s: s != "fail")  # fails first
    assert all(t["effort"] for t in data["todo"])
    md = runner.invoke(app, ["plan", str(example), "--expand-to", "ID", "-f", "markdown"]).stdout
    assert md.startswith("# Expansion plan: ID") and "## What we assumed" in md


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
    assert "VN: you already sell there; nothing was added for it." in data["assumptions"]
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
