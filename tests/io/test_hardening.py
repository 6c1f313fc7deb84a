"""Issue 11, reading: every input gets FILE:LINE:COL messages, never a hang, a runaway or a traceback.

Each example of the issue is a regression test here: what is not a regular file, the size limit kept
while reading, the work limits (administrations, events, text, times, hints), and every input that once
raised instead of giving a message (unicode digits, tagged YAML values, 4,300-digit integers, NaN years,
dates off the calendar, a ring of references, classic-Mac line ends). The last-resort guard of
``load_file`` is tested by making a reader raise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import caseline
from caseline.io import registry
from caseline.io.located import MAX_EVENTS, MAX_LABEL_CHARS, MAX_TEXT_CHARS, MAX_YAML_BYTES, read_text
from caseline.model.diagnostics import CaseFileError, UnreadableFile
from caseline.model.durations import MAX_TIME_CHARS
from caseline.timeline.load import LoadResult, load_file, load_inputs

HEAD = "caseline: 1\ncase:\n  id: c\n  title: T\n{extra}  events:\n"
DRUG = "    - {id: d, kind: drug, drug: x, schedule: {at: [day 0, day 7]}}\n"


def case_file(tmp_path: Path, events: str, extra: str = "", name: str = "case.caseline.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD.format(extra=extra) + events, encoding="utf-8")
    return path


def errors(result: LoadResult) -> list[str]:
    """The printed errors, after checking each names the file, a line and a column, and none is a bug."""
    assert not result.internal_error, [str(d) for d in result.diagnostics]
    found = [d for d in result.diagnostics if d.is_error]
    assert found, "expected an error"
    for diagnostic in found:
        assert diagnostic.pos.file == result.path
    return [str(d) for d in found]


def positioned(result: LoadResult) -> list[str]:
    """Errors that must carry a line and a column (content problems, not an unreadable file)."""
    found = errors(result)
    for diagnostic in result.errors:
        assert diagnostic.pos.line >= 1 and diagnostic.pos.col >= 1, str(diagnostic)
    return found


# --------------------------------------------------------------------------- not a regular file

@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "case.caseline.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("name", ["case.caseline.yaml", "events.csv", "case.caseline.json"])
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    os.mkfifo(path)
    result = load_file(path)
    assert result.unreadable and "named pipe (FIFO)" in str(result.diagnostics[0])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("name", ["zero.caseline.yaml", "zero.events.csv"])
def test_a_link_to_dev_zero_is_refused(tmp_path: Path, name: str) -> None:
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    result = load_file(link)
    assert result.unreadable and "is a device" in str(result.diagnostics[0])
    with pytest.raises(UnreadableFile):  # the reader's own entry checks the opened descriptor too
        read_text(str(link))


def test_a_folder_named_like_a_case_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "case.caseline.yaml"
    folder.mkdir()
    result = load_file(folder)
    assert result.unreadable and "folder" in str(result.diagnostics[0])


def test_peek_and_case_set_sniffing_do_not_block_on_a_fifo(fifo: Path) -> None:
    from caseline.io.caseset_file import is_caseset_file

    assert registry.peek(str(fifo)) == b""
    assert not is_caseset_file(str(fifo))


def test_a_case_set_that_lists_a_fifo_reports_it(tmp_path: Path, fifo: Path) -> None:
    caseset = tmp_path / "set.caseset.yaml"
    caseset.write_text(f"caseline: 1\ncaseset:\n  title: S\n  files: [{fifo.name}]\n", encoding="utf-8")
    loaded = load_inputs([str(caseset)])
    assert loaded.unreadable
    assert any("named pipe (FIFO)" in str(d) for d in loaded.diagnostics)


def test_reading_stops_at_the_size_limit(tmp_path: Path) -> None:
    """A 1 GiB (sparse) file is refused after reading at most the limit, naming the limit."""
    big = tmp_path / "big.events.csv"
    with open(big, "wb") as handle:
        handle.truncate(2**30)
    result = load_file(big)
    assert result.unreadable
    assert "larger than the 32 MiB caseline reads" in str(result.diagnostics[0])
    yaml_file = tmp_path / "big.caseline.yaml"
    yaml_file.write_bytes(b"caseline: 1\n" + b"# padding\n" * (MAX_YAML_BYTES // 10))
    assert "larger than the 20 MiB" in str(load_file(yaml_file).diagnostics[0])


def test_read_regular_never_reads_past_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a" * 5000)
    assert len(registry.read_regular(str(path), 100)) == 100


# --------------------------------------------------------------------------- work limits

def test_cycle_days_in_the_millions_are_refused(tmp_path: Path) -> None:
    path = case_file(tmp_path, "    - {id: d, kind: drug, drug: x, schedule: {cycles: {count: 2, length: 21 days, "
                               "days: 1-10000000}, start: day 0}}\n")
    assert any("more than 10,000" in e for e in positioned(load_file(path)))


def test_ten_thousand_cycles_of_five_days_hit_the_administration_cap(tmp_path: Path) -> None:
    path = case_file(tmp_path, "    - {id: d, kind: drug, drug: x, schedule: {cycles: {count: 10000, length: 21 days, "
                               "days: 1-5}, start: day 0}}\n")
    assert any("10,000" in e and "administrations" in e for e in positioned(load_file(path)))


def test_an_at_list_course_or_severity_of_more_than_10000_points_is_refused(tmp_path: Path) -> None:
    at_list = tmp_path / "at.events.csv"
    at_list.write_text("# caseline: 1\n# id: c\n# title: T\n# anchor: d#1\nid,kind,drug,schedule_at\nd,drug,x,"
                       + ";".join(f"day {i}" for i in range(10_001)) + "\n", encoding="utf-8")
    assert any("'at' lists 10,001 administrations, more than the 10,000" in e for e in positioned(load_file(at_list)))
    course = ", ".join(f"{{at: day {i}, state: improvement}}" for i in range(10_001))
    path = case_file(tmp_path, DRUG + f"    - {{id: s, kind: symptom, label: S, start: day 0, course: [{course}]}}\n",
                     "  anchor: d#1\n")
    assert any("'course' lists 10,001 points" in e for e in positioned(load_file(path)))


def test_schedules_of_a_file_are_capped_together(tmp_path: Path) -> None:
    schedule = "{every: 1 day, count: 10000, start: day 0}"
    events = "".join(f"    - {{id: d{i}, kind: drug, drug: x, schedule: {schedule}}}\n" for i in range(30))
    found = positioned(load_file(case_file(tmp_path, events, "  anchor: d0#1\n")))
    assert any("more than 250,000 points" in e for e in found)


@pytest.mark.parametrize("schedule", ["{every: 1 week, count: unknown, start: day 0}",
                                      "{cycles: {count: unknown, length: 21 days, days: 1-5}, start: day 0}"])
def test_a_reference_to_administration_999999_of_an_open_schedule_is_capped(tmp_path: Path, schedule: str) -> None:
    """An unstated count is as large as the highest ID#N referred to: capped at 10,000, not a million points."""
    events = f"    - {{id: d, kind: drug, drug: x, schedule: {schedule}}}\n" \
             "    - {id: a, kind: symptom, label: A, start: 2 days after d#999999}\n"
    found = positioned(load_file(case_file(tmp_path, events, "  anchor: d#1\n")))
    assert any("'d' has 10000" in e for e in found)


