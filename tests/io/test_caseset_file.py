"""Recognising case set files by their content."""

from __future__ import annotations

from caseline.io.caseset_file import is_caseset_file
from support import CASESET, INFLIXIMAB, SAMPLES


def test_caseset_detection():
    assert is_caseset_file(str(CASESET))
    assert not is_caseset_file(str(INFLIXIMAB))
    assert not is_caseset_file(str(SAMPLES / "infliximab-pyoderma.events.csv"))
