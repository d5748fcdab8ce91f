"""The command line end to end: exit codes, formats, output files, errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.inputs.schemas import schema

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
SMALL = str(FIXTURES / "manifests" / "aq-small.yaml")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def check(*args: str) -> tuple[int, str, str]:
    return run("check", SMALL, "--rules-dir", PROJECT, "--as-of", "2026-11-27", *args)


def test_exit_codes_follow_the_fail_threshold() -> None:
    assert check()[0] == 1  # AQ-TRANSFER-001 (high) fails
    assert check("--fail-on", "critical")[0] == 0
    assert check("--fail-on", "never")[0] == 0
    assert check("--fail-on", "medium")[0] == 1
    assert check("--fail-on", "CRITICAL")[0] == 0 and check("--fail-on", "Never")[0] == 0  # any case


def test_a_mistyped_severity_is_never_pointed_to_never() -> None:
    """`--fail-on severe` was told "did you mean 'never'?": following it turns the build's gate off."""
    code, _, err = check("--fail-on", "severe")
    assert code == 2 and "unknown severity 'severe'" in err and "did you mean" not in err
    code, _, err = check("--fail-on", "hihg")
    assert code == 2 and "did you mean 'high'?" in err
    code, _, err = run("diff", "a.json", "b.json", "--fail-on", "nevr")
    assert code == 2 and "unknown severity 'nevr'" in err and "did you mean" not in err


def test_json_report_matches_its_schema_and_is_one_document() -> None:
    _, out, err = check("--format", "json")
    data = json.loads(out)
    jsonschema.Draft202012Validator(schema("report")).validate(data)
    assert data["summary"]["fail"] >= 1 and "fail" in err
    statuses = {(f["rule_id"], f["subject"]["id"]): f["status"] for f in data["findings"]}
    assert statuses[("AQ-TRANSFER-001", "out")] == "fail"
    assert statuses[("AQ-TRANSFER-001", "unknown")] == "needs_info"
    assert statuses[("AQ-SENSITIVE-001", "unknown")] == "needs_info"


def test_output_is_written_atomically_and_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert check("--format", "json", "--output", str(target))[0] == 1
    first = target.read_text()
    assert json.loads(first)["tool"]["name"] == "defa-check"
    code, _, err = check("--format", "json", "--output", str(target))
    assert code == 2 and "already exists" in err
    assert check("--format", "json", "--output", str(target), "--force")[0] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_same_input_gives_byte_identical_output() -> None:
    assert check("--format", "json")[1] == check("--format", "json")[1]
    assert check()[1] == check()[1]


def test_console_shows_what_to_do_first_then_questions_then_a_recap() -> None:
    _, out, _ = check()
    # Summary, then the requirements not met (most urgent first), then questions, then the recap last.
    assert out.index("Summary") < out.index("Not met (") < out.index("Questions to answer (")
    assert out.index("Questions to answer (") < out.index("Needs action (") < out.index("not legal advice")
    assert "What to do: Sign contract clauses" in out
    assert "Law: Test Act (No. 1 of 2000), s. 1" in out
    # One entry per requirement: AQ-TRANSFER-001 fails on one flow; its entry names the flow.
    assert out.count("NOT MET  AQ-TRANSFER-001") == 1
    # A missing fact is asked as a question, naming the flows, with the field as a secondary line.
    assert "What makes it lawful to send this data abroad" in out
    assert "In the manifest: flows[].transfer_mechanisms, e.g." in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    # Piped output is not hard-wrapped: the long rule message stays on one line.
    assert all(len(line) < 400 for line in out.splitlines())
    recap = out[out.index("Needs action (") :]
    assert "1. " in recap and "Full report:" in recap


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "nope.yaml"], "no such file"),
        (["check", SMALL, "--as-of", "27/11/2026"], "not a date"),
        (["check", SMALL, "--country", "QQ", "--rules-dir", PROJECT], "no country code or name 'QQ'"),
        (["check", SMALL, "--format", "pdfx"], "unknown format"),
        (["explain", "AQ-TRANSFR-001", "--rules-dir", PROJECT], "did you mean 'AQ-TRANSFER-001'?"),
        (["check", SMALL, "--format", "sarf"], "did you mean 'sarif'?"),
        (["diff", SMALL, SMALL, "--format", "html"], "choose from console, json, markdown"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], needle: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in out + err


