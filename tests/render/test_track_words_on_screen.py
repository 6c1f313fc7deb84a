"""On screen, a numeric track's values never cover a mark's label (a busy synthetic case drew 'R4sh 0', a value
over its lane's label 'Rash 0', both unreadable): a value takes the other side of its step, or is left out (its
mark's tooltip tells it). Figures, which have no hover, keep every value (test_numeric_track_figures.py)."""

from __future__ import annotations

import collections

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_file


def _synthetic(directory):
    """A generated case (benchmarks.generate): many thin lanes, a severity track under each rash's label."""
    from benchmarks.generate import generate

    return load_file(generate(str(directory), 200, 1).yaml_path).cases


def test_values_keep_clear_of_the_labels_in_their_row(qtbot, tmp_path) -> None:
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(700, 500)
    plot.show()
    plot.set_cases(_synthetic(tmp_path))
    plot.set_time_range(0.0, 40.0)  # rows too thin for a label band: labels and values share the row
    qtbot.wait(20)
    image = QImage(plot.width(), plot.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    plot.render(painter)
    painter.end()
    layer = plot.labels
    placed = layer._placed
    assert placed is not None and placed.index.size, "the marks' labels are drawn"
    rows = layer.state.label_arrays(layer.state.label_font).row[placed.index]
    height = layer._row_boxes()
    boxes = [(int(r), QRectF(float(x), float(y), float(w), height[int(r)].height))
             for r, x, y, w in zip(rows, placed.x, placed.y, placed.width, strict=True)]
    values = [(row, box, text) for row, words in layer.track_words.items() for box, text in words
              if text.replace(".", "").isdigit()]
    assert values, "some values are written"
    for row, box, text in values:
        for label_row, label in boxes:
            assert not (label_row == row and box.intersects(label)), f"value {text} over a label at {label}"


def _painted(plot: TimelinePlot) -> list[tuple[int, QRectF, str]]:
    plot.viewport().grab()
    return [(row, box, text) for row, words in plot.labels.track_words.items() for box, text in words]


def _label_boxes(plot: TimelinePlot) -> list[tuple[int, QRectF]]:
    layer = plot.labels
    placed = layer.last_placed
    assert placed is not None
    rows = layer.state.label_arrays(layer.state.label_font).row[placed.index]
    height = QFontMetricsF(layer.state.label_font).height()
    return [(int(r), QRectF(float(x), float(y), float(w), height))
            for r, x, y, w in zip(rows, placed.x, placed.y, placed.width, strict=True)]


def test_pan_steps_move_the_values_planned_once_and_keep_them_clear(qtbot, tmp_path) -> None:
    """While the view pans, the values written beside the numeric tracks' steps are those planned once for the
    labels' wide placement (render.label_pan), moved with the view: each one wholly in view, none over a label or
    another word of its row; the captions are the view's own. Once the panning stops, the view's own values."""
    from caseline.render import label_pan

    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(900, 600)
    plot.show()
    plot.set_cases(_synthetic(tmp_path))
    qtbot.waitUntil(lambda: plot.layout_ is not None)
    start, span = 20.0, 40.0
    plot.set_time_range(start, start + span)
    first = _painted(plot)
    assert any(text.replace(".", "").isdigit() for _, _, text in first), "values are written in this view"
    px_per_day = plot.viewbox.width() / span
    planned = 0
    for k in range(1, 7):
        shift = start + k * 7 / px_per_day  # 7 px a step
        plot.set_time_range(shift, shift + span)
        words = _painted(plot)
        wide = plot.labels.pan._wide
        assert plot.labels.pan.panning and wide is not None and wide.values is not None
        planned += len(wide.values)
        left = plot.labels.state.label_inset_left
        view = plot.viewbox.sceneBoundingRect()
        x0 = plot.mapFromScene(view.topLeft()).x() + left
        x1 = plot.mapFromScene(view.topRight()).x() - plot.labels.state.label_inset_right
        values = [(row, box, text) for row, box, text in words if text.replace(".", "").isdigit()]
        assert values, "a pan step writes values"
        labels = _label_boxes(plot)
        for row, box, text in values:
            assert box.left() >= x0 - 0.5 and box.right() <= x1 + 0.5, f"value {text} not wholly in view"
            assert not any(r == row and box.intersects(b) for r, b in labels), f"value {text} over a label"
            others = [b for r, b, t in words if r == row and b is not box]
            assert not any(box.intersects(b) for b in others), f"value {text} over another word"
    assert planned > 0
    qtbot.waitUntil(lambda: not plot.labels.pan.panning, timeout=label_pan.SETTLE_MS * 20)
    settled = _painted(plot)
    fresh = TimelinePlot()
    qtbot.addWidget(fresh)
    fresh.resize(900, 600)
    fresh.show()
    fresh.set_cases(plot.cases)
    qtbot.waitUntil(lambda: fresh.layout_ is not None)
    fresh.set_time_range(*plot.time_range())
    fresh.viewbox.setYRange(*plot.viewbox.viewRange()[1], padding=0)
    _painted(fresh)
    qtbot.wait(200)  # (its lane names' column is sized after the first paints)
    fresh.set_time_range(*plot.time_range())
    fresh.viewbox.setYRange(*plot.viewbox.viewRange()[1], padding=0)
    own = _painted(fresh)
    assert fresh.viewbox.sceneBoundingRect() == plot.viewbox.sceneBoundingRect()
    assert sorted((r, t, round(b.x(), 1)) for r, b, t in settled) == sorted((r, t, round(b.x(), 1)) for r, b, t in own)


def test_a_pan_steps_captions_planned_over_arrays_are_those_of_their_definition(qtbot, tmp_path,
                                                                               monkeypatch) -> None:
    """The captions are planned over the tracks' arrays (track_labels.plan_captions, which plan_words shares).
    At every step of two pans they are those of the definition, track by track: a caption ends where its
    track's first value (or that value's time) begins, beside the value's mark, held within the view (a course
    starting before the view's edge holds its caption there), and one saying what an earlier caption of its
    row already says there is left out."""
    import math

    import caseline.render.label_pan as label_pan
    from caseline.render.track_labels import OPEN_STUB_PX, _on_screen, plan_captions

    def key(words):  # type: ignore[no-untyped-def]
        return [(w.row, w.box.getRect(), w.plate.getRect(), (w.at.x(), w.at.y()), w.text, w.color.rgba(), w.caption)
                for w in words]

    def definition(layer, f):  # type: ignore[no-untyped-def]
        state = layer.state
        tracks, shown, dense, f = _on_screen(layer, f, True)
        fm = QFontMetricsF(state.small_font)
        if shown is None or f.row_h < fm.height() * 1.2:
            return dense, []
        glyph = min(state.theme.glyph_px * state.px_per_pt * 0.75, f.row_h * 0.6)
        said_in_row: dict[int, list[tuple[QRectF, str]]] = {}
        out = []
        for k in shown.tolist():
            track = tracks[k]
            said, start = track.caption, track.points[0]
            w = state.text_width(said, state.small_font)
            x_first = start.lo * f.sx + f.dx if math.isfinite(start.lo) else start.x * f.sx + f.dx - (
                OPEN_STUB_PX if start.lo < start.x else 0.0)
            x = min(max(f.left + 2.0, x_first - w - glyph / 2 - 2.0), f.right - w - 2.0)
            held_at_edge.append(x == f.left + 2.0)
            y = track.row * f.sy + f.dy + f.row_h - fm.descent() - 1.0
            box = QRectF(x - 2.0, y - fm.ascent(), w + 4.0, fm.height())
            in_row = said_in_row.setdefault(track.row, [])
            if any(other.intersects(box) for other, text in in_row if text == said):
                continue
            in_row.append((box, said))
            out.append((track.row, box.getRect(), box.getRect(), (x, y), said, True))
        return dense, out

    planned: list[tuple[object, object]] = []  # (compared after each paint: an assertion inside one aborts it)
    held_at_edge: list[bool] = []

    def checked(layer, f):  # type: ignore[no-untyped-def]
        ours = plan_captions(layer, f)
        planned.append(((ours[1], [w[:3] + w[3:5] + w[6:] for w in key(ours[0])]), definition(layer, f)))
        return ours

    monkeypatch.setattr(label_pan, "plan_captions", checked)
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(900, 600)
    plot.show()
    plot.set_cases(_synthetic(tmp_path))
    lo, hi = plot.layout_.x_range
    for span in (hi - lo, (hi - lo) / 6):
        start = lo + (hi - lo - span) / 2
        for k in range(12):
            shift = span * 0.013 * (k - 4)
            plot.set_time_range(start + shift, start + span + shift)
            plot.viewport().grab()
    for ours, theirs in planned:
        assert ours == theirs
    assert len(planned) >= 15 and sum(len(ours[1]) for ours, _ in planned) >= 100  # type: ignore[index]
    assert any(held_at_edge), "some steps hold a caption at the view's left edge"


def test_a_pan_steps_values_are_those_of_the_wide_plan_wholly_in_view_and_clear_of_its_words(qtbot, tmp_path,
                                                                                             monkeypatch) -> None:
    """A pan step writes the values planned beside the wide placement's labels, moved with the view: each wholly
    inside the view (within the history bands), running into no label of this step and no caption of its row."""
    from benchmarks.generate import write_yaml

    from caseline.render.label_pan import LabelPan

    real = LabelPan.track_words
    seen: list[tuple[list[object], list[object]]] = []
    left_out: collections.Counter[str] = collections.Counter()

    def checked(self, f):  # type: ignore[no-untyped-def]
        words = real(self, f)
        wide = self._wide
        if words is None or wide is None or not wide.values:
            return words
        state = self.layer.state
        left, right = f.left + state.label_inset_left, f.right - state.label_inset_right
        boxes = self.layer._row_boxes()
        captions = [w for w in words if w.caption]
        want = []
        for word in wide.values:  # the definition, box by box
            moved = word.moved(f.dx - wide.dx)
            if moved.box.left() < left or moved.box.right() > right:
                left_out["across an edge" if moved.box.left() < right and moved.box.right() > left else "out"] += 1
            elif (on_label := word.row in boxes and boxes[word.row].hit(moved.box)) | (on_caption := any(
                    c.row == word.row and moved.box.intersects(c.box) for c in captions)):
                left_out["on a label and a caption" if on_label and on_caption else
                         "on a label" if on_label else "on a caption"] += 1
            else:
                want.append((word.row, moved.box.getRect(), moved.text))
        seen.append(([(w.row, w.box.getRect(), w.text) for w in words if not w.caption], want))
        return words

    monkeypatch.setattr(LabelPan, "track_words", checked)
    path = tmp_path / "values.caseline.yaml"
    write_yaml(str(path), 1, 3000)
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(900, 600)
    plot.show()
    plot.set_cases(load_file(path).cases)
    lo, hi = plot.layout_.x_range
    start = (lo + hi) / 2 - 20.0  # close enough for values to be written
    for span in (40.0, 55.0):
        for k in range(24):
            shift = span * 0.043 * (k - 4) + 0.37 * k  # (off the days the values stand on: some run across an edge)
            plot.set_time_range(start + shift, start + span + shift)
            plot.viewport().grab()
    for got, want in seen:
        assert got == want
    assert sum(len(want) for _, want in seen) >= 20
    # (in this case a value on a label of the step is on a caption too: the label test is
    # test_values_keep_clear_of_the_labels_in_their_row's)
    assert all(left_out[why] for why in ("across an edge", "on a caption")), left_out
