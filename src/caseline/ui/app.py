"""Start the application: ``caseline [options] FILE...``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from caseline.model.caseset import ALIGN_MODES, SORT_KEYS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseline",
        description="Open clinical cases as interactive swimlane timelines.",
        epilog="Other commands: 'caseline validate FILE...', 'caseline table FILE...', "
               "'caseline export FILE... -o OUT'. See README.md.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="case files, case sets or CSV event tables")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the window as it would open to a PNG and exit (no display needed)")
    parser.add_argument("--size", default="1500x900", metavar="WxH", help="window size (default 1500x900)")
    parser.add_argument("--axis", choices=("days", "weeks", "months", "dates"), default="days",
                        help="time axis units")
    parser.add_argument("--align", default=None, metavar="MODE",
                        help="open the files side by side aligned on: " + ", ".join(ALIGN_MODES)
                             + ", or event:LABEL")
    parser.add_argument("--sort", default=None, choices=SORT_KEYS,
                        help="order of compared cases")
    parser.add_argument("--exit-after-paint", action="store_true",
                        help="quit as soon as the first timeline has been painted (start-up benchmark)")
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"caseline: --size must look like 1500x900, got {text!r}") from None
    return max(320, w), max(240, h)


def run_app(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    missing = [f for f in args.files if not os.path.exists(f)]
    if missing:
        for path in missing:
            print(f"{path}: file not found", file=sys.stderr)
        if args.screenshot or args.exit_after_paint:
            return 2
    headless = bool(args.screenshot)
    if headless and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["caseline"])
    app.setApplicationName("caseline")
    app.setOrganizationName("caseline")
    from caseline.ui.main_window import MainWindow

    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "caseline", "caseline") \
        if not headless else QSettings(os.devnull, QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(*_size(args.size))
    existing = [f for f in args.files if os.path.exists(f)]
    if existing:
        open_for_args(window, existing, args.align, args.sort)
    for tab in all_tabs(window):
        tab.plot.set_axis_mode(args.axis)
    window.axis_actions[args.axis].setChecked(True)

    if headless:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.show()
        wait_until_loaded(window)
        for tab in all_tabs(window):
            getattr(tab, "initial_fit", tab.plot.fit)()  # a case set keeps its saved time range
        app.processEvents()
        from caseline.io.atomic_write import atomic_write_bytes

        image = window.grab().toImage()
        from PySide6.QtCore import QBuffer, QIODevice

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        atomic_write_bytes(args.screenshot, bytes(buffer.data()))
        window.close()
        return 0 if all(not t.documents or t.cases() for t in all_tabs(window)) else 1

    if args.exit_after_paint:
        tabs = all_tabs(window)
        if tabs:
            start = time.perf_counter()

            def check() -> None:
                wait_until_loaded(window, 0.0)
                if all(t.plot.layout_ is not None for t in tabs) and tabs[0].plot.isVisible():
                    app.processEvents()
                    tabs[0].plot.viewport().repaint()
                    app.quit()
                elif time.perf_counter() - start > 30:
                    app.exit(1)
                else:
                    QTimer.singleShot(5, check)

            QTimer.singleShot(0, check)
    window.show()
    return app.exec()


def all_tabs(window: object) -> list:
    from caseline.ui.timeline_tab import TimelineTab

    tabs = window.tabs  # type: ignore[attr-defined]
    return [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), TimelineTab)]


def open_for_args(window: object, paths: list[str], align: str | None, sort: str | None) -> None:
    """Open files as tabs, or side by side when an alignment or sort is asked for."""
    if align is not None or sort is not None:
        opener = getattr(window, "open_comparison", None)
        if opener is not None:
            opener(paths, align=align, sort=sort)
            return
    window.open_files(paths)  # type: ignore[attr-defined]


def wait_until_loaded(window: object, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout
    while True:
        QApplication.processEvents()
        documents = window.documents.values()  # type: ignore[attr-defined]
        if not any(d.loading for d in documents) or time.perf_counter() > deadline:
            break
        time.sleep(0.002)
    QApplication.processEvents()