def test_thousands_of_unknown_references_get_messages_and_bounded_hints(tmp_path: Path) -> None:
    events = "    - {id: root, kind: symptom, label: R, start: day 0}\n" + "".join(
        f"    - {{id: ev{i}, kind: symptom, label: E, start: 1 day after ev{i}_x}}\n" for i in range(4000))
    found = positioned(load_file(case_file(tmp_path, events, "  anchor: root\n")))
    assert len(found) == 4000
    assert "did you mean" in found[0]
    assert "use the 'id' of an event in this case" in found[-1]  # past the budget of comparisons


def test_thousands_of_unknown_dechallenge_targets_get_messages(tmp_path: Path) -> None:
    events = DRUG + "".join(f"    - {{id: stop{i}, kind: dechallenge, target: zz{i}, at: day {i % 50}}}\n"
                            for i in range(4000))
    found = positioned(load_file(case_file(tmp_path, events, "  anchor: d#1\n")))
    assert sum("is not a drug or therapy event of this case" in e for e in found) == 4000


def test_a_ten_megabyte_label_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = case_file(tmp_path, "    - {id: a, kind: symptom, label: " + "x" * 10_000_000 + ", start: day 3}\n")
    found = positioned(load_file(path))
    assert any(f"'label' is 10,000,000 characters long, more than the {MAX_LABEL_CHARS:,} it may have" in e
               for e in found)
    assert len(found) == 1  # no second message for the label the first one cut


