"""The sample figures the render tests check: every sample at every size preset, as `caseline export` makes them."""

from __future__ import annotations

from pathlib import Path

from caseline.render.figure import FigureRequest
from caseline.timeline.load import load_inputs
from caseline.view_state import ViewState

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILES = sorted((ROOT / "sample_cases").glob("*.caseline.yaml")) + sorted(
    (ROOT / "sample_cases").glob("*.caseset.yaml"))
PRESET_KEYS = ("single", "double", "slide")


def sample_view(path: Path) -> tuple[ViewState, str | None]:
    """The view and title `caseline export PATH` draws (a case set's arrangement and title)."""
    inputs = load_inputs([str(path)])
    assert inputs.ok, inputs.diagnostics
    spec = inputs.spec
    view = ViewState(tuple(inputs.cases), align=spec.align, sort=spec.sort, hidden_lanes=spec.hidden_lanes,
                     shared_lanes_only=spec.shared_lanes_only, time_range=spec.time_range)
    return view, spec.title or None


def sample_request(path: Path, preset: str, **changes: object) -> tuple[ViewState, FigureRequest]:
    view, title = sample_view(path)
    return view, FigureRequest.of_preset(preset, title=title, **changes)


def short(path: Path) -> str:
    return path.name.split(".")[0]
