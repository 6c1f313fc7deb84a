"""The docs examples of what reports say (issue 13, items 4-8) render: each example of docs/case-format.md
that uses a re-exposure, a response, a pertinent negative, reaction attributes or a procedure is exported as a
real SVG figure, whose text shows what the timeline draws for it and the legend entry that explains the mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from figure_support import docs_example_figure_words

#: example case id -> texts its figure must show (labels, or the footnotes of labels without room; legend)
EXPECTED = {
    "reexposure": ["Further dose (inadvertent) · worse", "Switched to adalimumab · recurred",
                   "Rechallenged · did not recur", "reaction did not recur"],
    "procedures": ["Procedures", "Plasma exchange, 5 sessions · partial response", "Rehabilitation"],
    "response": ["Methylprednisolone · no response", "Ivig · complete response"],
    "negatives": ["Sensory loss (absent)", "Preceding infection (absent)", "stated absent"],
    "reaction-attributes": ["Hand-foot syndrome"],
}


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
def test_the_docs_example_renders_what_the_report_says(case_id: str, tmp_path: Path, qapp) -> None:
    words = docs_example_figure_words(case_id, tmp_path)
    for expected in EXPECTED[case_id]:
        assert expected in words, (expected, words)
