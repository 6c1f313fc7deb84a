"""Side panels: details of the selected mark and case, and the lane list (which also goes to a case or a
lane, and shows in bold what is on screen)."""

from __future__ import annotations

import html
from urllib.parse import quote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QTextBrowser, QTreeWidget, QTreeWidgetItem, QWidget

from caseline.analysis.wording import describe_case, describe_item
from caseline.layout.timeline_layout import lane_order
from caseline.model.kinds import CATEGORY_TITLES, Category
from caseline.render.html_rows import rows_html
from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.resolved import Item, ResolvedCase


class DetailsPanel(QTextBrowser):
    """Everything known about the selected mark, then its case's metadata and citation.

    It is given the case and item as the view shows them (de-identified copies when the view is), and
    whether the view is de-identified, so it words dates as the view does; it never reads the file.
    """

    linkOpened = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # a link opens in the browser only when the user clicks it, and only a web link
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.open_link)
        self.setMinimumWidth(220)
        self.showing_nothing = True
        self.show_nothing()

    def show_nothing(self) -> None:
        self.showing_nothing = True
        self.setHtml("<p style='color:#666'>Click a mark to see its details.</p>")

    def show_case(self, case: ResolvedCase, deidentified: bool = False) -> None:
        self.showing_nothing = False
        self.setHtml(rows_html(describe_case(case.case, deidentified), "panel", 3) + links_html(case, deidentified))

    def show_item(self, case: ResolvedCase, item: Item, deidentified: bool = False) -> None:
        self.showing_nothing = False
        body = rows_html(describe_item(case, item, deidentified), "panel", 3)
        meta = rows_html(describe_case(case.case, deidentified), "panel", 4)
        self.setHtml(body + "<hr>" + meta + links_html(case, deidentified))

    def open_link(self, url: QUrl) -> None:
        """Open a clicked https link in the browser (the app itself never goes to the network)."""
        if url.scheme() == "https":
            self.linkOpened.emit(url)
            QDesktopServices.openUrl(url)


def links_html(case: ResolvedCase, deidentified: bool = False) -> str:
    """Links to the source (DOI, PubMed, URL) for the details panel; none in the de-identified view."""
    citation = case.case.citation
    if deidentified:
        return ""
    links = []
    if citation.doi:
        doi = citation.doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        links.append(f"<a href='https://doi.org/{quote(doi, safe='/:;()._-')}'>doi:{html.escape(doi)}</a>")
    if citation.pmid and citation.pmid.strip().isdigit():
        pmid = citation.pmid.strip()
        links.append(f"<a href='https://pubmed.ncbi.nlm.nih.gov/{pmid}/'>PubMed {pmid}</a>")
    if citation.url.startswith("https://"):
        links.append(f"<a href='{html.escape(citation.url, quote=True)}'>{html.escape(citation.url)}</a>")
    if not links:
        return ""
    return "<p><b>Source</b><br>" + "<br>".join(links) + "</p>"


