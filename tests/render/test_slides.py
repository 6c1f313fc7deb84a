"""Reveal slides: one PNG per step, from the API and from caseline export --reveal-steps."""

from __future__ import annotations

import sys

from caseline.analysis.reveal import RevealPlan
from caseline.timeline.load import load_file
from caseline.view_state import ViewState
from support import INFLIXIMAB, bortezomib_index_case, png_size


def test_reveal_slides(qtbot, tmp_path):
    from caseline.render.slides import write_reveal_slides

    case = bortezomib_index_case()
    out = tmp_path / "deck"
    (out).mkdir()
    (out / "step-099.png").write_bytes(b"old")
    slides = write_reveal_slides(ViewState((case,), deidentified=True), out, hold_back=True)
    plan = RevealPlan.build([case], hold_back=True)
    assert len(slides) == len(plan.steps)
    files = sorted(out.glob("step-*.png"))
    assert [f.name for f in files] == [f"step-{k:03d}.png" for k in range(1, len(plan.steps) + 1)]
    for f in files:
        assert png_size(f) == (1920, 1080)


def test_export_cli_reveal_steps(tmp_path):
    import subprocess

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
