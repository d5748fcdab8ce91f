"""Large manifests: outcomes remembered per distinct facts, not-applicable findings counted.

Two speed-ups of the engine (issue #20) that must never change a report:
a rule's outcome is computed once per distinct set of the facts it reads, and
`check` counts not-applicable findings per rule instead of building each one
unless a format names them (CSV, the deliverables) or the user asks.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.evaluate import engine
from defa_check.evaluate.engine import build_report
from defa_check.model import Report, Status
from defa_check.packs.loader import Catalog, load_catalog
from defa_check.render import get_format
from defa_check.render.base import RenderOptions

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import manifest as generated_manifest

AS_OF = dt.date(2026, 11, 29)
runner = CliRunner()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    """Eleven countries, every kind of flow the generator writes, many flows alike."""
    return generated_manifest(300)


def _report(data: dict[str, Any], catalog: Catalog, listed: bool = True) -> Report:
    return build_report(data, "flows.yaml", b"", catalog, AS_OF, list_not_applicable=listed)


class _Forgetful(engine._Memo):
    """Remembers nothing, so every outcome is computed afresh: what the engine gave before it
    remembered any."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default


@pytest.mark.parametrize("source", ["generated", *sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))])
def test_remembered_outcomes_are_the_outcomes_computed_afresh(
    source: str, catalog: Catalog, generated: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = generated if source == "generated" else yaml.safe_load((ROOT / "examples" / source).read_text())
    remembered = _report(data, catalog).findings
    monkeypatch.setattr(engine, "_Memo", _Forgetful)
    afresh = _report(data, catalog).findings
    assert remembered == afresh
    # why and evidence are not part of equality for every field; compare them outright.
    assert [(f.why, f.evidence, f.message, f.missing) for f in remembered] == [
        (f.why, f.evidence, f.message, f.missing) for f in afresh
    ]


def test_facts_that_read_differently_are_not_confused() -> None:
    frozen = engine._frozen
    distinct = [1, 1.0, True, "1", None, [1], ["1"], [], {}, engine._ABSENT, {"a": 1}, {"a": True}]
    assert len({frozen(v) for v in distinct}) == len(distinct)


def test_counting_not_applicable_findings_changes_no_format_but_csv_and_deliverables(
    catalog: Catalog, generated: dict[str, Any]
) -> None:
    listed, counted = _report(generated, catalog, True), _report(generated, catalog, False)
    assert sum(f.status is Status.NOT_APPLICABLE for f in listed.findings) > 1000
    assert not any(f.status is Status.NOT_APPLICABLE for f in counted.findings)
    assert counted.summary() == listed.summary()
    assert counted.not_applicable_counts() == listed.not_applicable_counts()
    for name in ("console", "markdown", "json", "sarif", "junit", "github", "gitlab", "compact"):
        for options in (RenderOptions(), RenderOptions(limit=None)):
            assert get_format(name).render_bytes(counted, options) == get_format(name).render_bytes(
                listed, options
            ), name


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "flows.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("extra", "lists"),
    [
        ([], False),
        (["--include-not-applicable"], True),
        (["--format", "csv", "--output", "{tmp}/r.csv"], True),
        (["--format", "html", "--output", "{tmp}/r.html"], True),
    ],
)
def test_check_lists_not_applicable_findings_only_where_a_report_names_them(
    tmp_path: Path, generated: dict[str, Any], extra: list[str], lists: bool
) -> None:
    small = {**generated, "flows": generated["flows"][:40]}
    path = _write(tmp_path, small)
    saved = tmp_path / "r.json"
    args = ["check", str(path), "--format", "json", "--output", str(saved), "--fail-on", "never"]
    args += [a.replace("{tmp}", str(tmp_path)) for a in extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(saved.read_text())
    listed_na = [f for f in data["findings"] if f["status"] == "not_applicable"]
    assert sum(n["count"] for n in data["not_applicable"]) > 0
    # CSV and HTML list them for their own output; the JSON report still counts them.
    if "--include-not-applicable" in extra:
        assert len(listed_na) == sum(n["count"] for n in data["not_applicable"])
    else:
        assert listed_na == []
    assert lists == (len(listed_na) > 0 or "csv" in extra or "html" in extra)
    if "csv" in extra:
        rows = (tmp_path / "r.csv").read_text().splitlines()
        assert sum(",not_applicable," in row for row in rows) == sum(
            n["count"] for n in data["not_applicable"]
        )
    if "html" in extra:
        html = (tmp_path / "r.html").read_text()
        # The deliverable names the subjects a requirement does not apply to, as it always has.
        assert "oes not apply to flow " in html
        assert not any(f"flow {n} flows" in html for n in range(1, 100))


def test_a_deliverable_from_a_saved_report_counts_the_subjects_it_does_not_name(
    tmp_path: Path, generated: dict[str, Any]
) -> None:
    """A saved report counts not-applicable findings; its HTML says "does not apply to 12 flows",
    after what is met (the order of statuses), never "flow 12 flows"."""
    import re

    path = _write(tmp_path, {**generated, "flows": generated["flows"][:40]})
    saved = tmp_path / "r.json"
    args = ["check", str(path), "--format", "json", "--output", str(saved), "--fail-on", "never"]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, ["report", str(saved), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert re.search(r"oes not apply to \d+ flows", html)
    assert not re.search(r"flow \d+ flows", html)
    assert not re.search(r"oes not apply to [^<]*; met for", html)


def test_a_baseline_is_the_json_report_check_writes(tmp_path: Path, generated: dict[str, Any]) -> None:
    path = _write(tmp_path, {**generated, "flows": generated["flows"][:40]})
    made, saved = tmp_path / "baseline.json", tmp_path / "report.json"
    when = ["--as-of", "2026-11-29"]
    assert runner.invoke(app, ["baseline", "create", str(path), "--output", str(made), *when]).exit_code == 0
    args = ["check", str(path), "--format", "json", "--output", str(saved), "--fail-on", "never", *when]
    assert runner.invoke(app, args).exit_code == 0
    assert made.read_bytes() == saved.read_bytes()


def test_a_baseline_does_not_hide_a_question_that_became_a_fail(tmp_path: Path) -> None:
    """Found by a trial: the baseline had VN-RETENTION-001 as needs_info on vn-orders; the edit
    makes it a fail, which must fail the run and come first in the pre-commit (compact) output."""
    flows = tmp_path / "flows.yaml"
    original = (ROOT / "examples" / "sg-shop-selling-into-vn.yaml").read_text()
    flows.write_text(original)
    when = ["--as-of", "2026-11-29"]
    baseline = tmp_path / "baseline.json"
    assert runner.invoke(app, ["baseline", "create", str(flows), "-o", str(baseline), *when]).exit_code == 0
    data = yaml.safe_load(original)
    order = next(f for f in data["flows"] if f["id"] == "vn-orders")
    assert "retention" not in order
    order["retention"] = {"until": "indefinite"}
    flows.write_text(yaml.safe_dump(data, sort_keys=False))
    args = ["check", str(flows), "--baseline", str(baseline), "--fail-on", "medium", "-f", "compact", *when]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert "VN-RETENTION-001 fail" in first and "(in the baseline)" not in first
    # Unchanged, the same manifest passes against its own baseline.
    flows.write_text(original)
    assert runner.invoke(app, args).exit_code == 0
