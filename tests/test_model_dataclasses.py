"""The public values whose dataclass methods are written out behave as generated ones.

``Fix``, ``Finding``, ``Outcome``, ``Report`` and ``Config`` are declared with
:func:`validator.model.frozen_dataclass_written_out`: ``@dataclass`` makes their
fields, and the methods a frozen dataclass generates are written in the class
body. Each is held here to the class ``@dataclass(frozen=True)`` generates from
the same fields, built the ordinary way inside the test: constructor (defaults,
positional and keyword arguments, wrong calls), repr (recursive too), equality,
hash, the frozen errors, ``fields()``, ``replace()``, ``asdict()``, ``astuple()``,
pickling, ``__match_args__``, ``__dataclass_params__``, the docstring, slots and
dataclass subclasses, on generated values.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.config import Config
from validator.engine.lazy import LazyFinding, lazy_finding
from validator.model import Finding, Fix, Outcome, Report, frozen_dataclass_written_out

WRITTEN_OUT: tuple[type[Any], ...] = (Fix, Finding, Outcome, Report, Config)


def _generated(cls: type[Any]) -> type[Any]:
    """The class ``@dataclass(frozen=True)`` makes from ``cls``'s fields, with its name,
    module, docstring and slots."""
    fields = [
        (field.name, field.type, dataclasses.field(
            default=field.default, default_factory=field.default_factory, init=field.init,
            repr=field.repr, hash=field.hash, compare=field.compare, metadata=field.metadata,
            kw_only=field.kw_only,
        ))
        for field in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(
        cls.__name__, fields, frozen=True, slots="__slots__" in vars(cls),
        namespace={"__doc__": cls.__doc__, "__module__": cls.__module__},
    )


GENERATED = {cls: _generated(cls) for cls in WRITTEN_OUT}

#: Values of any type: the generated methods do not look at the field types. Dicts make
#: unhashable instances, a nested ``Fix`` makes ``asdict()`` recurse.
VALUES: st.SearchStrategy[object] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6)
    | st.builds(Fix, st.text(max_size=4), st.booleans()),
    lambda inner: st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6,
)


def _result(call: Callable[..., object], *arguments: Any, **keywords: Any) -> tuple[str, object]:
    """What ``call(*arguments, **keywords)`` returns, or the type and message of what it
    raises."""
    try:
        return "returned", call(*arguments, **keywords)
    except Exception as error:
        return type(error).__name__, str(error)


def _error_without_function_name(
    call: Callable[..., object], *arguments: Any, **keywords: Any
) -> tuple[str, str]:
    """The type and message of a wrong call's error, less the function's name: the
    generated ``__init__`` is named ``__create_fn__.<locals>.__init__`` in it."""
    kind, message = _result(call, *arguments, **keywords)
    assert kind != "returned"
    return kind, str(message).rpartition("__init__()")[2]


def _state(value: object) -> tuple[object, ...]:
    return tuple(getattr(value, field.name) for field in dataclasses.fields(value))


def _same_classes(value: object, ours: type[Any], generated: type[Any]) -> object:
    """``value`` with ``generated`` replaced by ``ours`` wherever it appears, so the two
    classes' ``__reduce_ex__`` answers compare."""
    if value is generated:
        return ours
    if isinstance(value, tuple | list):
        return type(value)(_same_classes(item, ours, generated) for item in value)
    return value