class LanePanel(QTreeWidget):
    """Check boxes for categories and their lanes; unchecking hides them in the view.

    Following a plot (``follow``), it also lists the cases (when there are several) and is the map of
    where the view is: the cases and lanes on screen are in bold; clicking a case scrolls to it, clicking
    a lane (or a category) brings it into view, the next of its cases on each click."""

    visibilityChanged = Signal(frozenset, frozenset)  # hidden lanes, hidden categories

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setMinimumWidth(180)
        self._updating = False
        self._toggled: QTreeWidgetItem | None = None  # the item whose box this click ticked
        self.plot: TimelinePlot | None = None
        self.cases_item: QTreeWidgetItem | None = None
        self._listed: list[tuple[int, str]] = []  # (case index, title) of the cases listed
        self.itemChanged.connect(self._on_changed)
        self.itemClicked.connect(self._on_clicked)

    # ------------------------------------------------------------------ following a plot
    def follow(self, plot: TimelinePlot | None) -> None:
        """List the cases of ``plot``, show what it has on screen, and scroll it on a click (None: stop)."""
        if plot is self.plot:
            return
        if self.plot is not None:
            try:
                self.plot.viewbox.sigYRangeChanged.disconnect(self._mark_visible)
                self.plot.sigShownChanged.disconnect(self._on_shown_changed)
            except (RuntimeError, TypeError):  # the plot is gone already
                pass
        self.plot = plot if plot is not None and plot.navigator is not None else None
        if self.plot is not None:
            self.plot.viewbox.sigYRangeChanged.connect(self._mark_visible)
            self.plot.sigShownChanged.connect(self._on_shown_changed)
        self._update_cases()

    def _on_shown_changed(self, _names: frozenset[str]) -> None:
        self._update_cases()  # sorted, aligned, hidden lanes or de-identified: the list follows

    def _update_cases(self) -> None:
        """The "Cases" group (first) lists the plot's cases as their headers name them."""
        nav = self.plot.navigator if self.plot is not None else None
        cases = nav.cases() if nav is not None else []
        listed = [(where.case_index, nav.case_title(where.case_index)) for where in cases] \
            if nav is not None and len(cases) > 1 else []
        if self.cases_item is not None and listed == self._listed:
            self._mark_visible()
            return
        self._listed = listed
        self._updating = True
        try:
            if self.cases_item is not None:
                index = self.indexOfTopLevelItem(self.cases_item)
                if index >= 0:
                    self.takeTopLevelItem(index)
                self.cases_item = None
            if nav is not None and listed:
                group = QTreeWidgetItem([f"Cases ({len(cases)})"])
                group.setData(0, Qt.ItemDataRole.UserRole, ("cases", None))
                group.setToolTip(0, "Click a case to scroll to it; the cases on screen are in bold")
                for where in cases:
                    title = nav.case_title(where.case_index)
                    child = QTreeWidgetItem([title])
                    child.setData(0, Qt.ItemDataRole.UserRole, ("case", where.case_index))
                    child.setToolTip(0, f"Case {where.case_index + 1} of {len(cases)}: {title} (click to go)")
                    group.addChild(child)
                self.insertTopLevelItem(0, group)
                group.setExpanded(True)
                self.cases_item = group
        finally:
            self._updating = False
        self._mark_visible()

    def _mark_visible(self, *_args: object) -> None:
        """Cases and lanes on screen in bold (only when some are not: with everything in view, none is)."""
        nav = self.plot.navigator if self.plot is not None else None
        overflow = nav is not None and nav.overflows()
        cases = set(nav.visible_cases()) if nav is not None and overflow else set()
        lanes = nav.visible_lanes() if nav is not None and overflow else set()
        self._updating = True
        try:
            if self.cases_item is not None:
                for j in range(self.cases_item.childCount()):
                    child = self.cases_item.child(j)
                    if child is not None:
                        _set_bold(child, child.data(0, Qt.ItemDataRole.UserRole)[1] in cases)
            for parent, children in self._groups():
                category = Category(parent.data(0, Qt.ItemDataRole.UserRole)[1])
                for child in children:
                    _set_bold(child, (category, child.text(0)) in lanes)
        finally:
            self._updating = False

    def visible_items(self) -> list[str]:
        """Texts of the items in bold (on screen), cases first."""
        out = []
        for i in range(self.topLevelItemCount()):
            parent = self.topLevelItem(i)
            for j in range(parent.childCount() if parent is not None else 0):
                child = parent.child(j)  # type: ignore[union-attr]
                if child is not None and child.font(0).bold():
                    out.append(child.text(0))
        return out

    def go_to(self, item: QTreeWidgetItem) -> None:
        """Scroll the followed plot to the case, lane or category of ``item``."""
        nav = self.plot.navigator if self.plot is not None else None
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if nav is None or not data:
            return
        kind, value = data
        if kind == "case":
            nav.go_to_case(int(value))
        elif kind == "category":
            nav.go_to_category(Category(value))
        elif kind == "lane":
            parent = item.parent()
            category = Category(parent.data(0, Qt.ItemDataRole.UserRole)[1]) if parent is not None else None
            nav.go_to_lane(str(value), category)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item is self._toggled:  # the click ticked or unticked its box: that is all it meant
            self._toggled = None
            return
        self.go_to(item)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._toggled = None
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.go_to(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def clear(self) -> None:
        self.cases_item, self._listed = None, []
        super().clear()

    # ------------------------------------------------------------------ lanes and categories
    def set_cases(self, cases: list[ResolvedCase], hidden_lanes: frozenset[str] = frozenset(),
                  hidden_categories: frozenset[Category] = frozenset()) -> None:
        self._updating = True
        self.clear()
        groups: dict[Category, QTreeWidgetItem] = {}
        for category, lane in lane_order(cases):
            parent = groups.get(category)
            if parent is None:
                parent = QTreeWidgetItem([CATEGORY_TITLES[category]])
                parent.setData(0, Qt.ItemDataRole.UserRole, ("category", category.value))
                parent.setFlags(parent.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                parent.setCheckState(0, Qt.CheckState.Unchecked if category in hidden_categories
                                     else Qt.CheckState.Checked)
                self.addTopLevelItem(parent)
                groups[category] = parent
            child = QTreeWidgetItem([lane])
            child.setData(0, Qt.ItemDataRole.UserRole, ("lane", lane))
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, Qt.CheckState.Unchecked if lane in hidden_lanes else Qt.CheckState.Checked)
            parent.addChild(child)
        self.expandAll()
        self._updating = False
        self._update_cases()

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each category item with its lane items."""
        out = []
        for i in range(self.topLevelItemCount()):
            parent = self.topLevelItem(i)
            if parent is not None and parent.data(0, Qt.ItemDataRole.UserRole)[0] == "category":
                children = [parent.child(j) for j in range(parent.childCount())]
                out.append((parent, [c for c in children if c is not None]))
        return out

    def hidden(self) -> tuple[frozenset[str], frozenset[Category]]:
        lanes: set[str] = set()
        categories: set[Category] = set()
        for parent, children in self._groups():
            _, value = parent.data(0, Qt.ItemDataRole.UserRole)
            if parent.checkState(0) == Qt.CheckState.Unchecked:
                categories.add(Category(value))
            lanes.update(child.text(0) for child in children if child.checkState(0) == Qt.CheckState.Unchecked)
        return frozenset(lanes), frozenset(categories)

    def set_lane_visible(self, lane: str, visible: bool) -> None:
        for _parent, children in self._groups():
            for child in children:
                if child.text(0) == lane:
                    child.setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def _on_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._updating:
            return
        kind, _value = item.data(0, Qt.ItemDataRole.UserRole)
        if kind not in ("category", "lane"):
            return
        self._toggled = item
        self._updating = True
        try:
            if kind == "category":  # a category's lanes follow its box
                for j in range(item.childCount()):
                    child = item.child(j)
                    if child is not None:
                        child.setCheckState(0, item.checkState(0))
            else:  # ticking a lane of an unticked category shows the category again
                parent = item.parent()
                if parent is not None and item.checkState(0) == Qt.CheckState.Checked:
                    parent.setCheckState(0, Qt.CheckState.Checked)
        finally:
            self._updating = False
        self.visibilityChanged.emit(*self.hidden())


def _set_bold(item: QTreeWidgetItem, bold: bool) -> None:
    font = item.font(0)
    if font.bold() != bold:
        font.setBold(bold)
        item.setFont(0, font)
