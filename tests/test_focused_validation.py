"""A large manifest with a problem is worded on its failing items only (issue #20).

jsonschema's pass over every item of a 10,000-flow manifest takes seconds to word one
problem; jsonschema-rs finds the failing items in milliseconds, and jsonschema words
those and the rest of the manifest. The problems must be exactly those of the full pass.
"""

from __future__ import annotations

import contextlib
import copy
import json
import sys
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defa_check.inputs import manifest, source
from defa_check.inputs.schemas import library_validator, problems_from_errors, validator

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import manifest as generated_manifest

pytestmark = pytest.mark.skipif(library_validator("manifest") is None, reason="needs jsonschema-rs (fast)")

BASE = generated_manifest(60, seed=3)  # small, so jsonschema's full pass stays quick to compare with

MUTATIONS: dict[str, Any] = {
    "flow: local_copy maybe": lambda d, i: d["flows"][i].update(local_copy="maybe"),
    "flow: unknown field": lambda d, i: d["flows"][i].update(bogus=1, other=[1]),
    "flow: no from": lambda d, i: d["flows"][i].pop("from", None),
    "flow: country not a code": lambda d, i: d["flows"][i].update(to="Vietnam"),
    "flow: category not text": lambda d, i: d["flows"][i].update(data_categories=[123]),
    "flow: negative count": lambda d, i: d["flows"][i]["subjects"].update(count=-1),
    "flow: recipient role": lambda d, i: d["flows"][i]["recipient"].update(role="friend"),
    "flow: not a mapping": lambda d, i: d["flows"].__setitem__(i, "flow"),
    "system: provider number": lambda d, i: d["systems"][i % len(d["systems"])].update(provider=5),
    "system: no id": lambda d, i: d["systems"][i % len(d["systems"])].pop("id", None),
    "market: b2c text": lambda d, i: d["markets"][i % len(d["markets"])].update(b2c="yes"),
    "organization: unknown field": lambda d, i: d["organization"].update(colour="red"),
    "organization: home country": lambda d, i: d["organization"].update(home_country=1),
    "top: unknown field": lambda d, i: d.update(extra=True),
    "top: flows not a list": lambda d, i: d.update(flows={"a": 1}),
    "many flows wrong": lambda d, i: [f.update(local_copy="no") for f in d["flows"] if isinstance(f, dict)],
}


def _signature(errors: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            json.dumps(list(e.absolute_path)),
            e.message,
            e.validator,
            json.dumps(sorted((json.dumps(list(c.absolute_path)), c.message) for c in e.context or ())),
        )
        for e in errors
    )


def _problems(data: dict[str, Any], focused: bool) -> list[str]:
    doc = source.loads(json.dumps(data, indent=1), "m.json")
    errors = manifest._schema_errors(data, large=True) if focused else validator("manifest").iter_errors(data)
    return [f"{p} | {p.hint}" for p in problems_from_errors(doc, errors)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(MUTATIONS)), st.integers(0, len(BASE["flows"]) - 1)),
        min_size=1,
        max_size=5,
    )
)
def test_the_failing_items_give_the_problems_of_the_full_pass(changes: list[tuple[str, int]]) -> None:
    data = copy.deepcopy(BASE)
    for name, index in changes:
        # An earlier change may have taken away what this one changes.
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            MUTATIONS[name](data, index)
    focused = manifest._schema_errors(data, large=True)
    full = list(validator("manifest").iter_errors(data))
    assert _signature(focused) == _signature(full)
    assert _problems(data, True) == _problems(data, False)


def test_a_large_manifest_with_one_problem_is_worded_on_its_failing_item_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = copy.deepcopy(BASE)
    data["flows"][7]["local_copy"] = "maybe"
    described: list[Any] = []
    full = validator("manifest")
    original = type(full).iter_errors

    def counting(self: Any, instance: Any, *args: Any) -> Any:
        described.append(instance)
        return original(self, instance, *args)

    monkeypatch.setattr(type(full), "iter_errors", counting)
    errors = list(manifest._schema_errors(data, large=True))
    assert [list(e.absolute_path) for e in errors] == [["flows", 7, "local_copy"]]
    assert all(
        instance is not data and len(instance.get("flows", []) if isinstance(instance, dict) else []) == 0
        for instance in described
    )


