"""The Causality panel (a dock beside Details): the causality aid of each suspected drug - reaction pair of the
current tab's cases, as ``caseline causality`` words it (caseline.analysis.causality_report), with the
time-to-onset summary of a comparison. An aid to a clinician's judgement (docs/causality.md).

It shows the cases as the view shows them (de-identified copies when the view is) and nothing while the
teaching view holds the suspect and the outcome back or reveals the story step by step (the aid would tell it).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QSplitter, QTextBrowser, QWidget

from caseline.analysis.causality import ANSWER_WORDS, Assessment, assess, pairs
from caseline.analysis.causality_report import AID_NOTE, challenge_words, evidence_words, reported_words, rescue_words
from caseline.analysis.metrics import interval_text
from caseline.timeline.resolved import ResolvedCase
from caseline.ui.naranjo_form import NaranjoForm

if TYPE_CHECKING:
    from caseline.ui.main_window import MainWindow
    from caseline.ui.timeline_tab import TimelineTab

#: Most pairs the panel lists (a comparison of many cases): the rest are counted, `caseline causality` has all.
MAX_PAIRS = 40


def assessment_html(a: Assessment) -> str:
    """One pair as HTML: latency, challenges, the Naranjo items with evidence, totals, reported beside computed."""
    e = html.escape
    rows = [f"<h3>{e(a.drug_name)} – {e(a.reaction_name)}</h3>",
            f"<p><b>Latency</b> from the first dose {e(interval_text(a.latency))}; from the last dose before "
            f"onset {e(interval_text(a.latency_last))}<br><b>Dechallenge</b> {e(challenge_words(a, a.dechallenge))}"
            f"<br><b>Rechallenge</b> {e(challenge_words(a, a.rechallenge))}"
            f"<br><b>Rescue therapies</b> {e(rescue_words(a))}</p>",
            "<table cellspacing='0' cellpadding='2'>"]
    for answer in a.answers:
        by = "you" if answer.by_user else "timeline" if answer.item.derived else "not answered"
        rests = evidence_words(a, answer.evidence)
        rows.append(f"<tr><td valign='top'>{answer.item.number}.</td><td>{e(answer.item.question)}<br>"
                    f"<b>{ANSWER_WORDS[answer.answer]} ({answer.score:+d})</b> <i>[{by}]</i> {e(answer.reason)}"
                    + (f"<br><span style='color:#555'>rests on: {e(rests)}</span>" if rests else "") + "</td></tr>")
    rows.append("</table>")
    rows.append(f"<p><b>Naranjo {a.total} ({a.category})</b>; <b>WHO-UMC {e(a.who_umc)}</b>: "
                f"{e('; '.join(a.who_criteria) or 'no criterion met')}")
    if a.who_missing:
        rows.append(f"<br><span style='color:#555'>not met or not known: {e('; '.join(a.who_missing))}</span>")
    rows.append(f"<br><b>Reported</b>: {e(reported_words(a))}</p>")
    rows += [f"<p style='color:#a40000'><b>Difference:</b> {e(d)}</p>" for d in a.differences]
    if a.note:
        rows.append(f"<p><i>Note on the answers:</i> {e(a.note)}</p>")
    return "".join(rows)


class CausalityPanel(QTextBrowser):
    """The causality aid of the cases shown, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumWidth(220)
        self.text_shown = ""
        self.show_nothing("Open a case to see the causality aid of its suspected drug.")

    def show_nothing(self, why: str) -> None:
        self.text_shown = why
        self.setHtml(f"<p style='color:#666'>{html.escape(why)}</p>")

    def show_cases(self, cases: list[ResolvedCase], summary: str = "") -> None:
        parts = [f"<p><b>{html.escape(summary)}</b></p>"] if summary else []
        shown = 0
        for case in cases:
            count = len(pairs(case))
            for a in assess(case, limit=max(0, MAX_PAIRS - shown)):  # a big case's pairs are counted, not assessed
                title = f"<p style='color:#555'>{html.escape(case.case.title or case.id)}</p>" \
                    if len(cases) > 1 else ""
                parts.append(title + assessment_html(a))
            shown += count
        if shown == 0:
            self.show_nothing("No suspected drug - reaction pair: the case names no suspect drug and "
                              "reaction_event.")
            return
        if shown > MAX_PAIRS:
            parts.append(f"<p>… and {shown - MAX_PAIRS} more pairs (caseline causality lists them all).</p>")
        parts.append(f"<p style='color:#555'><small>{html.escape(AID_NOTE)}</small></p>")
        body = "".join(parts)
        self.text_shown = body
        self.setHtml(body)


class CausalityDock(QObject):
    """Wires the panel into a window: a dock tabbed with Details, a View menu entry, refreshed with the tab."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = CausalityPanel()
        self.form = NaranjoForm()
        self.form.answersChanged.connect(self._show)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.panel)
        body.addWidget(self.form)
        body.setStretchFactor(0, 3)
        self.dock = QDockWidget("Causality", window)
        self.dock.setObjectName("Causality")
        self.dock.setWidget(body)
        self.cases: list[ResolvedCase] = []
        self.summary = ""
        self._refresh_pending = False
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.details_dock, self.dock)
        window.details_dock.raise_()
        window.view_menu.addAction(self.dock.toggleViewAction())
        window.tabs.currentChanged.connect(lambda _i: self.refresh_soon())
        window.tabOpened.connect(self._follow)
        self.dock.visibilityChanged.connect(lambda visible: self.refresh_soon() if visible else None)

    def _follow(self, tab: TimelineTab) -> None:
        tab.casesChanged.connect(self.refresh_soon)
        tab.view.changed.connect(lambda names: self.refresh_soon() if names & {"hold_back", "revealed",
                                                                               "deidentified"} else None)
        self.refresh_soon()

    def refresh_soon(self) -> None:
        """Refresh once the events at hand are handled: a file that opens, loads and shows its tab asks four
        times in a row, and the timeline is drawn first."""
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self, self._refresh_now)

    def _refresh_now(self) -> None:
        self._refresh_pending = False
        self.refresh()

    def refresh(self) -> None:
        if not self.dock.isVisible():
            return  # worked out when shown
        tab = self.window.current_tab()
        if tab is None or tab.view.hold_back or tab.view.revealed is not None:
            self.cases = []
            self.form.set_cases([])
            self.panel.show_nothing("Open a case to see the causality aid of its suspected drug." if tab is None
                                    else "Held back while the story is revealed step by step.")
            return
        cases = list(tab.plot.cases)
        self.summary = ""
        if tab.is_comparison and len(cases) > 1:
            from caseline.analysis.onset_summary import summary_sentence

            self.summary = summary_sentence(cases)
        self.cases = cases
        blocked = self.form.blockSignals(True)  # its answersChanged (once per pair chosen) would assess again
        try:
            self.form.set_cases(cases)
        finally:
            self.form.blockSignals(blocked)
        self._show()

    def _show(self) -> None:
        """The aid of the cases with the form's answers (not stored until pasted into the file)."""
        if self.cases:
            self.panel.show_cases(self.form.apply(self.cases), self.summary)


def install_causality(window: MainWindow) -> CausalityDock:
    return CausalityDock(window)
