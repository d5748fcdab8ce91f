"""Property tests: whatever the input, the loader and validator answer with problems, never crash.

Random text and mutated copies of the example manifests go through the whole
pipeline (load -> validate -> evaluate). The only acceptable outcomes are a
report or a list of located problems.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defa_check.evaluate.document import check_document
from defa_check.evaluate.engine import countries_mentioned
from defa_check.inputs import source as yamlio
from defa_check.model import Problem
from defa_check.packs.loader import load_catalog

from .conftest import ROOT

CATALOG = load_catalog()
EXAMPLES = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "examples").glob("*.yaml"))]
AS_OF = dt.date(2026, 11, 27)

junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["NO", "yes", "SG", "VN", "2026-01-01", "user", "user.biometric", "", "~"]),
        # Just over each text bound of the manifest schema (ids 200, names 1,000, free text 10,000).
        st.sampled_from(["w" * 201, "n" * 1_001, "d" * 10_001]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


def mutate(draw: st.DrawFn, data: Any, changes: int, add_keys: bool = True) -> Any:
    """``data`` with a few values replaced by junk, deleted, or junk keys added."""
    for _ in range(changes):
        candidates = [p for p in paths(data) if p]
        if not candidates:
            break
        target = draw(st.sampled_from(candidates))
        parent: Any = data
        for part in target[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"] if add_keys else ["replace", "delete"]))
        if action == "replace":
            parent[target[-1]] = draw(junk)
        elif action == "delete":
            del parent[target[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(junk)
    return data


@st.composite
def mutated_manifests(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    return mutate(draw, data, draw(st.integers(1, 4)))


def run_pipeline(text: str) -> None:
    doc = yamlio.loads(text, "m.yaml")
    if isinstance(doc.data, dict):
        countries_mentioned(doc.data)  # runs before validation, to pick the packs to load
    result = check_document(doc, CATALOG, AS_OF)
    if result.report is None:
        assert result.problems
        for problem in result.problems:
            assert isinstance(problem, Problem)
            assert str(problem).startswith("m.yaml")
    else:
        json.dumps(result.report.to_dict())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_manifests())
def test_mutated_manifests_give_a_report_or_problems(data: Any) -> None:
    run_pipeline(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    run_pipeline(json.dumps(data))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_gives_a_report_or_problems(text: str) -> None:
    run_pipeline(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "manifest_version: 1\n",
                "organization:\n",
                "  name: X\n",
                "  home_country: NO\n",
                "flows:\n",
                "  - id: a\n",
                "    from: SG\n",
                "    to: VN\n",
                "  - &x {id: b}\n",
                "  - *x\n",
                "    data_categories: [user]\n",
                "  {\n",
                "- ]\n",
                "\t\n",
                ": :\n",
            ]
        ),
        max_size=14,
    )
)
def test_yamlish_fragments_give_a_report_or_problems(lines: list[str]) -> None:
    run_pipeline("".join(lines))


def test_examples_are_valid_manifests() -> None:
    for path in sorted(Path(ROOT / "examples").glob("*.yaml")):
        doc = yamlio.load(path)
        result = check_document(doc, CATALOG, AS_OF)
        assert result.report is not None, [str(p) for p in result.problems]


@pytest.mark.parametrize("engine", ["compiled", "library"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_manifests())
def test_compiled_schema_check_agrees_with_jsonschema(engine: str, data: Any) -> None:
    """Each yes/no check (our compiled one; jsonschema-rs) says "valid" exactly when jsonschema does."""
    from defa_check.inputs.schemas import quick_check, validator

    if engine == "library":
        pytest.importorskip("jsonschema_rs")
    quick = quick_check("manifest", engine)
    assert quick is not None
    errors = list(validator("manifest").iter_errors(data))
    assert quick(data) is (not errors), [e.message for e in errors[:3]]


PROFILES = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "countries").glob("*.yaml"))]


@st.composite
def mutated_profiles(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(PROFILES)))
    return mutate(draw, data, draw(st.integers(0, 3)), add_keys=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_profiles())
def test_compiled_profile_check_agrees_with_jsonschema(data: Any) -> None:
    """Bundled profiles load through the compiled check; it must agree with jsonschema."""
    from defa_check.inputs.schemas import quick_check, validator

    quick = quick_check("country")
    assert quick is not None
    errors = list(validator("country").iter_errors(data))
    assert quick(data) is (not errors), [e.message for e in errors[:3]]


def _saved_reports() -> list[Any]:
    """Saved JSON reports (version 3) of the examples, one compared with a baseline, and a golden one."""
    from defa_check.evaluate.waivers import apply_baseline
    from defa_check.render import get_format

    reports = []
    for path in sorted((ROOT / "examples").glob("*.yaml"))[:3]:
        result = check_document(yamlio.load(path), CATALOG, AS_OF)
        assert result.report is not None
        reports.append(result.report)
    reports.append(apply_baseline(reports[0], reports[0]))
    saved = [json.loads(get_format("json").render(r)) for r in reports]
    return [*saved, json.loads((ROOT / "tests" / "golden" / "aq-small.json").read_text())]


SAVED_REPORTS = _saved_reports()


@st.composite
def mutated_reports(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(SAVED_REPORTS)))
    return mutate(draw, data, draw(st.integers(0, 3)), add_keys=True)


@pytest.mark.parametrize("engine", ["compiled", "library"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_reports())
def test_compiled_report_check_agrees_with_jsonschema(engine: str, data: Any) -> None:
    """`report`, `diff` and `--baseline` accept a saved report on the compiled yes/no alone."""
    from defa_check.inputs.schemas import quick_check, validator

    if engine == "library":
        pytest.importorskip("jsonschema_rs")
    quick = quick_check("report", engine)
    assert quick is not None
    errors = list(validator("report").iter_errors(data))
    assert quick(data) is (not errors), [e.message for e in errors[:3]]


WAIVER_FILES = [
    {
        "waivers": [
            {"rule": "VN-LOCAL-*", "justification": "Accepted until the migration.", "approved_by": "CISO",
             "expires": "2027-02-28", "country": "VN", "flow": "vn-orders", "ticket": "SEC-12"},
            {"rule": "SG-DPO-001", "justification": "A DPO is being hired now.", "approved_by": "DPO",
             "expires": "2026-12-31", "organization": True},
            {"rule": "ID-*", "justification": "The market opens next year.", "approved_by": "Counsel",
             "expires": "2027-01-01", "market": "ID"},
        ]
    },
    {"waivers": []},
]  # fmt: skip
EDGE_VALUES = [
    *("2026-02-30", "2026-1-01", "2026-01-01\n", "\uff12\uff10\uff12\uff16-01-01"),  # edges of a date
    *("sg", "SG\n", "", "x" * 9, True, 1),
]


@st.composite
def mutated_waiver_files(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(WAIVER_FILES)))
    data = mutate(draw, data, draw(st.integers(0, 3)))
    waivers = data.get("waivers") if isinstance(data, dict) else None
    for waiver in waivers if isinstance(waivers, list) else []:
        if isinstance(waiver, dict) and draw(st.booleans()):
            waiver[draw(st.sampled_from(["expires", "country", "rule", "organization", "flow"]))] = draw(
                st.sampled_from(EDGE_VALUES)
            )
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_waiver_files())
def test_compiled_waiver_check_agrees_with_jsonschema(data: Any) -> None:
    """A waiver file is accepted on the compiled yes/no alone (jsonschema only words a "no")."""
    from defa_check.inputs.schemas import quick_check, validator

    quick = quick_check("waivers")
    assert quick is not None
    errors = list(validator("waivers").iter_errors(data))
    assert quick(data) is (not errors), [e.message for e in errors[:3]]


item_text = st.from_regex(r"[a-z][a-z0-9._]{0,11}", fullmatch=True).filter(
    lambda t: t not in ("null", "true", "false", "yes", "no", "on", "off", "y", "n")
)


@settings(max_examples=150, deadline=None)
@given(
    items=st.lists(item_text, min_size=1, max_size=6),
    style=st.sampled_from(["block", "flow", "json"]),
    indent=st.integers(0, 4),
    spaces=st.integers(0, 3),
)
def test_every_list_item_is_located_at_its_own_text(
    items: list[str], style: str, indent: int, spaces: int
) -> None:
    """A problem about one item of a list (a misspelt category, a country) names the item's own
    line and column, whatever the layout (each position checked against the text itself)."""
    pad, gap = " " * indent, " " * spaces
    if style == "block":
        text = "key:\n" + "".join(f"{pad}-{gap} {item}\n" for item in items)
    elif style == "flow":
        text = f"key: [{gap}" + f",{gap}\n{pad} ".join(items) + "]\n"
    else:
        text = '{"key": [' + f",\n{pad}".join(f'{gap}"{item}"' for item in items) + "]}"
    doc = yamlio.loads(text, "m.json" if style == "json" else "m.yaml")
    assert doc.ok and doc.data == {"key": items}
    lines = text.split("\n")
    for i, item in enumerate(items):
        where = doc.locate(["key", i])
        at = lines[where.line - 1][where.column - 1 :]
        assert at.lstrip('"').startswith(item), (text, i, where)
