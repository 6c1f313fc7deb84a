"""Side panels: details of the selected mark and case, and the lane list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setMinimumWidth(260)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.setHtml("<p style='color:#666'>Click a mark to see its details.</p>")

    def show_case(self, case: ResolvedCase, deidentified: bool = False) -> None:
        self.setHtml(rows_html(describe_case(case.case, deidentified), "panel", 3))

    def show_item(self, case: ResolvedCase, item: Item, deidentified: bool = False) -> None:
        body = rows_html(describe_item(case, item, deidentified), "panel", 3)
        meta = rows_html(describe_case(case.case, deidentified), "panel", 4)
        self.setHtml(body + "<hr>" + meta)


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

    def _on_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        if not self._updating:
            self.visibilityChanged.emit(*self.hidden())
