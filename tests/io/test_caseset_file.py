"""Recognising case set files by their content."""

from __future__ import annotations

from caseline.io.caseset_file import is_caseset_file
from support import CASESET, INFLIXIMAB, SAMPLES


def test_caseset_detection():
    assert is_caseset_file(str(CASESET))
    assert not is_caseset_file(str(INFLIXIMAB))
    assert not is_caseset_file(str(SAMPLES / "infliximab-pyoderma.events.csv"))


def test_saving_over_a_hand_written_case_set_keeps_its_comments(tmp_path):
    import os

    from caseline.io.caseset_file import updated_caseset_text, written_by_caseline
    from caseline.io.registry import read

    source = SAMPLES / "drug-induced-neuropathy.caseset.yaml"
    text = source.read_text(encoding="utf-8")
    assert not written_by_caseline(text)
    target = tmp_path / "set.caseset.yaml"
    files = [(str(SAMPLES / "infliximab-pyoderma.caseline.yaml"), ()),
             (str(SAMPLES / "bortezomib-myeloma.caseline.yaml"), ("bz-mm", "bz-xu"))]
    out = updated_caseset_text(text, str(target), files, title="Neuropathy, re-aligned",
                               description="Aligned on the onset of the adverse reaction.", align="reaction-onset",
                               sort="latency", hidden_lanes=["Laboratory"], time_range=(-30.0, 120.5))
    # every comment line of the curator's file survives, in order
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in out.splitlines() if line.lstrip().startswith("#")] == comments
    target.write_text(out, encoding="utf-8")
    caseset = read(str(target)).caseset
    assert caseset is not None
    assert caseset.title == "Neuropathy, re-aligned"
    assert caseset.description.strip() == "Aligned on the onset of the adverse reaction."
    assert (caseset.align, caseset.sort) == ("reaction-onset", "latency")
    assert tuple(caseset.hidden_lanes) == ("Laboratory",)
    assert caseset.time_range == (-30.0, 120.5)
    entries = [(e.path, tuple(e.case_ids)) for e in caseset.entries]
    rel = os.path.relpath(SAMPLES, tmp_path).replace(os.sep, "/")
    assert entries == [(f"{rel}/infliximab-pyoderma.caseline.yaml", ()),
                       (f"{rel}/bortezomib-myeloma.caseline.yaml", ("bz-mm", "bz-xu"))]


def test_updating_with_the_same_view_changes_nothing(tmp_path):
    from caseline.io.caseset_file import updated_caseset_text

    source = SAMPLES / "drug-induced-neuropathy.caseset.yaml"
    text = source.read_text(encoding="utf-8")
    files = [(str(SAMPLES / "infliximab-pyoderma.caseline.yaml"), ()),
             (str(SAMPLES / "bortezomib-myeloma.caseline.yaml"), ())]
    same = updated_caseset_text(text, str(source), files, title="Drug-induced peripheral neuropathy",
                                description=("Neuropathy after infliximab (one case) and after bortezomib (the "
                                             "index case of a report and five literature cases from its "
                                             "discussion), aligned at the first suspected dose and sorted by "
                                             "latency to onset."),
                                align="first-suspect-dose", sort="latency")
    assert same == text


def test_a_file_that_is_not_a_case_set_is_refused(tmp_path):
    import pytest

    from caseline.io.caseset_file import updated_caseset_text

    with pytest.raises(ValueError):
        updated_caseset_text("caseline: 1\ncase: {id: x}\n", str(tmp_path / "x.yaml"), [], title="x")


def test_a_case_set_stores_its_layout(tmp_path):
    from caseline.io.caseset_file import caseset_text, expand_inputs, updated_caseset_text
    from caseline.io.registry import read

    files = [(str(SAMPLES / "infliximab-pyoderma.caseline.yaml"), ()),
             (str(SAMPLES / "bortezomib-myeloma.caseline.yaml"), ())]
    target = tmp_path / "swim.caseset.yaml"
    target.write_text(caseset_text(str(target), files, title="Swim", sort="latency", layout="swimmer"),
                      encoding="utf-8")
    caseset = read(str(target)).caseset
    assert caseset is not None and caseset.layout == "swimmer"
    assert expand_inputs([str(target)]).layout == "swimmer"
    # saving the lanes view over it states the default only because the file stated a layout
    text = target.read_text(encoding="utf-8")
    back = updated_caseset_text(text, str(target), files, title="Swim", sort="latency", layout="lanes")
    assert "layout: lanes" in back
    # the sample states none: a lanes view leaves it unstated
    sample = (SAMPLES / "drug-induced-neuropathy.caseset.yaml").read_text(encoding="utf-8")
    assert "layout" not in updated_caseset_text(sample, str(target), files, title="x", layout="lanes")
    assert read(str(SAMPLES / "drug-induced-neuropathy.caseset.yaml")).caseset.layout == "lanes"


def test_an_unknown_layout_is_an_error_with_its_place(tmp_path):
    from caseline.io.registry import read

    bad = tmp_path / "bad.caseset.yaml"
    bad.write_text("caseline: 1\ncaseset:\n  files: [a.caseline.yaml]\n  layout: spiral\n", encoding="utf-8")
    errors = [d for d in read(str(bad)).diagnostics if d.is_error]
    assert errors and "unknown layout 'spiral'" in str(errors[0]) and ":4:" in str(errors[0])
