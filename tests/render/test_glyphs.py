"""Every glyph of the kind table has a shape and a legend entry."""

from __future__ import annotations

from caseline.model.kinds import Glyph
from caseline.render.legend import GLYPH_LEGEND
from caseline.render.painting import glyph_path


def test_every_glyph_has_a_shape_and_a_legend_entry(qapp) -> None:
    for glyph in Glyph:
        assert not glyph_path(glyph, 12.0).isEmpty(), glyph
    assert {code for code, _symbol, _text in GLYPH_LEGEND} == set(Glyph)
