"""Read a CSV/TSV events table: one row per event, optional ``# key: value`` metadata lines first.

Each row becomes the same located mapping a YAML event is (``LMap`` with the position of every
cell), so :class:`caseline.io.case_document.Builder` validates both formats alike and every problem names
``FILE:LINE:COL`` of the cell it is about. Layout::

    # caseline: 1
    # id: ifx-pg
    # title: Motor polyneuropathy after infliximab
    # suspect: ifx
    id,kind,label,drug,schedule_at,start,stated
    ifx,drug,Infliximab 5 mg/kg,infliximab,week 0; week 2; week 6,,
    weakness,symptom,Weakness,,,2 weeks after ifx#3,two weeks after the third dose

Columns mirror the YAML event keys; schedules use ``schedule_at`` (times separated by ``;``),
``every``/``count``/``until``, or ``cycles`` (count), ``cycle_length`` and ``cycle_days``;
``course`` lists symptom course points as ``TIME: STATE`` separated by ``;``;
``section``/``paragraph``/``figure``/``page`` fill the event's source; ``stated`` is how the
source words the event's start (or ``at``). ``case_id`` and ``case_title`` put several cases in
one table; the metadata lines then apply to every case.

Speed matters (100,000-event tables): pandas splits the text, positions are computed per
column with numpy, and only non-empty cells are touched in Python.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from collections.abc import Sequence
from typing import Any

from caseline.io.case_document import Builder
from caseline.io.csv_cells import Cells, Row, located_map, scan_cells
from caseline.io.located import MAX_EVENTS, LList, LMap, read_text, too_many_events
from caseline.io.registry import ReadResult, reader
from caseline.model.case import FORMAT_VERSION
from caseline.model.diagnostics import Diagnostic, SourcePos, UnreadableFile

#: Columns copied into the event mapping under the same key.
EVENT_COLUMNS = (
    "id", "kind", "label", "lane", "category", "start", "end", "duration", "at", "ongoing", "drug",
    "role", "dose", "unit", "route", "frequency", "target", "test", "result", "interpretation",
    "brand", "cumulative_dose", "regimen",
    "value", "value_unit", "reference", "type", "note", "identifying", "course",
    "response", "exposure", "outcome", "absent", "seriousness", "action_taken",
)


_DIRECT = frozenset(EVENT_COLUMNS)
SOURCE_COLUMNS = ("section", "paragraph", "figure", "page")


#: Schedule columns and the key each one fills (in the schedule or in its 'cycles').
SCHEDULE_COLUMNS = {
    "schedule_at": "at", "every": "every", "count": "count", "until": "until",
    "schedule_start": "start", "cycles": "count", "cycle_length": "length", "cycle_days": "days",
}


CYCLE_COLUMNS = ("cycles", "cycle_length", "cycle_days")


CASE_COLUMNS = ("case_id", "case_title")


OTHER_COLUMNS = ("stated",)


KNOWN_COLUMNS = frozenset(
    EVENT_COLUMNS + SOURCE_COLUMNS + tuple(SCHEDULE_COLUMNS) + CASE_COLUMNS + OTHER_COLUMNS
)


#: Metadata keys (``# key: value`` lines before the header).
METADATA_KEYS = (
    "caseline", "id", "title", "anchor", "anchor_date", "anchor_label", "suspect", "reaction",
    "reaction_event", "causality", "diagnosis", "summary", "patient_age", "patient_sex", "doi",
    "pmid", "citation", "pmcid", "publication_type", "patient_ethnicity",
)


_META_RE = re.compile(r"^#\s*(?P<key>[A-Za-z_][A-Za-z0-9_\-]*)\s*:\s*(?P<value>.*?)\s*$")


_LIST_SPLIT = re.compile(r"\s*;\s*")


_DAYS_LIST = re.compile(r"^\d+(?:\s*[;,\s]\s*\d+)+$")


_TRUE = {"true", "yes", "y", "1", "x"}


_FALSE = {"false", "no", "n", "0"}


@reader("caseline-csv", "caseline events tables (CSV/TSV)", ("*.csv", "*.tsv"))
def read_events_table(path: str) -> ReadResult:
    """Read a .csv/.tsv events table. Raises UnreadableFile; other problems are diagnostics."""
    text, warnings = read_text(path)
    if "\r" in text:  # Windows (CR LF) and classic Mac (CR alone) line ends: lines as an editor counts them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = "\t" if path.lower().endswith(".tsv") else ","
    table = _TableReader(path, text, sep)
    top = table.read()
    if top is None:
        return ReadResult([], None, warnings + table.builder.diagnostics)
    cases, caseset = table.builder.document(top)
    # Reader and builder problems in file order, as the YAML reader gives them.
    diagnostics = sorted(table.builder.diagnostics, key=lambda d: (d.pos.line, d.pos.col))
    return ReadResult(cases, caseset, warnings + diagnostics)


class _TableReader:
    def __init__(self, path: str, text: str, sep: str) -> None:
        self.path = path
        self.text = text
        self.sep = sep
        self.builder = Builder(path)
        self.meta: dict[str, tuple[str, SourcePos]] = {}
        self.unnamed: list[int] = []  # header cells left empty

    def error(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.builder.error(pos, message, hint)

    # ------------------------------------------------------------------ metadata and header
    def read(self) -> LMap | None:
        text = self.text
        offset = 0
        line = 1
        n = len(text)
        header_start = -1
        while offset < n:
            end = text.find("\n", offset)
            if end < 0:
                end = n
            raw = text[offset:end].rstrip("\r")
            stripped = raw.strip()
            if stripped.startswith("#"):
                self.metadata_line(raw, line)
            elif stripped:
                header_start = offset
                break
            offset = end + 1
            line += 1
        if header_start < 0:
            self.error(SourcePos(self.path, line if n else 1, 1), "the table has no header row",
                       "after the '# key: value' lines, write a header such as 'id,kind,label,start'")
            return None
        header_end = text.find("\n", header_start)
        header_text = text[header_start:header_end if header_end >= 0 else n]
        if self.sep == "," and "," not in header_text and header_text.count(";") >= 1:
            self.sep = ";"  # spreadsheets in many locales write ';'-separated "CSV"
        cells, data_start = scan_cells(text, header_start, line, self.sep)
        data_start = min(data_start, n)
        names = self.header_names(text[header_start:data_start])
        header_line = line
        data_line = cells[-1][0] + 1
        if len(names) != len(cells):  # pragma: no cover - the scanner and csv agree on records
            cells = [(header_line, 1)] * len(names)
        columns = self.check_header(names, cells)
        return self.rows(text[data_start:], data_line, names, columns, cells)

    def metadata_line(self, raw: str, line: int) -> None:
        m = _META_RE.match(raw.strip())
        if not m:
            return  # a comment
        key = m.group("key").lower()
        col = raw.find(m.group("value"), raw.find(":") + 1) + 1 if m.group("value") else len(raw) + 1
        pos = SourcePos(self.path, line, col)
        key_pos = SourcePos(self.path, line, raw.find(m.group("key")) + 1)
        if key not in METADATA_KEYS:
            close = difflib.get_close_matches(key, METADATA_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "metadata keys: " + ", ".join(METADATA_KEYS)
            self.error(key_pos, f"unknown metadata key {key!r}", hint)
            return
        if key in self.meta:
            self.error(key_pos, f"duplicate metadata key {key!r} (first at line {self.meta[key][1].line})",
                       "remove one of them")
            return
        self.meta[key] = (m.group("value"), pos)

    def header_names(self, record: str) -> list[str]:
        import csv

        try:
            rows = list(csv.reader(io.StringIO(record), delimiter=self.sep))
        except csv.Error:  # pragma: no cover - csv.reader accepts almost anything
            rows = []
        return [name.strip() for name in rows[0]] if rows else []

    def check_header(self, names: list[str], cells: list[tuple[int, int]]) -> list[str | None]:
        """The known column name of each header cell, or None for a column to ignore."""
        out: list[str | None] = []
        seen: dict[str, SourcePos] = {}
        for name, (line, col) in zip(names, cells, strict=True):
            pos = SourcePos(self.path, line, col)
            key = name.lower()
            if not key:  # fine while the column is empty (spreadsheets add such columns); see rows()
                self.unnamed.append(len(out))
                out.append(None)
                continue
            if key not in KNOWN_COLUMNS:
                close = difflib.get_close_matches(key, sorted(KNOWN_COLUMNS), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "see the column list in docs/case-format.md"
                self.error(pos, f"unknown column {name!r}", hint)
                out.append(None)
                continue
            if key in seen:
                self.error(pos, f"duplicate column {name!r} (first at column {seen[key].col})",
                           "remove one of them")
                out.append(None)
                continue
            seen[key] = pos
            out.append(key)
        if "id" not in seen:
            self.error(SourcePos(self.path, cells[0][0], 1), "the table has no 'id' column",
                       "every event needs an id: add an 'id' column")
        if "kind" not in seen:
            self.error(SourcePos(self.path, cells[0][0], 1), "the table has no 'kind' column",
                       "add a 'kind' column (drug, symptom, investigation, ...)")
        return out

    # ------------------------------------------------------------------ rows
    def split(self, data: str, ncol: int) -> Any:
        """The data rows as a DataFrame of strings with columns 0..ncol-1, or None."""
        import pandas as pd

        if not data.strip():
            return pd.DataFrame({j: pd.Series([], dtype=object) for j in range(ncol)})
        try:
            frame = pd.read_csv(io.StringIO(data), sep=self.sep, header=None, dtype=str,
                                keep_default_na=False, na_filter=False, skip_blank_lines=False,
                                quotechar='"', engine="c", index_col=False)
        except pd.errors.EmptyDataError:
            return pd.DataFrame({j: pd.Series([], dtype=object) for j in range(ncol)})
        except pd.errors.ParserError:
            return None
        frame.columns = list(range(frame.shape[1]))
        return frame

    def ragged_rows(self, data: str, data_line: int, ncol: int) -> None:
        """Report every row with more cells than the header (pandas stops at the first)."""
        import csv

        reader = csv.reader(io.StringIO(data, newline=""), delimiter=self.sep, strict=True)
        start = 1
        try:
            for record in reader:
                if len(record) > ncol:
                    self.error(SourcePos(self.path, data_line + start - 1, 1),
                               f"this row has {len(record)} cells but the header has {ncol}",
                               "quote cells that contain the separator, or add the missing column name")
                start = reader.line_num + 1
        except csv.Error as exc:  # broken quoting: like a YAML syntax error, the file cannot be read
            raise UnreadableFile(Diagnostic(
                SourcePos(self.path, data_line + start - 1, 1), f"CSV syntax error in this row: {exc}",
                "a quoted cell must end with a quote; write a quote inside a cell as two quotes")) from None

    def rows(self, data: str, data_line: int, names: list[str], columns: list[str | None],
             header_cells: list[tuple[int, int]]) -> LMap | None:
        import numpy as np

        ncol = len(names)
        # Blank lines between the header and the first row (pandas needs a first row to size the table).
        while True:
            end = data.find("\n")
            if end < 0 or data[:end].strip():
                break
            data = data[end + 1:]
            data_line += 1
        if data.count("\n") > MAX_EVENTS and '"' not in data:  # unquoted: a row is a line; refuse before splitting
            n_rows = sum(1 for line in data.split("\n") if line.strip())
            if n_rows > MAX_EVENTS:
                raise UnreadableFile(too_many_events(SourcePos(self.path, data_line, 1), n_rows))
        frame = self.split(data, ncol)
        if frame is None or frame.shape[1] > ncol:
            self.ragged_rows(data, data_line, ncol)
            if not any(d.is_error for d in self.builder.diagnostics):
                self.error(SourcePos(self.path, data_line, 1), "the table cannot be read as CSV",
                           "check quotes and separators")
            return None
        nrow = frame.shape[0]
        if nrow > MAX_EVENTS:  # before any row is looked at: a million rows would take a minute and gigabytes
            raise UnreadableFile(too_many_events(SourcePos(self.path, data_line, 1), nrow))
        values: list[Any] = []
        for j in range(ncol):
            if j < frame.shape[1]:
                values.append(frame[j].to_numpy(dtype=object))
            else:
                values.append(np.full(nrow, "", dtype=object))
        nonempty = [np.flatnonzero(v != "") for v in values]

        # Line of each row (a quoted cell may span lines).
        quoted = '"' in data
        newlines = data.count("\n")
        if quoted and newlines > nrow - (not data.endswith("\n")):
            extra = np.zeros(nrow, dtype=np.int64)
            for j in range(min(ncol, frame.shape[1])):
                if len(nonempty[j]):
                    extra += frame[j].str.count("\n").to_numpy(dtype=np.int64)
            before = np.concatenate(([0], np.cumsum(extra)[:-1])) if nrow else extra
            line_arr = data_line + np.arange(nrow) + before
        else:
            line_arr = data_line + np.arange(nrow)
        cells = Cells(self.path, data, data_line, self.sep, line_arr.tolist(), values, nonempty, quoted,
                       {key: j for j, key in enumerate(columns) if key in _DIRECT})
        for j in self.unnamed:
            if len(nonempty[j]):
                where = cells.pos(int(nonempty[j][0]), j)
                self.error(SourcePos(self.path, header_cells[0][0], header_cells[j][1]),
                           f"the column with an empty header has a value (first at line {where.line})",
                           "name the column, e.g. 'note', or delete it")
        lines = cells.lines
        path = self.path

        # Rows with something in them, except comment rows (first cell starts with '#').
        used = np.zeros(nrow, dtype=bool)
        for j, key in enumerate(columns):
            if key is not None:
                used[nonempty[j]] = True
        if ncol and len(nonempty[0]):
            first = values[0]
            for i in nonempty[0].tolist():
                if first[i].lstrip().startswith("#"):
                    used[i] = False
        rows: list[Row | None] = [
            Row(cells.nowhere or SourcePos(path, lines[i], 1), cells, i) if u else None
            for i, u in enumerate(used.tolist())
        ]
        case_of: list[tuple[str, SourcePos] | None] = [None] * nrow
        title_of: dict[int, tuple[str, SourcePos]] = {}
        schedules: dict[int, LMap] = {}
        stated: dict[int, tuple[str, SourcePos]] = {}
        for j, key in enumerate(columns):
            if key is None:
                continue
            column = values[j]
            indices = nonempty[j].tolist()
            if key in _DIRECT:
                convert = _CONVERTERS.get(key)
                for i in indices:
                    value = column[i].strip()
                    if value:
                        m = rows[i]
                        if m is not None:
                            m[key] = convert(value, cells.pos(i, j)) if convert else value
                continue
            for i in indices:
                value = column[i].strip()
                m = rows[i]
                if not value or m is None:
                    continue
                p = cells.pos(i, j)
                if key in SOURCE_COLUMNS:
                    src = m.get("source")
                    if src is None:
                        src = m["source"] = located_map(p)
                        m.set_pos("source", p)
                    src[key] = value
                    src.val_pos[key] = p
                elif key in SCHEDULE_COLUMNS:
                    sched = schedules.get(i)
                    if sched is None:
                        sched = schedules[i] = located_map(p)
                    dest: LMap = sched
                    if key in CYCLE_COLUMNS:
                        cycles = sched.get("cycles")
                        if cycles is None:
                            cycles = sched["cycles"] = located_map(p)
                            sched.val_pos["cycles"] = p
                        dest = cycles
                    target = SCHEDULE_COLUMNS[key]
                    dest[target] = self.schedule_value(key, value, p)
                    dest.val_pos[target] = p
                elif key == "stated":
                    stated[i] = (value, p)
                elif key == "case_id":
                    case_of[i] = (value, p)
                elif key == "case_title":
                    title_of[i] = (value, p)

        for i, sched in schedules.items():
            m = rows[i]
            assert m is not None
            if "start" in sched and "cycles" in sched:  # a cycles schedule keeps its start inside
                sched["cycles"]["start"] = sched.pop("start")
                sched["cycles"].val_pos["start"] = sched.val_pos.pop("start")
            m["schedule"] = sched
            m.set_pos("schedule", sched.pos)
        for i, (text, p) in stated.items():
            m = rows[i]
            assert m is not None
            key = "at" if "at" in m else "start" if "start" in m else ""
            if not key:
                self.error(p, "'stated' describes the event's 'start' or 'at', and this row has neither",
                           "fill in 'start' (or 'at'), or move the wording to 'note'")
                continue
            where = m.where(key)
            wrapped = located_map(where)
            wrapped["time"] = m[key]
            wrapped.val_pos["time"] = where
            wrapped["stated"] = text
            wrapped.val_pos["stated"] = p
            m[key] = wrapped
        kept = [(m if m else None) for m in rows]
        return self.document(kept, case_of, title_of, header_cells)

    def schedule_value(self, key: str, value: str, pos: SourcePos) -> Any:
        if key in ("count", "cycles"):
            return _whole(value)
        if key == "cycle_days":
            if _is_whole(value):
                return int(value)
            if _DAYS_LIST.match(value):
                parts = re.split(r"\s*[;,\s]\s*", value)
                if not all(_is_whole(part) for part in parts):
                    return value  # the builder names what 'days' may be
                days = LList(pos)
                for part in parts:
                    days.append(int(part))
                    days.item_pos.append(pos)
                return days
            return value
        if key == "schedule_at":
            times = LList(pos)
            offset = 0
            for part in value.split(";"):
                lead = len(part) - len(part.lstrip())
                times.append(part.strip())
                times.item_pos.append(_shifted(pos, offset + lead))
                offset += len(part) + 1
            return times
        return value

    # ------------------------------------------------------------------ cases
    def document(self, rows: Sequence[LMap | None], case_of: list[tuple[str, SourcePos] | None],
                 title_of: dict[int, tuple[str, SourcePos]], header_cells: list[tuple[int, int]]) -> LMap | None:
        path = self.path
        top = LMap(SourcePos(path, 1, 1))
        if "caseline" in self.meta:
            raw, p = self.meta["caseline"]
            top["caseline"] = _whole(raw)
            top.val_pos["caseline"] = top.key_pos["caseline"] = p
        else:
            top["caseline"] = FORMAT_VERSION
        default_id = self.meta["id"] if "id" in self.meta else (_default_id(path), SourcePos(path, 1, 1))
        groups: dict[str, tuple[SourcePos, LList]] = {}
        titles: dict[str, tuple[str, SourcePos]] = {}
        for i, m in enumerate(rows):
            if m is None:
                continue
            case_id, p = case_of[i] or default_id
            group = groups.get(case_id)
            if group is None:
                group = groups[case_id] = (p, LList(p))
            group[1].append(m)
            group[1].item_pos.append(m.pos)
            if i in title_of:
                titles.setdefault(case_id, title_of[i])
        if not groups:
            self.error(SourcePos(path, header_cells[0][0], 1), "the table has no event rows",
                       "add one row per event below the header")
            return None
        cases = LList(top.pos)
        for case_id, (p, events) in groups.items():
            case = LMap(p)
            self.put(case, "id", (case_id, p))
            if case_id in titles:
                self.put(case, "title", titles[case_id])
            elif "title" in self.meta and case_id == default_id[0]:
                self.put(case, "title", self.meta["title"])
            else:
                self.put(case, "title", (case_id, p))
            for key in ("anchor", "anchor_date", "anchor_label", "diagnosis", "summary"):
                if key in self.meta:
                    self.put(case, key, self.meta[key])
            self.sub(case, "suspect", {"suspect": "drug", "reaction": "reaction",
                                       "reaction_event": "reaction_event", "causality": "causality"})
            self.sub(case, "patient", {"patient_age": "age", "patient_sex": "sex", "patient_ethnicity": "ethnicity"})
            self.sub(case, "citation", {"doi": "doi", "pmid": "pmid", "citation": "note", "pmcid": "pmcid",
                                        "publication_type": "type"})
            case["events"] = events
            case.val_pos["events"] = events.pos
            cases.append(case)
            cases.item_pos.append(p)
        top["cases"] = cases
        top.val_pos["cases"] = cases.pos
        return top

    @staticmethod
    def put(mapping: LMap, key: str, item: tuple[str, SourcePos]) -> None:
        mapping[key] = item[0]
        mapping.val_pos[key] = mapping.key_pos[key] = item[1]

    def sub(self, case: LMap, key: str, fields: dict[str, str]) -> None:
        present = [name for name in fields if name in self.meta]
        if not present:
            return
        first = self.meta[present[0]][1]
        sub = LMap(first)
        for name in present:
            self.put(sub, fields[name], self.meta[name])
        case[key] = sub
        case.val_pos[key] = case.key_pos[key] = first


def _default_id(path: str) -> str:
    name = os.path.basename(path)
    for ext in (".csv", ".tsv", ".events", ".caseline"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    name = re.sub(r"[^A-Za-z0-9_\-]+", "-", name).strip("-")
    if not name or not name[0].isalpha():
        name = "case-" + name if name else "case"
    return name


def _boolean(value: str, pos: SourcePos) -> Any:
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return value  # left as text: the builder reports it


def _string_list(value: str, pos: SourcePos) -> Any:
    out = LList(pos)
    for part in _LIST_SPLIT.split(value):
        if part:
            out.append(part)
            out.item_pos.append(pos)
    return out


def _course(value: str, pos: SourcePos) -> Any:
    """'after ivig#last: improvement; day 90: resolution' -> a list of {at, state} points."""
    out = LList(pos)
    offset = 0
    for part in value.split(";"):
        where = _shifted(pos, offset + len(part) - len(part.lstrip()))
        offset += len(part) + 1
        if not part.strip():
            continue
        point = LMap(where)
        point.key_pos = point.val_pos
        at, colon, state = part.rpartition(":")
        if colon:
            point["at"], point.val_pos["at"] = at.strip(), where
        point["state"], point.val_pos["state"] = state.strip(), where
        out.append(point)
        out.item_pos.append(where)
    return out


_CONVERTERS: dict[str, Any] = {"ongoing": _boolean, "identifying": _string_list, "course": _course,
                               "absent": _boolean, "seriousness": _string_list}


__all__ = ["KNOWN_COLUMNS", "METADATA_KEYS", "read_events_table"]


def _shifted(pos: SourcePos, columns: int) -> SourcePos:
    """``columns`` to the right of ``pos`` (a position read without positions stays the file's)."""
    return SourcePos(pos.file, pos.line, pos.col + columns) if pos.line else pos


def _is_whole(text: str) -> bool:
    """Digits int() reads (ASCII or another script's decimal digits, not '²' or '①'), at most 9 of them."""
    return text.isdecimal() and len(text) <= 9


def _whole(text: str) -> int | str:
    """A cell of digits as an int; anything else (or a number too long to be one) stays text for the builder."""
    return int(text) if _is_whole(text) else text
