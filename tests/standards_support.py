"""Shared helpers of the importer tests: where the third-party test files are, and a strict check
that an import result is a case file caseline opens with no error and no warning."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import caseline
from caseline.io.standards import ImportResult, write_import

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = Path(os.environ.get("CASELINE_STANDARDS_DATA", ROOT.parent / "shared" / "testdata" / "standards"))


def standard_file(relative: str) -> Path:
    """A file of ../shared/testdata/standards, or a clean skip when that folder is not there."""
    path = STANDARDS / relative
    if not path.exists():
        pytest.skip(f"third-party test data not available: {path}")
    return path


def load_clean(result: ImportResult, tmp_path: Path, name: str = "import.caseline.yaml",
               allowed: tuple[str, ...] = ()) -> list[Any]:
    """Write ``result``, read it back with ``caseline.load`` and return the resolved cases.
    Fails on any error, and on any warning whose message contains none of ``allowed``."""
    assert result.cases, [str(w) for w in result.warnings]
    path = write_import(result, tmp_path / name)
    cases = caseline.load(path)  # raises CaseFileError on any error
    warnings = [str(d) for case in cases for d in case.diagnostics
                if not any(text in str(d) for text in allowed)]
    assert warnings == []
    return cases


def case_of(result: ImportResult, case_id: str) -> dict[str, Any]:
    return next(c for c in result.cases if c["id"] == case_id)


def event_of(case: dict[str, Any], event_id: str) -> dict[str, Any]:
    return next(e for e in case["events"] if e["id"] == event_id)


def events_from(case: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The events whose provenance names ``section`` (``AE AESEQ=3``)."""
    return [e for e in case["events"] if e.get("source", {}).get("section") == section]


def item_of(resolved: Any, item_id: str) -> Any:
    item = resolved.item(item_id)
    assert item is not None, item_id
    return item