def test_a_long_note_is_fine_up_to_the_text_limit(tmp_path: Path) -> None:
    fine = case_file(tmp_path, DRUG + "    - {id: a, kind: symptom, label: A, start: day 3, note: "
                     + "x" * MAX_TEXT_CHARS + "}\n", "  anchor: d#1\n")
    assert load_file(fine).ok
    long = case_file(tmp_path, DRUG + "    - {id: a, kind: symptom, label: A, start: day 3, note: "
                     + "x" * (MAX_TEXT_CHARS + 1) + "}\n", "  anchor: d#1\n", name="long.caseline.yaml")
    assert any(f"more than the {MAX_TEXT_CHARS:,} it may have" in e for e in positioned(load_file(long)))


def test_a_megabyte_duration_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = case_file(tmp_path, "    - {id: a, kind: symptom, label: A, start: day 3, duration: "
                     + "1 " * 900_000 + "days}\n")
    assert any(f"more than the {MAX_TIME_CHARS} a duration may have" in e for e in positioned(load_file(path)))


def test_a_file_of_too_many_yaml_events_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    events = "".join(f"    - {{id: e{i}, kind: symptom, label: A, start: day 1}}\n" for i in range(MAX_EVENTS + 1))
    result = load_file(case_file(tmp_path, events))
    assert result.unreadable
    assert f"more than the {MAX_EVENTS:,} caseline reads from one file" in str(result.diagnostics[0])


def test_a_table_of_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.events.csv"
    path.write_text("# caseline: 1\n# id: c\n# title: T\nid,kind,label,start\n"
                    + "".join(f"e{i},symptom,A,day 1\n" for i in range(MAX_EVENTS + 1)), encoding="utf-8")
    result = load_file(path)
    assert result.unreadable
    assert f"{MAX_EVENTS + 1:,} events, more than the {MAX_EVENTS:,}" in str(result.diagnostics[0])
    assert result.diagnostics[0].pos.line == 5


