"""Two fixes to Qt and pyqtgraph widget behaviour the plots share: their own tooltips kept on screen, and a
legend that wraps to the plot's width instead of widening it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt


def keep_own_tooltip(event: QEvent) -> bool:
    """Swallow the viewport's QEvent.ToolTip: the view shows its own tooltip on hover.

    Left to QGraphicsView, the event becomes a scene help event after Qt's tooltip delay, and
    QGraphicsScene.helpEvent() -- finding no item with a toolTip() -- calls QToolTip.showText(pos, "")
    and hides the tooltip the view showed about a second earlier (docs/qt-notes.md). Returns True
    when the event was swallowed.
    """
    if event.type() == QEvent.Type.ToolTip:
        event.accept()
        return True
    return False


def let_title_shrink(label: pg.LabelItem) -> None:
    """The legend wraps to the plot width: never let its text width widen the whole plot."""
    original = label.updateMin

    def update_min() -> None:
        original()
        height = label.item.boundingRect().height()
        label._sizeHint[Qt.SizeHint.MinimumSize] = (10, height)
        label._sizeHint[Qt.SizeHint.PreferredSize] = (10, height)
        label.setMinimumWidth(10)
        label.updateGeometry()

    label.updateMin = update_min
