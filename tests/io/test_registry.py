"""The reader registry: readers are found by content (a specialised reader claims a .json or .csv
before the case-file readers), non-files are refused before anything opens them, and the hints and
dialog filters come from the registry."""

from __future__ import annotations

import os
import shutil

import pytest

from caseline.io import registry
from caseline.model.diagnostics import UnreadableFile
from caseline.timeline.load import load_file
from standards_support import STANDARDS
from support import SAMPLES

TIMELINE = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tAGENT\nP1\t0\t10\tTREATMENT\tDrug X\n"


def test_case_files_go_to_the_case_readers() -> None:
    assert registry.find_reader(str(SAMPLES / "infliximab-pyoderma.caseline.yaml")).name == "caseline-yaml"
    assert registry.find_reader(str(SAMPLES / "infliximab-pyoderma.events.csv")).name == "caseline-csv"


def test_a_standard_file_is_claimed_by_content_and_opens_converted(tmp_path) -> None:
    path = tmp_path / "timeline.tsv"  # a .tsv: the events-table reader's suffix too
    path.write_text(TIMELINE, encoding="utf-8")
    assert registry.find_reader(str(path)).name == "cbioportal"
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert [c.case.id for c in result.cases] == ["patient-p1"]
    assert not [p for p in os.listdir(tmp_path) if p != "timeline.tsv"]  # opening writes nothing


@pytest.mark.skipif(not STANDARDS.exists(), reason="third-party test data not available")
def test_an_e2b_report_opens_directly(tmp_path) -> None:
    source = tmp_path / "report.xml"
    shutil.copy(STANDARDS / "e2b_r3" / "FAERS2022Scenario1.xml", source)
    result = load_file(source)
    assert result.ok, [str(d) for d in result.diagnostics]
    case = result.cases[0]
    assert case.case.suspect.drug, "the E2B suspect role names the suspected drug"


def test_a_fifo_is_refused_without_opening_it(tmp_path) -> None:
    fifo = tmp_path / "case.caseline.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="named pipe"):
        registry.read(str(fifo))
    found = registry.find_reader(str(fifo))  # returns at once: no identify opens a FIFO
    assert found is not None and found.name == "caseline-yaml"


def test_hints_and_filters_come_from_the_registry() -> None:
    labels = [r.label for r in registry.readers()]
    text = registry.supported_description()
    assert all(label in text for label in labels)
    assert "*.yaml" in registry.file_filter() and "*.xpt" in registry.file_filter()


def test_threads_reading_at_once_all_find_their_reader() -> None:
    """The window loads the files of a case set on worker threads at once: every thread must see the built-in
    readers, not a registry still being filled by another (seen: 'unknown file type (caseline reads )')."""
    import subprocess
    import sys

    script = (
        "import sys, threading\n"
        "from caseline.io import registry\n"
        "paths = sys.argv[1:]\n"
        "barrier = threading.Barrier(len(paths))\n"
        "found = []\n"
        "def work(p):\n"
        "    barrier.wait()\n"
        "    found.append(registry.find_reader(p))\n"
        "threads = [threading.Thread(target=work, args=(p,)) for p in paths]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(sum(r is not None for r in found), len(found))\n"
    )
    samples = sorted(str(p) for p in SAMPLES.glob("*.caseline.yaml")) * 2
    for _ in range(3):  # a fresh interpreter each time: the registry is filled on first use
        out = subprocess.run([sys.executable, "-c", script, *samples], capture_output=True, text=True, check=True)
        assert out.stdout.split() == [str(len(samples))] * 2, out.stdout + out.stderr
