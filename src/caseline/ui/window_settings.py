"""What the window remembers between runs (QSettings keys in one place), and fitting the window to
the screen it opens on: never larger than the screen's available area, never off-screen, whatever
size was saved on another monitor or asked for on the command line."""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

GEOMETRY = "window/geometry"
STATE = "window/state"  # docks and toolbars
AXIS_MODE = "view/axis_mode"
LEGEND = "view/legend"
LEGEND_BELOW = "view/legend_below"
FOLDER = "dialogs/folder"  # the folder every open and save dialog starts in
RECENT = "recent_files"
EXPORT_PREFIX = "export/"
TEACHING_PREFIX = "teaching/"

#: Room left for the window manager's frame (title bar, borders) when sizing a window that is not shown yet.
FRAME_RESERVE = (16, 48)
#: The smallest window that still shows a timeline next to the lane list.
MIN_SIZE = (640, 400)


def recent_label(path: str, recent: list[str]) -> str:
    """A recent file's menu text: the file name, with its folder when another recent file has the same name."""
    name = os.path.basename(path)
    if [os.path.basename(p) for p in recent].count(name) < 2:
        return name
    folder = os.path.dirname(path)
    home = os.path.expanduser("~")
    shown = "~" + folder[len(home):] if folder.startswith(home + os.sep) else folder
    return f"{name}  ({shown})"


def clamp_rect(x: int, y: int, width: int, height: int, area: QRect) -> QRect:
    """The window rectangle (client area) moved and shrunk to lie inside ``area`` with its frame."""
    max_w = max(MIN_SIZE[0], area.width() - FRAME_RESERVE[0])
    max_h = max(MIN_SIZE[1], area.height() - FRAME_RESERVE[1])
    width, height = min(width, max_w), min(height, max_h)
    left_min, top_min = area.left() + FRAME_RESERVE[0] // 2, area.top() + FRAME_RESERVE[1] - FRAME_RESERVE[0] // 2
    x = min(max(x, left_min), max(left_min, area.left() + area.width() - width - FRAME_RESERVE[0] // 2))
    y = min(max(y, top_min), max(top_min, area.top() + area.height() - height - FRAME_RESERVE[0] // 2))
    return QRect(x, y, width, height)


def screen_area(window: QWidget) -> QRect:
    """The available geometry (without panels and docks) of the screen the window is on, or the primary."""
    center = window.geometry().center()
    screen = QGuiApplication.screenAt(center) or window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def place_window(window: QWidget, size: tuple[int, int], settings: QSettings | None, restore: bool) -> None:
    """Restore the saved geometry (when ``restore``) or size the window to ``size``, centred; then clamp it
    to the screen's available area, so no panel, axis or status bar is off-screen."""
    saved = settings.value(GEOMETRY) if settings is not None and restore else None
    if isinstance(saved, QByteArray | bytes) and window.restoreGeometry(QByteArray(saved)):
        rect = window.geometry()
        area = screen_area(window)
        window.setGeometry(clamp_rect(rect.x(), rect.y(), rect.width(), rect.height(), area))
        return
    area = screen_area(window)
    width, height = size
    x = area.left() + (area.width() - width) // 2
    y = area.top() + (area.height() - height) // 2
    window.setGeometry(clamp_rect(x, y, width, height, area))


def start_folder(settings: QSettings | None, fallback: str = "") -> str:
    """The folder every file dialog starts in: the last one used, else ``fallback``, else home."""
    value = settings.value(FOLDER, "") if settings is not None else ""
    for folder in (str(value or ""), fallback):
        if folder and os.path.isdir(folder):
            return folder
    return os.path.expanduser("~")


#: A dynamic property of the window's QSettings (never written to the file): set while the de-identified
#: view is on, when no file or folder name is remembered (recent files, the last folder).
PRIVATE = "caseline_private"


def set_private(settings: QSettings | None, on: bool) -> None:
    """Remember no file or folder names from now on (``on``: the de-identified view), or again."""
    if settings is not None:
        settings.setProperty(PRIVATE, bool(on))


def is_private(settings: QSettings | None) -> bool:
    return settings is not None and bool(settings.property(PRIVATE))


def remember_folder(settings: QSettings | None, path: str) -> None:
    """Remember the folder of ``path`` (a file chosen in a dialog) for the next dialog (not while the
    de-identified view is on)."""
    if settings is not None and path and not is_private(settings):
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        settings.setValue(FOLDER, folder)


def setting(settings: QSettings | None, key: str, default: object, kind: type) -> object:
    """A stored value as ``kind`` (INI files store everything as text), or ``default``."""
    if settings is None:
        return default
    value = settings.value(key, default)
    try:
        if kind is bool:
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
        return kind(value)
    except (TypeError, ValueError):
        return default
