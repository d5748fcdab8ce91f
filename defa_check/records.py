"""Value types declared like dataclasses, for a program that starts hundreds of times a day.

``@record`` takes a class of annotated fields, as ``@dataclass`` does, and gives it the same
``__init__``, ``__eq__``, ``__hash__`` and ``__repr__``, frozen unless told otherwise, with
:func:`field`, :func:`fields` and :func:`replace` as in :mod:`dataclasses`; type checkers read
it as a dataclass (``dataclass_transform``).

Why not ``dataclasses`` itself: ``check`` runs in pre-commit and CI on every change, where
start-up is most of its time (issue #20). ``@dataclass`` writes each class's methods out as
Python text and compiles it when the module is imported (three ``exec`` calls for a frozen
class, 94 for the 32 classes on ``check``'s path), and ``import dataclasses`` brings in
``inspect``, ``ast``, ``dis`` and ``tokenize``: timed in place, 28 ms and about 10 ms of a
146 ms run (``bench/RESULTS.md``). Here the comparison, hash, repr and the frozen guard are shared
functions, and so is ``__init__`` at first: one binder that reads the fields. Only a class made
many times in a run (:data:`COMPILE_AFTER`) gets its own ``__init__`` compiled, as fast as the
one ``@dataclass`` writes. ``tests/test_records.py`` holds every record, both ways of making
it, to what ``@dataclass`` makes of the same fields.

What is left out, because nothing here uses it: ordering, ``kw_only``, ``InitVar``,
per-field ``hash``.
"""

from __future__ import annotations

import operator
import types
from collections.abc import Callable

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform, overload

    _R = TypeVar("_R")
    _T = TypeVar("_T")

__all__ = ["Field", "FrozenInstanceError", "field", "fields", "is_record", "record", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""No default (a field without one is required by ``__init__``)."""


class FrozenInstanceError(AttributeError):
    """An attempt to assign to or delete a field of a frozen record."""


class Field:
    """One field of a record: its name, default or default factory, and what it takes part in."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        compare: bool = True,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return (
            f"Field(name={self.name!r}, default={self.default!r}, "
            f"default_factory={self.default_factory!r}, init={self.init}, repr={self.repr}, "
            f"compare={self.compare})"
        )


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default (or factory of one) and flags, as :func:`dataclasses.field`."""
    return Field(default, default_factory, init, repr, compare)


class _Params:
    __slots__ = ("eq", "frozen", "slots")

    def __init__(self, frozen: bool, eq: bool, slots: bool) -> None:
        self.frozen, self.eq, self.slots = frozen, eq, slots


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The record's fields in ``__init__`` order (a TypeError for anything that is not a record)."""
    try:
        found: tuple[Field, ...] = class_or_instance.__record_fields__
    except AttributeError:
        raise TypeError(f"{class_or_instance!r} is not a record") from None
    return found


def is_record(class_or_instance: Any) -> bool:
    return hasattr(class_or_instance, "__record_fields__")


def replace(obj: _R, /, **changes: Any) -> _R:
    """A copy of the record ``obj`` with ``changes``, made by its ``__init__`` (dataclasses.replace)."""
    for f in fields(obj):
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, replace() cannot set it")
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    made: _R = obj.__class__(**changes)
    return made