@st.composite
def _arguments(draw: st.DrawFn, cls: type[Any]) -> tuple[list[object], dict[str, object]]:
    """Constructor arguments: every required field, some defaulted ones, some by keyword."""
    fields = dataclasses.fields(cls)
    required = sum(1 for field in fields if field.default is dataclasses.MISSING)
    given_count = draw(st.integers(required, len(fields)))
    positional = draw(st.integers(0, given_count))
    values = [draw(VALUES) for _ in range(given_count)]
    keywords = {field.name: value for field, value in
                zip(fields[positional:given_count], values[positional:], strict=True)}
    return values[:positional], keywords


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
def test_the_class_says_what_a_frozen_dataclass_says(cls: type[Any]) -> None:
    generated = GENERATED[cls]
    assert dataclasses.is_dataclass(cls)
    assert repr(cls.__dataclass_params__) == repr(generated.__dataclass_params__)
    assert cls.__match_args__ == generated.__match_args__
    assert cls.__doc__ == generated.__doc__
    assert vars(cls).get("__slots__") == vars(generated).get("__slots__")
    assert [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare,
             f.kw_only, f._field_type) for f in dataclasses.fields(cls)] == [
        (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare,
         f.kw_only, f._field_type) for f in dataclasses.fields(generated)]
    assert inspect.signature(cls).parameters == inspect.signature(generated).parameters
    assert (cls.__hash__ is None) == (generated.__hash__ is None)
    for method in ("__lt__", "__le__", "__gt__", "__ge__"):  # no ordering
        assert (method in vars(cls)) == (method in vars(generated))


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_instances_behave_as_the_generated_ones(cls: type[Any], data: st.DataObject) -> None:
    generated = GENERATED[cls]
    positional, keywords = data.draw(_arguments(cls))
    ours, theirs = cls(*positional, **keywords), generated(*positional, **keywords)
    assert _state(ours) == _state(theirs)
    assert repr(ours) == repr(theirs)
    assert _result(hash, ours) == _result(hash, theirs)
    assert ours == cls(*positional, **keywords) and theirs == generated(*positional, **keywords)
    assert ours.__eq__(theirs) is NotImplemented and theirs.__eq__(ours) is NotImplemented
    assert ours.__eq__(_state(ours)) is NotImplemented

    other_positional, other_keywords = data.draw(_arguments(cls))
    assert (ours == cls(*other_positional, **other_keywords)) == (
        theirs == generated(*other_positional, **other_keywords))
    changes = data.draw(st.dictionaries(
        st.sampled_from([field.name for field in dataclasses.fields(cls)]), VALUES, max_size=3))
    changed = dataclasses.replace(ours, **changes)
    assert type(changed) is cls
    assert _state(changed) == _state(dataclasses.replace(theirs, **changes))
    assert (changed == ours) == (dataclasses.replace(theirs, **changes) == theirs)

    assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)

    for name in (*(field.name for field in dataclasses.fields(cls)), "not_a_field"):
        assert _result(setattr, ours, name, 1) == _result(setattr, theirs, name, 1)
        assert _result(delattr, ours, name) == _result(delattr, theirs, name)
    assert _state(ours) == _state(theirs)

    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert _same_classes(ours.__reduce_ex__(protocol), cls, generated) == _same_classes(
            theirs.__reduce_ex__(protocol), cls, generated)
        restored = pickle.loads(pickle.dumps(ours, protocol))
        assert type(restored) is cls and _state(restored) == _state(ours)


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
def test_wrong_calls_fail_as_the_generated_constructor_does(cls: type[Any]) -> None:
    generated = GENERATED[cls]
    fields = dataclasses.fields(cls)
    too_many = [None] * (len(fields) + 1)
    calls: list[tuple[list[object], dict[str, object]]] = [
        (too_many, {}), ([], {"not_a_field": 1}), ([None], {fields[0].name: None}),
    ]
    if fields[0].default is dataclasses.MISSING:
        calls.append(([], {}))
    for positional, keywords in calls:
        assert _error_without_function_name(cls, *positional, **keywords) == (
            _error_without_function_name(generated, *positional, **keywords))


def test_a_recursive_repr_is_cut_as_the_generated_one_is() -> None:
    def made(outcome_class: type[Any]) -> object:
        customer: dict[str, object] = {}
        outcome = outcome_class("session", "c1", "en", "lang-param", "anonymous", customer)
        customer["self"] = outcome
        return outcome

    assert repr(made(Outcome)) == repr(made(GENERATED[Outcome]))
    assert "customer={'self': ...}" in repr(made(Outcome))


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
def test_dataclass_subclasses_are_made_as_of_the_generated_class(cls: type[Any]) -> None:
    generated = GENERATED[cls]
    slots = "__slots__" in vars(cls)
    for base in (cls, generated):
        with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass"):
            dataclasses.dataclass(type("Loose", (base,), {}))
    subclasses = [
        dataclasses.dataclass(frozen=True, slots=slots)(
            type("Extended", (base,), {"__annotations__": {"extra": "int"}, "extra": 0}))
        for base in (cls, generated)
    ]
    arguments = [None] * sum(1 for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING)
    ours, theirs = (subclass(*arguments) for subclass in subclasses)
    assert repr(ours) == repr(theirs)
    assert ours != cls(*arguments) and theirs != generated(*arguments)
    for name in ("extra", "not_a_field"):
        assert _result(setattr, ours, name, 1) == _result(setattr, theirs, name, 1)


def test_a_plain_subclass_sets_what_the_generated_one_lets_it() -> None:
    """A subclass that is not a dataclass: the configuration's frozen test lets it set
    names that are not fields, as the generated one does."""
    ours = type("Loose", (Config,), {})()
    theirs = type("Loose", (GENERATED[Config],), {})()
    for name in ("profile", "not_a_field"):
        assert _result(setattr, ours, name, 1) == _result(setattr, theirs, name, 1)
    assert ours.not_a_field == theirs.not_a_field == 1


def test_lazy_findings_keep_the_findings_frozen_errors() -> None:
    finding = lazy_finding("DL101", "chatid-without-direct", "error", (0, 1), "chatid",
                           lambda: ("message", None), ())
    assert isinstance(finding, LazyFinding)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'code'"):
        finding.code = "DL102"  # type: ignore[misc]
    assert finding == Finding("DL101", "chatid-without-direct", "error", "message", (0, 1),
                              "chatid")


def test_a_class_that_does_not_write_a_method_out_is_refused() -> None:
    class Partial:
        value: int

        def __init__(self, value: int) -> None:
            object.__setattr__(self, "value", value)

    with pytest.raises(TypeError, match="does not write out __repr__, __eq__"):
        frozen_dataclass_written_out()(Partial)
