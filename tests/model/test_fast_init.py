"""fast_frozen_init: the faster __init__ must behave exactly like the dataclass one."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from caseline.model import Category, Event, Kind, Provenance, SourcePos
from caseline.model._fast_init import fast_frozen_init
from caseline.model.time_expressions import parse_time
from caseline.timeline.resolved import Interval


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "x"
    c: list[int] = dataclasses.field(default_factory=list)


@fast_frozen_init
@dataclasses.dataclass(frozen=True, slots=True)
class Fast:
    a: int
    b: str = "x"
    c: list[int] = dataclasses.field(default_factory=list)


def test_same_signature_defaults_and_factories() -> None:
    assert list(inspect.signature(Fast).parameters) == list(inspect.signature(Plain).parameters)
    assert (Fast(1).a, Fast(1).b, Fast(1).c) == (1, "x", [])
    assert Fast(1).c is not Fast(1).c  # a fresh default each time
    assert Fast(a=2, b="y", c=[3]) == Fast(2, "y", [3])
    with pytest.raises(TypeError):
        Fast()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast(1, d=2)  # type: ignore[call-arg]


def test_still_frozen_hashable_replaceable_picklable() -> None:
    pos = SourcePos("f.yaml", 3, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pos.line = 5  # type: ignore[misc]
    assert hash(pos) == hash(SourcePos("f.yaml", 3, 4)) and str(pos) == "f.yaml:3:4"
    assert dataclasses.replace(pos, col=9) == SourcePos("f.yaml", 3, 9)
    assert pickle.loads(pickle.dumps(pos)) == pos
    event = Event(id="d", kind=Kind.DRUG, label="D", lane="D", category=Category.DRUG, pos=pos,
                  start=parse_time("day 3"))
    assert event.source == Provenance() and event.course == () and event.dose is None
    assert pickle.loads(pickle.dumps(event)) == event
    assert dataclasses.replace(event, label="E").label == "E"
    assert Interval(1.0, 2.0, 3.0).shifted(1) == Interval(2.0, 3.0, 4.0)
