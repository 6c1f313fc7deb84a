"""File > Export figure…: size preset, DPI, theme, title, caption and legend, with a live preview.

The preview is render_figure() of exactly the settings that Save… passes to export_figure(),
scaled into a label, so what you see is what is written.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseline.render.exporters import EXPORTERS, ExportInfo, export_figure, file_filters, format_of
from caseline.render.figure import MM_PER_INCH, PAGE_HEIGHT_MM, ExportError, FigureRequest, render_figure
from caseline.theme import PRESETS, THEMES
from caseline.view_state import ViewState

PREVIEW_DELAY_MS = 250


class ExportDialog(QDialog):
    """Export the tab's current view (cases, lanes shown, time range, axis) as a figure."""

    def __init__(self, tab: QWidget, parent: QWidget | None = None, settings: QSettings | None = None,
                 folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export figure")
        self.settings = settings
        self.folder = folder
        self.tab = tab
        self.plot = tab.plot  # type: ignore[attr-defined]
        self.last_info: ExportInfo | None = None
        self.last_error = ""
        self.format_box = QComboBox()
        for fmt, exporter in EXPORTERS.items():  # the registry's formats, by their labels
            self.format_box.addItem(exporter.label, fmt)
        self.preset_box = QComboBox()
        for key, preset in PRESETS.items():
            self.preset_box.addItem(preset.label, key)
        self.preset_box.addItem("Custom", "custom")
        self.width_box = QDoubleSpinBox(decimals=1, minimum=10.0, maximum=1000.0, suffix=" mm")
        self.width_box.setValue(174.0)
        self.height_box = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=1000.0, suffix=" mm")
        self.height_box.setSpecialValueText("as the lanes need")
        self.dpi_box = QSpinBox(minimum=72, maximum=1200, singleStep=50, suffix=" dpi")
        self.dpi_box.setValue(300)
        self.theme_box = QComboBox()
        for name in THEMES:
            self.theme_box.addItem(name.capitalize(), name)
        self.theme_box.setCurrentIndex(list(THEMES).index("print"))
        cases = self.plot.cases
        title = cases[0].case.title if len(cases) == 1 else getattr(tab, "title", "")
        if self.plot.view.deidentified and len(cases) != 1:
            title = ""  # the tab's title is a file or case set name: not offered in the de-identified view
        self.title_edit = QLineEdit(title)
        self.caption_box = QComboBox()
        self.caption_box.addItem("No caption", "")
        self.caption_box.addItem("Cite the sources", "auto")
        self.caption_box.addItem("Time to onset across the cases", "onset")
        self.caption_box.addItem("Sources and time to onset", "auto+onset")
        self.caption_box.addItem("Custom text", "custom")
        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText("caption text")
        self.legend_box = QComboBox()
        for text, placement in (("Above the plot", "top"), ("Below the plot", "bottom"),
                                ("None (the caption explains the symbols)", "none")):
            self.legend_box.addItem(text, placement)
        self.size_label = QLabel()
        self.size_label.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 320)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("QLabel { background: #9A9A9A; }")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._build_layout()
        self._connect_callbacks()
        self.preset_box.setCurrentIndex(1)  # double column
        self._apply_preset()
        self._restore_choices()
        self.update_preview()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Size", self.preset_box)
        form.addRow("Width", self.width_box)
        form.addRow("Height", self.height_box)
        form.addRow("Resolution", self.dpi_box)
        form.addRow("Theme", self.theme_box)
        form.addRow("Title", self.title_edit)
        form.addRow("Caption", self.caption_box)
        form.addRow("", self.caption_edit)
        form.addRow("Legend", self.legend_box)
        form.addRow("", self.size_label)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addStretch(1)
        side.addWidget(self.buttons)
        row = QHBoxLayout(self)
        row.addLayout(side)
        row.addWidget(self.preview, 1)
        self.resize(1100, 700)
        screen = self.screen()
        if screen is not None:  # a small screen or projector: the dialog fits it
            area = screen.availableGeometry()
            self.resize(min(1100, area.width() - 40), min(700, area.height() - 60))

    def _connect_callbacks(self) -> None:
        self.preset_box.currentIndexChanged.connect(self._apply_preset)
        for box in (self.width_box, self.height_box):
            box.valueChanged.connect(self._to_custom)
        self.dpi_box.valueChanged.connect(self._schedule)
        for combo in (self.format_box, self.theme_box, self.caption_box, self.legend_box):
            combo.currentIndexChanged.connect(self._schedule)
        self.title_edit.textChanged.connect(self._schedule)
        self.caption_edit.textChanged.connect(self._schedule)
        self.caption_box.currentIndexChanged.connect(self._sync_caption)
        self._timer.timeout.connect(self.update_preview)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._sync_caption()

    # ------------------------------------------------------------------ settings
    def _apply_preset(self) -> None:
        key = self.preset_box.currentData()
        if key in PRESETS:
            preset = PRESETS[key]
            width_mm, height_mm, width_px, height_px, dpi = (preset.width_mm, preset.height_mm, preset.width_px,
                                                             preset.height_px, preset.dpi)
            for box in (self.width_box, self.height_box, self.dpi_box):
                box.blockSignals(True)
            self.dpi_box.setValue(int(dpi))
            if width_px is not None:
                self.width_box.setValue(width_px / dpi * MM_PER_INCH)
            else:
                self.width_box.setValue(float(width_mm or 174.0))
            if height_px is not None:
                self.height_box.setValue(height_px / dpi * MM_PER_INCH)
            else:
                self.height_box.setValue(float(height_mm or 0.0))
            for box in (self.width_box, self.height_box, self.dpi_box):
                box.blockSignals(False)
            self.theme_box.setCurrentIndex(list(THEMES).index(preset.theme))
            if key == "slide":
                self.format_box.setCurrentIndex(self.format_box.findData("png"))
        self._schedule()

    # what the dialog remembers between exports and runs (QSettings, export/...)
    _REMEMBERED = ("format", "preset", "width_mm", "height_mm", "dpi", "theme", "caption", "legend")

    def _restore_choices(self) -> None:
        if self.settings is None:
            return
        from caseline.ui.window_settings import EXPORT_PREFIX, setting

        def combo(box: QComboBox, key: str) -> None:
            index = box.findData(setting(self.settings, EXPORT_PREFIX + key, box.currentData(), str))
            if index >= 0:
                box.setCurrentIndex(index)

        combo(self.format_box, "format")
        combo(self.preset_box, "preset")
        if self.preset_box.currentData() == "custom":
            for box, key in ((self.width_box, "width_mm"), (self.height_box, "height_mm")):
                box.setValue(float(setting(self.settings, EXPORT_PREFIX + key, box.value(), float)))  # type: ignore[arg-type]
            self.dpi_box.setValue(int(setting(self.settings, EXPORT_PREFIX + "dpi", self.dpi_box.value(), int)))  # type: ignore[call-overload]
            self.preset_box.setCurrentIndex(self.preset_box.count() - 1)
        combo(self.theme_box, "theme")
        combo(self.caption_box, "caption")
        combo(self.legend_box, "legend")

    def _store_choices(self) -> None:
        if self.settings is None:
            return
        from caseline.ui.window_settings import EXPORT_PREFIX

        values = {"format": self.format_box.currentData(), "preset": self.preset_box.currentData(),
                  "width_mm": self.width_box.value(), "height_mm": self.height_box.value(),
                  "dpi": self.dpi_box.value(), "theme": self.theme_box.currentData(),
                  "caption": self.caption_box.currentData(), "legend": self.legend_box.currentData()}
        for key in self._REMEMBERED:
            self.settings.setValue(EXPORT_PREFIX + key, values[key])

    def _to_custom(self) -> None:
        if self.preset_box.currentData() != "custom":
            self.preset_box.blockSignals(True)
            self.preset_box.setCurrentIndex(self.preset_box.count() - 1)
            self.preset_box.blockSignals(False)
        self._schedule()

    def _sync_caption(self) -> None:
        self.caption_edit.setVisible(self.caption_box.currentData() == "custom")

    def _schedule(self) -> None:
        self._timer.start()

    def request(self) -> FigureRequest:
        """The size and look chosen in the dialog."""
        key = self.preset_box.currentData()
        caption_mode = self.caption_box.currentData()
        caption = (self.caption_edit.text() if caption_mode == "custom" else caption_mode) or None
        dpi, theme, title = float(self.dpi_box.value()), self.theme_box.currentData(), self.title_edit.text()
        legend = self.legend_box.currentData()
        if key in PRESETS and PRESETS[key].width_px is not None:  # a preset in pixels: exact pixels
            return FigureRequest(width_px=PRESETS[key].width_px, height_px=PRESETS[key].height_px, dpi=dpi,
                                 theme=theme, title=title, caption=caption, legend=legend)
        height = self.height_box.value()
        return FigureRequest(width_mm=self.width_box.value(), height_mm=height if height > 0 else None, dpi=dpi,
                             theme=theme, title=title, caption=caption, legend=legend)

    def view(self) -> ViewState:
        """What the figure shows: the tab's view as it is now, at the range on screen."""
        return self.plot.view.copy(time_range=self.plot.time_range(), selected=None)

    # ------------------------------------------------------------------ preview and save
    def update_preview(self) -> None:
        self._timer.stop()
        try:
            image = render_figure(self.view(), self.request())
        except ExportError as exc:
            self.last_error = str(exc)
            self.preview.setPixmap(QPixmap())
            self.preview.setText(str(exc))
            self.size_label.setText("")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return
        self.last_error = ""
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        dpi = self.dpi_box.value()
        width_mm, height_mm = image.width() / dpi * MM_PER_INCH, image.height() / dpi * MM_PER_INCH
        size = f"{image.width()} x {image.height()} px = {width_mm:.0f} x {height_mm:.0f} mm"
        if height_mm > PAGE_HEIGHT_MM:
            size += (f": {height_mm - PAGE_HEIGHT_MM:.0f} mm taller than a journal page (about "
                     f"{PAGE_HEIGHT_MM:.0f} mm); a swimmer layout, hidden lanes or a shorter range fit it")
        self.size_label.setText(size)
        pixmap = QPixmap.fromImage(image)
        target = self.preview.size()
        self.preview.setPixmap(pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._schedule()

    def save(self, path: str | None = None) -> ExportInfo | None:
        """Ask for a file (unless given) and write the figure; errors are shown, not raised."""
        fmt = self.format_box.currentData()
        if path is None:
            suffix = EXPORTERS[fmt].extensions[0]
            name = f"{_safe_name(self.title_edit.text())}{suffix}"
            start = os.path.join(self.folder or os.path.expanduser("~"), name)
            path, _ = QFileDialog.getSaveFileName(self, "Export figure", start, file_filters()[fmt])
            if not path:
                return None
            if not os.path.splitext(path)[1]:
                path += suffix
            from caseline.ui.window_settings import remember_folder

            remember_folder(self.settings, path)
        try:
            # the chosen format, not the suffix's: PDF/X-4 and PDF share .pdf
            self.last_info = export_figure(self.view(), path, self.request(), fmt=_format_for(path, fmt))
        except ExportError as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, "Export figure", f"The figure was not written.\n\n{exc}")
            return None
        self._save_settings(self.last_info)
        self._store_choices()
        self.accept()
        return self.last_info

    def _save_settings(self, info: ExportInfo) -> None:
        """The settings beside the figure, as ``caseline export`` saves them (render.export_settings): the
        command that makes the same figure from the tab's files. None for a de-identified view."""
        from caseline.render.export_settings import made_of, settings_json, write_settings

        view = self.view()
        files = [d.path for d in getattr(self.tab, "documents", [])]
        if view.deidentified or not files:
            return
        request = self.request()
        key = self.preset_box.currentData()
        pixels = key in PRESETS and PRESETS[key].width_px is not None
        options = {"format": info.fmt, "preset": key if pixels else None,
                   "width_mm": None if pixels else request.width_mm, "height_mm": request.height_mm,
                   "dpi": request.dpi, "theme": request.theme, "layout": getattr(view, "layout", "lanes"),
                   "align": view.align, "sort": view.sort, "axis": view.axis_mode, "title": request.title,
                   "caption": request.caption, "legend": request.legend,
                   "range": [round(v, 2) for v in view.time_range] if view.time_range else None}
        notes = []
        if view.hidden_lanes:
            notes.append("lanes hidden in the window (not a command-line option; a case set's hidden_lanes "
                         f"hides them): {', '.join(sorted(view.hidden_lanes))}")
        try:
            write_settings(info.path, settings_json(files, info.path, options, made_of(info), notes))
        except OSError as exc:
            self.last_error = f"the settings file was not written: {exc.strerror or exc}"


def _format_for(path: str, fmt: str) -> str:
    """``fmt`` when ``path`` has one of its suffixes, else the format the suffix names (a typed '.svg')."""
    suffix = os.path.splitext(path)[1].lower()
    return fmt if suffix in EXPORTERS[fmt].extensions else format_of(path)


def _safe_name(title: str) -> str:
    name = "".join(ch if ch.isalnum() or ch in "-_ " else "" for ch in title).strip().replace(" ", "-")
    return name[:60] or "timeline"