EXAMPLE = str(ROOT / "examples" / "sg-shop-selling-into-vn.yaml")


@pytest.mark.parametrize(
    ("typed", "said", "guess"),
    [
        ("Vietnma", "no country code or name 'Vietnma'", "(did you mean 'VN'?)"),  # a mistyped name
        ("vn,singapor", "no country code or name 'singapor'", "(did you mean 'SG'?)"),
        ("VX", "no country code or name 'VX'", "(did you mean 'VN'?)"),
        ("US", "no rule pack for country 'US'", None),  # a country, without a pack
        (",", "give a country code or name", None),
    ],
)
def test_a_country_without_a_pack_is_named_as_typed_with_a_guess(
    typed: str, said: str, guess: str | None
) -> None:
    code, out, err = run("check", EXAMPLE, "--country", typed)
    assert code == 2 and said in err and out == ""
    assert (guess in err) if guess else "did you mean" not in err


@pytest.mark.parametrize("profile", sorted((ROOT / "countries").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_name_a_country_profile_prints_is_a_name_country_takes(profile: Path) -> None:
    """`countries BN` prints "Brunei Darussalam"; `--country "Brunei Darussalam"` was refused."""
    from defa_check.inputs.geo import to_country

    data = yaml.safe_load(profile.read_text())
    assert to_country(data["name"]) == data["code"]
    assert to_country("  " + data["name"].upper().replace(" ", "  ") + " ") == data["code"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Timor Leste", "TL"), ("Burma", "MM"), ("Lao People\u2019s Democratic Republic", "LA"),
     ("Republic of the Philippines", "PH"), ("Viet  Nam", "VN")],
)  # fmt: skip
def test_other_common_names_of_member_states_are_taken(typed: str, code: str) -> None:
    report = json.loads(run("check", EXAMPLE, "--country", f"{typed},SG", "--format", "json")[1])
    assert report["countries"] == (["SG", "VN"] if code == "VN" else ["SG"])
    if code != "VN":
        assert report["notices"] == [
            f"--country {code}: this manifest does not mention it (it mentions SG, US, VN); not checked"
        ]


def test_a_trailing_comma_in_country_is_nothing_more() -> None:
    assert (
        run("check", EXAMPLE, "--country", "VN,", "--format", "json")[1]
        == run("check", EXAMPLE, "--country", "VN", "--format", "json")[1]
    )


def test_a_country_selection_that_leaves_a_manifest_nothing_says_so() -> None:
    # The example mentions SG, VN and US; Thailand's pack has nothing to say about it, and the
    # report must not read as "nothing to do" without saying why.
    code, out, _ = run("check", EXAMPLE, "--country", "TH")
    assert code == 0
    assert "No rule pack applies to this manifest (see the notices below)." in out
    assert "Nothing was checked" in out and "Nothing is failing" not in out
    assert "--country TH: this manifest mentions only SG, US, VN; nothing was checked" in out
    assert "mentions no country that defa-check covers" not in out
    report = json.loads(run("check", EXAMPLE, "--country", "TH", "--format", "json")[1])
    assert report["notices"] == ["--country TH: this manifest mentions only SG, US, VN; nothing was checked"]


def test_invalid_manifest_lists_problems_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("manifest_version: 1\norganization: {name: X, home_country: SGP}\nflows: [{id: a}]\n")
    code, _, err = run("check", str(bad))
    assert code == 2
    assert f"{bad}:2:15: $.organization.home_country" in err or f"{bad}:2:" in err
    assert "required field 'from' is missing" in err
    code, out, _ = run("validate", str(bad), SMALL)
    assert code == 2 and "required field 'to' is missing" in out
    # A missing field that takes set values says them (a re-trial: retention without until).
    bad.write_text(
        "manifest_version: 1\norganization: {name: X, home_country: SG}\n"
        "flows: [{id: a, from: SG, to: SG, retention: {months: 24}}]\n"
    )
    code, out, _ = run("validate", str(bad))
    assert code == 2
    assert "required field 'until' is missing (one of: period, purpose_ends, indefinite)" in out


def test_schema_command_prints_the_schemas_in_use() -> None:
    for name in ("manifest", "rules", "country", "pack", "report", "waivers"):
        code, out, _ = run("schema", name)
        assert code == 0
        printed = json.loads(out)
        assert printed == schema(name)
        jsonschema.Draft202012Validator.check_schema(printed)


def test_rules_commands_on_a_pack_folder() -> None:
    code, out, _ = run("rules", "list", "--rules-dir", PROJECT, "--topic", "transfer")
    header, first = out.splitlines()[:2]
    assert header.split() == ["ID", "TOPIC", "SEVERITY", "SUBJECT", "IN", "FORCE", "TITLE"]
    assert header.index("TOPIC") == first.index("transfer")  # the header names the columns below it
    assert code == 0 and first.startswith("AQ-TRANSFER-001") and "AQ-DPO-001" not in out
    code, out, _ = run("rules", "show", "aq-dpo-001", "--rules-dir", PROJECT)
    assert code == 0 and "id: AQ-DPO-001" in out
    code, _, err = run("rules", "lint", PROJECT)
    assert code == 0 and "0 problem(s)" in err
    code, _, err = run("rules", "test", PROJECT)
    assert code == 0 and "20 passed, 0 failed" in err


def test_rules_lint_and_test_report_broken_packs(tmp_path: Path) -> None:
    broken = tmp_path / "project"
    shutil.copytree(PROJECT, broken)
    rules = broken / "rules" / "aq" / "rules.yaml"
    text = rules.read_text().replace("flow.leaves_country", "flow.leaves_countryy", 1)
    text = text.replace(
        "name: users unknown\n        expect: needs_info", "name: users unknown\n        expect: pass", 1
    )
    rules.write_text(text)
    code, out, _ = run("rules", "lint", str(broken))
    assert code == 1
    assert "unknown fact 'flow.leaves_countryy' (did you mean 'flow.leaves_country'?)" in out
    code, out, _ = run("rules", "test", str(broken))
    assert code == 1
    assert "FAIL AQ-PLATFORM-001 [users unknown]: expected pass, got needs_info" in out


@pytest.mark.parametrize("fact", ["org.employees", "flow.from", "flow.local_copy"])
def test_under_on_a_fact_without_taxonomy_keys_is_a_lint_problem(tmp_path: Path, fact: str) -> None:
    # `under` on a number crashed `check` (TypeError, exit 70); on text it compared its letters.
    pack = tmp_path / "project"
    shutil.copytree(PROJECT, pack)
    rules = pack / "rules" / "aq" / "rules.yaml"
    text = rules.read_text()
    old = "requires: {fact: flow.transfer_mechanisms, contains_any: [contract_clauses, asean_mcc, consent]}"
    assert old in text
    rules.write_text(text.replace(old, f"requires: {{fact: {fact}, under: [user]}}", 1))
    code, out, _ = run("rules", "lint", str(pack))
    assert code == 1
    assert f"`under` compares taxonomy keys; fact '{fact}' holds none" in out
    code, _, err = run("check", SMALL, "--rules-dir", str(pack), "--as-of", "2026-11-27")
    assert code == 2
    assert "$.rules[0].requires: `under` compares taxonomy keys" in err and "internal error" not in err


def test_explain_reads_as_plain_language() -> None:
    code, out, _ = run("explain", "AQ-PLATFORM-001", "--rules-dir", PROJECT)
    assert code == 0
    for needle in (
        "Who it applies to:",
        "market.monthly_users > 5000",
        "How to comply:",
        "Notify the regulator.",
        "https://example.invalid/act#s5",
        "In force from 2000-01-01.",
        "- not notified: fail",
        "not legal advice",
    ):
        assert needle in out


def _section(text: str, heading: str) -> list[str]:
    """The wrapped lines under ``heading`` in `explain` output, up to the next blank line."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_explain_wraps_to_the_width_asked_without_splitting_ids_or_urls() -> None:
    from defa_check.packs.loader import load_catalog
    from defa_check.workflows.explain import DEFAULT_WIDTH, explain_rule

    catalog = load_catalog()
    rule = catalog.rule("SG-TRANSFER-001")
    assert rule is not None
    piped = explain_rule(rule, catalog)
    narrow = explain_rule(rule, catalog, width=60)
    for text, width in ((piped, DEFAULT_WIDTH), (narrow, 60)):
        paragraph = _section(text, "Note on the sources:")
        assert len(paragraph) > 3
        for line in paragraph:
            # A line may overrun only when it is one unbreakable token (a URL, an id).
            assert len(line) <= width or " " not in line.strip(), line
        # Rule ids are never cut at their hyphens.
        assert not any(line.rstrip().endswith("SG-") for line in paragraph)
    assert max(len(line) for line in _section(piped, "Note on the sources:")) > 60
    # Piped output (CliRunner is not a terminal) is the stable default width.
    code, out, _ = run("explain", "SG-TRANSFER-001")
    assert code == 0 and out.strip() == piped.strip()


def test_python_dash_m_and_version() -> None:
    from defa_check import __version__

    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "--version"], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, f"defa-check {__version__}")


def test_the_process_ends_at_once_with_its_output_and_exit_code(tmp_path: Path) -> None:
    """Start-up: the console script skips Python's shutdown (entry._exit_at_once) once its output
    is flushed: a report larger than a pipe's buffer still arrives whole, every exit code stays."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import manifest
    finally:
        sys.path.pop(0)
    flows = tmp_path / "flows.json"
    flows.write_text(json.dumps(manifest(300)), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "defa_check",
        "check",
        str(flows),
        "--format",
        "json",
        "--as-of",
        "2026-11-27",
    ]
    proc = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    assert proc.returncode == 1 and len(proc.stdout) > 200_000
    assert len(json.loads(proc.stdout)["findings"]) > 1000
    assert proc.stderr.decode().endswith("failing at or above high\n")
    proc = subprocess.run(
        [*command[:4], str(tmp_path / "none.yaml")], capture_output=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 2 and b"no such file" in proc.stderr
    # The shutdown is skipped: an object's finalizer, which it would run, never runs.
    marker = tmp_path / "finalized"
    code = (
        "import sys\n"
        "class Marker:\n"
        f"    def __del__(self, open=open): open({str(marker)!r}, 'w').close()\n"
        "kept = Marker()\n"
        f"sys.argv = ['defa-check', 'check', {str(flows)!r}, '--format', 'compact', '--fail-on', 'never']\n"
        "from defa_check.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and proc.stdout and not marker.exists(), proc.stderr
    # Something registered to run at exit (coverage, say): Python's own shutdown, which runs it.
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stdout.write('at exit\\n'))\n"
        f"sys.argv = ['defa-check', 'check', {str(flows)!r}, '--format', 'compact', '--fail-on', 'never']\n"
        "from defa_check.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and proc.stdout.endswith(b"at exit\n"), proc.stderr


@pytest.mark.skipif(shutil.which("defa-check") is None, reason="console script not installed")
def test_installed_command_finds_bundled_packs_from_any_folder(tmp_path: Path) -> None:
    example = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        ["defa-check", "check", str(example), "--format", "json", "--as-of", "2026-11-27"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert {p["country"] for p in data["packs"]} >= {"SG", "VN"}


def test_console_separates_drafts_from_law() -> None:
    _, out, _ = check()
    action, _, pending = out.partition("Pending developments: draft laws, not in force")
    assert "AQ-DRAFT-001" not in action
    assert (
        "DRAFT AQ-DRAFT-001 · A draft law would require a DPO" in pending and "(would be fail if" in pending
    )
    code, out, _ = run("explain", "AQ-DRAFT-001", "--rules-dir", PROJECT)
    assert code == 0 and "DRAFT: this comes from a draft law that is not in force" in out
    _, out, _ = run("rules", "list", "--rules-dir", PROJECT, "--topic", "dpo")
    assert "draft (not law)" in out


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    check("--format", "json", "--output", str(target))
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_rules_lint_on_one_pack_folder_and_on_nothing(tmp_path: Path) -> None:
    code, _, err = run("rules", "lint", str(FIXTURES / "project" / "rules" / "aq"))
    assert code == 0 and "7 rules in 1 packs" in err
    code, _, err = run("rules", "lint", str(tmp_path))
    assert code == 2 and "no rule packs here" in err
    code, _, err = run("rules", "lint", str(tmp_path / "missing"))
    assert code == 2 and "no such folder" in err


def test_friendlier_messages(tmp_path: Path) -> None:
    code, _, err = run("check", "-")
    assert code == 2 and "standard input is not supported" in err
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "manifest_version: 1\norganization: {name: X, home_country: Singapore, employees: [1], size: null}\n"
    )
    _, out, _ = run("validate", str(bad))
    assert "'Singapore' is not an ISO 3166-1 alpha-2 country code (did you mean 'SG'?)" in out
    assert "$.organization.employees: expected a whole number, got [1]" in out
    assert "$.organization.size: null is not one of: micro, small, medium, large" in out
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.md").write_text("# mine\n")
    code, _, err = run("rules", "docs", "--output", str(docs), "--rules-dir", PROJECT)
    assert (
        code == 2 and "not written by `rules docs`" in err and (docs / "README.md").read_text() == "# mine\n"
    )


def test_rules_lint_refuses_mirror_hosts_and_warns_on_unofficial_sources(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    profile = project / "countries" / "aq.yaml"
    profile.write_text(profile.read_text() + "official_domains: [gazette.example]\n")
    code, out, _ = run("rules", "lint", str(project))
    assert code == 0 and "warning:" in out and "[unofficial-source]" in out
    assert run("rules", "lint", str(project), "--strict")[0] == 1
    rule_file = project / "rules" / "aq" / "rules.yaml"
    text = rule_file.read_text()
    rule_file.write_text(text.replace("https://example.invalid/act", "https://mail.example.invalid/act", 1))
    code, out, _ = run("rules", "lint", str(project))
    assert code == 1 and "[mirror-source]" in out


def test_every_command_option_and_argument_has_help() -> None:
    import click
    import typer.main

    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    bare = []
    for path, command in walk(typer.main.get_command(app), ["defa-check"]):
        if not (command.help or "").strip():
            bare.append(" ".join(path))
        for param in command.params:
            if not (getattr(param, "help", None) or "").strip():
                bare.append(f"{' '.join(path)} {param.name}")
    assert bare == []
    # Every option that takes a value says what in words (FILE, CC, N), never the type's
    # placeholder (<str>, <path>, <int range>), which a newcomer cannot act on.
    for path, _command in walk(typer.main.get_command(app), ["defa-check"]):
        _, out, _ = run(*path[1:], "--help")
        placeholders = re.findall(r"<[a-z%][a-z %|_-]*>", out)  # also <manifest|rules|...>
        assert placeholders == [], (path, placeholders)
        # Arguments in the usage line are named in capitals like the options' values (MANIFEST,
        # RULE_ID), not as the Python parameter ("{manifest}", "[manifests]...": a user trial).
        usage = next(line for line in out.splitlines() if "Usage:" in line)
        assert not re.search(r"[{\[][a-z_]+[}\]]", usage), (path, usage)
    _, out, _ = run("check", "--help")
    assert "YYYY-MM-DD" in out and "--config" in out
    _, out, _ = run("--help")
    # command descriptions are whole sentences, never cut with "..."
    assert "..." not in out.split("Commands:")[1] and "what complies and what to do." in " ".join(out.split())


def test_shell_completion_completes_commands_and_formats() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_DEFA_CHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        result = CliRunner().invoke(app, [], env=env, prog_name="defa-check")
        return result.stdout.split()

    assert complete("defa-check ch") == ["check"]
    assert "show" in complete("defa-check rules s")
    assert complete("defa-check check flows.yaml --format s") == ["sarif"]
    assert complete("defa-check check flows.yaml --fail-on n") == ["never"]
    _, out, _ = run("--help")
    assert "--install-completion" in out


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["check", "--help"], 0, "Usage: defa-check check [OPTIONS]"),
        (["rules", "show", "SG-TRANSFER-001"], 0, "SG-TRANSFER-001"),
        (["--help"], 0, "rules"),
        (["chek", "x.yaml"], 2, "Did you mean 'check'"),
        (["check", "--formt", "json"], 2, "--format"),
        ([], 2, "Usage: defa-check"),
    ],
)
def test_the_console_script_builds_only_the_command_it_runs_and_still_answers_everything(
    args: list[str], code: int, needle: str
) -> None:
    """`main` hands Typer only the command named (start-up); help, did-you-mean and usage stay whole."""
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert proc.returncode == code, proc.stderr
    assert needle in proc.stdout + proc.stderr
    if args == ["--help"]:
        for command in ("check", "validate", "report", "diff", "explain", "init", "waivers", "baseline"):
            assert command in proc.stdout


