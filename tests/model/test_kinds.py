"""The kind table is complete: every kind of event has a spec that every layer can read."""

from __future__ import annotations

import pytest

from caseline.io.case_document import Builder
from caseline.io.case_fields import EVENT_KEYS
from caseline.io.located import LMap
from caseline.model.diagnostics import SourcePos
from caseline.model.kinds import GROUP_KEYS, KIND_SPECS, Category, FieldGroup, Glyph, Kind


def test_every_kind_has_a_complete_spec() -> None:
    assert set(KIND_SPECS) == set(Kind)
    for kind, spec in KIND_SPECS.items():
        assert spec.kind is kind
        assert isinstance(spec.default_category, Category)
        assert spec.words, kind
        assert spec.point or spec.glyph is None or spec.band, f"{kind}: a course's start mark goes with a band"
        assert not spec.point or isinstance(spec.glyph, Glyph), f"{kind}: a point needs a glyph"
        assert spec.label_field in ("", *spec.keys), f"{kind}: default label from a field it lacks"
        assert spec.label_field or spec.default_label or not spec.point or kind is Kind.INVESTIGATION
        assert EVENT_KEYS[kind] == set(spec.keys)


def test_every_field_group_has_keys_and_a_reader() -> None:
    assert set(GROUP_KEYS) == set(FieldGroup)
    builder = Builder("x.yaml")
    for group in FieldGroup:
        for kind, spec in KIND_SPECS.items():
            if spec.has(group):
                fields = builder.group_fields(group, LMap(SourcePos("x.yaml", 1, 1)), kind)
                assert fields, group
                break
        else:
            pytest.fail(f"no kind uses the field group {group}")


@pytest.mark.parametrize("kind", list(Kind))
def test_a_minimal_event_of_every_kind_loads_and_resolves(tmp_path, kind) -> None:
    import caseline

    spec = KIND_SPECS[kind]
    timing = "at: day 3" if spec.point else "start: day 3"
    extra = ""
    if spec.has(FieldGroup.TARGET):
        extra = "\n      target: d"
    path = tmp_path / "one.caseline.yaml"
    path.write_text("caseline: 1\ncase:\n  id: c\n  title: T\n  anchor: d\n  events:\n"
                    "    - {id: d, kind: drug, drug: x, start: day 0}\n"
                    f"    - id: e\n      kind: {kind.value}\n      label: L\n      {timing}{extra}\n", encoding="utf-8")
    (case,) = caseline.load(path)
    items = case.items_of("e")
    assert items and items[0].start is not None and items[0].start.best == 3.0
    assert (items[0].end is None) == (spec.point or items[0].open_end)
