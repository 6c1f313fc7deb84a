"""``caseline causality`` and ``caseline table --compare --summary`` from a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd

from caseline.analysis.causality_report import TABLE_COLUMNS
from caseline.analysis.onset_summary import SUMMARY_COLUMNS
from support import CASESET, INFLIXIMAB


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_causality_text_of_the_infliximab_case() -> None:
    done = run("causality", str(INFLIXIMAB))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "infliximab - Weakness of arms and legs" in out
    assert "Latency from the first dose: 56 d; from the last dose before onset: 14 d" in out
    assert "Dechallenge: confounded: the reaction improved after the stop, but IVIG was started" in out
    for number in range(1, 11):
        assert f"{number:>3}. " in out, number
    assert "rests on: Neurological exam (at presentation of weakness); EMG (not dated)" in out
    assert "Naranjo total: 3 (possible)" in out
    assert "WHO-UMC: possible; criteria met: plausible time relationship" in out
    assert "Reported: Naranjo 7" in out and "computed: Naranjo 3 (possible)" in out
    assert "DIFFERENCE: reported Naranjo 7 (probable), computed 3 (possible)" in out
    assert "aid to a clinician's judgement" in out


def test_causality_csv_and_json(tmp_path) -> None:
    out = tmp_path / "causality.csv"
    done = run("causality", "--format", "csv", "-o", str(out), str(CASESET))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert list(frame.columns) == TABLE_COLUMNS
    assert len(frame) == 7
    ifx = frame[frame["case"] == "ifx-pg"].iloc[0]
    assert (ifx["latency min (days)"], ifx["latency best (days)"], ifx["latency max (days)"]) == (56, 56, 56)
    assert ifx["Naranjo total"] == 3 and ifx["dechallenge"] == "confounded"
    assert ifx["Q10 confirmed_by_objective_evidence"] == "Yes (+1)"
    done = run("causality", "--format", "json", str(INFLIXIMAB))
    assert done.returncode == 0, done.stderr
    pair = json.loads(done.stdout)["pairs"][0]
    assert pair["naranjo"]["total"] == 3 and pair["who_umc"]["category"] == "possible"
    assert [e["id"] for e in pair["naranjo"]["items"][9]["evidence"]] == ["exam", "emg"]
    assert pair["reported"][0]["value"] == "7"


def test_causality_refuses_to_overwrite_its_input_and_reports_bad_files(tmp_path) -> None:
    done = run("causality", "-o", str(INFLIXIMAB), str(INFLIXIMAB))
    assert done.returncode == 2 and "input file" in done.stderr
    bad = tmp_path / "bad.caseline.yaml"
    bad.write_text("caseline: 1\ncase: {id: x}\n", encoding="utf-8")
    done = run("causality", str(bad))
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_table_compare_summary_has_numeric_bounds() -> None:
    done = run("table", "--compare", "--summary", str(CASESET))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout))
    assert list(frame.columns) == SUMMARY_COLUMNS
    for column in ("min (days)", "best (days)", "max (days)"):
        assert pd.api.types.is_numeric_dtype(frame[column]), column
    fit = frame[(frame["statistic"] == "Turnbull median") & (frame["latency from"] == "first dose")].iloc[0]
    assert (fit["min (days)"], fit["max (days)"]) == (56, 63) and "Turnbull" in fit["method"]
    assert run("table", "--summary", str(CASESET)).returncode == 2


def test_swimmer_figure_caption_gives_the_time_to_onset(tmp_path) -> None:
    import os
    import xml.etree.ElementTree as ET

    from support import svg_texts

    out = tmp_path / "swimmer.svg"
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "caseline", "export", str(CASESET), "--layout", "swimmer",
                           "--caption", "onset", "--width-mm", "174", "-o", str(out), "--no-settings-file"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    caption = " ".join(t for t, *_ in svg_texts(ET.parse(out).getroot())).replace("\xa0", " ")
    assert "Time to onset from the first dose (7 of 7 cases)" in caption
    assert "Turnbull median 56-63 d" in caption