def test_a_number_written_as_text_is_called_text_with_what_to_do(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(EXAMPLE).read_text())
    data["flows"][0]["subjects"]["count"] = "50"
    data["organization"]["employees"] = "thirty"
    data["flows"][1]["subjects"]["count"] = "4,000"  # without quotes no number either: no such advice
    data["markets"][0]["annual_transactions"] = "12000.5"  # not whole: no such advice
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = run("check", str(manifest))
    assert code == 2
    assert "$.flows[0].subjects.count: expected a whole number, got the text '50' (write the number" in err
    assert "$.organization.employees: expected a whole number, got the text 'thirty' [wrong-type]" in err
    assert "$.flows[1].subjects.count: expected a whole number, got the text '4,000' [wrong-type]" in err
    assert "got the text '12000.5' [wrong-type]" in err
    assert f"error: {manifest}: 4 problems; nothing was checked" in err


def test_with_several_manifests_the_one_not_checked_is_named_as_such(tmp_path: Path) -> None:
    # "nothing was checked" after another manifest's full report read as if the run did nothing.
    good = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    code, _, err = run("check", str(good), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert f"error: {tmp_path / 'missing.yaml'}: 1 problem; this manifest was not checked" in err
    assert "nothing was checked" not in err


def test_with_nothing_failing_the_recap_asks_its_questions_without_a_then(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "examples" / "well-prepared-sg-retailer.yaml").read_text())
    del data["organization"]["breach_notification_hours"]  # one question, nothing failing
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False))
    _, out, _ = run("check", str(manifest))
    assert "Nothing is failing." in out
    assert "\n  Answer the 1 question above to settle what is still open." in out and "Then answer" not in out