# --- a large YAML manifest with a problem: only the failing items' lines read again exactly -----

LARGE = generated_manifest(manifest.LIBRARY_FROM_ITEMS, seed=5)  # as many flows as make a manifest large


class _NoAliases(yaml.SafeDumper):
    """Written as a person writes a manifest: every list spelled out, no `&anchor` / `*alias`."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Indented(_NoAliases):
    """Sequences indented under their key (`flows:` then `  - id: ...`), as many people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _yaml(data: Any, style: str) -> str:
    if style == "aliases":  # what PyYAML writes for shared lists: an item may refer outside itself
        return yaml.safe_dump(data, sort_keys=False)
    text = yaml.dump(data, Dumper=_Indented if style == "indented" else _NoAliases, sort_keys=False)
    if style == "comments":  # a blank line and a comment between items
        text = text.replace("\n- id: flow-", "\n\n# the next flow\n- id: flow-")
    if style == "crlf":
        text = text.replace("\n", "\r\n")
    return text


def _checked(text: str, sliced: bool) -> list[str]:
    doc = source.loads(text, "m.yaml", precise=False)
    if not sliced:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(manifest, "_items_read_again", lambda doc: None)
            return [f"{p} | {p.hint}" for p in manifest.validate_manifest(doc)]
    return [f"{p} | {p.hint}" for p in manifest.validate_manifest(doc)]


ITEM_MUTATIONS = {
    "local_copy maybe": lambda d, i: d["flows"][i].update(local_copy="maybe"),
    "unknown fields": lambda d, i: d["flows"][i].update(bogus=1, other=[1]),
    "no from": lambda d, i: d["flows"][i].pop("from", None),
    "nested: recipient role": lambda d, i: d["flows"][i]["recipient"].update(role="friend"),
    "nested: negative count": lambda d, i: d["flows"][i]["subjects"].update(count=-1),
    "category not text": lambda d, i: d["flows"][i].update(data_categories=[123]),
    "market b2c text": lambda d, i: d["markets"][i % len(d["markets"])].update(b2c="yes"),
    "system provider number": lambda d, i: d["systems"][i % len(d["systems"])].update(provider=5),
}


@pytest.mark.parametrize("style", ["plain", "comments", "indented", "aliases", "crlf"])
@pytest.mark.parametrize(
    ("changes"),
    [
        [("local_copy maybe", 0), ("category not text", 0)],
        [("unknown fields", 700), ("nested: negative count", 701), ("no from", -1)],
        [("nested: recipient role", -1), ("market b2c text", 3), ("system provider number", 0)],
    ],
    ids=["first flow", "three flows", "last flow, a market, a system"],
)
def test_failing_items_read_again_alone_give_the_problems_of_the_whole_text(
    style: str, changes: list[tuple[str, int]]
) -> None:
    data = copy.deepcopy(LARGE)
    for name, index in changes:
        ITEM_MUTATIONS[name](data, index)
    text = _yaml(data, style)
    calls: list[Any] = []
    original = source.exact
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(source, "exact", lambda doc: calls.append(doc) or original(doc))
        sliced = _checked(text, sliced=True)
    assert sliced == _checked(text, sliced=False)
    assert sliced and all("m.yaml:" in p and "[syntax]" not in p for p in sliced)
    # Files without aliases are read again item by item; CR line ends, whole. (With aliases it
    # depends on the item: one that refers to an anchor outside itself is read whole.)
    if style != "aliases":
        assert (calls == []) is (style != "crlf"), style


def test_a_reference_problem_beside_a_schema_problem_reads_the_whole_text_again() -> None:
    data = copy.deepcopy(LARGE)
    data["flows"][3]["local_copy"] = "maybe"
    data["flows"][900]["system"] = "no-such-system"  # located exactly only by the whole read
    text = _yaml(data, "plain")
    assert _checked(text, sliced=True) == _checked(text, sliced=False)
    assert any("no-such-system" in p for p in _checked(text, sliced=True))
