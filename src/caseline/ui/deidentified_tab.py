"""The de-identified view of a tab after it shows its cases: nothing of a case that could not be de-identified,
no problem list (problems name the file and quote it). Out of ui/main_window.py (kept under 600 lines)."""

from __future__ import annotations

import html

from caseline.ui.timeline_tab import TimelineTab


def keep_deidentified(tab: TimelineTab) -> None:
    """After a tab shows its cases: in the de-identified view, nothing of a case that could not be
    de-identified (fails closed: its reason instead), and no problem list (problems name the file and
    quote it)."""
    view = tab.view
    if not view.deidentified:
        return
    withheld = view.shown().problem if view.cases else ""
    if withheld:
        tab.banner.hide()
        tab.error_page.setHtml(f"<h3>Nothing is shown</h3><p>{html.escape(withheld)}</p>")
        tab.stack.setCurrentWidget(tab.error_page)
    elif tab.stack.currentWidget() is tab.error_page:
        tab.error_page.setHtml("<h3>This file cannot be shown</h3><p>Its problems are not listed in the "
                               "de-identified view: turn the view off to see them.</p>")
    if tab.banner.isVisibleTo(tab):
        tab.banner.setText("<b>The file has errors; showing the last version that loaded.</b> They are not "
                           "listed in the de-identified view.")
