"""``caseline export`` as a real subprocess, with no display."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from support import MM_PER_PT, pdf_media_box, svg_texts


def clean_env() -> dict[str, str]:
    """No DISPLAY, no QT_QPA_PLATFORM, no HOME: what a cron job or a CI step has."""
    return {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=clean_env(),
                          capture_output=True, text=True, timeout=120)


def test_cli_exports_a_case_set_without_a_display(samples_dir, tmp_path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "set.png"
    done = run_cli(str(samples_dir / "drug-induced-neuropathy.caseset.yaml"), "--align", "first-suspect-dose",
                   "--width-mm", "85", "--dpi", "200", "--caption", "auto", "-o", str(out))
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() == round(85 / 25.4 * 200)
    assert image.dotsPerMeterX() == pytest.approx(200 / 0.0254, abs=1)


def test_cli_svg_and_pdf(samples_dir, tmp_path) -> None:
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    svg = tmp_path / "f.svg"
    pdf = tmp_path / "f.pdf"
    assert run_cli(case, "-o", str(svg), "--preset", "single", "--axis", "weeks").returncode == 0
    assert run_cli(case, "-o", str(pdf), "--width-mm", "120", "--height-mm", "60",
                   "--range", "-5", "30", "--title", "Figure 1").returncode == 0
    strings = {t.strip() for t, *_ in svg_texts(ET.parse(svg).getroot())}
    assert "Weeks since first infliximab infusion" in strings
    x0, y0, x1, y1 = pdf_media_box(pdf.read_bytes())
    assert ((x1 - x0) * MM_PER_PT, (y1 - y0) * MM_PER_PT) == (pytest.approx(120, abs=0.2), pytest.approx(60, abs=0.2))


def test_cli_invalid_case_file_exits_1_with_file_line_col(samples_dir, tmp_path) -> None:
    bad = tmp_path / "bad.caseline.yaml"
    text = (samples_dir / "neurosarcoidosis-infliximab.caseline.yaml").read_text(encoding="utf-8")
    assert "kind: symptom" in text
    bad.write_text(text.replace("kind: symptom", "kind: symptomm", 1), encoding="utf-8")
    out = tmp_path / "f.png"
    out.write_bytes(b"keep me")
    done = run_cli(str(bad), "-o", str(out))
    assert done.returncode == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+", done.stderr), done.stderr
    assert out.read_bytes() == b"keep me"


def test_cli_unreadable_and_bad_requests(tmp_path, samples_dir) -> None:
    out = tmp_path / "f.png"
    missing = run_cli(str(tmp_path / "missing.caseline.yaml"), "-o", str(out))
    assert missing.returncode == 2
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    too_small = run_cli(case, "-o", str(out), "--width-px", "5")
    assert too_small.returncode == 3 and "too small" in too_small.stderr
    assert run_cli(case, "-o", str(tmp_path / "f.bmp")).returncode == 2
    assert run_cli(case, "-o", str(tmp_path / "nowhere" / "f.png")).returncode == 3
    assert run_cli(case, "-o", str(out), "--align", "sideways").returncode == 2
    assert not out.exists()
    assert os.listdir(tmp_path) == []
