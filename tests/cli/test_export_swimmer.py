"""``caseline export --layout swimmer`` and the focus on the story, as real subprocesses and real files."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from support import CASESET, INFLIXIMAB, MM_PER_PT, pdf_media_box, svg_texts


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=env,
                          capture_output=True, text=True, timeout=120)


#: The latency of each case of the set as the swimmer labels it (the comparison table's wording).
LATENCIES = {"56 d", "63-119 d", "≥ 15 d", "≥ 0 d"}


def test_swimmer_pdf_of_the_case_set_fits_half_a_page(tmp_path) -> None:
    out = tmp_path / "s.pdf"
    done = run_cli(str(CASESET), "--layout", "swimmer", "-o", str(out), "--width-mm", "174")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    box = pdf_media_box(out.read_bytes())
    width_mm, height_mm = (box[2] - box[0]) * MM_PER_PT, (box[3] - box[1]) * MM_PER_PT
    assert abs(width_mm - 174) < 0.5
    assert height_mm <= 120, f"{height_mm:.0f} mm"


def test_swimmer_svg_names_every_case_and_its_latency(tmp_path) -> None:
    for width in ("85", "174"):
        out = tmp_path / f"s{width}.svg"
        done = run_cli(str(CASESET), "--layout", "swimmer", "-o", str(out), "--width-mm", width)
        assert done.returncode == 0, done.stderr
        texts = [t for t, *_ in svg_texts(ET.parse(out).getroot())]
        joined = "\n".join(texts)
        for latency in LATENCIES:
            assert latency in texts or f" {latency}" in joined, f"{width} mm: latency {latency!r} not in the figure"
        # seven rows: ≥ 0 d four times, and every author named at the left
        assert sum(t.strip().endswith("≥ 0 d") for t in texts) >= 4
        for author in ("Jeter", "Xu", "Mauermann", "Saifee", "Schmitt"):
            assert any(t.startswith(author) for t in texts), f"{width} mm: no row for {author}"
        legend = joined.replace("\xa0", " ")
        assert "latency from first dose" in legend and "rescue therapy" in legend, "the legend says what marks mean"


def test_default_window_focuses_on_the_story_and_marks_earlier_history(tmp_path) -> None:
    out = tmp_path / "i.svg"
    done = run_cli(str(INFLIXIMAB), "-o", str(out), "--width-mm", "174")
    assert done.returncode == 0, done.stderr
    texts = [t for t, *_ in svg_texts(ET.parse(out).getroot())]
    marker = [t for t in texts if "earlier event" in t]
    assert marker, "history before the first dose is marked, not cut silently"
    assert "from day \N{MINUS SIGN}3" in marker[0], marker  # the diagnosis, 325 days before the first dose
    ticks = [int(t) for t in texts if t.lstrip("-").isdigit()]
    assert min(ticks) >= -20 and max(ticks) <= 170, f"axis {min(ticks)}..{max(ticks)}: not the story's window"
    # --range still wins: the whole history, no marker
    out2 = tmp_path / "all.svg"
    done = run_cli(str(INFLIXIMAB), "-o", str(out2), "--width-mm", "174", "--range", "-340", "160")
    assert done.returncode == 0, done.stderr
    texts = [t for t, *_ in svg_texts(ET.parse(out2).getroot())]
    assert not any("earlier event" in t for t in texts)
    assert min(int(t) for t in texts if t.lstrip("-").isdigit()) <= -300


def test_a_case_set_saved_as_a_swimmer_exports_as_one(tmp_path) -> None:
    folder = CASESET.parent
    saved = tmp_path / "swim.caseset.yaml"
    saved.write_text("caseline: 1\ncaseset:\n  title: Swim\n  files:\n"
                     f"    - {folder / 'infliximab-pyoderma.caseline.yaml'}\n"
                     f"    - {folder / 'bortezomib-myeloma.caseline.yaml'}\n"
                     "  layout: swimmer\n", encoding="utf-8")
    out = tmp_path / "swim.svg"
    done = run_cli(str(saved), "-o", str(out), "--width-mm", "174")
    assert done.returncode == 0, done.stderr
    texts = [t for t, *_ in svg_texts(ET.parse(out).getroot())]
    assert "63-119 d" in texts and any(t.startswith("Jeter") for t in texts), "one row per case"
    lanes = tmp_path / "lanes.svg"
    done = run_cli(str(saved), "--layout", "lanes", "-o", str(lanes), "--width-mm", "174")
    assert done.returncode == 0, done.stderr
    texts = [t for t, *_ in svg_texts(ET.parse(lanes).getroot())]
    assert "Bortezomib" in texts or any(t.startswith("Nerve conduction") for t in texts), "--layout wins"
