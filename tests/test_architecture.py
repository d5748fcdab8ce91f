"""The architecture holds: one definition of each domain idea, imports in one direction, registries complete.

The import contracts run import-linter over the package (function-local imports
included), so a wrong import fails the suite instead of waiting for a review.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.evaluate.document import check_file
from defa_check.model import PROBLEM_CODES, Report, Severity
from defa_check.packs.loader import Catalog, load_catalog
from defa_check.render import FORMATS, RenderOptions, get_format

from .conftest import AS_OF, FIXTURES, ROOT

runner = CliRunner()


def _reports(test_catalog: Catalog) -> list[Report]:
    """The small fixture (fails, needs_info, upcoming, draft) and every bundled example."""
    reports = []
    small = check_file(FIXTURES / "manifests" / "aq-small.yaml", test_catalog, AS_OF).report
    assert small is not None
    reports.append(small)
    bundled = load_catalog()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        report = check_file(example, bundled, AS_OF).report
        assert report is not None, example
        reports.append(report)
    return reports


_RECAP = re.compile(r"Needs action \((\d+) items?\)")
_REVIEW = re.compile(r"To confirm with counsel: (\d+) items?")


def _from_recap(text: str) -> tuple[int, int]:
    action = _RECAP.findall(text)
    review = _REVIEW.findall(text)
    assert len(set(action)) == 1, action
    return int(action[0]), int(review[0]) if review else 0


def _console(report: Report) -> tuple[int, int]:
    return _from_recap(
        get_format("console").render(report, RenderOptions(color=False, limit=None, width=200))
    )


def _markdown(report: Report) -> tuple[int, int]:
    return _from_recap(get_format("markdown").render(report))


def _html(report: Report) -> tuple[int, int]:
    pytest.importorskip("jinja2")
    return _from_recap(get_format("html").render(report))


def _sarif(report: Report) -> tuple[int, int]:
    results = json.loads(get_format("sarif").render(report))["runs"][0]["results"]
    live = [r for r in results if not r.get("suppressions") and not r["properties"]["upcoming"]]
    action = sum(1 for r in live if r["properties"]["status"] in ("fail", "needs_info"))
    return action, sum(1 for r in live if r["properties"]["status"] == "review")


def _junit(report: Report) -> tuple[int, int]:
    root = ET.fromstring(get_format("junit").render(report))
    action = review = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None:
            action += 1
        skipped = case.find("skipped")
        reason = "" if skipped is None else skipped.get("message", "")
        # "fail (medium), below the fail threshold": a finding needing action that does not fail the run.
        if reason.startswith(("needs info", "already in the baseline", "fail (")):
            action += 1
        if reason.startswith("review"):
            review += 1
    return action, review


def _github(report: Report) -> tuple[int, int]:
    text = get_format("github").render(report, RenderOptions(limit=None))  # every annotation, no cap
    lines = [line for line in text.splitlines() if line.startswith(("::error", "::warning", "::notice"))]
    lines = [line for line in lines if not line.startswith("::notice title=defa-check::")]
    review = sum(1 for line in lines if "(review)" in line)
    return len(lines) - review, review


def test_every_format_counts_the_same_items_as_needing_action(test_catalog: Catalog) -> None:
    for report in _reports(test_catalog):
        expected = (len(report.action_items()), len(report.review_items()))
        counts = {
            "console": _console(report),
            "markdown": _markdown(report),
            "html": _html(report),
            "sarif": _sarif(report),
            "junit": _junit(report),
            "github": _github(report),
        }
        assert set(counts.values()) == {expected}, (report.manifest_path, expected, counts)


def test_the_fixture_exercises_what_needs_action_excludes(test_catalog: Catalog) -> None:
    """Without upcoming and draft findings the agreement test above could not fail."""
    report = _reports(test_catalog)[0]
    assert any(f.needs_action_once_in_force and not f.draft for f in report.findings)
    assert any(f.draft for f in report.findings)
    assert all(not f.upcoming for f in report.action_items())
    assert any(r.review_items() for r in _reports(test_catalog))  # review is counted somewhere too


def test_format_choices_come_from_the_registry_and_each_renders() -> None:
    help_text = runner.invoke(app, ["check", "--help"], terminal_width=200).stdout
    for name in FORMATS:
        assert name in help_text
    from defa_check.workflows import countries, diff, plan

    assert set(plan.FORMATS) <= {"console", "markdown", "html", "json"}
    assert set(diff.FORMATS) <= {"console", "markdown", "json"}
    assert set(countries.FORMATS) == {"console", "markdown", "csv", "html", "json"}


def test_fail_on_choices_are_the_severities() -> None:
    from defa_check.cli.options import SEVERITY_NAMES

    assert set(SEVERITY_NAMES) == {s.label for s in Severity}


def test_problem_codes_are_documented() -> None:
    page = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", page, re.M))
    assert documented == set(PROBLEM_CODES)


def test_problems_use_only_known_codes() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "defa_check").rglob("*.py"))
    used = set(re.findall(r'code="([a-z-]+)"', source))
    assert used <= set(PROBLEM_CODES), used - set(PROBLEM_CODES)


def test_the_cli_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    assert gc.isenabled()
    runner.invoke(app, ["check", str(FIXTURES / "manifests" / "aq-small.yaml"), "--rules-dir",
                        str(FIXTURES / "project"), "--as-of", "2026-11-27"])  # fmt: skip
    assert gc.isenabled()


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_import_contracts_hold() -> None:
    proc = subprocess.run(["lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_module_imports_the_cli_or_a_command_module_by_accident() -> None:
    """Only the console-script shim imports the CLI (import-linter checks the rest)."""
    importers = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "defa_check").rglob("*.py")
        if "defa_check.cli" in p.read_text(encoding="utf-8") and "/cli/" not in p.as_posix()
    ]
    assert importers == ["defa_check/entry.py"], importers
    assert sys.modules.get("defa_check.cli") is not None  # imported by this test module


def test_the_check_pipeline_imports_no_parser_or_terminal_library_it_may_not_need() -> None:
    """Start-up (issue #20): PyYAML only when a YAML text is read, Rich only for the console,
    jsonschema only to word problems. A JSON manifest checked into a JSON report, from a wheel's
    pre-parsed packs, needs none of them."""
    modules = [
        "defa_check.cli",
        "defa_check.inputs.source",
        "defa_check.inputs.key_limit",
        "defa_check.inputs.taxonomy",
        "defa_check.inputs.manifest",
        "defa_check.packs.loader",
        "defa_check.evaluate.batch",
        "defa_check.render.json",
        "defa_check.render.sarif",
    ]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules)
    code += "print(sorted(m for m in ('yaml', 'rich', 'jsonschema') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pre-parsed files a wheel carries (hatch_build.py), written to a folder."""
    from defa_check.inputs.bundle import compile_data, split_data

    folder = tmp_path_factory.mktemp("compiled")
    for group, content in split_data(compile_data(ROOT, ROOT / "defa_check" / "data" / "fideslang")).items():
        (folder / f"{group}.json").write_text(json.dumps(content), encoding="utf-8")
    return folder


def modules_of_a_run(bundle: Path, out: Path, *args: str) -> set[str]:
    """Every module a `defa-check` process imported, run in ``out`` as from a wheel (pre-parsed packs)."""
    listing = out / "modules.txt"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(lambda: pathlib.Path({str(listing)!r}).write_text('\\n'.join(sys.modules)))\n"
        "import defa_check.inputs.bundle as bundle\n"
        f"bundle._FOLDER = pathlib.Path({str(bundle)!r})\n"
        f"sys.argv = ['defa-check', *{list(args)!r}]\n"
        "from defa_check.entry import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, env=env, capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return set(listing.read_text(encoding="utf-8").split())


def test_a_check_imports_only_what_its_run_needs(wheel_bundle: Path, tmp_path: Path) -> None:
    """Start-up (issue #20), for whole runs: nothing is imported, compiled or read that the run does
    not use. A JSON manifest checked into a JSON report needs no YAML parser, no Rich, no jsonschema
    (a valid manifest is never worded), no console; bundled data is read beside the code, without
    importlib.resources; a YAML manifest read by the fast parser needs no PyYAML either."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "sg-shop-selling-into-vn.yaml").read_text(encoding="utf-8"))
    manifest = tmp_path / "flows.json"
    manifest.write_text(json.dumps(data, indent=1), encoding="utf-8")
    json_run = modules_of_a_run(
        wheel_bundle, tmp_path, "check", str(manifest), "--country", "SG,VN", "--format", "json",
        "--output", str(tmp_path / "report.json"), "--as-of", "2026-11-27",
    )  # fmt: skip
    assert (tmp_path / "report.json").stat().st_size > 1000
    never = {"yaml", "rich", "jsonschema", "importlib.resources", "defa_check.inputs.yaml_reader"}
    assert json_run & (never | {"defa_check.render.console", "defa_check.inputs.logo"}) == set()
    assert {"defa_check.render.json", "defa_check.evaluate.engine"} <= json_run  # it did run

    console_run = modules_of_a_run(
        wheel_bundle, tmp_path, "check", str(ROOT / "examples" / "sg-shop-selling-into-vn.yaml"),
        "--as-of", "2026-11-27",
    )  # fmt: skip
    assert "defa_check.render.console" in console_run
    assert console_run & {"jsonschema", "importlib.resources", "defa_check.render.json"} == set()
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: VN-TRANSFER-001, justification: Until the migration., approved_by: CISO,"
        " expires: '2027-02-28', flow: vn-orders}\n",
        encoding="utf-8",
    )
    waived = modules_of_a_run(wheel_bundle, tmp_path, "check", str(manifest), "--waivers", str(waivers))
    assert "defa_check.inputs.waiver_file" in waived and "jsonschema" not in waived
    if fast_source_available():
        assert console_run & {"yaml", "defa_check.inputs.yaml_reader"} == set()
        # A settings file is read by the fast parser too (exactly only to locate a problem in it).
        (tmp_path / ".defa-check.yaml").write_text("fail_on: high\ncountries: [SG, VN]\n", encoding="utf-8")
        with_settings = modules_of_a_run(wheel_bundle, tmp_path, "check", str(manifest), "--format", "json")
        assert with_settings & {"yaml", "defa_check.inputs.yaml_reader"} == set()


def fast_source_available() -> bool:
    from defa_check.inputs.fast_source import available

    return available()
