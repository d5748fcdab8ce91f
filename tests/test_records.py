"""Records (``defa_check.records``) against what ``@dataclass`` makes of the same declaration.

The value types are declared ``@record`` instead of ``@dataclass`` so that ``check`` neither
imports ``dataclasses`` (and with it ``inspect``) nor compiles three methods per class at every
start (issue #20). These tests build, for every record class in the package, the dataclass the
same fields and flags would make, and hold the two to the same ``__init__``, equality, hash,
repr and frozenness; then they check the parts ``@dataclass`` also does (defaults, factories,
``__post_init__``, ``init=False``, ``replace``, copies) on the package's own classes.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib
import inspect
import pickle
import pkgutil
import subprocess
import sys
from typing import Any

import pytest

import defa_check
from defa_check import records


def _all_record_classes() -> list[type]:
    found: set[type] = set()
    for module in pkgutil.walk_packages(defa_check.__path__, "defa_check."):
        if module.name.endswith("__main__"):  # runs the program
            continue
        try:
            imported = importlib.import_module(module.name)
        except ImportError:  # an optional extra that is not installed
            continue
        for value in list(vars(imported).values()):
            if isinstance(value, type) and records.is_record(value) and value.__module__ == module.name:
                found.add(value)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


RECORDS = _all_record_classes()
IDS = [f"{cls.__module__}.{cls.__qualname__}" for cls in RECORDS]


def test_the_value_types_are_records() -> None:
    names = {cls.__qualname__ for cls in RECORDS}
    assert {"Location", "Problem", "Rule", "Finding", "Report", "Catalog", "CheckRequest", "Plan"} <= names
    assert len(RECORDS) >= 69


def _reference(cls: type) -> Any:
    """The dataclass ``@dataclass`` makes from ``cls``'s fields and flags."""
    specs = []
    for f in records.fields(cls):
        kwargs: dict[str, Any] = {"init": f.init, "repr": f.repr, "compare": f.compare}
        if f.default is not records.MISSING:
            kwargs["default"] = f.default
        if f.default_factory is not records.MISSING:
            kwargs["default_factory"] = f.default_factory
        specs.append((f.name, Any, dataclasses.field(**kwargs)))
    params = cls.__record_params__  # type: ignore[attr-defined]
    return dataclasses.make_dataclass(cls.__qualname__, specs, frozen=params.frozen, eq=params.eq)


def _made(cls: type, values: dict[str, Any]) -> Any:
    """An instance of ``cls`` holding ``values``, set as a frozen ``__init__`` sets them."""
    instance: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance


def _parameters(init: Any) -> list[tuple[str, Any, Any]]:
    """(name, kind, default) of ``init``'s parameters; a default factory's marker shown as one word."""
    shown = []
    for p in inspect.signature(init).parameters.values():
        default = p.default
        if default is records.MISSING or repr(default) == "<factory>":
            default = "<factory>"
        shown.append((p.name, p.kind, default))
    return shown


@pytest.mark.parametrize("cls", RECORDS, ids=IDS)
def test_a_record_takes_the_same_arguments_as_the_dataclass(cls: type) -> None:
    reference = _reference(cls)
    compiled = records._compiled_init(cls)
    assert _parameters(compiled) == _parameters(reference.__init__)
    assert compiled.__qualname__ == f"{cls.__qualname__}.__init__"
    # What help() and an IDE show, before the class's own __init__ is compiled as after.
    assert _parameters(cls) == _parameters(reference)
    assert [str(p.annotation) for p in inspect.signature(cls).parameters.values()] == [
        cls.__annotations__.get(p, "")
        or next(c.__annotations__[p] for c in cls.__mro__ if p in getattr(c, "__annotations__", {}))
        for p in inspect.signature(cls).parameters
    ]
    assert cls.__match_args__ == reference.__match_args__  # type: ignore[attr-defined]