def test_several_cases_count_together_against_the_event_limit() -> None:
    """The builder's own count (composing 100,000 YAML events would be slow for a test): two cases of
    MAX_EVENTS/2 + 1 located events each."""
    from caseline.io.case_document import build_document
    from caseline.io.located import LList, LMap
    from caseline.model.diagnostics import SourcePos

    def case(k: int) -> LMap:
        m = LMap(SourcePos("x.yaml", 2 + k, 1))
        m["id"], m["title"] = f"c{k}", "T"
        events = LList(SourcePos("x.yaml", 3 + k, 1))
        events.extend([None] * (MAX_EVENTS // 2 + 1))
        m["events"] = events
        return m

    top = LMap(SourcePos("x.yaml", 1, 1))
    top["caseline"] = 1
    cases = LList(SourcePos("x.yaml", 2, 1))
    cases.extend([case(0), case(1)])
    top["cases"] = cases
    _, _, diagnostics = build_document("x.yaml", top)
    assert any(f"more than the {MAX_EVENTS:,}" in str(d) for d in diagnostics)


# --------------------------------------------------------------------------- tracebacks that are messages now

UNICODE_DIGIT_TIMES = ["February ²", "14 February ²٣", "early ①", "2010-0²-14", "day ²", "2 weeks after d#²",
                       "dose ① of d", "day ٣ 1²:00", "٢٠١٠-٠٢-١٤ and"]


@pytest.mark.parametrize("time", UNICODE_DIGIT_TIMES)
def test_unicode_digits_in_times_give_messages(tmp_path: Path, time: str) -> None:
    path = case_file(tmp_path, DRUG + f"    - {{id: a, kind: symptom, label: A, start: '{time}'}}\n",
                     "  anchor: d#1\n")
    positioned(load_file(path))


def test_arabic_indic_digits_read_as_digits(tmp_path: Path) -> None:
    """Python's int() reads other scripts' decimal digits; caseline does too (only '²', '①' are not digits)."""
    path = case_file(tmp_path, DRUG + "    - {id: a, kind: symptom, label: A, start: day ٣}\n", "  anchor: d#1\n")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]


@pytest.mark.parametrize("cells", [
    ("count", "²"), ("count", "①"), ("cycles", "²"), ("cycle_days", "①"), ("cycle_days", "1;²;3"),
    ("count", "9" * 5000), ("cycles", "9" * 5000), ("cycle_days", "9" * 5000),
])
def test_unicode_digits_and_huge_numbers_in_csv_cells_give_messages(tmp_path: Path, cells: tuple[str, str]) -> None:
    column, value = cells
    schedule = {"count": "every,count,schedule_start\nd,drug,x,1 week,{v},day 0\n",
                "cycles": "cycles,cycle_length,cycle_days,schedule_start\nd,drug,x,{v},21 days,1,day 0\n",
                "cycle_days": "cycles,cycle_length,cycle_days,schedule_start\nd,drug,x,2,21 days,{v},day 0\n"}[column]
    path = tmp_path / "t.events.csv"
    path.write_text("# caseline: 1\n# id: c\n# title: T\n# anchor: d#1\nid,kind,drug," + schedule.format(v=value),
                    encoding="utf-8")
    positioned(load_file(path))


@pytest.mark.parametrize("age", ["²", "①8", "٣٨"])
def test_unicode_digits_in_ages_do_not_raise(tmp_path: Path, age: str) -> None:
    path = case_file(tmp_path, DRUG, f"  anchor: d#1\n  patient: {{age: '{age}', sex: female}}\n")
    result = load_file(path)
    assert not result.internal_error and result.ok
    csv_path = tmp_path / "a.events.csv"
    csv_path.write_text(f"# caseline: 1\n# id: c\n# title: T\n# patient_age: {age}\nid,kind,label,start\n"
                        "a,symptom,A,day 3\n", encoding="utf-8")
    assert not load_file(csv_path).internal_error


@pytest.mark.parametrize(("value", "message"), [
    ("!!float r", "'r' is not a number"),
    ("!!int ''", "'' is not a whole number"),
    ("!!bool r", "'r' is not true or false"),
    ("!!int 12x", "'12x' is not a whole number"),
])
def test_explicit_yaml_tags_with_bad_values_give_messages(tmp_path: Path, value: str, message: str) -> None:
    path = case_file(tmp_path, f"    - {{id: d, kind: drug, drug: x, dose: {value}, start: day 0}}\n",
                     "  anchor: d\n")
    found = positioned(load_file(path))
    assert any(message in e and ":7:42:" in e for e in found), found


def test_integers_over_4300_digits_give_messages(tmp_path: Path) -> None:
    digits = "9" * 5000
    yaml_path = case_file(tmp_path, f"    - {{id: d, kind: drug, drug: x, dose: {digits}, start: day 0}}\n")
    assert any("5,000 digits" in e for e in positioned(load_file(yaml_path)))
    json_path = tmp_path / "c.caseline.json"
    json_path.write_text('{"caseline": 1, "case": {"id": "c", "title": "T", "events": [{"id": "d", "kind": "drug", '
                         f'"drug": "x", "dose": {digits}, "start": "day 0"}}]}}}}', encoding="utf-8")
    assert any("5,000 digits" in e and ":1:" in e for e in positioned(load_file(json_path)))
    ref_path = case_file(tmp_path, DRUG + f"    - {{id: a, kind: symptom, label: A, start: 2 days after d#{digits}}}\n",
                         name="ref.caseline.yaml")
    assert positioned(load_file(ref_path))
    short_ref = case_file(tmp_path, DRUG + "    - {id: a, kind: symptom, label: A, start: d#99999999999}\n",
                          name="short.caseline.yaml")
    assert any("administration number 99999999999" in e for e in positioned(load_file(short_ref)))


@pytest.mark.parametrize("year", ["nan", ".nan", "1e999", ".inf", "-.inf", "2004.5", "99999", "²"])
def test_citation_years_that_are_not_years_give_messages(tmp_path: Path, year: str) -> None:
    path = case_file(tmp_path, DRUG, f"  anchor: d#1\n  citation: {{year: {year}}}\n")
    assert any("'year'" in e for e in positioned(load_file(path)))


@pytest.mark.parametrize(("anchor", "offset"), [
    ("2200-01-01", "after"), ("1800-01-01", "before"),
])
def test_dates_off_the_calendar_give_messages(tmp_path: Path, anchor: str, offset: str) -> None:
    events = "    - {id: e0, kind: symptom, label: A, start: day 0}\n" + "".join(
        f"    - {{id: e{i}, kind: symptom, label: B, start: 999 years {offset} e{i - 1}}}\n" for i in range(1, 10))
    found = positioned(load_file(case_file(tmp_path, events, f"  anchor_date: {anchor}\n")))
    assert any("falls outside the calendar caseline can show (years 1 to 9999)" in e for e in found)


def test_a_single_time_of_millions_of_days_is_refused(tmp_path: Path) -> None:
    events = "    - {id: a, kind: symptom, label: A, start: day 0}\n" \
             "    - {id: b, kind: symptom, label: B, start: 3000000 days after a}\n"
    found = positioned(load_file(case_file(tmp_path, events, "  anchor_date: 2200-01-01\n")))
    assert any("longer than 1,000 years" in e for e in found)


def test_a_ring_of_160_events_timed_from_the_next_is_circular(tmp_path: Path) -> None:
    events = "".join(f"    - {{id: e{i}, kind: symptom, label: E, start: 1 day after e{(i + 1) % 160}}}\n"
                     for i in range(160))
    found = positioned(load_file(case_file(tmp_path, events, "  anchor_date: 2020-01-01\n")))
    assert any("circular time references" in e for e in found)


def test_a_chain_of_3000_events_resolves(tmp_path: Path) -> None:
    events = "    - {id: e0, kind: symptom, label: E, start: day 0}\n" + "".join(
        f"    - {{id: e{i}, kind: symptom, label: E, start: 1 day after e{i - 1}}}\n" for i in range(1, 3000))
    result = load_file(case_file(tmp_path, events, "  anchor: e0\n"))
    assert result.ok and result.cases[0].items[-1].start is not None


@pytest.mark.parametrize("ends", ["\r", "\r\n"])
def test_classic_mac_and_windows_line_ends_in_csv(tmp_path: Path, ends: str) -> None:
    path = tmp_path / "mac.events.csv"
    lines = ["# caseline: 1", "# id: c", "# title: T", "# anchor: a", "id,kind,label,start", "a,symptom,A,day 0",
             "b,symptom,B,2 days after zz"]
    path.write_bytes(ends.join(lines).encode())
    found = positioned(load_file(path))
    assert found == [f"{path}:7:13: '2 days after zz' refers to an event 'zz' that does not exist "
                     "(use the 'id' of an event in this case)"]


def test_two_carriage_returns_are_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "cr.events.csv"
    path.write_bytes(b"\r\r")
    assert "file is empty" in str(load_file(path).diagnostics[0])


def test_a_day_zero_bounded_on_one_side_only(tmp_path: Path) -> None:
    """Found by fuzzing (seed 2, input 95): the anchor's calendar precision of an unbounded range raised."""
    events = DRUG + "    - {id: steroids, kind: drug, drug: pred, start: 2010-01-01}\n"
    path = case_file(tmp_path, events, "  anchor: between shortly after steroids and 14 February 2010\n")
    result = load_file(path)
    assert not result.internal_error, [str(d) for d in result.diagnostics]


# --------------------------------------------------------------------------- the last-resort guard

@pytest.mark.parametrize("error", [RuntimeError("boom"), RecursionError(), MemoryError(), KeyError("k")])
def test_a_reader_that_raises_becomes_an_internal_error_diagnostic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    path = case_file(tmp_path, DRUG)
    found = registry.find_reader(str(path))
    assert found is not None

    def broken(_path: str) -> registry.ReadResult:
        raise error

    monkeypatch.setitem(registry._READERS, found.name, found.__class__(
        found.name, found.label, found.patterns, broken, found.identify, found.priority, found.accepts_directories))
    result = load_file(path)
    assert result.internal_error and result.unreadable and not result.ok
    (diagnostic,) = result.diagnostics
    assert diagnostic.pos.file == str(path)
    assert "internal error, please report" in diagnostic.message
    assert type(error).__name__ in diagnostic.message
    with pytest.raises(CaseFileError, match="internal error"):
        caseline.load(path)


def test_the_resolver_raising_is_caught_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseline.timeline.load as load_module

    def broken(_case: object) -> object:
        raise ValueError("resolver bug")

    monkeypatch.setattr(load_module, "resolve_case", broken)
    result = load_file(case_file(tmp_path, DRUG))
    assert result.internal_error and "resolver bug" in result.diagnostics[0].message


def test_a_case_set_whose_reading_raises_is_reported_by_its_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    caseset = tmp_path / "set.caseset.yaml"
    caseset.write_text("caseline: 1\ncaseset:\n  title: S\n  files: [a.caseline.yaml]\n", encoding="utf-8")
    real: Callable[[str], registry.ReadResult] = registry.read

    def flaky(path: str) -> registry.ReadResult:
        if path.endswith(".caseset.yaml"):
            raise RuntimeError("sniffing bug")
        return real(path)

    monkeypatch.setattr(registry, "read", flaky)
    loaded = load_inputs([str(caseset)])
    assert loaded.internal_error
    assert any("internal error, please report" in str(d) for d in loaded.diagnostics)
