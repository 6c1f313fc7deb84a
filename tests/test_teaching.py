"""Teaching: reveal plan, hold-back, de-identification, presentation mode and slides.

Real widgets and real sample files, offscreen Qt.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar

from caseline.io import load_file
from caseline.render.theme import PROJECTOR
from caseline.timeline import layout as L
from caseline.timeline.deidentify import contains_date, deidentify_case, deidentify_cases, scrub_dates
from caseline.timeline.describe import describe_case, describe_item, header_lines
from caseline.timeline.reveal import RevealPlan, held_back_view, is_held_back, reveal_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_cases"
BORTEZOMIB = SAMPLES / "bortezomib-myeloma.caseline.yaml"
INFLIXIMAB = SAMPLES / "infliximab-pyoderma.caseline.yaml"
CASESET = SAMPLES / "drug-induced-neuropathy.caseset.yaml"

MONTHS = ("January|February|March|April|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# a year, unless it is a quantity ("2000 mg/day"); a month name; "May 3"
DATE_RE = re.compile(rf"\b(19|20)\d\d\b(?!\s*(?:mg|g|mcg|ml|IU|units?|%|/))|\b(?:{MONTHS})\b|\bMay\s+\d")


def no_date(text: str) -> bool:
    return DATE_RE.search(text) is None


def bortezomib_index_case():
    result = load_file(BORTEZOMIB)
    assert result.ok
    return result.cases[0]


# --------------------------------------------------------------------------- pure: reveal

def test_reveal_steps_follow_distinct_start_times():
    case = bortezomib_index_case()
    plan = RevealPlan.build([case])
    times = sorted({round(i.start.best, 3) for i in case.items if i.start is not None})
    assert [s.time for s in plan.steps] == times  # this case has no undated item
    for k, step in enumerate(plan.steps):
        expected = {reveal_key(i) for i in case.items if i.start is not None and round(i.start.best, 3) <= times[k]}
        assert step.revealed_item_ids == expected
        assert step.new_item_ids <= step.revealed_item_ids
        assert not step.neutral
    assert plan.steps[-1].revealed_item_ids == {reveal_key(i) for i in case.items}
    assert plan.steps[0].caption.startswith("Day -1340.5")


def test_reveal_several_cases_step_together_and_undated_come_last():
    cases = load_file(BORTEZOMIB).cases
    plan = RevealPlan.build(cases)
    undated = {reveal_key(i) for c in cases for i in c.items if i.start is None}
    assert undated
    assert plan.steps[-1].title == "Time not stated"
    assert plan.steps[-1].new_item_ids == undated
    # day 0 reveals the first bortezomib dose of every case at once
    day0 = next(s for s in plan.steps if s.time == 0.0)
    assert {f"{c.id}/bz" for c in cases} <= day0.new_item_ids or all(
        any(k.startswith(f"{c.id}/bz") for k in day0.revealed_item_ids) for c in cases)


def test_hold_back_keeps_outcome_and_suspect_until_last_step():
    case = bortezomib_index_case()
    plan = RevealPlan.build([case], hold_back=True)
    held = {reveal_key(i) for i in case.items if is_held_back(i)}
    assert {f"{case.id}/recovery", f"{case.id}/death"} <= held
    for step in plan.steps[:-1]:
        assert not held & step.revealed_item_ids
        assert step.neutral
        assert "suspect" not in step.caption.lower()
    last = plan.steps[-1]
    assert not last.neutral and held <= last.new_item_ids
    assert "Suspected drug: bortezomib" in last.caption
    neutral = held_back_view([case])[0]
    assert [i.item_id for i in neutral.items] == [i.item_id for i in case.items]
    assert all(i.category is not L.Category.SUSPECT for i in neutral.items)
    assert neutral.item("bz").event.role is None
    text = " ".join(header_lines(neutral)) + " ".join(v for _, v in describe_case(neutral.case))
    text += " ".join(v for item in neutral.items for _, v in describe_item(neutral, item))
    assert "suspect" not in text.lower()


# --------------------------------------------------------------------------- pure: de-identification

def test_scrub_dates_relative_wording():
    from datetime import date

    day0 = date(2009, 11, 15)
    assert scrub_dates("cycle 4: in February 2010", day0) == "cycle 4: in days 78 to 105"
    assert scrub_dates("on 2010-02-15", day0) == "on day 92"
    assert scrub_dates("in 2013 (no closer date given)", day0) == "in [year withheld] (no closer date given)"
    assert scrub_dates("Mycophenolate 2000 mg/day", day0) == "Mycophenolate 2000 mg/day"
    assert scrub_dates("seen in March", None) == "seen in [date withheld]"
    assert not contains_date(scrub_dates("Issue dated Sep-Oct 2014.", None))


def test_deidentified_case_has_no_date_or_identifier():
    case = bortezomib_index_case()
    assert case.anchor_date is not None and any(i.start_date for i in case.items)
    patient = case.case.patient
    marked = deidentify_case(case.__class__(
        case=case.case.__class__(**{**{f: getattr(case.case, f) for f in case.case.__slots__},
                                    "patient": patient.__class__(patient.age, patient.sex, ("J. Smith", "MRN 0012345")),
                                    "summary": case.case.summary + " Seen by Dr Example; J. Smith agreed."}),
        items=case.items, anchor_description=case.anchor_description, anchor_date=case.anchor_date,
        anchor_date_precision=case.anchor_date_precision, diagnostics=case.diagnostics))
    assert marked.anchor_date is None and marked.case.anchor_date is None
    assert all(i.start_date is None and i.end_date is None for i in marked.items)
    assert marked.case.patient.identifiers == ()
    texts = [marked.anchor_description, *header_lines(marked)]
    texts += [v for _, v in describe_case(marked.case, True)]
    texts += [v for item in marked.items for _, v in describe_item(marked, item, True)]
    for text in texts:
        assert no_date(text), text
        assert "Smith" not in text and "0012345" not in text and "Example" not in text
    assert "died of sepsis in days" in marked.case.summary
    assert [i.item_id for i in marked.items] == [i.item_id for i in case.items]
    assert deidentify_cases([marked]) == [marked]  # idempotent


# --------------------------------------------------------------------------- the window



def open_and_wait(window, qtbot, path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def index_of(plot, case_id: str, item_id: str) -> int:
    for i, item in enumerate(plot.layout_.items):
        if item.case_id == case_id and item.item_id == item_id:
            return i
    raise AssertionError(item_id)


def drawn(plot, index: int) -> bool:
    """Is the item in the layout's marks (not ghosted)?"""
    layout = plot.layout_
    in_marks = any(index in set(m.item.tolist()) for m in (layout.bars, layout.points)) or index in layout.undated
    return in_marks and index not in plot.state.ghosted


