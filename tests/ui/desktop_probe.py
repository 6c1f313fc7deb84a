"""Runs ``caseline FILE...`` unchanged and, every 100 ms, writes what the window shows to the JSON file
named by CASELINE_PROBE_OUT: the window's title and geometry, where a mark is on the screen, whether a
tooltip is showing, and (in a comparison) where the latency strip's first row is. Used by
test_desktop.py under a real X server: the probe only reports, it installs no event filter and changes
nothing the user would see.

    CASELINE_PROBE_OUT=state.json CASELINE_PROBE_ITEM=ifx#2 python desktop_probe.py FILE...
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QToolTip


def report(out: str, item_id: str) -> None:
    from caseline.ui.main_window import MainWindow

    state: dict[str, Any] = {"tooltip_visible": QToolTip.isVisible(), "tooltip_text": QToolTip.text()}
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if windows:
        window = windows[0]
        frame = window.geometry()
        state["window"] = {"title": window.windowTitle(), "x": frame.x(), "y": frame.y(), "width": frame.width(),
                           "height": frame.height(), "ratio": window.devicePixelRatioF()}
        tab = window.current_tab()
        layout = tab.plot.layout_ if tab is not None else None
        if tab is not None and layout is not None:
            index = next((i for i, item in enumerate(layout.items) if item.item_id == item_id), None)
            scene = tab.plot.scene_pos_of_item(index) if index is not None else None
            if scene is not None:
                view = tab.plot.mapFromScene(scene)
                where = tab.plot.mapToGlobal(view)
                ratio = window.devicePixelRatioF()  # X pixels, for xdotool
                state["mark"] = [round(where.x() * ratio), round(where.y() * ratio)]
        strip = getattr(tab, "strip", None)
        if strip is not None and strip.isVisible() and strip.cases:
            from PySide6.QtCore import QPointF

            rect = strip.viewbox.sceneBoundingRect()
            scene_y = strip.viewbox.mapViewToScene(QPointF(0.0, 0.5)).y()  # the middle of the first row
            where = strip.mapToGlobal(strip.mapFromScene(QPointF(rect.center().x(), scene_y)))
            ratio = window.devicePixelRatioF()
            state["strip_row"] = [round(where.x() * ratio), round(where.y() * ratio)]
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.replace(tmp, out)


def main() -> int:
    out = os.environ["CASELINE_PROBE_OUT"]
    item_id = os.environ.get("CASELINE_PROBE_ITEM", "ifx#2")
    original_exec = QApplication.exec

    def exec_with_probe(app: QApplication) -> int:
        timer = QTimer(app)
        timer.setInterval(100)
        timer.timeout.connect(lambda: report(out, item_id))
        timer.start()
        return int(original_exec())

    QApplication.exec = exec_with_probe  # type: ignore[method-assign,assignment]
    from caseline.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
