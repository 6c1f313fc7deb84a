"""The cold-start baseline: a bare PySide6 + pyqtgraph window that paints one plot, then quits.

``python -m benchmarks.bare_window`` is timed as a whole process against
``caseline --exit-after-paint SAMPLE`` (interleaved, same run): caseline's start-up cost is what it
adds on top of this floor.
"""

from __future__ import annotations

import sys


def main() -> int:
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    plot = pg.PlotWidget()
    plot.plot([0, 1, 2, 3], [0, 1, 0, 1])
    plot.resize(1500, 900)
    painted: list[bool] = []
    from PySide6.QtCore import QEvent, QObject

    class AfterPaint(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
                QTimer.singleShot(0, app.quit)  # after this paint has finished
            return False

    watcher = AfterPaint()
    plot.viewport().installEventFilter(watcher)
    plot.show()
    app.exec()
    return 0 if painted else 1


if __name__ == "__main__":
    sys.exit(main())