def _outcome(make: Any, cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The fields an ``__init__`` sets on a new instance, or the type of what it raised."""
    instance: Any = object.__new__(cls)
    try:
        make(instance, args, kwargs)
    except Exception as error:  # the same mistake must fail the same way both ways, in the same words
        return type(error), str(error)
    return {f.name: getattr(instance, f.name, "<unset>") for f in records.fields(cls)}


@pytest.mark.parametrize("cls", RECORDS, ids=IDS)
def test_the_shared_binder_makes_what_the_compiled_init_makes(cls: type) -> None:
    compiled = records._compiled_init(cls)
    taken = [f for f in records.fields(cls) if f.init]
    required = [f for f in taken if f.default is records.MISSING and f.default_factory is records.MISSING]
    every = {f.name: ("value", i) for i, f in enumerate(taken)}
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (tuple(every.values()), {}),
        ((), every),
        ((), {f.name: every[f.name] for f in required}),
        (tuple(every.values())[:1], {f.name: every[f.name] for f in required[1:]}),
        ((*every.values(), "one too many"), {}),
        ((), {**every, "no_such_field": 1}),
        (tuple(every.values())[:1], every),  # the first argument twice
        ((), {f.name: every[f.name] for f in required[1:]}),  # the first required one missing
    ]
    for args, kwargs in calls:
        by_binder = _outcome(lambda i, a, k: records._bind(cls, i, a, k), cls, args, kwargs)
        by_compiled = _outcome(lambda i, a, k: compiled(i, *a, **k), cls, args, kwargs)
        assert by_binder == by_compiled, (args, kwargs)  # factories make equal, separate values


def test_a_class_made_often_gets_its_own_compiled_init() -> None:
    @records.record
    class Often:
        a: int
        b: tuple[int, ...] = ()

    assert Often.__init__ is records._init_by_fields
    made = [Often(i) for i in range(records.COMPILE_AFTER + 5)]
    assert Often.__init__ is not records._init_by_fields
    assert Often.__init__.__qualname__.endswith("Often.__init__")
    assert [m.a for m in made] == list(range(records.COMPILE_AFTER + 5)) and made[-1].b == ()


@pytest.mark.parametrize("cls", RECORDS, ids=IDS)
def test_a_record_compares_hashes_and_shows_like_the_dataclass(cls: type) -> None:
    reference = _reference(cls)
    names = [f.name for f in records.fields(cls)]
    values = {name: ("value", i) for i, name in enumerate(names)}
    one, same, ref_one = _made(cls, values), _made(cls, dict(values)), _made(reference, values)
    params = cls.__record_params__  # type: ignore[attr-defined]
    assert (one == same) is (ref_one == _made(reference, dict(values))) is params.eq
    assert repr(one) == repr(ref_one)
    if reference.__hash__ is None:
        assert cls.__hash__ is None  # a mutable record compared by value is not hashable
    elif params.eq:
        assert hash(one) == hash(same) == hash(ref_one)
    for i, name in enumerate(names):
        changed = {**values, name: ("other", i)}
        other, ref_other = _made(cls, changed), _made(reference, changed)
        assert (one == other) is (ref_one == ref_other), name
        if params.eq and params.frozen:
            assert (hash(one) == hash(other)) is (hash(ref_one) == hash(ref_other)), name
        assert repr(other) == repr(ref_other)
    # Only the same class is equal, and a value of another type is not (NotImplemented).
    if params.eq:
        assert one.__eq__(tuple(values.values())) is NotImplemented
    assert one != tuple(values.values())


@pytest.mark.parametrize("cls", RECORDS, ids=IDS)
def test_a_frozen_record_refuses_changes_like_the_dataclass(cls: type) -> None:
    reference = _reference(cls)
    name = records.fields(cls)[0].name
    one, ref_one = _made(cls, {name: 1}), _made(reference, {name: 1})
    if cls.__record_params__.frozen:  # type: ignore[attr-defined]
        with pytest.raises(records.FrozenInstanceError, match=f"cannot assign to field '{name}'"):
            setattr(one, name, 2)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ref_one, name, 2)
        with pytest.raises(AttributeError):  # FrozenInstanceError is one, as in dataclasses
            delattr(one, name)
    else:
        setattr(one, name, 2)
        assert getattr(one, name) == 2


def test_records_of_different_classes_with_the_same_values_differ() -> None:
    from defa_check.model import Citation, Location

    values = {"a": 1, "b": 2, "c": 3}
    location = _made(Location, dict(zip(["path", "line", "column"], values.values(), strict=True)))
    citation = _made(Citation, dict(zip(["instrument", "provision", "url"], values.values(), strict=True)))
    assert location != citation
    assert len({location, citation}) == 2


def test_a_record_is_built_replaced_and_copied_like_a_frozen_slotted_dataclass() -> None:
    from defa_check.model import Location

    location = Location("flows.yaml", 3, 5)
    assert (location.path, location.line, location.column) == ("flows.yaml", 3, 5)
    assert Location(path="flows.yaml", column=5, line=3) == location
    with pytest.raises(TypeError):
        Location("flows.yaml", 3)  # type: ignore[call-arg]
    assert not hasattr(location, "__dict__")
    assert records.replace(location, line=4) == Location("flows.yaml", 4, 5)
    assert repr(location) == "Location(path='flows.yaml', line=3, column=5)"
    assert copy.copy(location) == copy.deepcopy(location) == pickle.loads(pickle.dumps(location)) == location
    assert hash(location) == hash(Location("flows.yaml", 3, 5))


def test_defaults_factories_post_init_and_init_false_fields() -> None:
    from defa_check.inputs.config import Settings
    from defa_check.model import MESSAGE_CHARS, Problem
    from defa_check.packs.loader import Catalog

    problem = Problem("m.yaml", "x" * (MESSAGE_CHARS + 50))
    assert (problem.line, problem.json_path, problem.code) == (None, "$", "invalid")
    assert len(problem.message) < MESSAGE_CHARS + 50  # __post_init__ ran
    catalog = Catalog()
    assert dict(catalog.by_country) == {} and dict(catalog.packs) == {}  # init=False, set by __post_init__
    with pytest.raises(TypeError):
        Catalog(by_country={})  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="init=False"):
        records.replace(catalog, by_country={})
    first, second = Settings(), Settings()
    for f in records.fields(Settings):
        if f.default_factory is not records.MISSING:  # each instance its own list or dict
            assert getattr(first, f.name) is not getattr(second, f.name)
    assert Settings.__hash__ is None


def test_the_declaration_errors_dataclass_gives() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument 'a'"):

        @records.record
        class Backwards:
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="default_factory"):

        @records.record
        class Shared:
            a: list[int] = []  # noqa: RUF012

    with pytest.raises(ValueError, match="both default and default_factory"):
        records.field(default=1, default_factory=list)
    with pytest.raises(TypeError, match="cannot overwrite attribute __setattr__"):

        @records.record
        class Guarded:
            a: int

            def __setattr__(self, name: str, value: Any) -> None: ...

    with pytest.raises(TypeError, match="not a record"):
        records.fields(dt.date(2026, 1, 1))


def test_a_record_inherits_fields_and_keeps_its_own_methods() -> None:
    @records.record
    class Base:
        a: int
        b: int = 2

    @records.record
    class Child(Base):
        c: int = 3

        def __repr__(self) -> str:
            return "mine"

    assert [f.name for f in records.fields(Child)] == ["a", "b", "c"]
    child = Child(1)
    assert (child.a, child.b, child.c) == (1, 2, 3)
    assert repr(child) == "mine" and child == Child(1, 2, 3) and child != Child(1, 2, 4)


def test_a_slotted_record_made_often_sets_its_own_and_inherited_slots() -> None:
    # The compiled __init__ sets a slot through its descriptor (found on the class that declares it).
    @records.record(slots=True)
    class Base:
        a: int
        b: tuple[int, ...] = ()

    @records.record(slots=True)
    class Child(Base):
        c: list[int] = records.field(default_factory=list)

    @records.record
    class Unslotted(Base):
        d: int = 4

    for cls, expected in ((Child, {"a": 1, "b": (), "c": []}), (Unslotted, {"a": 1, "b": (), "d": 4})):
        made = [cls(1) for _ in range(records.COMPILE_AFTER + 2)]
        assert cls.__init__ is not records._init_by_fields
        last = made[-1]
        assert {f.name: getattr(last, f.name) for f in records.fields(cls)} == expected
        with pytest.raises(records.FrozenInstanceError):
            last.a = 2  # type: ignore[misc]
    assert hasattr(made[-1], "__dict__")  # Unslotted, the last made, keeps a __dict__
    assert not hasattr(Child(1), "__dict__")
    children = [Child(1) for _ in range(3)]
    assert children[0].c is not children[1].c  # a factory's value is made per instance


@pytest.mark.parametrize("fmt", ["console", "json"])
def test_checking_a_json_manifest_imports_no_dataclasses_or_typing(tmp_path: Any, fmt: str) -> None:
    # What records and the type-checking-only imports save at every start (issue #20) comes
    # back if anything on check's path imports these again. (YAML input brings typing in
    # through yaml-rs, the fast extra's parser; that is the library's.)
    import json

    import yaml

    from .conftest import ROOT

    manifest = tmp_path / "flows.json"
    data = yaml.safe_load((ROOT / "examples" / "sg-shop-selling-into-vn.yaml").read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    code = (
        "import os, sys\n"
        "def report(code=0, _exit=os._exit):\n"
        "    names = ('dataclasses', 'inspect', 'typing', 'contextlib')\n"
        "    print(sorted(m for m in names if m in sys.modules), file=sys.stderr)\n"
        "    _exit(code)\n"
        "os._exit = report\n"
        "from defa_check.entry import main\n"
        f"sys.argv = ['defa-check', 'check', {str(manifest)!r}, '-f', {fmt!r}, '-o', {str(out)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert out.stat().st_size > 0
