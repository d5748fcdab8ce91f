"""The fast YAML path (yaml-rs) against the reference loader (PyYAML): same data, problems, locations.

A differential test over the examples, every rule example, generated manifests
and mutated copies of them (text-level mutations that break the YAML, add
duplicate keys, aliases, tags, numbers in YAML 1.1/1.2 forms, "NO", dates):
wherever the fast path answers, it answers exactly what the reference
would, and the whole check (problems, or findings with their locations) is
the same either way. Skipped where yaml-rs is not installed (it is optional).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defa_check.evaluate.document import check_document
from defa_check.inputs import fast_source, source
from defa_check.packs.loader import load_catalog

from .conftest import ROOT

pytest.importorskip("yaml_rs")
sys.path.insert(0, str(ROOT / "bench"))
from generate import manifest as generated_manifest

CATALOG = load_catalog()
AS_OF = dt.date(2026, 11, 27)
SECTIONS = ("flows", "systems", "markets")


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it: 1, 1.0 and True are different here."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def located_paths(data: Any) -> list[list[Any]]:
    """The paths a check locates: the root, each top-level key, each item of a section."""
    paths: list[list[Any]] = [[]]
    if isinstance(data, dict):
        paths += [[key] for key in data]
        for name in SECTIONS:
            items = data.get(name)
            if isinstance(items, list):
                paths += [[name, i] for i in range(len(items))]
    return paths


def outcome(doc: source.Document) -> Any:
    """What a check makes of a loaded manifest: its problems, or its findings with their locations."""
    result = check_document(doc, CATALOG, AS_OF)
    if result.report is None:
        return [str(p) for p in result.problems]
    return [f.to_dict() for f in result.report.findings]


def assert_same(text: str) -> bool:
    """The fast path agrees with the reference on ``text``; returns whether it answered at all."""
    reference = source.loads(text, "m.yaml", precise=False)
    fast = fast_source.loads_fast(text, "m.yaml")
    if fast is None:
        return False
    assert reference.ok, [str(p) for p in reference.problems]
    assert typed(fast.data) == typed(reference.data)
    for path in located_paths(reference.data):
        assert fast.locate(path) == reference.locate(path), path
    assert outcome(fast) == outcome(reference)
    return True


EXAMPLE_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml"))}


@pytest.mark.parametrize("name", sorted(EXAMPLE_TEXTS))
def test_examples_take_the_fast_path_and_agree(name: str) -> None:
    assert assert_same(EXAMPLE_TEXTS[name])


def test_rule_examples_agree_in_block_and_flow_style() -> None:
    answered = 0
    examples = [ex.manifest for rule in CATALOG.rules for ex in rule.examples]
    assert len(examples) > 100
    for data in examples:
        for flow_style in (False, None):
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=flow_style)
            answered += assert_same(text)
    assert answered > len(examples)  # the fast path is really exercised


class _Repeated(yaml.SafeDumper):
    """Shared lists written out each time, as people write them (no anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.mark.parametrize("n", [1, 7, 60, 800])
def test_generated_manifests_agree(n: int) -> None:
    data = generated_manifest(n, seed=n)
    # safe_dump writes the shared category lists as anchors and aliases; below
    # fast_source.SMALL_TEXT a text with aliases is the reference loader's alone.
    aliased = yaml.safe_dump(data, sort_keys=False, width=120)
    has_aliases = "*id0" in aliased
    assert assert_same(aliased) == (not has_aliases or len(aliased) > fast_source.SMALL_TEXT)
    marked = "# flows\n---\n" + aliased + "...\n"  # as yamllint's document-start rule asks
    assert assert_same(marked) == (not has_aliases or len(marked) > fast_source.SMALL_TEXT)
    assert assert_same(yaml.dump(data, Dumper=_Repeated, sort_keys=False, width=120))
    assert assert_same(yaml.dump(data, Dumper=_Repeated, sort_keys=False, indent=4, width=60))
    assert_same(json.dumps(data, indent=2))  # JSON is YAML (a .yaml file may hold it): the reference decides


def test_windows_line_endings_and_comments_agree() -> None:
    text = EXAMPLE_TEXTS["sg-shop-selling-into-vn.yaml"]
    assert assert_same(text.replace("\n", "\r\n"))
    assert assert_same(text.replace("\n  - id:", "\n  # an item\n  -\n    id:"))


DOCUMENT_MARKERS = {
    "start": "---\n{}",
    "start with a comment": "--- # Lotus Crafts' flows\n{}",
    "comments and a blank line, then start": "# yamllint disable rule:line-length\n\n---\n{}",
    "end": "{}...\n",
    "end, then blank lines": "{}...\n\n\n",
    "start and end": "---\n{}...",
}


@pytest.mark.parametrize("case", sorted(DOCUMENT_MARKERS))
def test_a_line_starting_or_ending_the_document_keeps_the_fast_path(case: str) -> None:
    """`---` first (after comments) and `...` last read as blank lines: the fast path answers,
    agrees, and keeps the text as written (the report's sha256 is the file's)."""
    text = DOCUMENT_MARKERS[case].format(EXAMPLE_TEXTS["sg-shop-selling-into-vn.yaml"])
    for written in (text, text.replace("\n", "\r\n")):
        assert assert_same(written)
        fast = fast_source.loads_fast(written, "m.yaml")
        assert fast is not None and fast.text == written


STRICTNESS_CASES = {
    "duplicate key": "manifest_version: 1\nmanifest_version: 1\n",
    "anchor given twice": "organization:\n  sectors: &s [ecommerce]\n  establishments: &s [SG]\n",
    "anchor given twice in a large text": "organization:\n  name: "
    + "x" * 70_000
    + "\n  sectors: &s [ecommerce]\n  establishments: &s [SG]\n  local_representatives: *s\n",
    "nested duplicate": "organization:\n  name: A\n  name: B\n",
    "int and float keys collide": "organization:\n  1: a\n  1.0: b\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)),
    "Norway and dates": "organization:\n  home_country: NO\n  founded: 2020-01-02\n",
    "octal and hex": "organization:\n  employees: 010\n  size: 0x1F\n",
    "exponent and trailing dot": "organization:\n  employees: 1e3\n  breach_notification_hours: 72.\n",
    "infinity": "organization:\n  employees: .inf\n",
    "tag": "organization:\n  employees: !!str 30\n",
    "custom tag": "organization: !thing\n  employees: 30\n",
    "two documents": "manifest_version: 1\n---\nmanifest_version: 2\n",
    "two documents, each started": "---\nmanifest_version: 1\n---\nmanifest_version: 2\n",
    "a document after an end": "---\nmanifest_version: 1\n...\nmanifest_version: 2\n",
    "a document start holding a value": "--- |\n  manifest_version: 1\n",
    "a document start holding a mapping": "--- {manifest_version: 1}\n",
    "a document start after a value": "manifest_version: 1\n---\n",
    "an end in a quoted value": 'organization:\n  name: "A\n...\n  B"\n',
    "an end then a comment": "manifest_version: 1\n... # done\n",
    "a directive": "%YAML 1.1\n---\nmanifest_version: 1\n",
    "syntax error": "flows:\n  - id: a\n   from: SG\n",
    "control character": "organization:\n  name: A\x07B\n",
    "line separator": "organization:\n  name: A\u2028B\n",
    "complex key": "? [a, b]\n: 1\n",
    "deep nesting": "a: " + "[" * 120 + "]" * 120 + "\n",
    "empty item": "flows:\n  -\n  - id: a\n",
    # Found by a user trial of 0.3.1's successor: the fast path read these, the reference refuses them.
    "integer of 5,000 digits": "organization:\n  breach_notification_hours: 1" + "0" * 4999 + "\n",
    "integer of 5,000 digits in a flow": "flows:\n  - id: a\n    subjects: {count: 1" + "0" * 4999 + "}\n",
    "float past the largest": "organization:\n  employees: 1" + "0" * 400 + ".5\n",
    "escaped surrogate pair": 'organization:\n  name: "\\ud83d\\ude00 pair"\n',
    "escaped lone surrogate": 'organization:\n  name: "\\U0000DC00"\n',
    # Found by a differential fuzzer (yaml-rs against the reference loader).
    "float of no digits": "organization:\n  employees: ._\n  size: -._e5\n",
    "anchor name libyaml refuses": "organization:\n  name: &a.b A\n",
    "anchor name ended by a colon": "organization:\n  name: &a:b A\n",
    "anchor of no name": 'organization:\n  name: &"A"\n',
    "block scalar ending a text without a line break": "organization:\n  name: |\n    A",
    "empty block scalar ending the text": "organization:\n  name: >-\n  other: |\n\n",
    "colon starting a plain scalar in a flow": "organization:\n  sectors: [ecommerce, :x]\n",
    "colon before a flow indicator": "organization:\n  sectors: [ecommerce:, x]\n",
    "number after an underscore": "organization:\n  name: _1\n  sectors: [-_2, _.5]\n",
    "block scalar indicator in a flow": "organization:\n  sectors: [ecommerce, |]\n",
    "block scalar indicator in a flow mapping": "organization: {name: >x}\n",
    "block scalar indicator on a line in a flow": "organization:\n  sectors: [ecommerce,\n    |\n  ]\n",
    "flow mapping key over two lines": "organization: {name: A, home\n  country: SG}\n",
    "flow mapping key before a line break": "organization: {name: A, home_country\n  : SG}\n",
    "flow mapping key after its anchor's line": "organization: {name: A, &c\n  home_country: SG}\n",
    "block scalar indicator after a flow key's line": "organization: {name:\n    |A}\n",
}


@pytest.mark.parametrize("case", sorted(STRICTNESS_CASES))
def test_strictness_is_the_reference_loaders(case: str) -> None:
    """Duplicate keys, alias limits, NO, dates, YAML 1.1/1.2 numbers: the fast path never differs."""
    text = STRICTNESS_CASES[case]
    assert_same(text)
    with_problems = source.loads(text, "m.yaml", precise=False)
    if not with_problems.ok:
        assert fast_source.loads_fast(text, "m.yaml") is None


MUTATIONS = [
    "  - id: dup\n",
    "    from: NO\n",
    "    to: 010\n",
    "    count: 1e3\n",
    "    count: 1_000\n",
    "    when: 2026-01-02\n",
    "  - &anchor {id: x}\n",
    "  - *anchor\n",
    "    data_categories: &cats [user.name]\n",
    "    data_categories: *cats\n",
    "flows:\n",
    "- id: top\n",
    "  name: 'quoted\n",
    '  name: "two\n   lines"\n',
    "  # comment\n",
    "\n",
    "    description: |\n      - not an item\n      flows: no\n",
    "    description: >\n      folded\n",
    "  -\n",
    "  - id: a\n    id: a\n",
    "\t- id: tab\n",
    "organization: {name: X}\n",
    "x: [1, 2\n",
    "  - !!str tagged\n",
    "  ? complex\n",
    "    recipient: {name: R, role: processor}\n",
]


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(sorted(EXAMPLE_TEXTS.values()))).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            lines.insert(where, draw(st.sampled_from(MUTATIONS)))
        elif lines and where < len(lines):
            if action == "delete":
                del lines[where]
            else:
                lines.insert(where, lines[where])
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_texts())
def test_mutated_manifests_agree(text: str) -> None:
    assert_same(text)


