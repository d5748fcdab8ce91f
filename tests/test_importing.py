"""`import fides`, `import ropa` and `template ropa`: fixtures -> manifests that validate, golden files,
recorded verdicts, and located problems (never a traceback) for bad input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.inputs import source
from defa_check.inputs.manifest import validate_manifest
from defa_check.inputs.ropa import COLUMNS
from defa_check.inputs.vocabulary import DATA_CHOICES, DATA_WORDS, parse_retention

from . import ropa_workbook
from .conftest import FIXTURES, ROOT

openpyxl = pytest.importorskip("openpyxl")

FIDES = FIXTURES / "fides"
GOLDEN = ROOT / "tests" / "golden"
runner = CliRunner()
AS_OF = "2026-11-27"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def verdicts(manifest: Path) -> dict[tuple[str, str], str]:
    code, out, _ = run("check", str(manifest), "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    assert code == 0
    return {(f["rule_id"], f["subject"]["id"]): f["status"] for f in json.loads(out)["findings"]}


def valid(path: Path) -> None:
    assert validate_manifest(source.load(path)) == []


# ---------------------------------------------------------------- Fides


@pytest.fixture
def fides_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture repository, as the working folder (so comments name relative paths)."""
    shutil.copytree(FIDES, tmp_path / "fides")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fides_fixture_is_real_fideslang() -> None:
    """The fixture follows fideslang's own models and taxonomy, so the importer reads the real format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic deprecation noise from the library, not from us
        models = pytest.importorskip("fideslang.models")
        default = pytest.importorskip("fideslang.default_taxonomy").DEFAULT_TAXONOMY
        merged: dict[str, list[Any]] = {}
        for path in sorted((FIDES / "resources").rglob("*.yml")):
            for kind, items in yaml.safe_load(path.read_text()).items():
                merged.setdefault(kind, []).extend(items)
        taxonomy = models.Taxonomy(**merged)
    assert len(taxonomy.system) >= 5 and taxonomy.dataset and taxonomy.organization
    categories = {c.fides_key for c in [*default.data_category, *taxonomy.data_category]}
    uses = {u.fides_key for u in [*default.data_use, *taxonomy.data_use]}
    subjects = {s.fides_key for s in default.data_subject}
    for system in taxonomy.system:
        for declaration in system.privacy_declarations:
            assert set(declaration.data_categories) <= categories
            assert declaration.data_use in uses
            assert set(declaration.data_subjects) <= subjects


def test_fides_import_matches_the_golden_manifest_and_validates(fides_repo: Path) -> None:
    code, out, err = run(
        "import", "fides", "fides/resources", "--locations", "fides/defa-locations.yaml", "-o", "flows.yaml"
    )
    assert code == 0, err
    assert out == ""
    text = (fides_repo / "flows.yaml").read_text()
    assert text == (GOLDEN / "import-fides.yaml").read_text()
    valid(fides_repo / "flows.yaml")
    # The report at the end lists every field not imported, with where it is.
    assert "fides/resources/systems/vendors.yml:27:5: system analytics_warehouse: uses_profiling" in err
    assert "policy lotus_policy: not imported" in err


def test_fides_mapping_keeps_what_the_source_says_and_invents_nothing(fides_repo: Path) -> None:
    run("import", "fides", "fides/resources", "--locations", "fides/defa-locations.yaml", "-o", "flows.yaml")
    data = yaml.safe_load((fides_repo / "flows.yaml").read_text())
    flows = {f["id"]: f for f in data["flows"]}
    systems = {s["id"]: s for s in data["systems"]}
    # The storefront's country comes from its AWS ARN (ap-southeast-1), not from the locations file.
    assert systems["storefront"] == {
        "id": "storefront",
        "name": "Storefront",
        "country": "SG",
        "provider": "aws",
    }
    assert "status_page" not in systems  # processes no personal data, and nobody said where it is
    # One collection flow per country where the declaration's people are.
    orders = [f for f in flows if f.startswith("storefront-take-and-deliver-orders-")]
    assert sorted(orders) == [f"storefront-take-and-deliver-orders-{c}" for c in ("id", "sg", "th", "vn")]
    vn = flows["storefront-take-and-deliver-orders-vn"]
    assert (vn["from"], vn["to"], vn["system"]) == ("VN", "SG", "storefront")
    assert vn["legal_bases"] == ["contract"]
    assert vn["transfer_mechanisms"] == ["eu_scc"]  # "SCCs"; "Supplementary Measures" is only noted
    assert vn["retention"] == {"until": "period", "months": 84, "reason": "tax law"}
    assert vn["assessments"] == ["dpia"]  # dpa_location
    assert "transfer_mechanisms" not in flows["storefront-take-and-deliver-orders-sg"]  # not cross-border
    # The crm states no legal_basis_for_transfers: its cross-border flows carry none.
    assert "transfer_mechanisms" not in flows["crm-newsletter-th"]
    # Egress to a system that declares the matching ingress is one flow, described by the receiver.
    stripe = flows["stripe_payments-card-payment-processing-from-storefront"]
    assert (stripe["from"], stripe["to"]) == ("SG", "US")
    assert stripe["recipient"] == {"name": "Stripe, Inc.", "role": "processor"}
    assert not [f for f in flows if f.startswith("storefront-") and "stripe" in f]
    # A third party located in the locations file becomes a flow with the shared categories only.
    mailchimp = flows["crm-newsletter-to-mailchimp"]
    assert mailchimp["to"] == "US" and mailchimp["data_categories"] == ["user.contact.email"]
    # A custom use maps to its fideslang parent; a custom category beneath a known one is an extension.
    assert mailchimp["purposes"] == ["marketing.communications.email"]
    assert data["taxonomy_extensions"]["data_categories"][0]["key"] == "user.contact.line_id"
    assert data["organization"] == {
        "name": "Lotus Crafts Pte. Ltd.",
        "home_country": "SG",
        "dpo_appointed": True,
    }


def test_fides_import_gives_the_recorded_verdicts(fides_repo: Path) -> None:
    """Each verdict follows from what the Fides source states (reason beside it)."""
    got = verdicts(GOLDEN / "import-fides.yaml")
    expected = {
        # Vietnamese law has no legitimate-interests basis; the analytics declaration relies on it.
        ("VN-LEGAL-001", "analytics_warehouse-sales-analytics-from-storefront"): "fail",
        # Card numbers are sensitive in Viet Nam and the storefront's practices name no access restriction.
        ("VN-SENSITIVE-001", "storefront-process-card-payments-vn"): "fail",
        # "Encryption at rest, TLS" in data_security_practices.
        ("VN-SECURITY-001", "storefront-process-card-payments-vn"): "pass",
        # Legitimate interests plus impact_assessment_location (a legitimate-interests assessment).
        ("SG-CONSENT-002", "analytics_warehouse-sales-analytics-from-storefront"): "pass",
        # The organisation lists a data_protection_officer.
        ("SG-DPO-001", "organization"): "pass",
        # SCCs are binding contract clauses, a route Art. 56 UU PDP recognises.
        ("ID-TRANSFER-001", "storefront-take-and-deliver-orders-id"): "pass",
        # The crm states no transfer basis: the importer leaves it absent and check asks.
        ("TH-TRANSFER-001", "crm-newsletter-th"): "needs_info",
    }
    assert {key: got.get(key) for key in expected} == expected
    fresh = fides_repo / "again.yaml"
    run("import", "fides", "fides/resources", "--locations", "fides/defa-locations.yaml", "-o", str(fresh))
    assert verdicts(fresh) == got  # round trip: importing again gives the same verdicts


def test_fides_without_locations_names_what_to_add_and_writes_nothing(fides_repo: Path) -> None:
    code, out, err = run("import", "fides", "fides/resources", "-o", "flows.yaml")
    assert code == 2 and "Traceback" not in err
    assert not (fides_repo / "flows.yaml").exists() and out == ""
    assert "--home: the organisation's home country is not stated" in err
    assert "where are the customer data subjects?" in err and "--subjects customer=CC,CC" in err
    assert "fides/resources/systems/internal.yml:2:5: $.system[0].fides_key: where is system 'crm'?" in err
    assert "nothing was written" in err
    # The storefront is located by its ARN, so it is not asked about.
    assert "where is system 'storefront'" not in err


def test_fides_options_stand_in_for_the_locations_file_and_partial_writes_the_rest(fides_repo: Path) -> None:
    args = ["import", "fides", "fides/resources", "--home", "SG", "--subjects", "customer=SG,VN",
            "--subjects", "prospect=SG", "--subjects", "employee=SG", "--country", "crm=SG"]  # fmt: skip
    code, _, err = run(*args, "-o", "flows.yaml")
    assert code == 2 and "where is system 'hr_system'" in err and not (fides_repo / "flows.yaml").exists()
    code, _, err = run(*args, "--partial", "-o", "flows.yaml")
    assert code == 0 and "--partial wrote the rest" in err
    valid(fides_repo / "flows.yaml")
    data = yaml.safe_load((fides_repo / "flows.yaml").read_text())
    ids = {f["id"] for f in data["flows"]}
    assert "crm-newsletter-vn" in ids and not any(i.startswith("hr_system") for i in ids)
    assert "skipped:" in err and "a country is not known" in err


def test_fides_unknown_keys_are_located_with_did_you_mean(tmp_path: Path) -> None:
    bad = tmp_path / "system.yml"
    bad.write_text(
        "system:\n  - fides_key: app\n    system_type: Service\n    privacy_declarations:\n"
        "      - data_categories: [user.contact.emial]\n        data_use: essential.servise\n"
        "        data_subjects: [customers]\n        legal_basis_for_processing: Contrakt\n"
    )
    code, _, err = run("import", "fides", str(bad), "--home", "SG", "--country", "app=SG",
                       "--subjects", "customer=SG", "--name", "Lotus")  # fmt: skip
    assert code == 2 and "Traceback" not in err
    assert (
        f"{bad}:5:27: $.system[0].privacy_declarations[0].data_categories[0]: unknown data category "
        "'user.contact.emial' (did you mean 'user.contact.email'?)" in err
    )
    assert "unknown data use 'essential.servise' (did you mean 'essential.service'?)" in err
    assert "unknown data subject 'customers' (did you mean 'customer'?)" in err
    assert "unknown legal_basis_for_processing 'Contrakt' (did you mean 'contract'?)" in err


def test_fides_declaration_naming_an_unknown_ingress_or_egress_is_a_located_problem(tmp_path: Path) -> None:
    bad = tmp_path / "system.yml"
    bad.write_text(
        "system:\n  - fides_key: app\n    system_type: Service\n"
        "    ingress:\n      - fides_key: shop\n        type: system\n"
        "    egress:\n      - fides_key: mailer\n        type: system\n"
        "    privacy_declarations:\n      - data_categories: [user.contact.email]\n"
        "        data_use: essential.service\n        data_subjects: [customer]\n"
        "        ingress: [shopp]\n        egress: [mailr]\n"
    )
    code, _, err = run("import", "fides", str(bad), "--home", "SG", "--country", "app=SG",
                       "--country", "shop=SG", "--country", "mailer=SG",
                       "--subjects", "customer=SG", "--name", "Lotus",
                       "-o", str(tmp_path / "m.yaml"))  # fmt: skip
    assert code == 2 and "Traceback" not in err, err
    # Line of the declaration's list (items of a [flow, list] are located at their key).
    assert f"{bad}:14:" in err and "ingress[0]: ingress 'shopp' is not among system app's ingress" in err
    assert f"{bad}:15:" in err and "egress[0]: egress 'mailr' is not among system app's egress" in err


def test_fides_bad_shapes_and_files_are_problems_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("system:\n  - fides_key: x\n    privacy_declarations: 3\n")
    (tmp_path / "b.yml").write_text("system: [1, {name: no key}]\n")
    (tmp_path / "c.yml").write_text("key: [unclosed\n")
    code, _, err = run("import", "fides", str(tmp_path), "--home", "SG")
    assert code == 2 and "Traceback" not in err
    assert "privacy_declarations is required" in err and "fides_key is required" in err
    assert "invalid YAML" in err
    code, _, err = run("import", "fides", str(tmp_path / "missing.yml"), "--home", "SG")
    assert code == 2 and "no such file" in err


def test_import_never_overwrites_without_force(fides_repo: Path) -> None:
    target = fides_repo / "flows.yaml"
    target.write_text("mine\n")
    args = [
        "import",
        "fides",
        "fides/resources",
        "--locations",
        "fides/defa-locations.yaml",
        "-o",
        str(target),
    ]
    code, _, err = run(*args)
    assert code == 2 and "already exists" in err and target.read_text() == "mine\n"
    assert run(*args, "--force")[0] == 0 and target.read_text().startswith("# defa-check flow manifest")


# ---------------------------------------------------------------- ROPA


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    code, _, err = run("template", "ropa", "--output", str(path))
    assert code == 0, err
    return path


@pytest.fixture
def ropa_file(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The 32-activity workbook, built from the template, in the working folder."""
    monkeypatch.chdir(tmp_path)
    ropa_workbook.build(template, tmp_path / "ropa.xlsx")
    return Path("ropa.xlsx")


