"""The value types' equality, hash and repr (``model.Record``) against what ``@dataclass`` writes.

Record gives the frozen value types these three methods by their fields instead of letting
``@dataclass`` generate them per class (start-up cost, issue #20). These tests build, for every
Record class in the package, the dataclass ``@dataclass(frozen=True)`` would have made from the
same fields, and hold the two to the same answers.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import sys
from typing import Any

import pytest

import defa_check
from defa_check.model import Record


def _all_record_classes() -> list[type]:
    for module in pkgutil.walk_packages(defa_check.__path__, "defa_check."):
        if module.name.endswith("__main__"):  # runs the program
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional extra that is not installed
            continue
    found: list[type] = []
    pending = list(Record.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    # `slots=True` makes a new class; the one it replaced lingers among the subclasses.
    found = [cls for cls in found if getattr(sys.modules[cls.__module__], cls.__qualname__, None) is cls]
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__qualname__))


RECORDS = _all_record_classes()


def test_the_value_types_on_the_check_path_are_records() -> None:
    # The gain is on `check`'s path; a type moved off Record there would cost start-up again.
    names = {cls.__qualname__ for cls in RECORDS}
    assert {"Location", "Problem", "Rule", "Finding", "Report", "Catalog", "CheckRequest"} <= names


def _made(cls: type, values: dict[str, Any]) -> Any:
    """An instance of ``cls`` holding ``values`` (set as the frozen __init__ would)."""
    instance: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance


def _reference(cls: type) -> type:
    """The class ``@dataclass(frozen=True)`` makes from ``cls``'s fields (same name, same flags)."""
    specs = [
        (f.name, Any, dataclasses.field(compare=f.compare, repr=f.repr, hash=f.hash))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__qualname__, specs, frozen=True)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_record_compares_hashes_and_shows_like_the_dataclass(cls: type) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    # eq=True would generate the methods again over Record's; frozen keeps the hash sound.
    assert (params.frozen, params.eq, params.repr) == (True, False, False)
    reference = _reference(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    values = {name: ("value", i) for i, name in enumerate(names)}
    one, same = _made(cls, values), _made(cls, dict(values))
    ref_one = reference(**values)
    assert one == same
    assert hash(one) == hash(same) == hash(ref_one)
    assert repr(one) == repr(ref_one)
    for i, name in enumerate(names):
        changed = {**values, name: ("other", i)}
        other, ref_other = _made(cls, changed), reference(**changed)
        assert (one == other) is (ref_one == ref_other), name
        assert (hash(one) == hash(other)) is (hash(ref_one) == hash(ref_other)), name
        assert repr(other) == repr(ref_other)
    # Only the same class is equal, and a value of another type is not (NotImplemented).
    assert one.__eq__(tuple(values.values())) is NotImplemented
    assert one != tuple(values.values())


def test_records_of_different_classes_with_the_same_values_differ() -> None:
    from defa_check.model import Citation, Location

    assert len(dataclasses.fields(Location)) == len(dataclasses.fields(Citation)) == 3
    values = {"a": 1, "b": 2, "c": 3}
    location = _made(Location, dict(zip(["path", "line", "column"], values.values(), strict=True)))
    citation = _made(Citation, dict(zip(["instrument", "provision", "url"], values.values(), strict=True)))
    assert location != citation
    assert {location, citation} == {location, citation} and len({location, citation}) == 2


def test_a_record_is_still_frozen_and_slotted() -> None:
    from defa_check.model import Location

    location = Location("flows.yaml", 3, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        location.line = 4  # type: ignore[misc]
    assert not hasattr(location, "__dict__")
    assert dataclasses.replace(location, line=4) == Location("flows.yaml", 4, 5)
    assert repr(location) == "Location(path='flows.yaml', line=3, column=5)"