def test_load_uses_the_fast_path_and_falls_back_without_it(tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(generated_manifest(300), sort_keys=False), encoding="utf-8")
    assert path.stat().st_size > 3 * source.MAX_KEYS  # sampled for the key limit first
    fast = source.load(path, precise=False)
    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # as if the extra were not installed
    assert not fast_source.available()
    reference = source.load(path, precise=False)
    assert typed(fast.data) == typed(reference.data)
    assert outcome(fast) == outcome(reference)


def test_large_manifests_are_validated_the_same_with_and_without_the_validator_library(
    monkeypatch: Any,
) -> None:
    """From 500 items the schema's yes/no comes from jsonschema-rs; the problems do not change."""
    from defa_check.inputs.manifest import LIBRARY_FROM_ITEMS, validate_manifest
    from defa_check.inputs.schemas import library_validator, quick_check

    pytest.importorskip("jsonschema_rs")
    data: Any = generated_manifest(LIBRARY_FROM_ITEMS)
    data["flows"][123]["subjects"]["count"] = "many"
    data["flows"][321]["to"] = "Singapore"
    text = json.dumps(data, indent=1)
    with_library = [str(p) for p in validate_manifest(source.loads_json(text, "m.json"))]
    quick_check.cache_clear()
    library_validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    without = [str(p) for p in validate_manifest(source.loads_json(text, "m.json"))]
    monkeypatch.undo()
    quick_check.cache_clear()  # forget the answer given without the library
    library_validator.cache_clear()
    assert with_library == without
    assert len(with_library) == 2
    assert "$.flows[123].subjects.count" in with_library[0] and "$.flows[321].to" in with_library[1]
    del data["flows"][123]["subjects"]["count"], data["flows"][321]["to"]
    data["flows"][321]["to"] = "SG"
    data["flows"][123]["subjects"]["count"] = 10
    assert validate_manifest(source.loads_json(json.dumps(data), "m.json")) == []


