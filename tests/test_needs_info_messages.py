"""A needs_info finding asks for the fields it names: its words and its `missing` agree.

A rule's own needs_info text asks for what its `requires` lacks. When it is the rule's
`applies_when` that the manifest leaves undecided, the engine words the question itself,
from the facts that decide it, so the text never asks for one field while "Add to the
manifest" names another (SG-CONSENT-002 asked for assessments and named legal_bases).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.evaluate.document import check_data
from defa_check.evaluate.engine import Selection
from defa_check.model import Finding, Status
from defa_check.packs.loader import Catalog, load_catalog
from defa_check.workflows.rule_examples import complete_manifest

from .conftest import AS_OF, ROOT

_NAMED = re.compile(r"\b(organization(?=\.[a-z])|flows\[\]|markets\[\])((?:\.[a-z_]+)*)")
"""A manifest field as rule texts spell it: organization.establishments, flows[].local_copy."""


def _named(message: str) -> set[str]:
    return {m.group(1).replace("[]", "") + m.group(2) for m in _NAMED.finditer(message)}


def _field(path: str) -> str:
    """$.flows[4].subjects.count -> flows.subjects.count (the spelling of :func:`_named`)."""
    return re.sub(r"\[\d+\]", "", path.removeprefix("$."))


def _disagreement(finding: Finding) -> str | None:
    """Why the finding's words and its fields to add disagree, or None."""
    if not finding.missing:
        return "names no field to add"
    text = finding.message_base
    named = _named(text)
    if not named:
        return None  # words only ("your size"), or the engine's own question
    missing = {_field(p) for p in finding.missing}
    for path in finding.missing:
        # A bare field name in the text, "(transfer_mechanisms)", names it too.
        leaf = re.sub(r"^\$\.(organization|flows\[\d+\]|markets\[\d+\])\.?", "", path)
        if leaf and re.search(r"(?<![\w.\]])" + re.escape(leaf) + r"\b", text):
            return None
    related = any(a == b or a.startswith(b + ".") or b.startswith(a + ".") for a in named for b in missing)
    return None if related else f"the text names {sorted(named)}, the finding {sorted(missing)}"


def _variants(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The manifest, and the manifest with each one stated field left out."""
    yield manifest
    for key in list(manifest.get("organization") or {}):
        if key not in ("name", "home_country"):
            variant = copy.deepcopy(manifest)
            del variant["organization"][key]
            yield variant
    for collection in ("flows", "markets"):
        items = manifest.get(collection)
        if items is None:
            continue
        variant = copy.deepcopy(manifest)
        del variant[collection]
        yield variant
        for i, item in enumerate(items):
            for key in list(item):
                if key not in ("id", "from", "to", "country"):
                    variant = copy.deepcopy(manifest)
                    del variant[collection][i][key]
                    yield variant
            for key in list(item.get("subjects") or {}) if isinstance(item.get("subjects"), dict) else ():
                variant = copy.deepcopy(manifest)
                del variant[collection][i]["subjects"][key]
                yield variant


def _needs_info(
    catalog: Catalog, manifest: dict[str, Any], as_of: dt.date, selection: Selection
) -> list[Finding]:
    result = check_data(complete_manifest(manifest), catalog, as_of, selection)
    if result.report is None:
        return []  # a variant the schema rejects (a required field left out)
    return [f for f in result.report.findings if f.status is Status.NEEDS_INFO]


def test_every_needs_info_message_names_the_fields_it_reports_missing(bundled_catalog: Catalog) -> None:
    """Over every rule's examples, each with one stated field left out at a time, and the examples/."""
    wrong: dict[tuple[str, str], str] = {}
    for rule in bundled_catalog.rules:
        selection = Selection(countries=frozenset({rule.country}))
        for example in rule.examples:
            as_of = example.as_of or rule.effective_from or AS_OF
            for variant in _variants(example.manifest):
                for finding in _needs_info(bundled_catalog, variant, as_of, selection):
                    why = _disagreement(finding)
                    if why is not None:
                        wrong.setdefault((finding.rule_id, finding.message_base), why)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        for finding in _needs_info(bundled_catalog, yaml.safe_load(path.read_text()), AS_OF, Selection()):
            why = _disagreement(finding)
            if why is not None:
                wrong.setdefault((finding.rule_id, finding.message_base), why)
    assert wrong == {}


_MANIFEST = """\
manifest_version: 1
organization:
  name: Test Co
  home_country: SG
  size: small
flows:
  - id: shop
    from: SG
    to: SG
    subjects: {kinds: [customer]}
  - id: vn-orders
    from: VN
    to: SG
    local_copy: false
    subjects: {kinds: [customer]}
"""


def _junit_needs_info(tmp_path: Path) -> dict[str, str]:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text(_MANIFEST, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(manifest), "-f", "junit", "--as-of", "2026-11-27"])
    assert result.exit_code in (0, 1), result.output
    tree = ET.fromstring(result.stdout)
    return {
        case.get("name", ""): skipped.text or ""
        for case in tree.iter("testcase")
        if (skipped := case.find("skipped")) is not None
    }


