"""Save set…: the title and description a case set is saved with, checked against the view.

A case set's description is the curator's text ("aligned at the first suspected dose and sorted by
latency"). When the alignment or sort has changed since the set was opened, the dialog says so and
offers the description with the arrangement it names brought up to date, to edit before saving.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseline.analysis.alignment import ALIGN_TITLES
from caseline.analysis.metrics import SORT_TITLES

#: How case-set descriptions (ours and the samples') word an alignment or a sort, besides the titles.
ALIGN_WORDS = {
    "first-suspect-dose": ("first dose of the suspected drug", "first suspected dose", "first dose of the suspect"),
    "reaction-onset": ("onset of the adverse reaction", "reaction onset", "onset of the reaction"),
    "suspect-stop": ("discontinuation of the suspected drug", "suspect stop", "stop of the suspected drug"),
    "first-rescue": ("first rescue therapy", "first rescue"),
    "calendar": ("calendar dates", "calendar date"),
    "anchor": ("each case's day 0", "its own day 0"),
}
SORT_WORDS = {
    "latency": ("latency to onset", "latency"),
    "improvement": ("time to improvement",),
    "date": ("date of day 0", "date"),
    "title": ("title",),
}


def arrangement_sentence(align: str, sort: str) -> str:
    """'Aligned on the onset of the adverse reaction; sorted by title.'"""
    align_text = ALIGN_TITLES.get(align, align.removeprefix("event:") if align.startswith("event:") else align)
    text = f"Aligned on the {align_text}" if not align.startswith("event:") else f"Aligned on the first '{align_text}'"
    if sort != "none":
        text += f"; sorted by {SORT_TITLES.get(sort, sort)}"
    return text + "."


def updated_description(description: str, old_align: str, old_sort: str, align: str, sort: str) -> str:
    """``description`` with the alignment and sort it names replaced by the current ones; when it names
    neither, the current arrangement added as a last sentence. Unchanged when nothing changed."""
    if (old_align, old_sort) == (align, sort):
        return description
    text = description.strip()
    replaced = False
    if old_align != align:
        new = ALIGN_WORDS.get(align, (ALIGN_TITLES.get(align, align),))[0]
        for words in ALIGN_WORDS.get(old_align, ()):
            if words in text:
                text, replaced = text.replace(words, new), True
                break
    if old_sort != sort and sort != "none":
        new = SORT_WORDS.get(sort, (SORT_TITLES.get(sort, sort),))[0]
        for words in SORT_WORDS.get(old_sort, ()):
            if f"by {words}" in text:
                text, replaced = text.replace(f"by {words}", f"by {new}", 1), True
                break
    if not replaced:
        text = f"{text} {arrangement_sentence(align, sort)}".strip()
    return text


class SaveSetDialog(QDialog):
    """Title and description of the case set to save; says when the description may be out of date."""

    def __init__(self, title: str, description: str, changed_from: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save case set")
        self.title_edit = QLineEdit(title)
        self.description_edit = QPlainTextEdit(description)
        self.description_edit.setMinimumHeight(90)
        self.note = QLabel(changed_from)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { color: #8A4B00; }")
        self.note.setVisible(bool(changed_from))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Description", self.description_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(QLabel("Comments in a hand-written case set file are kept."))
        layout.addWidget(buttons)
        self.resize(560, 280)

    def title(self) -> str:
        return self.title_edit.text().strip()

    def description(self) -> str:
        return self.description_edit.toPlainText().strip()
