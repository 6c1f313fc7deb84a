"""``caseline export --deidentified`` (figures and ``--reveal-steps`` slides) as a real subprocess: what it
writes holds none of the identifying details of tests/fixtures/identifying.caseline.yaml; and when the
case cannot be de-identified, nothing is written and the command says why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IDENTIFYING = FIXTURES / "identifying.caseline.yaml"


def forbidden_strings() -> list[str]:
    lines = (FIXTURES / "identifying_strings.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def leaks(text: str) -> list[str]:
    flat = " ".join(text.split()).casefold()
    return [s for s in forbidden_strings() if re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", flat)]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def readable_text(path: Path) -> str:
    """What a reader of the file can get as text: SVG source, PDF text and metadata (decompressed)."""
    from render.test_deidentified_export import output_text

    return output_text(path)


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_export_deidentified_writes_no_identifying_detail(tmp_path, suffix) -> None:
    out = tmp_path / f"figure{suffix}"
    done = run_cli(str(IDENTIFYING), "--deidentified", "--caption", "auto", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert leaks(readable_text(out)) == []
    assert leaks(done.stderr) == []  # nor in what it prints
    if suffix == ".svg":
        plain = tmp_path / "identified.svg"
        assert run_cli(str(IDENTIFYING), "--caption", "auto", "-o", str(plain)).returncode == 0
        assert "Quistorp" in plain.read_text(encoding="utf-8")  # without the flag they are there


def test_reveal_steps_deidentified(tmp_path) -> None:
    deck = tmp_path / "deck"
    done = run_cli(str(IDENTIFYING), "--deidentified", "--reveal-steps", str(deck), "--width-px", "960",
                   "--height-px", "540")
    assert done.returncode == 0, done.stderr
    slides = sorted(deck.glob("step-*.png"))
    assert slides
    for slide in slides:
        assert leaks(readable_text(slide)) == []


def test_a_case_that_cannot_be_de_identified_is_refused_with_a_message(tmp_path, monkeypatch, capsys) -> None:
    from caseline.analysis import deidentify as deid
    from caseline.cli import main

    def broken(case):
        raise deid.DeidentifyError(f"case {case.id}: could not be de-identified (an age in unreadable digits)")

    monkeypatch.setattr(deid, "deidentify_case", broken)
    out = tmp_path / "figure.svg"
    assert main(["export", str(IDENTIFYING), "--deidentified", "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "de-identified view cannot be shown" in err and "Traceback" not in err
    assert not out.exists()
    deck = tmp_path / "deck"
    assert main(["export", str(IDENTIFYING), "--deidentified", "--reveal-steps", str(deck)]) == 3
    assert not list(deck.glob("*.png")) if deck.exists() else True


def run_table(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "caseline", "table", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_table_deidentified_csv_has_no_identifying_detail(tmp_path) -> None:
    import csv
    import io

    plain = run_table(str(IDENTIFYING))
    assert plain.returncode == 0 and "2010-02-14" in plain.stdout  # the identified table has dates
    done = run_table(str(IDENTIFYING), "--deidentified")
    assert done.returncode == 0, done.stderr
    assert leaks(done.stdout) == []
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and all(row["start_date"] == row["end_date"] == "" for row in rows)
    assert {row["lane"] for row in rows} >= {"Milestone (withheld)", "Vancomycin"}
    out = tmp_path / "table.csv"
    assert run_table(str(IDENTIFYING), "--deidentified", "-o", str(out)).returncode == 0
    assert leaks(out.read_text(encoding="utf-8")) == []


def test_table_refuses_a_case_that_cannot_be_de_identified(tmp_path, monkeypatch, capsys) -> None:
    from caseline.analysis import deidentify as deid
    from caseline.cli import main

    def broken(case):
        raise deid.DeidentifyError(f"case {case.id}: could not be de-identified (test)")

    monkeypatch.setattr(deid, "deidentify_case", broken)
    out = tmp_path / "table.csv"
    assert main(["table", str(IDENTIFYING), "--deidentified", "-o", str(out)]) == 3
    captured = capsys.readouterr()
    assert "could not be de-identified" in captured.err and not out.exists() and captured.out == ""


def test_an_age_in_digits_python_cannot_read_is_withheld_not_a_traceback(tmp_path) -> None:
    """'①'.isdigit() is True and int('①') raises: once a traceback from the de-identified export."""
    case = tmp_path / "age.caseline.yaml"
    case.write_text(IDENTIFYING.read_text(encoding="utf-8").replace("    age: 95", '    age: "①"'), encoding="utf-8")
    out = tmp_path / "figure.svg"
    done = run_cli(str(case), "--deidentified", "-o", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert leaks(readable_text(out)) == []
    table = run_table(str(case), "--deidentified")
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
