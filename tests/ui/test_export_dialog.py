"""The export dialog previews exactly what it saves."""

from __future__ import annotations

import pytest

from caseline.render.figure import render_figure


def _tab(qtbot, path, size: tuple[int, int]):
    """A sample's document, loaded, in a timeline tab of ``size`` (what the export dialog exports from)."""
    from caseline.ui.documents import Document
    from caseline.ui.timeline_tab import TimelineTab

    document = Document(str(path))
    document.reload(blocking=True)
    tab = TimelineTab([document])
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.refresh()
    return document, tab


def test_dialog_previews_and_saves_what_it_shows(qtbot, samples_dir, tmp_path) -> None:
    from PySide6.QtGui import QImage

    from caseline.ui.dialogs.export_dialog import ExportDialog

    document, tab = _tab(qtbot, samples_dir / "crps-infliximab.caseline.yaml", (1200, 800))
    tab.plot.set_time_range(-300.0, 200.0)
    dialog = ExportDialog(tab)
    qtbot.addWidget(dialog)
    preview = dialog.preview.pixmap()
    assert preview is not None and not preview.isNull()
    assert dialog.view().time_range == pytest.approx((-300.0, 200.0))
    dialog.preset_box.setCurrentIndex(0)  # single column
    assert dialog.width_box.value() == pytest.approx(85.0)
    out = tmp_path / "dialog.png"
    info = dialog.save(str(out))
    assert info is not None
    image = QImage(str(out))
    assert image.width() == round(85 / 25.4 * 300)
    expected = render_figure(dialog.view(), dialog.request())
    assert (expected.width(), expected.height()) == (image.width(), image.height())
    document.close()


def test_dialog_offers_the_registry_formats_and_saves_the_one_chosen(qtbot, samples_dir, tmp_path) -> None:
    from caseline.render.exporters import EXPORTERS
    from caseline.ui.dialogs.export_dialog import ExportDialog

    document, tab = _tab(qtbot, samples_dir / "neurosarcoidosis-infliximab.caseline.yaml", (1000, 700))
    dialog = ExportDialog(tab)
    qtbot.addWidget(dialog)
    box = dialog.format_box
    assert [box.itemData(i) for i in range(box.count())] == list(EXPORTERS)
    assert [box.itemText(i) for i in range(box.count())] == [e.label for e in EXPORTERS.values()]
    box.setCurrentIndex(box.findData("pdfx"))  # PDF/X-4 shares .pdf with plain PDF: the choice wins
    info = dialog.save(str(tmp_path / "print.pdf"))
    assert info is not None and info.fmt == "pdfx"
    assert b"GTS_PDFX" in (tmp_path / "print.pdf").read_bytes()
    box.setCurrentIndex(box.findData("tiff"))
    info = dialog.save(str(tmp_path / "typed.svg"))  # a suffix of another format names that format
    assert info is not None and info.fmt == "svg"
    document.close()


def test_dialog_says_when_the_figure_is_taller_than_a_page(qtbot, samples_dir) -> None:
    from caseline.ui.dialogs.export_dialog import ExportDialog

    document, tab = _tab(qtbot, samples_dir / "bortezomib-myeloma.caseline.yaml", (1000, 700))
    dialog = ExportDialog(tab)
    qtbot.addWidget(dialog)
    dialog.preset_box.setCurrentIndex(dialog.preset_box.findData("double"))
    dialog.update_preview()
    assert "taller than a journal page" in dialog.size_label.text()
    document.close()


def test_dialog_saves_settings_whose_command_makes_the_figure_again(qtbot, samples_dir, tmp_path) -> None:
    import json
    import os
    import shlex
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    from caseline.ui.dialogs.export_dialog import ExportDialog

    document, tab = _tab(qtbot, samples_dir / "infliximab-pyoderma.caseline.yaml", (1200, 800))
    tab.plot.set_time_range(-20.0, 160.0)
    dialog = ExportDialog(tab)
    qtbot.addWidget(dialog)
    dialog.preset_box.setCurrentIndex(dialog.preset_box.findData("single"))
    out = tmp_path / "window.png"
    info = dialog.save(str(out))
    assert info is not None
    settings = json.loads((tmp_path / "window.png.caseline-export.json").read_text(encoding="utf-8"))
    assert settings["inputs"] == [str(samples_dir / "infliximab-pyoderma.caseline.yaml")]
    assert settings["options"]["range"] == [-20.0, 160.0] and settings["options"]["width_mm"] == 85.0
    command = shlex.split(settings["command"])
    again = tmp_path / "again.png"
    command[command.index("-o") + 1] = str(again)
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "caseline", *command[1:]], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    first, second = QImage(str(out)), QImage(str(again))
    assert (first.width(), first.height()) == (second.width(), second.height())
    document.close()


def test_dialog_places_the_legend_and_remembers_the_choice(qtbot, samples_dir, tmp_path) -> None:
    import json

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QImage

    from caseline.render.figure import LEGEND_PLACEMENTS
    from caseline.ui.dialogs.export_dialog import ExportDialog

    document, tab = _tab(qtbot, samples_dir / "neurosarcoidosis-infliximab.caseline.yaml", (1000, 700))
    settings = QSettings(str(tmp_path / "caseline.ini"), QSettings.Format.IniFormat)
    dialog = ExportDialog(tab, settings=settings)
    qtbot.addWidget(dialog)
    box = dialog.legend_box
    assert [box.itemData(i) for i in range(box.count())] == list(LEGEND_PLACEMENTS)
    assert box.currentData() == "top" and dialog.request().legend == "top"  # today's figures by default
    dialog.preset_box.setCurrentIndex(dialog.preset_box.findData("single"))
    sizes = {}
    for legend in ("none", "bottom"):
        box.setCurrentIndex(box.findData(legend))
        assert dialog.request().legend == legend
        dialog.update_preview()
        out = tmp_path / f"{legend}.png"
        info = dialog.save(str(out))
        assert info is not None, dialog.last_error
        image = QImage(str(out))
        expected = render_figure(dialog.view(), dialog.request())  # what the preview shows
        assert (image.width(), image.height()) == (expected.width(), expected.height())
        sizes[legend] = image.height()
        saved = json.loads((tmp_path / f"{legend}.png.caseline-export.json").read_text(encoding="utf-8"))
        assert saved["options"]["legend"] == legend and f"--legend {legend}" in saved["command"]
    assert sizes["none"] < sizes["bottom"]
    settings.sync()
    again = ExportDialog(tab, settings=QSettings(str(tmp_path / "caseline.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.legend_box.currentData() == "bottom"  # the last export's choice
    document.close()
