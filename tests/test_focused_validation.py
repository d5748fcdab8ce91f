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
