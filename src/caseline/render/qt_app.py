"""The QApplication: one place that starts Qt, for the window, the command line and scripts.

A headless caller (``caseline export``, ``--screenshot``, a script) gets the offscreen platform unless
the environment names one; the window (``make run``) never forces it, so it appears on a desktop.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication

_APP: QApplication | None = None


def use_offscreen_platform() -> None:
    """Ask Qt for the offscreen platform, before the QApplication exists, unless one is named."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def ensure_app(headless: bool = True) -> QApplication:
    """The running QApplication, or a new one (offscreen when ``headless``)."""
    global _APP
    app = QApplication.instance()
    if app is None:
        if headless:
            use_offscreen_platform()
        _APP = QApplication([sys.argv[0] if sys.argv else "caseline"])
        _APP.setApplicationName("caseline")
        _APP.setOrganizationName("caseline")
        app = _APP
    return app  # type: ignore[return-value]
