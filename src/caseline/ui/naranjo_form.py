"""The Causality panel's answer form: the Naranjo items only a reader can answer (previous reports, alternative
causes, placebo, drug levels, a previous similar reaction), for one drug - reaction pair at a time. The aid is
recomputed as they change; "Copy as YAML" gives the ``naranjo:`` block to paste into the case file, where the
answers are stored (caseline never writes a file the user only opened)."""

from __future__ import annotations

import dataclasses
import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseline.analysis.causality import NARANJO_ITEMS, USER_KEYS, pairs
from caseline.model.naranjo import NaranjoAnswers
from caseline.timeline.resolved import ResolvedCase

CHOICES = (("Don't know", "unknown"), ("Yes", "yes"), ("No", "no"))
_QUESTIONS = {item.key: f"{item.number}. {item.question}" for item in NARANJO_ITEMS}
_SHORT = {"previous_reports": "1. Previous reports", "alternative_causes": "5. Alternative causes",
          "placebo": "6. Placebo", "drug_levels": "7. Toxic drug levels",
          "previous_similar_reaction": "9. Similar reaction before"}


class NaranjoForm(QWidget):
    """Answers to the user items of the chosen pair; ``apply`` gives the cases with them."""

    answersChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases: list[ResolvedCase] = []
        self.pair_combo = QComboBox()
        self.pair_combo.setToolTip("The suspected drug - reaction pair these answers are for")
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("Pair", self.pair_combo)
        for key in USER_KEYS:
            combo = QComboBox()
            for text, value in CHOICES:
                combo.addItem(text, value)
            combo.setToolTip(_QUESTIONS[key])
            combo.currentIndexChanged.connect(self._changed)
            self.combos[key] = combo
            form.addRow(_SHORT[key], combo)
        self.note = QLineEdit()
        self.note.setPlaceholderText("On what the answers rest (a reference, the work-up)")
        self.note.editingFinished.connect(self._changed)
        form.addRow("Note", self.note)
        self.copy_button = QPushButton("Copy as YAML")
        self.copy_button.setToolTip("Copy the 'naranjo:' block: paste it under 'case:' in the case file, where "
                                    "the answers are kept (docs/causality.md)")
        self.copy_button.clicked.connect(self.copy_yaml)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(form)
        layout.addWidget(self.copy_button)
        self.pair_combo.currentIndexChanged.connect(self._pair_chosen)
        self._loading = False

    # ------------------------------------------------------------------ pairs
    def set_cases(self, cases: list[ResolvedCase]) -> None:
        """The pairs of ``cases``; the answers the file stores are loaded when the pairs change."""
        keys = [(n, d, r) for n, case in enumerate(cases) for d, r in pairs(case)]
        same = [self.pair_combo.itemData(i) for i in range(self.pair_combo.count())] == keys
        self.cases = cases
        if same:
            return
        self._loading = True
        self.pair_combo.clear()
        for n, drug, reaction in keys:
            case = cases[n]
            names = [case.case.event(x) for x in (drug, reaction)]
            words = [(e.drug or e.label) if e is not None else x for e, x in zip(names, (drug, reaction), strict=True)]
            prefix = f"{case.id}: " if len(cases) > 1 else ""
            self.pair_combo.addItem(f"{prefix}{words[0]} – {words[1]}", (n, drug, reaction))
        self._loading = False
        self.setEnabled(bool(keys))
        self._pair_chosen()

    def _stored(self) -> NaranjoAnswers | None:
        data = self.pair_combo.currentData()
        if data is None:
            return None
        n, drug, reaction = data
        return next((a for a in getattr(self.cases[n].case, "naranjo", ()) if (a.drug, a.reaction) == (drug, reaction)),
                    None)

    def _pair_chosen(self, *_args: object) -> None:
        stored = self._stored()
        self._loading = True
        for key, combo in self.combos.items():
            value = stored.answer(key) if stored is not None else ""
            combo.setCurrentIndex(next((i for i, (_t, v) in enumerate(CHOICES) if v == value), 0))
        self.note.setText(stored.note if stored is not None else "")
        self._loading = False
        self.answersChanged.emit()

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.answersChanged.emit()

    # ------------------------------------------------------------------ answers
    def answers(self, every: bool = False) -> NaranjoAnswers | None:
        """The chosen pair's answers: those the file stores and those chosen here (a 'Don't know' left as it
        was is not an answer, unless ``every``: the YAML block writes each item)."""
        data = self.pair_combo.currentData()
        if data is None:
            return None
        _n, drug, reaction = data
        stored = self._stored()
        had = dict(stored.answers) if stored is not None else {}
        kept = [(k, v) for k, v in had.items() if k not in self.combos]
        given = [(k, str(c.currentData())) for k, c in self.combos.items()
                 if every or k in had or c.currentData() != "unknown"]
        return NaranjoAnswers(drug, reaction, tuple(kept + given), self.note.text().strip())

    def apply(self, cases: list[ResolvedCase]) -> list[ResolvedCase]:
        """``cases`` with the form's answers in place of the chosen pair's stored ones."""
        answers = self.answers()
        data = self.pair_combo.currentData()
        if answers is None or data is None or data[0] >= len(cases):
            return cases
        n = data[0]
        case = cases[n]
        others = tuple(a for a in getattr(case.case, "naranjo", ()) if (a.drug, a.reaction) != (answers.drug,
                                                                                                 answers.reaction))
        changed = dataclasses.replace(case, case=dataclasses.replace(case.case, naranjo=(*others, answers)))
        return [*cases[:n], changed, *cases[n + 1:]]

    def yaml_text(self) -> str:
        """The ``naranjo:`` block of the chosen pair (other pairs the file answers are kept as they are)."""
        answers = self.answers(every=True)
        if answers is None:
            return ""
        data = self.pair_combo.currentData()
        stored = [a for a in getattr(self.cases[data[0]].case, "naranjo", ())
                  if (a.drug, a.reaction) != (answers.drug, answers.reaction)]
        lines = ["naranjo:"]
        for entry in [*stored, answers]:
            given = ", ".join(f"{k}: {v}" for k, v in entry.answers)
            lines += [f"  - drug: {entry.drug}", f"    reaction: {entry.reaction}", f"    answers: {{{given}}}"]
            if entry.note:
                lines.append(f"    note: {json.dumps(entry.note, ensure_ascii=False)}")
        return "\n".join(lines) + "\n"

    def copy_yaml(self) -> None:
        QApplication.clipboard().setText(self.yaml_text())
