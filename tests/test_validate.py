"""Manifest validation: every problem at once, located, with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

from defa_check.inputs import source as yamlio
from defa_check.inputs.manifest import validate_manifest

BAD = """\
manifest_version: 1
organization:
  name: X
  home_country: VM
  sise: small
flows:
  - id: a
    from: SG
    to: NO
    system: shopp
    data_categories: [user.contact.emial, user.health]
    purposes: [marketing.advertisin]
    subjects: {kinds: [custommer]}
  - id: a
    from: sg
    to: SG
"""


def problems(text: str) -> list[str]:
    return [str(p) for p in validate_manifest(yamlio.loads(text, "m.yaml"))]


def test_every_problem_is_listed_with_location_and_hint() -> None:
    # A wrong item of a list is located at the item itself (column counted by hand).
    assert problems(BAD) == [
        "m.yaml:4:3: $.organization.home_country: 'VM' is not an ISO 3166-1 alpha-2 country code "
        "(did you mean 'VN' or 'MM'?) [unknown-value]",
        "m.yaml:5:3: $.organization.sise: unknown field 'sise' (did you mean 'size'?) [unknown-field]",
        "m.yaml:10:5: $.flows[0].system: system 'shopp' is not declared under systems "
        "(declare it under systems: - {id: shopp, country: CC}) [unknown-reference]",
        "m.yaml:11:23: $.flows[0].data_categories[0]: unknown data category 'user.contact.emial' "
        "(did you mean 'user.contact.email'?) [unknown-taxonomy-key]",
        "m.yaml:12:16: $.flows[0].purposes[0]: unknown purpose (fideslang data use) "
        "'marketing.advertisin' (did you mean 'marketing.advertising'?) [unknown-taxonomy-key]",
        "m.yaml:13:24: $.flows[0].subjects.kinds[0]: unknown data subject 'custommer' "
        "(did you mean 'customer'?) [unknown-taxonomy-key]",
        "m.yaml:14:5: $.flows[1]: flow id 'a' is already used by flows[0] [duplicate-id]",
        "m.yaml:15:5: $.flows[1].from: 'sg' is not an ISO 3166-1 alpha-2 country code "
        "(did you mean 'SG'?) [unknown-value]",
    ]


def test_fideslang_32_names_are_aliases() -> None:
    ok = """\
manifest_version: 1
organization: {name: X, home_country: SG}
flows:
  - id: a
    from: SG
    to: VN
    data_categories: [user.health, user.biometrics, user.children, user.contact.email]
"""
    assert problems(ok) == []


def test_missing_required_and_wrong_version() -> None:
    assert problems("manifest_version: 2\norganization: {name: X}\n") == [
        "m.yaml:1:1: $.manifest_version: must be 1, not 2 [invalid-value]",
        "m.yaml:2:1: $.organization: required field 'home_country' is missing [missing-field]",
    ]


def test_not_a_mapping() -> None:
    how = "a manifest is a mapping: manifest_version: 1, organization, flows, ..."
    init = "(`defa-check init` writes one from a few questions) [wrong-type]"
    assert problems("- a\n- b\n") == [f"m.yaml:1:1: the file holds a list; {how} {init}"]
    # An empty file, or one with comments only (a user trial read the old wording as a riddle).
    assert problems("") == problems("# flows\n") == [f"m.yaml:1:1: the file is empty; {how} {init}"]


def test_taxonomy_extension_under_known_parent() -> None:
    base = "manifest_version: 1\norganization: {name: X, home_country: SG}\n"
    good = base + (
        "taxonomy_extensions:\n  data_categories: [{key: user.contact.line_id}]\n"
        "flows: [{id: a, from: SG, to: SG, data_categories: [user.contact.line_id]}]\n"
    )
    assert problems(good) == []
    orphan = base + "taxonomy_extensions:\n  data_categories: [{key: widgets.thing}]\n"
    assert problems(orphan) == [
        "m.yaml:4:22: $.taxonomy_extensions.data_categories[0].key: "
        "'widgets.thing' must be beneath an existing data category [taxonomy-extension]"
    ]


def test_duplicate_market_countries_without_ids() -> None:
    text = (
        "manifest_version: 1\norganization: {name: X, home_country: SG}\n"
        "markets: [{country: VN}, {country: VN}]\n"
    )
    assert problems(text) == [
        "m.yaml:3:26: $.markets[1]: market id 'VN' is already used by markets[0] [duplicate-id]"
    ]


def test_closed_vocabularies_suggest_the_intended_value() -> None:
    """Mistyped safeguards, certifications and assessments are errors, not silent false fails."""
    text = """\
manifest_version: 1
organization:
  {name: X, home_country: SG, certifications: [iso27001], assessments: [dpai]}
flows:
  - id: a
    from: SG
    to: VN
    safeguards: [acess_control, tokenization]
    assessments: [transfer_impact_asessment]