def _record(
    cls: type[_T] | None, frozen: bool, eq: bool, slots: bool
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    def make(cls: type[_T]) -> type[_T]:
        return _make_record(cls, _Params(frozen, eq, slots))

    return make if cls is None else make(cls)


if TYPE_CHECKING:  # how type checkers see it: a dataclass decorator

    @overload
    def record(cls: type[_T], /) -> type[_T]: ...

    @overload
    def record(
        *, frozen: bool = True, eq: bool = True, slots: bool = False
    ) -> Callable[[type[_T]], type[_T]]: ...

    @dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
    def record(
        cls: type[_T] | None = None, /, *, frozen: bool = True, eq: bool = True, slots: bool = False
    ) -> type[_T] | Callable[[type[_T]], type[_T]]: ...

else:

    def record(cls=None, /, *, frozen=True, eq=True, slots=False):
        """Make ``cls`` a record: ``@record``, or ``@record(frozen=False, eq=False, slots=True)``.

        ``frozen`` (the default): assigning to a field raises :class:`FrozenInstanceError`, and
        equal records hash alike. ``eq``: equal when of the same class with equal compared fields
        (otherwise by identity). ``slots``: the class gets ``__slots__`` for its fields.
        """
        return _record(cls, frozen, eq, slots)


def _make_record(cls: type[_T], params: _Params) -> type[_T]:
    # Not inspect.get_annotations: importing inspect is part of what this module saves.
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in getattr(base, "__record_fields__", ()):
            found[f.name] = f
    for name, annotation in own.items():
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        if spec.default.__class__ in (list, dict, set):
            raise ValueError(f"mutable default {type(spec.default)} for field {name}: use default_factory")
        found[name] = spec
        if isinstance(value, Field):  # as dataclasses: the class attribute is the plain default
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    all_fields = tuple(found.values())
    with_default = ""
    for f in all_fields:
        if not f.init:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            with_default = f.name
        elif with_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument {with_default!r}")

    body = cls.__dict__
    methods: dict[str, Any] = {}
    if "__init__" not in body:
        methods["__init__"] = _init_by_fields
    if "__repr__" not in body:
        methods["__repr__"] = _record_repr
    explicit_hash = "__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)
    if params.eq:
        if "__eq__" not in body:
            methods["__eq__"] = _record_eq
        if not explicit_hash:
            methods["__hash__"] = _record_hash if params.frozen else None
    if params.frozen:
        for name, guard in (("__setattr__", _frozen_setattr), ("__delattr__", _frozen_delattr)):
            if name in body:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            methods[name] = guard

    if params.slots:
        cls = _with_slots(cls, all_fields, params.frozen)
    for name, method in methods.items():
        setattr(cls, name, method)
    compared = [f.name for f in all_fields if f.compare]
    key: Callable[[Any], Any]
    if len(compared) >= 2:
        key = operator.attrgetter(*compared)
    else:  # attrgetter of one name gives the value itself; dataclasses compare and hash a tuple
        key = _one_tuple(tuple(compared))
    setattr(cls, "__record_fields__", all_fields)  # noqa: B010 (mypy: not a declared attribute)
    setattr(cls, "__record_params__", params)  # noqa: B010
    setattr(cls, "__record_key__", staticmethod(key))  # noqa: B010
    setattr(cls, "__record_shown__", tuple(f.name for f in all_fields if f.repr))  # noqa: B010
    if "__match_args__" not in body:  # `case Location(path, line, column)`, as for a dataclass
        setattr(cls, "__match_args__", tuple(f.name for f in all_fields if f.init))  # noqa: B010
    setattr(cls, "__signature__", _SIGNATURE)  # noqa: B010
    return cls


class _Signature:
    """``inspect.signature(cls)``: the parameters of the ``__init__`` ``@dataclass`` would write.

    Worked out when asked (help(), an IDE's console), since until a class's ``__init__`` is
    compiled it is the shared binder, whose signature is ``(*args, **kwargs)``."""

    def __get__(self, instance: object, owner: type) -> Any:
        import inspect

        init = inspect.signature(_compiled_init(owner))
        declared: dict[str, Any] = {}
        for cls in reversed(owner.__mro__):
            declared.update(inspect.get_annotations(cls))
        parameters = list(init.parameters.values())[1:]  # the class's: without `self`
        return init.replace(
            parameters=[p.replace(annotation=declared.get(p.name, p.empty)) for p in parameters]
        )


_SIGNATURE = _Signature()


def _one_tuple(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    return lambda value: tuple(getattr(value, n) for n in names)


def _with_slots(cls: type[_T], all_fields: tuple[Field, ...], frozen: bool) -> type[_T]:
    """The class made again with ``__slots__`` (they must exist when a class is created)."""
    body = dict(cls.__dict__)
    inherited = {name for base in cls.__mro__[1:] for name in getattr(base, "__slots__", ())}
    body["__slots__"] = tuple(f.name for f in all_fields if f.name not in inherited)
    for f in all_fields:
        body.pop(f.name, None)  # a class attribute default would shadow the slot
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    if frozen:  # copy and pickle restore state with setattr, which a frozen record refuses
        body.setdefault("__getstate__", _slots_getstate)
        body.setdefault("__setstate__", _slots_setstate)
    metaclass: Any = type(cls)
    made: type[_T] = metaclass(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


def _slots_getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in fields(self)]


def _slots_setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, f.name, value)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _record_eq(self: Any, other: Any) -> Any:
    cls = self.__class__
    if other.__class__ is cls:
        key = cls.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _record_hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _record_repr(self: Any) -> str:
    cls = self.__class__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in cls.__record_shown__)
    return f"{cls.__qualname__}({shown})"


COMPILE_AFTER = 20
"""Instances of a class made by the shared binder before its own ``__init__`` is compiled.

Compiling one costs 80-500 µs; the binder costs about a microsecond more per instance than a
compiled ``__init__``. Most classes are made a few times a run (a report, a catalog, a pack's
profile) and never pay the compiler; a finding or a subject, made thousands of times, does."""

_made: dict[type, int] = {}


