"""The CSV/TSV events table reader: metadata, columns, schedules, positions of every problem."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from caseline.io.csv_reader import KNOWN_COLUMNS, read_events_table
from caseline.model import Category, Cycles, DrugRole, Repeat
from caseline.model.case import AtList
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ItemRole

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cases"


def write(tmp_path: Path, text: str, name: str = "t.events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(d) for d in load_file(path).diagnostics]


def test_sample_reads_like_the_yaml() -> None:
    read = read_events_table(str(SAMPLES / "infliximab-pyoderma.events.csv"))
    cases, caseset, diagnostics = read.cases, read.caseset, read.diagnostics
    assert caseset is None and not diagnostics
    (case,) = cases
    assert case.id == "ifx-pg" and case.title.startswith("Motor polyneuropathy")
    assert case.suspect.drug == "ifx" and case.suspect.reaction_event == "weakness"
    assert case.patient.age == "38" and case.patient.sex == "female"
    assert case.citation.doi == "10.4274/turkderm.galenos.2018.70437"
    ifx = case.event("ifx")
    assert ifx is not None and ifx.role is DrugRole.SUSPECTED and ifx.category is Category.SUSPECT
    assert isinstance(ifx.schedule, AtList) and [t.text for t in ifx.schedule.times] == ["week 0", "week 2",
                                                                                           "week 6"]
    assert ifx.dose == 5 and ifx.unit == "mg/kg"
    ivig = case.event("ivig")
    assert ivig is not None and isinstance(ivig.schedule, Cycles)
    assert ivig.schedule.count == 2 and ivig.schedule.days == (1, 2, 3, 4, 5)
    weakness = case.event("weakness")
    assert weakness is not None and weakness.start is not None
    assert weakness.start.stated == "two weeks after the third dose"
    assert weakness.course and weakness.course[0].state.value == "improvement"
    assert weakness.source.section == "Case Report" and weakness.source.paragraph == "1"


def test_positions_of_events_and_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "# title: T\nid,kind,label,start\n\nd,drug,Drug,day 0\ns,symptom,Sym,day 3\n")
    read = read_events_table(str(path))
    (case,), diagnostics = read.cases, read.diagnostics
    assert not diagnostics
    assert case.event("d").pos.line == 4  # type: ignore[union-attr]
    s = case.event("s")
    assert s is not None and s.pos.line == 5 and s.start is not None and s.start.pos is not None
    assert (s.start.pos.line, s.start.pos.col) == (5, 15)


def test_bad_cell_after_quoted_cells(tmp_path: Path) -> None:
    text = ('id,kind,label,start\n'
            'd,drug,"Drug, with comma",day 0\n'
            's,symptom,"Two\nline label",3 fortnights after d\n'
            't,symptom,"Say ""hi""",3 parsecs after d\n')
    path = write(tmp_path, text)
    out = messages(path)
    assert out[0].startswith(f"{path}:4:13: unknown time unit 'fortnights'")  # after the quoted newline
    assert out[1].startswith(f"{path}:5:24: unknown time unit 'parsecs'")  # after doubled quotes
    assert len(out) == 2


def test_unknown_and_duplicate_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "id,kind,lable,drug,drug,start\nd,drug,D,x,y,day 0\n")
    out = messages(path)
    assert out == [
        f"{path}:1:9: unknown column 'lable' (did you mean 'label'?)",
        f"{path}:1:20: duplicate column 'drug' (first at column 15) (remove one of them)",
    ]


def test_field_not_allowed_for_the_kind_names_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "id,kind,label,start,dose\ns,symptom,S,day 0,5\n")
    assert messages(path)[0].startswith(f"{path}:2:19: unknown field 'dose' in a symptom event")


def test_unknown_metadata_key(tmp_path: Path) -> None:
    path = write(tmp_path, "# caseline: 1\n# suspct: d\n# a free comment, not metadata\nid,kind,start\n"
                           "d,drug,day 0\n")
    out = messages(path)
    assert out[0] == f"{path}:2:3: unknown metadata key 'suspct' (did you mean 'suspect'?)"


def test_metadata_version_and_anchor_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "# caseline: 3\n# anchor: 3 fortnights after d\nid,kind,drug,start\nd,drug,x,day 0\n")
    out = messages(path)
    assert out[0].startswith(f"{path}:1:13: format version 3 is newer")
    assert out[1].startswith(f"{path}:2:11: unknown time unit 'fortnights'")


def test_missing_reference_points_at_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "# suspect: d\nid,kind,label,drug,start\nd,drug,D,x,day 0\ns,symptom,S,,2 days after dd\n")
    out = messages(path)
    assert out == [f"{path}:4:14: '2 days after dd' refers to an event 'dd' that does not exist "
                   "(did you mean 'd'?)"]