"""
    found = problems(text)
    assert any("'iso27001'" in p and "did you mean 'iso_27001'?" in p for p in found), found
    assert any("'dpai'" in p and "did you mean 'dpia'?" in p for p in found), found
    assert any("'acess_control'" in p and "did you mean 'access_control'?" in p for p in found), found
    assert any("'transfer_impact_asessment'" in p for p in found), found
    assert not any("tokenization" in p for p in found)  # an accepted spelling of tokenisation
    assert all(p.endswith("[unknown-value]") for p in found), found


def test_safeguard_spellings_reach_rules_as_one_name() -> None:
    from defa_check.packs.facts import flow_context

    flow = {"id": "a", "from": "SG", "to": "VN", "safeguards": ["tokenization", "mfa", "encryption_at_rest"]}
    ctx = flow_context({}, flow, "SG", {}, (), None)
    assert ctx["flow.safeguards"] == ["tokenisation", "multi_factor_authentication", "encryption_at_rest"]


def test_a_mistyped_taxonomy_key_suggests_the_key_with_the_closest_last_part() -> None:
    text = (
        "manifest_version: 1\norganization: {name: X, home_country: SG}\n"
        "flows:\n  - id: a\n    from: SG\n    to: SG\n    data_categories: [user.emial]\n"
    )
    assert any("did you mean 'user.contact.email'?" in p for p in problems(text)), problems(text)


def test_a_date_is_a_day_in_the_calendar_written_yyyy_mm_dd() -> None:
    """2026-02-30 and 2026-13-01 were valid (a user trial); a date in another form was worded with
    the schema's regular expression. One problem per date, with the date to write when the text
    can mean only one day."""
    dates = ["2026-02-30", "2026-13-01", "20/12/2026", "12/20/2026", "05/06/2026", "2026-1-5", "2024-02-29"]
    registrations = "".join(f"    - {{country: SG, kind: dpo, date: '{d}'}}\n" for d in dates)
    text = (
        "manifest_version: 1\norganization:\n  name: X\n  home_country: SG\n  registrations:\n"
        f"{registrations}flows: []\n"
    )
    found = [(p.json_path, p.message, p.hint) for p in validate_manifest(yamlio.loads(text, "m.yaml"))]
    at = "$.organization.registrations"
    assert found == [
        (f"{at}[0].date", "'2026-02-30' is not a day in the calendar", None),
        (f"{at}[1].date", "'2026-13-01' is not a day in the calendar", None),
        (f"{at}[2].date", "'20/12/2026' is not a date written YYYY-MM-DD", "write 2026-12-20"),
        (f"{at}[3].date", "'12/20/2026' is not a date written YYYY-MM-DD", "write 2026-12-20"),
        # 5 June or 6 May: no guess.
        (
            f"{at}[4].date",
            "'05/06/2026' is not a date written YYYY-MM-DD",
            "write the date as YYYY-MM-DD, e.g. 2026-12-20",
        ),
        (f"{at}[5].date", "'2026-1-5' is not a date written YYYY-MM-DD", "write 2026-01-05"),
    ]  # 2024-02-29 is a day (a leap year)


def test_a_list_or_yes_written_as_text_is_answered_with_what_to_write() -> None:
    text = (
        "manifest_version: 1\norganization:\n  name: X\n  home_country: SG\n  sectors: ecommerce, retail\n"
        "flows:\n  - {id: a, from: SG, to: VN, local_copy: yes}\n"
        "  - {id: b, from: SG, to: VN, local_copy: 'false'}\n"
    )
    found = [(p.json_path, p.hint) for p in validate_manifest(yamlio.loads(text, "m.yaml"))]
    assert found == [
        ("$.organization.sectors", "write [ecommerce, retail]"),
        ("$.flows[0].local_copy", "write true"),  # YAML 1.2 here: yes is text, as NO stays Norway
        ("$.flows[1].local_copy", "write false without quotes"),
    ]


def test_a_system_no_declared_id_is_close_to_is_answered_with_the_ones_declared() -> None:
    """'shop' for a system declared as 'store' had no hint at all (a user trial)."""
    head = "manifest_version: 1\norganization: {name: X, home_country: SG}\n"
    flows = "flows:\n  - {id: a, from: SG, to: SG, system: shop}\n"
    text = head + "systems:\n  - {id: store, country: SG}\n  - {id: crm, country: US}\n" + flows
    [problem] = validate_manifest(yamlio.loads(text, "m.yaml"))
    assert problem.hint == "the systems declared are 'crm', 'store'"
    [problem] = validate_manifest(yamlio.loads(head + flows, "m.yaml"))
    assert problem.hint == "declare it under systems: - {id: shop, country: CC}"
    [problem] = validate_manifest(yamlio.loads(text.replace("system: shop", "system: stor"), "m.yaml"))
    assert problem.hint == "did you mean 'store'?"


def test_an_empty_json_manifest_is_said_to_be_empty_as_yaml_is(tmp_path: Path) -> None:
    """An empty .json file was "invalid JSON: expected a value" at a line past its end (a user trial)."""
    for text in ("", "\n\n"):
        path = tmp_path / "m.json"
        path.write_text(text)
        [problem] = validate_manifest(yamlio.load(path))
        assert (problem.line, problem.code) == (1, "wrong-type")
        assert problem.message.startswith("the file is empty; a manifest is a mapping"), problem
