"""The YAML emitter writes what PyYAML reads back unchanged; the benchmark's study generator converts."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from caseline.io.standards import convert_paths, to_yaml

TRICKY = ["yes", "No", "null", "~", "2013", "2013-02-14", "1e3", "0x1F", "-dash", "key: value", "a #comment", "#x",
          "trailing ", " leading", "it's", '"quoted"', "line\nbreak", "tab\there", "ünïcödé", "€5", "", "@at", "`tick",
          "*star", "&amp", "!bang", "%pct", "?q", "[list]", "{map}", "a, b", "day 0", "O/E - itchy rash", "True"]


def test_tricky_strings_round_trip() -> None:
    document = {"caseline": 1, "case": {"id": "x", "title": "T", "values": TRICKY, "empty": [], "none": {},
                                        "nested": [[1, 2.5], {"a": [True, False, None]}], "events": []}}
    assert yaml.safe_load(to_yaml(document)) == document


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), inner, max_size=4),
                    max_leaves=20))
def test_any_plain_value_round_trips(value: object) -> None:
    document = {"caseline": 1, "value": value}
    assert yaml.safe_load(to_yaml(document)) == document


def test_benchmark_study_generator_converts(tmp_path: Path) -> None:
    from benchmarks.importing import generate_study

    records = generate_study(tmp_path / "study", subjects=3, days=20)
    result = convert_paths([tmp_path / "study"])
    assert len(result.cases) == 3 and records["ex"] == 60
    course = [e for e in result.cases[0]["events"] if e.get("drug") == "Drug X"]
    assert [e["dose"] for e in course] == [54.0, 81.0]  # 20 daily records: two courses, one per dose
