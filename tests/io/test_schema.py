"""The JSON Schema in resources/ describes the same format as the builder's field tables.

Editors check case files against the schema; caseline checks them with the builder. These tests
keep the two in step: every sample validates, the schema's fields equal the builder's tables,
and documents the builder rejects for their structure are rejected by the schema too.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from caseline.io import case_fields as build
from caseline.model.caseset import ALIGN_MODES, SORT_KEYS
from caseline.model.kinds import Category, CourseState, DrugRole, Interpretation, Kind, MilestoneType
from yamltext import load_yaml_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "resources" / "caseline.schema.json"
SAMPLES = ROOT / "sample_cases"




def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def schema_errors(document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator().iter_errors(document)]


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def load_sample(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else load_yaml_text(text)


# ---------------------------------------------------------------------------- the schema itself


def test_schema_is_valid_draft_2020_12() -> None:
    data = schema()
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)


def test_loader_keeps_dates_as_text() -> None:
    assert load_yaml_text("at: 2010-02-14") == {"at": "2010-02-14"}


# ---------------------------------------------------------------------------- samples


def test_there_are_samples() -> None:
    assert sample_files(), "sample_cases/ has no case files"


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_validates_against_schema(path: Path) -> None:
    assert schema_errors(load_sample(path)) == []


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_points_editors_at_the_schema(path: Path) -> None:
    if path.suffix == ".json":
        pytest.skip("JSON has no comments to name a schema in")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../resources/caseline.schema.json"
    assert (path.parent / "../resources/caseline.schema.json").resolve() == SCHEMA_PATH


# ---------------------------------------------------------------------------- fields of io/case_fields.py


def properties(defn: str) -> set[str]:
    return set(schema()["$defs"][defn]["properties"])


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_event_fields_equal_builder(kind: Kind) -> None:
    assert properties(f"{kind.value}Event") == build.EVENT_KEYS[kind]


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_event_kinds_are_dispatched(kind: Kind) -> None:
    event = schema()["$defs"]["event"]
    branches = {
        branch["if"]["properties"]["kind"]["const"]: branch["then"]["$ref"]
        for branch in event["allOf"]
    }
    assert branches[kind.value] == f"#/$defs/{kind.value}Event"
    assert schema()["$defs"][f"{kind.value}Event"]["properties"]["kind"] == {"const": kind.value}
    assert schema()["$defs"][f"{kind.value}Event"]["additionalProperties"] is False


def test_event_kind_enum_equals_model() -> None:
    assert schema()["$defs"]["event"]["properties"]["kind"]["enum"] == [k.value for k in Kind]


@pytest.mark.parametrize(
    ("defn", "keys"),
    [
        ("case", build.CASE_KEYS),
        ("patient", build.PATIENT_KEYS),
        ("citation", build.CITATION_KEYS),
        ("suspect", build.SUSPECT_KEYS),
        ("source", build.SOURCE_KEYS),
        ("caseset", build.CASESET_KEYS),
        ("schedule", build.SCHEDULE_KEYS),
        ("cycles", build.CYCLE_KEYS),
        ("coursePoint", build.COURSE_KEYS),
        ("severity", build.SEVERITY_KEYS),
        ("severityPoint", build.SEVERITY_POINT_KEYS),
    ],
)
def test_mapping_fields_equal_builder(defn: str, keys: set[str]) -> None:
    assert properties(defn) == keys
    assert schema()["$defs"][defn]["additionalProperties"] is False


def test_top_level_and_time_fields_equal_builder() -> None:
    data = schema()
    assert set(data["properties"]) == build.TOP_KEYS
    assert data["additionalProperties"] is False
    time_object = next(a for a in data["$defs"]["time"]["anyOf"] if a.get("type") == "object")
    assert set(time_object["properties"]) == build.TIME_KEYS


def test_enums_equal_model() -> None:
    defs = schema()["$defs"]
    assert defs["category"]["enum"] == [c.value for c in Category]
    assert defs["drugEvent"]["properties"]["role"]["enum"] == [r.value for r in DrugRole]
    assert defs["coursePoint"]["properties"]["state"]["enum"] == [s.value for s in CourseState]
    assert defs["investigationEvent"]["properties"]["interpretation"]["enum"] == [
        i.value for i in Interpretation
    ]
    assert defs["milestoneEvent"]["properties"]["type"]["enum"] == [m.value for m in MilestoneType]
    assert defs["caseset"]["properties"]["sort"]["enum"] == list(SORT_KEYS)
    align = defs["caseset"]["properties"]["align"]["anyOf"]
    assert align[0]["enum"] == list(ALIGN_MODES)


# ---------------------------------------------------------------------------- wrong documents

GOOD: dict[str, Any] = {
    "caseline": 1,
    "case": {
        "id": "ok",
        "title": "A valid case",
        "suspect": {"drug": "ifx"},
        "events": [
            {"id": "ifx", "kind": "drug", "drug": "infliximab",
             "schedule": {"at": ["week 0", "week 2", {"time": "week 6", "stated": "six weeks"}]}},
            {"id": "rash", "kind": "symptom", "label": "Rash", "start": "2 weeks after ifx#3",
             "course": [{"at": "week 10", "state": "improvement"}],
             "severity": {"scale": "CTCAE", "min": 1, "max": 5,
                          "values": [{"at": "rash", "value": 2}]}},
            {"id": "alt", "kind": "investigation", "test": "ALT", "at": 2013, "reference": "7-56"},
            {"id": "stop", "kind": "dechallenge", "target": "ifx", "at": "after rash"},
            {"id": "ivig", "kind": "therapy", "drug": "IVIG", "start": "week 12",
             "schedule": {"cycles": {"count": 2, "days": "1-5"}}},
            {"id": "fu", "kind": "milestone", "type": "last-follow-up", "at": "unknown"},
        ],
    },
}


def test_good_document_is_valid() -> None:
    assert schema_errors(GOOD) == []


def _mutated(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    change(doc)
    return doc


def _events(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["case"]["events"]


WRONG = {
    "no version": lambda d: d.pop("caseline"),
    "future version": lambda d: d.update(caseline=2),
    "version as text": lambda d: d.update(caseline="1"),
    "unknown top-level key": lambda d: d.update(extra=True),
    "both case and cases": lambda d: d.update(cases=[d["case"]]),
    "no case at all": lambda d: d.pop("case"),
    "case without title": lambda d: d["case"].pop("title"),
    "case without events": lambda d: d["case"].pop("events"),
    "unknown case field": lambda d: d["case"].update(anchors="ifx"),
    "bad case id": lambda d: d["case"].update(id="2 cases"),
    "event without kind": lambda d: _events(d)[0].pop("kind"),
    "unknown kind": lambda d: _events(d)[0].update(kind="medication"),
    "misspelt field": lambda d: _events(d)[0].update(strat="week 0"),
    "field of another kind": lambda d: _events(d)[1].update(target="ifx"),
    "role on a therapy": lambda d: _events(d)[4].update(role="suspected"),
    "point event without at": lambda d: _events(d)[2].pop("at"),
    "symptom without label": lambda d: _events(d)[1].pop("label"),
    "symptom without start": lambda d: _events(d)[1].pop("start"),
    "drug without start or schedule": lambda d: _events(d)[0].pop("schedule"),
    "therapy without drug or label": lambda d: _events(d)[4].pop("drug"),
    "investigation without test or label": lambda d: _events(d)[2].pop("test"),
    "dechallenge without target": lambda d: _events(d)[3].pop("target"),
    "bad role": lambda d: _events(d)[0].update(role="culprit"),
    "bad category": lambda d: _events(d)[0].update(category="drugs"),
    "bad milestone type": lambda d: _events(d)[5].update(type="follow-up"),
    "bad interpretation": lambda d: _events(d)[2].update(interpretation="high"),
    "bad course state": lambda d: _events(d)[1]["course"][0].update(state="better"),
    "bare number as a time": lambda d: _events(d)[1].update(start=14),
    "empty time": lambda d: _events(d)[1].update(start=""),
    "time mapping without time": lambda d: _events(d)[1].update(start={"stated": "later"}),
    "unknown key in time mapping": lambda d: _events(d)[1].update(
        start={"time": "day 1", "when": "x"}
    ),
    "duration without unit": lambda d: _events(d)[1].update(duration="5"),
    "schedule with two forms": lambda d: _events(d)[0]["schedule"].update(every="2 weeks", count=3),
    "repeat without count or until": lambda d: _events(d)[0].update(schedule={"every": "2 weeks"}),
    "empty at-list": lambda d: _events(d)[0].update(schedule={"at": []}),
    "cycles without count": lambda d: _events(d)[4]["schedule"]["cycles"].pop("count"),
    "cycle day zero": lambda d: _events(d)[4]["schedule"]["cycles"].update(days=[0, 1]),
    "severity without values": lambda d: _events(d)[1]["severity"].pop("values"),
    "severity point without at": lambda d: _events(d)[1]["severity"]["values"][0].pop("at"),
    "reference as free text": lambda d: _events(d)[2].update(reference="<40"),
    "unknown source field": lambda d: _events(d)[0].update(source={"para": "1"}),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_document_is_rejected(name: str) -> None:
    assert schema_errors(_mutated(WRONG[name])) != []


CASESET_OK: dict[str, Any] = {
    "caseline": 1,
    "caseset": {
        "files": ["a.caseline.yaml", {"path": "b.caseline.yaml", "cases": ["b1"]}],
        "align": "event:EMG",
        "sort": "latency",
        "range": [-30, 120],
    },
}


def test_caseset_is_valid() -> None:
    assert schema_errors(CASESET_OK) == []


@pytest.mark.parametrize(
    "change",
    [
        {"align": "onset"},
        {"sort": "age"},
        {"range": [0]},
        {"files": []},
        {"files": [{"cases": ["b1"]}]},
        {"shared_lanes_only": "yes please"},
        {"colour": "red"},
    ],
    ids=str,
)
def test_wrong_caseset_is_rejected(change: dict[str, Any]) -> None:
    doc = copy.deepcopy(CASESET_OK)
    doc["caseset"].update(change)
    assert schema_errors(doc) != []


def test_wrong_documents_are_also_rejected_by_caseline(tmp_path: Path) -> None:
    """The schema's rejections are real problems: caseline refuses the same documents."""
    from caseline.timeline.load import load_file

    good = tmp_path / "good.caseline.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    assert load_file(good).ok, [str(d) for d in load_file(good).diagnostics]
    # Documents the builder reports as errors (a few cases the builder accepts silently, such
    # as a severity point without 'at', are stricter in the schema on purpose).
    builder_rejects = sorted(set(WRONG) - {"severity point without at"})
    for name in builder_rejects:
        path = tmp_path / f"{name.replace(' ', '-')}.caseline.json"
        path.write_text(json.dumps(_mutated(WRONG[name])), encoding="utf-8")
        assert not load_file(path).ok, name


def test_schema_ships_with_the_package() -> None:
    from caseline.io.resources import schema_text

    assert json.loads(schema_text()) == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
