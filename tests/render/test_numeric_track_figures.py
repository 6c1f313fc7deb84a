"""Numeric tracks in exported figures (issue 16, item 4): the real SVG of a figure says what each track
measures (its scale or test and unit), its values, and the legend explains the track and the reference band;
the window draws them with the same painter."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from caseline.render.exporters import EXPORTERS
from caseline.render.figure import built_figure, resolve_spec
from figure_support import sample_request
from support import SAMPLES, svg_texts

CSF_CASE = Path(__file__).resolve().parents[1] / "fixtures" / "csf-protein-track.caseline.yaml"


def figure_words(path: Path) -> str:
    view, request = sample_request(path, "double")
    with built_figure(resolve_spec(view, request)) as figure:
        svg = EXPORTERS["svg"].write(figure)
    return " ".join(" ".join(t for t, *_ in svg_texts(ET.fromstring(svg))).split())


def test_the_bortezomib_figure_names_the_mrc_scale_and_shows_the_grade(qapp) -> None:
    words = figure_words(SAMPLES / "bortezomib-myeloma.caseline.yaml")
    assert "MRC muscle strength (legs) 0–5" in words, words
    assert "values over time" in words  # the legend entry of the track


def test_a_csf_protein_track_shows_unit_values_and_reference_range_in_the_figure(qapp) -> None:
    words = figure_words(CSF_CASE)
    assert "CSF protein, g/L" in words, words
    for value in ("CSF protein 0.62 g/L", "CSF protein 1.8 g/L", "CSF protein < 0.5 g/L"):  # values in labels
        assert value in words, (value, words)
    assert "reference range" in words


def test_tracks_sharing_a_lane_say_their_scale_once_where_their_captions_meet(qapp, tmp_path) -> None:
    """Two pain episodes on one lane, each scored on the same scale: their captions would fall on one another
    ('NRS NRS (NRS...' on a busy lane); the lane names the scale once there and keeps every value readable."""
    path = tmp_path / "two-episodes.caseline.yaml"
    path.write_text(
        "caseline: 1\ncase:\n  id: pain\n  title: Two episodes of pain\n  range: [-2, 30]\n  events:\n"
        "    - {id: d, kind: drug, drug: Drug A, start: day 0, end: day 20}\n"
        + "".join(
            f"    - id: p{k}\n      kind: symptom\n      label: Pain {k}\n      lane: Pain\n"
            f"      start: day {start}\n      end: day {start + 6}\n"
            f"      severity:\n        scale: NRS pain\n        min: 0\n        max: 10\n        values:\n"
            f"          - {{at: day {start}, value: {v1}}}\n          - {{at: day {start + 5}, value: {v2}}}\n"
            for k, (start, v1, v2) in enumerate(((2, 7, 3), (3, 8, 2)), start=1)),
        encoding="utf-8")
    words = figure_words(path)
    assert words.count("NRS pain 0–10") == 1, words
    for value in ("7", "3"):  # the first episode's values are written
        assert value in words.split(), words
