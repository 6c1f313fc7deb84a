"""Readers of caseline case files written as YAML or JSON (the format of docs/case-format.md)."""

from __future__ import annotations

from caseline.io.case_document import build_document
from caseline.io.located import MAX_YAML_BYTES, load_json, load_yaml, read_text
from caseline.io.registry import ReadResult, reader


@reader("caseline-yaml", "caseline case files and case sets (YAML)", ("*.yaml", "*.yml"))
def read_yaml(path: str) -> ReadResult:
    text, warnings = read_text(path, MAX_YAML_BYTES)
    root, problems = load_yaml(path, text)
    cases, caseset, diagnostics = build_document(path, root)
    return ReadResult(cases, caseset, warnings + problems + diagnostics)


@reader("caseline-json", "caseline case files (JSON)", ("*.json",))
def read_json(path: str) -> ReadResult:
    text, warnings = read_text(path, MAX_YAML_BYTES)
    root, problems = load_json(path, text)
    cases, caseset, diagnostics = build_document(path, root)
    return ReadResult(cases, caseset, warnings + problems + diagnostics)