def test_ragged_rows_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "id,kind,start\nd,drug,day 0\ne,drug,day 1,extra\nf,drug,day 2\ng,drug,day 3,x,y\n")
    result = load_file(path)
    out = [str(d) for d in result.diagnostics]
    assert any(o.startswith(f"{path}:3:1: this row has 4 cells but the header has 3") for o in out)
    assert any(o.startswith(f"{path}:5:1: this row has 5 cells") for o in out)
    assert not result.ok


def test_no_header_and_no_rows(tmp_path: Path) -> None:
    only_meta = write(tmp_path, "# caseline: 1\n# title: T\n", "a.csv")
    assert "the table has no header row" in messages(only_meta)[0]
    header_only = write(tmp_path, "id,kind,start\n", "b.csv")
    assert messages(header_only) == [f"{header_only}:1:1: the table has no event rows "
                                     "(add one row per event below the header)"]
    no_id = write(tmp_path, "kind,start\ndrug,day 0\n", "c.csv")
    assert "the table has no 'id' column" in messages(no_id)[0]


def test_comment_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "id,kind,drug,start\n# a comment row,,,\n\n,,,\nd,drug,x,day 0\n")
    result = load_file(path)
    assert result.ok, result.diagnostics
    assert [e.id for e in result.cases[0].case.events] == ["d"]
    assert result.cases[0].case.events[0].pos.line == 5


def test_schedules(tmp_path: Path) -> None:
    text = ("# suspect: a\n"
            "id,kind,drug,start,schedule_at,every,count,until,cycles,cycle_length,cycle_days\n"
            "a,drug,x,,day 0; day 3 ; day 10,,,,,,\n"
            "b,drug,y,day 0,,1 week,13,,,,\n"
            "c,drug,z,day 5,,2 weeks,,day 33,,,\n"
            "d,drug,w,day 0,,,,,4,21 days,1;4;8;11\n")
    path = write(tmp_path, text)
    result = load_file(path)
    assert result.ok, result.diagnostics
    (case,) = result.cases

    def days(event_id: str) -> list[float]:
        return [i.start.best for i in case.items_of(event_id) if i.role is ItemRole.DOSE and i.start]

    assert days("a") == [0, 3, 10]
    assert days("b") == [7.0 * k for k in range(13)]
    assert days("c") == [5, 19, 33]
    assert days("d") == [21.0 * c + d - 1 for c in range(4) for d in (1, 4, 8, 11)]
    b = case.case.event("b")
    assert b is not None and isinstance(b.schedule, Repeat) and b.schedule.count == 13
    # Each time of schedule_at knows its column (load_file reads a file without problems without positions).
    a = read_events_table(str(path)).cases[0].event("a")
    assert a is not None and isinstance(a.schedule, AtList)
    assert [t.pos.col for t in a.schedule.times if t.pos] == [11, 18, 26]


def test_schedule_errors_point_at_cells(tmp_path: Path) -> None:
    text = "id,kind,drug,start,every,count\nb,drug,y,day 0,1 week,lots\nc,drug,z,day 0,1 week,\n"
    path = write(tmp_path, text)
    out = messages(path)
    assert out[0].startswith(f"{path}:2:23: 'count' must be a whole number of 1 or more")
    assert out[1].startswith(f"{path}:3:16: a repeat needs 'count' or 'until'")
    assert len(out) == 2


def test_stated_ongoing_and_flags(tmp_path: Path) -> None:
    text = ("# suspect: d\n"
            "id,kind,drug,start,at,ongoing,stated,identifying\n"
            "d,drug,x,day 0,,yes,from the first visit,drug; start\n"
            "e,drug,x,day 1,,perhaps,,\n"
            "m,milestone,,,day 9,,,\n"
            "n,milestone,,,,,only words,\n")
    path = write(tmp_path, text)
    read = read_events_table(str(path))
    cases, diagnostics = read.cases, read.diagnostics
    out = [str(d) for d in diagnostics]
    assert len(out) == 3
    assert out[0].startswith(f"{path}:4:17: 'ongoing' must be true or false")
    assert out[1].startswith(f"{path}:6:1: milestone event 'n' needs 'at'")
    assert out[2].startswith(f"{path}:6:17: 'stated' describes the event's 'start' or 'at'")
    d = cases[0].event("d")
    assert d is not None and d.ongoing and d.start is not None and d.start.stated == "from the first visit"
    assert d.identifying == ("drug", "start")


def test_several_cases_in_one_table(tmp_path: Path) -> None:
    text = ("# suspect: d\n# anchor: d\n"
            "case_id,case_title,id,kind,label,drug,start\n"
            "one,First case,d,drug,,x,day 0\n"
            "one,,s,symptom,S,,day 4\n"
            "two,Second case,d,drug,,x,day 0\n"
            "two,,s,symptom,S,,day 9\n")
    path = write(tmp_path, text)
    result = load_file(path)
    assert result.ok, result.diagnostics
    assert [(c.id, c.case.title) for c in result.cases] == [("one", "First case"), ("two", "Second case")]
    assert [c.item("s").start.best for c in result.cases] == [4, 9]  # type: ignore[union-attr]


