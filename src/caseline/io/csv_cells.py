"""Where each cell of a CSV events table stands: FILE:LINE:COL of any cell, computed only when asked.

A quoted cell may hold separators, doubled quotes and newlines, so positions follow CSV quoting; for
rows without quotes the columns come from the cell lengths, per column with numpy, so the work follows
the cells that are read, not rows x columns. A row is an LMap whose positions come from the table."""

from __future__ import annotations

import re
from typing import Any

from caseline.io.located import LMap, keeps_positions
from caseline.model.diagnostics import SourcePos

_CELL_RE = {
    sep: re.compile(rf'"(?:[^"]|"")*"[^{sep}\n]*|[^{sep}\n]*') for sep in (",", "\t", ";")
}


def scan_cells(text: str, start: int, line: int, sep: str) -> tuple[list[tuple[int, int]], int]:
    """Positions (line, col) of each cell of the CSV record starting at ``text[start]``.

    Follows CSV quoting (a quoted cell may hold separators, doubled quotes and newlines).
    Returns the positions and the index just past the record.
    """
    match = _CELL_RE[sep].match
    n = len(text)
    i = start
    line_start = start
    cells: list[tuple[int, int]] = []
    while True:
        cells.append((line, i - line_start + 1))
        m = match(text, i)
        end = m.end() if m else i
        newlines = text.count("\n", i, end)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", i, end) + 1
        i = end
        if i < n and text[i] == sep:
            i += 1
            continue
        return cells, i + 1




class Cells:
    """Where each cell of the table stands; positions are made only when asked for."""

    __slots__ = ("col_arrays", "col_lists", "column_of", "data", "data_line", "exact", "line_starts", "lines",
                 "nonempty", "nowhere", "path", "quoted", "sep", "values")

    def __init__(self, path: str, data: str, data_line: int, sep: str, lines: list[int], values: list[Any],
                 nonempty: list[Any], quoted: bool, column_of: dict[str, int]) -> None:
        import numpy as np

        self.nonempty = nonempty
        self.col_arrays: list[Any] = [np.ones(len(lines), dtype=np.int64)]
        self.col_lists: list[list[int]] = []
        self.path = path
        self.data = data
        self.data_line = data_line
        self.sep = sep
        self.lines = lines
        self.values = values
        self.quoted = quoted
        self.column_of = column_of
        self.line_starts: list[int] | None = None
        self.exact: dict[int, list[tuple[int, int]]] = {}
        #: The one position of every cell when the table is read without positions (caseline.io.located).
        self.nowhere = None if keeps_positions() else SourcePos(path)

    def pos(self, i: int, j: int) -> SourcePos:
        """Position of cell j of row i."""
        if self.nowhere is not None:
            return self.nowhere
        if self.quoted:
            where = self.exact.get(i)
            if where is None:
                where = self.exact[i] = self.scan(i)
            if where:
                return SourcePos(self.path, *where[j]) if j < len(where) else SourcePos(self.path, self.lines[i], 1)
        return SourcePos(self.path, self.lines[i], self.columns(j)[i])

    def columns(self, j: int) -> list[int]:
        """Column of cell j on every row (for rows without quotes), computed once per column.

        Only non-empty cells are measured, so the work follows the cells, not rows x columns.
        """
        done = self.col_lists
        if j < len(done):
            return done[j]
        import numpy as np

        col = self.col_arrays[-1]
        for k in range(len(self.col_arrays) - 1, j):
            lengths = np.ones(len(self.lines), dtype=np.int64)
            column = self.values[k]
            indices = self.nonempty[k]
            if len(indices):
                lengths[indices] += np.fromiter((len(column[i]) for i in indices.tolist()), dtype=np.int64,
                                                count=len(indices))
            col = col + lengths
            self.col_arrays.append(col)
        while len(done) <= j:
            done.append(self.col_arrays[len(done)].tolist())
        return done[j]

    def scan(self, i: int) -> list[tuple[int, int]]:
        if self.line_starts is None:  # start of each line of the data, found once
            starts = [0]
            find = self.data.find
            k = find("\n")
            while k >= 0:
                starts.append(k + 1)
                k = find("\n", k + 1)
            self.line_starts = starts
        index = self.lines[i] - self.data_line
        starts = self.line_starts
        start = starts[index] if index < len(starts) else len(self.data)
        end = starts[index + 1] if index + 1 < len(starts) else len(self.data)
        if self.data.find('"', start, end) < 0:
            return []  # no quote on this line: the cell lengths give the columns
        return scan_cells(self.data, start, self.lines[i], self.sep)[0]


class RowPositions(dict[str, SourcePos]):
    """The positions of a row's cells: computed from the table on demand, or stored.

    A key the row lacks but the table has a column for gets the position of its empty cell,
    which is where a missing value belongs. (No reference back to the row: a cycle would keep
    every row alive until the cyclic collector runs.)
    """

    __slots__ = ("cells", "i")

    cells: Cells
    i: int

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        p = dict.get(self, key)
        if p is not None:
            return p
        j = self.cells.column_of.get(key)
        if j is not None:
            return self.cells.pos(self.i, j)
        return default

    def __getitem__(self, key: str) -> SourcePos:
        p = self.get(key)
        if p is None:
            raise KeyError(key)
        return p  # type: ignore[no-any-return]


class Row(LMap):
    """One event row: an LMap whose cell positions come from the table."""

    __slots__ = ()

    def __init__(self, pos: SourcePos, cells: Cells, i: int) -> None:
        dict.__init__(self)
        self.pos = pos
        positions = RowPositions()
        positions.cells = cells
        positions.i = i
        self.key_pos = self.val_pos = positions

    def set_pos(self, key: str, pos: SourcePos) -> None:
        dict.__setitem__(self.val_pos, key, pos)


def located_map(pos: SourcePos) -> LMap:
    """An LMap whose keys and values share positions (as cells do)."""
    out = LMap(pos)
    out.key_pos = out.val_pos
    return out