def test_undecided_applicability_asks_for_what_decides_it(tmp_path: Path) -> None:
    """The two cases of the user trial, as JUnit shows them."""
    cases = _junit_needs_info(tmp_path)
    consent = cases["SG-CONSENT-002 flow shop"]
    assert "Add to the manifest: $.flows[0].legal_bases." in consent
    assert "the legal bases" in consent and "assessments" not in consent.split("What to do:")[0]
    local = cases["VN-LOCAL-003 flow vn-orders"]
    assert "Add to the manifest: $.organization.establishments." in local
    assert "whether you are established in Viet Nam" in local
    assert "local_copy" not in local.split("What to do:")[0]


def test_the_rules_own_text_asks_for_what_requires_lacks(bundled_catalog: Catalog) -> None:
    """When the rule applies, its own needs_info text is kept."""
    manifest = {
        "organization": {"home_country": "SG", "establishments": ["SG"]},
        "flows": [{"id": "f", "from": "SG", "to": "SG", "legal_bases": ["legitimate_interests"]}],
    }
    selection = Selection(countries=frozenset({"SG"}), rule_ids=frozenset({"SG-CONSENT-002"}))
    [finding] = _needs_info(bundled_catalog, manifest, AS_OF, selection)
    assert finding.missing == ("$.flows[0].assessments",)
    assert finding.message_base.startswith("List the assessments done for this flow")


def test_only_the_facts_that_leave_the_verdict_open_are_asked_for(bundled_catalog: Catalog) -> None:
    """VN-TRANSFER-001 passes on a filed dossier or on the employee exemption. A customer flow
    cannot be exempt, so its purposes do not matter: only the filings are asked for."""
    manifest = {
        "organization": {"home_country": "SG"},
        "flows": [{"id": "f", "from": "VN", "to": "SG", "subjects": {"kinds": ["customer"]}}],
    }
    selection = Selection(countries=frozenset({"VN"}), rule_ids=frozenset({"VN-TRANSFER-001"}))
    [finding] = _needs_info(bundled_catalog, manifest, AS_OF, selection)
    assert finding.missing == ("$.organization.registrations",)


@pytest.mark.parametrize("declared", [["user"], ["user.demographic"]])
def test_a_declared_ancestor_names_the_field_to_make_precise(declared: list[str]) -> None:
    """Data categories stated only as an ancestor of the rule's leave it open: the finding names
    the field that must say more, not nothing."""
    manifest = {
        "organization": {"home_country": "LA"},
        "flows": [{"id": "f", "from": "LA", "to": "LA", "data_categories": declared}],
    }
    selection = Selection(countries=frozenset({"LA"}), rule_ids=frozenset({"LA-SENSITIVE-001"}))
    [finding] = _needs_info(load_catalog(), manifest, AS_OF, selection)
    assert finding.missing == ("$.flows[0].data_categories",)