def test_a_filing_dated_after_the_as_of_date_is_not_counted_as_filed() -> None:
    """A registration dated in the future counted as filed (a user trial): MY-DPO-001 passed on a
    DPO registration dated 2025-08-01 when the law was checked as of 2025-07-01."""
    manifest = str(ROOT / "examples" / "online-seller-three-markets.yaml")  # MY dpo dated 2025-08-01

    def my_dpo(as_of: str) -> tuple[str, list[str]]:
        _, out, _ = run("check", manifest, "--as-of", as_of, "--format", "json")
        report = json.loads(out)
        status = next(f["status"] for f in report["findings"] if f["rule_id"] == "MY-DPO-001")
        return status, report["notices"]

    assert my_dpo("2025-07-01") == (
        "fail",
        [
            "organization.registrations[0] (MY, dpo) is dated 2025-08-01, after 2025-07-01, "
            "the date the law is checked as of: not counted as filed"
        ],
    )
    assert my_dpo("2025-09-01") == ("pass", [])


def test_validate_takes_a_folder_as_check_does(tmp_path: Path) -> None:
    """`validate mix` refused a folder that `check mix` took (a user trial)."""
    folder = tmp_path / "mix"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "regional-hr.yaml", folder / "a.yaml")
    (folder / "b.yaml").write_text("manifest_version: 1\norganization: {name: X}\n")
    code, out, err = run("validate", str(folder))
    assert code == 2 and f"{folder / 'a.yaml'}: valid" in err
    assert "required field 'home_country' is missing" in out
    (tmp_path / "empty").mkdir()
    code, out, _ = run("validate", str(tmp_path / "empty"))
    assert code == 2 and "folder holds no manifest" in out
