"""What teaching, presentation and the export dialog need from the window and its tabs: two small
typed protocols, so they depend on these and not on MainWindow or TimelineTab (TagStudio's rule:
pass the components a feature needs, not the application object)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSettings, SignalInstance
from PySide6.QtWidgets import QBoxLayout, QMainWindow, QMenu, QTabWidget, QWidget

from caseline.render.timeline_plot import TimelinePlot
from caseline.view_state import ViewState


class TimelineHost(Protocol):
    """A tab that shows cases in a TimelinePlot through a ViewState (a timeline or comparison tab)."""

    title: str
    plot: TimelinePlot
    view: ViewState
    casesChanged: SignalInstance

    def refresh(self) -> None: ...

    def chrome(self) -> list[QWidget]:
        """The tab's own bars (banner, controls) that presentation mode hides."""
        ...

    def optional_panels(self) -> list[QWidget]:
        """Panels presentation mode hides when the lanes of a case would not fit the screen beside them."""
        ...

    def suppress_optional_panels(self, on: bool) -> None:
        """Hide the optional panels (True) or show them again as the tab's own settings say (False)."""
        ...

    def caption_area(self) -> QBoxLayout:
        """Where presentation mode puts its caption bar (under the plot)."""
        ...


class TeachingWindow(Protocol):
    """The window teaching works on: its tabs, View menu, settings, and the Qt window presentation takes over."""

    settings: QSettings
    tabs: QTabWidget
    view_menu: QMenu
    tabOpened: SignalInstance

    def current_tab(self) -> TimelineHost | None: ...

    def show_current_case(self) -> None: ...

    def deidentified_changed(self) -> None:
        """The de-identified view was turned on or off (file names shown or hidden)."""
        ...

    def qt_window(self) -> QMainWindow:
        """The Qt window itself (presentation mode makes it full screen and hides its bars)."""
        ...


def hosts(tabs: QTabWidget) -> list[TimelineHost]:
    """The tabs of a tab widget that host a timeline."""
    from caseline.ui.timeline_tab import TimelineTab

    return [w for i in range(tabs.count()) if isinstance(w := tabs.widget(i), TimelineTab)]