def test_enter_and_leave_presentation_mode(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    screen_theme = plot.theme
    window.teaching.present_action.trigger()
    presentation = window.teaching.presentation
    assert presentation.active
    assert window.isFullScreen() and window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not window.tabs.tabBar().isVisible()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget) + window.findChildren(QToolBar))
    assert plot.theme is PROJECTOR
    assert presentation.caption.isVisible() and presentation.caption.plain.startswith("Day")
    # still zoomable and pannable
    lo, hi = plot.time_range()
    plot.viewbox.scaleBy(x=0.5, y=None)
    assert plot.time_range()[1] - plot.time_range()[0] < (hi - lo) * 0.9
    qtbot.keyClick(plot, Qt.Key.Key_Escape)
    assert not presentation.active
    assert not window.isFullScreen()
    assert window.menuBar().isVisible() and window.statusBar().isVisible() and window.tabs.tabBar().isVisible()
    assert window.details_dock.isVisible() and window.lanes_dock.isVisible()
    assert plot.theme is screen_theme
    assert not presentation.caption.isVisible()
    assert plot.options.revealed is None and not plot.state.ghosted and not plot.state.highlighted


@pytest.mark.parametrize("mode", ["ghost", "hide"])
def test_step_forward_and_back(window, qtbot, mode):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    window.teaching.mode_actions[mode].trigger()
    assert presentation.enter()
    case_id = plot.cases[0].id
    assert presentation.index == 0
    # step 1: the myeloma diagnosis (day -1340.5), nothing of bortezomib yet; VAD came after it
    # (order only: it used to be drawn on the diagnosis day, in the same step)
    assert drawn(plot, index_of(plot, case_id, "mm_dx"))
    assert not drawn(plot, index_of(plot, case_id, "bz#1"))
    assert plot.state.highlighted == {index_of(plot, case_id, "mm_dx")}
    if mode == "ghost":
        assert index_of(plot, case_id, "bz#1") in plot.state.ghosted
    else:
        assert plot.options.revealed is not None and not plot.state.ghosted
    for _ in range(20):  # the history before day 0 is a few steps, one per time
        qtbot.keyClick(plot, Qt.Key.Key_Right)
        if presentation.step().time >= 0.0:
            break
    step = presentation.step()
    assert step.time == 0.0
    day0 = presentation.index
    bz1 = index_of(plot, case_id, "bz#1")
    assert drawn(plot, bz1) and bz1 in plot.state.highlighted
    assert not drawn(plot, index_of(plot, case_id, "bz#4"))
    assert presentation.caption.plain.startswith("Day 0")
    assert f"{case_id}/bz#1" in step.new_item_ids
    qtbot.keyClick(plot, Qt.Key.Key_PageDown)
    qtbot.keyClick(plot, Qt.Key.Key_PageUp)
    qtbot.keyClick(plot, Qt.Key.Key_Left)
    assert presentation.index == day0 - 1
    assert not drawn(plot, index_of(plot, case_id, "bz#1"))
    qtbot.keyClick(plot, Qt.Key.Key_End)
    assert all(drawn(plot, i) or plot.layout_.item_row[i] < 0 for i in range(len(plot.layout_.items))
               if plot.layout_.items[i].start is not None) or mode == "hide"
    assert not plot.state.ghosted


