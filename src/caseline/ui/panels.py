"""Side panels: details of the selected mark and case, and the lane list."""

from __future__ import annotations

import html
from urllib.parse import quote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QTreeWidget, QTreeWidgetItem, QWidget

from caseline.analysis.wording import describe_case, describe_item
from caseline.layout.timeline_layout import lane_order
from caseline.model.kinds import CATEGORY_TITLES, Category
from caseline.render.html_rows import rows_html
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
    """Check boxes for categories and their lanes; unchecking hides them in the view."""

    visibilityChanged = Signal(frozenset, frozenset)  # hidden lanes, hidden categories

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setMinimumWidth(180)
        self._updating = False
        self.itemChanged.connect(self._on_changed)

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

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each category item with its lane items."""
        out = []
        for i in range(self.topLevelItemCount()):
            parent = self.topLevelItem(i)
            if parent is not None:
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
