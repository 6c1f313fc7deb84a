"""A figure's caption as exported (the SVG's text in the caption's region): each part a sentence, the parts
joined with one space, no doubled full stop; a caption typed in is printed as typed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from caseline.render.exporters import EXPORTERS
from caseline.render.figure import FigureRequest, built_figure, resolve_spec
from caseline.timeline.load import load_inputs
from caseline.view_state import ViewState
from figure_support import sample_view
from support import SAMPLES, svg_texts

MYELOMA = SAMPLES / "bortezomib-myeloma.caseline.yaml"  # five cases: 'Sources: Jeter, Kang; …; Schmitt'
PYODERMA = SAMPLES / "infliximab-pyoderma.caseline.yaml"  # cited by its DOI only


def exported_caption(view: ViewState, caption: str) -> str:
    """The caption's lines of the SVG figure (85 mm wide), joined as the reader reads them."""
    request = FigureRequest(width_mm=85, theme="print", title="", caption=caption)
    with built_figure(resolve_spec(view, request)) as figure:
        region = figure.regions()["caption"]
        svg = EXPORTERS["svg"].write(figure)
    lines = [(y, x, text) for text, x, y, _size in svg_texts(ET.fromstring(svg))
             if region.top() <= y <= region.bottom() + 1]
    assert lines, "no caption text in the SVG"
    text = " ".join(" ".join(t.split()) for _y, _x, t in sorted(lines))
    return re.sub(r"(?<=\w-) (?=\w)", "", text)  # a line broken after a hyphen ('56-' '63 d')


def test_sources_and_onset_are_two_sentences() -> None:
    view, _title = sample_view(MYELOMA)
    both = exported_caption(view, "auto+onset")
    assert both.startswith("Sources: Jeter, Kang; Xu; Mauermann; Saifee; Schmitt. Time to onset from the first dose")
    assert both.endswith(".") and ".." not in both
    sources = exported_caption(view, "auto")
    assert sources == "Sources: Jeter, Kang; Xu; Mauermann; Saifee; Schmitt."
    onset = exported_caption(view, "onset")
    assert onset.startswith("Time to onset from the first dose") and onset.endswith(".") and ".." not in onset
    assert both == f"{sources} {onset}"


def test_a_doi_citation_ends_its_sentence() -> None:
    view, _title = sample_view(PYODERMA)
    caption = exported_caption(view, "auto+onset")
    assert caption.startswith("Source: doi:10.4274/turkderm.galenos.2018.70437. Time to onset from the first dose (1")
    assert caption.endswith("Turnbull median 14 d.") and ".." not in caption


def test_a_citation_that_ends_with_a_full_stop_gets_no_second_one(tmp_path) -> None:
    text = PYODERMA.read_text(encoding="utf-8")
    doi = "    doi: 10.4274/turkderm.galenos.2018.70437\n"
    assert doi in text
    case = tmp_path / "cited.caseline.yaml"
    case.write_text(text.replace(doi, "    authors: [Doe J]\n    title: A case in point.\n"), encoding="utf-8")
    inputs = load_inputs([str(case)])
    assert inputs.ok, inputs.diagnostics
    view = ViewState(tuple(inputs.cases))
    assert exported_caption(view, "auto") == "Source: Doe J. A case in point."
    assert exported_caption(view, "auto+onset").startswith("Source: Doe J. A case in point. Time to onset from")


@pytest.mark.parametrize("typed", ["Figure 2. Course of the neuropathy.", "Figure 2 (case 1)"])
def test_a_typed_caption_is_printed_as_typed(typed) -> None:
    view, _title = sample_view(PYODERMA)
    assert exported_caption(view, typed) == typed