def legend_text(plot) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", plot.getPlotItem().titleLabel.text)).replace("\xa0", " ")


def test_hold_back_outcome_and_suspect_role(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    window.teaching.hold_back_action.trigger()
    assert presentation.hold_back
    assert presentation.enter()
    case_id = plot.cases[0].id
    total = len(presentation.plan.steps)
    for k in range(total - 1):
        assert presentation.index == k
        assert not drawn(plot, index_of(plot, case_id, "death"))
        assert not drawn(plot, index_of(plot, case_id, "recovery"))
        headers = [" ".join(plot.case_header_lines(c)) for c in plot.cases]
        for text in (presentation.caption.plain, legend_text(plot), *headers, plot.time_axis.labelText):
            assert "suspected" not in text.lower(), text
        for index in range(len(plot.layout_.items)):
            if drawn(plot, index):
                assert "suspected" not in plot.tooltip_html(index).lower()
        qtbot.keyClick(plot, Qt.Key.Key_Right)
    assert presentation.index == total - 1
    assert drawn(plot, index_of(plot, case_id, "death"))
    assert "Suspected drug" in legend_text(plot)
    assert "suspected" in presentation.caption.plain.lower()
    presentation.leave()
    assert "hold_back" not in plot.case_transforms


def test_presentation_in_comparison_view(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    assert len(tab.plot.cases) > 1
    presentation = window.teaching.presentation
    assert presentation.enter()
    assert presentation.tab is tab
    presentation.next_step()
    assert presentation.index == 1 and tab.plot.state.highlighted
    presentation.leave()
    assert tab.plot.theme is not PROJECTOR


def all_visible_text(window, tab) -> list[str]:
    plot = tab.plot
    texts = [str(t) for level in plot.time_axis.tickValues(*plot.time_range(), plot.time_axis.width())
             for t in plot.time_axis.tickStrings(level[1], 1.0, level[0] or 1.0)]
    texts.append(plot.time_axis.labelText)
    texts += [label.text for label in plot.layout_.labels]
    texts += [" ".join(plot.case_header_lines(c)) for c in plot.cases]
    texts += [" ".join(v) for v in plot.state.header_lines.values()]
    texts.append(legend_text(plot))
    texts += [plot.tooltip_html(i) for i in range(len(plot.layout_.items))]
    texts += [str(t) for t in plot.lane_axis._tickLevels[0]] if plot.lane_axis._tickLevels else []
    texts.append(window.details.toPlainText())
    texts.append(window.statusBar().currentMessage())
    return texts


def test_deidentified_view_shows_no_calendar_date(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    plot.set_cases(tab.cases()[:1])  # the report's own patient: dated, so the axis can show dates
    window.set_axis_mode("dates")
    assert plot.time_axis.mode == "dates"
    before = all_visible_text(window, tab)
    assert any(not no_date(t) for t in before)  # the sample really has dates
    window.teaching.deidentify_action.trigger()
    assert plot.deidentified and window.details.deidentified
    assert plot.time_axis.mode == "days"  # dates fall back to days
    # the details panel for every item of every case
    for index in range(len(plot.layout_.items)):
        pos = plot.scene_pos_of_item(index)
        tab._on_click(index, Qt.KeyboardModifier.NoModifier)
        for text in (window.details.toPlainText(), plot.tooltip_html(index)):
            assert no_date(text), text
        del pos
    for text in all_visible_text(window, tab):
        assert no_date(text), text
    # the cursor read-out in the status bar
    plot.sigCursorMoved.emit(91.0)
    assert no_date(window.statusBar().currentMessage())
    # tabs opened later are de-identified too, and presentation keeps it
    other = open_and_wait(window, qtbot, INFLIXIMAB)
    assert other.plot.deidentified
    window.tabs.setCurrentWidget(tab)
    assert window.teaching.presentation.enter()
    for _ in range(len(window.teaching.presentation.plan.steps)):
        assert no_date(window.teaching.presentation.caption.plain)
        window.teaching.presentation.next_step()
    window.teaching.presentation.leave()
    window.teaching.deidentify_action.trigger()
    assert not plot.deidentified
    assert any(not no_date(t) for t in all_visible_text(window, tab))


def test_deidentified_comparison_has_no_date(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    window.teaching.set_deidentified(True)
    for text in all_visible_text(window, tab):
        assert no_date(text), text


# --------------------------------------------------------------------------- slides

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_reveal_slides(qtbot, tmp_path):
    from caseline.render.slides import write_reveal_slides

    case = bortezomib_index_case()
    out = tmp_path / "deck"
    (out).mkdir()
    (out / "step-099.png").write_bytes(b"old")
    slides = write_reveal_slides([case], out, hold_back=True, deidentified=True)
    plan = RevealPlan.build([case], hold_back=True)
    assert len(slides) == len(plan.steps)
    files = sorted(out.glob("step-*.png"))
    assert [f.name for f in files] == [f"step-{k:03d}.png" for k in range(1, len(plan.steps) + 1)]
    for f in files:
        assert png_size(f) == (1920, 1080)


def test_export_cli_reveal_steps(tmp_path):
    import subprocess

    cli = ROOT / "src" / "caseline" / "export_cli.py"
    if not cli.exists() or "reveal-steps" not in cli.read_text():
        pytest.skip("caseline export has no --reveal-steps yet")
    out = tmp_path / "slides"
    result = subprocess.run(
        [sys.executable, "-m", "caseline", "export", "--theme", "projector", "--reveal-steps", str(out),
         str(INFLIXIMAB)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    plan = RevealPlan.build(load_file(INFLIXIMAB).cases)
    files = sorted(out.glob("step-*.png"))
    assert len(files) == len(plan.steps)
    assert all(png_size(f) == (1920, 1080) for f in files)


def test_hover_gives_nothing_away_for_ghosted_marks(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    presentation.set_reveal_mode("ghost")
    assert presentation.enter()
    QApplication.processEvents()
    death = index_of(plot, plot.cases[0].id, "death")
    assert death in plot.state.ghosted
    x, row = plot.layout_.item_position(death)
    plot.set_time_range(x - 50, x + 50)
    plot.viewbox.setYRange(row - 3, row + 1, padding=0)
    QApplication.processEvents()
    scene = plot.viewbox.mapViewToScene(QPointF(x, row - 0.5 + 0.66))
    assert plot.item_at_scene(scene) is None