def test_tsv(tmp_path: Path) -> None:
    text = "# suspect: d\nid\tkind\tdrug\tstart\tlabel\nd\tdrug\tx, y\tday 0\t\ns\tsymptom\t\tday 2x\tS\n"
    path = write(tmp_path, text, "t.events.tsv")
    out = messages(path)
    assert out == [f"{path}:4:12: cannot read the time 'day 2x' (write a date ('2013', 'February 2010', "
                   "'2010-02-14'), a time from day 0 ('week 2', 'day 14'), a time from another event "
                   "('2 weeks after ifx#3'), 'between A and B', or 'unknown')"]


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "w.events.csv"
    path.write_bytes(b"\xef\xbb\xbf# suspect: d\r\nid,kind,drug,start,label\r\n"
                     b"d,drug,x,day 0,\r\ns,symptom,,day 3 days,S\r\n")
    out = messages(path)
    assert out[0].startswith(f"{path}:1:1: warning: file starts with a UTF-8 byte-order mark")
    assert out[1].startswith(f"{path}:4:12: cannot read the time 'day 3 days'")


def test_every_column_is_known() -> None:
    assert {"id", "kind", "schedule_at", "cycles", "cycle_length", "cycle_days", "case_id", "case_title",
            "stated", "section", "paragraph", "figure", "course"} <= KNOWN_COLUMNS


def make_events_table(path: Path, n: int) -> None:
    """A realistic big table: drugs with durations and schedules, symptoms and tests relative to them."""
    head = ("# caseline: 1\n# id: big\n# title: Big generated case\n# suspect: d0\n# anchor_date: 2010-01-01\n"
            "id,kind,label,lane,drug,dose,unit,start,end,duration,at,schedule_at,every,count,test,result,"
            "interpretation,stated,note\n")
    rows = []
    for i in range(n):
        k = i % 5
        if k == 0:
            rows.append(f"d{i},drug,Drug {i},Drug lane {i % 50},drug{i % 50},5,mg,day {i % 365},,2 weeks"
                        ",,,,,,,,,")
        elif k == 1:
            rows.append(f"s{i},symptom,Symptom {i},Symptoms {i % 40},,,,3 days after d{i - 1},d{i - 1}.end,,,,,,"
                        ",,,onset noted,")
        elif k == 2:
            rows.append(f"t{i},investigation,Test {i},Labs {i % 30},,,,,,,about 1 week after s{i - 1},,,,CRP,12,"
                        "abnormal,,")
        elif k == 3:
            rows.append(f"r{i},drug,Rx {i},Rx lane {i % 20},rx{i % 20},1,g,,,,,week 1; week 2; week 4,,,,,,,")
        else:
            rows.append(f"m{i},drug,Maint {i},Maint {i % 10},mnt,10,mg,2010-03-{1 + i % 28:02d},,,,,4 weeks,3"
                        ',,,,,"note, quoted"')
    path.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


def test_generated_table_loads(tmp_path: Path) -> None:
    path = tmp_path / "gen.events.csv"
    make_events_table(path, 2_000)
    result = load_file(path)
    assert result.ok, result.diagnostics[:5]
    (case,) = result.cases
    assert len(case.case.events) == 2_000
    assert case.item("t2").start.best == pytest.approx(3 + 7)  # type: ignore[union-attr]


@pytest.mark.slow
def test_speed_at_100k_events(tmp_path: Path) -> None:
    """Parse + validate + resolve of 100,000 events; the target is 50 us/event on a quiet machine.

    Asserted loosely (a shared CI machine is noisy): this catches accidental quadratic behaviour.
    """
    path = tmp_path / "big.events.csv"
    make_events_table(path, 100_000)
    t0 = time.process_time()
    result = load_file(path)
    per_event = (time.process_time() - t0) / 100_000 * 1e6
    assert result.ok
    assert per_event < 250, f"{per_event:.0f} us/event"


def test_semicolon_separated_and_empty_header_cells(tmp_path: Path) -> None:
    """Spreadsheet exports: ';' as the separator, and trailing unnamed columns."""
    ok = write(tmp_path, "# suspect: d\nid;kind;drug;start;;\nd;drug;x;day 0;;\n", "a.events.csv")
    result = load_file(ok)
    assert result.ok, result.diagnostics
    assert result.cases[0].item("d").start.best == 0  # type: ignore[union-attr]
    bad = write(tmp_path, "id,kind,drug,start,\nd,drug,x,day 0,\ne,drug,y,day 1,oops\n", "b.events.csv")
    assert messages(bad) == [f"{bad}:1:20: the column with an empty header has a value (first at line 3) "
                             "(name the column, e.g. 'note', or delete it)"]
