"""Test set-up shared by every test module.

QT_QPA_PLATFORM is set here, before anything can import Qt, so widget tests run headless.

With ``CASELINE_BLOCK_QT=1`` (``make test`` runs the pure-core folders so: tests/model, io, timeline,
analysis, layout, docs) importing PySide6, shiboken6 or pyqtgraph raises ImportError, which proves the
pure core and its tests need no Qt, as napari's headless job does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new random inputs on a developer's machine; in CI (CI=true) the same run is
# derandomized, so a red CI is reproducible and a green one does not depend on luck. `make fuzz` runs
# the property tests with many more examples (HYPOTHESIS_PROFILE=fuzz); what it finds becomes a test.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fuzz", max_examples=5000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "1")

QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


class _BlockQt:
    """A meta-path finder that refuses Qt: installed for the pure-core test run."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in QT_MODULES:
            raise ImportError(f"{name} is blocked: the pure core and its tests must not import Qt")


if os.environ.get("CASELINE_BLOCK_QT") == "1":
    import sys

    sys.meta_path.insert(0, _BlockQt())

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


def cases_of(path: Path) -> list:
    from caseline.timeline.load import load_file

    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.cases


@pytest.fixture(scope="session")
def pyoderma(qapp) -> list:  # the QApplication must exist first
    return cases_of(SAMPLES / "infliximab-pyoderma.caseline.yaml")


@pytest.fixture(scope="session")
def crps(qapp) -> list:
    return cases_of(SAMPLES / "crps-infliximab.caseline.yaml")