def test_a_small_text_with_aliases_is_left_to_the_reference_loader() -> None:
    """The reference loader refuses a small alias bomb within a few megabytes; yaml-rs would
    build hundreds of megabytes of it first (a 3 KB file took 342 MB)."""
    text = STRICTNESS_CASES["alias bomb"]
    assert len(text) < fast_source.SMALL_TEXT
    assert fast_source.loads_fast(text, "m.yaml") is None
    benign = "organization: &o {name: A, home_country: SG}\nother: *o\n"
    assert fast_source.loads_fast(benign, "m.yaml") is None


def test_a_large_manifest_with_shared_lists_takes_the_fast_path() -> None:
    """yaml.safe_dump writes a category list shared by many flows once, as an anchor; at 100,000
    flows its aliases replay more than yaml-rs's default million events, which sent the largest
    manifests (the ones the fast path is for) to the reference loader at 40 times its memory."""
    shared = [f"user.contact.item{i}" for i in range(60)]
    data = {
        "manifest_version": 1,
        "organization": {"name": "Big", "home_country": "SG"},
        "flows": [
            {"id": f"f{i}", "from": "SG", "to": "VN", "data_categories": shared} for i in range(20_000)
        ],
    }
    text = yaml.safe_dump(data, sort_keys=False)
    assert text.count("*id001") > 19_000  # 20,000 x 62 replayed events
    doc = fast_source.loads_fast(text, "big.yaml")
    assert doc is not None and doc.data == data


