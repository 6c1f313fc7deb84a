"""One case set through the window, ``caseline export`` and the reveal slides: the same case-header
notes and the same axis title, because all three derive them from one ViewState."""

from __future__ import annotations

import argparse
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

from support import CASESET, SVG_NS

ALIGN = "suspect-stop"  # two cases of the sample set have no stated stop: they get a note


def window_wording(window, qtbot) -> tuple[dict[str, str], str]:
    tab = window.open_comparison([str(CASESET)], align=ALIGN)
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None and len(tab.plot.cases) == 7, timeout=20000)
    shown = tab.plot.shown
    assert shown is not None
    return dict(shown.header_notes), tab.plot.time_axis.labelText


def test_window_export_and_slides_word_an_alignment_alike(window, qtbot, tmp_path) -> None:
    notes, axis_title = window_wording(window, qtbot)
    assert notes and all(note.startswith("not aligned") for note in notes.values())
    assert "discontinuation of the suspected drug" in axis_title

    # caseline export: the notes and the axis title are text in the SVG
    out = tmp_path / "set.svg"
    result = subprocess.run([sys.executable, "-m", "caseline", "export", str(CASESET), "--align", ALIGN,
                             "-o", str(out), "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    svg_text = " ".join(unicodedata.normalize("NFKC", t.text or "")
                        for t in ET.parse(out).getroot().iter(f"{SVG_NS}text"))
    svg_text = " ".join(svg_text.split())
    for note in notes.values():
        assert note in svg_text, note
    assert axis_title in svg_text

    # the reveal slides: every step's view words the alignment as the window does
    from caseline.cli.export import load
    from caseline.render.slides import plan_of, step_views

    args = argparse.Namespace(files=[str(CASESET)], align=ALIGN, sort=None, axis="days", range=None,
                              deidentified=False, quiet=True)
    view, _inputs = load(args, "slides")
    plan = plan_of(view, hold_back=False)
    for _step, step_view in step_views(view, plan, ghost=False):
        shown = step_view.shown()
        assert shown.header_notes == notes
        assert shown.axis_title("days") == axis_title
