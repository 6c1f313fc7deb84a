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


@pytest.fixture
def window(qtbot, tmp_path):
    """The real main window, laid out at 1500x900 offscreen, with settings in a temp file."""
    from PySide6.QtCore import QSettings, Qt

    from caseline.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    win.resize(1500, 900)
    win.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    qtbot.addWidget(win)
    win.show()
    yield win
    teaching = getattr(win, "teaching", None)
    if teaching is not None and teaching.presentation.active:
        teaching.presentation.leave()
