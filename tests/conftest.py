"""Test set-up shared by every test module.

QT_QPA_PLATFORM is set here, before anything can import Qt, so widget tests run headless.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "1")

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_cases"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def infliximab_path() -> Path:
    return SAMPLES / "infliximab-pyoderma.caseline.yaml"
