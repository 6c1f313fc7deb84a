"""Every example in docs/case-format.md is a file caseline reads, and the schema accepts.

Fenced blocks tagged ```yaml are complete files; ```yaml fragment blocks are parts of files and
are skipped; a ```yaml invalid block is followed by a ```text block with the exact messages
`caseline validate` prints for it, saved as bad.caseline.yaml. A ```yaml contradiction block is
the same, for a file whose structure is valid (the schema accepts it) but whose times cannot all
be true: only caseline finds that.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from caseline.io import case_fields as build
from caseline.model.caseset import ALIGN_MODES, SORT_KEYS
from caseline.model.kinds import Kind
from caseline.timeline.load import load_file
from yamltext import load_yaml_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "case-format.md"
SCHEMA_PATH = ROOT / "resources" / "caseline.schema.json"
EXAMPLE_TAGS = {
    "yaml", "yaml fragment", "yaml invalid", "yaml contradiction", "yaml limitation", "yaml warning", "json", "csv",
    "text", "",
}




def schema_errors(document: Any) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str, int]]:
    """(info string, body, line number) of every fenced block of the document."""
    text = DOC.read_text(encoding="utf-8")
    return [
        (m.group("info").strip(), m.group("body"), text.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(text)
    ]


def examples(info: str) -> list[Any]:
    """(body, line) parameters of the blocks tagged with ``info``, named by line."""
    return [
        pytest.param(body, line, id=f"line{line}") for tag, body, line in blocks() if tag == info
    ]


def test_the_document_has_examples() -> None:
    tags = {tag for tag, _, _ in blocks()}
    assert {"yaml", "yaml fragment", "yaml invalid", "json", "text"} <= tags
    assert len(examples("yaml")) >= 20
    assert len(invalid_examples()) >= 1
    unexpected = tags - EXAMPLE_TAGS
    assert not unexpected, f"untested example types: {unexpected}"


@pytest.mark.parametrize(("body", "line"), examples("yaml"))
def test_yaml_example_reads_cleanly(body: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "example.caseline.yaml"
    path.write_text(body, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    # Examples show good practice: not even a warning.
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert result.cases or result.caseset is not None


@pytest.mark.parametrize(("body", "line"), examples("yaml"))
def test_yaml_example_matches_schema(body: str, line: int) -> None:
    assert schema_errors(load_yaml_text(body)) == []


@pytest.mark.parametrize(("body", "line"), examples("json"))
def test_json_example_reads_cleanly_and_matches_schema(
    body: str, line: int, tmp_path: Path
) -> None:
    path = tmp_path / "example.caseline.json"
    path.write_text(body, encoding="utf-8")
    result = load_file(path)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert schema_errors(json.loads(body)) == []


@pytest.mark.parametrize(("body", "line"), examples("csv"))
def test_csv_example_reads_cleanly(body: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "example.events.csv"
    path.write_text(body, encoding="utf-8")
    result = load_file(path)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert result.cases


def test_csv_columns_and_metadata_keys_are_documented() -> None:
    csv_reader = pytest.importorskip("caseline.io.csv_reader")
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## CSV events tables", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    assert set(csv_reader.KNOWN_COLUMNS) - documented == set()
    assert set(csv_reader.METADATA_KEYS) - documented == set()


def invalid_examples(tags: tuple[str, ...] = ("yaml invalid", "yaml contradiction")) -> list[Any]:
    """(file, the validate output the document shows right after it, line)."""
    found = blocks()
    out = []
    for i, (tag, body, line) in enumerate(found):
        if tag in tags:
            following = found[i + 1]
            assert following[0] == "text", f"line {line}: an invalid example needs its output"
            out.append(pytest.param(body, following[1], line, id=f"line{line}"))
    return out


@pytest.mark.parametrize(("body", "output", "line"), invalid_examples())
def test_invalid_example_prints_what_the_document_says(
    body: str, output: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.caseline.yaml").write_text(body, encoding="utf-8")
    result = load_file("bad.caseline.yaml")
    assert not result.ok
    assert [str(d) for d in result.diagnostics] == output.splitlines()


@pytest.mark.parametrize(("body", "output", "line"), invalid_examples(("yaml invalid",)))
def test_invalid_example_is_rejected_by_schema(body: str, output: str, line: int) -> None:
    assert schema_errors(load_yaml_text(body)) != []


@pytest.mark.parametrize(("body", "output", "line"), invalid_examples(("yaml contradiction",)))
def test_contradiction_example_is_structurally_valid(body: str, output: str, line: int) -> None:
    assert schema_errors(load_yaml_text(body)) == []


def test_every_event_field_is_documented() -> None:
    """Each field of each kind appears in the document as `field`: docs and builder in step."""
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text))
    for kind in Kind:
        missing = build.EVENT_KEYS[kind] - documented
        assert not missing, f"{kind.value} fields not documented: {sorted(missing)}"
        assert f"kind: {kind.value}" in text


def test_every_other_field_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`\"?([$a-z_\-]+)\"?`", text))
    tables = (
        build.TOP_KEYS | build.CASE_KEYS | build.PATIENT_KEYS | build.CITATION_KEYS
        | build.SUSPECT_KEYS | build.SOURCE_KEYS | build.CASESET_KEYS | build.SCHEDULE_KEYS
        | build.CYCLE_KEYS | build.COURSE_KEYS | build.SEVERITY_KEYS | build.SEVERITY_POINT_KEYS
        | build.TIME_KEYS | set(ALIGN_MODES) | set(SORT_KEYS)
    )
    assert tables - documented == set()


@pytest.mark.parametrize(("body", "output", "line"), invalid_examples(("yaml warning",)))
def test_warning_example_opens_and_warns_as_the_document_says(
    body: str, output: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ```yaml warning block opens (no error) and validate prints exactly the warnings shown after it."""
    monkeypatch.chdir(tmp_path)
    Path("bad.caseline.yaml").write_text(body, encoding="utf-8")
    result = load_file("bad.caseline.yaml")
    assert result.ok and result.cases
    assert [str(d) for d in result.diagnostics] == output.splitlines()
    assert schema_errors(load_yaml_text(body)) == []
