"""Located YAML values: positions made from the composed nodes only when asked for, and still exact."""

from __future__ import annotations

from caseline.io.located import LList, LMap, load_yaml
from caseline.model.diagnostics import SourcePos

TEXT = """\
caseline: 1
case:
  id: c1
  events:
    - {id: a, kind: drug, start: day 0}
    - id: b
      kind: symptom
      start: "2 weeks after a"
  tags: [x, y,
         z]
"""


def test_positions_of_keys_values_and_items() -> None:
    root, problems = load_yaml("t.yaml", TEXT)
    assert problems == []
    assert isinstance(root, LMap) and root.pos == SourcePos("t.yaml", 1, 1)
    case = root["case"]
    assert root.where("case") == SourcePos("t.yaml", 3, 3)
    assert case.where("id") == SourcePos("t.yaml", 3, 7)
    assert case.key_pos["events"] == SourcePos("t.yaml", 4, 3)
    assert case.val_pos["id"] == SourcePos("t.yaml", 3, 7)
    assert case.where("missing") == case.pos == SourcePos("t.yaml", 3, 3)
    events = case["events"]
    assert isinstance(events, LList)
    assert [events.where(i) for i in range(2)] == [SourcePos("t.yaml", 5, 7), SourcePos("t.yaml", 6, 7)]
    assert events.item_pos == [SourcePos("t.yaml", 5, 7), SourcePos("t.yaml", 6, 7)]
    assert events.where(5) == events.pos
    assert events[0].where("start") == SourcePos("t.yaml", 5, 34)
    assert events[1].where("start") == SourcePos("t.yaml", 8, 14)
    assert case["tags"] == ["x", "y", "z"] and case["tags"].where(2) == SourcePos("t.yaml", 10, 10)


def test_duplicate_keys_name_the_one_before_and_the_last_wins() -> None:
    root, problems = load_yaml("t.yaml", "a: 1\nb: 2\na: 3\na: 4\n")
    assert [str(p) for p in problems] == [
        "t.yaml:3:1: duplicate key 'a' (first at line 1) (remove one of them)",
        "t.yaml:4:1: duplicate key 'a' (first at line 3) (remove one of them)",
    ]
    assert root["a"] == 4 and root.where("a") == SourcePos("t.yaml", 4, 4)
    assert root.key_pos["a"] == SourcePos("t.yaml", 4, 1)


def test_scalars_keep_their_types_and_a_tagged_collection_stays_a_collection() -> None:
    root, problems = load_yaml("t.yaml", "n: 3\nf: 1.5\nb: true\ns: '3'\nd: 2014-03-02\nz:\nm: !!str {a: 1}\n")
    assert problems == []
    assert root["n"] == 3 and root["f"] == 1.5 and root["b"] is True and root["s"] == "3"
    assert root["d"] == "2014-03-02" and root["z"] is None
    assert isinstance(root["m"], LMap) and root["m"]["a"] == 1
    assert load_yaml("t.yaml", "1: x\n")[0] == {"1": "x"}
