"""Output formats: the registry is complete, and each format matches its golden file.

Golden files live in tests/golden/. When a format changes on purpose, rerun with
DEFA_UPDATE_GOLDEN=1, then read the diff of the golden files by eye before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from defa_check.evaluate.document import check_file
from defa_check.model import Report
from defa_check.packs.loader import Catalog
from defa_check.render import FORMATS, OutputFormat, RenderOptions, format_class, get_format

from .conftest import AS_OF, FIXTURES

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def report(test_catalog: Catalog) -> Report:
    # A relative path keeps the golden files independent of where the checkout lives.
    cwd = os.getcwd()
    os.chdir(FIXTURES)
    try:
        result = check_file("manifests/aq-small.yaml", test_catalog, AS_OF)
    finally:
        os.chdir(cwd)
    assert result.report is not None
    return result.report


TEXT_FORMATS = sorted(name for name in FORMATS if not format_class(name).binary)


def test_every_registered_format_has_a_working_implementation(report: Report) -> None:
    assert set(FORMATS) == {
        "console",
        "json",
        "sarif",
        "junit",
        "markdown",
        "html",
        "pdf",
        "docx",
        "csv",
        "github",
        "gitlab",
        "compact",
    }
    for name in FORMATS:
        cls = format_class(name)
        fmt = get_format(name)
        assert isinstance(fmt, OutputFormat) and isinstance(fmt, cls)
        assert fmt.name == name and fmt.description
        if cls.binary:
            continue  # PDF and Word: tests/test_deliverables.py
        text = fmt.render(report)
        assert isinstance(text, str) and text.endswith("\n") and len(text) > 100
        assert fmt.render_bytes(report) == text.encode("utf-8")
        assert b"".join(fmt.render_chunks(report)) == text.encode("utf-8")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        get_format("odt")


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_golden(name: str, report: Report) -> None:
    rendered = get_format(name).render(report, RenderOptions(width=100))
    rendered = rendered.replace(report.tool_version, "<version>")
    path = GOLDEN / f"aq-small.{name}"
    if os.environ.get("DEFA_UPDATE_GOLDEN"):
        path.write_bytes(rendered.encode("utf-8"))
    assert rendered.encode("utf-8") == path.read_bytes()


def test_manifest_text_is_escaped_in_console_markup(report: Report) -> None:
    out = get_format("console").render(report, RenderOptions(color=True))
    # Rich markup in a manifest value must be shown literally, not interpreted.
    assert 'Test <Org> & "Co"' in out


EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def example_reports() -> dict[str, Report]:
    from defa_check.packs.loader import load_catalog

    catalog = load_catalog()
    cwd = os.getcwd()
    os.chdir(Path(__file__).parent.parent)
    try:
        out = {}
        for path in EXAMPLES:
            result = check_file(f"examples/{path.name}", catalog, AS_OF)
            assert result.report is not None
            out[path.stem] = result.report
    finally:
        os.chdir(cwd)
    return out


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_console_snapshot_of_each_example(
    example: str, width: int, example_reports: dict[str, Report]
) -> None:
    """Reviewed by eye: what an owner sees at 80 and 120 columns (DEFA_UPDATE_GOLDEN=1 to refresh)."""
    report = example_reports[example]
    rendered = get_format("console").render(report, RenderOptions(width=width))
    path = GOLDEN / "examples" / f"{example}.{width}.console"
    if os.environ.get("DEFA_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert rendered.encode("utf-8") == path.read_bytes()
    lines = rendered.splitlines()
    assert all(len(line) <= width or line.lstrip().startswith("http") for line in lines)
    # The last screen (24 rows) holds the recap and the most urgent requirement.
    last_screen = "\n".join(lines[-24:])
    assert "Needs action (" in last_screen
    from defa_check.model import Status
    from defa_check.render.digest import requirements

    failing = requirements(f for f in report.findings if f.status is Status.FAIL and not f.upcoming)
    if failing:
        assert failing[0].first.rule_id in last_screen
    # One entry per requirement: no rule's message is printed twice.
    for req in failing:
        assert rendered.count(req.first.message[:60]) <= 1, req.first.rule_id


def test_markdown_carries_the_cover_fields_and_agrees_with_the_deliverable_on_what_is_met() -> None:
    """A requirement not met on one flow and met on another is 'not met', in every format."""
    from defa_check.packs.loader import load_catalog
    from defa_check.render.digest import met_requirements, requirements

    report = check_file(
        Path(__file__).parent.parent / "examples" / "regional-hr.yaml", load_catalog(), AS_OF
    ).report
    assert report is not None
    options = RenderOptions(title="Review for Acme", prepared_for="Acme Ltd", prepared_by="Adviser LLP")
    text = get_format("markdown").render(report, options)
    assert (
        text.startswith("# Review for Acme\n") and "Prepared for Acme Ltd · prepared by Adviser LLP" in text
    )
    failing = {r.first.rule_id for r in requirements(f for f in report.findings if f.status.value == "fail")}
    met = {r.first.rule_id for r in met_requirements(report)}
    assert failing and not failing & met
    assert f"## Already met ({len(met)} requirement" in text