def _init_by_fields(self: Any, *args: Any, **kwargs: Any) -> None:
    """Every record's ``__init__`` until its class has made :data:`COMPILE_AFTER` instances."""
    cls = self.__class__
    made = _made.get(cls, 0) + 1
    _made[cls] = made
    if made < COMPILE_AFTER:
        _bind(cls, self, args, kwargs)
        return
    init = _compiled_init(cls)
    type.__setattr__(cls, "__init__", init)
    init(self, *args, **kwargs)


class _Binding:
    """A class's fields as the binder reads them, worked out once per class."""

    __slots__ = ("names", "post_init", "required", "set_by_default", "taken")

    def __init__(self, cls: type) -> None:
        taken = [f for f in fields(cls) if f.init]
        self.taken = tuple(taken)
        self.names = frozenset(f.name for f in taken)
        self.required = tuple(f.name for f in taken if f.default is MISSING and f.default_factory is MISSING)
        self.set_by_default = tuple(
            f for f in fields(cls) if f.default is not MISSING or f.default_factory is not MISSING
        )
        self.post_init = hasattr(cls, "__post_init__")


_bindings: dict[type, _Binding] = {}


def _bind(cls: type, instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """What the compiled ``__init__`` does, read from the fields instead of written out."""
    binding = _bindings.get(cls) or _bindings.setdefault(cls, _Binding(cls))
    taken = binding.taken
    if len(args) > len(taken):  # worded as Python words it for a compiled __init__ (self counted)
        total = len(taken) + 1
        optional = len(taken) - len(binding.required)
        takes = f"from {total - optional} to {total}" if optional else str(total)
        plural = "s" if total != 1 or optional else ""
        raise TypeError(
            f"{cls.__qualname__}.__init__() takes {takes} positional argument{plural}"
            f" but {len(args) + 1} were given"
        )
    values = {f.name: value for f, value in zip(taken, args, strict=False)}
    for name, value in kwargs.items():
        if name in values:
            raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument {name!r}")
        if name not in binding.names:
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
        values[name] = value
    absent = [name for name in binding.required if name not in values]
    if absent:  # worded as Python words it for a compiled __init__
        quoted = [repr(name) for name in absent]
        listed = " and ".join(quoted) if len(quoted) < 3 else ", ".join(quoted[:-1]) + ", and " + quoted[-1]
        plural = "s" if len(absent) > 1 else ""
        raise TypeError(
            f"{cls.__qualname__}.__init__() missing {len(absent)} required positional"
            f" argument{plural}: {listed}"
        )
    for f in binding.set_by_default:
        value = values.get(f.name, MISSING) if f.init else MISSING
        if value is MISSING:
            values[f.name] = f.default if f.default is not MISSING else f.default_factory()
    setter = object.__setattr__
    for name, value in values.items():
        setter(instance, name, value)
    if binding.post_init:
        instance.__post_init__()


def _slot(cls: type, name: str) -> Any:
    """The descriptor of ``cls``'s slot ``name`` (its own or a base's), or None."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            member = klass.__dict__[name]
            return member if type(member) is types.MemberDescriptorType else None
    return None


def _compiled_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` ``@dataclass(frozen=True)`` writes for ``cls``'s fields, compiled once."""
    namespace: dict[str, Any] = {"__set": object.__setattr__, "__MISSING": MISSING}
    parameters = ["self"]
    lines: list[str] = []
    for f in fields(cls):
        default, factory = f"__default_{f.name}", f"__factory_{f.name}"
        namespace[default], namespace[factory] = f.default, f.default_factory
        # A slot is set through its own descriptor: what object.__setattr__ finds after looking
        # the name up on the class, without the look-up (a third of the cost of making a Finding).
        slot = _slot(cls, f.name)
        if slot is not None:
            namespace[f"__set_{f.name}"] = slot.__set__
            setter = f"__set_{f.name}(self, "
        else:
            setter = f"__set(self, {f.name!r}, "
        if f.init:
            if f.default is not MISSING:
                parameters.append(f"{f.name}={default}")
            elif f.default_factory is not MISSING:
                parameters.append(f"{f.name}=__MISSING")
                lines.append(f"if {f.name} is __MISSING: {f.name} = {factory}()")
            else:
                parameters.append(f.name)
            lines.append(f"{setter}{f.name})")
        elif f.default is not MISSING:
            lines.append(f"{setter}{default})")
        elif f.default_factory is not MISSING:
            lines.append(f"{setter}{factory}())")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    text = f"def __init__({', '.join(parameters)}) -> None:\n" + "".join(
        f"    {line}\n" for line in lines or ["pass"]
    )
    exec(text, namespace)  # the text is made from the class's own field names, never from input
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
