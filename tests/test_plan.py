"""`plan --expand-to`: a dated to-do list in the user's own terms."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.inputs import source as yamlio
from defa_check.inputs.manifest import validate_manifest
from defa_check.workflows.countries import TOPIC_LABELS

from .conftest import ROOT

runner = CliRunner()
EXAMPLE = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"

# A Singapore payments start-up with one flow and one market (Malaysia).
FINTECH = """\
manifest_version: 1
organization:
  name: Kopi Pay
  home_country: SG
  sectors: [fintech]
  establishments: [SG]
  local_representatives: []
systems:
  - {id: core, country: SG}
flows:
  - id: sg-users
    from: SG
    to: SG
    system: core
    subjects: {kinds: [customer], countries: [SG], count: 2000, children: false}
    data_categories: [user.name, user.contact.email, user.financial.bank_account]
    purposes: [essential.service.payment_processing]
    legal_bases: [contract]
    transfer_mechanisms: [contract_clauses]
markets:
  - {country: MY, role: seller, b2c: true, channels: [own_website]}
"""


def plan_json(manifest: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["plan", str(manifest), "--as-of", "2026-11-27", "-f", "json", *args])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_items_refer_to_the_users_file_and_never_to_positions_it_does_not_have(tmp_path: Path) -> None:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text(FINTECH)
    for fmt in ("console", "markdown", "json"):
        out = runner.invoke(app, ["plan", str(manifest), "--expand-to", "VN,ID", "-f", fmt]).stdout
        assert "$." not in out  # no JSONPath at all, least of all $.flows[1] in a one-flow file
        assert "flows[1]" not in out and "markets[1]" not in out
    data = plan_json(manifest, "--expand-to", "VN,ID")
    todo = data["todo"]
    assert isinstance(todo, list)
    abouts = {t["about"] for t in todo}
    assert {"proposed flow vn-customers", "proposed flow id-customers"} <= abouts
    assert all(t["location"] is None for t in todo if t["about"].startswith("proposed"))
    org = [t for t in todo if t["about"] == "your organization"]
    assert org and all(t["location"] == f"{manifest}:2" for t in org)  # `organization:` is on line 2


def test_countries_keep_the_order_given_and_labels_are_words(tmp_path: Path) -> None:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text(FINTECH)
    data = plan_json(manifest, "--expand-to", "VN,ID")
    assert data["expand_to"] == ["VN", "ID"]
    countries = [t["country"] for t in data["todo"]]  # type: ignore[attr-defined]
    assert countries == sorted(countries, key=["VN", "ID"].index)
    assert all(t["label"] in ("Do", "Find out", "Confirm with counsel") or t["label"].startswith("If ")
               for t in data["todo"])  # type: ignore[attr-defined]  # fmt: skip
    assert {t["topic"] for t in data["todo"]} <= set(TOPIC_LABELS.values())  # type: ignore[attr-defined]
    out = runner.invoke(app, ["plan", str(manifest), "--expand-to", "VN,ID"]).stdout
    text = " ".join(out.split())
    assert text.index("Viet Nam (VN), Indonesia (ID)") < text.index("To do")
    headings = re.findall(r"\d+\. (?:Do|Find out|Confirm with counsel|If [^—]*) \([^)]*\) — [^:]*:", text)
    assert len(headings) == len(data["todo"])  # type: ignore[arg-type]
    assert "Data localization" in text
    assert not [h for h in headings if any(f", {key}," in h for key in TOPIC_LABELS)]


def test_duties_that_need_an_entity_are_if_items_and_deadlines_count_from_the_start(tmp_path: Path) -> None:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text(FINTECH)
    data = plan_json(manifest, "--expand-to", "VN,ID", "--start", "2027-03-01")
    todo = {(t["rule_id"], t["about"]): t for t in data["todo"]}  # type: ignore[attr-defined]
    # OJK fintech data centres bind only an Indonesian entity: "If you set up ...", never "Find out".
    fintech = todo[("ID-LOCAL-004", "proposed flow id-customers")]
    assert fintech["label"] == "If you set up a company, branch or office in Indonesia (ID)"
    # Entering Indonesia means no ESO registration there yet: a plain "Do", due on the start date.
    eso = todo[("ID-REG-001", "proposed market ID")]
    assert (eso["label"], eso["due"]) == ("Do", "2027-03-01")
    # Viet Nam's transfer dossier is due 60 days after the first transfer, as the rule says.
    dossier = next(
        t for (rule, _), t in todo.items() if rule.startswith("VN-TRANSFER") and "60 days" in t["due_reason"]
    )
    assert dossier["due"] == "2027-04-30"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t["due"]) for t in todo.values())
    assert {t["due_reason"] for t in todo.values()} != {"before you start"}


def test_console_plan_is_wrapped_to_the_terminal_and_names_its_scope(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "plan", str(EXAMPLE), "--expand-to", "ID,TH"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    prose = proc.stdout.split("Proposed additions")[0]
    long_lines = [line for line in prose.splitlines() if len(line) > 80 and "http" not in line]
    assert long_lines == []
    assert "Scope:" in prose and "Not covered:" in prose


def test_the_proposed_block_pastes_into_the_users_file(tmp_path: Path) -> None:
    text = runner.invoke(app, ["plan", str(EXAMPLE), "--expand-to", "ID,TH"]).stdout
    block = text.split("Proposed additions")[1]
    flows_part = block.split("# under flows:\n")[1].split("\n\n")[0]
    markets_part = block.split("# under markets:\n")[1].split("# under flows:")[0]
    lines = EXAMPLE.read_text().splitlines(keepends=True)
    at = lines.index("markets:\n")  # in the example, flows come just before markets, which end the file
    pasted = "".join(lines[:at]) + flows_part + "\n" + "".join(lines[at:]) + markets_part
    target = tmp_path / "pasted.yaml"
    target.write_text(pasted)
    assert validate_manifest(yamlio.load(target)) == []
    data = yaml.safe_load(pasted)
    assert [f["id"] for f in data["flows"]][-2:] == ["id-customers", "th-customers"]
    assert [m["country"] for m in data["markets"]][-2:] == ["ID", "TH"]


def test_write_goes_to_a_new_file_never_over_the_original(tmp_path: Path) -> None:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text(FINTECH)
    refused = runner.invoke(app, ["plan", str(manifest), "--expand-to", "ID", "--write", str(manifest)])
    assert refused.exit_code == 2 and "your manifest itself" in refused.stderr
    assert manifest.read_text() == FINTECH
    new = tmp_path / "flows-with-id.yaml"
    made = runner.invoke(app, ["plan", str(manifest), "--expand-to", "ID", "--write", str(new)])
    assert made.exit_code == 0, made.stderr
    assert validate_manifest(yamlio.load(new)) == []
    assert [m["country"] for m in yaml.safe_load(new.read_text())["markets"]] == ["MY", "ID"]
    again = runner.invoke(app, ["plan", str(manifest), "--expand-to", "ID", "--write", str(new)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_assumptions_name_the_country_as_a_sentence_does_and_say_what_was_assumed(tmp_path: Path) -> None:
    """'- Philippines (PH): ...', and "as in your first market" for a b2c the first market did not
    state (a user trial)."""
    stated, unstated = tmp_path / "stated.yaml", tmp_path / "unstated.yaml"
    stated.write_text(FINTECH)
    unstated.write_text(FINTECH.replace(", role: seller, b2c: true", ""))

    def assumption(manifest: Path) -> str:
        result = runner.invoke(app, ["plan", str(manifest), "--as-of", "2026-11-27", "--expand-to", "PH"])
        assert result.exit_code == 0, result.stderr
        text = " ".join(result.stdout.split())
        return text.split("What we assumed (check these)")[1].split("To do")[0]

    said = assumption(stated)
    assert "The Philippines (PH): you sell online there as a seller to consumers" in said
    assert "as in your first market;" in said
    said = assumption(unstated)
    assert "as a shop usually does (your first market does not say);" in said


# A Malaysian shop: its store (Shopify) and a card processor (Stripe) are two places in the US.
TWO_PLACES = """\
manifest_version: 1
organization: {name: Batik Corner, home_country: MY, size: micro, employees: 8}
systems:
  - {id: store, country: US, provider: shopify}
  - {id: pay, country: US, provider: stripe}
