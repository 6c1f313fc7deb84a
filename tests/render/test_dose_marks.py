"""Phases, dose changes and results nobody interpreted, drawn in the window's layout and in exported figures
with their legend entries (issue 13)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import caseline
from caseline.layout import timeline_layout as L
from caseline.model.kinds import Glyph
from caseline.render.exporters import export_figure
from caseline.render.figure import FigureRequest
from caseline.render.legend import legend_entries
from caseline.view_state import ViewState
from support import svg_texts

CASE = """caseline: 1
case:
  id: phased
  title: Phases and results
  suspect: {drug: ifx}
  events:
    - id: ifx
      kind: drug
      drug: infliximab
      unit: mg/kg
      phases:
        - {name: induction, dose: 3, schedule: {at: [week 0, week 2, week 6]}}
        - {name: maintenance, dose: 5, schedule: {every: 8 weeks, count: 3, start: 8 weeks after ifx/induction.end}}
    - {id: crp, kind: investigation, test: CRP, at: week 3, value: "> 20", value_unit: mg/L}
    - {id: alt, kind: investigation, test: ALT, at: week 4, value: 30, interpretation: normal}
    - {id: esr, kind: investigation, test: ESR, at: week 5, value: 80, interpretation: abnormal}
"""


def resolved(tmp_path: Path) -> list:
    path = tmp_path / "phased.caseline.yaml"
    path.write_text(CASE, encoding="utf-8")
    return caseline.load(path)


def test_phases_and_uninterpreted_results_are_marked_and_in_the_legend(tmp_path: Path) -> None:
    cases = resolved(tmp_path)
    layout = L.build_layout(cases)
    (case,) = cases
    styles = {case.items[int(i)].item_id: int(s) for i, s in zip(layout.points.item, layout.points.style,
                                                                  strict=True)}
    assert styles["ifx/maintenance"] & L.GLYPH_MASK == Glyph.PHASE
    assert styles["crp"] == Glyph.DIAMOND | L.PointFlag.UNSTATED  # no interpretation: dotted, not "normal"
    assert styles["alt"] == Glyph.DIAMOND  # normal: hollow
    assert styles["esr"] == Glyph.DIAMOND | L.PointFlag.ABNORMAL  # abnormal: filled
    labels = {label.text for label in layout.labels}
    assert {"maintenance 5 mg/kg", "induction 3 mg/kg"} <= labels
    _categories, glyphs = legend_entries(layout)
    assert ("▼", "new phase / dose change") in glyphs
    assert ("◌", "investigation, not interpreted") in glyphs


def test_an_exported_figure_draws_them_dotted_and_labelled(tmp_path: Path) -> None:
    cases = resolved(tmp_path)
    out = tmp_path / "figure.svg"
    export_figure(ViewState(tuple(cases)), out, FigureRequest(width_mm=174, dpi=300))
    data = out.read_text(encoding="utf-8")
    texts = {t.replace("\xa0", " ") for t, *_ in svg_texts(ET.fromstring(data))}
    assert any("maintenance" in t for t in texts)
    assert any("not interpreted" in t for t in texts), "the legend names the dotted diamond"
    assert "stroke-dasharray" in data  # the dotted outline of the result nobody interpreted
    png = tmp_path / "figure.png"
    export_figure(ViewState(tuple(cases)), png, FigureRequest(width_mm=174, dpi=150))
    assert png.stat().st_size > 1000
