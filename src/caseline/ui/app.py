"""Start the window: what ``caseline open`` (the default command) runs, with its options already parsed."""

from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AppOptions:
    """What ``caseline open`` asks of the window (parsed by caseline.cli.open)."""

    files: list[str] = field(default_factory=list)
    screenshot: str | None = None
    size: tuple[int, int] | None = None
    axis: str | None = None  # None: the last one used (days on a first start)
    align: str | None = None
    sort: str | None = None
    exit_after_paint: bool = False


DEFAULT_SIZE = (1500, 900)


def run_app(args: AppOptions) -> int:
    """Open the window on ``args.files``; returns the exit status of the event loop (or of --screenshot).

    A file that does not exist opens as a tab that says so (a desktop launcher shows no stderr); with
    --screenshot or --exit-after-paint it is an error (exit 2), as for any command-line tool.
    """
    missing = [f for f in args.files if not os.path.exists(f)]
    for path in missing:
        print(f"{path}: file not found", file=sys.stderr)
    if missing and (args.screenshot or args.exit_after_paint):
        return 2
    headless = bool(args.screenshot)
    if not headless:
        from caseline.ui.desktop import desktop_problem

        problem = desktop_problem(os.environ)
        if problem:
            print(problem, file=sys.stderr)
            return 3
    from PySide6.QtCore import QSettings, Qt

    from caseline.render.qt_app import ensure_app

    app = ensure_app(headless=headless)
    from caseline.ui.main_window import MainWindow

    if not headless:
        # The modules, classes and functions imported so far live as long as the process: moved out of the
        # cyclic collector's sight, no collection rescans them (nor the one at exit).
        gc.freeze()
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "caseline", "caseline") \
        if not headless else QSettings(os.devnull, QSettings.Format.IniFormat)
    window = MainWindow(settings)
    if headless:
        window.resize(*(args.size or DEFAULT_SIZE))
    else:
        window.place_on_screen(args.size or DEFAULT_SIZE, restore=args.size is None)
    if args.files:
        open_for_args(window, list(args.files), args.align, args.sort)
    axis = args.axis or ("days" if headless else window.saved_axis_mode())
    window.set_axis_mode(axis, every_tab=True)

    if headless:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.show()
        wait_until_loaded(window)
        for tab in all_tabs(window):
            getattr(tab, "initial_fit", tab.plot.fit_story)()  # a case set keeps its saved time range
        app.processEvents()
        from caseline.io.atomic_write import atomic_write_bytes
        from caseline.render.exporters import encode_png

        atomic_write_bytes(args.screenshot or "", encode_png(window.grab().toImage(), 96.0))
        window.close()
        return 0 if all(not t.documents or t.cases() for t in all_tabs(window)) else 1

    if args.exit_after_paint:
        quit_after_first_timeline_paint(app, window, all_tabs(window))
    window.show()
    return app.exec()


def quit_after_first_timeline_paint(app: object, window: object, tabs: list) -> None:
    """``--exit-after-paint``: quit once a shown tab's plot has painted with every tab's timeline laid out (as
    the bare-window baseline quits after its plot's first paint; with no file, once the window has painted);
    exit status 1 if that has not happened in 30 s."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class AfterPaint(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and not self.done
                    and all(t.plot.layout_ is not None for t in tabs)):
                self.done = True
                QTimer.singleShot(0, app.quit)  # type: ignore[attr-defined]  # after this paint has finished
            return False

    watcher = AfterPaint(window)  # type: ignore[arg-type]
    for widget in [tab.plot.viewport() for tab in tabs] or [window]:
        widget.installEventFilter(watcher)  # a hidden tab's plot does not paint

    def give_up() -> None:
        if not watcher.done:
            app.exit(1)  # type: ignore[attr-defined]

    QTimer.singleShot(30_000, give_up)


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