flows:
  - id: my-customers
    from: MY
    to: US
    system: store
    recipient: {name: Shopify, role: processor}
    subjects: {kinds: [customer], countries: [MY], count: 3000}
    data_categories: [user.name, user.contact.email]
    purposes: [essential.service]
    retention: {until: indefinite}
  - id: sg-customers
    from: SG
    to: US
    system: store
    recipient: {name: Shopify, role: processor}
    subjects: {kinds: [customer], countries: [SG], count: 900}
    data_categories: [user.name, user.contact.address]
    purposes: [essential.service]
    safeguards: [encryption_in_transit]
    retention: {until: indefinite}
  - id: cards
    from: MY
    to: US
    system: pay
    recipient: {name: Stripe, role: processor}
    subjects: {kinds: [customer], countries: [MY, SG], count: 3900}
    data_categories: [user.financial.credit_card]
    purposes: [essential.service.payment_processing]
    transfer_mechanisms: [contract_clauses]
    retention: {until: purpose_ends}
markets:
  - {country: MY, role: seller, b2c: true, channels: [own_website], consumer_information: [contact]}
"""


def test_a_proposed_flow_assumes_only_what_the_flows_to_the_same_place_all_state(tmp_path: Path) -> None:
    """A user trial: the card processor's contract clauses and card data were claimed for the
    store's flow (so ID-TRANSFER-001 passed), and the retention and recipient every store flow
    states were dropped (so the plan asked for them)."""
    manifest = tmp_path / "shop.yaml"
    manifest.write_text(TWO_PLACES)
    plan: Any = plan_json(manifest, "--expand-to", "ID")
    additions = plan["proposed_additions"]
    (flow,) = additions["flows"]
    assert flow["system"] == "store"
    assert flow["data_categories"] == ["user.name", "user.contact.email", "user.contact.address"]
    assert "transfer_mechanisms" not in flow  # only the processor's flow states one
    assert "safeguards" not in flow  # one store flow states them, the other does not
    assert flow["recipient"] == {"name": "Shopify", "role": "processor"}
    assert flow["retention"] == {"until": "indefinite"}
    assert flow["description"].startswith("Customers in Indonesia (ID):")
    assert additions["markets"][0]["consumer_information"] == ["contact"]
    said = " ".join(plan["assumptions"])
    assert "recipient and retention period they all state" in said
    assert "transfer mechanisms and safeguards are left for you to state" in said
    # The transfer rule is a question for the owner, not a pass on someone else's contract.
    todo = {item["rule_id"]: item for item in plan["todo"]}
    assert "ID-TRANSFER-001" in todo, sorted(todo)


def test_a_pending_duty_in_a_new_country_is_listed_to_watch(tmp_path: Path) -> None:
    """A user trial: the Philippine Trustmark (a draft rule: voluntary until 31 December 2026, no
    date in force) was in neither the to-dos nor "coming into force", so the plan never said it."""
    manifest = tmp_path / "shop.yaml"
    manifest.write_text(TWO_PLACES)
    plan: Any = plan_json(manifest, "--expand-to", "PH")
    pending = [p["rule_id"] for p in plan["pending_not_in_force"]]
    assert "PH-ECOMMERCE-001" in pending
    assert all(item["rule_id"] not in pending for item in plan["todo"])  # nothing to do yet
    result = runner.invoke(app, ["plan", str(manifest), "--as-of", "2026-11-27", "--expand-to", "PH"])
    text = " ".join(result.stdout.split())
    assert "Pending, not in force: watch (" in text and "PH-ECOMMERCE-001, the Philippines (PH): DTI" in text
    # A country not entered has nothing pending in the plan.
    plan = plan_json(manifest, "--expand-to", "ID")
    assert not any(p["country"] == "PH" for p in plan["pending_not_in_force"])


def test_a_start_in_the_past_is_said_to_be_past(tmp_path: Path) -> None:
    """A re-trial: `--start 2026-09-01` gave "Do (by 2026-09-01, before you start)" with no word that
    the date had passed."""
    manifest = tmp_path / "m.yaml"
    manifest.write_text(FINTECH)
    args = ["plan", str(manifest), "--as-of", "2026-11-27", "--expand-to", "PH"]
    result = runner.invoke(app, [*args, "--start", "2026-09-01"])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert (
        "you start on 2026-09-01, which is already past: deadlines counted from the start may have passed"
        in text
    )
    result = runner.invoke(app, [*args, "--start", "2027-01-01"])
    assert "already past" not in result.stdout