@pytest.mark.parametrize("style", ["block", "flow"])
def test_a_mapping_past_the_key_limit_is_refused_the_same_on_both_paths(
    tmp_path: Path, monkeypatch: Any, style: str
) -> None:
    """Refused before either parser runs (issue #21): the fast path never sees it, nothing differs."""
    n = source.MAX_KEYS + 50
    keys = (
        "".join(f"  k{i}: {i}\n" for i in range(n))
        if style == "block"
        else "  {" + ", ".join(f"k{i}: {i}" for i in range(n)) + "}\n"
    )
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(generated_manifest(20), sort_keys=False) + "extra:\n" + keys)
    reference = source.load(path, precise=True)
    assert [p.message for p in reference.problems] == ["invalid YAML: more than 10,000 keys in one mapping"]

    def not_asked(*args: object) -> None:
        raise AssertionError("the fast parser was asked")

    monkeypatch.setattr(fast_source, "loads_fast", not_asked)
    assert source.load(path, precise=False).problems == reference.problems


def test_the_not_printable_class_is_the_complement_of_libyamls_printable_set() -> None:
    """Listed directly (the negated printable set took 9-25 ms to compile at every start)."""
    printable = [(0x09, 0x09), (0x0A, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF),
                 (0xE000, 0xFFFD), (0x10000, 0x10FFFF)]  # fmt: skip
    text = "".join(map(chr, range(0x110000)))
    found = {m.start() for m in fast_source._pattern(fast_source._NOT_PRINTABLE).finditer(text)}
    assert found == {c for c in range(0x110000) if not any(a <= c <= b for a, b in printable)}
