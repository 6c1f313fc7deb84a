"""``caseline export --legend {top,bottom,none}`` as a real subprocess: the size asked, the choice saved in the
settings file, and its command making the same figure again."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

from support import svg_texts


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``caseline export ARGS`` with no display, as tests/cli/test_export.py runs it."""
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_command_offers_the_renderers_placements() -> None:
    from caseline.cli.export import LEGEND_PLACEMENTS as CLI_PLACEMENTS
    from caseline.render.figure import LEGEND_PLACEMENTS

    assert CLI_PLACEMENTS == LEGEND_PLACEMENTS == ("top", "bottom", "none")


def test_each_placement_keeps_the_size_and_is_saved_with_the_figure(samples_dir, tmp_path) -> None:
    from PySide6.QtGui import QImage

    case = str(samples_dir / "crps-infliximab.caseline.yaml")
    heights = {}
    for legend in ("top", "bottom", "none"):
        out = tmp_path / f"{legend}.png"
        done = run_cli(case, "-o", str(out), "--width-mm", "85", "--height-mm", "200", "--caption", "auto",
                       "--legend", legend)
        assert done.returncode == 0, done.stderr
        image = QImage(str(out))
        assert (image.width(), image.height()) == (round(85 / 25.4 * 300), round(200 / 25.4 * 300))
        settings = json.loads((tmp_path / f"{legend}.png.caseline-export.json").read_text(encoding="utf-8"))
        assert settings["options"]["legend"] == legend
        command = shlex.split(settings["command"])
        # the default needs no option; the others are said, and the command makes the same figure again
        assert ("--legend" in command) == (legend != "top")
        if legend != "top":
            assert command[command.index("--legend") + 1] == legend
            again = tmp_path / f"again-{legend}.png"
            command[command.index("-o") + 1] = str(again)
            done = run_cli(*command[2:])
            assert done.returncode == 0, done.stderr
            assert again.read_bytes() == out.read_bytes()
        # as tall as the content needs (no --height-mm): no legend is the shortest figure
        free = tmp_path / f"free-{legend}.png"
        assert run_cli(case, "-o", str(free), "--width-mm", "85", "--legend", legend).returncode == 0
        heights[legend] = QImage(str(free)).height()
    assert heights["none"] < min(heights["top"], heights["bottom"])


def test_vector_formats_and_a_wrong_placement(samples_dir, tmp_path) -> None:
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    for legend in ("bottom", "none"):
        svg = tmp_path / f"{legend}.svg"
        assert run_cli(case, "-o", str(svg), "--preset", "single", "--legend", legend).returncode == 0
        texts = " ".join(" ".join(t.split()) for t, *_ in svg_texts(ET.parse(svg).getroot()))
        assert ("uncertain time" in texts) == (legend == "bottom"), texts
        pdf = tmp_path / f"{legend}.pdf"
        assert run_cli(case, "-o", str(pdf), "--preset", "double", "--legend", legend).returncode == 0
        assert pdf.read_bytes().startswith(b"%PDF")
    done = run_cli(case, "-o", str(tmp_path / "f.png"), "--legend", "left")
    assert done.returncode == 2 and "--legend" in done.stderr
    assert not (tmp_path / "f.png").exists()