ORG = ("--name", "Bintang Retail Sdn. Bhd.", "--home", "MY")


def test_template_has_the_importers_columns_drop_downs_and_an_example(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["ROPA", "Example", "Help", "Lists"]
    headers = [c.value for c in book["ROPA"][1]]
    assert headers == [c.header for c in COLUMNS] == list(ropa_workbook.HEADERS)
    validated = {
        str(r).split(":")[0] for dv in book["ROPA"].data_validations.dataValidation for r in dv.sqref.ranges
    }
    closed = {"Data categories", "Data subjects", "Legal basis", "Recipient role", "Transfer mechanism",
              "Security measures", "Assessments", "Children", "Storage location"}  # fmt: skip
    letters = {c.header: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    assert {f"{letters[h]}2" for h in closed} <= validated
    lists = {book["Lists"].cell(1, j).value: j for j in range(1, book["Lists"].max_column + 1)}
    safeguards = [book["Lists"].cell(i, lists["safeguards"]).value for i in range(2, 8)]
    assert "access_control" in safeguards
    # The example row imports cleanly: the template and the importer agree on every column.
    code, _, err = run("import", "ropa", str(template), "--sheet", "Example", *ORG)
    assert code == 0, err


@pytest.mark.parametrize("name", ["ropa.csv", "ropa", "-"])
def test_template_is_written_only_under_a_workbook_name(tmp_path: Path, name: str) -> None:
    """`template ropa --output ropa.csv` wrote a workbook under a .csv name, which `import ropa`
    then refused as text that is not UTF-8 (a user trial)."""
    code, _, err = run("template", "ropa", "--output", str(tmp_path / name) if name != "-" else name)
    assert code == 2 and "ending in .xlsx" in err
    assert list(tmp_path.iterdir()) == []


def test_template_is_the_same_bytes_every_time(tmp_path: Path, template: Path) -> None:
    again = tmp_path / "again.xlsx"
    time.sleep(1.1)  # zip members and document properties carry times to the second
    run("template", "ropa", "--output", str(again))
    assert again.read_bytes() == template.read_bytes()
    code, _, err = run("template", "ropa", "--output", str(again))
    assert code == 2 and "already exists" in err


def test_ropa_import_matches_the_golden_manifest_and_validates(ropa_file: Path, tmp_path: Path) -> None:
    assert len(ropa_workbook.ROWS) >= 30
    code, _, err = run("import", "ropa", str(ropa_file), *ORG, "-o", "flows.yaml")
    assert code == 0, err
    assert (tmp_path / "flows.yaml").read_text() == (GOLDEN / "import-ropa.yaml").read_text()
    valid(tmp_path / "flows.yaml")
    assert "note: ropa.xlsx, sheet ROPA, row 25: Retention: '30 days' rounded up to 1 month" in err


def test_ropa_csv_gives_the_same_manifest(ropa_file: Path, tmp_path: Path) -> None:
    ropa_workbook.write_csv(tmp_path / "ropa.csv")
    assert run("import", "ropa", "ropa.csv", *ORG, "-o", "from-csv.yaml")[0] == 0
    assert run("import", "ropa", str(ropa_file), *ORG, "-o", "from-xlsx.yaml")[0] == 0
    csv_data = yaml.safe_load((tmp_path / "from-csv.yaml").read_text())
    xlsx_data = yaml.safe_load((tmp_path / "from-xlsx.yaml").read_text())
    assert csv_data == xlsx_data
    # Spreadsheets in many locales export CSV with ';'.
    text = (tmp_path / "ropa.csv").read_text()
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    semi = io.StringIO()
    csv.writer(semi, delimiter=";").writerows(rows)
    (tmp_path / "semi.csv").write_text(semi.getvalue())
    assert run("import", "ropa", "semi.csv", *ORG, "-o", "from-semi.yaml")[0] == 0
    assert yaml.safe_load((tmp_path / "from-semi.yaml").read_text()) == xlsx_data


def test_ropa_import_gives_the_recorded_verdicts() -> None:
    """Each verdict follows from the row it names (reason beside it)."""
    got = verdicts(GOLDEN / "import-ropa.yaml")
    expected = {
        # Row 19 (staff health insurance): health data on a contract basis; Malaysia wants explicit consent.
        ("MY-SENSITIVE-001", "staff-health-insurance-my"): "fail",
        # Row 22 (background checks): offence data with consent.
        ("MY-SENSITIVE-001", "background-checks-my"): "pass",
        # Row 25 (store CCTV): biometric data on legitimate interests, sensitive in Malaysia since 2025.
        ("MY-SENSITIVE-002", "store-cctv"): "fail",
        # Row 7 (fraud screening): Malaysia's PDPA has no legitimate-interests basis.
        ("MY-LEGAL-001", "fraud-screening-of-orders-my"): "fail",
        # Row 18 (marketplace sales): Indonesian data leaves on contract necessity alone.
        ("ID-TRANSFER-001", "marketplace-sales-id"): "fail",
        # Row 4 (newsletter): ASEAN model contractual clauses are binding clauses.
        ("ID-TRANSFER-001", "newsletter-id"): "pass",
        # Row 7 again, in Singapore: legitimate interests with the assessment listed.
        ("SG-CONSENT-002", "fraud-screening-of-orders-sg"): "pass",
        # Row 28 (IT access logs): legitimate interests, the Assessments cell is empty -> check asks.
        ("SG-CONSENT-002", "it-access-logs-sg"): "needs_info",
    }
    assert {key: got.get(key) for key in expected} == expected


def _bad_workbook(template: Path, out: Path) -> None:
    book = openpyxl.load_workbook(template)
    sheet = book["ROPA"]
    good = list(ropa_workbook.ROWS[1])
    ropa_workbook.fill(sheet, [tuple(good)], start=2)  # row 2: fine
    # Row 3 blank: skipped without a word.
    misspelt = list(good)
    misspelt[2] = "name, emial"  # C4
    misspelt[4] = "Vietnam"  # E4: a country name instead of a code
    ropa_workbook.fill(sheet, [tuple(misspelt)], start=4)
    dated = list(good)
    dated[0] = "dated"
    dated[14] = dt.datetime(2024, 7, 1)  # O5: Excel turned "7-24" into a date
    ropa_workbook.fill(sheet, [tuple(dated)], start=5)
    numbered = list(good)
    numbered[0] = "numbered"
    numbered[14] = 24  # O6: a bare number
    ropa_workbook.fill(sheet, [tuple(numbered)], start=6)
    merged = list(good)
    merged[0] = "merged"
    ropa_workbook.fill(sheet, [tuple(merged), tuple(merged)], start=7)
    sheet.merge_cells("B7:B8")  # one activity name over two rows
    sheet.cell(9, 1, "late")  # row 9: Activity and other required cells empty
    book.save(out)


def test_malformed_workbook_gives_located_problems_and_writes_nothing(template: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    _bad_workbook(template, bad)
    code, out, err = run("import", "ropa", str(bad), *ORG, "-o", str(tmp_path / "flows.yaml"))
    assert code == 2 and "Traceback" not in err and out == ""
    assert not (tmp_path / "flows.yaml").exists()
    lines = err.splitlines()

    def has(text: str) -> bool:
        return any(text in line for line in lines)

    assert has(f"{bad}:ROPA!C4: unknown data category 'emial' (did you mean 'email'?)")
    assert has(f"{bad}:ROPA!E4: 'Vietnam' is a country name: write its ISO code (did you mean 'VN'?)")
    assert has(f"{bad}:ROPA!O5: Retention: the spreadsheet stored a date (2024-07-01) here")
    assert has(f"{bad}:ROPA!O6: Retention: a bare number (24) says no unit (write '24 months' or '24 years')")
    assert has(f"{bad}:ROPA!B7: merged cells B7:B8: each row needs its own values")
    assert has(f"{bad}:ROPA!B9: Activity is empty")
    assert not has("ROPA!A3") and not has("row 3")  # the blank row is no problem
    # --partial writes the rows without problems (row 2) and lists the others.
    code, _, err = run("import", "ropa", str(bad), *ORG, "--partial", "-o", str(tmp_path / "flows.yaml"))
    assert code == 0
    valid(tmp_path / "flows.yaml")
    data = yaml.safe_load((tmp_path / "flows.yaml").read_text())
    assert [f["id"] for f in data["flows"]] == ["loyalty-programme"]
    assert "skipped: " in err and "row 9: left out" in err


def test_unknown_columns_and_missing_ones_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Actvity,Data categories,Data subjects,Purpose,Storage location\nx,name,customer,service,MY\n"
    )
    code, _, err = run("import", "ropa", str(bad), *ORG)
    assert code == 2
    assert f"{bad}:A1: unknown column 'Actvity' (did you mean 'Activity'?)" in err
    assert "no 'Subject countries' column" in err


def test_unknown_words_in_closed_columns_get_did_you_mean(tmp_path: Path) -> None:
    rows = [ropa_workbook.HEADERS,
            ("", "x", "name", "customer", "MY", "", "maybe", "servce", "consnet", "", "Malaysia", "Acme", "",
             "asean mcc", "forever and ever", "encyrption, firewall", "dipa")]  # fmt: skip
    import csv

    with (tmp_path / "r.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, _, err = run("import", "ropa", str(tmp_path / "r.csv"), *ORG)
    assert code == 2 and "Traceback" not in err
    place = f"{tmp_path / 'r.csv'}:"
    assert f"{place}G2: Children: 'maybe' is neither yes nor no" in err
    assert f"{place}H2: unknown purpose 'servce' (did you mean 'service'?)" in err
    assert f"{place}I2: unknown legal basis 'consnet' (did you mean 'consent'?)" in err
    assert f"{place}K2: 'Malaysia' is a country name: write its ISO code (did you mean 'MY'?)" in err
    assert f"{place}L2: recipient 'Acme': write NAME: COUNTRY" in err
    assert f"{place}O2: Retention: cannot read 'forever and ever'" in err
    assert f"{place}P2: unknown security measure 'encyrption' (did you mean 'encryption'?)" in err
    assert f"{place}Q2: unknown assessment 'dipa' (did you mean 'dpia'?)" in err
    assert "asean mcc" not in err  # a plain spelling of asean_mcc is understood


def test_ropa_needs_the_organisation_and_a_readable_file(tmp_path: Path) -> None:
    ropa_workbook.write_csv(tmp_path / "r.csv")
    code, _, err = run("import", "ropa", str(tmp_path / "r.csv"))
    assert code == 2 and "give --name" in err and "give --home" in err
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    code, _, err = run("import", "ropa", str(tmp_path / "junk.xlsx"), *ORG)
    assert code == 2 and "not a readable .xlsx workbook" in err and "Traceback" not in err
    code, _, err = run("import", "ropa", str(tmp_path / "r.txt"), *ORG)
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize(
    ("header", "column"),
    [("Storage location", "K"), ("Subject countries", "E"), ("Data categories", "C"), ("Data subjects", "D")],
)
def test_ropa_required_cell_of_separators_alone_is_empty(tmp_path: Path, header: str, column: str) -> None:
    # Storage location ';' stopped the import with an internal error (IndexError, exit 70); a
    # Subject countries cell of ';' dropped the row silently; Data categories ';' wrote [].
    import csv

    headers = [c.header for c in COLUMNS]
    row = ["orders", "Orders", "contact", "customers", "VN", "100", "no", "service", "contract", "shop", "SG"]
    row += [""] * (len(headers) - len(row))
    row[headers.index(header)] = " ; , "
    with (tmp_path / "r.csv").open("w", newline="") as f:
        csv.writer(f).writerows([headers, row])
    code, out, err = run("import", "ropa", str(tmp_path / "r.csv"), *ORG)
    assert code == 2 and out == "", err
    assert f"r.csv:{column}2: {header} holds only separators ('; ,')" in err and "internal error" not in err


# ---------------------------------------------------------------- the shared vocabulary


def test_plain_words_map_to_real_taxonomy_keys_and_init_keeps_its_choices() -> None:
    from defa_check.inputs.taxonomy import data_categories

    for word, keys in DATA_WORDS.items():
        assert all(data_categories().canonical(k) for k in keys), word
    for word, (_, keys) in DATA_CHOICES.items():
        assert DATA_WORDS[word] == keys  # init's choices mean the same in a spreadsheet
    assert list(DATA_CHOICES) == ["names", "email", "phone", "address", "cards", "bank", "birth", "profiling",
                                  "location", "ids", "health", "biometric", "beliefs"]  # fmt: skip
    for earlier in ("contact", "behaviour", "religion"):  # init's earlier words still read in a spreadsheet
        assert earlier in DATA_WORDS


@pytest.mark.parametrize(
    ("text", "value", "lost"),
    [
        ("24 months", {"until": "period", "months": 24}, False),
        ("7 years (tax law)", {"until": "period", "months": 84, "reason": "tax law"}, False),
        ("30 days", {"until": "period", "months": 1}, True),
        ("6 years after employment ends", {"until": "period", "months": 72}, True),
        ("until purpose ends", {"until": "purpose_ends"}, False),
        ("Until account deletion", {"until": "purpose_ends", "reason": "Until account deletion"}, False),
        ("indefinitely", {"until": "indefinite"}, False),
    ],
)
def test_retention_words(text: str, value: dict[str, Any], lost: bool) -> None:
    parsed = parse_retention(text)
    assert parsed is not None and parsed.value == value and bool(parsed.lost) == lost


def test_retention_that_says_nothing_readable_is_none() -> None:
    assert parse_retention("when we feel like it") is None


def test_a_missing_sheet_is_named_with_the_sheets_there_are(template: Path) -> None:
    code, _, err = run("import", "ropa", str(template), "--sheet", "Exmaple", *ORG)
    assert code == 2 and "no sheet named 'Exmaple'; it has ROPA, Example, Help, Lists" in err
    assert "did you mean 'Example'?" in err
